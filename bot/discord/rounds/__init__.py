"""Study-group rounds: /round, the lobby and answer buttons, the answer form, the timers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.rounds.buttons import ROUND_ANSWER_MODAL, RoundButton
from bot.discord.rounds.cog import Rounds
from bot.discord.rounds.flows import RoundFlows
from bot.discord.rounds.pacing import RoundPacer

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    pacer = RoundPacer(bot)
    flows = RoundFlows(bot, pacer)
    bot.routes.button(RoundButton, flows.on_button)
    bot.routes.modal(ROUND_ANSWER_MODAL, flows.on_answer_modal, echo="answer")
    await bot.add_cog(Rounds(flows, pacer))
