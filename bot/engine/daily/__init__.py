"""The question of the day: one question per server per local day, answered privately."""

from bot.engine.daily.service import RECENT_DAYS, DailyService, choose_daily
from bot.engine.daily.views import (
    ClaimedPost,
    DailyFeedback,
    Podium,
    Recap,
    ScheduleView,
)

__all__ = [
    "RECENT_DAYS",
    "ClaimedPost",
    "DailyFeedback",
    "DailyService",
    "Podium",
    "Recap",
    "ScheduleView",
    "choose_daily",
]
