"""Wrong claims in the right words, on questions with a derived rubric (a model answer only)."""

from __future__ import annotations

import pytest

from questions.scoring import CONTRADICTION_CLAIM, MisconceptionHit, ScoreResult, score_answer
from tests.questions.test_calibration import (
    ALL_QUESTIONS,
    BANK_QUESTIONS,
    NEW,
    NEW2,
    NEW2_QUESTIONS,
    NEW3_QUESTIONS,
    NEW_QUESTIONS,
    derived,
)

QUESTIONS = {**BANK_QUESTIONS, **NEW_QUESTIONS, **NEW2_QUESTIONS, **NEW3_QUESTIONS}
RIGHT_STYLES = ("strong-prose", "paraphrase", "partial")


def contradiction_hits(result: ScoreResult) -> list[MisconceptionHit]:
    return [h for h in result.misconceptions if h.claim == CONTRADICTION_CLAIM]


def contradictions(question_id: str, answer: str) -> list[str]:
    result = score_answer(derived(QUESTIONS[question_id]), answer)
    return [h.correction for h in contradiction_hits(result)]


@pytest.mark.parametrize(
    ("question_id", "answer", "corrected_by"),
    [
        # A certainty the model answer never claims: "never" where it says "can".
        (
            "saga-pattern",
            "The coordinator holds locks, so other requests never see intermediate states.",
            "other requests can see intermediate states",
        ),
        # "always" where the model answer says "may not".
        (
            "event-sourcing-cqrs",
            "Projections run in the command's transaction, so users always see their writes "
            "immediately.",
            "may not see their own change immediately",
        ),
        # An opening "after" governs a short phrase: the model orders the log before the pages.
        (
            "wal-crash-durability",
            "The database writes the data pages to disk first and then appends a log entry.",
            "appended to a sequential log",
        ),
        # A certainty the model answer never claims, about one of its sentences.
        (
            "realtime-push-options",
            "Any instance can push to any client, so you never need a pub/sub layer when "
            "scaling to multiple servers.",
            "a pub/sub layer such as Redis",
        ),
        (
            "consistent-hashing-cache-nodes",
            "Consistent hashing guarantees every node an exactly equal share of keys.",
            "",
        ),
    ],
)
def test_a_wrong_claim_is_corrected_by_the_model_sentence(
    question_id: str, answer: str, corrected_by: str
) -> None:
    said = contradictions(question_id, answer)
    assert any(corrected_by in correction for correction in said), said


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # The negation denies something else: "by", a noun after "no".
        ("wal-crash-durability", "Recovery is driven by the log, not by the data files."),
        ("password-storage", "Each hash gets its own salt: no rainbow tables."),
        # One neighbour in common is too little to be the same claim.
        ("wal-crash-durability", "Checkpoints mean it doesn't have to replay the entire log."),
        # Certainty hedged, or advice rather than a claim of fact.
        (
            "graceful-shutdown-deploys",
            "The 502s are almost always the endpoint removal race after SIGTERM.",
        ),
        (
            "queue-backpressure",
            "Consumers should pull with a limited prefetch so a worker never holds more than "
            "it can handle.",
        ),
        ("event-sourcing-cqrs", "Events are permanent: event schemas you can never change."),
        # What the candidate always does, or tells one to do: practice, not a claim.
        (
            "cache-invalidation-stampede",
            "I always give every cached entry a TTL so stale data ages out.",
        ),
        (
            "cache-invalidation-stampede",
            "Always give every cached entry a TTL so stale data ages out.",
        ),
        (
            "cache-invalidation-stampede",
            "We always delete the cached key after the database commit.",
        ),
        # "after which" looks back: the model's order, not its reverse (third blind set).
        (
            "optimistic-pessimistic-locking",
            "With FOR UPDATE the second transaction blocks on that row until the first commits, "
            "after which it reads the committed value.",
        ),
        # Both words of an opposite pair in one answer: contrasted, not confused.
        (
            "optimistic-pessimistic-locking",
            "I'd use pessimistic locking for short, hot critical sections. But you can't hold "
            "a database lock while someone sits in an edit form for five minutes, and "
            "long-held locks kill throughput.",
        ),
        # Said with the model answer's own polarity.
        ("saga-pattern", "Other requests can see intermediate states."),
        ("event-sourcing-cqrs", "Read models lag, so users may not see their change at once."),
    ],
)
def test_a_right_claim_is_not_a_contradiction(question_id: str, answer: str) -> None:
    assert not contradictions(question_id, answer)


