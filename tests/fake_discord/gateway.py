"""The fake gateway: HELLO, IDENTIFY/RESUME, heartbeats, READY + GUILD_CREATE, dispatches.

Every connection owns an outgoing queue drained by one writer task, so events keep their
order and sequence numbers even when they are produced from synchronous code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from .models import JSONDict

_log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_MS = 41250

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents)
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15


@dataclass
class ResumableSession:
    """What is left of a connection that dropped without a clean 1000 close."""

    session_id: str
    seq: int
    intents: int
    shard: tuple[int, int] | None = None


class GatewayConnection:
    """One websocket from one client; ``identified`` once READY was queued."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.session_id: str | None = None
        self.seq = 0
        self.intents = 0
        self.identified = False
        self.shard: tuple[int, int] | None = None  # IDENTIFY's [shard_id, shard_count]
        self._queue: asyncio.Queue[JSONDict | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write_loop(), name="fake-discord-gateway-writer")

    def has_intent(self, intent: int) -> bool:
        return bool(self.intents & intent)

    def owns(self, guild_id: int | None) -> bool:
        """Discord's routing: a guild to shard (id >> 22) % count, DMs to shard 0."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return (0 if guild_id is None else (guild_id >> 22) % count) == shard_id

    def send(self, payload: JSONDict) -> None:
        self._queue.put_nowait(payload)

    def dispatch(self, event: str, data: JSONDict) -> None:
        self.seq += 1
        self.send({"op": 0, "t": event, "s": self.seq, "d": data})

    async def flush(self) -> None:
        if not self._writer.done():
            await self._queue.join()

    async def stop(self) -> None:
        self._queue.put_nowait(None)
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer

    async def _write_loop(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                if item is None:
                    return
                if not self.ws.closed:
                    await self.ws.send_str(json.dumps(item))
            except (ConnectionError, RuntimeError) as exc:  # the client went away mid-send
                _log.debug("dropping gateway payload: %s", exc)
            finally:
                self._queue.task_done()


class Gateway:
    """Accepts gateway websockets and fans dispatches out to every identified connection.

    ``on_identify`` returns the READY payload plus the GUILD_CREATE payloads to follow; it is a
    callback so the gateway stays ignorant of the fake's world model.
    """

    def __init__(
        self,
        *,
        on_identify: Callable[[GatewayConnection], tuple[JSONDict, list[JSONDict]]],
        on_member_request: Callable[[GatewayConnection, JSONDict], list[JSONDict]],
        token_ok: Callable[[str | None], bool],
        intents_ok: Callable[[int], bool],
    ) -> None:
        self._on_identify = on_identify
        self._on_member_request = on_member_request
        self._token_ok = token_ok
        self._intents_ok = intents_ok
        self.connections: list[GatewayConnection] = []
        self.resumable: dict[str, ResumableSession] = {}
        self.identify_count = 0
        self.resume_count = 0
        self.received: list[JSONDict] = []

    @property
    def active(self) -> list[GatewayConnection]:
        return [c for c in self.connections if c.identified and not c.ws.closed]

    def dispatch(self, event: str, data: JSONDict, *, intent: int | None = None) -> int:
        """Queue ``event`` for every identified connection (having ``intent``, if given) whose
        shard owns the event's guild."""
        count = 0
        guild = data.get("guild_id") or (data.get("id") if event.startswith("GUILD_") else None)
        guild_id = None if guild is None else int(guild)
        for connection in self.active:
            if not connection.owns(guild_id):
                continue
            if intent is None or connection.has_intent(intent):
                connection.dispatch(event, data)
                count += 1
        return count

    async def flush(self) -> None:
        for connection in list(self.connections):
            await connection.flush()

    async def send_reconnect(self) -> None:
        """Ask every client to reconnect and RESUME (op 7), as Discord does during rollouts."""
        for connection in self.active:
            connection.send({"op": 7, "d": None, "s": None, "t": None})
        await self.flush()

    async def close_all(self, code: int = 1001) -> None:
        for connection in list(self.connections):
            await connection.flush()
            await connection.ws.close(code=code)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connection = GatewayConnection(ws)
        self.connections.append(connection)
        connection.send(
            {"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": None, "t": None}
        )
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._received(connection, json.loads(message.data))
                elif message.type is WSMsgType.ERROR:
                    break
        finally:
            self.connections.remove(connection)
            if connection.session_id is not None:
                if ws.close_code == 1000:
                    self.resumable.pop(connection.session_id, None)
                else:
                    self.resumable[connection.session_id] = ResumableSession(
                        connection.session_id, connection.seq, connection.intents, connection.shard
                    )
            await connection.stop()
        return ws

    async def _received(self, connection: GatewayConnection, payload: JSONDict) -> None:
        op = payload.get("op")
        data: Any = payload.get("d")
        if op != 1:
            self.received.append(payload)
        if op == 1:
            connection.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            if not self._token_ok(data.get("token")):
                await connection.flush()
                await connection.ws.close(code=4004, message=b"Authentication failed.")
                return
            if not self._intents_ok(int(data.get("intents", 0))):
                await connection.flush()
                await connection.ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            self.identify_count += 1
            connection.intents = int(data.get("intents", 0))
            if data.get("shard") is not None:
                connection.shard = (int(data["shard"][0]), int(data["shard"][1]))
            connection.session_id = secrets.token_hex(16)
            ready, guilds = self._on_identify(connection)
            connection.identified = True
            connection.dispatch("READY", ready)
            for guild in guilds:
                connection.dispatch("GUILD_CREATE", guild)
        elif op == 6:
            previous = self.resumable.pop(data.get("session_id"), None)
            if previous is None or not self._token_ok(data.get("token")):
                connection.send({"op": 9, "d": False, "s": None, "t": None})
                return
            self.resume_count += 1
            connection.session_id = previous.session_id
            connection.seq = previous.seq
            connection.intents = previous.intents
            connection.shard = previous.shard
            connection.identified = True
            connection.dispatch("RESUMED", {})
        elif op == 8:
            for chunk in self._on_member_request(connection, data):
                connection.dispatch("GUILD_MEMBERS_CHUNK", chunk)
        await connection.flush()
