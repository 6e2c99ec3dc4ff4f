"""Dismissals of what the model answer states, on questions with a derived rubric."""

from __future__ import annotations

from dataclasses import replace

import pytest

from questions.model import Concept, Question
from questions.scoring import CONTRADICTION_CLAIM, score_answer

WEBHOOKS = Question(
    id="dismissal-webhooks",
    topic="apis",
    difficulty="medium",
    prompt="How would you make webhook delivery reliable?",
    model_answer=(
        "The sender retries failed deliveries with exponential backoff, so a receiver may get "
        "the same event more than once. Receivers must deduplicate by the event id before "
        "acting on an event. A single idempotent upsert does not need a lock. Hedged "
        "deliveries to a second endpoint cut tail latency."
    ),
    tips=("Say why duplicates happen.",),
    source="test",
)


def corrections(answer: str) -> list[str]:
    result = score_answer(WEBHOOKS, answer)
    return [h.correction for h in result.misconceptions if h.claim == CONTRADICTION_CLAIM]


@pytest.mark.parametrize(
    "answer",
    [
        "The sender retries with backoff, but receivers don't need to deduplicate the event id.",
        "Deduplicating by the event id isn't really a concern for receivers.",
        "Deduplicating on the event id in receivers is overkill.",
    ],
)
def test_a_dismissed_step_is_a_wrong_claim_corrected_by_its_sentence(answer: str) -> None:
    assert any("must deduplicate by the event id" in c for c in corrections(answer))


def test_one_shared_term_is_enough_to_dismiss_a_step() -> None:
    """ "Backoff is not necessary" names one term of its model sentence, and waves it away."""
    assert any("exponential backoff" in c for c in corrections("Backoff is not necessary."))


def test_an_aim_never_to_need_something_is_no_dismissal() -> None:
    """ "I try never to need a v2" (a strong answer of the fifth blind set) is a goal."""
    assert corrections("I try never to need retries with backoff.") == []
    assert corrections("Retries with backoff are never needed.")


def test_the_case_a_step_suits_is_no_dismissal() -> None:
    """ "Async where the caller doesn't need the result" (two strong bank answers) says when a
    step fits; the same words as a statement dismiss it."""
    assert corrections("Use backoff where the sender doesn't need an answer at once.") == []
    assert corrections("The sender doesn't need backoff between retries.")


def test_hedging_dismissed_is_corrected() -> None:
    answer = "Hedged deliveries to a second endpoint are a bad idea for tail latency."
    assert any("Hedged deliveries" in c for c in corrections(answer))


def test_a_dismissal_the_model_answer_makes_itself_is_right() -> None:
    assert corrections("You don't need a lock for a single idempotent upsert.") == []


def test_a_dismissal_of_something_the_model_answer_never_discusses_is_left_alone() -> None:
    assert corrections("You don't need a message broker for webhooks.") == []


def test_the_step_stated_plainly_is_no_dismissal() -> None:
    assert corrections("Receivers must deduplicate by the event id, since retries repeat it.") == []


def test_a_negation_describing_which_things_is_no_dismissal() -> None:
    answer = "Receivers deduplicate by the event id, and drop the events that don't need acting on."
    assert corrections(answer) == []
    assert corrections("Receivers don't need to deduplicate by the event id.") != []


def test_dismissals_are_judged_only_where_no_rubric_was_written() -> None:
    """A written rubric's misconceptions are the precise cases there, as for overclaims."""
    written = replace(
        WEBHOOKS,
        id="dismissal-webhooks-written",
        rubric=(Concept(name="Deduplication", phrases=("deduplicate by the event id",)),),
    )
    answer = "Receivers don't need to deduplicate by the event id."
    result = score_answer(written, answer)
    assert not [h for h in result.misconceptions if h.claim == CONTRADICTION_CLAIM]
    assert corrections(answer)  # the same answer, derived rubric


def test_a_dismissive_word_before_a_noun_describes_it() -> None:
    """ "which causes pointless retries" agrees that retries can be needless (blind10)."""
    answer = "Receivers that skip deduplicating by the event id end up acting on pointless repeats."
    assert corrections(answer) == []
    assert corrections("Deduplicating by the event id in receivers is pointless work.") != []
