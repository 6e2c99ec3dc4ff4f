"""`make bench`: scoring latency, a naive difflib matcher for comparison, and the answer write
path under a crowd beside a raw-driver floor (writepath.py). Figures go in the README."""

from __future__ import annotations

import asyncio
import difflib
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.engine.chart import render_progress_chart
from bot.engine.rounds import RoundService
from bot.engine.users import UserService
from questions.loader import default_bank
from questions.model import Concept, Question
from questions.scoring import compile_rubric, score_answer
from storage.config import sqlite_url
from storage.database import Database
from storage.repositories import GuildRepository
from tests.benchmarks import judgement, writepath

ANSWER_WORDS = 300
CONCEPTS = 12
RUNS = 2000
DIFFLIB_RUNS = 20


def twelve_concept_question() -> Question:
    """A shipped question, topped up to 12 concepts from other questions' rubrics."""
    bank = default_bank()
    base = max(bank.questions.values(), key=lambda q: len(q.rubric))
    concepts: list[Concept] = list(base.rubric)
    for other in bank.questions.values():
        for concept in other.rubric:
            if len(concepts) >= CONCEPTS:
                break
            if all(c.name != concept.name for c in concepts):
                concepts.append(concept)
    return replace(base, id="bench-12", rubric=tuple(concepts[:CONCEPTS]))


