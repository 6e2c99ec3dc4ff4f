"""The embed that says what /forget-me deleted."""

from __future__ import annotations

import discord

from bot.discord.colours import NEUTRAL


def forget_result_embed(counts: dict[str, int]) -> discord.Embed:
    if not counts or not counts.get("users"):
        return discord.Embed(
            title="Nothing to delete",
            description="I had nothing stored about you.",
            colour=NEUTRAL,
        )
    lines = [
        f"• {counts.get('attempts', 0)} answers",
        f"• {counts.get('sessions', 0)} interview sessions",
        f"• {counts.get('reviews', 0)} review schedule entries",
        f"• {counts.get('round_answers', 0)} study-group round answers and "
        f"{counts.get('round_participations', 0)} round places",
        f"• {counts.get('daily_answers', 0)} answers to questions of the day",
        "• your reminder, time zone and recap choices",
        "• your profile (Discord id and display name)",
    ]
    if counts.get("custom_questions_unattributed"):
        lines.append(
            f"• your name on {counts['custom_questions_unattributed']} questions you wrote "
            "(the questions stay with the server)"
        )
    return discord.Embed(
        title="Everything about you is deleted",
        description="\n".join(lines),
        colour=discord.Colour.green(),
    )
