"""User, DM and guild routes: users, DM channels, guilds, their channels, roles and members."""

from __future__ import annotations

from aiohttp import web

from .base import (
    MISSING_PERMISSIONS,
    P,
    RestError,
    RestRequest,
    RestRoutes,
    json_response,
    no_content,
    unknown,
)


class GuildRoutes(RestRoutes):
    """User, DM channel, guild, role and member routes."""

    async def post_dm(self, request: RestRequest) -> web.Response:
        user = self.fake.users.get(int(request.body.get("recipient_id", 0)))
        if user is None:
            raise unknown("User", 10013)
        return json_response(self.fake.dm_channel(user).payload())

    async def get_user(self, request: RestRequest) -> web.Response:
        user = self.fake.users.get(self._user_id(request.params["user"]))
        if user is None:
            raise unknown("User", 10013)
        return json_response(user.payload())

    async def get_guild(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        return json_response(
            guild.payload(full=False)
            | {"approximate_member_count": len(guild.members), "approximate_presence_count": 0}
        )

    async def get_guild_channels(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        return json_response([c.payload() for c in guild.channels.values() if not c.is_thread])

    async def get_roles(self, request: RestRequest) -> web.Response:
        return json_response([r.payload() for r in self._guild(request).roles.values()])

    async def get_members(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        after = int(request.query.get("after", 0))
        limit = int(request.query.get("limit", 1))
        members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
        return json_response([m.payload() for m in members[:limit]])

    async def get_member(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        member = guild.members.get(self._user_id(request.params["user"]))
        if member is None:
            raise unknown("Member", 10007)
        return json_response(member.payload())

    async def _member_role(self, request: RestRequest, add: bool) -> web.Response:
        guild = self._guild(request)
        member = guild.members.get(self._user_id(request.params["user"]))
        if member is None:
            raise unknown("Member", 10007)
        role_id = int(request.params["role"])
        if role_id not in guild.roles:
            raise unknown("Role", 10011)
        if not self.fake.member_permissions(guild, self.fake.bot_user) & P(manage_roles=True).value:
            raise RestError(*MISSING_PERMISSIONS)
        if add and role_id not in member.role_ids:
            member.role_ids.append(role_id)
        if not add and role_id in member.role_ids:
            member.role_ids.remove(role_id)
        self.fake.gateway.dispatch(
            "GUILD_MEMBER_UPDATE", member.payload() | {"guild_id": str(guild.id)}, intent=1 << 1
        )
        self.fake.notifier.notify()
        return no_content()

    async def put_member_role(self, request: RestRequest) -> web.Response:
        return await self._member_role(request, True)

    async def delete_member_role(self, request: RestRequest) -> web.Response:
        return await self._member_role(request, False)
