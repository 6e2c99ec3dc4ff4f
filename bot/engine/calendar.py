"""Local times in IANA time zones: validation, the next posting slot, local days.

Schedules are stored as a wall-clock time ("09:00") plus a zone, never as a UTC instant, so
a daily question stays at 09:00 in Berlin on both sides of a daylight-saving change. A time
that does not exist that day (skipped by the spring change) falls an hour later; a time that
happens twice (the autumn change) is taken the first time.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from bot.engine.errors import InvalidSchedule

DEFAULT_ZONE = "UTC"
# A slot missed while the bot was down is still taken this long after its time.
GRACE = timedelta(hours=1)

_TIME = re.compile(r"(?P<hour>[01]?[0-9]|2[0-3])[:.h](?P<minute>[0-5][0-9])")


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA name (from the `tzdata` package when the system has no database)."""
    return tuple(sorted(available_timezones()))


def zone(name: str | None) -> ZoneInfo:
    """The zone called `name` (UTC for None), or InvalidSchedule naming what was wrong."""
    name = (name or DEFAULT_ZONE).strip()
    if name in zone_names():
        return ZoneInfo(name)
    folded = {n.casefold(): n for n in zone_names()}
    if name.casefold() in folded:
        return ZoneInfo(folded[name.casefold()])
    raise InvalidSchedule(
        f"'{name[:64]}' is not a time zone I know. Use an IANA name such as Europe/Berlin, "
        "America/New_York or Asia/Kolkata (the option suggests them as you type)."
    )


def zone_choices(typed: str, limit: int = 25) -> list[str]:
    """Names containing what was typed, those starting with it first (for autocomplete)."""
    wanted = typed.strip().casefold().replace(" ", "_")
    matches = [n for n in zone_names() if wanted in n.casefold()]
    matches.sort(key=lambda n: (not n.casefold().startswith(wanted), "/" not in n, n))
    return matches[:limit]


def parse_time(text: str) -> time:
    """A 24-hour wall-clock time: "09:00", "9:00", "18.30" or "18h30"."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise InvalidSchedule(
            f"'{text.strip()[:20]}' is not a time I understand: use the 24-hour HH:MM format, "
            "such as 09:00 or 18:30."
        )
    return time(int(match["hour"]), int(match["minute"]))


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def occurrence(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `at` on local `day`; gaps and repeats resolve as the module says."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_slot(
    now: datetime, at: time, tz: ZoneInfo, last_day: date | None, grace: timedelta = GRACE
) -> tuple[date, datetime]:
    """The next local day not yet handled, and when its slot falls.

    A slot that passed less than `grace` ago is still due (returned with a moment <= now);
    one that passed longer ago is skipped for good: a day's question posted at noon, or a
    reminder hours late, helps nobody.
    """
    day = local_day(now, tz) - timedelta(days=1)
    while True:
        if last_day is None or day > last_day:
            moment = occurrence(day, at, tz)
            if moment > now - grace:
                return day, moment
        day += timedelta(days=1)
