from dataclasses import replace

from questions.lint import lint_question
from questions.loader import default_bank
from questions.model import Concept, Misconception, Question

BASE = Question(
    id="lint-demo",
    topic="caching",
    difficulty="easy",
    prompt="Why would you put a cache in front of a database?",
    model_answer=(
        "A cache keeps hot rows in memory, so repeated reads of popular data skip the database "
        "entirely. That cuts latency for users, takes load off the primary, and lets one database "
        "serve far more traffic; the price is deciding how long cached values may stay stale and "
        "invalidating them when the underlying rows change."
    ),
    tips=("Mention invalidation.",),
    source="test",
    rubric=(
        Concept("Memory", ("memory", "ram"), 1, True),
        Concept("Hot rows", ("hot rows",)),
    ),
)


def test_sound_question_has_no_warnings() -> None:
    assert lint_question(BASE) == []


def test_every_shipped_question_is_lint_clean() -> None:
    problems = {q.id: lint_question(q) for q in default_bank().questions.values()}
    assert {qid: warnings for qid, warnings in problems.items() if warnings} == {}


def test_redundant_empty_and_weak_phrases_are_reported() -> None:
    question = replace(
        BASE,
        rubric=(
            Concept("Memory", ("memory", "memories", "the"), 1, True),
            Concept("Freshness", ("stale", "not stale", "all or nothing")),
            Concept("Never", ("never expires",)),
        ),
        misconceptions=(Misconception("Caches are free", ("free",)),),
    )
    warnings = lint_question(question)
    assert any("'memories' matches exactly what 'memory' matches" in w for w in warnings)
    assert any("'the' is a single stop word" in w for w in warnings)
    assert not any("not stale" in w or "all or nothing" in w for w in warnings)
    assert any("phrase 'free' has fewer than two content words" in w for w in warnings)
    assert any("the model answer scores" in w for w in warnings)


def test_model_answer_that_trips_a_misconception_is_reported() -> None:
    question = replace(
        BASE, misconceptions=(Misconception("Hot rows stay", ("repeated reads skip",)),)
    )
    assert any("triggers misconception 'Hot rows stay'" in w for w in lint_question(question))


def test_a_model_answer_short_of_strong_says_what_kept_it_there() -> None:
    thin = replace(
        BASE,
        model_answer="A cache keeps hot rows in memory so repeated reads skip the slow database.",
    )
    assert lint_question(thin) == [
        "the model answer scores 65 (good), not strong: it is thin, 10 content words where "
        "45 earn full depth"
    ]
    missing = replace(
        BASE,
        rubric=(*BASE.rubric, Concept("Eviction", ("lru", "evict"), 2, True)),
    )
    (warning,) = lint_question(missing)
    assert "not strong: missed concepts: Eviction (required)" in warning, warning
    echo = replace(
        BASE,
        prompt="Why would you keep hot rows of a database in a cache?",
        rubric=(BASE.rubric[0], Concept("Hot rows", ("hot rows",), 3)),
    )
    (warning,) = lint_question(echo)
    assert "covered only in the question's own words (half credit): Hot rows" in warning, warning
