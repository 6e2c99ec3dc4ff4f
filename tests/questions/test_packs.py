"""Every shipped pack is valid, and every shipped rubric tells good answers from bad ones."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from questions.loader import default_bank, load_pack, shipped_pack_paths
from questions.scoring import score_answer

DATA = Path(__file__).parents[1] / "data"
ARTICLE_IDS = [
    "auth-web-services",
    "microservices-pros-cons",
    "sql-vs-nosql",
    "restful-api-design",
    "handling-huge-traffic",
]
BANK = default_bank()


@pytest.mark.parametrize("path", shipped_pack_paths(), ids=lambda p: p.name)
def test_shipped_pack_is_valid(path: Path) -> None:
    pack = load_pack(path)
    assert pack.id == path.stem
    assert pack.questions


def test_article_pack_has_the_five_questions_in_order() -> None:
    pack = BANK.packs["backend-basics"]
    assert [q.id for q in pack.questions] == ARTICLE_IDS


def test_bank_goes_well_beyond_the_article() -> None:
    others = [q for q in BANK.questions.values() if q.pack != "backend-basics"]
    assert len(others) >= 25
    topics = {q.topic for q in others}
    for topic in (
        "caching",
        "databases",
        "messaging",
        "http",
        "security",
        "concurrency",
        "distributed-systems",
        "observability",
        "system-design",
    ):
        assert topic in topics


def test_every_question_has_what_feedback_needs() -> None:
    for question in BANK.questions.values():
        assert 5 <= len(question.rubric) <= 12, question.id
        assert any(c.required for c in question.rubric), question.id
        assert question.tips and question.model_answer and question.source, question.id
        assert question.hint(0), question.id


@pytest.mark.parametrize("question_id", sorted(BANK.questions))
def test_model_answer_scores_strong_and_a_copied_prompt_scores_weak(question_id: str) -> None:
    question = BANK.questions[question_id]
    model = score_answer(question, question.model_answer)
    assert model.band == "strong", [c.name for c in model.missed]
    assert model.misconceptions == ()
    assert score_answer(question, question.prompt).band == "weak"


def _sample_rows() -> dict[str, dict[str, list[str]]]:
    rows: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(DATA.glob("sample-answers-*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows[row["question_id"]][row["expected"]].append(row["answer"])
    return rows


SAMPLES = _sample_rows()


def test_sample_answers_cover_every_question_outside_the_article() -> None:
    others = {q.id for q in BANK.questions.values() if q.pack != "backend-basics"}
    assert others <= set(SAMPLES)


@pytest.mark.parametrize("question_id", sorted(SAMPLES))
def test_strong_beats_partial_beats_weak(question_id: str) -> None:
    question = BANK.questions[question_id]
    by_label = SAMPLES[question_id]

    def scores(label: str) -> list[int]:
        return [score_answer(question, answer).score for answer in by_label[label]]

    strong, partial, weak = scores("strong"), scores("partial"), scores("weak")
    assert min(strong) > max(partial) > max(weak), (strong, partial, weak)
    assert min(strong) >= 60
    assert max(weak) < 35
