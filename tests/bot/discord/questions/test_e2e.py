"""/question end to end: managers add, edit, remove, import and export; everyone browses."""

from __future__ import annotations

import yaml
from sqlalchemy import func, select

from storage.database import Database
from storage.models import Attempt
from tests.fake_discord import FakeMessage, Upload

from ..conftest import BotFactory, World, running
from ..interview.test_e2e import answer, button_id

NEW_QUESTION = {
    "prompt": "How does a CDN make a website faster for users far away?",
    "topic": "Web Performance / easy",
    "model_answer": (
        "A CDN caches static content on edge servers close to users, so requests travel a "
        "shorter distance, latency drops and the origin server carries less load."
    ),
    "concepts": "Edge caching*: edge server, cache, close to users\nLatency: latency, distance",
    "tips": "Mention edge locations.\n- Mention cache invalidation.",
}


async def add_question(
    world: World, user: object = None, form: dict[str, str] | None = None
) -> FakeMessage:
    fake = world.fake
    opener = await fake.slash(user or world.admin, world.general, "question", "add")
    await opener.wait_modal()
    submit = await fake.submit_modal_for(opener, form or NEW_QUESTION)
    return await submit.wait_original()


def added_id(reply: FakeMessage) -> str:
    return reply.content.split("`")[1]


