"""Swapped roles: what belongs to one compared thing, said of the other (questions.roles)."""

from __future__ import annotations

import pytest

from questions.model import Question
from questions.roles import find_rivals, swaps
from questions.scoring import CONTRADICTION_CLAIM, score_answer
from questions.text import Tokens
from tests.questions.test_calibration import ALL_QUESTIONS, NEW3_QUESTIONS, NEW_QUESTIONS, derived

LAYERS = NEW_QUESTIONS["load-balancing-algorithms"]
RELEASES = NEW3_QUESTIONS["blue-green-canary-releases"]
LOCKING = NEW3_QUESTIONS["optimistic-pessimistic-locking"]


def names(question_id: str) -> list[set[str]]:
    question = {**NEW_QUESTIONS, **NEW3_QUESTIONS}[question_id]
    rivals = find_rivals(question.prompt, question.model_answer)
    assert rivals is not None
    return [set(marker) for marker in rivals.markers]


def test_the_rivals_are_the_things_the_prompt_sets_side_by_side() -> None:
    assert names("load-balancing-algorithms") == [{"4"}, {"7"}]
    assert names("blue-green-canary-releases") == [{"blue", "green"}, {"canari", "releas"}]
    assert names("optimistic-pessimistic-locking") == [{"pessimist"}, {"optimist"}]


def test_a_prompt_that_compares_nothing_has_no_rivals() -> None:
    question = NEW_QUESTIONS["webhook-delivery"]
    assert find_rivals(question.prompt, question.model_answer) is None


def test_a_prompt_that_only_asks_to_explain_several_things_compares_none_of_them() -> None:
    """ "Explain at-most-once, at-least-once and exactly-once delivery" made rivals of "queue"
    and "delivery", and strong answers were read as swaps."""
    question = ALL_QUESTIONS["mq-delivery-guarantees"]
    assert find_rivals(question.prompt, question.model_answer) is None


@pytest.mark.parametrize(
    ("question", "answer", "swapped"),
    [
        (LAYERS, "Layer 7 load balancing operates on IP addresses and ports.", True),
        (LAYERS, "Layer 4 load balancing only sees IP addresses and ports.", False),
        (LAYERS, "Layer 7 can route by path or header and retry requests.", False),
        (
            RELEASES,
            "Blue-green sends a small percentage of users to the new version and increases it.",
            True,
        ),
        (RELEASES, "A canary sends a small slice of real traffic to the new version.", False),
        # A negation states the difference rightly.
        (RELEASES, "Blue-green does not send a small percentage of real traffic first.", False),
        # A clause that names both is comparing them.
        (RELEASES, "Unlike canary, blue-green switches all traffic at once.", False),
        (LOCKING, "Pessimistic locking is the version-number approach.", True),
    ],
)
def test_a_clause_that_gives_one_rival_the_others_words_is_a_swap(
    question: Question, answer: str, swapped: bool
) -> None:
    rivals = find_rivals(question.prompt, question.model_answer)
    assert rivals is not None
    assert bool(swaps(Tokens(answer), rivals)) is swapped


def test_a_swapped_answer_loses_points_and_is_corrected_with_the_model_sentence() -> None:
    right = (
        "A layer 4 balancer forwards whole TCP connections by IP address and port without "
        "reading the payload, so it is fast. A layer 7 balancer understands HTTP, so it can "
        "route by path or header and terminate TLS."
    )
    wrong = (
        "A layer 7 balancer forwards whole TCP connections by IP address and port without "
        "reading the payload, so it is fast. A layer 4 balancer understands HTTP, so it can "
        "route by path or header and terminate TLS."
    )
    question = derived(LAYERS)
    good, bad = score_answer(question, right), score_answer(question, wrong)
    corrections = [h.correction for h in bad.misconceptions if h.claim == CONTRADICTION_CLAIM]
    assert bad.score <= good.score - 25, (good.score, bad.score)
    assert any("layer 4 load balancer works at the transport level" in c for c in corrections)
    assert not [h for h in good.misconceptions if h.claim == CONTRADICTION_CLAIM]


def test_a_rival_the_model_answer_says_little_about_has_no_profile() -> None:
    """A paraphrase graded 4 (fifth blind set) gave the authorization code's words to the
    browser: the model answer says only four or five things of one rival alone."""
    question = ALL_QUESTIONS["oauth-code-flow-pkce"]
    answer = (
        "After the user logs in, the provider sends the browser back to the app's address "
        "with a short-lived one-time ticket, and the app's server trades it for tokens."
    )
    rivals = find_rivals(question.prompt, question.model_answer)
    assert rivals is None or not swaps(Tokens(answer), rivals)
