"""Posting the question of the day when the scheduler says it is due.

Each post is claimed in the database before it is sent (see the engine's DailyService), so a
second process or a restart mid-post never posts a day twice. A channel the bot can no
longer post in (deleted, or permissions lost) turns the schedule off and the manager who
set it is told by DM.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.daily.buttons import daily_buttons
from bot.discord.daily.embeds import daily_embed, recap_embed
from bot.discord.text import NO_MENTIONS
from bot.engine.daily import DailyService, Recap, ScheduleView
from bot.engine.errors import NoQuestions

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)


class ChannelUnusable(Exception):
    """The schedule's channel is gone or the bot may not post there; str() says which."""


class DailyPoster:
    """The daily question's job in the bot's scheduler."""

    name = "daily"

    def __init__(self, bot: InterviewBot, service: DailyService) -> None:
        self.bot = bot
        self.service = service

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.service.next_due(now, self.bot.scheduler.owns)

    async def run_due(self, now: datetime) -> None:
        for schedule in await self.service.due(now, self.bot.scheduler.owns):
            try:
                await self.post(schedule)
            except Exception:
                log.exception("daily question for guild %s failed", schedule.guild_id)

    async def post(self, schedule: ScheduleView) -> None:
        try:
            claimed = await self.service.claim(schedule)
        except NoQuestions as error:
            await self.turn_off(schedule, f"no questions match its filters any more ({error})")
            return
        if claimed is None:
            return  # another process (or an earlier run) has this day
        try:
            channel = await self._channel(claimed.channel_id)
            for recap in await self.service.close(claimed.guild_id, claimed.day):
                await self.post_recap(recap)
            message = await channel.send(
                embed=daily_embed(claimed.question, claimed.day.strftime("%A %d %B %Y")),
                view=daily_buttons(claimed.post_id),
                allowed_mentions=NO_MENTIONS,
            )
        except ChannelUnusable as error:
            await self.turn_off(schedule, str(error))
            return
        await self.service.set_message(claimed.post_id, message.id)
        log.info("posted the question of %s in guild %s", claimed.day, claimed.guild_id)

    async def post_recap(self, recap: Recap) -> None:
        """The recap goes where its question was; the question loses its Answer button."""
        channel = await self._channel(recap.channel_id)
        if recap.message_id is not None:
            try:
                await channel.get_partial_message(recap.message_id).edit(view=None)
            except discord.HTTPException:
                log.info("could not close daily question message %s", recap.message_id)
        await channel.send(embed=recap_embed(recap), allowed_mentions=NO_MENTIONS)

    async def _channel(self, channel_id: int) -> Any:
        """The channel, if the bot can still post in it."""
        channel = self.bot.get_channel(channel_id)
        try:
            if channel is None:
                channel = await self.bot.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            raise ChannelUnusable(f"the channel <#{channel_id}> was deleted") from None
        return _Guarded(channel)

    async def turn_off(self, schedule: ScheduleView, reason: str) -> None:
        view = await self.service.turn_off(schedule.guild_id, reason)
        if view is None:
            return
        log.info("daily question of guild %s turned off: %s", schedule.guild_id, reason)
        if view.set_by_discord_id is None:
            return
        guild = self.bot.get_guild(schedule.guild_id)
        where = f"**{discord.utils.escape_markdown(guild.name)}**" if guild else "your server"
        try:
            user = self.bot.get_user(view.set_by_discord_id) or await self.bot.fetch_user(
                view.set_by_discord_id
            )
            await user.send(
                f"I turned off the question of the day in {where}: {reason}. "
                "`/daily set` there chooses a channel I can post in.",
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            log.info("could not tell manager %s about guild %s", view.set_by_discord_id, where)


class _Guarded:
    """A channel whose send turns Discord's "gone" and "not allowed" into ChannelUnusable."""

    def __init__(self, channel: Any) -> None:
        self.channel = channel

    def get_partial_message(self, message_id: int) -> Any:
        return self.channel.get_partial_message(message_id)

    async def send(self, **kwargs: Any) -> discord.Message:
        mention = f"<#{self.channel.id}>"
        try:
            return await self.channel.send(**kwargs)  # type: ignore[no-any-return]
        except discord.NotFound:
            raise ChannelUnusable(f"the channel {mention} was deleted") from None
        except discord.Forbidden:
            raise ChannelUnusable(
                f"I am no longer allowed to post in {mention} (I need View Channel, Send "
                "Messages and Embed Links there)"
            ) from None
