"""Pytest fixtures for the fake Discord.

Register from the root conftest with ``pytest_plugins = ["tests.fake_discord.pytest_plugin"]``
(or import the fixtures into a conftest).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from .logguard import ErrorLogGuard
from .server import FakeDiscord


@pytest.fixture
def discord_error_guard() -> Iterator[ErrorLogGuard]:
    """Fails the test at teardown if ``discord``/``bot`` loggers logged ERROR or worse.

    Allow an intended one with ``discord_error_guard.expect("pattern")``.
    """
    with ErrorLogGuard() as guard:
        yield guard
    message = guard.failure_message()
    if message is not None:
        pytest.fail(message, pytrace=False)


@pytest.fixture
async def fake_discord(discord_error_guard: ErrorLogGuard) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord; teardown fails on unhandled routes or fake-internal errors.

    A test that hits an unknown route on purpose clears ``fake.unhandled_requests``.
    """
    fake = FakeDiscord()
    fake.error_guard = discord_error_guard
    async with fake:
        yield fake
    problems = fake.problems()
    if problems:
        pytest.fail("fake Discord problems:\n" + "\n".join(problems), pytrace=False)
