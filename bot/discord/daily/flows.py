"""What /daily and the Answer button do: manage the schedule, answer, reveal, opt in to names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord

from bot.discord.cooldowns import OnCooldown
from bot.discord.daily.buttons import DailyButton
from bot.discord.daily.embeds import schedule_embed
from bot.discord.daily.posting import ChannelUnusable, DailyPoster
from bot.discord.interview.embeds import result_embed
from bot.discord.lookups import user_of
from bot.discord.permissions import require_manager
from bot.discord.text import send
from bot.discord.ui import answer_modal
from bot.engine.answers import accept_answer
from bot.engine.daily import DailyService
from bot.engine.errors import InvalidSchedule
from bot.engine.reminders import ReminderService

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

# What the bot needs in the daily channel: see it, post in it, and post embeds.
NEEDED = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)


class DailyFlows:
    def __init__(
        self,
        bot: InterviewBot,
        service: DailyService,
        poster: DailyPoster,
        habits: ReminderService,
    ) -> None:
        self.bot = bot
        self.service = service
        self.poster = poster
        self.habits = habits

    async def set_schedule(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        topic: str | None,
        difficulty: str | None,
    ) -> None:
        await require_manager(self.bot, interaction)
        guild = interaction.guild
        assert guild is not None
        missing = [
            name
            for name, value in NEEDED
            if value and not getattr(channel.permissions_for(guild.me), name)
        ]
        if missing:
            names = ", ".join(n.replace("_", " ").title() for n in missing)
            raise InvalidSchedule(f"I cannot post in {channel.mention}: I need {names} there.")
        setter = await user_of(self.bot, interaction.user)
        view = await self.service.set(
            guild.id,
            guild.name,
            channel_id=channel.id,
            time_text=time,
            zone_name=timezone,
            topic=topic,
            difficulty=difficulty,
            set_by=setter,
        )
        self.bot.scheduler.poke()
        await send(interaction, ephemeral=True, content="Saved.", embed=schedule_embed(view))

    async def turn_off(self, interaction: discord.Interaction) -> None:
        await require_manager(self.bot, interaction)
        assert interaction.guild_id is not None
        view = await self.service.turn_off(interaction.guild_id)
        self.bot.scheduler.poke()
        text = "The question of the day is off." if view else "It was not on."
        await send(interaction, ephemeral=True, content=text)

    async def status(self, interaction: discord.Interaction) -> None:
        await require_manager(self.bot, interaction)
        assert interaction.guild_id is not None
        view = await self.service.status(interaction.guild_id)
        await send(interaction, ephemeral=True, embed=schedule_embed(view))

    async def reveal(self, interaction: discord.Interaction) -> None:
        """Post the recap now instead of with the next question; answers close."""
        await require_manager(self.bot, interaction)
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        recaps = await self.service.close(interaction.guild_id)
        if not recaps:
            await send(interaction, ephemeral=True, content="There is no open question to reveal.")
            return
        try:
            for recap in recaps:
                await self.poster.post_recap(recap)
        except ChannelUnusable as error:
            raise InvalidSchedule(f"The recap could not be posted: {error}.") from None
        await send(interaction, ephemeral=True, content="The recap is posted; answers are closed.")

    async def names(self, interaction: discord.Interaction, on: bool) -> None:
        user_id = await user_of(self.bot, interaction.user)
        await self.habits.set_daily_names(user_id, on)
        text = (
            "Your name now appears in daily recaps when you are in the top three."
            if on
            else "Daily recaps will count you without naming you."
        )
        await send(interaction, ephemeral=True, content=text)

    # -- answering -----------------------------------------------------------------------------

    async def on_answer_button(self, interaction: discord.Interaction, button: DailyButton) -> None:
        day, _ = await self.service.open_question(button.post_id)
        title = f"Question of the day · {day.isoformat()}"
        await interaction.response.send_modal(
            answer_modal(button.post_id, 0, title, kind="danswer")
        )

    async def on_answer_modal(
        self, interaction: discord.Interaction, match: re.Match[str], values: dict[str, str]
    ) -> None:
        accepted = accept_answer(values.get("answer", ""))
        retry = self.bot.answer_cooldown.retry_after(interaction.user.id)
        if retry:
            raise OnCooldown(retry, "answering")
        await interaction.response.defer(ephemeral=True, thinking=True)
        user_id = await user_of(self.bot, interaction.user)
        feedback = await self.service.answer(int(match["post"]), user_id, accepted)
        title = f"Your answer · question of {feedback.day.isoformat()}"
        await send(
            interaction,
            ephemeral=True,
            embed=result_embed(feedback.result, feedback.question, title),
        )
