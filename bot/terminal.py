"""Terminal practice: the interview in a shell, typed or piped.

An answer is every line up to the first empty one, so answers can span paragraphs of text
but not blank lines. `:hint`, `:skip` and `:quit` are commands; end of input ends the session
cleanly (a pending answer is still scored first), which lets scripts and tests drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import textwrap
import threading
from collections.abc import Sequence
from typing import TextIO

from bot.engine.errors import EngineError, InvalidAnswer
from bot.engine.interview import Feedback, InterviewService, SessionSummary, SessionView
from bot.engine.progress import ProgressSummary
from questions.model import Tip, TipTable

WIDTH = 88
COLUMN_GAP = 3
COMMANDS = {":hint", ":skip", ":quit"}


class Printer:
    """Plain-text rendering; ticks degrade to ASCII where the terminal cannot show them."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        encoding = (getattr(out, "encoding", None) or "ascii").lower()
        unicode_ok = "utf" in encoding
        self.tick = "✔" if unicode_ok else "[x]"
        self.cross = "✘" if unicode_ok else "[ ]"
        self.half = "◐" if unicode_ok else "[~]"
        self.bullet = "•" if unicode_ok else "*"
        self.full, self.empty = ("█", "░") if unicode_ok else ("#", ".")
        self.dash, self.dot = ("—", "·") if unicode_ok else ("-", "|")
        self.rule = "─" if unicode_ok else "-"
        self.encoding = None if unicode_ok else encoding

    def line(self, text: str = "") -> None:
        if self.encoding is not None:  # never crash on a character the terminal lacks
            text = text.encode(self.encoding, "replace").decode(self.encoding)
        print(text, file=self.out, flush=True)

    def wrapped(self, text: str, indent: str = "  ", first: str | None = None) -> None:
        for number, paragraph in enumerate(text.splitlines() or [""]):
            start = first if first is not None and number == 0 else indent
            if not paragraph.strip():
                self.line()
                continue
            self.line(
                textwrap.fill(paragraph, WIDTH, initial_indent=start, subsequent_indent=indent)
            )

    def tips(self, tips: Sequence[Tip]) -> None:
        """Text tips as bullets; a table sits under the tip before it, as its columns."""
        for tip in tips:
            if isinstance(tip, TipTable):
                self.table(tip, indent="    ")
            else:
                self.wrapped(tip, indent="    ", first=f"  {self.bullet} ")

    def table(self, table: TipTable, indent: str = "") -> None:
        """Aligned columns whose cells wrap at spaces only, so no word is ever split."""
        widths = _column_widths(table, WIDTH - len(indent))
        gap = " " * COLUMN_GAP

        def print_row(cells: Sequence[str]) -> int:
            wrapped = [
                textwrap.wrap(cell, width, break_long_words=False, break_on_hyphens=False) or [""]
                for cell, width in zip(cells, widths, strict=True)
            ]
            height = max(len(lines) for lines in wrapped)
            for number in range(height):
                parts = [
                    (lines[number] if number < len(lines) else "").ljust(width)
                    for lines, width in zip(wrapped, widths, strict=True)
                ]
                self.line((indent + gap.join(parts)).rstrip())
            return height

        print_row(table.columns)
        self.line(indent + gap.join(self.rule * width for width in widths))
        for number, row in enumerate(table.rows):
            if print_row(row) > 1 and number < len(table.rows) - 1:
                self.line()  # rows that wrap need a gap to be told apart

    def bar(self, score: int, width: int = 20) -> str:
        filled = round(score / 100 * width)
        return self.full * filled + self.empty * (width - filled)


def _column_widths(table: TipTable, available: int) -> list[int]:
    """Each column at least as wide as its longest word and at most as wide as its longest
    cell; the space left is shared in proportion to what each column still lacks."""
    cells = [[table.columns[i], *(row[i] for row in table.rows)] for i in range(len(table.columns))]
    longest_word = [max((len(w) for c in column for w in c.split()), default=1) for column in cells]
    natural = [max(len(c) for c in column) for column in cells]
    room = available - COLUMN_GAP * (len(cells) - 1)
    if sum(natural) <= room:
        return natural
    widths = list(longest_word)
    lacking = [n - w for n, w in zip(natural, widths, strict=True)]
    spare = room - sum(widths)
    if spare <= 0 or not sum(lacking):
        return widths  # too narrow even for whole words: overflow rather than split one
    total_lacking = sum(lacking)
    for i, lack in enumerate(lacking):
        widths[i] += spare * lack // total_lacking
    return widths


