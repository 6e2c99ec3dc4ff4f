"""Errors that storage raises for conditions a person running the bot can fix."""

from __future__ import annotations


class StorageError(Exception):
    """A storage failure whose str() is one line fit to show the user.

    Callers print it and exit rather than dumping a traceback: the cause is nearly always
    the environment (a bad URL, an unwritable path, a server that is down), not the code.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class ConflictError(StorageError):
    """A write clashed with existing data, e.g. a duplicate custom question id."""
