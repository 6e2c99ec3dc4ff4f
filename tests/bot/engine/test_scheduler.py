"""The scheduler loop sleeps until the next due moment on the injected clock; it never polls."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.engine.clock import ManualClock
from bot.engine.scheduler import MAX_SLEEP, Scheduler


class FakeJob:
    name = "fake"

    def __init__(self, clock: ManualClock, moments: list[datetime]) -> None:
        self.clock = clock
        self.moments = moments
        self.ran: list[datetime] = []
        self.fail = False

    async def run_due(self, now: datetime) -> None:
        if self.fail:
            raise RuntimeError("database down")
        while self.moments and self.moments[0] <= now:
            self.ran.append(self.moments.pop(0))

    async def next_due(self, now: datetime) -> datetime | None:
        return self.moments[0] if self.moments else None


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_the_loop_wakes_at_each_due_moment_and_not_in_between() -> None:
    clock = ManualClock()
    first, second = clock.now + timedelta(hours=2), clock.now + timedelta(hours=26)
    job = FakeJob(clock, [first, second])
    scheduler = Scheduler(clock)
    scheduler.add(job)
    scheduler.start()
    try:
        await settle()
        woken = scheduler.wakeups
        await clock.advance(2 * 3600 - 1)
        assert job.ran == [] and scheduler.wakeups == woken  # no polling meanwhile
        await clock.advance(1)
        await settle()
        assert job.ran == [first]
        await clock.advance(24 * 3600)
        await settle()
        assert job.ran == [first, second]
    finally:
        await scheduler.close()
    assert not scheduler.running


async def test_a_poke_recomputes_and_a_failure_retries_later(caplog: object) -> None:
    clock = ManualClock()
    job = FakeJob(clock, [])
    scheduler = Scheduler(clock)
    scheduler.add(job)
    scheduler.start()
    try:
        await settle()
        job.moments.append(clock.now + timedelta(minutes=5))
        scheduler.poke()  # a new schedule: the loop must not sleep the full MAX_SLEEP
        await settle()
        await clock.advance(300)
        await settle()
        assert len(job.ran) == 1
        job.fail = True
        job.moments.append(clock.now + timedelta(minutes=1))
        scheduler.poke()
        await settle()
        job.fail = False
        await clock.advance(60)  # the retry after a failure
        await settle()
        assert len(job.ran) == 2
    finally:
        await scheduler.close()


async def test_with_nothing_due_it_sleeps_the_safety_interval() -> None:
    clock = ManualClock()
    scheduler = Scheduler(clock)
    assert await scheduler.run_once() == clock.now + MAX_SLEEP
