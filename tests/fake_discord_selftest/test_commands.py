"""The fake's application commands with the real client: syncing, options, groups,
permissions, DMs, autocomplete and context menus."""

from __future__ import annotations

import hashlib

import discord
import pytest

from tests.fake_discord import FakeDiscord, FakeDiscordError, Upload, run_bot

from .conftest import CLEAN_SHUTDOWN, World
from .sample_bot import SampleBot

pytestmark = CLEAN_SHUTDOWN


async def test_ping_replies_ephemerally(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "ping")
        response = await handle.wait_response()

    assert response.type == 4
    assert response.ephemeral and handle.is_ephemeral
    original = handle.original
    assert original is not None and original.content == "pong"
    assert original.interaction_id == handle.id
    assert original in fake_discord.visible_messages(world.general, world.alice)
    assert original not in fake_discord.visible_messages(world.general, world.bob)
    assert fake_discord.unhandled_requests == []


async def test_synced_commands_are_stored_per_scope(
    fake_discord: FakeDiscord, world: World
) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        pass

    guild_names = {c["name"] for c in fake_discord.synced_commands(world.guild)}
    global_names = {c["name"] for c in fake_discord.synced_commands()}
    assert guild_names == global_names >= {"ping", "demo", "admin", "file", "thread", "attach"}
    for command in fake_discord.synced_commands(world.guild):
        if command["type"] == 1:  # context menus have no description
            assert command["description"], command["name"]
        assert command["guild_id"] == str(world.guild.id)
    assert fake_discord.command("ping", guild=world.guild)["guild_id"] == str(world.guild.id)
    assert "guild_id" not in fake_discord.command("ping")
    assert fake_discord.unhandled_requests == []


async def test_attachment_option_is_readable(fake_discord: FakeDiscord, world: World) -> None:
    content = b"questions:\n  - q1\n"
    upload = Upload("answers.yaml", content)
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(
            world.alice, world.general, "attach", options={"file": upload}
        )
        response = await handle.wait_response()

    digest = hashlib.sha256(content).hexdigest()
    assert response.message is not None
    assert response.message.content == f"answers.yaml:{len(content)}:{digest}"


async def test_nested_group_options_and_permissions(
    fake_discord: FakeDiscord, world: World
) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        with pytest.raises(FakeDiscordError, match="default_member_permissions"):
            await fake_discord.slash(
                world.alice, world.general, "admin", "config set", {"key": "k", "value": 1}
            )

        manager = fake_discord.create_role(
            world.guild, "manager", discord.Permissions(manage_guild=True)
        )
        world.guild.members[world.alice.id].role_ids.append(manager.id)
        handle = await fake_discord.slash(
            world.alice, world.general, "admin", ("config", "set"), {"key": "k", "value": 3}
        )
        response = await handle.wait_response()
        assert response.message is not None and response.message.content == "k=3"

        with pytest.raises(FakeDiscordError, match="no option"):
            await fake_discord.slash(
                world.alice, world.general, "admin config set", options={"x": 1}
            )
        with pytest.raises(FakeDiscordError, match="expects a number"):
            await fake_discord.slash(
                world.alice, world.general, "admin config set", options={"key": "k", "value": "3"}
            )
        with pytest.raises(FakeDiscordError, match="needs a subcommand"):
            await fake_discord.slash(world.alice, world.general, "admin")
        with pytest.raises(FakeDiscordError, match="not synced"):
            await fake_discord.slash(world.alice, world.general, "nope", command_wait=0)


async def test_slash_in_dm(fake_discord: FakeDiscord, world: World) -> None:
    dm = fake_discord.dm_channel(world.alice)
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, dm, "ping")
        response = await handle.wait_response()

    assert handle.payload["context"] == 1 and "user" in handle.payload
    assert response.message is not None and response.message.channel_id == dm.id


async def test_user_and_role_options_are_resolved(fake_discord: FakeDiscord, world: World) -> None:
    admins = fake_discord.create_role(
        world.guild, "admins", discord.Permissions(administrator=True)
    )
    world.guild.members[world.bob.id].role_ids.append(admins.id)
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        as_alice = await fake_discord.slash(
            world.alice, world.general, "inspect", options={"member": world.bob, "role": admins}
        )
        as_bob = await fake_discord.slash(
            world.bob, world.general, "inspect", options={"member": world.alice, "role": admins}
        )
        first, second = await as_alice.wait_response(), await as_bob.wait_response()

    assert first.message is not None and second.message is not None
    assert first.message.content == (
        "bob|admins|target_admin=True|caller_admin=False|caller_kick=False"
    )
    # Administrator implies every permission in the computed permissions string.
    assert second.message.content == (
        "alice|admins|target_admin=False|caller_admin=True|caller_kick=True"
    )
    resolved = as_alice.payload["data"]["resolved"]
    assert set(resolved) == {"users", "members", "roles"}
    assert "user" not in resolved["members"][str(world.bob.id)]


async def test_placeholder_descriptions_are_reported(
    fake_discord: FakeDiscord, world: World
) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        pass
    # discord.py sends "…" for parameters nobody described.
    assert fake_discord.placeholder_descriptions(world.guild) == [
        "admin config set key",
        "admin config set value",
        "attach file",
    ]


async def test_autocomplete_and_user_context_menu(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        typing = await fake_discord.autocomplete(
            world.alice, world.general, "topic", options={"name": "p"}, focused="name"
        )
        assert (await typing.wait_response()).type == 8
        assert typing.choices == [
            {"name": "python", "value": "python"},
            {"name": "postgres", "value": "postgres"},
        ]
        greet = await fake_discord.context_menu(world.alice, world.general, "Greet", world.bob)
        response = await greet.wait_response()

    assert response.message is not None and response.message.content == "hello bob"
