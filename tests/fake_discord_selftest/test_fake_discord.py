"""The fake Discord driven by the real discord.py client through a tiny sample bot."""

from __future__ import annotations

import asyncio
import hashlib

import discord
import pytest
from discord.http import Route

from tests.fake_discord import (
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    ErrorLogGuard,
    FakeDiscord,
    FakeDiscordError,
    FakeDiscordTimeout,
    Upload,
    run_bot,
)

from .conftest import World
from .sample_bot import PNG_BYTES, SampleBot

# Clean shutdown is part of the contract: no unclosed sessions, no destroyed pending tasks.
pytestmark = [
    pytest.mark.filterwarnings("error::ResourceWarning"),
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]


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


async def test_echo_sends_allowed_mentions_none(fake_discord: FakeDiscord, world: World) -> None:
    text = f"@everyone look {world.bob.mention}"
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(
            world.alice, world.general, "demo", "echo", {"text": text}
        )
        await handle.wait_response()

    message = handle.original
    assert message is not None and message.content == text
    assert message.allowed_mentions is not None
    assert message.allowed_mentions["parse"] == []
    assert not message.pings_anyone
    assert not message.ephemeral
    assert set(message.buttons) == {
        ("Count 0", "demo:count:0", False),
        ("Open modal", "demo:modal", False),
    }


async def test_dynamic_button_survives_restart(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(
            world.alice, world.general, "demo echo", options={"text": "x"}
        )
        await handle.wait_response()
        message = handle.original
        assert message is not None
        click = await fake_discord.click(world.alice, message, "demo:count:0")
        assert (await click.wait_response()).type == 7
        assert message.content == "count=1"
        assert "demo:count:1" in message.custom_ids

    # A brand-new bot instance (a restart) must still handle the old message's button.
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        click = await fake_discord.click(world.bob, message.id, "demo:count:1")
        response = await click.wait_response()

    assert response.type == 7
    assert message.content == "count=2"
    assert [e.kind for e in fake_discord.message_log if e.message.id == message.id] == [
        "create",
        "edit",
        "edit",
    ]
    assert fake_discord.gateway.identify_count == 2


async def test_modal_roundtrip(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        echo = await fake_discord.slash(world.alice, world.general, "demo", "echo", {"text": "q"})
        await echo.wait_response()
        opener = await fake_discord.click(world.alice, echo.original or 0, "demo:modal")
        assert (await opener.wait_response()).type == 9
        modal = opener.modal
        assert modal is not None and modal["title"] == "Echo"
        assert [c["type"] for c in modal["components"]] == [1, 18]  # action row, then Label

        with pytest.raises(FakeDiscordError, match="required"):
            await fake_discord.submit_modal_for(opener, {"echo:note": "no answer"})
        with pytest.raises(FakeDiscordError, match="shown to alice"):
            await fake_discord.submit_modal(world.bob, world.general, "echo:modal", {"Answer": "x"})

        submit = await fake_discord.submit_modal_for(opener, {"Answer": "forty-two", "Note": "n"})
        response = await submit.wait_response()
        assert response.message is not None
        assert response.message.content == "answer=forty-two;note=n"
        assert response.ephemeral

        # The same modal again, addressed by custom_id, leaving the optional field empty.
        again = await fake_discord.click(world.alice, echo.original or 0, "demo:modal")
        await again.wait_modal()
        second = await fake_discord.submit_modal(
            world.alice, world.general, "echo:modal", {"echo:answer": "7"}
        )
        second_response = await second.wait_response()
        assert second_response.message is not None
        assert second_response.message.content == "answer=7;note="


async def test_deferred_followup_carries_file(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "file")
        assert (await handle.wait_response()).type == 5
        assert handle.deferred
        followup = await handle.wait_followup()

    assert followup.attachment("r.png").content == PNG_BYTES
    assert followup.attachments[0].content_type == "image/png"
    # Discord quirk: the first followup after a "thinking" defer replaces that message.
    assert handle.original is followup and not followup.loading
    assert followup.content == "report"


async def test_private_thread_creation(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "thread")
        confirmation = await handle.wait_followup()
        record = await fake_discord.wait_for_thread("interview-alice")
        welcome = await fake_discord.wait_for_message(record.thread)

    assert record.type == PRIVATE_THREAD and record.private
    assert not record.invitable
    assert record.parent_id == world.general.id
    assert world.alice.id in record.thread.member_ids
    assert (record.thread.id, world.alice.id) in fake_discord.thread_member_adds
    assert welcome.mention_user_ids == [world.alice.id]
    assert confirmation.ephemeral and record.thread.mention in confirmation.content
    assert fake_discord.rejected_requests == []


@pytest.mark.parametrize("switch", ["guild", "channel"])
async def test_private_thread_forbidden_falls_back(
    fake_discord: FakeDiscord, world: World, switch: str
) -> None:
    if switch == "guild":
        world.guild.allow_private_threads = False
    else:
        world.general.allow_private_threads = False
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "thread")
        await handle.wait_followup()

    assert [r.type for r in fake_discord.threads_created] == [PUBLIC_THREAD]
    assert len(fake_discord.rejected_requests) == 1
    assert "403" in fake_discord.rejected_requests[0]
    assert "50013" in fake_discord.rejected_requests[0]


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


async def test_select_menu(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "pick")
        await handle.wait_response()
        message = handle.original
        assert message is not None
        with pytest.raises(FakeDiscordError, match="no option"):
            await fake_discord.select(world.alice, message, "pick:letter", ["z"])
        chosen = await fake_discord.select(world.alice, message, "pick:letter", ["b"])
        await chosen.wait_response()

    assert message.content == "picked ['b']"
    assert message.components == []


async def test_slash_in_dm(fake_discord: FakeDiscord, world: World) -> None:
    dm = fake_discord.dm_channel(world.alice)
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, dm, "ping")
        response = await handle.wait_response()

    assert handle.payload["context"] == 1 and "user" in handle.payload
    assert response.message is not None and response.message.channel_id == dm.id


