"""What /remind and the reminder's button do."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.discord.interview.buttons import question_buttons
from bot.discord.interview.embeds import question_embed
from bot.discord.lookups import user_of
from bot.discord.reminders.buttons import ReminderButton
from bot.discord.reminders.embeds import habits_embed
from bot.discord.text import send, timestamp
from bot.engine.errors import NoQuestions, NotAllowed
from bot.engine.interview import DEFAULT_COUNT
from bot.engine.reminders import ReminderService

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


class ReminderFlows:
    def __init__(self, bot: InterviewBot, service: ReminderService) -> None:
        self.bot = bot
        self.service = service

    async def turn_on(
        self, interaction: discord.Interaction, time: str | None, timezone: str | None
    ) -> None:
        user_id = await user_of(self.bot, interaction.user)
        view = await self.service.turn_on(user_id, time, timezone)
        self.bot.scheduler.poke()
        await send(
            interaction, ephemeral=True, content="Reminders are on.", embed=habits_embed(view)
        )

    async def turn_off(self, interaction: discord.Interaction) -> None:
        user_id = await user_of(self.bot, interaction.user)
        view = await self.service.turn_off(user_id)
        self.bot.scheduler.poke()
        await send(
            interaction, ephemeral=True, content="Reminders are off.", embed=habits_embed(view)
        )

    async def status(self, interaction: discord.Interaction) -> None:
        known = await self.bot.user_service.find_discord_user(interaction.user.id)
        view = await self.service.status(known) if known is not None else None
        if view is None:
            await send(interaction, ephemeral=True, content="Reminders are off. `/remind on`.")
            return
        await send(interaction, ephemeral=True, embed=habits_embed(view))

    async def set_timezone(self, interaction: discord.Interaction, timezone: str) -> None:
        user_id = await user_of(self.bot, interaction.user)
        view = await self.service.set_timezone(user_id, timezone)
        self.bot.scheduler.poke()
        await send(
            interaction,
            ephemeral=True,
            content=f"Your days now follow {view.timezone} (streaks and reminders).",
        )

    async def on_button(self, interaction: discord.Interaction, button: ReminderButton) -> None:
        """Start the review (or one question) in the DM, as /review would there."""
        if interaction.user.id != button.member_id:
            raise NotAllowed("This reminder is someone else's.")
        await interaction.response.defer(thinking=True)
        user_id = await user_of(self.bot, interaction.user)
        review = button.action == "review"
        try:
            view = await self.bot.service.start(
                user_id,
                channel_id=interaction.channel_id,
                count=DEFAULT_COUNT if review else 1,
                review=review,
            )
        except NoQuestions:
            progress = await self.bot.service.progress(user_id)
            if not review or progress.next_review_at is None:
                raise
            when = progress.next_review_at
            message = f"Nothing is due any more; the next review is {timestamp(when)}."
            raise NoQuestions(message) from None
        await send(
            interaction,
            ephemeral=False,
            embed=question_embed(view, interaction.user.display_name),
            view=question_buttons(view.session_id, view.position),
        )
