"""Peer mock interviews: /mock, the room's buttons, checklist and forms, and the timers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.mock.buttons import (
    ANSWER_MODAL,
    RATE_MODAL,
    REPORT_MODAL,
    ChecklistSelect,
    MockButton,
)
from bot.discord.mock.cog import Mock
from bot.discord.mock.flows import MatchFlows
from bot.discord.mock.room import RoomKeeper
from bot.discord.mock.session import SessionFlows
from bot.engine.mock import MockService

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    service = MockService(bot.database, bot.bank, bot.settings_service, bot.clock)
    keeper = RoomKeeper(bot, service)
    match = MatchFlows(bot, service, keeper)
    flows = SessionFlows(bot, service, keeper, match)
    bot.routes.button(MockButton, flows.on_button)
    bot.routes.button(ChecklistSelect, flows.on_checklist)
    bot.routes.modal(RATE_MODAL, flows.on_rate_modal, echo="note")
    bot.routes.modal(ANSWER_MODAL, flows.on_answer_modal, echo="answer")
    bot.routes.modal(REPORT_MODAL, flows.on_report_modal, echo="reason")
    await bot.add_cog(Mock(match, keeper))