async def test_prefix_command_and_message_content_intent(
    fake_discord: FakeDiscord, world: World
) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        # Without the message-content intent the bot only sees content that mentions it.
        mark = fake_discord.mark()
        await fake_discord.message(world.alice, world.general, "hello")
        with pytest.raises(FakeDiscordTimeout):
            await fake_discord.wait_for_message(world.general, since=mark, timeout=0.3)

        sent = await fake_discord.message(
            world.alice, world.general, f"{fake_discord.bot_user.mention} hello"
        )
        reply = await fake_discord.wait_for_message(
            world.general, lambda m: m.content == "hi there"
        )

    assert reply.message_reference is not None
    assert reply.message_reference["message_id"] == str(sent.id)
    assert reply.mention_user_ids == [world.alice.id]  # replies ping the author by default


async def test_rejected_token_raises_login_failure(fake_discord: FakeDiscord, world: World) -> None:
    fake_discord.reject_token = True
    with pytest.raises(discord.LoginFailure):
        async with run_bot(fake_discord, SampleBot(world.guild.id)):
            pytest.fail("must not get here")
    assert fake_discord.gateway.identify_count == 0


async def test_error_guard_catches_command_exception(
    fake_discord: FakeDiscord, world: World, discord_error_guard: ErrorLogGuard
) -> None:
    discord_error_guard.expect("boom from command")
    with ErrorLogGuard() as strict:
        async with run_bot(fake_discord, SampleBot(world.guild.id)):
            handle = await fake_discord.slash(world.alice, world.general, "boom")
            record = await strict.wait_for("boom from command")
            # A waiting test gets the logged error in its timeout message, not just "timeout".
            with pytest.raises(FakeDiscordTimeout, match="boom from command"):
                await handle.wait_response(timeout=0.2)

    assert "Ignoring exception in command" in record.getMessage()
    with pytest.raises(AssertionError, match="unexpected error log"):
        strict.check()
    missing = ErrorLogGuard()
    missing.expect("never logged")
    with pytest.raises(AssertionError, match="never appeared"):
        missing.check()


async def test_unknown_routes_are_recorded(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)) as bot:
        with pytest.raises(discord.NotFound):
            await bot.http.request(Route("GET", "/no/such/route"))
    assert fake_discord.unhandled_requests == ["GET /api/v10/no/such/route"]
    fake_discord.unhandled_requests.clear()  # deliberate, so the fixture's teardown passes


async def test_gateway_resume_after_reconnect(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        await fake_discord.send_reconnect()
        for _ in range(200):
            if fake_discord.gateway.resume_count and fake_discord.gateway.active:
                break
            await asyncio.sleep(0.01)
        assert fake_discord.gateway.resume_count == 1
        handle = await fake_discord.slash(world.alice, world.general, "ping")
        await handle.wait_response()
    assert fake_discord.gateway.identify_count == 1


async def test_ephemeral_message_stays_clickable(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "secret")
        await handle.wait_response()
        message = handle.original
        assert message is not None and message.ephemeral
        with pytest.raises(FakeDiscordError, match="cannot see"):
            await fake_discord.click(world.bob, message, "demo:count:0")
        click = await fake_discord.click(world.alice, message, "demo:count:0")
        assert (await click.wait_response()).type == 7
        assert click.is_ephemeral

    assert message.content == "count=1" and message.ephemeral
    assert message not in fake_discord.visible_messages(world.general, world.bob)


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


async def test_disallowed_privileged_intent_is_refused(
    fake_discord: FakeDiscord, world: World
) -> None:
    fake_discord.disallowed_intents = discord.Intents(message_content=True).value
    intents = discord.Intents.default()
    intents.message_content = True
    bot = SampleBot(world.guild.id, intents=intents)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with run_bot(fake_discord, bot):
            pytest.fail("must not get here")


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


async def test_direct_messages_and_closed_dms(fake_discord: FakeDiscord, world: World) -> None:
    world.bob.accepts_dms = False
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        to_alice = await fake_discord.slash(world.alice, world.general, "dm")
        to_bob = await fake_discord.slash(world.bob, world.general, "dm")
        alice_reply, bob_reply = await to_alice.wait_response(), await to_bob.wait_response()

    assert alice_reply.message is not None and alice_reply.message.content == "dm ok"
    assert bob_reply.message is not None and bob_reply.message.content == "dm closed"
    dm = fake_discord.dm_channel(world.alice)
    [message] = fake_discord.messages_in(dm)
    assert message.content == "psst (edited)" and message.edit_count == 1
    assert [e.message.content for e in fake_discord.message_log if e.message.id == message.id] == [
        "psst",
        "psst (edited)",
    ]
    assert any("50007" in r for r in fake_discord.rejected_requests)
