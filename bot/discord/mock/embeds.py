"""Embeds for peer mock interviews: invitation, round, interviewer kit, feedback, report."""

from __future__ import annotations

import discord

from bot.discord.colours import BAND_COLOURS, DIFFICULTY_ICONS, NEUTRAL
from bot.discord.text import escape, fit_embed, join_lines, score_bar, timestamp, truncate
from bot.discord.tips import tip_lines
from bot.engine.mock import Person, RoundState, SessionView
from bot.engine.mock.rules import ANCHORS, AXES, AXIS_NAMES, ROUNDS

ENDINGS = {
    "left": "{who} left the session, so it has ended.",
    "silent": "{who} did not rate the round in time, so the session has ended.",
    "reported": "The session has ended.",
    "no_room": "I couldn't open a private thread, so the session could not start.",
}


def name(person: Person) -> str:
    return f"**{escape(person.display_name)}**"


def _filters(view: SessionView) -> str:
    parts = [f"{key} {escape(value)}" for key, value in view.filters.items() if value]
    return " · ".join(parts) or "any topic, any difficulty"


def invite_embed(view: SessionView, state: str = "open") -> discord.Embed:
    text = {
        "open": f"{name(view.second)}, press **Accept** to start. It expires soon.",
        "accepted": "Accepted: the room is open.",
        "declined": "Declined.",
        "withdrawn": "Withdrawn.",
        "expired": "Nobody answered in time, so it expired.",
    }[state]
    embed = discord.Embed(
        title="Peer mock interview: an invitation",
        description=f"{name(view.first)} invites {name(view.second)} to interview each other "
        f"({_filters(view)}).\n{text}",
        colour=NEUTRAL,
    )
    return fit_embed(embed)


def round_embed(
    view: SessionView, state: RoundState, voice_channel_id: int | None
) -> discord.Embed:
    interviewer, candidate = state.interviewer, state.candidate
    swap = " Roles are swapped." if state.number > 1 else ""
    where = f"in <#{voice_channel_id}> or here" if voice_channel_id else "here in the thread"
    lines = [
        f"{name(interviewer)} interviews, {name(candidate)} answers.{swap}",
        "",
        f"**{escape(interviewer.display_name)}**: press **Interviewer kit** for the question, "
        "the checklist, the model answer, hints and follow-ups; only you see them. Read the "
        "question out, tick concepts as they come up, then **Rate the candidate** in the kit.",
        f"**{escape(candidate.display_name)}**: answer out loud ({where}). **Write my answer** "
        "adds an automatic score to your feedback.",
    ]
    if view.deadline is not None:
        lines.append(f"\nThe round must be rated {timestamp(view.deadline)}, or the session ends.")
    embed = discord.Embed(
        title=f"Mock interview · round {state.number} of {ROUNDS}",
        description="\n".join(lines),
        colour=NEUTRAL,
    )
    question = state.question
    embed.add_field(name="Topic", value=escape(question.topic))
    icon = DIFFICULTY_ICONS.get(question.difficulty, "")
    embed.add_field(name="Difficulty", value=f"{icon} {question.difficulty}")
    embed.set_footer(text="Leave ends the session; End & report also tells the moderators.")
    return fit_embed(embed)


def kit_embed(state: RoundState) -> discord.Embed:
    question = state.question
    embed = discord.Embed(
        title=f"Interviewer kit · round {state.number}",
        description=f"**Read this out to {escape(state.candidate.display_name)}:**\n> "
        + escape(question.prompt).replace("\n", "\n> "),
        colour=NEUTRAL,
    )
    ticked = set(state.ticked)
    concepts = [c.name for c in question.rubric]
    embed.add_field(
        name=f"Checklist ({len(ticked & set(concepts))}/{len(concepts)} ticked)",
        value=join_lines(
            [f"{'✅' if c in ticked else '⬜'} {escape(c)}" for c in concepts]
            or ["No concept list for this question: listen for the model answer's ideas."]
        ),
        inline=False,
    )
    embed.add_field(
        name="Model answer", value=escape(truncate(question.model_answer, 1000)), inline=False
    )
    hints = [f"{i}. {escape(h)}" for i, h in enumerate(_hints(state), 1)]
    embed.add_field(name="Hints if they stall", value=join_lines(hints) or "None.", inline=False)
    follow = [f"• {escape(f)}" for f in question.follow_ups]
    embed.add_field(name="Follow-up questions", value=join_lines(follow) or "None.", inline=False)
    embed.set_footer(text="Only you can see this. Tick concepts as you hear them; rate at the end.")
    return fit_embed(embed)


