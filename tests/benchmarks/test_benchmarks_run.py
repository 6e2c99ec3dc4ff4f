"""The benchmark's own building blocks work, so `make bench` cannot rot unnoticed.

Timings are not asserted here: performance figures belong to `make bench`, not to tests.
"""

from pathlib import Path

from storage.config import sqlite_url
from tests.benchmarks import writepath
from tests.benchmarks.__main__ import answers_of, naive_difflib_covered, twelve_concept_question


def test_benchmark_inputs_have_the_advertised_shape() -> None:
    question = twelve_concept_question()
    assert len(question.rubric) == 12
    answers = answers_of(300, 2)
    assert all(len(answer.split()) == 300 for answer in answers)
    assert answers[0] != answers[1]


def test_naive_matcher_finds_an_exact_phrase() -> None:
    question = twelve_concept_question()
    concept = question.rubric[0]
    covered = naive_difflib_covered(question, f"we would use {concept.phrases[0]} here")
    assert concept.name in covered


def test_the_judgement_rows_measure_something() -> None:
    from tests.benchmarks.judgement import first_question_seconds, model_cost

    seconds, megabytes = model_cost()
    assert seconds > 0 and megabytes > 1  # the vectors really were loaded
    samples = first_question_seconds()
    assert len(samples) == 5 and all(s > 0 for s in samples)


async def test_the_write_path_run_stores_every_answer_it_counts(tmp_path: Path) -> None:
    answers = answers_of(40, 3)
    url = sqlite_url(tmp_path / "bench.db")
    run = await writepath.submitters(
        url, answers, count=5, seconds=0.3, prescored=writepath.prescorer(answers)
    )
    assert run.answers > 0 and run.stored == run.answers == len(run.latencies_ms)
    plan = await writepath.floor_plan(url, 1, 0.05)
    assert writepath.sqlite_floor(str(tmp_path / "bench.db"), plan, answers, 0.05) > 0
