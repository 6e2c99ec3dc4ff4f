"""Rounds beyond the round: the per-guild leaderboard of rounds played and won, and
forgetting a member's round data, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.engine.leaderboard import LeaderboardService
from bot.engine.rounds import RoundService
from bot.engine.users import UserService
from storage.database import Database
from storage.models import Attempt, RoundAnswer, RoundParticipant
from tests.bot.engine.interview.test_service import GOOD
from tests.bot.engine.rounds.helpers import (
    CACHE_ONLY,
    CHANNEL,
    GUILD,
    INDEX_ONLY,
    NOTHING,
    OTHER_CHANNEL,
    OTHER_GUILD,
    THREAD,
    ManualTime,
    count,
    play,
    running_round,
)


async def test_leaderboard_counts_rounds_played_and_won_per_guild(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob, cy, dan = (people[n] for n in ("ada", "bob", "cy", "dan"))
    await play(service, CHANNEL, GUILD, {ada: GOOD, bob: CACHE_ONLY})  # ada wins
    clock.advance(10 * 86400)
    await play(service, CHANNEL, GUILD, {bob: GOOD, ada: NOTHING, cy: INDEX_ONLY})  # bob
    stopped = await running_round(service, [cy, ada], channel_id=CHANNEL)
    await service.stop(stopped.round_id)  # played by both, won by nobody
    await play(service, OTHER_CHANNEL, OTHER_GUILD, {dan: GOOD, ada: NOTHING})  # elsewhere
    cancelled = await service.create(GUILD, THREAD, dan)
    await service.begin(cancelled.round_id)
    await running_round(service, [dan], channel_id=THREAD)  # still running: not counted

    boards = LeaderboardService(database, clock)
    board = await boards.leaderboard(GUILD, "all")
    assert [(r.display_name, r.played, r.won) for r in board.by_rounds] == [
        ("ada", 3, 1),
        ("bob", 2, 1),
        ("cy", 2, 0),
    ]
    week = await boards.leaderboard(GUILD, "week")
    assert [(r.display_name, r.played, r.won) for r in week.by_rounds] == [
        ("bob", 1, 1),
        ("ada", 2, 0),
        ("cy", 2, 0),
    ]
    other = await boards.leaderboard(OTHER_GUILD, "all")
    assert [(r.display_name, r.played, r.won) for r in other.by_rounds] == [
        ("dan", 1, 1),
        ("ada", 1, 0),
    ]
    # Round answers are attempts like any other, so they count on the other boards too.
    assert {t.display_name: t.answered for t in board.by_answered} == {
        "ada": 2,
        "bob": 2,
        "cy": 1,
    }
    assert (await boards.leaderboard(12345, "all")).by_rounds == ()


async def test_forget_me_deletes_round_data(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    round_id = await play(service, CHANNEL, GUILD, {ada: GOOD, bob: CACHE_ONLY})
    view = await running_round(service, [bob, ada], channel_id=OTHER_CHANNEL)
    await service.submit(view.round_id, 0, ada, GOOD)  # not scored yet

    counts = await UserService(database).forget_discord_user(100)  # ada's Discord id
    assert (counts["round_answers"], counts["round_participations"], counts["attempts"]) == (
        2,
        2,
        1,
    )
    assert await count(database, RoundAnswer, user_id=ada) == 0
    assert await count(database, RoundParticipant, user_id=ada) == 0
    assert await count(database, Attempt, user_id=ada) == 0
    standings = await service.standings(round_id)
    assert [r.display_name for r in standings.rows] == ["bob"]
    assert standings.winner_user_id is None  # ada had won; the round stays, unattributed
    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None and [r.display_name for r in reveal.ranking] == ["bob"]
