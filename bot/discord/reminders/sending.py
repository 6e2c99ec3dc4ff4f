"""Sending review reminders when the scheduler says they are due.

Only members who turned reminders on are ever messaged. A member whose DMs are closed gets
the reminders turned off, with the reason, which /remind status and /progress show.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.discord.reminders.buttons import reminder_buttons
from bot.discord.reminders.embeds import reminder_embed
from bot.discord.text import NO_MENTIONS
from bot.engine.reminders import CLOSED_DMS, Reminder, ReminderService

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)


class ReminderSender:
    """The reminders' job in the bot's scheduler."""

    name = "reminders"

    def __init__(self, bot: InterviewBot, service: ReminderService) -> None:
        self.bot = bot
        self.service = service

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.service.next_due(now, self.bot.scheduler.owns)

    async def run_due(self, now: datetime) -> None:
        for slot in await self.service.due(now, self.bot.scheduler.owns):
            try:
                reminder = await self.service.claim(slot)
                if reminder is not None:
                    await self.send(reminder)
            except Exception:
                log.exception("reminder for user %s failed", slot.user_id)

    async def send(self, reminder: Reminder) -> None:
        action = "review" if reminder.due else "practice"
        try:
            user = self.bot.get_user(reminder.discord_id) or await self.bot.fetch_user(
                reminder.discord_id
            )
            await user.send(
                embed=reminder_embed(reminder),
                view=reminder_buttons(action, reminder.discord_id),
                allowed_mentions=NO_MENTIONS,
            )
        except (discord.Forbidden, discord.NotFound):
            await self.service.turn_off(reminder.user_id, CLOSED_DMS)
            log.info("reminders of user %s turned off: DMs closed", reminder.user_id)
