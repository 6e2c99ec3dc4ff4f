"""The client wires every feature: each package's commands are synced, errors reach the user."""

from __future__ import annotations

from bot.discord.client import InterviewBot, feature_extensions

from .conftest import BotFactory, World, running

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
    "daily": {"set", "off", "status", "reveal", "names"},
    "remind": {"on", "off", "status", "timezone"},
    "mock": {"join", "leave", "invite"},
}
FEATURES = [
    "daily",
    "help",
    "interview",
    "mock",
    "privacy",
    "progress",
    "questions",
    "reminders",
    "rounds",
    "settings",
]


def test_every_feature_package_is_an_extension() -> None:
    assert feature_extensions() == [f"bot.discord.{name}" for name in FEATURES]


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
