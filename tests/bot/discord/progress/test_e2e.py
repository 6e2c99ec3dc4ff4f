"""/progress and /leaderboard end to end: the chart, other members, one server at a time."""

from __future__ import annotations

from ..conftest import GOOD_AUTH_ANSWER, BotFactory, World, running
from ..interview.test_e2e import answer, start_in_thread


async def test_progress_with_chart_and_for_another_member(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=1)
        await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        own = await fake.slash(world.alice, world.general, "progress")
        reply = await own.wait_original()
        assert reply.ephemeral and reply.embeds[0]["title"] == "Progress of Alice"
        assert reply.embeds[0]["image"]["url"] == "attachment://progress.png"
        png = reply.attachment("progress.png").content
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert "security" in reply.text

        theirs = await fake.slash(
            world.bob, world.general, "progress", options={"member": world.alice}
        )
        seen = await theirs.wait_original()
        assert seen.embeds[0]["title"] == "Progress of Alice"

        # Another server sees only what happened there.
        elsewhere = await fake.slash(world.alice, world.other_general, "progress")
        assert "No answers yet in this server" in (await elsewhere.wait_original()).text


async def test_leaderboard_is_per_guild(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=1)
        await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        board = await fake.slash(
            world.bob, world.general, "leaderboard", options={"period": "week"}
        )
        reply = await board.wait_original()
        assert not reply.ephemeral
        assert "Alice" in reply.text and "last 7 days" in reply.text
        other = await fake.slash(world.admin, world.other_general, "leaderboard")
        assert "Alice" not in (await other.wait_original()).text
