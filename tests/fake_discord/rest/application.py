"""The bot's application over REST: login (users/@me, applications/@me), the gateway URL and
application commands (global and per guild)."""

from __future__ import annotations

import copy

from aiohttp import web

from ..models import JSONDict
from ..validate import command_problems
from .base import (
    MISSING_ACCESS,
    RestError,
    RestRequest,
    RestRoutes,
    json_response,
    no_content,
    unknown,
)


class ApplicationRoutes(RestRoutes):
    """Login, gateway discovery and application-command routes."""

    # ------------------------------------------------------------------ login & gateway

    async def get_me(self, request: RestRequest) -> web.Response:
        user = self.fake.bot_user.payload()
        return json_response(user | {"verified": True, "mfa_enabled": False, "flags": 0})

    async def get_application(self, request: RestRequest) -> web.Response:
        fake = self.fake
        return json_response(
            {
                "id": str(fake.application_id),
                "name": fake.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot": fake.bot_user.payload(),
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": fake.app_owner.payload(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": fake.application_flags,
                "rpc_origins": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": len(fake.guilds),
                "integration_types_config": {"0": {}},
            }
        )

    async def get_gateway(self, request: RestRequest) -> web.Response:
        data: JSONDict = {"url": self.fake.gateway_url}
        if request.path.endswith("/bot"):
            data["shards"] = 1
            data["session_start_limit"] = {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            }
        return json_response(data)

    # ------------------------------------------------------------------ application commands

    def _scope(self, request: RestRequest) -> int | None:
        if int(request.params["app"]) != self.fake.application_id:
            raise RestError(403, "Missing Access", 50001)
        if "guild" not in request.params:
            return None
        guild = self._guild(request)
        if self.fake.bot_user.id not in guild.members:
            raise RestError(*MISSING_ACCESS)
        return guild.id

    def _store_command(self, scope: int | None, command: JSONDict) -> JSONDict:
        fake = self.fake
        ctype = int(command.get("type", 1))
        key = (scope, ctype, command["name"])
        command_id = fake.command_ids.setdefault(key, fake.ids.next())
        stored = copy.deepcopy(command) | {
            "id": str(command_id),
            "application_id": str(fake.application_id),
            "version": str(fake.ids.next()),
            "type": ctype,
            "description": command.get("description", ""),
            # Discord answers with a string bitfield; discord.py sends an int.
            "default_member_permissions": None
            if command.get("default_member_permissions") is None
            else str(command["default_member_permissions"]),
            "dm_permission": command.get("dm_permission", True),
            "nsfw": command.get("nsfw", False),
        }
        if scope is not None:
            stored["guild_id"] = str(scope)
        return stored

    def _commands_changed(self) -> None:
        self.fake.notifier.notify()

    async def get_commands(self, request: RestRequest) -> web.Response:
        return json_response(self.fake.commands.get(self._scope(request), []))

    async def put_commands(self, request: RestRequest) -> web.Response:
        scope = self._scope(request)
        commands = request.json if isinstance(request.json, list) else []
        problems = command_problems(commands)
        if problems:
            raise RestError.invalid(problems)
        stored = [self._store_command(scope, c) for c in commands]
        self.fake.commands[scope] = stored
        self.fake.command_syncs.append((scope, copy.deepcopy(commands)))
        self._commands_changed()
        return json_response(stored)

    async def post_command(self, request: RestRequest) -> web.Response:
        scope = self._scope(request)
        problems = command_problems([request.body])
        if problems:
            raise RestError.invalid(problems)
        stored = self._store_command(scope, request.body)
        current = [
            c
            for c in self.fake.commands.get(scope, [])
            if (c["name"], c["type"]) != (stored["name"], stored["type"])
        ]
        self.fake.commands[scope] = [*current, stored]
        self._commands_changed()
        return json_response(stored, 201)

    def _find_stored(self, request: RestRequest) -> tuple[int | None, JSONDict]:
        scope = self._scope(request)
        for command in self.fake.commands.get(scope, []):
            if command["id"] == request.params["command"]:
                return scope, command
        raise unknown("application command", 10063)

    async def get_command(self, request: RestRequest) -> web.Response:
        return json_response(self._find_stored(request)[1])

    async def patch_command(self, request: RestRequest) -> web.Response:
        scope, command = self._find_stored(request)
        updated = self._store_command(scope, command | request.body)
        self.fake.commands[scope] = [
            updated if c["id"] == command["id"] else c for c in self.fake.commands[scope]
        ]
        self._commands_changed()
        return json_response(updated)

    async def delete_command(self, request: RestRequest) -> web.Response:
        scope, command = self._find_stored(request)
        self.fake.commands[scope] = [c for c in self.fake.commands[scope] if c is not command]
        self._commands_changed()
        return no_content()
