"""`make bench`: scoring latency, a naive difflib matcher for comparison, and how many
answers per second the engine persists on SQLite. Figures go in the README."""

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
from bot.engine.interview import InterviewService
from bot.engine.rounds import RoundService
from bot.engine.users import UserService
from questions.loader import default_bank
from questions.model import Concept, Question
from questions.scoring import compile_rubric, score_answer
from storage.database import Database
from storage.repositories import GuildRepository
from tests.benchmarks import judgement

ANSWER_WORDS = 300
CONCEPTS = 12
RUNS = 2000
DIFFLIB_RUNS = 20
PERSIST_ANSWERS = 300


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


def summarize(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{label:<44} median {statistics.median(ordered):8.3f} ms   p99 {p99:8.3f} ms"


async def persisted_answers_per_second(directory: Path) -> tuple[float, int]:
    database = Database(f"sqlite+aiosqlite:///{directory / 'bench.db'}")
    await database.open()
    try:
        bank = default_bank()
        service = InterviewService(database, bank)
        user = await service.local_user("bench")
        answers = answers_of(120, 20)
        for question in bank.questions.values():
            compile_rubric(question)  # once per process in production too; not storage time
        done = 0
        start = time.perf_counter()
        while done < PERSIST_ANSWERS:
            view = await service.start(user, count=min(25, len(bank.questions)))
            while view.active and done < PERSIST_ANSWERS:
                feedback = await service.submit(view.session_id, user, answers[done % 20])
                view = feedback.next
                done += 1
        elapsed = time.perf_counter() - start
    finally:
        await database.close()
    return done / elapsed, done


async def round_burst(
    directory: Path, participants: int = 50, runs: int = 5
) -> tuple[list[float], list[float]]:
    """50 participants answer in the same instant; how long the stores and the reveal take."""
    database = Database(f"sqlite+aiosqlite:///{directory / 'rounds.db'}")
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

    with tempfile.TemporaryDirectory() as directory:
        submit_ms, reveal_ms = asyncio.run(round_burst(Path(directory)))
    print(summarize("round burst: 50 answers stored at once", submit_ms))
    print(summarize("round burst: close, score 50, reveal", reveal_ms))

    with tempfile.TemporaryDirectory() as directory:
        rate, count = asyncio.run(persisted_answers_per_second(Path(directory)))
    print(f"{'persisted answers per second (SQLite, WAL)':<44} {rate:8.0f} /s  ({count} answers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
