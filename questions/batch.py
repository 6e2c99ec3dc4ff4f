"""Batch grading of CSV rows, so admins can dry-run a rubric against sample answers.

A row names a shipped question by `question_id`, or brings its own `question` and
`reference_answer` (scored with the auto-rubric). A bad row gets an `error` and an empty
score; it never stops the run.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from typing import TextIO

from questions.model import Question, QuestionBank
from questions.scoring import MAX_ANSWER_CHARS, score_answer

ADDED_COLUMNS = ("score", "band", "matched", "missed", "error")
# Large enough for any field a file can hold in memory, small enough for a C long everywhere.
FIELD_SIZE_LIMIT = 2**31 - 1
# The pack schema's limits, so an ad hoc row cannot ask the auto-rubric to digest a novel.
MAX_PROMPT_CHARS = 1000
MAX_REFERENCE_CHARS = 4000


class BatchInputError(ValueError):
    """The input as a whole is unusable (no header, no answer column)."""


def _ad_hoc_question(
    prompt: str, reference: str, cache: dict[tuple[str, str], Question]
) -> Question:
    key = (prompt, reference)
    if key not in cache:
        cache[key] = Question(
            id=f"adhoc-{len(cache) + 1}",
            topic="adhoc",
            difficulty="medium",
            prompt=prompt,
            model_answer=reference,
            tips=(),
            source="batch input",
        )
    return cache[key]


def _too_long(label: str, text: str, limit: int) -> str | None:
    return (
        f"{label} is {len(text):,} characters; the limit is {limit:,}"
        if len(text) > limit
        else None
    )


def _answer_problem(answer: str) -> str | None:
    """Why an answer cannot be scored, worded for a spreadsheet cell rather than a chat."""
    stripped = answer.strip()
    if not stripped:
        return "the answer is empty"
    return _too_long("the answer", stripped, MAX_ANSWER_CHARS)


def grade_rows(
    rows: Iterable[Mapping[str, str | None]], bank: QuestionBank
) -> Iterator[dict[str, str]]:
    """Yield each input row with the grading columns added."""
    ad_hoc: dict[tuple[str, str], Question] = {}
    for row in rows:
        out = {key: value or "" for key, value in row.items() if key is not None}
        out.update(dict.fromkeys(ADDED_COLUMNS, ""))
        question_id = (row.get("question_id") or "").strip()
        prompt = (row.get("question") or "").strip()
        reference = (row.get("reference_answer") or "").strip()
        if question_id:
            question = bank.get(question_id)
            if question is None:
                out["error"] = f"unknown question_id '{question_id}'"
                yield out
                continue
        elif prompt and reference:
            problem = _too_long("the question", prompt, MAX_PROMPT_CHARS) or _too_long(
                "the reference_answer", reference, MAX_REFERENCE_CHARS
            )
            if problem:
                out["error"] = problem
                yield out
                continue
            question = _ad_hoc_question(prompt, reference, ad_hoc)
        else:
            out["error"] = "needs question_id, or both question and reference_answer"
            yield out
            continue
        answer = row.get("answer") or ""
        problem = _answer_problem(answer)
        if problem:
            out["error"] = problem
            yield out
            continue
        result = score_answer(question, answer)
        out["score"] = str(result.score)
        out["band"] = result.band
        out["matched"] = "; ".join(c.name for c in result.covered)
        out["missed"] = "; ".join(c.name for c in result.missed)
        yield out


def grade_csv(source: TextIO, target: TextIO, bank: QuestionBank) -> tuple[int, int]:
    """Grade a CSV stream into another; returns (rows graded, rows with an error)."""
    default_limit = csv.field_size_limit(FIELD_SIZE_LIMIT)
    try:
        return _grade(csv.DictReader(source), target, bank)
    finally:
        csv.field_size_limit(default_limit)  # the limit is process-wide: leave it as found


def _grade(reader: csv.DictReader[str], target: TextIO, bank: QuestionBank) -> tuple[int, int]:
    graded = errors = 0
    try:
        if not reader.fieldnames:
            raise BatchInputError("the input has no header row")
        if "answer" not in reader.fieldnames:
            raise BatchInputError(
                "the input needs an 'answer' column (found: " + ", ".join(reader.fieldnames) + ")"
            )
        columns = list(reader.fieldnames)
        columns += [c for c in ADDED_COLUMNS if c not in reader.fieldnames]
        writer = csv.DictWriter(target, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for out in grade_rows(reader, bank):
            writer.writerow(out)
            graded += 1
            errors += bool(out["error"])
    except csv.Error as exc:
        raise BatchInputError(f"line {reader.line_num}: malformed CSV ({exc})") from None
    return graded, errors
