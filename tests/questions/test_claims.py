"""Clauses that relate the right words the wrong way lose the concept and are corrected."""

from __future__ import annotations

from dataclasses import replace

import pytest

from questions.loader import default_bank
from questions.model import Question
from questions.scoring import score_answer
from tests.questions.test_wrong_claims import contradiction_hits

BANK = default_bank()


def model_answer_only(question_id: str) -> Question:
    """The bank question as an admin would add it, with a model answer and nothing else: the
    relation checks judge only such questions, where no misconception was written."""
    return replace(BANK.questions[question_id], rubric=(), misconceptions=())


@pytest.mark.parametrize(
    ("question_id", "answer", "corrected_by"),
    [
        (
            "race-conditions-deadlocks",
            "To avoid deadlocks, acquire locks in random order.",
            "consistent",
        ),
    ],
)
def test_a_contradiction_of_the_model_answer_is_quoted_with_its_correction(
    question_id: str, answer: str, corrected_by: str
) -> None:
    result = score_answer(model_answer_only(question_id), answer)
    said = contradiction_hits(result)
    assert said, result.misconceptions
    assert any(corrected_by in hit.correction for hit in said)
    assert result.score < 35


def test_opposite_words_are_left_to_the_written_misconceptions_on_a_written_rubric() -> None:
    """Over the 513 graded answers to rubric questions, opposite words and reversed orders hit
    six right answers and no wrong one, so a written rubric is judged by its misconceptions."""
    answer = "To avoid deadlocks, acquire locks in random order."
    result = score_answer(BANK.questions["race-conditions-deadlocks"], answer)
    assert [hit.claim for hit in result.misconceptions] == [
        "Acquire locks in random order to avoid deadlocks."
    ]


def test_a_clause_with_a_known_misconception_is_one_wrong_claim_not_two() -> None:
    """The hand-written misconception says precisely what is wrong; the same clause is not
    also counted, and charged, as a contradiction of the model answer."""
    answer = (
        "When the downstream keeps failing, the circuit breaker closes so no more requests "
        "go through, and after a cool-down it opens again."
    )
    result = score_answer(BANK.questions["service-resilience-patterns"], answer)
    assert [hit.claim for hit in result.misconceptions] == [
        "A circuit breaker closes when the dependency fails and opens to let traffic through."
    ]
    assert result.score < 35


def test_the_feedback_says_how_the_answer_contradicts_the_model() -> None:
    answer = "To avoid deadlocks, acquire locks in random order."
    result = score_answer(model_answer_only("race-conditions-deadlocks"), answer)
    said = [hit.correction for hit in contradiction_hits(result)]
    assert said and said[0].startswith("Your answer says 'random' where the model answer says")


def test_no_model_answer_contradicts_itself() -> None:
    for question in BANK.questions.values():
        result = score_answer(question, question.model_answer)
        assert not contradiction_hits(result)


def test_saying_both_sides_is_not_a_contradiction() -> None:
    question = BANK.questions["service-resilience-patterns"]
    answer = (
        "A circuit breaker is closed while calls succeed; after repeated failures it opens and "
        "calls fail fast, then it goes half-open and closes again if trial calls succeed."
    )
    result = score_answer(question, answer)
    assert not contradiction_hits(result)


@pytest.mark.parametrize(
    ("answer", "contradicts"),
    [
        # "after the write" reads backwards: write, then delete, as the model answer has it.
        ("When something is updated I delete the key right after the database write.", False),
        # A comparison is no order of steps: "safer than" against "update, then delete".
        ("On a write I update the database first and then delete the cache key.", False),
        ("On a write I delete the cache key first and then update the database.", True),
    ],
)
def test_order_words_are_compared_by_kind(answer: str, contradicts: bool) -> None:
    result = score_answer(model_answer_only("cache-invalidation-stampede"), answer)
    said = contradiction_hits(result)
    assert bool(said) == contradicts, said


def test_a_wrong_claim_caps_an_otherwise_strong_answer() -> None:
    question = BANK.questions["service-resilience-patterns"]
    wrong = " When the downstream keeps failing, the circuit breaker closes so no requests pass."
    assert score_answer(question, question.model_answer).score >= 80
    result = score_answer(question, question.model_answer + wrong)
    assert result.misconceptions
    assert result.score <= 60


def test_layering_over_is_no_reversed_order() -> None:
    """ "HTTP/3 runs over QUIC" against the model's "QUIC over UDP for HTTP/3" (bank7)."""
    answer = (
        "Next the browser opens a TCP connection with the SYN, SYN-ACK, ACK handshake, unless "
        "it's HTTP/3, which runs over QUIC on UDP."
    )
    result = score_answer(model_answer_only("url-to-page-load"), answer)
    assert not contradiction_hits(result)


def test_denying_a_prevention_is_no_negation() -> None:
    """ "doesn't stop a simple request from reaching the server" says that it reaches it, so the
    misconception "a simple request never reaches the server" is not stated (bank7)."""
    answer = (
        "CORS isn't server-side access control: it doesn't stop a simple request from reaching "
        "the server, which is why CSRF is a separate problem; the browser only hides the response."
    )
    result = score_answer(BANK.questions["cors-and-preflight"], answer)
    assert not result.misconceptions
    wrong = "The same-origin policy means a simple request never reaches the server."
    assert score_answer(BANK.questions["cors-and-preflight"], wrong).misconceptions
