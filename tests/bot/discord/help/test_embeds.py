"""The /help embed."""

from bot.discord.help import embeds


def test_help_mentions_every_command() -> None:
    text = str(embeds.help_embed().to_dict())
    for command in (
        "/interview start",
        "/interview status",
        "/interview stop",
        "/review",
        "/progress",
        "/leaderboard",
        "/question list",
        "/question show",
        "/question test",
        "/question add",
        "edit id",
        "remove id",
        "import file",
        "export",
        "/settings",
        "/forget-me",
    ):
        assert command in text, command
