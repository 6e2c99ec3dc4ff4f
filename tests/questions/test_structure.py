"""Where an answer says something about its terms, and where it only names them."""

from __future__ import annotations

import random

import pytest

from questions.loader import default_bank
from questions.structure import Structure
from questions.text import Tokens
from questions.word_order import MODEL_FILE, _shipped_prose, train


def explained_words(text: str) -> set[str]:
    tokens = Tokens(text)
    structure = Structure(tokens)
    return {tokens.info[i][0] for i in range(len(tokens)) if structure.explained(i, i)}


@pytest.mark.parametrize(
    "text",
    [
        "jwt oauth https bcrypt refresh expiry sso cookie",
        "JWT, OAuth, HTTPS, bcrypt, refresh tokens, SSO.",
        "Jwt Oauth Https Bcrypt Refresh Expiry",
        "I would use JWT, OAuth, HTTPS, bcrypt and SSO.",
    ],
)
def test_term_lists_explain_nothing_past_the_carrier(text: str) -> None:
    explained = explained_words(text)
    assert not explained & {"oauth", "https", "bcrypt", "sso"}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Clients send the token on every request.", "token"),
        ("The server signs a token so it can trust it later.", "token"),
        ("A CDN (content delivery network) serves static files.", "delivery"),
        ("Pros:\n- async processing via a queue\n- caching (Redis, CDN)", "caching"),
        ("Passwords are hashed with bcrypt, which is slow on purpose.", "bcrypt"),
    ],
)
def test_a_clause_that_relates_its_terms_explains_them(text: str, word: str) -> None:
    assert word in explained_words(text)


def test_shuffled_prose_is_salad_and_the_prose_is_not() -> None:
    for question in default_bank().questions.values():
        words = question.model_answer.split()
        random.Random(4).shuffle(words)
        assert not Structure(Tokens(question.model_answer)).salad, question.id
        assert Structure(Tokens(" ".join(words))).salad, question.id


def test_short_answers_are_never_judged_salad() -> None:
    assert not Structure(Tokens("Cache reads. Scale out.")).salad


def test_the_shipped_word_order_model_is_trained_on_the_shipped_packs() -> None:
    import json
    from importlib import resources

    shipped = json.loads(resources.files("questions").joinpath("data", MODEL_FILE).read_text())
    assert shipped == train(_shipped_prose()), "run `python -m questions.word_order`"
