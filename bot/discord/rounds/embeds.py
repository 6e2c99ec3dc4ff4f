"""Embeds for study-group rounds: lobby, question, reveal, standings, status."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot.discord.colours import BAND_COLOURS, DIFFICULTY_ICONS, NEUTRAL
from bot.discord.text import escape, fit_embed, join_lines, score_bar, timestamp, truncate
from bot.discord.tips import tip_lines
from bot.engine.rounds import Reveal, RoundView, Standings

MEDALS = ("🥇", "🥈", "🥉")


def _place(index: int) -> str:
    return MEDALS[index] if index < len(MEDALS) else f"`{index + 1:>2}.`"


def _names(view: RoundView) -> str:
    if not view.participants:
        return "Nobody yet: press **Join**."
    return join_lines([f"• {escape(p.display_name)}" for p in view.participants])


def _filters(view: RoundView, filters: Mapping[str, str | None]) -> str:
    parts = [f"{view.total} question{'s' * (view.total != 1)}", f"{view.seconds} s each"]
    parts += [f"{k} {escape(v)}" for k, v in filters.items() if v]
    return " · ".join(parts)


def lobby_embed(
    view: RoundView, starter: str, filters: Mapping[str, str | None] | None = None
) -> discord.Embed:
    if view.status == "lobby":
        title = "Study-group round: join now"
        when = (
            f"Starts {timestamp(view.lobby_deadline)}, or when {escape(starter)} presses Start now."
        )
    elif view.status == "cancelled":
        title = "Study-group round: cancelled"
        when = "Nobody joined, so the round is closed. `/round start` to try again."
    else:
        title = "Study-group round: started"
        when = "The round is under way; join the next one!"
    embed = discord.Embed(
        title=title,
        description=f"{_filters(view, filters or {})}\n{when}",
        colour=NEUTRAL,
    )
    embed.add_field(
        name=f"Participants ({len(view.participants)})", value=_names(view), inline=False
    )
    embed.set_footer(text="Answers are private until the reveal.")
    return fit_embed(embed)


def round_question_embed(view: RoundView, *, closed: bool = False) -> discord.Embed:
    question = view.question
    assert question is not None, "a running round has a current question"
    deadline = view.question_deadline
    if closed:
        clock = "Time is up."
    elif deadline is not None:
        clock = f"Time is up {timestamp(deadline)} ({timestamp(deadline, 'T')})."
    else:
        clock = ""
    embed = discord.Embed(
        title=f"Round · question {view.number} of {view.total}",
        description=f"{escape(question.prompt)}\n\n{clock}",
        colour=NEUTRAL,
    )
    embed.add_field(name="Topic", value=escape(question.topic))
    icon = DIFFICULTY_ICONS.get(question.difficulty, "")
    embed.add_field(name="Difficulty", value=f"{icon} {question.difficulty}")
    embed.add_field(name="Participants", value=str(len(view.participants)))
    embed.set_footer(
        text="Press Answer; you may resubmit until time is up, the last one counts. "
        "/round status shows who has answered."
    )
    return fit_embed(embed)


def reveal_embed(reveal: Reveal) -> discord.Embed:
    best = next((r for r in reveal.ranking if r.score is not None), None)
    embed = discord.Embed(
        title=f"Reveal · question {reveal.number} of {reveal.total}",
        description=f"*{escape(truncate(reveal.question.prompt, 300))}*",
        colour=BAND_COLOURS.get(best.band or "", NEUTRAL) if best else NEUTRAL,
    )
    lines = []
    for index, row in enumerate(reveal.ranking):
        name = escape(row.display_name)
        if row.score is None:
            lines.append(f"▫️ {name} — no answer")
        else:
            lines.append(
                f"{_place(index)} {name} — {score_bar(row.score, 6)} **{row.score}** · {row.band}"
            )
    embed.add_field(name="Ranking", value=join_lines(lines) or "No participants.", inline=False)
    if reveal.most_missed:
        embed.add_field(
            name="Missed most by the group",
            value=join_lines(
                [f"❌ {escape(name)} (×{times})" for name, times in reveal.most_missed]
            ),
            inline=False,
        )
    if reveal.tips:
        embed.add_field(name="Tips", value=join_lines(tip_lines(reveal.tips)), inline=False)
    embed.set_footer(text="My feedback shows your own checklist, privately.")
    return fit_embed(embed)


def standings_embed(standings: Standings) -> discord.Embed:
    final = standings.status in ("finished", "cancelled")
    title = "Final standings" if final else "Standings so far (round stopped)"
    rows = standings.rows
    winner = next((r for r in rows if r.user_id == standings.winner_user_id), None)
    description = (
        f"🏆 **{escape(winner.display_name)}** wins!"
        if winner is not None
        else "No answers, no winner this time."
    )
    description += f"\n{standings.questions_asked} of {standings.total} questions asked."
    embed = discord.Embed(title=title, description=description, colour=discord.Colour.gold())
    if rows:
        embed.add_field(
            name="Total score · questions answered",
            value=join_lines(
                [
                    f"{_place(i)} {escape(r.display_name)} — **{r.total_score}** · {r.answered}"
                    for i, r in enumerate(rows)
                ]
            ),
            inline=False,
        )
    embed.set_footer(text=standings_footer(standings.round_id))
    return fit_embed(embed)


def standings_footer(round_id: int) -> str:
    """Names the round, so a restart can tell whether its standings were already posted."""
    return f"Round #{round_id} · round answers count in /progress, /review and /leaderboard."


def round_status_embed(view: RoundView, where: str | None) -> discord.Embed:
    if view.status == "lobby":
        description = (
            f"In the lobby with {len(view.participants)} participant(s); starts "
            f"{timestamp(view.lobby_deadline)}."
        )
    else:
        deadline = view.question_deadline
        left = f"time is up {timestamp(deadline)}" if deadline else "closing"
        description = f"Question {view.number} of {view.total}; {left}."
    if where:
        description += f"\nIt runs in {where}."
    embed = discord.Embed(title="Round status", description=description, colour=NEUTRAL)
    if view.status == "running":
        answered = [p for p in view.participants if p.user_id in view.answered_user_ids]
        waiting = [p for p in view.participants if p.user_id not in view.answered_user_ids]
        embed.add_field(
            name=f"Answered ({len(answered)})",
            value=join_lines([f"✅ {escape(p.display_name)}" for p in answered]) or "Nobody yet.",
        )
        embed.add_field(
            name=f"Waiting ({len(waiting)})",
            value=join_lines([f"⏳ {escape(p.display_name)}" for p in waiting]) or "Nobody.",
        )
    else:
        embed.add_field(name="Participants", value=_names(view), inline=False)
    return fit_embed(embed)
