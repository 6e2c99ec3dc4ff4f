"""Turn errors the bot only *logs* into test failures.

discord.py catches exceptions from commands, views and modals and just logs them (loggers under
``discord``); without this guard such a bug shows up as a confusing timeout or not at all.
"""

# The public API takes explicit `timeout=` arguments by design (tests read better).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self

DEFAULT_LOGGERS = ("discord", "bot")


@dataclass
class _Expectation:
    pattern: re.Pattern[str]
    required: bool
    seen: int = 0


class ErrorLogGuard(logging.Handler):
    """Collects ERROR+ records of the given loggers; ``check()`` fails on unexpected ones."""

    def __init__(
        self, loggers: Sequence[str] = DEFAULT_LOGGERS, level: int = logging.ERROR
    ) -> None:
        super().__init__(level)
        self.logger_names = tuple(loggers)
        self.records: list[logging.LogRecord] = []
        self._expectations: list[_Expectation] = []
        self._saved_levels: dict[str, int] = {}
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def install(self) -> Self:
        for name in self.logger_names:
            logger = logging.getLogger(name)
            logger.addHandler(self)
            if logger.getEffectiveLevel() > self.level:
                self._saved_levels[name] = logger.level
                logger.setLevel(self.level)
        return self

    def uninstall(self) -> None:
        for name in self.logger_names:
            logging.getLogger(name).removeHandler(self)
        for name, level in self._saved_levels.items():
            logging.getLogger(name).setLevel(level)
        self._saved_levels.clear()

    def __enter__(self) -> Self:
        return self.install()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.uninstall()

    def expect(self, pattern: str | re.Pattern[str], *, required: bool = True) -> None:
        """Allow records whose message or traceback matches ``pattern`` (searched).

        ``required`` also fails the test if no such record was logged.
        """
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        self._expectations.append(_Expectation(compiled, required))

    def text(self, record: logging.LogRecord) -> str:
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self._formatter.formatException(record.exc_info)
        return text

    def _classify(self) -> list[logging.LogRecord]:
        for expectation in self._expectations:
            expectation.seen = 0
        unexpected = []
        for record in self.records:
            text = self.text(record)
            matches = [e for e in self._expectations if e.pattern.search(text)]
            for expectation in matches:
                expectation.seen += 1
            if not matches:
                unexpected.append(record)
        return unexpected

    def unexpected(self) -> list[logging.LogRecord]:
        return self._classify()

    def summary(self) -> list[str]:
        lines = []
        for record in self.records:
            first = f"{record.levelname} {record.name}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                first += f" [{type(error).__name__}: {error}]"
            lines.append(first)
        return lines

    def failure_message(self) -> str | None:
        unexpected = self._classify()
        missing = [e.pattern.pattern for e in self._expectations if e.required and not e.seen]
        if not unexpected and not missing:
            return None
        parts = []
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected error log record(s):")
            parts.extend(self.text(r) for r in unexpected)
        if missing:
            parts.append(f"expected error log record(s) never appeared: {missing}")
        return "\n".join(parts)

    def check(self) -> None:
        message = self.failure_message()
        if message is not None:
            raise AssertionError(message)

    async def wait_for(
        self, pattern: str | re.Pattern[str], timeout: float = 5.0
    ) -> logging.LogRecord:
        """The first record matching ``pattern`` (records may come from other threads)."""
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for record in self.records:
                if compiled.search(self.text(record)):
                    return record
            if loop.time() >= deadline:
                raise TimeoutError(f"no error log record matching {compiled.pattern!r}")
            await asyncio.sleep(0.01)
