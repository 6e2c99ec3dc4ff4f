"""Matching flows: /mock join|leave|invite, accepting an invitation, going back to the front."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.discord.lookups import user_of
from bot.discord.mock import embeds
from bot.discord.mock.buttons import MockButton, buttons
from bot.discord.mock.room import RoomKeeper
from bot.discord.text import send, timestamp
from bot.engine.errors import MockError, NotAllowed
from bot.engine.mock import Filters, MockService, Paired, Queued

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


class MatchFlows:
    def __init__(self, bot: InterviewBot, service: MockService, keeper: RoomKeeper) -> None:
        self.bot = bot
        self.service = service
        self.keeper = keeper

    async def _where(self, interaction: discord.Interaction) -> tuple[discord.Guild, int]:
        """A server text channel where the bot may open private threads."""
        guild, channel = interaction.guild, interaction.channel
        if guild is None or not isinstance(channel, discord.TextChannel):
            raise NotAllowed("Mock interviews start from a server's text channel.")
        perms = interaction.app_permissions
        if not (perms.create_private_threads and perms.send_messages_in_threads):
            raise NotAllowed(
                "I can't open private threads in this channel; use `/mock` in another one."
            )
        await self.bot.settings_service.ensure_guild(guild.id, guild.name)
        return guild, channel.id

    async def join(
        self, interaction: discord.Interaction, topic: str | None, difficulty: str | None
    ) -> None:
        guild, channel_id = await self._where(interaction)
        user_id = await user_of(self.bot, interaction.user)
        result = await self.service.join(guild.id, user_id, channel_id, Filters(topic, difficulty))
        await self._after_join(interaction, result, "You're in the queue")

    async def _after_join(
        self, interaction: discord.Interaction, result: Queued | Paired, queued_text: str
    ) -> None:
        if isinstance(result, Queued):
            self.keeper.schedule_queue(result)
            others = result.waiting - 1
            await send(
                interaction,
                ephemeral=True,
                content=f"⏳ {queued_text} ({others} other{'s' * (others != 1)} waiting). "
                "I'll open a private thread for you and your partner as soon as someone "
                f"compatible joins. If nobody has by {timestamp(result.expires_at)}, I'll take "
                "you out and tell you by DM. `/mock leave` to stop waiting.",
            )
            return
        await self._open(interaction, result)

    async def _open(self, interaction: discord.Interaction, paired: Paired) -> None:
        view = paired.view
        for person in view.members:
            self.keeper.cancel_queue(view.guild_id, person.user_id)
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        thread = await self.keeper.open(view)
        me = await self.bot.user_service.find_discord_user(interaction.user.id)
        partner = embeds.name(view.other(me))
        if thread is None:
            raise MockError(
                f"You were paired with {partner}, but I couldn't open a private thread here, "
                "so the session could not start. Ask a moderator to let me create private "
                "threads, then `/mock join` again."
            )
        await send(
            interaction,
            ephemeral=True,
            content=f"🤝 Paired with {partner}: your room is {thread.mention}.",
        )

    async def leave(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        if guild is None:
            raise NotAllowed("Mock interviews happen in servers.")
        user_id = await self.bot.user_service.find_discord_user(interaction.user.id)
        if user_id is None:
            raise MockError("You're not in the queue or in a mock interview here.")
        departure = await self.service.leave(guild.id, user_id)
        if departure.kind == "queue":
            self.keeper.cancel_queue(guild.id, user_id)
            text = "You left the queue. `/mock join` whenever you're ready."
        elif departure.kind == "invite":
            assert departure.view is not None
            await self.keeper.edit_invite(departure.view, "withdrawn")
            text = "Your invitation is withdrawn."
        else:
            assert departure.view is not None
            await interaction.response.defer(ephemeral=True, thinking=True)
            await self.keeper.close(departure.view)
            text = "You left the session; your partner was told."
        await send(interaction, ephemeral=True, content=text)

    async def invite(
        self,
        interaction: discord.Interaction,
        member: discord.Member | discord.User,
        topic: str | None,
        difficulty: str | None,
    ) -> None:
        if member.bot:
            raise MockError("Bots don't do mock interviews; invite a member.")
        if member.id == interaction.user.id:
            raise MockError("You can't invite yourself; `/mock join` finds you a partner.")
        guild, channel_id = await self._where(interaction)
        if not isinstance(member, discord.Member) or member.guild.id != guild.id:
            raise MockError("You can only invite members of this server.")
        inviter = await user_of(self.bot, interaction.user)
        invitee = await user_of(self.bot, member)
        view, left_queue = await self.service.invite(
            guild.id, channel_id, inviter, invitee, Filters(topic, difficulty)
        )
        if left_queue is not None:
            self.keeper.cancel_queue(guild.id, inviter)
        await interaction.response.send_message(
            content=member.mention,
            embed=embeds.invite_embed(view),
            view=buttons(view.session_id, 0, "accept", "decline"),
            allowed_mentions=discord.AllowedMentions(users=[member], everyone=False, roles=False),
        )
        message = await interaction.original_response()
        await self.service.set_places(view.session_id, invite_message_id=message.id)
        await self.keeper.schedule_invite(await self.service.view(view.session_id))

    async def on_invite_button(self, interaction: discord.Interaction, button: MockButton) -> None:
        user_id = await user_of(self.bot, interaction.user)
        if button.action == "decline":
            view = await self.service.decline(button.session_id, user_id)
            state = "withdrawn" if view.ended_by == view.first.user_id else "declined"
            await interaction.response.edit_message(
                embed=embeds.invite_embed(view, state), view=None
            )
            self.keeper.timers.cancel(("invite", view.session_id))
            return
        paired = await self.service.accept(button.session_id, user_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.keeper.edit_invite(paired.view, "accepted")
        await self._open(interaction, paired)

    async def on_requeue(self, interaction: discord.Interaction, button: MockButton) -> None:
        user_id = await user_of(self.bot, interaction.user)
        view = await self.service.view(button.session_id)
        result = await self.service.requeue_front(button.session_id, user_id, view.channel_id)
        await self._after_join(interaction, result, "You're back in the queue, first in line")
