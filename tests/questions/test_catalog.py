from __future__ import annotations

import threading
from dataclasses import replace
from importlib import resources

import pytest
import yaml

from questions import catalog
from questions.loader import default_bank
from questions.model import Question
from questions.rubric import compile_rubric
from questions.scoring import score_answer
from questions.text import words

SHIPPED = yaml.safe_load(
    resources.files("questions").joinpath("data", catalog.CATALOG).read_text(encoding="utf-8")
)

BTREE = Question(
    id="btree-demo",
    topic="databases",
    difficulty="medium",
    prompt="How does a B-tree index speed up lookups in a relational database?",
    model_answer=(
        "A B-tree index keeps keys sorted in wide pages, so a lookup walks from the root to a "
        "leaf in a few page reads, O(log n), and the sorted leaves also serve range scans."
    ),
    tips=("Say why the tree is wide.",),
    source="test",
)
(BELIEF,) = catalog.parse(
    [
        {
            "terms": ["b-tree"],
            "claim": "A B-tree lookup takes constant time.",
            "correction": "A B-tree lookup walks root to leaf: O(log n).",
            "phrases": ["b-tree lookup constant time"],
        }
    ]
)


def caught(entry: catalog.Entry, example: str) -> bool:
    """Whether the example states the entry's claim, scored as on a question naming it."""
    question = Question(
        id="catalog-probe",
        topic="probe",
        difficulty="easy",
        prompt="Tell me about " + ", ".join(" ".join(sorted(t)) for t in entry.terms) + ".",
        model_answer="It depends.",
        tips=("Explain.",),
        source="test",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalog, "entries", lambda: (entry,))
        hits = score_answer(question, example).misconceptions
    return any(hit.claim == entry.misconception.claim for hit in hits)


def test_the_shipped_catalog_loads_and_every_example_is_caught() -> None:
    entries = catalog.entries()
    assert len(entries) == len(SHIPPED) >= 100
    for item, entry in zip(SHIPPED, entries, strict=True):
        assert entry.terms, item["claim"]
        for example in item["examples"]:
            assert caught(entry, example), (item["claim"], example)


def test_every_catalog_phrase_says_something_specific() -> None:
    # Checked on every question that names a term, so two words ("base64 encrypts") are too
    # few: they fire on right answers that mention both.
    for item in SHIPPED:
        for phrase in item["phrases"]:
            content = [w for w in words(phrase) if not w.is_stopword]
            assert len(content) >= 3, (item["claim"], phrase)


def test_no_catalog_entry_fires_on_a_shipped_model_answer() -> None:
    for question in default_bank().questions.values():
        result = score_answer(question, question.model_answer)
        claims = {m.claim for m in question.misconceptions}
        assert all(hit.claim in claims for hit in result.misconceptions), question.id


def test_an_entry_applies_only_to_questions_that_name_its_terms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(catalog, "entries", lambda: (BELIEF,))
    assert catalog.relevant(BTREE) == (BELIEF.misconception,)
    other = replace(BTREE, id="dns", prompt="How does DNS resolve a name?", model_answer="...")
    assert catalog.relevant(other) == ()
    own = replace(BTREE, misconceptions=(BELIEF.misconception,))
    assert catalog.relevant(own) == ()  # already the question's own


def test_a_catalog_belief_is_caught_on_a_question_without_a_rubric(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(catalog, "entries", lambda: (BELIEF,))
    question = replace(BTREE, id="btree-demo-catalog")
    wrong = score_answer(question, BTREE.model_answer + " So a B-tree lookup is constant time.")
    assert [hit.claim for hit in wrong.misconceptions] == ["A B-tree lookup takes constant time."]
    assert wrong.misconceptions[0].correction.startswith("A B-tree lookup walks")
    assert score_answer(question, BTREE.model_answer).misconceptions == ()


def test_a_belief_the_model_answer_states_is_dropped_for_that_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(catalog, "entries", lambda: (BELIEF,))
    odd = replace(
        BTREE,
        id="btree-demo-odd",
        model_answer=BTREE.model_answer + " A B-tree lookup in memory is nearly constant time.",
    )
    assert compile_rubric(odd).misconceptions == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"terms": ["x"]}, "expected a list"),
        (["text"], "entry 1: expected a mapping"),
        ([{"terms": ["tcp"], "claim": "c", "correction": "d"}], "entry 1: missing phrases"),
        (
            [{"terms": "tcp", "claim": "c", "correction": "d", "phrases": ["a b"]}],
            "terms must be a list",
        ),
        (
            [{"terms": ["tcp"], "claim": "c", "correction": "d", "phrases": [3]}],
            "phrases must be a list of strings",
        ),
    ],
)
def test_a_malformed_catalog_is_reported_with_where(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        catalog.parse(data, "misconceptions.yaml")


def test_two_catalog_wordings_of_one_belief_count_once(monkeypatch: pytest.MonkeyPatch) -> None:
    twin = catalog.parse(
        [
            {
                "terms": ["b-tree"],
                "claim": "B-tree lookups are O(1).",
                "correction": "They are O(log n).",
                "phrases": ["b-tree lookup constant"],
            }
        ]
    )
    monkeypatch.setattr(catalog, "entries", lambda: (BELIEF, *twin))
    question = replace(BTREE, id="btree-demo-twins")
    result = score_answer(question, BTREE.model_answer + " A B-tree lookup is constant time.")
    assert len(result.misconceptions) == 1


def test_warm_up_loads_the_catalog_in_the_background() -> None:
    catalog.entries.cache_clear()
    catalog.warm_up()
    for thread in threading.enumerate():
        if thread.name == "catalog-warm-up":
            thread.join(timeout=10)
    assert catalog.entries.cache_info().currsize == 1


def test_false_positives_is_a_term_not_a_debunking(monkeypatch: pytest.MonkeyPatch) -> None:
    (bloom,) = catalog.parse(
        [
            {
                "terms": ["bloom"],
                "claim": "A Bloom filter can miss keys that are present.",
                "correction": "A Bloom filter never misses a present key.",
                "phrases": ["bloom filter misses keys present"],
            }
        ]
    )
    monkeypatch.setattr(catalog, "entries", lambda: (bloom,))
    question = replace(BTREE, id="bloom-demo", prompt="What does a Bloom filter do?")
    stated = "A Bloom filter misses keys that are present, which are its false negatives."
    assert len(score_answer(question, stated).misconceptions) == 1
    debunked = "It is wrong that a Bloom filter misses keys that are present."
    assert score_answer(question, debunked).misconceptions == ()


def test_every_catalog_phrase_says_more_than_its_entry_terms() -> None:
    # "load shedding just rate limiting" is "load shedding … rate limiting" once "just" is
    # dropped as a small word: it fired on a strong answer naming both (fifth bank set).
    for item in SHIPPED:
        terms = set().union(*(catalog._stems(term) for term in item["terms"]))
        for phrase in item["phrases"]:
            content = {w.stem for w in words(phrase) if not w.is_stopword}
            assert not content <= terms, (item["claim"], phrase)
