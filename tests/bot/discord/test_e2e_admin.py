"""Question management, settings, progress, leaderboards, privacy and help, end to end."""

from __future__ import annotations

import yaml
from sqlalchemy import func, select

from bot.discord.client import InterviewBot
from storage.database import Database
from storage.models import Attempt, User
from tests.fake_discord import FakeMessage, Upload

from .conftest import GOOD_AUTH_ANSWER, BotFactory, World, running
from .test_e2e_interview import answer, button_id, start_in_thread

COMMANDS = {
    "interview": {"start", "stop", "status"},
    "review": set(),
    "progress": set(),
    "leaderboard": set(),
    "question": {"add", "edit", "remove", "list", "show", "import", "export", "test"},
    "settings": set(),
    "forget-me": set(),
    "help": set(),
    "round": {"start", "stop", "status"},
}
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


async def add_question(world: World, user: object = None) -> FakeMessage:
    fake = world.fake
    opener = await fake.slash(user or world.admin, world.general, "question", "add")
    await opener.wait_modal()
    submit = await fake.submit_modal_for(opener, NEW_QUESTION)
    return await submit.wait_original()


def added_id(reply: FakeMessage) -> str:
    return reply.content.split("`")[1]


async def test_every_command_is_synced_with_descriptions(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        pass
    synced = {c["name"]: c for c in fake.synced_commands()}
    assert set(synced) == set(COMMANDS)
    for name, subcommands in COMMANDS.items():
        command = synced[name]
        assert command["description"], name
        names = {o["name"] for o in command.get("options", []) if o["type"] == 1}
        assert names == subcommands, name
    assert fake.placeholder_descriptions() == []
    start = {o["name"]: o for o in synced["interview"]["options"]}["start"]
    assert [o["name"] for o in start["options"]] == ["topic", "difficulty", "count"]
    assert {o["name"] for o in synced["leaderboard"]["options"]} == {"period"}
    assert int(synced["settings"]["default_member_permissions"]) == 1 << 5  # Manage Server


async def test_dev_guild_gets_the_commands_directly(world: World, make_bot: BotFactory) -> None:
    async with running(world, make_bot(dev_guild_id=world.guild.id)):
        pass
    names = {c["name"] for c in world.fake.synced_commands(world.guild)}
    assert names == set(COMMANDS)


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


async def test_help_and_unexpected_errors(
    world: World, make_bot: BotFactory, discord_error_guard: object
) -> None:
    fake = world.fake
    bot: InterviewBot = make_bot()
    async with running(world, bot):
        helped = await fake.slash(world.bob, world.general, "help")
        reply = await helped.wait_original()
        assert reply.ephemeral and "/interview start" in reply.text

        async def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom")

        bot.service.start = broken  # type: ignore[method-assign]
        discord_error_guard.expect(r"interaction failed \(ref [0-9a-f]{8}\)")  # type: ignore[attr-defined]
        failed = await fake.slash(world.bob, world.general, "interview", "start")
        message = (await failed.wait_original()).content
        assert message.startswith("Something went wrong (ref: ")
