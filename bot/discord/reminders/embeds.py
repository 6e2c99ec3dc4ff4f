"""The reminder DM and the /remind status embed."""

from __future__ import annotations

import discord

from bot.discord.colours import NEUTRAL
from bot.discord.text import escape, fit_embed, timestamp
from bot.engine.reminders import HabitsView, Reminder


def reminder_embed(reminder: Reminder) -> discord.Embed:
    lines = []
    if reminder.due:
        lines.append(
            f"**{reminder.due}** question{'s are' if reminder.due != 1 else ' is'} due for review."
        )
    if reminder.streak.at_risk:
        days = reminder.streak.current
        lines.append(
            f"🔥 Your {days}-day streak ends at midnight unless you answer a question today."
        )
    embed = discord.Embed(title="Time to practise", description="\n".join(lines), colour=NEUTRAL)
    embed.set_footer(text="/remind off stops these messages · /remind status shows the time.")
    return fit_embed(embed)


def habits_embed(view: HabitsView) -> discord.Embed:
    embed = discord.Embed(title="Your reminders", colour=NEUTRAL)
    if view.remind:
        embed.description = f"On: at most one DM a day at **{view.remind_time}**, only when "
        embed.description += "reviews are due or your streak would break."
    else:
        embed.description = "Off. `/remind on [time] [timezone]` turns them on."
    if view.off_reason:
        embed.add_field(name="Turned off because", value=escape(view.off_reason), inline=False)
    zone = view.timezone if view.zone_chosen else "UTC (not chosen yet)"
    embed.add_field(name="Time zone", value=zone)
    if view.next_reminder_at is not None:
        embed.add_field(name="Next check", value=timestamp(view.next_reminder_at, "F"))
    return fit_embed(embed)
