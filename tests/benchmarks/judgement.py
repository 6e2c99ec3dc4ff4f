"""`make bench` rows for judging by meaning: derived rubrics, compiling, the model's cost,
and how long the terminal takes to ask its first question."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace

from questions import semantic
from questions.model import Question
from questions.scoring import compile_rubric, score_answer

Timer = Callable[[Callable[[], object], int], list[float]]
Summary = Callable[[str, list[float]], str]
FIRST_QUESTION_RUNS = 5


def model_cost() -> tuple[float, float]:
    """Seconds and megabytes to load the shipped vectors, measured from nothing."""
    semantic._loaded.clear()
    tracemalloc.start()
    started = time.perf_counter()
    semantic.embedder()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


def first_question_seconds() -> list[float]:
    """`interview-bot practice` from launch to the first question on screen, on SQLite."""
    home = tempfile.mkdtemp()
    env = {**os.environ, "INTERVIEW_BOT_HOME": home}
    command = [sys.executable, "-m", "bot"]
    subprocess.run([*command, "db", "upgrade"], env=env, capture_output=True, check=True)
    samples = []
    for _ in range(FIRST_QUESTION_RUNS):
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, "practice", "--new"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert process.stdout is not None and process.stdin is not None
        seen = ""
        while "Question 1 of" not in seen and (char := process.stdout.read(1)):
            seen += char
        while not seen.endswith("\n") and (char := process.stdout.read(1)):
            seen += char
        samples.append(time.perf_counter() - started)
        process.communicate(":quit\n", timeout=30)
    return samples


def rows(question: Question, answers: list[str], timed: Timer, summarize: Summary) -> None:
    seconds, megabytes = model_cost()
    print(f"{'load the semantic vectors (once a process)':<44} {1000 * seconds:8.1f} ms")
    print(f"{'  ... memory they add':<44} {megabytes:8.1f} MB")
    derived = replace(question, id="bench-derived", rubric=())
    cycle = itertools.cycle(answers)
    samples = []
    for index in range(50):  # a new question each time: derive, compile, embed its sentences
        fresh = replace(derived, id=f"bench-derived-{index}")
        started = time.perf_counter()
        compile_rubric(fresh)
        score_answer(fresh, next(cycle))
        samples.append(1000 * (time.perf_counter() - started))
    print(summarize("compile a new question (derived) + 1st answer", samples))
    concepts = len(compile_rubric(derived).concepts)
    print(
        summarize(
            f"score_answer, derived rubric ({concepts} concepts)",
            timed(lambda: score_answer(derived, next(cycle)), 1000),
        )
    )
    first = first_question_seconds()
    first.sort()
    print(f"{'practice: launch to first question':<44} median {first[len(first) // 2]:6.2f} s")
