"""The embed of /help: every command in a few lines."""

from __future__ import annotations

import discord

from bot.discord.colours import NEUTRAL
from bot.discord.text import fit_embed


def help_embed() -> discord.Embed:
    embed = discord.Embed(
        title="interview-bot",
        description=(
            "Mock technical interviews. Answer in your own words; I score the answer against "
            "the ideas a good one covers, show what you hit and missed, and give tips."
        ),
        colour=NEUTRAL,
    )
    embed.add_field(
        name="Practise",
        value=(
            "`/interview start [topic] [difficulty] [count]` a session in a private thread "
            "(or here, privately)\n"
            "`/interview status` · `/interview stop`\n"
            "`/review [count]` the questions due for another go (spaced repetition)"
        ),
        inline=False,
    )
    embed.add_field(
        name="Study groups",
        value=(
            "`/round start [topic] [difficulty] [questions] [seconds] [lobby]` everyone answers "
            "the same questions privately against the clock, then the reveal\n"
            "`/round status` · `/round stop` (starter or managers)\n"
            "`/daily names on|off` your name in the question of the day's recap\n"
            "Managers: `/daily set channel time timezone` · `off` · `status` · `reveal`"
        ),
        inline=False,
    )
    embed.add_field(
        name="Peer mock interviews",
        value=(
            "`/mock join [topic] [difficulty]` wait for a partner · `/mock invite member` · "
            "`/mock leave`\nYou interview each other in a private thread: the interviewer "
            "gets a private kit, ticks a checklist and rates; roles swap for round 2"
        ),
        inline=False,
    )
    embed.add_field(
        name="Track",
        value=(
            "`/progress [member]` your history with a chart\n"
            "`/leaderboard [period]` this server's best averages, most practice and streaks\n"
            "`/remind on [time] [timezone]` · `off` · `status` · `timezone` a DM when reviews "
            "are due or your streak would break"
        ),
        inline=False,
    )
    embed.add_field(
        name="Questions",
        value=(
            "`/question list [topic] [pack]` · `/question show id` · "
            "`/question test id answer` (dry run)\n"
            "Managers: `/question add` · `edit id` · `remove id` · `import file` · "
            "`export [pack]`"
        ),
        inline=False,
    )
    embed.add_field(
        name="Server",
        value="`/settings` manager role and defaults (Manage Server)",
        inline=False,
    )
    embed.add_field(
        name="Privacy",
        value="`/forget-me` deletes everything stored about you.",
        inline=False,
    )
    return fit_embed(embed)