def answers_of(words: int, count: int, seed: int = 7) -> list[str]:
    """Answer-like texts: model-answer sentences shuffled, with a typo here and there."""
    rng = random.Random(seed)
    pool = " ".join(q.model_answer for q in default_bank().questions.values()).split()
    answers = []
    for _ in range(count):
        start = rng.randrange(0, len(pool) - words)
        chosen = pool[start : start + words]
        for _typo in range(3):
            i = rng.randrange(words)
            word = chosen[i]
            if len(word) > 6:
                j = rng.randrange(1, len(word) - 1)
                chosen[i] = word[:j] + word[j + 1 :]
        answers.append(" ".join(chosen))
    return answers


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def naive_difflib_covered(question: Question, answer: str) -> list[str]:
    """The obvious approach: slide every phrase over the answer's word n-grams."""
    words = answer.lower().split()
    covered = []
    for concept in question.rubric:
        for phrase in concept.phrases:
            target = phrase.lower()
            n = len(target.split())
            grams = (" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
            if any(difflib.SequenceMatcher(None, target, g).ratio() >= 0.85 for g in grams):
                covered.append(concept.name)
                break
    return covered


def row(label: str, value: str, target: str, floor: str = "") -> None:
    print(f"{label:<52} {value:>12}   target {target:<10} {floor}")


async def write_path_table() -> None:
    """The issue's table: the write path under 1 and 50 submitters, beside the raw floor."""
    answers = answers_of(120, 20)
    prescored = writepath.prescorer(answers)
    print("\nWrite path (InterviewService.submit, group commit; 4 s per run)")
    with tempfile.TemporaryDirectory() as directory:
        url = sqlite_url(Path(directory) / "bench.db")
        crowd = await writepath.submitters(url, answers, count=50, seconds=4, prescored=prescored)
        plan = await writepath.floor_plan(url, 1, 2)
        floor = writepath.sqlite_floor(str(Path(directory) / "bench.db"), plan, answers, 2)
        row(
            "persisted answers/s, SQLite, 50 submitters",
            f"{crowd.rate:,.0f} /s",
            ">= 2,000",
            f"raw sqlite3 floor {floor:,.0f} /s; {crowd.stored}/{crowd.answers} stored",
        )
    postgres = await writepath.throwaway_postgres()
    if postgres is None:
        print("PostgreSQL rows skipped: nothing listens on 127.0.0.1:5432")
    else:
        dsn, drop = postgres
        try:
            url = dsn.replace("postgresql://", "postgresql+asyncpg://")
            crowd = await writepath.submitters(
                url, answers, count=50, seconds=4, prescored=prescored
            )
            plan = await writepath.floor_plan(url, 50, 2)
            floor = await writepath.postgres_floor(dsn, plan, answers, 2, concurrency=50)
            row(
                "persisted answers/s, PostgreSQL, 50 submitters",
                f"{crowd.rate:,.0f} /s",
                ">= 1,500",
                f"raw asyncpg floor {floor:,.0f} /s; {crowd.stored}/{crowd.answers} stored",
            )
        finally:
            await drop()
    with tempfile.TemporaryDirectory() as directory:
        url = sqlite_url(Path(directory) / "bench.db")
        one = await writepath.submitters(url, answers, count=1, seconds=3, prescored=prescored)
        row("submit -> feedback p99, SQLite, 1 submitter", f"{one.p99:.1f} ms", "<= 10 ms")
        many = await writepath.submitters(url, answers, count=50, seconds=3, prescored=prescored)
        row("submit -> feedback p99, SQLite, 50 submitters", f"{many.p99:.1f} ms", "<= 100 ms")
        scored = await writepath.submitters(url, answers, count=50, seconds=3, prescored=None)
        row(
            "  the same with the real scorer (~1 ms/answer)",
            f"{scored.rate:,.0f} /s",
            "-",
            f"p99 {scored.p99:.0f} ms",
        )
        single = await writepath.submitters(url, answers, count=1, seconds=3, prescored=None)
        row("  1 submitter with the real scorer, p99", f"{single.p99:.1f} ms", "-")
        submit_ms, reveal_ms = await round_burst(Path(directory))
    burst = [s + r for s, r in zip(submit_ms, reveal_ms, strict=True)]
    row(
        "50-answer round burst stored + revealed (median)",
        f"{statistics.median(burst):.0f} ms",
        "<= 250 ms",
        f"stored {statistics.median(submit_ms):.0f} ms + revealed "
        f"{statistics.median(reveal_ms):.0f} ms, worst {max(burst):.0f} ms",
    )


def summarize(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{label:<44} median {statistics.median(ordered):8.3f} ms   p99 {p99:8.3f} ms"


async def round_burst(
    directory: Path, participants: int = 50, runs: int = 5
) -> tuple[list[float], list[float]]:
    """50 participants answer in the same instant; how long the stores and the reveal take."""
    database = Database(sqlite_url(directory / "rounds.db"))
    await database.open()
    submit_ms, reveal_ms = [], []
    try:
        bank = default_bank()
        rounds = RoundService(database, bank, rng=random.Random(5))
        answers = answers_of(120, participants)
        async with database.session() as session:
            await GuildRepository(session).ensure(1, "bench")
            await session.commit()
        accounts = UserService(database)
        users = [await accounts.discord_user(10_000 + i, f"user{i}") for i in range(participants)]
        for run in range(runs):
            view = await rounds.create(1, 100 + run, users[0], questions=1, seconds=900)
            for user in users:
                await rounds.join(view.round_id, user)
            view = await rounds.begin(view.round_id)
            started = time.perf_counter()
            await asyncio.gather(
                *(rounds.submit(view.round_id, 0, user, answers[i]) for i, user in enumerate(users))
            )
            submitted = time.perf_counter()
            reveal = await rounds.close_question(view.round_id, 0)
            done = time.perf_counter()
            assert reveal is not None and len(reveal.ranking) == participants
            submit_ms.append(1000 * (submitted - started))
            reveal_ms.append(1000 * (done - submitted))
    finally:
        await database.close()
    return submit_ms, reveal_ms


def main() -> int:
    question = twelve_concept_question()
    phrases = sum(len(c.phrases) for c in question.rubric)
    answers = answers_of(ANSWER_WORDS, 50)
    print(
        f"Rubric: {len(question.rubric)} concepts, {phrases} phrases; answers: {ANSWER_WORDS} words"
    )
    started = time.perf_counter()
    compile_rubric(question)
    compile_ms = 1000 * (time.perf_counter() - started)
    print(f"{'compile the rubric (once per question)':<44} {compile_ms:8.3f} ms")

    cycle = itertools.cycle(answers)
    warm = timed(lambda: score_answer(question, next(cycle)), RUNS)
    print(summarize("score_answer, 300 words x 12 concepts", warm))

    def first_sight() -> None:
        compile_rubric(question)._canonical_cache.clear()
        score_answer(question, next(cycle))

    print(summarize("  ... with the word cache cleared each time", timed(first_sight, RUNS)))
    shipped = list(default_bank().questions.values())
    pairs = itertools.cycle([(q, a) for q in shipped for a in answers[:5]])
    for q, a in itertools.islice(pairs, len(shipped) * 5):
        score_answer(q, a)  # compile every rubric first
    typical = timed(lambda: score_answer(*next(pairs)), RUNS)
    print(summarize(f"score_answer, each of the {len(shipped)} shipped questions", typical))

    naive = timed(lambda: naive_difflib_covered(question, next(cycle)), DIFFLIB_RUNS)
    print(summarize(f"naive difflib matcher ({DIFFLIB_RUNS} runs)", naive))
    speedup = statistics.median(naive) / statistics.median(warm)
    print(f"{'rubric scorer speed-up over difflib':<44} {speedup:8.0f}x")
    judgement.rows(question, answers, timed, summarize)

    rng = random.Random(3)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    history = [(start + timedelta(hours=i), rng.randint(0, 100)) for i in range(500)]
    topics = [(f"topic {i}", rng.uniform(0, 100)) for i in range(12)]
    render_progress_chart(history[:5], topics, title="warm-up")  # loads the fonts once
    charts = timed(lambda: render_progress_chart(history, topics, title="Progress"), 30)
    print(summarize("/progress chart PNG, 500 answers x 12 topics", charts))

    asyncio.run(write_path_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
