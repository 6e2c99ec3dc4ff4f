from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlparse

import discord

from bot.discord.permissions import (
    REQUIRED_PERMISSIONS,
    can_manage_questions,
    invite_url,
    refusal,
)
from bot.engine.guild_settings import GuildSettings


class FakeMember(discord.Member):
    """A Member without a gateway: only what the permission check reads."""

    def __init__(self, manage_guild: bool, role_ids: list[int]) -> None:
        self._perms = discord.Permissions(manage_guild=manage_guild)
        self._role_objs = [SimpleNamespace(id=i) for i in role_ids]

    @property
    def guild_permissions(self) -> discord.Permissions:  # type: ignore[override]
        return self._perms

    @property
    def roles(self) -> Any:  # type: ignore[override]
        return self._role_objs


def test_manage_server_may_manage() -> None:
    assert can_manage_questions(FakeMember(True, []), GuildSettings())


def test_the_configured_role_may_manage() -> None:
    settings = GuildSettings(manager_role_id=42)
    assert can_manage_questions(FakeMember(False, [7, 42]), settings)
    assert not can_manage_questions(FakeMember(False, [7]), settings)
    assert not can_manage_questions(FakeMember(False, [42]), GuildSettings())


def test_a_plain_user_outside_a_guild_may_not() -> None:
    user = discord.Object(id=1)
    assert not can_manage_questions(user, GuildSettings())  # type: ignore[arg-type]


def test_refusal_names_the_role_when_there_is_one() -> None:
    assert "<@&42>" in refusal(GuildSettings(manager_role_id=42))
    assert "role" not in refusal(GuildSettings())


def test_invite_url_has_both_scopes_and_exact_permissions() -> None:
    query = parse_qs(urlparse(invite_url(1234)).query)
    assert query["client_id"] == ["1234"]
    assert set(query["scope"][0].split()) == {"bot", "applications.commands"}
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == REQUIRED_PERMISSIONS
    assert permissions.create_private_threads and permissions.send_messages_in_threads
    assert not permissions.administrator and not permissions.manage_messages
    assert permissions.manage_channels and permissions.connect  # the mock-interview voice room
    assert not permissions.manage_roles and not permissions.move_members


def test_readme_invite_link_asks_for_exactly_these_permissions() -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    asked = {int(value) for value in re.findall(r"permissions=(\d+)", readme)}
    assert asked == {REQUIRED_PERMISSIONS.value}
