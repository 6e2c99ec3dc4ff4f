"""The question of the day: /daily, the scheduled post and recap, the Answer button and form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.daily.buttons import DAILY_ANSWER_MODAL, DailyButton
from bot.discord.daily.cog import Daily
from bot.discord.daily.flows import DailyFlows
from bot.discord.daily.posting import DailyPoster
from bot.engine.daily import DailyService
from bot.engine.reminders import ReminderService

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    service = DailyService(bot.database, bot.bank, bot.clock)
    poster = DailyPoster(bot, service)
    flows = DailyFlows(bot, service, poster, ReminderService(bot.database, bot.bank, bot.clock))
    bot.routes.button(DailyButton, flows.on_answer_button)
    bot.routes.modal(DAILY_ANSWER_MODAL, flows.on_answer_modal, echo="answer")
    bot.scheduler.add(poster)
    await bot.add_cog(Daily(flows))