def render_question(p: Printer, view: SessionView) -> None:
    question = view.question
    assert question is not None
    p.line()
    p.line(
        f"Question {view.number} of {view.total} {p.dot} {question.topic} {p.dot} "
        f"{question.difficulty}"
    )
    p.wrapped(question.prompt, indent="", first="")
    p.line("(Answer below; an empty line sends it. :hint, :skip or :quit)")


def render_feedback(p: Printer, feedback: Feedback) -> None:
    result = feedback.result
    p.line()
    p.line(f"Score: {result.score}/100 {p.bar(result.score)} {result.band}")
    for note in result.notes:
        p.wrapped(note, first="  ! ")
    p.line("Concepts:")
    for concept in result.concepts:
        if concept.covered:
            quote = f' {p.dash} "{concept.matched_text}"' if concept.matched_text else ""
            echo = " (only in the question's words: half credit)" if concept.echo_only else ""
            p.wrapped(f"{concept.name}{quote}{echo}", indent="      ", first=f"  {p.tick} ")
        elif concept.named_only:
            said = f'named ("{concept.matched_text}") but not explained'
            p.wrapped(f"{concept.name} {p.dash} {said}", indent="      ", first=f"  {p.half} ")
        else:
            required = " (required)" if concept.required else ""
            p.wrapped(f"{concept.name}{required}", indent="      ", first=f"  {p.cross} ")
    if result.misconceptions:
        p.line("Misconceptions:")
        for hit in result.misconceptions:
            text = f'{hit.claim} {p.dash} you wrote "{hit.matched_text}" (-{hit.penalty:g})'
            if hit.correction:
                text += f". {hit.correction}"
            p.wrapped(text, indent="      ", first=f"  {p.cross} ")
    if result.tips:
        p.line("Tips:")
        p.tips(result.tips)
    p.line("Model answer:")
    p.wrapped(result.model_answer, indent="    ")
    if result.follow_ups:
        p.line("Follow-up to think about:")
        p.wrapped(result.follow_ups[0], indent="    ")


def render_summary(p: Printer, summary: SessionSummary) -> None:
    p.line()
    p.line("Session summary")
    if not summary.answered:
        p.line("  No answers this time.")
    for answered in summary.answered:
        p.line(f"  {answered.score:>3}/100 {answered.band:<8} {answered.question_id}")
    if summary.average is not None:
        p.line(f"  Average: {summary.average:.0f}/100 over {len(summary.answered)} answer(s)")
    if summary.skipped:
        p.line(f"  Skipped: {summary.skipped}")
    not_reached = summary.total - len(summary.answered) - summary.skipped
    if summary.status == "stopped" and not_reached > 0:
        p.line(f"  Not reached: {not_reached}")


def render_progress(p: Printer, name: str, progress: ProgressSummary) -> None:
    p.line(f"Progress for {name}")
    if not progress.answered:
        p.line("  No answers yet. Run `interview-bot practice` to start.")
        return
    p.line(
        f"  Answers: {progress.answered} on {progress.distinct_questions} question(s) {p.dot} "
        f"average {progress.average:.0f} {p.dot} best {progress.best} {p.dot} "
        f"streak {progress.streak_days} day(s)"
    )
    p.line("  Mastery by topic:")
    for topic in progress.topics:
        p.line(f"    {topic.topic:<22} {p.bar(round(topic.mastery), 10)} {topic.mastery:>3.0f}")
    p.line(f"  Per question (answers {p.dot} average {p.dot} best {p.dot} last):")
    for q in progress.questions:
        p.line(
            f"    {q.question_id:<32} {q.attempts:>2} {p.dot} {q.average:>3.0f} {p.dot} "
            f"{q.best:>3} {p.dot} {q.last:>3}"
        )
    if progress.most_missed:
        p.line("  Most often missed:")
        for missed in progress.most_missed:
            p.line(f"    {missed.concept} ({missed.question_id}) x{missed.times}")
    if progress.due_for_review:
        p.line(
            f"  Due for review now: {progress.due_for_review} question(s); "
            "run `interview-bot practice --review`."
        )
    elif progress.next_review_at is not None:
        p.line(f"  Next review due: {progress.next_review_at:%Y-%m-%d %H:%M} UTC")
    p.line("  Recent:")
    for attempt in progress.recent:
        p.line(
            f"    {attempt.submitted_at:%Y-%m-%d %H:%M} {attempt.question_id:<32} "
            f"{attempt.score:>3} {attempt.band}"
        )