def test_no_model_answer_contradicts_itself_with_a_derived_rubric() -> None:
    for question in QUESTIONS.values():
        assert not contradictions(question.id, question.model_answer), question.id


def test_right_answers_to_the_new_questions_are_never_contradictions() -> None:
    # Tuned on these rows (README: Calibration): no right answer may lose a clause this way.
    # One partial answer graded 1 is left out: "you always get the correct order of events"
    # is as wrong as the check takes it to be. One partial answer graded 2 does lose a clause:
    # "WebSockets are the best option" is a verdict the model answer never gives (it weighs
    # polling, SSE and WebSockets), and its grader faulted it for "no real basis for choosing".
    rows = [r for r in NEW + NEW2 if r["style"] in RIGHT_STYLES and int(r["grade"]) >= 2]
    assert len(rows) == 59
    fired = [row["id"] for row in rows if contradictions(row["question_id"], row["answer"])]
    assert fired == ["b2-push-03"]


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        (
            "threads-processes-async",
            "Async code never blocks the event loop while waiting for I/O, so one thread can "
            "serve thousands of connections.",
        ),
    ],
)
def test_a_right_absolute_is_no_wrong_claim_where_a_rubric_was_written(
    question_id: str, answer: str
) -> None:
    """Overclaims are judged only on derived rubrics: on these right answers the check would
    fire (it does on the derived rubric), and the written rubric's misconceptions are the
    precise cases."""
    result = score_answer(QUESTIONS[question_id], answer)
    assert not contradiction_hits(result)
    assert contradictions(question_id, answer)  # the known cost on derived rubrics


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # Opposites (push/pull, survives/lost) that the misconception catalog also knows: the
        # catalog's entry explains the clause, and it is one wrong claim, not two.
        (
            "queue-backpressure",
            "Kafka is push-based, so consumers can't control how fast they receive messages.",
        ),
        (
            "wal-crash-durability",
            "Commits return once write() completes, because the page cache survives power loss.",
        ),
    ],
)
def test_a_wrong_claim_the_catalog_knows_is_one_hit(question_id: str, answer: str) -> None:
    result = score_answer(derived(QUESTIONS[question_id]), answer)
    assert len(result.misconceptions) == 1
    assert result.misconceptions[0].claim != CONTRADICTION_CLAIM


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        (
            "db-index-internals",
            "The best candidates for an index are low-cardinality columns such as a boolean "
            "status flag, because the B-tree stays small.",
        ),
        (
            "db-replication-sharding",
            "Shard by time: the best shard key is a timestamp or an auto-increment id, so new "
            "rows spread across the shards.",
        ),
        # A short clause: two terms shared with the model sentence are enough for a verdict.
        ("optimistic-vs-pessimistic-locking", "Optimistic is best for hot rows."),
        ("cache-strategies-read-write", "Write-through is the fastest option for writes."),
        ("kafka-log-vs-rabbitmq-queue", "RabbitMQ is the preferred broker when consumers replay."),
    ],
)
def test_a_verdict_the_model_answer_never_gives_is_wrong_even_with_a_written_rubric(
    question_id: str, answer: str
) -> None:
    result = score_answer(QUESTIONS[question_id], answer)
    assert contradiction_hits(result)


def test_the_best_of_both_is_no_verdict() -> None:
    answer = (
        "Time-ordered ids give the best of both: they sort by creation time and spread "
        "writes because the low bits are random."
    )
    result = score_answer(derived(ALL_QUESTIONS["uuid-vs-sequential-ids"]), answer)
    assert not contradiction_hits(result)


def test_completely_is_no_overclaim() -> None:
    """It fired on a strong answer of the fifth blind set and on no weak answer anywhere."""
    answer = (
        "Parameterized queries keep the SQL and the data completely separate, so user input "
        "is always treated as a value and never executed as code."
    )
    assert not contradictions("sql-injection-prevention", answer)


