"""Solo interview flows: start, present a question, answer, hint, skip, stop, next.

A session runs in one of two places. In a DM or the candidate's private thread, messages are
normal (only they can see them anyway). In a shared channel, everything is ephemeral unless
the candidate presses "Share result".
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import TYPE_CHECKING, Final

import discord

from bot.discord.cooldowns import OnCooldown
from bot.discord.interview import embeds
from bot.discord.interview.buttons import (
    SessionButton,
    ShareButton,
    feedback_buttons,
    question_buttons,
)
from bot.discord.lookups import titles, user_of
from bot.discord.text import NO_MENTIONS, escape, send, timestamp, truncate
from bot.discord.ui import answer_modal
from bot.engine.answers import accept_answer
from bot.engine.errors import (
    AlreadyAnswered,
    EngineError,
    NoQuestions,
    NotYourSession,
    SessionOver,
)
from bot.engine.interview import ALREADY_ANSWERED, Feedback, SessionView

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Final = 1440


def is_shared(channel: object, guild: discord.Guild | None) -> bool:
    """Whether others can read the channel: guild channels except private threads."""
    if guild is None:
        return False
    return not (
        isinstance(channel, discord.Thread) and channel.type is discord.ChannelType.private_thread
    )


class SessionFlows:
    """What the interview commands, buttons, forms and messages do, between Discord and the
    engine's InterviewService."""

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot
        self.service = bot.service

    async def _owner_id(self, user: discord.abc.User, session_id: int | None = None) -> int:
        """The clicker's id if they have one; a stranger gets the polite refusal.

        Without an account the clicker cannot own the session: either it was deleted
        (say, by /forget-me) or it is someone else's.
        """
        known = await self.bot.user_service.find_discord_user(user.id)
        if known is None:
            if session_id is not None:
                await self.service.view(session_id)  # SessionNotFound if it is gone
            raise NotYourSession("This is someone else's interview; start your own.")
        return known

    # -- starting ----------------------------------------------------------------------------

    async def start(
        self,
        interaction: discord.Interaction,
        *,
        topic: str | None,
        difficulty: str | None,
        count: int | None,
        review: bool = False,
    ) -> None:
        guild = interaction.guild
        shared = is_shared(interaction.channel, guild)
        await interaction.response.defer(ephemeral=shared, thinking=True)
        candidate = await user_of(self.bot, interaction.user)
        if guild is not None:
            await self.bot.settings_service.ensure_guild(guild.id, guild.name)
            settings = await self.bot.settings_service.get(guild.id)
            count = count or settings.default_count
            if not review and difficulty is None:
                difficulty = settings.default_difficulty
        try:
            view = await self.service.start(
                candidate,
                guild_id=guild.id if guild else None,
                channel_id=interaction.channel_id,
                topic=topic,
                difficulty=difficulty,
                count=count or 5,
                review=review,
            )
        except NoQuestions as error:
            if review:
                progress = await self.service.progress(candidate)
                if progress.next_review_at is not None:
                    when = progress.next_review_at
                    raise NoQuestions(
                        "Nothing is due for review yet. The next question is due "
                        f"{timestamp(when, 'F')} ({timestamp(when)})."
                    ) from None
            raise error
        thread = await self._open_thread(interaction) if shared else None
        if thread is not None:
            await self.service.set_channel(view.session_id, candidate, thread.id)
            await thread.send(
                embed=embeds.question_embed(view, interaction.user.display_name),
                view=question_buttons(view.session_id, view.position),
                allowed_mentions=NO_MENTIONS,
            )
            await send(
                interaction,
                ephemeral=True,
                content=f"Your {view.total}-question interview is ready in {thread.mention}.",
            )
            return
        await self.present(interaction, view, shared=shared)

    async def _open_thread(self, interaction: discord.Interaction) -> discord.Thread | None:
        """A private thread for the candidate, or None when the guild or channel forbids it."""
        channel = interaction.channel
        if not isinstance(channel, discord.TextChannel):
            return None
        name = truncate(f"Interview · {interaction.user.display_name}", 100)
        try:
            thread = await channel.create_thread(
                name=name,
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
            await thread.add_user(interaction.user)
        except discord.HTTPException as error:
            log.info("no private thread in channel %s (%s); staying in it", channel.id, error)
            return None
        return thread

    async def present(
        self, interaction: discord.Interaction, view: SessionView, *, shared: bool
    ) -> None:
        if view.question is None:
            await self.show_summary(interaction, view.session_id, shared=shared)
            return
        await send(
            interaction,
            ephemeral=shared,
            embed=embeds.question_embed(view, interaction.user.display_name),
            view=question_buttons(view.session_id, view.position),
        )

    async def show_summary(
        self, interaction: discord.Interaction, session_id: int, *, shared: bool
    ) -> None:
        summary = await self.service.summary(session_id)
        asked = [a.question_id for a in summary.answered]
        named = await titles(self.bot, asked, interaction.guild_id)
        await send(interaction, ephemeral=shared, embed=embeds.summary_embed(summary, named))

    # -- /interview stop and status ----------------------------------------------------------

    async def stop_session(self, interaction: discord.Interaction) -> None:
        shared = is_shared(interaction.channel, interaction.guild)
        owner = await self.bot.user_service.find_discord_user(interaction.user.id)
        active = await self.service.active_session(owner, interaction.guild_id) if owner else None
        if owner is None or active is None:
            await send(
                interaction,
                ephemeral=True,
                content="You have no interview running here. `/interview start` begins one.",
            )
            return
        await self.service.stop(active.session_id, owner)
        await self.show_summary(interaction, active.session_id, shared=shared)

    async def show_status(self, interaction: discord.Interaction) -> None:
        owner = await self.bot.user_service.find_discord_user(interaction.user.id)
        active = await self.service.active_session(owner, interaction.guild_id) if owner else None
        if owner is None or active is None or active.question is None:
            await send(
                interaction,
                ephemeral=True,
                content="You have no interview running here. `/interview start` begins one.",
            )
            return
        channel_id = await self.service.session_channel(active.session_id)
        where = f"<#{channel_id}>" if channel_id and channel_id != interaction.channel_id else None
        await send(
            interaction,
            ephemeral=True,
            embed=embeds.status_embed(active, where),
            view=question_buttons(active.session_id, active.position),
        )

    # -- buttons -----------------------------------------------------------------------------

    async def on_button(self, interaction: discord.Interaction, button: SessionButton) -> None:
        action, session_id, position = button.action, button.session_id, button.position
        shared = is_shared(interaction.channel, interaction.guild)
        owner = await self._owner_id(interaction.user, session_id)
        if action == "answer":
            view = await self.service.view(session_id, owner)
            self._require_current(view, position)
            assert view.question is not None
            title = f"Question {view.number} of {view.total}"
            await interaction.response.send_modal(answer_modal(session_id, position, title))
        elif action == "hint":
            text, view = await self.service.hint(session_id, owner, expected_position=position)
            message = (
                f"💡 Hint {view.hints_used}: {escape(text)}"
                if text
                else "No more hints for this one: give it your best shot."
            )
            await send(interaction, ephemeral=True, content=message)
        elif action == "skip":
            view = await self.service.skip(session_id, owner, expected_position=position)
            await self._retire_buttons(interaction.message)
            await self.present(interaction, view, shared=shared)
        elif action == "stop":
            await self.service.stop(session_id, owner)
            await self.show_summary(interaction, session_id, shared=shared)
        elif action == "next":
            view = await self.service.view(session_id, owner)
            if not view.active:
                await self.show_summary(interaction, session_id, shared=shared)
                return
            if view.position != position:
                raise AlreadyAnswered("You have already moved on to that question.")
            await self.present(interaction, view, shared=shared)
        elif action == "model":
            question = await self.service.question_at(session_id, position, owner)
            await send(interaction, ephemeral=True, embed=embeds.model_answer_embed(question))

    @staticmethod
    async def _retire_buttons(message: discord.Message | None) -> None:
        """An answered or skipped question loses its buttons, so the thread reads cleanly.

        Ephemeral messages cannot be edited this way; their stale buttons refuse politely.
        """
        if message is None or message.flags.ephemeral or not message.components:
            return
        try:
            await message.edit(view=None)
        except discord.HTTPException:
            log.info("could not remove the buttons of message %s", message.id)

    @staticmethod
    def _require_current(view: SessionView, position: int) -> None:
        if not view.active:
            raise SessionOver("This interview is over. `/interview start` begins a new one.")
        if view.position != position:
            raise AlreadyAnswered(ALREADY_ANSWERED)

    async def on_share(self, interaction: discord.Interaction, button: ShareButton) -> None:
        owner = await self._owner_id(interaction.user)
        result = await self.service.attempt_result(button.attempt_id, owner)
        embed = embeds.shared_result_embed(
            interaction.user.display_name,
            result.question,
            result.score,
            result.band,
            result.covered,
            result.missed,
        )
        await send(interaction, ephemeral=False, embed=embed)

    # -- answers -----------------------------------------------------------------------------

    async def on_answer_modal(
        self, interaction: discord.Interaction, match: re.Match[str], values: dict[str, str]
    ) -> None:
        session_id, position = int(match["session"]), int(match["position"])
        shared = is_shared(interaction.channel, interaction.guild)
        # Refused before deferring, so the refusal stays private.
        accepted = accept_answer(values.get("answer", ""))
        retry = self.bot.answer_cooldown.retry_after(interaction.user.id)
        if retry:
            raise OnCooldown(retry, "answering")
        await interaction.response.defer(ephemeral=shared, thinking=True)
        owner = await self._owner_id(interaction.user)
        feedback = await self.service.submit(
            session_id, owner, accepted, expected_position=position
        )
        await self._retire_buttons(interaction.message)
        await send(
            interaction,
            ephemeral=shared,
            embed=embeds.feedback_embed(feedback),
            view=self.feedback_view(feedback, shared=shared),
        )

    @staticmethod
    def feedback_view(feedback: Feedback, *, shared: bool) -> discord.ui.View:
        return feedback_buttons(
            feedback.next.session_id,
            feedback.number - 1,
            finished=not feedback.next.active,
            attempt_id=feedback.attempt_id if shared else None,
        )

    async def on_message(self, message: discord.Message) -> None:
        """With the message-content intent, a plain message in the session's place is an
        answer; its errors are replies, since a message has no private channel back."""
        if not self.bot.intents.message_content or message.author.bot:
            return
        try:
            await self._answer_message(message)
        except EngineError as error:
            await message.reply(str(error), allowed_mentions=NO_MENTIONS)
        except Exception:
            ref = secrets.token_hex(4)
            log.exception("answer by message failed (ref %s)", ref)
            await message.reply(f"Something went wrong (ref: {ref}).", allowed_mentions=NO_MENTIONS)

    async def _answer_message(self, message: discord.Message) -> None:
        if not message.content.strip():
            return
        owner = await self.bot.user_service.find_discord_user(message.author.id)
        if owner is None:
            return
        guild_id = message.guild.id if message.guild else None
        active = await self.service.active_session(owner, guild_id)
        if active is None or active.question is None:
            return
        if is_shared(message.channel, message.guild):
            return
        if await self.service.session_channel(active.session_id) != message.channel.id:
            return
        if self.bot.answer_cooldown.retry_after(message.author.id):
            await message.reply(
                "You're answering too fast; wait a moment and send it again.",
                allowed_mentions=NO_MENTIONS,
            )
            return
        feedback = await self.service.submit(
            active.session_id, owner, message.content, expected_position=active.position
        )
        await message.reply(
            embed=embeds.feedback_embed(feedback),
            view=self.feedback_view(feedback, shared=False),
            allowed_mentions=NO_MENTIONS,
        )
