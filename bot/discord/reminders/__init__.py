"""Review reminders: /remind, the daily DM with its Start review button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.reminders.buttons import ReminderButton
from bot.discord.reminders.cog import Remind
from bot.discord.reminders.flows import ReminderFlows
from bot.discord.reminders.sending import ReminderSender
from bot.engine.reminders import ReminderService

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    service = ReminderService(bot.database, bot.bank, bot.clock)
    flows = ReminderFlows(bot, service)
    bot.routes.button(ReminderButton, flows.on_button)
    bot.scheduler.add(ReminderSender(bot, service))
    await bot.add_cog(Remind(flows))