def test_never_for_always_with_the_opposite_noun_is_no_contradiction() -> None:
    """ "never holds stale data" is "is always fresh" said the other way round (third bank set)."""
    answer = (
        "Write-through writes to the cache and the database at the same time, so the cache "
        "never holds stale data, at the price of slower writes."
    )
    result = score_answer(QUESTIONS["cache-strategies-read-write"], answer)
    assert not contradiction_hits(result)


def test_best_after_a_verb_is_no_verdict() -> None:
    """ "the event loop scaling best to very many connections" (a paraphrase graded 4 of the
    ninth bank set) compares how each does; "the event loop is the best choice" ranks."""
    question = QUESTIONS["threads-processes-async"]

    def hit(answer: str) -> bool:
        return bool(contradiction_hits(score_answer(question, answer)))

    assert not hit("For waiting work, use async, the event loop scaling best to many connections.")
    assert hit("For waiting work, the event loop is the best choice for many connections.")


def test_works_best_is_advice_not_a_verdict() -> None:
    answer = (
        "Logs are discrete events with detail. They work best as structured JSON with "
        "consistent fields, but they are expensive at volume and awkward to aggregate."
    )
    result = score_answer(QUESTIONS["logs-metrics-traces"], answer)
    assert not contradiction_hits(result)


def test_a_possibility_is_no_opposite_claim() -> None:
    """ "you can lose one replica" agrees with "survive one replica being down" (a strong
    answer of the eighth blind set); stated as a fact, the loss contradicts it."""
    question = derived(ALL_QUESTIONS["quorum-read-write-tuning"])

    def said(answer: str) -> list[str]:
        result = score_answer(question, answer)
        return [h.correction for h in contradiction_hits(result)]

    assert not said("With N = 3, W = 2 and R = 2 you can lose one replica and reads still work.")
    assert said("With N = 3, W = 2 and R = 2, reads and writes lose one replica being down.")


def test_an_experience_is_no_overclaim() -> None:
    """ "a backup you've never restored can't be trusted" (a paraphrase of the seventh blind
    set graded 5) reports an experience; it claims nothing about backups always or never."""
    question = derived(ALL_QUESTIONS["backup-rpo-rto-pitr"])
    answer = "Test restores regularly, because a backup you've never restored can't be trusted."
    result = score_answer(question, answer)
    assert not contradiction_hits(result)


def test_a_certainty_bounded_by_only_is_no_overclaim() -> None:
    """ "ordering is guaranteed only within a partition" states a bound (a strong answer of the
    eighth bank set); without "only" the same words claim more than the model answer does."""
    question = derived(ALL_QUESTIONS["kafka-log-vs-rabbitmq-queue"])

    def hit(answer: str) -> bool:
        return bool(contradiction_hits(score_answer(question, answer)))

    assert not hit(
        "Kafka keeps a log per partition, and ordering is guaranteed only within a partition."
    )
    assert hit("Kafka keeps a log per partition, and ordering is guaranteed within a partition.")


def test_sql_put_into_an_input_is_no_reversed_order() -> None:
    """ "Into" is no order word: "puts SQL into an input field" says what "input concatenated
    into SQL" says, from the attacker's side (partial bank answers graded 2-3)."""
    answer = (
        "SQL injection is when an attacker puts SQL code into an input field, like ' OR 1=1 "
        "--, so the query the server builds does something else."
    )
    assert not contradictions("sql-injection-prevention", answer)


def test_a_negation_a_few_words_back_makes_an_opposite_agree() -> None:
    """ "shouldn't write to a database synchronously" agrees with "asynchronously"."""
    answer = (
        "For analytics, the redirect handler shouldn't write to a database synchronously; it "
        "emits a click event to a queue and returns the redirect at once."
    )
    assert not contradictions("design-url-shortener", answer)


def test_a_certainty_in_the_rejected_alternative_is_no_overclaim() -> None:
    """ "support byte ranges instead of always returning the whole body" rejects "always"."""
    question = derived(ALL_QUESTIONS["kafka-log-vs-rabbitmq-queue"])

    def hit(answer: str) -> bool:
        return bool(contradiction_hits(score_answer(question, answer)))

    assert not hit("Consumers track their own offset instead of always reading from the start.")
    assert hit("Consumers always track their own offset and read from the start.")