def _hints(state: RoundState) -> list[str]:
    hints: list[str] = []
    while (hint := state.question.hint(len(hints))) is not None and len(hints) < 5:
        hints.append(hint)
    return hints


def feedback_embed(state: RoundState | None) -> discord.Embed:
    """A member's own feedback as the candidate: ratings, note, checklist, score, tips."""
    if state is None or state.rating is None:
        return fit_embed(
            discord.Embed(
                title="Your feedback",
                description="Your round was not rated: the session ended before it.",
                colour=NEUTRAL,
            )
        )
    rating = state.rating
    colour = BAND_COLOURS.get(state.auto_band or "", NEUTRAL)
    embed = discord.Embed(
        title=f"Your feedback · round {state.number}",
        description=f"Interviewed by {name(state.interviewer)} on "
        f"*{escape(truncate(state.question.prompt, 300))}*",
        colour=colour,
    )
    values = rating.axes()
    embed.add_field(
        name="Your partner's ratings",
        value="\n".join(
            f"{AXIS_NAMES[a]}: **{values[a]}**/4 — {ANCHORS[a][values[a] - 1]}" for a in AXES
        ),
        inline=False,
    )
    if rating.note:
        embed.add_field(name="Their note", value=escape(rating.note), inline=False)
    ticked = set(state.ticked)
    embed.add_field(
        name="Checklist",
        value=join_lines(
            [
                f"{'✅' if c.name in ticked else '❌'} {escape(c.name)}"
                for c in state.question.rubric
            ]
        )
        or "No checklist for this question.",
        inline=False,
    )
    if state.auto_score is not None:
        score = f"{score_bar(state.auto_score)} **{state.auto_score}/100** · {state.auto_band}"
    else:
        score = "You didn't write an answer; **Write my answer** gives one next time."
    embed.add_field(name="Automatic score of your written answer", value=score, inline=False)
    if state.question.tips:
        embed.add_field(name="Tips", value=join_lines(tip_lines(state.question.tips)), inline=False)
    return fit_embed(embed)


def ending_text(view: SessionView) -> str:
    """What the thread is told when a session ends early; the finished case has its own."""
    who = name(view.other(view.left_behind.user_id)) if view.left_behind else "Your partner"
    text = ENDINGS.get(view.end_reason or "", "The session has ended.").format(who=who)
    if view.left_behind is not None:
        text += (
            f"\n{name(view.left_behind)}, sorry about that: **Back to the queue (front)** "
            "puts you first in line."
        )
    return text


def finished_embed(view: SessionView) -> discord.Embed:
    embed = discord.Embed(
        title="Mock interview complete",
        description=f"Well done, {name(view.first)} and {name(view.second)}! **My feedback** "
        "shows each of you your ratings, checklist, automatic score and tips, privately. Was "
        "the session useful? Your answer stays private; a 👎 means the queue won't pair you "
        "two again.",
        colour=discord.Colour.green(),
    )
    embed.set_footer(text="Peer interviews count in /progress and on /leaderboard.")
    return fit_embed(embed)


def report_embed(view: SessionView, reporter: Person, reason: str) -> discord.Embed:
    reported = view.other(reporter.user_id)
    embed = discord.Embed(
        title="Mock interview report",
        description=escape(truncate(reason, 3000)),
        colour=discord.Colour.red(),
    )
    for label, person in (("Reported by", reporter), ("About", reported)):
        mention = f"<@{person.discord_id}> " if person.discord_id else ""
        embed.add_field(name=label, value=f"{mention}({escape(person.display_name)})")
    place = f"<#{view.thread_id}>" if view.thread_id else "no thread"
    embed.add_field(name="Session", value=f"#{view.session_id} · {place}")
    embed.set_footer(text="The session was ended and these two will not be paired again.")
    return fit_embed(embed)
