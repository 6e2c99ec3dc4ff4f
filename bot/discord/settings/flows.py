"""What /settings does: show the server's settings, or change the ones given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.discord.permissions import require_manager
from bot.discord.settings.embeds import settings_embed
from bot.discord.text import send

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


@dataclass(frozen=True)
class MockSettings:
    """The peer mock-interview options of /settings."""

    wait_minutes: int | None = None
    report_channel: discord.TextChannel | None = None
    clear_report_channel: bool = False

    @property
    def changed(self) -> bool:
        return any((self.wait_minutes, self.report_channel, self.clear_report_channel))


class SettingsFlows:
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def show_or_change(
        self,
        interaction: discord.Interaction,
        manager_role: discord.Role | None,
        clear_manager_role: bool,
        default_count: int | None,
        default_difficulty: str | None,
        mock: MockSettings | None = None,
    ) -> None:
        mock = mock or MockSettings()
        await require_manager(self.bot, interaction)
        guild = interaction.guild
        assert guild is not None
        settings = await self.bot.settings_service.update(
            guild.id,
            guild.name,
            manager_role_id=manager_role.id if manager_role else None,
            clear_manager_role=clear_manager_role,
            default_count=default_count,
            default_difficulty=default_difficulty,
            mock_wait_minutes=mock.wait_minutes,
            report_channel_id=mock.report_channel.id if mock.report_channel else None,
            clear_report_channel=mock.clear_report_channel,
        )
        changed = mock.changed or any(
            (manager_role, clear_manager_role, default_count is not None, default_difficulty)
        )
        await send(
            interaction,
            ephemeral=True,
            content="Saved." if changed else None,
            embed=settings_embed(settings, guild.name),
        )