class LineReader:
    """Lines from a blocking stream, read in a daemon thread.

    `asyncio.to_thread` would park the blocking `readline` in the loop's default executor,
    and `asyncio.run` waits for that executor on the way out: after Ctrl-C the process
    lived on until Enter. A daemon thread is simply abandoned when the process exits, so one
    Ctrl-C (SIGINT) cancels the wait and ends the process at once.
    """

    def __init__(self, source: TextIO) -> None:
        self._source = source
        self._pending: asyncio.Future[str] | None = None

    async def readline(self) -> str:
        if self._pending is None:  # a read cut short by cancellation is reused, not doubled
            loop = asyncio.get_running_loop()
            self._pending = loop.create_future()
            threading.Thread(
                target=self._read, args=(loop, self._pending), name="stdin-reader", daemon=True
            ).start()
        line = await asyncio.shield(self._pending)
        self._pending = None
        return line

    def _read(self, loop: asyncio.AbstractEventLoop, future: asyncio.Future[str]) -> None:
        try:
            line = self._source.readline()
        except BaseException as exc:  # hand it to the reader, as to_thread would
            outcome: tuple[str | None, BaseException | None] = (None, exc)
        else:
            outcome = (line, None)
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(_settle, future, *outcome)


def _settle(future: asyncio.Future[str], line: str | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        assert line is not None
        future.set_result(line)


async def _read_answer(lines: LineReader, p: Printer) -> tuple[str, bool]:
    """Lines up to the first empty one; returns (text, reached end of input)."""
    collected: list[str] = []
    while True:
        raw = await lines.readline()
        if raw == "":
            return "\n".join(collected), True
        line = raw.rstrip("\r\n")
        if not collected and line.strip() in COMMANDS:
            return line.strip(), False
        if not line.strip():
            if collected:
                return "\n".join(collected), False
            p.line("(Empty answer: type your answer, or :hint, :skip, :quit)")
            continue
        collected.append(line)


def keep_refused_answer(p: Printer, text: str) -> None:
    """A refused answer (too long) is saved to a private file and the file named, so the
    typing is not lost; if no file can be written, the text is printed back instead."""
    try:
        handle, path = tempfile.mkstemp(prefix="interview-answer-", suffix=".txt")
        with open(handle, "w", encoding="utf-8") as draft:
            draft.write(text + "\n")
    except OSError:
        p.line("Your answer, to shorten and send again:")
        p.line(text)
        return
    p.line(f"Your answer is saved in {path}; shorten it there and paste it again.")


async def run_practice(
    service: InterviewService,
    user_id: int,
    view: SessionView,
    source: TextIO,
    out: TextIO,
) -> SessionSummary:
    """Ask the session's questions until it ends, the user quits, or input runs out."""
    p = Printer(out)
    lines = LineReader(source)
    show_question = True
    while view.active and view.question is not None:
        if show_question:
            render_question(p, view)
        show_question = True
        text, ended = await _read_answer(lines, p)
        if text == ":quit":
            break
        if text == ":skip":
            view = await service.skip(view.session_id, user_id)
            p.line("Skipped.")
            continue
        if text == ":hint":
            hint, view = await service.hint(view.session_id, user_id)
            p.wrapped(hint or "No more hints for this question.", first="Hint: ")
            show_question = False
            continue
        if text.strip():
            try:
                feedback = await service.submit(
                    view.session_id, user_id, text, expected_position=view.position
                )
            except InvalidAnswer as exc:
                p.line(str(exc))
                keep_refused_answer(p, text)
                if ended:
                    break
                show_question = False
                continue
            except EngineError as exc:
                p.line(str(exc))
                break
            render_feedback(p, feedback)
            view = feedback.next
        if ended:
            break
    summary = await service.stop(view.session_id, user_id)
    render_summary(p, summary)
    return summary