async def test_admin_adds_a_question_and_members_can_use_it(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        refused = await fake.slash(world.bob, world.general, "question", "add")
        reply = await refused.wait_original()
        assert reply.ephemeral and "Only members with Manage Server" in reply.content
        assert refused.modal is None

        added = await add_question(world)
        question_id = added_id(added)
        assert added.ephemeral and question_id.startswith("cdn-make-website")
        assert "web-performance" in added.text and "easy" in added.text
        assert "How the rubric grades" in added.text and "The model answer scores **" in added.text

        listing = await fake.slash(world.bob, world.general, "question", "list", {"pack": "custom"})
        assert question_id in (await listing.wait_original()).text
        show = await fake.slash(world.bob, world.general, "question", "show", {"id": question_id})
        detail = await show.wait_original()
        assert "Edge caching" in detail.text and "(required)" in detail.text
        test = await fake.slash(
            world.bob,
            world.general,
            "question",
            "test",
            {"id": question_id, "answer": "Edge servers cache content close to users."},
        )
        dry = await test.wait_original()
        assert dry.ephemeral and dry.embeds[0]["title"] == f"Dry run · {question_id}"
        assert "✅" in dry.text

        # Another guild never sees it.
        elsewhere = await fake.slash(
            world.admin, world.other_general, "question", "show", {"id": question_id}
        )
        assert "There is no question" in (await elsewhere.wait_original()).content


async def test_a_question_added_without_concepts_shows_its_derived_rubric(
    world: World, make_bot: BotFactory
) -> None:
    async with running(world, make_bot()):
        added = await add_question(world, form={**NEW_QUESTION, "concepts": ""})
        assert "Rubric, derived from the model answer" in added.text
        assert "How the rubric grades" in added.text
        assert "The prompt copied back scores **" in added.text


async def test_edit_and_remove_keep_history(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question_id = added_id(await add_question(world))
        builtin = await fake.slash(
            world.admin, world.general, "question", "edit", {"id": "auth-web-services"}
        )
        assert "read-only" in (await builtin.wait_original()).content

        opener = await fake.slash(
            world.admin, world.general, "question", "edit", {"id": question_id}
        )
        modal = await opener.wait_modal()
        assert "CDN" in str(modal)  # prefilled with the current text
        changed = dict(NEW_QUESTION, prompt="How does a CDN speed up a site for distant users?")
        saved = await (await fake.submit_modal_for(opener, changed)).wait_original()
        assert saved.content.startswith(f"Saved `{question_id}`")

        world.general.allow_private_threads = False
        start = await fake.slash(
            world.alice, world.general, "interview", "start", {"topic": "web-performance"}
        )
        asked = await start.wait_original()
        assert "distant users" in asked.text
        await answer(fake, world.alice, asked, "Edge servers cache content close to users.")

        removed = await fake.slash(
            world.admin, world.general, "question", "remove", {"id": question_id}
        )
        assert "stay in everyone's history" in (await removed.wait_original()).content
        gone = await fake.slash(world.alice, world.general, "question", "show", {"id": question_id})
        assert "There is no question" in (await gone.wait_original()).content
        progress = await fake.slash(world.alice, world.general, "progress")
        assert "distant users" in (await progress.wait_original()).text
    async with e2e_database.session() as session:
        count = await session.execute(
            select(func.count()).select_from(Attempt).where(Attempt.question_id == question_id)
        )
        assert count.scalar() == 1
    fake.unhandled_requests.clear()


async def test_import_lists_every_error_and_imports_nothing(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    bad = (
        "pack: mine\ntitle: Mine\ndescription: Ours.\nquestions:\n"
        "  - id: Bad Id\n    topic: caching\n    difficulty: extreme\n"
        "    prompt: short\n    model_answer: A model answer long enough to pass.\n"
        "    tips: [Tip]\n    source: us\n"
    )
    async with running(world, make_bot()):
        denied = await fake.slash(
            world.bob,
            world.general,
            "question",
            "import",
            {"file": Upload("pack.yaml", bad.encode())},
        )
        assert "Only members with Manage Server" in (await denied.wait_original()).content
        handle = await fake.slash(
            world.admin,
            world.general,
            "question",
            "import",
            {"file": Upload("pack.yaml", bad.encode())},
        )
        reply = await handle.wait_original()
        assert reply.ephemeral
        assert "has 3 problems; nothing was imported" in reply.text
        assert "pack.yaml:5" in reply.text and "pack.yaml:7" in reply.text
        assert "pack.yaml:8" in reply.text
        not_yaml = await fake.slash(
            world.admin,
            world.general,
            "question",
            "import",
            {"file": Upload("notes.txt", b"hello")},
        )
        assert "Attach a `.yaml` file" in (await not_yaml.wait_original()).content
        listing = await fake.slash(
            world.admin, world.general, "question", "list", {"pack": "custom"}
        )
        assert "No questions match" in (await listing.wait_original()).text


async def test_export_then_import_round_trips(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question_id = added_id(await add_question(world))
        export = await fake.slash(world.admin, world.general, "question", "export")
        exported = await export.wait_original()
        attachment = exported.attachments[0]
        assert attachment.filename == "interview-guild-questions.yaml"
        document = yaml.safe_load(attachment.text)
        assert [q["id"] for q in document["questions"]] == [question_id]

        # Into the other guild: added there; back into this one: updated in place.
        for channel, verb in (
            (world.other_general, "Added **1**"),
            (world.general, "updated **1**"),
        ):
            handle = await fake.slash(
                world.admin,
                channel,
                "question",
                "import",
                {"file": Upload(attachment.filename, attachment.content)},
            )
            assert verb in (await handle.wait_original()).text

        builtin = await fake.slash(
            world.admin, world.general, "question", "export", {"pack": "backend-basics"}
        )
        pack_file = (await builtin.wait_original()).attachments[0]
        back = await fake.slash(
            world.admin,
            world.general,
            "question",
            "import",
            {"file": Upload(pack_file.filename, pack_file.content)},
        )
        assert "skipped **5** identical built-in" in (await back.wait_original()).text


async def test_question_list_pages_with_buttons(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        listing = await fake.slash(world.bob, world.general, "question", "list")
        first = await listing.wait_original()
        assert "Page 1 of 4" in first.text
        assert [b.disabled for b in first.buttons] == [True, False]
        turn = await fake.click(world.bob, first, button_id(first, "Next"))
        await turn.wait_response()
        assert "Page 2 of 4" in first.text  # the same message, edited in place
        topic = await fake.slash(world.bob, world.general, "question", "list", {"topic": "caching"})
        only = await topic.wait_original()
        assert "Page 1 of 1" in only.text and only.buttons == []
