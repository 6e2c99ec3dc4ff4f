"""In-session flows: the interviewer's private kit and checklist, the rating form, the
candidate's written answer, each member's feedback, the session vote, leaving and reporting."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord

from bot.discord.cooldowns import OnCooldown
from bot.discord.mock import embeds
from bot.discord.mock.buttons import (
    ANSWER_KIND,
    ChecklistSelect,
    MockButton,
    chosen,
    kit_view,
    modal_choices,
    rate_modal,
    report_modal,
)
from bot.discord.mock.flows import MatchFlows
from bot.discord.mock.room import RoomKeeper
from bot.discord.text import NO_MENTIONS, send
from bot.discord.ui import answer_modal
from bot.engine.answers import accept_answer
from bot.engine.errors import MockError
from bot.engine.mock import MockService, Person, Rating, SessionView
from bot.engine.mock.rules import AXES

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)
NOT_YOURS = "This isn't your mock interview."


class SessionFlows:
    def __init__(
        self, bot: InterviewBot, service: MockService, keeper: RoomKeeper, match: MatchFlows
    ) -> None:
        self.bot = bot
        self.service = service
        self.keeper = keeper
        self.match = match

    async def _me(self, interaction: discord.Interaction) -> int:
        user_id = await self.bot.user_service.find_discord_user(interaction.user.id)
        if user_id is None:
            raise MockError(NOT_YOURS)
        return user_id

    async def on_button(self, interaction: discord.Interaction, button: MockButton) -> None:
        action, sid, number = button.action, button.session_id, button.number
        if action in ("accept", "decline"):
            await self.match.on_invite_button(interaction, button)
        elif action == "requeue":
            await self.match.on_requeue(interaction, button)
        elif action == "kit":
            state = await self.service.kit(sid, number, await self._me(interaction))
            await send(
                interaction,
                ephemeral=True,
                embed=embeds.kit_embed(state),
                view=kit_view(sid, state),
            )
        elif action == "rate":
            state = await self.service.kit(sid, number, await self._me(interaction))
            await interaction.response.send_modal(rate_modal(sid, state))
        elif action == "answer":
            current = (await self.service.view(sid)).current
            if current is None or current.number != number:
                raise MockError("This round is over; the session has moved on.")
            if current.candidate.discord_id != interaction.user.id:
                raise MockError("Only this round's candidate can answer here.")
            await interaction.response.send_modal(
                answer_modal(sid, number, f"Your answer · round {number}", kind=ANSWER_KIND)
            )
        elif action == "mine":
            view = await self.service.view(sid)
            me = await self._me(interaction)
            if not view.has(me):
                raise MockError(NOT_YOURS)
            await send(
                interaction, ephemeral=True, embed=embeds.feedback_embed(view.as_candidate(me))
            )
        elif action in ("useful", "useless"):
            await self.service.vote(sid, await self._me(interaction), action == "useful")
            text = (
                "Thanks: glad it helped."
                if action == "useful"
                else "Thanks for saying so: the queue won't pair you two again."
            )
            await send(interaction, ephemeral=True, content=text)
        elif action == "leave":
            await interaction.response.defer(ephemeral=True, thinking=True)
            view = await self.service.leave_session(sid, await self._me(interaction))
            await self.keeper.close(view)
            await send(interaction, ephemeral=True, content="You left; your partner was told.")
        elif action == "report":
            view = await self.service.view(sid)
            if not view.has(await self._me(interaction)):
                raise MockError(NOT_YOURS)
            await interaction.response.send_modal(report_modal(sid))

    async def on_checklist(self, interaction: discord.Interaction, menu: ChecklistSelect) -> None:
        """Ticking replaces the checklist with what is selected now; the kit redraws."""
        me = await self._me(interaction)
        before = await self.service.kit(menu.session_id, menu.number, me)
        names = [c.name for c in before.question.rubric]
        picked = [names[int(v)] for v in chosen(interaction) if v.isdigit() and int(v) < len(names)]
        state = await self.service.tick(menu.session_id, menu.number, me, picked)
        await interaction.response.edit_message(
            embed=embeds.kit_embed(state), view=kit_view(menu.session_id, state)
        )

    async def on_rate_modal(
        self, interaction: discord.Interaction, match: re.Match[str], values: dict[str, str]
    ) -> None:
        sid, number = int(match["session"]), int(match["round"])
        picks = modal_choices(interaction.data)
        try:
            levels = [int(picks[axis][0]) for axis in AXES]
        except (KeyError, IndexError, ValueError):
            raise MockError("Pick a level from 1 to 4 on each of the three scales.") from None
        rating = Rating(levels[0], levels[1], levels[2], values.get("note", ""))
        await interaction.response.defer(ephemeral=True, thinking=True)
        view = await self.service.rate(sid, number, await self._me(interaction), rating)
        await send(
            interaction,
            ephemeral=True,
            content="⭐ Rating saved; your partner sees it in their feedback.",
        )
        if view.status == "active":
            await self.keeper.post_round(view)
        else:
            await self.keeper.close(view)

    async def on_answer_modal(
        self, interaction: discord.Interaction, match: re.Match[str], values: dict[str, str]
    ) -> None:
        sid, number = int(match["session"]), int(match["round"])
        accepted = accept_answer(values.get("answer", ""))  # refused before deferring
        retry = self.bot.answer_cooldown.retry_after(interaction.user.id)
        if retry:
            raise OnCooldown(retry, "answering")
        await interaction.response.defer(ephemeral=True, thinking=True)
        replaced = await self.service.answer(sid, number, await self._me(interaction), accepted)
        verb = "updated" if replaced else "received"
        await send(
            interaction,
            ephemeral=True,
            content=f"✅ Answer {verb}. Its automatic score shows in your feedback after the "
            "round, beside your partner's rating.",
        )

    async def on_report_modal(
        self, interaction: discord.Interaction, match: re.Match[str], values: dict[str, str]
    ) -> None:
        sid = int(match["session"])
        reason = values.get("reason", "").strip()
        me = await self._me(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        was_open = (await self.service.view(sid)).status in ("invited", "active")
        view = await self.service.report(sid, me)
        if was_open:
            await self.keeper.close(view)
        reporter = view.first if view.first.user_id == me else view.second
        told = await self._tell_managers(view, reporter, reason)
        text = "The session has ended and you two will never be paired again. "
        text += (
            "The server's moderators have your report."
            if told
            else "This server has no report channel set up (managers: `/settings "
            "report_channel`), so please tell a moderator yourself."
        )
        await send(interaction, ephemeral=True, content=text)

    async def _tell_managers(self, view: SessionView, reporter: Person, reason: str) -> bool:
        """Post the report where the server's managers chose; False if there is nowhere."""
        settings = await self.bot.settings_service.get(view.guild_id)
        if settings.report_channel_id is None:
            return False
        try:
            channel = await self.keeper.channel(settings.report_channel_id)
            await channel.send(
                embed=embeds.report_embed(view, reporter, reason), allowed_mentions=NO_MENTIONS
            )
        except (discord.HTTPException, AttributeError):
            log.warning("could not post a mock report in guild %s", view.guild_id, exc_info=True)
            return False
        return True
