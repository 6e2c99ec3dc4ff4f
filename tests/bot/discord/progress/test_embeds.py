"""The progress and leaderboard embeds."""

from datetime import UTC, datetime

from bot.discord.progress import embeds
from bot.engine.leaderboard import Leaderboard
from bot.engine.progress import ProgressSummary, TopicMastery
from storage.repositories import UserTotals

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_progress_embed_without_answers_invites_to_start() -> None:
    embed = embeds.progress_embed(ProgressSummary(), "Ada", "in this server", {})
    assert "/interview start" in (embed.description or "")


def test_progress_embed_orders_topics_by_mastery() -> None:
    summary = ProgressSummary(
        answered=3,
        distinct_questions=2,
        average=60,
        best=80,
        topics=(TopicMastery("security", 1, 40.0), TopicMastery("databases", 1, 80.0)),
        next_review_at=NOW,
    )
    embed = embeds.progress_embed(summary, "Ada", "in this server", {})
    mastery = next(f for f in embed.fields if f.name == "Mastery by topic").value or ""
    assert mastery.index("databases") < mastery.index("security")
    review = next(f for f in embed.fields if f.name == "Review").value or ""
    assert f"<t:{int(NOW.timestamp())}:R>" in review


def test_leaderboard_embed_escapes_names_and_explains_empty_boards() -> None:
    board = Leaderboard(
        "week",
        NOW,
        3,
        (UserTotals(1, "@everyone *star*", 4, 90.0),),
        (UserTotals(1, "@everyone *star*", 4, 90.0),),
        1,
    )
    embed = embeds.leaderboard_embed(board, "Guild")
    text = str(embed.to_dict())
    assert "@everyone" not in text and "🥇" in text
    empty = embeds.leaderboard_embed(Leaderboard("all", None, 3, (), (), 0), "Guild")
    assert "Nobody has 3 answers yet" in str(empty.to_dict())
