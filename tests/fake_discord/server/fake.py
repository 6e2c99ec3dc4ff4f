"""FakeDiscord: an in-memory Discord (REST + gateway on 127.0.0.1) for end-to-end bot tests.

The real discord.py client talks to it over loopback sockets. Tests build a small world
(guilds, users, channels), inject what users do (slash commands, clicks, modal submits,
messages) and assert on every message the bot created or edited.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import discord
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from ..gateway import Gateway, GatewayConnection
from ..models import JSONDict
from ..rest import RestApi
from .user_actions import UserActions


class FakeDiscord(UserActions):
    """The fake server plus its world and the injection API. Use as ``async with FakeDiscord()``.

    ``interaction_timeout`` mirrors Discord's 3 s limit for the initial response (None turns it
    off); ``settle_timeout`` bounds how long ``click``/``submit_modal`` wait for the running
    client to have stored the view or modal (it stores them only after the callback returns).

    The API comes in layers, one module each: ``World`` (state and building), ``MessageStore``,
    ``Waits``, ``InteractionBuilder`` and ``UserActions``. This class adds the HTTP server and
    its lifecycle, and the gateway's READY and member-chunk payloads.
    """

    def __init__(
        self,
        *,
        bot_name: str = "interview-bot",
        interaction_timeout: float | None = 3.0,
        settle_timeout: float = 1.0,
    ) -> None:
        super().__init__(
            bot_name=bot_name,
            interaction_timeout=interaction_timeout,
            settle_timeout=settle_timeout,
        )
        self.gateway = Gateway(
            on_identify=self._ready_payloads,
            on_member_request=self._member_chunks,
            token_ok=lambda _token: not self.reject_token,
            intents_ok=lambda intents: not intents & self.disallowed_intents,
        )
        self.rest = RestApi(self)
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeDiscord:
        """Bind a random port on 127.0.0.1 (never another interface)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self.rest.serve_attachment)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self.rest.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.unhandled)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.gateway.close_all()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def patch_discord(self) -> Iterator[None]:
        """Point discord.py's REST base and default gateway at this fake (restored on exit)."""
        saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        Route.BASE = self.api_base
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved

    def attach_client(self, client: discord.Client) -> None:
        """Lets click()/submit_modal() see when the client has stored a view (see run_bot)."""
        self._clients.append(client)

    def detach_client(self, client: discord.Client) -> None:
        with contextlib.suppress(ValueError):
            self._clients.remove(client)

    def problems(self) -> list[str]:
        """Unhandled routes and fake-internal errors: both mean the fake is not trustworthy."""
        return [f"unhandled route {r}" for r in self.unhandled_requests] + [
            f"fake internal error: {e}" for e in self.internal_errors
        ]

    # ------------------------------------------------------------------ gateway payloads

    def _ready_payloads(self, connection: GatewayConnection) -> tuple[JSONDict, list[JSONDict]]:
        """READY lists guilds in full (not as unavailable) and GUILD_CREATE follows.

        discord.py fires on_ready ``guild_ready_timeout`` after the last GUILD_CREATE. With full
        guilds in READY the cache is complete even if that timeout (e.g. 0.05 s) expires before
        a GUILD_CREATE is read, so a small timeout is safe; GUILD_CREATE still comes, so
        ``on_guild_available`` fires as usual.
        """
        # Wake wait_for_gateway() once the connection counts as identified.
        asyncio.get_running_loop().call_soon(self.notifier.notify)
        guilds = [
            g
            for g in self.guilds.values()
            if self.bot_user.id in g.members and connection.owns(g.id)
        ]
        user = self.bot_user.payload() | {"verified": True, "mfa_enabled": False, "flags": 0}
        ready = {
            "v": 10,
            "user": user,
            "guilds": [g.payload(full=True) for g in guilds],
            "session_id": connection.session_id,
            "session_type": "normal",
            **({"shard": list(connection.shard)} if connection.shard else {}),
            "resume_gateway_url": self.gateway_url,
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "_trace": ["fake-discord"],
        }
        return ready, [g.payload(full=True) for g in guilds]

    def _member_chunks(self, connection: GatewayConnection, data: JSONDict) -> list[JSONDict]:
        """Answer REQUEST_GUILD_MEMBERS (sent by clients with the members intent)."""
        guild = self.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return []
        members = list(guild.members.values())
        not_found: list[str] = []
        if data.get("user_ids"):
            wanted = [int(u) for u in data["user_ids"]]
            not_found = [str(u) for u in wanted if u not in guild.members]
            members = [m for m in members if m.id in wanted]
        elif data.get("query"):
            query = str(data["query"]).lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        return [
            {
                "guild_id": str(guild.id),
                "members": [m.payload() for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
                "not_found": not_found,
            }
        ]
