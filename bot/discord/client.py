"""The Discord client: wires the engine's services, the features and one error handler.

Features are the packages next to this module; each one's `setup()` adds its cogs and
registers its buttons and forms (see ui.py), so nothing here knows any feature.
"""

from __future__ import annotations

import logging
import pkgutil
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.cooldowns import Cooldown
from bot.discord.errors import report_error
from bot.discord.text import NO_MENTIONS
from bot.discord.ui import Routes
from bot.engine.authoring import QuestionAuthoring
from bot.engine.clock import Clock, SystemClock
from bot.engine.guild_settings import SettingsService
from bot.engine.interview import InterviewService
from bot.engine.leaderboard import LeaderboardService
from bot.engine.rounds import RoundService
from bot.engine.scheduler import Owns, Scheduler, owns_everything
from bot.engine.users import UserService
from bot.observability import set_log_context
from questions.model import QuestionBank
from storage.database import Database

log = logging.getLogger(__name__)

ANSWER_COOLDOWN = (1, 3.0)  # one answer per 3 seconds
ADMIN_COOLDOWN = (5, 30.0)  # five admin commands per 30 seconds


# The bot never joins voice; without this, every start warns that voice is unsupported.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def feature_extensions() -> list[str]:
    """Every package beside this module is a feature with a setup(): adding one adds it."""
    here = [str(Path(__file__).parent)]
    return sorted(
        f"{__package__}.{name}" for _, name, package in pkgutil.iter_modules(here) if package
    )


class InterviewBot(commands.Bot):
    def __init__(
        self,
        database: Database,
        bank: QuestionBank,
        *,
        dev_guild_id: int | None = None,
        message_content: bool = False,
        clock: Clock | None = None,
        answer_cooldown: tuple[int, float] = ANSWER_COOLDOWN,
        admin_cooldown: tuple[int, float] = ADMIN_COOLDOWN,
        owns_guild: Owns = owns_everything,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()  # no privileged intents for the core features
        intents.message_content = message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            **options,
        )
        self.database = database
        self.bank = bank  # for a feature that builds an engine service of its own
        self.dev_guild_id = dev_guild_id
        self.clock: Clock = clock or SystemClock()
        self.service = InterviewService(database, bank, self.clock)
        self.user_service = UserService(database)
        self.settings_service = SettingsService(database)
        self.authoring = QuestionAuthoring(database, bank)
        self.leaderboards = LeaderboardService(database, self.clock)
        self.round_service = RoundService(database, bank, self.clock)
        self.answer_cooldown = Cooldown(*answer_cooldown)
        self.admin_cooldown = Cooldown(*admin_cooldown)
        self.routes = Routes(self)
        # One loop for everything on a calendar (daily questions, reminders); features add
        # their jobs in setup(). `owns_guild` says which guilds (None: DMs) this process serves.
        self.owns_guild = owns_guild  # round timers and recovery ask it too
        self.scheduler = Scheduler(self.clock, owns_guild)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        self.tree.interaction_check = self.log_interaction  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        for extension in feature_extensions():
            await self.load_extension(extension)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Global commands take up to an hour to appear; a dev guild gets them at once."""
        if self.dev_guild_id is not None:
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self.dev_guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def close(self) -> None:
        # Closing during startup: discord.py's delayed READY would otherwise fire after the
        # close and fail to schedule on_ready (a never-awaited coroutine warning).
        ready_task = getattr(self._connection, "_ready_task", None)
        if ready_task is not None and not ready_task.done():
            ready_task.cancel()
        await self.scheduler.close()
        await super().close()  # unloads the features, which stop their timers

    async def on_ready(self) -> None:
        log.info("ready as %s in %d servers", self.user, len(self.guilds))
        self.scheduler.start()  # once: reconnects find it running

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Form submits, which discord.py does not route after a restart (see ui.py)."""
        if interaction.type is discord.InteractionType.modal_submit:
            await self.routes.run_modal(interaction)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: messages are for the features that listen to them."""

    async def log_interaction(self, interaction: discord.Interaction) -> bool:
        """Every log line of a slash command names its guild and interaction."""
        set_log_context(interaction.guild_id, f"interaction:{interaction.id}")
        return True

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


class ShardedInterviewBot(InterviewBot, commands.AutoShardedBot):
    """The same bot on discord.py's sharded client: pass `shard_count` and `shard_ids`."""
