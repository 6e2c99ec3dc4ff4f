"""The embeds of /question: one question in full, a page of the bank, an import report."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.discord.colours import NEUTRAL
from bot.discord.text import (
    add_long_field,
    escape,
    fit_embed,
    join_lines,
    question_text,
    truncate,
)
from bot.discord.tips import tip_lines
from bot.engine.authoring import ImportReport
from questions.model import Question
from questions.preview import RubricPreview


def question_detail_embed(
    question: Question, *, built_in: bool, preview: RubricPreview | None = None
) -> discord.Embed:
    """One question in full; after an add or edit, with how its rubric grades its own texts."""
    embed = discord.Embed(
        title=f"Question `{question.id}`",
        description=question_text(question),
        colour=NEUTRAL,
    )
    origin = f"built-in pack `{question.pack}`" if built_in else "this server's own question"
    embed.add_field(name="Topic", value=escape(question.topic))
    embed.add_field(name="Difficulty", value=question.difficulty)
    embed.add_field(name="From", value=origin)
    if question.rubric:
        add_long_field(
            embed,
            "Rubric",
            [
                f"• **{escape(c.name)}**{' (required)' if c.required else ''}: "
                + escape(", ".join(c.phrases[:6]))
                + (f" … +{len(c.phrases) - 6}" if len(c.phrases) > 6 else "")
                for c in question.rubric
            ],
        )
    elif preview is not None:
        add_long_field(
            embed,
            "Rubric, derived from the model answer",
            [f"• {escape(name)}" for name in preview.concepts],
        )
    else:
        embed.add_field(name="Rubric", value="Derived from the model answer.", inline=False)
    if preview is not None:
        verdict = "✅" if preview.sound else "⚠️"
        embed.add_field(
            name=f"{verdict} How the rubric grades",
            value=(
                f"The model answer scores **{preview.model_answer_score}** (should be 80+).\n"
                f"The prompt copied back scores **{preview.prompt_copy_score}** "
                "(should stay under 20)."
            ),
            inline=False,
        )
    add_long_field(embed, "Tips", tip_lines(question.tips))
    embed.add_field(
        name="Model answer", value=truncate(escape(question.model_answer), 1024), inline=False
    )
    return fit_embed(embed)


def question_list_embed(
    questions: Sequence[Question], page: int, pages: int, custom_ids: set[str], filters: str
) -> discord.Embed:
    embed = discord.Embed(
        title="Questions" + (f" · {filters}" if filters else ""),
        colour=NEUTRAL,
    )
    lines = [
        f"`{q.id}` · {escape(q.topic)} · {q.difficulty}"
        + (" · *server*" if q.id in custom_ids else "")
        + f"\n{truncate(question_text(q), 120)}"
        for q in questions
    ]
    embed.description = "\n".join(lines) or "No questions match."
    embed.set_footer(text=f"Page {page + 1} of {pages} · /question show id for details")
    return fit_embed(embed)


def import_embed(report: ImportReport, filename: str) -> discord.Embed:
    embed = discord.Embed(
        title=f"Imported {escape(filename)}",
        colour=discord.Colour.green(),
        description=(
            f"Added **{len(report.added)}**, updated **{len(report.updated)}**"
            + (
                f", skipped **{len(report.built_in)}** identical built-in"
                if report.built_in
                else ""
            )
            + "."
        ),
    )
    for name, ids in (("Added", report.added), ("Updated", report.updated)):
        if ids:
            embed.add_field(name=name, value=join_lines([f"`{i}`" for i in ids]), inline=False)
    return fit_embed(embed)
