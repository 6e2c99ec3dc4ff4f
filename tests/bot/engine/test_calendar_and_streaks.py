"""Local times in IANA zones (DST included) and streaks by the member's own days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.engine.calendar import (
    GRACE,
    next_slot,
    occurrence,
    parse_time,
    zone,
    zone_choices,
)
from bot.engine.errors import InvalidSchedule
from bot.engine.streaks import longest_run, streak_of

BERLIN = zone("Europe/Berlin")
NINE = time(9, 0)


@pytest.mark.parametrize(
    ("text", "expected"), [("09:00", time(9)), ("9:05", time(9, 5)), ("18.30", time(18, 30))]
)
def test_parse_time_accepts_24_hour_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9am", "09:60", "", "noon"])
def test_parse_time_refuses_the_rest_clearly(text: str) -> None:
    with pytest.raises(InvalidSchedule, match="24-hour HH:MM"):
        parse_time(text)


def test_zones_are_iana_names_case_insensitive_with_a_clear_refusal() -> None:
    assert zone("europe/berlin").key == "Europe/Berlin"
    assert zone(None).key == "UTC"
    with pytest.raises(InvalidSchedule, match="IANA name such as Europe/Berlin"):
        zone("Mars/Olympus")
    assert zone_choices("berl")[0] == "Europe/Berlin"
    assert len(zone_choices("")) == 25


def test_nine_in_berlin_on_both_sides_of_the_spring_change() -> None:
    # Europe moves to summer time on 2026-03-29: 09:00 is 08:00 UTC before, 07:00 after.
    assert occurrence(date(2026, 3, 28), NINE, BERLIN) == datetime(2026, 3, 28, 8, tzinfo=UTC)
    assert occurrence(date(2026, 3, 29), NINE, BERLIN) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert occurrence(date(2026, 10, 25), NINE, BERLIN) == datetime(2026, 10, 25, 8, tzinfo=UTC)


def test_skipped_and_repeated_wall_times() -> None:
    skipped = occurrence(date(2026, 3, 29), time(2, 30), BERLIN)  # does not exist that night
    assert skipped == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time
    repeated = occurrence(date(2026, 10, 25), time(2, 30), BERLIN)  # happens twice
    assert repeated == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first one


def test_next_slot_skips_handled_days_and_honours_the_grace() -> None:
    before = datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    assert next_slot(before, NINE, BERLIN, None) == (
        date(2026, 3, 28),
        datetime(2026, 3, 28, 8, tzinfo=UTC),
    )
    # Down at 09:00, back at 09:40: still due, once.
    late = datetime(2026, 3, 28, 8, 40, tzinfo=UTC)
    assert next_slot(late, NINE, BERLIN, date(2026, 3, 27))[0] == date(2026, 3, 28)
    assert next_slot(late, NINE, BERLIN, date(2026, 3, 28))[0] == date(2026, 3, 29)
    # Back after more than the grace: the day is skipped.
    too_late = datetime(2026, 3, 28, 8, tzinfo=UTC) + GRACE + timedelta(minutes=1)
    assert next_slot(too_late, NINE, BERLIN, date(2026, 3, 27)) == (
        date(2026, 3, 29),
        datetime(2026, 3, 29, 7, tzinfo=UTC),
    )


def test_a_slot_just_before_midnight_missed_into_the_next_day_is_still_taken() -> None:
    at = time(23, 30)
    after_midnight = datetime(2026, 6, 2, 22, 10, tzinfo=UTC)  # 00:10 on the 3rd in Berlin
    assert next_slot(after_midnight, at, BERLIN, date(2026, 6, 1))[0] == date(2026, 6, 2)


def test_longest_run() -> None:
    days = [date(2026, 1, d) for d in (1, 2, 3, 5, 6, 9)]
    assert longest_run(days) == 3
    assert longest_run([]) == 0


def test_a_streak_counts_the_members_own_days() -> None:
    # 23:30 UTC is the next day in Tokyo and the same day in New York.
    answers = [datetime(2026, 5, d, 23, 30, tzinfo=UTC) for d in (1, 2, 3)]
    now = datetime(2026, 5, 4, 12, tzinfo=UTC)
    utc = streak_of(answers, zone("UTC"), now)
    assert (utc.current, utc.longest, utc.answered_today, utc.at_risk) == (3, 3, False, True)
    tokyo = streak_of(answers, zone("Asia/Tokyo"), now)  # May 2, 3, 4 and now is May 4
    assert (tokyo.current, tokyo.answered_today, tokyo.at_risk) == (3, True, False)


def test_midnight_breaks_a_streak_only_after_a_whole_day_without_answers() -> None:
    tz = zone("America/New_York")
    answers = [datetime(2026, 5, 1, 15, tzinfo=UTC), datetime(2026, 5, 2, 15, tzinfo=UTC)]
    evening = datetime(2026, 5, 4, 3, 59, tzinfo=UTC)  # 23:59 on May 3 in New York
    assert streak_of(answers, tz, evening).current == 2
    next_morning = datetime(2026, 5, 4, 4, 1, tzinfo=UTC)  # 00:01 on May 4: May 3 was empty
    assert streak_of(answers, tz, next_morning).current == 0
    assert streak_of(answers, tz, next_morning).longest == 2
