"""Waiting for the bot: ``wait_for_*`` helpers and the timeout report that explains a hang."""

# The public API takes explicit `timeout=` arguments by design (tests read better).
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Callable

from ..interactions import FakeDiscordError
from ..models import FakeChannel, FakeGuild, FakeMessage, JSONDict, ThreadRecord
from .messages import MessageStore
from .world import MessageLike


class Waits(MessageStore):
    """Wait until the bot has done something; on timeout, say what it did instead."""

    # ------------------------------------------------------------------ waiting

    async def wait_for_message(
        self,
        channel: FakeChannel | None = None,
        predicate: Callable[[FakeMessage], bool] | None = None,
        timeout: float = 5.0,
        *,
        since: int | None = None,
        from_bot: bool = True,
    ) -> FakeMessage:
        """The newest live message matching; with ``since``, only ones created/edited after it."""

        def check() -> FakeMessage | None:
            if since is None:
                candidates = self.messages_in(channel)
            else:
                seen: dict[int, FakeMessage] = {}
                for event in self.message_log[since:]:
                    live = self.messages[event.message.id]
                    if event.kind != "delete" and not live.deleted:
                        seen.pop(live.id, None)
                        seen[live.id] = live
                candidates = [
                    m for m in seen.values() if channel is None or m.channel_id == channel.id
                ]
            for message in reversed(candidates):
                if from_bot and message.author.id != self.bot_user.id:
                    continue
                if predicate is None or predicate(message):
                    return message
            return None

        where = "anywhere" if channel is None else f"in #{channel.name or channel.id}"
        return await self.notifier.wait_until(
            check, timeout=timeout, describe=lambda: self.describe_timeout(f"a message {where}")
        )

    async def wait_for_thread(self, name: str | None = None, timeout: float = 5.0) -> ThreadRecord:
        def check() -> ThreadRecord | None:
            for record in reversed(self.threads_created):
                if name is None or record.name == name:
                    return record
            return None

        return await self.notifier.wait_until(
            check, timeout=timeout, describe=lambda: self.describe_timeout(f"thread {name!r}")
        )

    async def wait_for_gateway(self, timeout: float = 5.0) -> None:
        """Until a client has identified on the gateway (READY is on its way)."""
        await self.notifier.wait_until(
            lambda: self.gateway.active or None,
            timeout=timeout,
            describe=lambda: self.describe_timeout("a client identifying on the gateway"),
        )

    async def wait_for_commands(
        self, *names: str, guild: FakeGuild | None = None, timeout: float = 5.0
    ) -> list[JSONDict]:
        """Until every name is synced (in ``guild`` scope or globally)."""

        def check() -> list[JSONDict] | None:
            found = [self._find_command(n, guild, 1) for n in names]
            return None if any(f is None for f in found) else [f for f in found if f]

        return await self.notifier.wait_until(
            check, timeout=timeout, describe=lambda: self.describe_timeout(f"commands {names}")
        )

    def describe_timeout(self, what: str) -> str:
        lines = [f"Timed out waiting for {what}."]
        if not self.gateway.active:
            lines.append("No bot is connected to the gateway.")
        pending = [h for h in self.interactions.values() if not h.responses]
        if pending:
            lines.append(f"Interactions never answered: {pending}")
        if self.error_guard is not None and self.error_guard.records:
            lines.append("Errors logged by the bot:")
            lines.extend(f"  {line}" for line in self.error_guard.summary())
        for label, items in (
            ("Rejected requests (4xx)", self.rejected_requests),
            ("Unhandled routes", self.unhandled_requests),
            ("Fake internal errors", self.internal_errors),
        ):
            if items:
                lines.append(f"{label}:")
                lines.extend(f"  {item}" for item in items[-10:])
        lines.append("Last messages:")
        for event in self.message_log[-8:]:
            m = event.message
            lines.append(
                f"  {event.kind} #{m.channel_id} id={m.id} by {m.author.username}"
                f"{' (ephemeral)' if m.ephemeral else ''}: {m.text[:120]!r} {m.custom_ids}"
            )
        return "\n".join(lines)

    async def _await_command(
        self, name: str, guild: FakeGuild | None, ctype: int, wait: float
    ) -> JSONDict:
        def check() -> JSONDict | None:
            return self._find_command(name, guild, ctype)

        try:
            return await self.notifier.wait_until(check, timeout=wait, describe=lambda: "")
        except TimeoutError:
            scope = "globally" if guild is None else f"for guild {guild.name!r} or globally"
            raise FakeDiscordError(
                f"command {name!r} (type {ctype}) is not synced {scope}; "
                f"synced: {self.synced_command_names()}"
            ) from None

    async def _await_message(self, message: MessageLike, timeout: float) -> FakeMessage:
        if isinstance(message, FakeMessage):
            return message
        return await self.notifier.wait_until(
            lambda: self.messages.get(message),
            timeout=timeout,
            describe=lambda: self.describe_timeout(f"message {message}"),
        )
