"""Embed builders: engine results in, `discord.Embed` out. No I/O, so they are unit-tested."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.discord.text import (
    FIELD_VALUE_LIMIT,
    escape,
    fit_embed,
    join_lines,
    score_bar,
    timestamp,
    truncate,
)
from bot.discord.tips import tip_lines
from bot.engine.authoring import ImportReport
from bot.engine.guild_settings import GuildSettings
from bot.engine.leaderboard import Leaderboard
from bot.engine.progress import ProgressSummary
from bot.engine.service import Feedback, SessionSummary, SessionView
from questions.model import Question
from questions.scoring import ScoreResult

BAND_COLOURS = {
    "strong": discord.Colour.green(),
    "good": discord.Colour.teal(),
    "partial": discord.Colour.gold(),
    "weak": discord.Colour.red(),
}
NEUTRAL = discord.Colour.blurple()
DIFFICULTY_ICONS = {"easy": "🟢", "medium": "🟡", "hard": "🔴"}


def _question_text(question: Question) -> str:
    # Built-in questions are ours, a guild's own are user text: escape both the same way.
    return escape(question.prompt)


def question_embed(view: SessionView, candidate: str | None = None) -> discord.Embed:
    question = view.question
    assert question is not None, "only active sessions have a current question"
    mode = "Review" if view.mode == "review" else "Interview"
    embed = discord.Embed(
        title=f"{mode} · question {view.number} of {view.total}",
        description=_question_text(question),
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
        else:
            lines.append(f"❌ {name}")
    return lines


def _add_long_field(embed: discord.Embed, name: str, lines: Sequence[str]) -> None:
    """A list that exceeds one field continues in further ones; fit_embed trims the total."""
    rest = list(lines)
    title = name
    while rest:
        value = join_lines(rest, FIELD_VALUE_LIMIT)
        shown = value.count("\n") + 1
        if not (value.endswith("more") and 1 < shown < len(rest)):
            embed.add_field(name=title, value=value, inline=False)
            return
        embed.add_field(name=title, value="\n".join(rest[: shown - 1]), inline=False)
        rest = rest[shown - 1 :]
        title = f"{name} (continued)"


def result_embed(result: ScoreResult, question: Question, title: str) -> discord.Embed:
    embed = discord.Embed(
        title=title,
        description=(
            f"{score_bar(result.score)} **{result.score}/100** · {result.band}\n"
            f"*{_question_text(question)}*"
        ),
        colour=BAND_COLOURS.get(result.band, NEUTRAL),
    )
    if result.concepts:
        covered = sum(c.covered for c in result.concepts)
        _add_long_field(
            embed, f"Concepts ({covered}/{len(result.concepts)})", concept_lines(result)
        )
    if result.misconceptions:
        _add_long_field(
            embed,
            "Misconceptions",
            [
                f"⚠️ {escape(m.claim)}" + (f" — {escape(m.correction)}" if m.correction else "")
                for m in result.misconceptions
            ],
        )
    if result.tips:
        _add_long_field(embed, "Tips", tip_lines(result.tips))
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
        description=f"{score_bar(score)}\n*{_question_text(question)}*",
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
            f"Question {view.number} of {view.total}: {_question_text(question)}"
            + (f"\n\nIt runs in {where}." if where else "")
        ),
        colour=NEUTRAL,
    )
    embed.add_field(name="Topic", value=escape(question.topic))
    embed.add_field(name="Difficulty", value=question.difficulty)
    if view.hints_used:
        embed.add_field(name="Hints used", value=str(view.hints_used))
    return fit_embed(embed)


def progress_embed(
    summary: ProgressSummary, member_name: str, scope: str, titles: dict[str, str]
) -> discord.Embed:
    embed = discord.Embed(title=f"Progress of {truncate(member_name, 80)}", colour=NEUTRAL)
    if not summary.answered:
        embed.description = (
            f"No answers yet {scope}. Start with `/interview start`; every answer counts here."
        )
        return fit_embed(embed)
    embed.description = (
        f"**{summary.answered}** answers to **{summary.distinct_questions}** questions {scope} · "
        f"average **{summary.average:.0f}** · best **{summary.best}** · "
        f"streak **{summary.streak_days}** day{'s' * (summary.streak_days != 1)}"
    )
    if summary.topics:
        embed.add_field(
            name="Mastery by topic",
            value=join_lines(
                [
                    f"{score_bar(round(t.mastery), 8)} {t.mastery:>3.0f} · {escape(t.topic)} "
                    f"({t.questions} question{'s' * (t.questions != 1)})"
                    for t in sorted(summary.topics, key=lambda t: -t.mastery)
                ]
            ),
            inline=False,
        )
    if summary.most_missed:
        embed.add_field(
            name="Most missed concepts",
            value=join_lines(
                [
                    f"❌ {escape(m.concept)} — {escape(titles.get(m.question_id, m.question_id))}"
                    f" (×{m.times})"
                    for m in summary.most_missed
                ]
            ),
            inline=False,
        )
    if summary.recent:
        embed.add_field(
            name="Recent",
            value=join_lines(
                [
                    f"{a.score:>3} · {a.band} · {escape(titles.get(a.question_id, a.question_id))}"
                    f" · {timestamp(a.submitted_at)}"
                    for a in summary.recent[:5]
                ]
            ),
            inline=False,
        )
    if summary.due_for_review:
        review = f"**{summary.due_for_review}** due now: `/review`"
    elif summary.next_review_at is not None:
        review = f"Next one {timestamp(summary.next_review_at)}"
    else:
        review = "Nothing scheduled yet."
    embed.add_field(name="Review", value=review, inline=False)
    return fit_embed(embed)


def leaderboard_embed(board: Leaderboard, guild_name: str) -> discord.Embed:
    period = {"week": "last 7 days", "month": "last 30 days", "all": "all time"}[board.period]
    embed = discord.Embed(
        title=f"Leaderboard · {truncate(guild_name, 80)}",
        description=f"{period} · {board.participants} candidate{'s' * (board.participants != 1)}",
        colour=NEUTRAL,
    )
    medals = ["🥇", "🥈", "🥉"]

    def place(i: int) -> str:
        return medals[i] if i < len(medals) else f"`{i + 1:>2}.`"

    if board.by_average:
        lines = [
            f"{place(i)} {escape(t.display_name)} — **{t.average:.0f}** ({t.answered} answers)"
            for i, t in enumerate(board.by_average)
        ]
        value = join_lines(lines)
    else:
        value = f"Nobody has {board.min_answers} answers yet in this period."
    embed.add_field(name=f"Best average (at least {board.min_answers} answers)", value=value)
    if board.by_answered:
        value = join_lines(
            [
                f"{place(i)} {escape(t.display_name)} — **{t.answered}** (avg {t.average:.0f})"
                for i, t in enumerate(board.by_answered)
            ]
        )
    else:
        value = "No answers yet in this period. `/interview start` to be first!"
    embed.add_field(name="Most questions answered", value=value, inline=False)
    if board.by_rounds:
        value = join_lines(
            [
                f"{place(i)} {escape(t.display_name)} — {t.won} won of {t.played} played"
                for i, t in enumerate(board.by_rounds)
            ]
        )
        embed.add_field(name="Study-group rounds", value=value, inline=False)
    return fit_embed(embed)


def question_detail_embed(question: Question, *, built_in: bool) -> discord.Embed:
    embed = discord.Embed(
        title=f"Question `{question.id}`",
        description=_question_text(question),
        colour=NEUTRAL,
    )
    origin = f"built-in pack `{question.pack}`" if built_in else "this server's own question"
    embed.add_field(name="Topic", value=escape(question.topic))
    embed.add_field(name="Difficulty", value=question.difficulty)
    embed.add_field(name="From", value=origin)
    if question.rubric:
        _add_long_field(
            embed,
            "Rubric",
            [
                f"• **{escape(c.name)}**{' (required)' if c.required else ''}: "
                + escape(", ".join(c.phrases[:6]))
                + (f" … +{len(c.phrases) - 6}" if len(c.phrases) > 6 else "")
                for c in question.rubric
            ],
        )
    else:
        embed.add_field(name="Rubric", value="Derived from the model answer.", inline=False)
    _add_long_field(embed, "Tips", tip_lines(question.tips))
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
        + f"\n{truncate(_question_text(q), 120)}"
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


def problems_embed(title: str, problems: Sequence[str]) -> discord.Embed:
    embed = discord.Embed(title=title, colour=discord.Colour.red())
    embed.description = join_lines([f"• {escape(p)}" for p in problems], 4000)
    return fit_embed(embed)


def settings_embed(settings: GuildSettings, guild_name: str) -> discord.Embed:
    embed = discord.Embed(title=f"Settings · {truncate(guild_name, 80)}", colour=NEUTRAL)
    role = f"<@&{settings.manager_role_id}>" if settings.manager_role_id else "not set"
    embed.add_field(
        name="Question managers",
        value=f"Manage Server, or role: {role}",
        inline=False,
    )
    embed.add_field(name="Default count", value=str(settings.default_count))
    embed.add_field(name="Default difficulty", value=settings.default_difficulty or "any")
    embed.set_footer(
        text="Change with /settings manager_role:… default_count:… default_difficulty:…"
    )
    return fit_embed(embed)


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
            "`/round status` · `/round stop` (starter or managers)"
        ),
        inline=False,
    )
    embed.add_field(
        name="Track",
        value=(
            "`/progress [member]` your history with a chart\n"
            "`/leaderboard [period]` this server's best averages and most practice"
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
