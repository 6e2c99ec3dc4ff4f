"""The embeds of a solo interview: the question, feedback on an answer, summaries.

`result_embed` is the feedback for any scored answer, so rounds ("My feedback") and the
question bank (dry runs) show it too.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.discord.colours import BAND_COLOURS, DIFFICULTY_ICONS, NEUTRAL
from bot.discord.text import (
    add_long_field,
    escape,
    fit_embed,
    join_lines,
    question_text,
    score_bar,
    truncate,
)
from bot.discord.tips import tip_lines
from bot.engine.answers import ScoreResult
from bot.engine.interview import Feedback, SessionSummary, SessionView
from questions.model import Question


def question_embed(view: SessionView, candidate: str | None = None) -> discord.Embed:
    question = view.question
    assert question is not None, "only active sessions have a current question"
    mode = "Review" if view.mode == "review" else "Interview"
    embed = discord.Embed(
        title=f"{mode} · question {view.number} of {view.total}",
        description=question_text(question),
        colour=NEUTRAL,
    )
    embed.add_field(name="Topic", value=escape(question.topic), inline=True)
    icon = DIFFICULTY_ICONS.get(question.difficulty, "")
    embed.add_field(name="Difficulty", value=f"{icon} {question.difficulty}", inline=True)
    footer = "Press Answer to reply; Hint costs no points."
    if candidate:
        footer = f"For {candidate} · {footer}"
    embed.set_footer(text=footer)
    return fit_embed(embed)


def concept_lines(result: ScoreResult) -> list[str]:
    lines = []
    for concept in result.concepts:
        name = escape(concept.name)
        if concept.covered:
            quote = truncate(concept.matched_text.strip(), 80)
            words = f" — “{escape(quote)}”" if quote else ""
            lines.append(f"✅ **{name}**{words}")
        elif concept.named_only:
            quote = truncate(concept.matched_text.strip(), 60)
            lines.append(f"➖ {name} — named (“{escape(quote)}”), not explained")
        else:
            lines.append(f"❌ {name}")
    return lines


def result_embed(result: ScoreResult, question: Question, title: str) -> discord.Embed:
    embed = discord.Embed(
        title=title,
        description=(
            f"{score_bar(result.score)} **{result.score}/100** · {result.band}\n"
            f"*{question_text(question)}*"
        ),
        colour=BAND_COLOURS.get(result.band, NEUTRAL),
    )
    if result.concepts:
        covered = sum(c.covered for c in result.concepts)
        add_long_field(embed, f"Concepts ({covered}/{len(result.concepts)})", concept_lines(result))
    if result.misconceptions:
        add_long_field(
            embed,
            "Misconceptions",
            [
                f"⚠️ {escape(m.claim)}" + (f" — {escape(m.correction)}" if m.correction else "")
                for m in result.misconceptions
            ],
        )
    if result.tips:
        add_long_field(embed, "Tips", tip_lines(result.tips))
    if result.follow_ups:
        embed.add_field(name="Follow-up question", value=escape(result.follow_ups[0]), inline=False)
    if result.notes:
        embed.set_footer(text=" ".join(result.notes))
    return fit_embed(embed)


def feedback_embed(feedback: Feedback) -> discord.Embed:
    return result_embed(
        feedback.result,
        feedback.question,
        f"Feedback · question {feedback.number} of {feedback.total}",
    )


def model_answer_embed(question: Question) -> discord.Embed:
    embed = discord.Embed(
        title="Model answer",
        description=escape(question.model_answer),
        colour=NEUTRAL,
    )
    embed.set_footer(text=f"{question.id} · {question.topic}")
    return fit_embed(embed)


def shared_result_embed(
    candidate: str, question: Question, score: int, band: str, covered: Sequence[str], missed: int
) -> discord.Embed:
    """What a candidate chose to show the channel: the result, never the answer itself."""
    embed = discord.Embed(
        title=f"{truncate(candidate, 100)} scored {score}/100 ({band})",
        description=f"{score_bar(score)}\n*{question_text(question)}*",
        colour=BAND_COLOURS.get(band, NEUTRAL),
    )
    if covered:
        embed.add_field(
            name="Covered", value=join_lines([f"✅ {escape(c)}" for c in covered]), inline=False
        )
    if missed:
        embed.add_field(name="Missed", value=f"{missed} concept{'s' * (missed != 1)}")
    return fit_embed(embed)


def summary_embed(summary: SessionSummary, resolve_title: dict[str, str]) -> discord.Embed:
    if summary.status == "finished":
        title = "Interview complete"
    elif summary.status == "stopped":
        title = "Interview stopped"
    else:
        title = "Interview so far"
    average = summary.average
    description = (
        f"Answered **{len(summary.answered)}** of {summary.total}"
        + (f", skipped {summary.skipped}" if summary.skipped else "")
        + (f" · average **{average:.0f}/100**" if average is not None else "")
    )
    embed = discord.Embed(title=title, description=description, colour=NEUTRAL)
    if summary.answered:
        lines = [
            f"{score_bar(a.score, 6)} {a.score:>3} · {a.band} · "
            f"{escape(resolve_title.get(a.question_id, a.question_id))}"
            for a in summary.answered
        ]
        embed.add_field(name="Scores", value=join_lines(lines), inline=False)
    embed.set_footer(text="/progress shows your history · /review brings back weak answers")
    return fit_embed(embed)


def status_embed(view: SessionView, where: str | None) -> discord.Embed:
    question = view.question
    assert question is not None
    embed = discord.Embed(
        title=f"Your {'review' if view.mode == 'review' else 'interview'} is in progress",
        description=(
            f"Question {view.number} of {view.total}: {question_text(question)}"
            + (f"\n\nIt runs in {where}." if where else "")
        ),
        colour=NEUTRAL,
    )
    embed.add_field(name="Topic", value=escape(question.topic))
    embed.add_field(name="Difficulty", value=question.difficulty)
    if view.hints_used:
        embed.add_field(name="Hints used", value=str(view.hints_used))
    return fit_embed(embed)
