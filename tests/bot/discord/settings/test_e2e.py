"""/settings end to end: a manager role that may manage questions, and session defaults."""

from __future__ import annotations

from ..conftest import BotFactory, World, running
from ..questions.test_e2e import add_question


async def test_manager_role_from_settings_lets_a_member_manage(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    helpers = fake.create_role(world.guild, "Question helpers")
    fake.add_member(world.guild, world.bob, roles=[helpers])
    async with running(world, make_bot()):
        denied = await fake.slash(world.bob, world.general, "settings", enforce_visibility=False)
        assert "Only members with Manage Server" in (await denied.wait_original()).content
        saved = await fake.slash(
            world.admin,
            world.general,
            "settings",
            options={"manager_role": helpers, "default_count": 2, "default_difficulty": "easy"},
        )
        reply = await saved.wait_original()
        assert reply.content == "Saved."
        assert f"<@&{helpers.id}>" in reply.text and not reply.pings_anyone
        added = await add_question(world, world.bob)
        assert added.content.startswith("Added `")

        # The defaults apply to new interviews.
        world.general.allow_private_threads = False
        start = await fake.slash(world.alice, world.general, "interview", "start")
        question = await start.wait_original()
        assert question.embeds[0]["title"].endswith("of 2")
        assert "easy" in question.text

        shown = await fake.slash(world.admin, world.general, "settings")
        assert "Default count" in (await shown.wait_original()).text
    fake.unhandled_requests.clear()
