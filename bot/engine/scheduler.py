"""One scheduler loop per process: it sleeps until the earliest moment a job has work, runs
what is due, and sleeps again. Nothing polls: a change (a new schedule, a reminder turned on)
pokes the loop so it recomputes its wake-up time.

What is due is always read from the database, so the loop needs no state of its own to
survive a restart. Which guilds this process serves is one predicate (`owns`), so a sharded
deployment can post only where it owns the guild; `None` stands for DMs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot.engine.clock import Clock
from bot.observability import log_context

log = logging.getLogger(__name__)

Owns = Callable[[int | None], bool]
# Sleep at most this long even with nothing due: a safety net, not a polling interval.
MAX_SLEEP = timedelta(hours=6)
RETRY_AFTER = timedelta(minutes=1)  # after a job failed (say, the database was down)


def owns_everything(guild_id: int | None) -> bool:
    """The default: one process serves every guild and every DM."""
    return True


class Job(Protocol):
    name: str

    async def run_due(self, now: datetime) -> None: ...

    async def next_due(self, now: datetime) -> datetime | None: ...


class Scheduler:
    def __init__(self, clock: Clock, owns: Owns = owns_everything) -> None:
        self.clock = clock
        self.owns = owns
        self.jobs: list[Job] = []
        self.wakeups = 0  # how often the loop woke (tests check it does not poll)
        self._poked = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def add(self, job: Job) -> None:
        self.jobs.append(job)
        self.poke()

    def poke(self) -> None:
        """Something changed: look again at what is due and when."""
        self._poked.set()

    def start(self) -> None:
        """Start the loop once; reconnects and repeated READY events do nothing."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="scheduler")

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> datetime:
        """Run every job's due work now; return when the next one falls due."""
        wake = self.clock() + MAX_SLEEP
        for job in list(self.jobs):
            try:
                with log_context(None, f"job:{job.name}"):
                    await job.run_due(self.clock())
                    moment = await job.next_due(self.clock())
            except Exception:
                log.exception("scheduled job %s failed", job.name)
                moment = self.clock() + RETRY_AFTER
            if moment is not None:
                wake = min(wake, moment)
        return wake

    async def _loop(self) -> None:
        while True:
            self._poked.clear()
            wake = await self.run_once()
            self.wakeups += 1
            await self._sleep_until(wake)

    async def _sleep_until(self, wake: datetime) -> None:
        if self._poked.is_set():
            return
        sleeper = asyncio.create_task(self.clock.sleep_until(wake))
        poked = asyncio.create_task(self._poked.wait())
        try:
            await asyncio.wait({sleeper, poked}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, poked):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
