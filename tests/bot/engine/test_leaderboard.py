"""Per-guild leaderboards: the pure ranking, then the service on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.errors import EngineError
from bot.engine.interview import InterviewService
from bot.engine.leaderboard import (
    MIN_ANSWERS_FOR_AVERAGE,
    Leaderboard,
    LeaderboardService,
    rank,
    rank_rounds,
)
from bot.engine.users import UserService
from storage.database import Database
from storage.models import Attempt
from storage.repositories import (
    AttemptRepository,
    GuildRepository,
    RoundTotals,
    UserRepository,
    UserTotals,
)
from tests.bot.engine.interview.test_service import GOOD, make_bank

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)
GUILD_A, GUILD_B = 111, 222


def totals(name: str, answered: int, average: float, user_id: int = 0) -> UserTotals:
    return UserTotals(user_id, name, answered, average)


def names(rows: list[UserTotals] | tuple[UserTotals, ...]) -> list[str]:
    return [row.display_name for row in rows]


# -- rank --------------------------------------------------------------------------------


def test_rank_orders_by_average_and_by_answered() -> None:
    rows = [
        totals("low", 5, 40.0),
        totals("high", 3, 90.0),
        totals("busy", 9, 70.0),
    ]
    by_average, by_answered = rank(rows, min_answers=3, top=10)
    assert names(by_average) == ["high", "busy", "low"]
    assert names(by_answered) == ["busy", "low", "high"]


def test_rank_breaks_ties_on_the_other_measure_then_name() -> None:
    rows = [
        totals("dora", 4, 80.0),
        totals("Bob", 3, 80.0),
        totals("ana", 3, 80.0),
        totals("cy", 4, 75.0),
    ]
    by_average, by_answered = rank(rows, min_answers=1, top=10)
    # Same average: more answers first, then by name ignoring case.
    assert names(by_average) == ["dora", "ana", "Bob", "cy"]
    # Same answer count: better average first, then by name ignoring case.
    assert names(by_answered) == ["dora", "cy", "ana", "Bob"]


def test_rank_needs_min_answers_for_the_average_board_only() -> None:
    rows = [totals("once", 1, 100.0), totals("twice", 2, 95.0), totals("thrice", 3, 50.0)]
    by_average, by_answered = rank(rows, min_answers=3, top=10)
    assert names(by_average) == ["thrice"]
    assert names(by_answered) == ["thrice", "twice", "once"]
    by_average, _ = rank(rows, min_answers=4, top=10)
    assert by_average == []


def test_rank_keeps_the_top() -> None:
    rows = [totals(f"user{n:02}", n, float(n)) for n in range(1, 16)]
    by_average, by_answered = rank(rows, min_answers=1, top=3)
    assert names(by_average) == ["user15", "user14", "user13"]
    assert names(by_answered) == ["user15", "user14", "user13"]
    assert rank([], 3, 10) == ([], [])


def test_rank_rounds_by_won_then_played_then_name() -> None:
    rows = [
        RoundTotals(1, "dora", 5, 1),
        RoundTotals(2, "Bob", 4, 3),
        RoundTotals(3, "ana", 4, 3),
        RoundTotals(4, "cy", 6, 3),
        RoundTotals(5, "never", 0, 0),
    ]
    assert [(r.display_name, r.played, r.won) for r in rank_rounds(rows, top=10)] == [
        ("cy", 6, 3),
        ("ana", 4, 3),
        ("Bob", 4, 3),
        ("dora", 5, 1),
    ]
    assert [r.display_name for r in rank_rounds(rows, top=2)] == ["cy", "ana"]
    assert rank_rounds([], 10) == []


def test_boards_built_without_rounds_have_none() -> None:
    assert Leaderboard("all", None, 3, (), (), 0).by_rounds == ()


# -- the service -------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def users(database: Database) -> dict[str, int]:
    """Four Discord users and the two guilds they answer in."""
    async with database.session() as session:
        guilds = GuildRepository(session)
        await guilds.ensure(GUILD_A, "Guild A")
        await guilds.ensure(GUILD_B, "Guild B")
        repository = UserRepository(session)
        ids = {
            name: (await repository.get_or_create_discord(discord_id, name)).id
            for discord_id, name in enumerate(["ana", "bob", "cy", "dan"], start=500)
        }
        await session.commit()
    return ids


async def add_attempts(
    database: Database, user_id: int, guild_id: int | None, scores_and_ages: list[tuple[int, float]]
) -> None:
    """One attempt per (score, days before NOW)."""
    async with database.session() as session:
        repository = AttemptRepository(session)
        for score, days_ago in scores_and_ages:
            at = NOW - timedelta(days=days_ago)
            await repository.add(
                Attempt(
                    user_id=user_id,
                    guild_id=guild_id,
                    question_id="q-one",
                    topic="caching",
                    pack_id="test-pack",
                    pack_version="1",
                    answer="an answer",
                    score=score,
                    band="good",
                    started_at=at,
                    submitted_at=at,
                )
            )
        await session.commit()


def board_rows(rows: tuple[UserTotals, ...]) -> list[tuple[str, int, float]]:
    return [(row.display_name, row.answered, row.average) for row in rows]


@pytest.fixture
async def history(database: Database, users: dict[str, int]) -> dict[str, int]:
    # Guild A: ana and bob recently, bob also a month-plus ago, cy once; dan answers in B.
    await add_attempts(database, users["ana"], GUILD_A, [(90, 1), (70, 2), (80, 3)])
    await add_attempts(database, users["bob"], GUILD_A, [(100, 1), (60, 10), (80, 20), (0, 60)])
    await add_attempts(database, users["cy"], GUILD_A, [(100, 0)])
    await add_attempts(database, users["dan"], GUILD_B, [(100, 0)] * 5)
    await add_attempts(database, users["dan"], None, [(100, 0)] * 5)  # DM practice
    return users


async def test_all_time_board(database: Database, clock: Clock, history: dict[str, int]) -> None:
    board = await LeaderboardService(database, clock).leaderboard(GUILD_A, "all")
    assert (board.period, board.since, board.min_answers) == ("all", None, MIN_ANSWERS_FOR_AVERAGE)
    assert board.participants == 3
    assert board_rows(board.by_average) == [("ana", 3, 80.0), ("bob", 4, 60.0)]
    assert board_rows(board.by_answered) == [
        ("bob", 4, 60.0),
        ("ana", 3, 80.0),
        ("cy", 1, 100.0),
    ]
    assert {row.user_id for row in board.by_answered} == {
        history["ana"],
        history["bob"],
        history["cy"],
    }


async def test_other_guilds_and_dms_never_show(
    database: Database, clock: Clock, history: dict[str, int]
) -> None:
    service = LeaderboardService(database, clock)
    for period in ("week", "month", "all"):
        board = await service.leaderboard(GUILD_A, period)
        assert "dan" not in names(board.by_answered)
        assert history["dan"] not in {row.user_id for row in board.by_answered}
    board_b = await service.leaderboard(GUILD_B, "all")
    assert board_rows(board_b.by_answered) == [("dan", 5, 100.0)]
    assert board_rows(board_b.by_average) == [("dan", 5, 100.0)]
    empty = await service.leaderboard(333, "all")
    assert (empty.participants, empty.by_average, empty.by_answered) == (0, (), ())


async def test_week_and_month_windows(
    database: Database, clock: Clock, history: dict[str, int]
) -> None:
    service = LeaderboardService(database, clock)
    week = await service.leaderboard(GUILD_A, "week")
    assert week.since == NOW - timedelta(days=7)
    assert board_rows(week.by_answered) == [("ana", 3, 80.0), ("bob", 1, 100.0), ("cy", 1, 100.0)]
    assert board_rows(week.by_average) == [("ana", 3, 80.0)]
    assert week.participants == 3

    month = await service.leaderboard(GUILD_A, "month")
    assert month.since == NOW - timedelta(days=30)
    assert board_rows(month.by_answered) == [("ana", 3, 80.0), ("bob", 3, 80.0), ("cy", 1, 100.0)]
    assert board_rows(month.by_average) == [("ana", 3, 80.0), ("bob", 3, 80.0)]

    # The window follows the clock: 28.5 days on, the month starts 1.5 days before NOW.
    clock.now = NOW + timedelta(days=28.5)
    later = await service.leaderboard(GUILD_A, "month")
    assert later.since == NOW - timedelta(days=1.5)
    assert board_rows(later.by_answered) == [("bob", 1, 100.0), ("cy", 1, 100.0), ("ana", 1, 90.0)]
    assert later.by_average == ()
    assert board_rows((await service.leaderboard(GUILD_A, "week")).by_answered) == []


async def test_window_includes_its_first_instant(
    database: Database, clock: Clock, users: dict[str, int]
) -> None:
    await add_attempts(database, users["ana"], GUILD_A, [(50, 7)])
    await add_attempts(database, users["bob"], GUILD_A, [(50, 7.001)])
    board = await LeaderboardService(database, clock).leaderboard(GUILD_A, "week")
    assert names(board.by_answered) == ["ana"]


async def test_unknown_period(database: Database, clock: Clock) -> None:
    with pytest.raises(EngineError) as caught:
        await LeaderboardService(database, clock).leaderboard(GUILD_A, "year")
    assert str(caught.value) == "The period must be one of: week, month, all."


async def test_display_names_come_from_users(
    database: Database, clock: Clock, history: dict[str, int]
) -> None:
    async with database.session() as session:
        await UserRepository(session).get_or_create_discord(500, "Ana Renamed")
        await session.commit()
    board = await LeaderboardService(database, clock).leaderboard(GUILD_A, "all")
    assert names(board.by_answered) == ["bob", "Ana Renamed", "cy"]


async def test_attempts_made_through_the_engine(database: Database, clock: Clock) -> None:
    interviews = InterviewService(database, make_bank(), clock=clock)
    async with database.session() as session:
        await GuildRepository(session).ensure(GUILD_A, "Guild A")
        await GuildRepository(session).ensure(GUILD_B, "Guild B")
        await session.commit()
    ana = await UserService(database).discord_user(1, "ana")
    bob = await UserService(database).discord_user(2, "bob")
    scores: dict[int, list[int]] = {ana: [], bob: []}
    for user, guild, answers in ((ana, GUILD_A, 3), (bob, GUILD_A, 1), (bob, GUILD_B, 2)):
        view = await interviews.start(user, guild_id=guild, count=3)
        for _ in range(answers):
            feedback = await interviews.submit(view.session_id, user, GOOD)
            if guild == GUILD_A:
                scores[user].append(feedback.result.score)
    board = await LeaderboardService(database, clock).leaderboard(GUILD_A, "week")
    assert len(scores[ana]) == 3
    assert board_rows(board.by_answered) == [
        ("ana", 3, pytest.approx(sum(scores[ana]) / 3)),
        ("bob", 1, scores[bob][0]),
    ]
    assert board_rows(board.by_average) == [("ana", 3, pytest.approx(sum(scores[ana]) / 3))]
    assert board.participants == 2
