"""Answers that hold the right words and explain nothing, over every shipped question.

Each class is built from the question itself, so a question added to a pack is covered
without anyone writing its gaming answers: the model answer shuffled into word salad, bare
lists of the rubric's terms (any casing, with or without commas), the same terms in a
carrier sentence, and the prompt copied back; and short salads, 15 to 25 of the model
answer's words picked at random in random order, where word order alone has few words to go
on. A real interviewer gives each of these a 0 or a 1 out of 5; the scorer must not call
them good.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from questions.loader import default_bank
from questions.model import Question
from questions.scoring import score_answer

QUESTIONS = list(default_bank().questions.values())
SHARE_REQUIRED = 0.95  # of shipped questions for which a gaming answer must stay low


def shuffled(question: Question, seed: int) -> str:
    words = question.model_answer.split()
    random.Random(seed).shuffle(words)
    return " ".join(words)


def sampled(question: Question, count: int, seed: int) -> str:
    """`count` of the model answer's words, picked at random and in random order."""
    words = question.model_answer.split()
    return " ".join(random.Random(seed).sample(words, min(count, len(words))))


def terms(question: Question) -> list[str]:
    """The first phrase of each concept: the strongest possible list of right words."""
    return [concept.phrases[0] for concept in question.rubric]


def enumeration(question: Question) -> str:
    listed = terms(question)
    return "I would use " + ", ".join(listed[:-1]) + " and " + listed[-1] + "."


GAMES: dict[str, tuple[Callable[[Question], str], int]] = {
    "shuffled model answer": (lambda q: shuffled(q, 1), 35),
    "shuffled model answer, another order": (lambda q: shuffled(q, 2), 35),
    "bare term list, lower case, no commas": (lambda q: " ".join(terms(q)).lower(), 35),
    "bare term list, Title Case": (lambda q: " ".join(t.title() for t in terms(q)), 35),
    "bare term list, commas": (lambda q: ", ".join(terms(q)), 35),
    "terms in a carrier sentence": (enumeration, 50),
    "copy of the prompt": (lambda q: q.prompt, 20),
    **{
        f"{count} words of the model answer, shuffled (seed {seed})": (
            lambda q, count=count, seed=seed: sampled(q, count, seed),
            35,
        )
        for count in (15, 20, 25)
        for seed in (0, 1)
    },
}


# Short salads with no capital, full stop or bracket out of place leave word order alone to
# judge, and on 20 words it cannot call them salad without calling real answers salad too.
# These are the known gap (README: gaming figures): they may stay over the ceiling, but not
# climb into "good", and any other question over it still fails the game. sql-vs-nosql joined
# them (37) when opposite words stopped being judged on written rubrics: a spurious
# "contradiction" inside this salad had held it down.
KNOWN_MISSES: dict[str, tuple[frozenset[str], int]] = {
    "20 words of the model answer, shuffled (seed 0)": (
        frozenset({"http-caching-headers", "design-rate-limiter", "sql-vs-nosql"}),
        50,
    ),
}


@pytest.mark.parametrize("game", sorted(GAMES))
def test_gaming_answers_stay_low_on_shipped_questions(game: str) -> None:
    build, ceiling = GAMES[game]
    scores = {q.id: score_answer(q, build(q)).score for q in QUESTIONS}
    known, known_ceiling = KNOWN_MISSES.get(game, (frozenset(), ceiling))
    assert all(scores[qid] < known_ceiling for qid in known), {q: scores[q] for q in known}
    too_high = {
        qid: score for qid, score in scores.items() if score >= ceiling and qid not in known
    }
    allowed = (1 - SHARE_REQUIRED) * len(QUESTIONS) - len(known)
    assert len(too_high) <= max(0.0, allowed), too_high


def test_the_model_answer_itself_still_scores_strong() -> None:
    weak = {q.id: s for q in QUESTIONS if (s := score_answer(q, q.model_answer).score) < 80}
    assert not weak


def test_a_term_list_is_told_what_it_lacks() -> None:
    question = default_bank().questions["auth-web-services"]
    result = score_answer(question, "token jwt header cookie session oauth https bcrypt sso")
    assert result.score < 35
    assert not result.covered
    assert any(note.startswith("You named") and "didn't say" in note for note in result.notes)


def test_word_salad_reads_as_no_answer() -> None:
    question = default_bank().questions["sql-vs-nosql"]
    result = score_answer(question, shuffled(question, 3))
    assert result.score <= 10
    assert not result.covered
    assert any("does not read as sentences" in note for note in result.notes)


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        (
            "handling-huge-traffic",
            "Put several copies of the app behind a load balancer and add more when traffic "
            "grows. Cache what is read often so the database is not hit every time.",
        ),
        (
            "auth-web-services",
            "The user logs in once, gets a signed token back, and sends it with every request "
            "so the server can check who they are.",
        ),
    ],
)
def test_a_short_plain_answer_still_reads_as_an_answer(question_id: str, answer: str) -> None:
    result = score_answer(default_bank().questions[question_id], answer)
    assert result.covered
    assert not any("You named" in note or "sentences" in note for note in result.notes)


def test_a_term_list_names_each_term_once() -> None:
    """Two concepts can match the same list item; the feedback still names it once."""
    question = default_bank().questions["cache-invalidation-stampede"]
    answer = "TTL, invalidation, versioned keys, stampede, locking, jitter, request coalescing."
    (note,) = [n for n in score_answer(question, answer).notes if n.startswith("You named")]
    named = note.removeprefix("You named ").split(" but didn't say")[0]
    terms = [term.strip() for term in named.replace(" and ", ", ").split(",")]
    assert len(terms) == len(set(terms)) and "versioned keys" in terms
