"""What a test holds after injecting an interaction: everything the bot answered to it."""

# The public API takes explicit `timeout=` arguments by design (tests read better).
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import (
    APPLICATION_COMMAND,
    CALLBACK_DEFERRED_MESSAGE,
    CALLBACK_DEFERRED_UPDATE,
    CALLBACK_MESSAGE,
    CALLBACK_UPDATE_MESSAGE,
    CallbackRecord,
    FakeChannel,
    FakeGuild,
    FakeMessage,
    FakeUser,
    JSONDict,
)

if TYPE_CHECKING:
    from .server.waits import Waits


@dataclass(eq=False)
class InteractionHandle:
    """One simulated interaction.

    ``followups`` and ``original`` are live messages (later edits show); ``responses`` hold
    snapshots taken when each callback arrived.
    """

    fake: Waits = field(repr=False)  # the FakeDiscord; it needs only the waiting layer
    id: int
    token: str
    type: int
    user: FakeUser
    channel: FakeChannel
    guild: FakeGuild | None
    payload: JSONDict = field(repr=False)
    created_at: float = 0.0
    source_message: FakeMessage | None = None
    responses: list[CallbackRecord] = field(default_factory=list)
    followups: list[FakeMessage] = field(default_factory=list)
    response_message: FakeMessage | None = None
    modal: JSONDict | None = None
    choices: list[JSONDict] | None = None

    @property
    def response(self) -> CallbackRecord | None:
        return self.responses[0] if self.responses else None

    @property
    def acknowledged(self) -> bool:
        return bool(self.responses)

    @property
    def response_type(self) -> int | None:
        return self.responses[0].type if self.responses else None

    @property
    def deferred(self) -> bool:
        return self.response_type in (CALLBACK_DEFERRED_MESSAGE, CALLBACK_DEFERRED_UPDATE)

    @property
    def is_ephemeral(self) -> bool:
        """Whether the initial response (message or deferred message) is ephemeral."""
        if self.response_type in (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE):
            return self.responses[0].ephemeral
        if self.response_type in (CALLBACK_UPDATE_MESSAGE, CALLBACK_DEFERRED_UPDATE):
            return self.source_message is not None and self.source_message.ephemeral
        return False

    @property
    def original(self) -> FakeMessage | None:
        """What Discord calls @original: the response message, else the component's message."""
        if self.response_message is not None:
            return self.response_message
        if self.response_type in (CALLBACK_UPDATE_MESSAGE, CALLBACK_DEFERRED_UPDATE):
            return self.source_message
        return None

    @property
    def messages(self) -> list[FakeMessage]:
        """The response message and the followups (without duplicates), oldest first."""
        result: list[FakeMessage] = []
        for message in [self.response_message, *self.followups]:
            if message is not None and message not in result:
                result.append(message)
        return result

    @property
    def command_name(self) -> str | None:
        if self.type != APPLICATION_COMMAND:
            return None
        return str(self.payload["data"]["name"])

    def _describe(self, what: str) -> Callable[[], str]:
        return lambda: self.fake.describe_timeout(f"{what} for {self!r}")

    async def wait_response(self, timeout: float = 5.0) -> CallbackRecord:
        """The initial callback (message, defer, update, modal or autocomplete choices)."""
        return await self.fake.notifier.wait_until(
            lambda: self.response,
            timeout=timeout,
            describe=self._describe("initial response"),
        )

    async def wait_followup(self, n: int = 1, timeout: float = 5.0) -> FakeMessage:
        """The ``n``-th followup (1-based)."""
        return await self.fake.notifier.wait_until(
            lambda: self.followups[n - 1] if len(self.followups) >= n else None,
            timeout=timeout,
            describe=self._describe(f"followup #{n}"),
        )

    async def wait_original(
        self,
        predicate: Callable[[FakeMessage], bool] | None = None,
        timeout: float = 5.0,
    ) -> FakeMessage:
        """@original once it is no longer "thinking" (and matches ``predicate``)."""

        def check() -> FakeMessage | None:
            message = self.original
            if message is None or message.loading:
                return None
            if predicate is not None and not predicate(message):
                return None
            return message

        return await self.fake.notifier.wait_until(
            check, timeout=timeout, describe=self._describe("original response")
        )

    async def wait_modal(self, timeout: float = 5.0) -> JSONDict:
        return await self.fake.notifier.wait_until(
            lambda: self.modal, timeout=timeout, describe=self._describe("modal")
        )

    def __repr__(self) -> str:
        what = self.command_name or self.payload.get("data", {}).get("custom_id")
        return (
            f"<InteractionHandle id={self.id} type={self.type} {what!r} user={self.user.username}"
            f" responses={[r.type for r in self.responses]} followups={len(self.followups)}>"
        )
