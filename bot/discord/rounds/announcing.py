"""Posting a round's reveals and standings exactly once, even when the process dies between
closing a question and posting about it.

The database records what was posted. A crash can still fall between a post and its record,
so after a restart a missing announcement is first looked for in the channel's recent
messages, and posted only if it is not there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Final

import discord

from bot.discord.rounds import embeds as round_embeds
from bot.discord.rounds.buttons import reveal_buttons
from bot.discord.text import NO_MENTIONS
from bot.engine.errors import QuestionUnavailable
from bot.engine.rounds import Reveal, RoundView, Standings

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)
# How far back a restart looks for an announcement it may already have made.
HISTORY_LOOKBACK: Final = 50

ChannelById = Callable[[int], Awaitable[Any]]


class RoundAnnouncer:
    """Posts reveals and standings and records each; after a restart, posts what is missing."""

    def __init__(self, bot: InterviewBot, channel: ChannelById) -> None:
        self.bot = bot
        self.service = bot.round_service
        self.channel = channel

    async def where(self, view: RoundView) -> Any:
        return await self.channel(view.thread_id or view.channel_id)

    async def reveal(self, reveal: Reveal) -> None:
        channel = await self.where(reveal.next)
        if reveal.question_message_id is not None:
            try:  # the closed question's Answer button has nothing left to do
                await channel.get_partial_message(reveal.question_message_id).edit(view=None)
            except discord.HTTPException:
                log.info("could not close question message of round %s", reveal.round_id)
        await channel.send(
            embed=round_embeds.reveal_embed(reveal),
            view=reveal_buttons(reveal.round_id, reveal.position),
            allowed_mentions=NO_MENTIONS,
        )
        await self.service.mark_revealed(reveal.round_id, reveal.position + 1)

    async def standings(self, view: RoundView) -> Standings:
        standings = await self.service.standings(view.round_id)
        channel = await self.where(view)
        await channel.send(
            embed=round_embeds.standings_embed(standings), allowed_mentions=NO_MENTIONS
        )
        await self.service.mark_standings_posted(view.round_id)
        return standings

    async def catch_up(self, view: RoundView) -> None:
        """Post the reveals and standings this round still owes, oldest first.

        Where the bot can no longer post (channel deleted, access taken away) they are given
        up for good; any other failure leaves them owed until the next start.
        """
        try:
            await self._catch_up(view)
        except (discord.NotFound, discord.Forbidden) as error:
            log.warning(
                "round %s: cannot post there any more (%s); giving up", view.round_id, error
            )
            await self.service.mark_revealed(view.round_id, view.position)
            if view.owes_standings:
                await self.service.mark_standings_posted(view.round_id)
        except discord.HTTPException:
            log.warning("round %s: catching up failed; next start tries again", view.round_id)

    async def _catch_up(self, view: RoundView) -> None:
        for position in view.unrevealed:
            try:
                reveal = await self.service.replay_reveal(view.round_id, position)
            except QuestionUnavailable:
                log.warning("round %s: question %s cannot be revealed", view.round_id, position)
                await self.service.mark_revealed(view.round_id, position + 1)
                continue
            if await self._already_posted(view, f"ib:r:mine:{view.round_id}:{position}"):
                await self.service.mark_revealed(view.round_id, position + 1)
            else:
                await self.reveal(reveal)
            log.info("posted the missed reveal %s of round %s", position + 1, view.round_id)
        if view.owes_standings:
            if await self._already_posted(view, round_embeds.standings_footer(view.round_id)):
                await self.service.mark_standings_posted(view.round_id)
            else:
                await self.standings(view)

    async def _already_posted(self, view: RoundView, mark: str) -> bool:
        """Whether one of the bot's recent messages where the round is shown carries `mark`
        (a button's custom id or an embed's footer).

        /round stop answers where it was typed, which may be the parent channel of the
        round's thread, so both are searched. If history cannot be read, the answer is no:
        a rare repeat beats a reveal nobody sees.
        """
        assert self.bot.user is not None
        places = {view.thread_id or view.channel_id, view.channel_id}
        for place in places:
            try:
                channel = await self.channel(place)
                async for message in channel.history(limit=HISTORY_LOOKBACK):
                    if message.author.id == self.bot.user.id and mark in _marks(message):
                        return True
            except discord.HTTPException:
                log.info("could not read the history of channel %s", place, exc_info=True)
        return False


def _marks(message: discord.Message) -> set[str]:
    footers = {embed.footer.text for embed in message.embeds if embed.footer.text}
    return footers | {custom_id for custom_id in _walk(message.components) if custom_id}


def _walk(components: list[Any]) -> Iterator[str | None]:
    for component in components:
        yield getattr(component, "custom_id", None)
        yield from _walk(getattr(component, "children", []))
