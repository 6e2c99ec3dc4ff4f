"""/forget-me end to end: nothing is deleted without the confirmation, then everything is."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.database import Database
from storage.models import Attempt, User

from ..conftest import GOOD_AUTH_ANSWER, BotFactory, World, running
from ..interview.test_e2e import answer, button_id, start_in_thread


async def test_forget_me_after_confirmation(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=1)
        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        ask = await fake.slash(world.alice, world.general, "forget-me")
        prompt = await ask.wait_original()
        assert prompt.ephemeral and "cannot be undone" in prompt.content
        cancel = await fake.click(world.alice, prompt, button_id(prompt, "Cancel"))
        await cancel.wait_response()
        assert "nothing was deleted" in prompt.content
        ask = await fake.slash(world.alice, world.general, "forget-me")
        prompt = await ask.wait_original()
        confirm = await fake.click(world.alice, prompt, button_id(prompt, "Yes, delete everything"))
        await confirm.wait_response()
        assert "1 answers" in prompt.text and "1 interview sessions" in prompt.text
        assert prompt.buttons == []
        # Old buttons now point at nothing, and say so.
        stale = await fake.click(world.alice, feedback, button_id(feedback, "Model answer"))
        assert "does not exist" in (await stale.wait_original()).content
    async with e2e_database.session() as session:
        users = await session.execute(select(User).where(User.discord_id == world.alice.id))
        assert users.first() is None
        assert (await session.execute(select(func.count()).select_from(Attempt))).scalar() == 0
