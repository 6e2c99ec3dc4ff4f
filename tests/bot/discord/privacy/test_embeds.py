"""The embed that says what /forget-me deleted."""

from bot.discord.privacy import embeds


def test_forget_result_lists_what_was_deleted() -> None:
    embed = embeds.forget_result_embed(
        {"attempts": 4, "sessions": 2, "reviews": 3, "users": 1, "custom_questions_unattributed": 0}
    )
    assert "4 answers" in (embed.description or "")
    assert "2 interview sessions" in (embed.description or "")
    assert embeds.forget_result_embed({}).title == "Nothing to delete"
