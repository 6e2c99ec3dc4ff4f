from datetime import UTC, datetime, timedelta

from bot.discord.rounds import embeds as round_embeds
from bot.engine.rounds import (
    Participant,
    RankedAnswer,
    Reveal,
    RoundView,
    StandingRow,
    Standings,
)
from questions.loader import default_bank

QUESTION = default_bank().get("sql-vs-nosql")
assert QUESTION is not None
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
ADA = Participant(1, 11, "Ada @everyone", NOW)
BOB = Participant(2, 22, "Bob", NOW)


def view(status: str = "running", answered: frozenset[int] = frozenset()) -> RoundView:
    return RoundView(
        round_id=7,
        guild_id=1,
        channel_id=2,
        thread_id=None,
        starter_user_id=1,
        status=status,
        position=0,
        total=3,
        question=QUESTION if status == "running" else None,
        seconds=120,
        lobby_deadline=NOW,
        question_deadline=NOW + timedelta(seconds=120) if status == "running" else None,
        participants=(ADA, BOB),
        answered_user_ids=answered,
        lobby_message_id=None,
        question_message_id=None,
        version=1,
    )


def test_lobby_lists_participants_escaped_with_the_start_time() -> None:
    embed = round_embeds.lobby_embed(view("lobby"), "Ada", {"topic": "databases"})
    text = str(embed.to_dict())
    assert "Participants (2)" in text and "Bob" in text
    assert "@everyone" not in text
    assert f"<t:{int(NOW.timestamp())}:R>" in text
    assert "topic databases" in (embed.description or "")


def test_cancelled_lobby_says_so() -> None:
    embed = round_embeds.lobby_embed(view("cancelled"), "Ada")
    assert embed.title == "Study-group round: cancelled"


def test_question_shows_countdown_and_number() -> None:
    embed = round_embeds.round_question_embed(view())
    assert embed.title == "Round · question 1 of 3"
    deadline = int((NOW + timedelta(seconds=120)).timestamp())
    assert f"<t:{deadline}:R>" in (embed.description or "")


def test_reveal_ranks_answers_then_non_answerers() -> None:
    reveal = Reveal(
        round_id=7,
        position=0,
        number=1,
        total=3,
        question=QUESTION,
        ranking=(RankedAnswer(2, "Bob", 81, "strong"), RankedAnswer(1, "Ada", None, None)),
        most_missed=(("Scaling", 2),),
        tips=("Think about joins.",),
        next=view(),
    )
    embed = round_embeds.reveal_embed(reveal)
    ranking = embed.fields[0].value or ""
    assert ranking.splitlines()[0].startswith("🥇 Bob") and "**81** · strong" in ranking
    assert "Ada — no answer" in ranking
    assert "Scaling (×2)" in str(embed.to_dict())


def test_standings_name_the_winner_or_say_there_is_none() -> None:
    rows = (StandingRow(2, "Bob", 150, 2), StandingRow(1, "Ada", 70, 1))
    final = round_embeds.standings_embed(Standings(7, "finished", rows, 2, 3, 3))
    assert final.title == "Final standings" and "🏆 **Bob** wins!" in (final.description or "")
    stopped = round_embeds.standings_embed(Standings(7, "stopped", rows, None, 1, 3))
    assert stopped.title == "Standings so far (round stopped)"
    assert "no winner" in (stopped.description or "")


def test_status_splits_answered_and_waiting() -> None:
    embed = round_embeds.round_status_embed(view(answered=frozenset({2})), "<#99>")
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Answered (1)"] == "✅ Bob"
    assert "Ada" in (fields["Waiting (1)"] or "")
    assert "<#99>" in (embed.description or "")
