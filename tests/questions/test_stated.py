"""Misconceptions stated in the candidate's own sentence (questions.stated)."""

from __future__ import annotations

import pytest

from questions.loader import default_bank
from questions.scoring import score_answer
from questions.stated import claim_of, stated, told_apart
from questions.structure import Structure
from questions.text import Tokens

BANK = default_bank().questions
REPLICAS = "Read replicas also scale writes."
EXPLAIN = "EXPLAIN ANALYZE only estimates the plan and doesn't run the query."
WRITE_THROUGH = "Write-through writes only to the cache and syncs to the database later."


def claims_hit(question_id: str, answer: str) -> list[str]:
    result = score_answer(BANK[question_id], answer)
    return [hit.claim for hit in result.misconceptions]


def test_the_shipped_claims_used_here_are_still_there() -> None:
    claims = {m.claim for q in BANK.values() for m in q.misconceptions}
    assert {REPLICAS, EXPLAIN, WRITE_THROUGH} <= claims


@pytest.mark.parametrize(
    ("question_id", "answer", "claim"),
    [
        (
            "db-replication-sharding",
            "Read replicas are how you scale writes, so add more of them when the primary is "
            "overloaded.",
            REPLICAS,
        ),
        (
            "n-plus-one-slow-queries",
            "EXPLAIN ANALYZE only estimates the plan without running the query, so it is safe "
            "to use freely on production.",
            EXPLAIN,
        ),
    ],
)
def test_a_claim_in_other_words_around_its_own_is_caught(
    question_id: str, answer: str, claim: str
) -> None:
    """No hand-written phrasing matches these: the words sit too far apart."""
    assert claims_hit(question_id, answer) == [claim]
    assert score_answer(BANK[question_id], answer).score < 20


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # The opposite polarity is the right fact.
        ("db-replication-sharding", "Read replicas do not scale writes; only sharding does."),
        (
            "n-plus-one-slow-queries",
            "EXPLAIN ANALYZE runs the query and reports real timings, unlike plain EXPLAIN, "
            "which only estimates the plan.",
        ),
        # Called a myth: the candidate is debunking it.
        ("db-replication-sharding", "A common myth is that read replicas scale writes."),
        # Named, not stated.
        ("db-replication-sharding", "read replicas, scale, writes"),
    ],
)
def test_denials_debunkings_and_lists_are_left_alone(question_id: str, answer: str) -> None:
    assert claims_hit(question_id, answer) == []


def test_a_claim_of_fewer_than_three_content_words_is_too_vague_to_hold_an_answer_to() -> None:
    assert claim_of("Resharding is easy.") is None
    claim = claim_of(EXPLAIN)
    assert claim is not None and claim.negated
    assert {"explain", "analyz", "estim", "plan", "run", "queri"} <= claim.stems


def test_each_claim_is_reported_once_at_its_first_clause() -> None:
    tokens = Tokens("The replicas will scale the writes. Then the replicas scale the writes again.")
    claim = claim_of("Replicas scale writes.")
    assert stated(tokens, Structure(tokens), [None, claim]) == [(1, 0, 5)]


def test_a_claim_whose_words_spell_its_own_correction_is_left_to_its_phrases() -> None:
    claim = claim_of("In cache-aside, the application writes to the cache and then the database.")
    correction = "In cache-aside the application writes to the database and deletes the key."
    assert told_apart(claim, correction) is None
    # A correction that denies in the same clause is told apart by polarity.
    assert told_apart(claim_of("Read replicas also scale writes."), "Replicas never scale writes.")
    question = default_bank().questions["cache-strategies-read-write"]
    correct = (
        "In cache-aside the application writes to the database and then deletes the cache "
        "key, so the next read reloads it."
    )
    assert not any(
        hit.claim.startswith("In cache-aside, the application writes to the cache")
        for hit in score_answer(question, correct).misconceptions
    )


def test_a_long_claim_may_have_one_word_out_of_its_order() -> None:
    """The issue's own example of a fluent wrong answer, with "database" before "synced"."""
    answer = (
        "Write-through writes only to the cache and the database is synced later in the "
        "background, which keeps writes fast."
    )
    assert claims_hit("cache-strategies-read-write", answer) == [WRITE_THROUGH]
    right = (
        "Write-through writes to the cache and to the database in the same request, so the "
        "cache is never behind; only write-back syncs the database later."
    )
    assert claims_hit("cache-strategies-read-write", right) == []
