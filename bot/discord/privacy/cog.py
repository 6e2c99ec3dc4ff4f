"""/forget-me: erase everything stored about the caller, after a confirmation."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.privacy.flows import PrivacyFlows


class Privacy(commands.Cog):
    def __init__(self, flows: PrivacyFlows) -> None:
        self.flows = flows

    @app_commands.command(name="forget-me", description="Delete everything stored about you")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def forget_me(self, interaction: discord.Interaction) -> None:
        await self.flows.ask(interaction)
