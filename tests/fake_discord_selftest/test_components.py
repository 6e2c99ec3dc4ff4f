"""The fake's message components with the real client: buttons (also after a restart),
modals, select menus and ephemeral messages."""

from __future__ import annotations

import pytest

from tests.fake_discord import FakeDiscord, FakeDiscordError, run_bot

from .conftest import CLEAN_SHUTDOWN, World
from .sample_bot import SampleBot

pytestmark = CLEAN_SHUTDOWN


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
