"""Embeds of the question of the day: the question, the recap, the schedule."""

from __future__ import annotations

import discord

from bot.discord.colours import DIFFICULTY_ICONS, NEUTRAL
from bot.discord.text import escape, fit_embed, join_lines, question_text, timestamp, truncate
from bot.discord.tips import tip_lines
from bot.engine.daily import Recap, ScheduleView
from questions.model import Question

MEDALS = ("🥇", "🥈", "🥉")
BAND_ICONS = {"strong": "🟩", "good": "🟦", "partial": "🟨", "weak": "🟥"}


def daily_embed(question: Question, day_label: str) -> discord.Embed:
    embed = discord.Embed(
        title=f"Question of the day · {day_label}",
        description=question_text(question),
        colour=NEUTRAL,
    )
    embed.add_field(name="Topic", value=escape(question.topic))
    icon = DIFFICULTY_ICONS.get(question.difficulty, "")
    embed.add_field(name="Difficulty", value=f"{icon} {question.difficulty}")
    embed.set_footer(
        text="Press Answer: your answer is private and scored at once. One answer each; "
        "the recap comes with the next question."
    )
    return fit_embed(embed)


def recap_embed(recap: Recap) -> discord.Embed:
    prompt = truncate(recap.question.prompt, 300) if recap.question else "(question removed)"
    embed = discord.Embed(
        title=f"Recap · question of {recap.day.isoformat()}",
        description=f"*{escape(prompt)}*\n**{recap.answered}** answered.",
        colour=discord.Colour.gold(),
    )
    if recap.answered:
        embed.add_field(
            name="Scores",
            value="\n".join(f"{BAND_ICONS[band]} {band}: {n}" for band, n in recap.bands),
        )
        lines = [
            f"{MEDALS[i]} {escape(p.name) if p.name else 'a member'} — **{p.score}**"
            for i, p in enumerate(recap.podium)
        ]
        embed.add_field(name="Top three", value="\n".join(lines))
    if recap.most_missed:
        embed.add_field(
            name="Missed most often",
            value=join_lines([f"❌ {escape(name)} (×{n})" for name, n in recap.most_missed]),
            inline=False,
        )
    if recap.question is not None:
        embed.add_field(
            name="Model answer", value=escape(recap.question.model_answer), inline=False
        )
        if recap.question.tips:
            embed.add_field(
                name="Tips", value=join_lines(tip_lines(recap.question.tips)), inline=False
            )
    embed.set_footer(text="Names appear only for members who chose /daily names on.")
    return fit_embed(embed)


def schedule_embed(view: ScheduleView | None) -> discord.Embed:
    if view is None:
        return discord.Embed(
            title="Question of the day: off",
            description="`/daily set channel time timezone` posts one every day.",
            colour=NEUTRAL,
        )
    state = "on" if view.enabled else "off"
    embed = discord.Embed(title=f"Question of the day: {state}", colour=NEUTRAL)
    embed.add_field(name="Channel", value=f"<#{view.channel_id}>")
    embed.add_field(name="Time", value=f"{view.local_time} {view.timezone}")
    filters = [f"topic {escape(view.topic)}" if view.topic else "", view.difficulty or ""]
    embed.add_field(name="Questions", value=" · ".join(f for f in filters if f) or "any")
    if view.next_post_at is not None:
        embed.add_field(
            name="Next post",
            value=f"{timestamp(view.next_post_at, 'F')} ({timestamp(view.next_post_at)})",
            inline=False,
        )
    if not view.enabled and view.disabled_reason:
        embed.add_field(name="Turned off because", value=escape(view.disabled_reason), inline=False)
    return fit_embed(embed)
