"""The `interview-bot` command line.

Every failure a user can cause (a bad pack, an unreachable database, a bad CSV) ends with a
one-line message and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import io
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from bot.config import BotSettings, ConfigError, environment
from bot.engine.errors import EngineError, NoQuestions
from bot.engine.interview import DEFAULT_COUNT, MAX_COUNT, InterviewService
from bot.grading_cli import GradeError, grade
from bot.terminal import Printer, render_progress, run_practice
from questions import catalog, semantic
from questions.clashes import builtin_clashes
from questions.lint import lint_question
from questions.loader import PackError, default_bank, load_bank, load_pack
from questions.model import DIFFICULTIES, QuestionBank
from questions.preview import preview
from storage.config import describe_location
from storage.database import Database, create_default_directory
from storage.errors import StorageError

PROG = "interview-bot"


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or password database
        return "candidate"


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if not 1 <= number <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"choose between 1 and {MAX_COUNT}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Mock technical interviews, scored against concept rubrics."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    practice = commands.add_parser("practice", help="be interviewed in the terminal")
    practice.add_argument("--pack", help="only questions from this pack")
    practice.add_argument("--topic", help="only questions on this topic")
    practice.add_argument("--difficulty", choices=DIFFICULTIES)
    practice.add_argument("--count", type=_count, default=DEFAULT_COUNT, help="questions to ask")
    practice.add_argument("--user", default=None, help="whose progress to record (default: you)")
    practice.add_argument("--review", action="store_true", help="only the questions due for review")
    practice.add_argument(
        "--new", action="store_true", help="start afresh instead of resuming an unfinished session"
    )

    progress = commands.add_parser("progress", help="print your progress summary")
    progress.add_argument("--user", default=None)

    questions = commands.add_parser("questions", help="browse and validate question packs")
    question_commands = questions.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = question_commands.add_parser("list", help="list the shipped questions")
    listing.add_argument("--pack")
    listing.add_argument("--topic")
    show = question_commands.add_parser("show", help="show one question in full")
    show.add_argument("id")
    validate = question_commands.add_parser("validate", help="check pack files for errors")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    grade = commands.add_parser("grade", help="score a CSV of answers")
    grade.add_argument("input", metavar="INPUT.csv", help="- reads standard input")
    grade.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT.csv",
        help="default or -: standard output; may be the input file itself",
    )

    run = commands.add_parser(
        "run", help="run the Discord bot (DISCORD_TOKEN, DATABASE_URL, ... from env or .env)"
    )
    # Strings, checked with the environment's values, so both give the same one-line errors.
    run.add_argument("--shard-count", metavar="N", help="shards in all (SHARD_COUNT)")
    run.add_argument("--shard-ids", metavar="I,J", help="shards this process runs (SHARD_IDS)")
    run.add_argument("--metrics-port", metavar="PORT", help="serve /metrics and /healthz")
    run.add_argument("--metrics-host", metavar="HOST", help="default 127.0.0.1 (METRICS_HOST)")
    invite = commands.add_parser("invite", help="print the URL that adds the bot to a server")
    invite.add_argument("client_id", type=int, metavar="APPLICATION_ID")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply database migrations")
    return parser


async def _open_database(env: Mapping[str, str]) -> Database:
    database = Database.from_environment(env)
    await database.open()
    return database


async def _practice(
    args: argparse.Namespace, env: Mapping[str, str], source: TextIO, out: TextIO
) -> int:
    bank = default_bank()
    catalog.warm_up()  # while the first question is read
    database = await _open_database(env)
    try:
        service = InterviewService(database, bank)
        name = args.user or default_user()
        user_id = await service.local_user(name)
        filtered = args.pack or args.topic or args.difficulty or args.review
        view = None if (args.new or filtered) else await service.active_session(user_id, None)
        p = Printer(out)
        if view is not None and view.question is not None:
            p.line(f"Resuming your unfinished session at question {view.number} of {view.total}.")
        else:
            try:
                view = await service.start(
                    user_id,
                    pack=args.pack,
                    topic=args.topic,
                    difficulty=args.difficulty,
                    count=args.count,
                    review=args.review,
                )
            except NoQuestions as exc:
                if not args.review:
                    raise
                p.line(str(exc))  # nothing due is good news, not an error
                return 0
            p.line(f"Mock interview for {name}: {view.total} question(s).")
        p.line(f"Progress is saved in {describe_location(database.url)}.")
        await run_practice(service, user_id, view, source, out)
    finally:
        await database.close()
    return 0


async def _progress(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    database = await _open_database(env)
    try:
        service = InterviewService(database, default_bank())
        name = args.user or default_user()
        user_id = await service.local_user(name)
        render_progress(Printer(out), name, await service.progress(user_id))
    finally:
        await database.close()
    return 0


def _built_in_except(paths: Sequence[Path]) -> QuestionBank:
    """The built-in packs, less those among `paths`: a shipped file is not its own clash."""
    given = {path.resolve() for path in paths}
    bank = default_bank()
    packs = {k: v for k, v in bank.packs.items() if Path(v.path).resolve() not in given}
    return QuestionBank(
        packs=packs, questions={k: q for k, q in bank.questions.items() if q.pack in packs}
    )


def _validate(paths: Sequence[Path], p: Printer) -> int:
    """Print every problem, warning and note; returns how many problems there were.

    Each file is checked against the built-in packs, as `/question import` does, and the
    files against each other.
    """
    problems = 0
    built_in = _built_in_except(paths)
    for path in paths:
        try:
            pack = load_pack(path)
        except PackError as exc:
            problems += len(exc.issues)
            for issue in exc.issues:
                p.line(str(issue))
            continue
        clashes = builtin_clashes(pack, path.read_text(encoding="utf-8"), built_in, str(path))
        problems += len(clashes.issues)
        for issue in clashes.issues:
            p.line(str(issue))
        if not clashes.issues:
            p.line(f"{path}: ok, pack '{pack.id}' with {len(pack.questions)} question(s)")
        for question_id, pack_id in clashes.unchanged:
            p.line(
                f"{path}: note: question '{question_id}' is an unchanged copy of built-in pack "
                f"'{pack_id}'; import skips it"
            )
        for checked in pack.questions:
            for warning in lint_question(checked):
                p.line(f"{path}: warning: question '{checked.id}': {warning}")
            if not checked.rubric:  # derived: show the author what it will be judged on
                for line in preview(checked).lines():
                    p.line(f"{path}: note: question '{checked.id}': {line}")
    try:
        load_bank(paths)
    except PackError as exc:  # clashes between the given files
        clashes_between = [i for i in exc.issues if "already used" in i.message]
        problems += len(clashes_between)
        for issue in clashes_between:
            p.line(str(issue))
    return problems


def _questions(args: argparse.Namespace, out: TextIO) -> int:
    p = Printer(out)
    if args.action == "validate":
        problems = _validate(args.paths, p)
        if problems:
            raise CliError(f"{problems} problem(s) found")
        return 0
    bank = default_bank()
    if args.action == "show":
        question = bank.get(args.id)
        if question is None:
            raise CliError(f"no question with id '{args.id}'; see `{PROG} questions list`")
        p.line(
            f"{question.id} {p.dot} {question.topic} {p.dot} {question.difficulty} {p.dot} "
            f"pack {question.pack}"
        )
        p.wrapped(question.prompt, indent="", first="")
        p.line("Rubric:")
        for concept in question.rubric:
            required = ", required" if concept.required else ""
            p.wrapped(
                f"{concept.name} (weight {concept.weight:g}{required}): "
                + ", ".join(concept.phrases),
                indent="      ",
                first=f"  {p.bullet} ",
            )
        for misconception in question.misconceptions:
            p.wrapped(misconception.claim, first="  wrong claim: ", indent="      ")
        p.line("Tips:")
        p.tips(question.tips)
        p.line("Model answer:")
        p.wrapped(question.model_answer, indent="    ")
        p.line(f"Source: {question.source}")
        return 0
    questions = bank.select(pack=args.pack, topic=args.topic)
    if not questions:
        raise CliError("no questions match; packs: " + ", ".join(sorted(bank.packs)))
    for question in questions:
        p.line(f"{question.id:<36} {question.pack:<22} {question.topic:<20} {question.difficulty}")
    return 0


def _grade(args: argparse.Namespace, source: TextIO, out: TextIO) -> int:
    summary = grade(args.input, args.output, default_bank(), source, out)
    print(summary, file=sys.stderr)
    return 0


async def _db_upgrade(env: Mapping[str, str], out: TextIO) -> int:
    database = Database.from_environment(env)
    try:
        await database.open()
        print(f"Database is up to date: {describe_location(database.url)}", file=out)
    finally:
        await database.close()
    return 0


RUN_FLAGS = {
    "shard_count": "SHARD_COUNT",
    "shard_ids": "SHARD_IDS",
    "metrics_port": "METRICS_PORT",
    "metrics_host": "METRICS_HOST",
}


def _run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    # Imported here so the terminal commands never load discord.py.
    from bot.discord.runner import configure_logging, serve

    flags = {name: getattr(args, flag) for flag, name in RUN_FLAGS.items()}
    env = {**env, **{name: value for name, value in flags.items() if value is not None}}
    settings = BotSettings.from_environment(env, dotenv_path=None)
    create_default_directory(env)
    configure_logging(settings.log_level_number, settings.shards)
    asyncio.run(serve(settings))
    return 0


def _invite(client_id: int, out: TextIO) -> int:
    from bot.discord.permissions import invite_url

    print(invite_url(client_id), file=out)
    return 0


def main(
    argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    args = build_parser().parse_args(argv)
    source, out = stdin or sys.stdin, stdout or sys.stdout
    for stream in (source, out):
        if isinstance(stream, io.TextIOWrapper):  # odd bytes must not end a session
            stream.reconfigure(errors="replace")
    try:
        env = environment()  # every command reads .env the same way
        semantic.configure(env.get("INTERVIEW_SEMANTIC"))
        if args.command == "practice":
            return asyncio.run(_practice(args, env, source, out))
        if args.command == "progress":
            return asyncio.run(_progress(args, env, out))
        if args.command == "questions":
            return _questions(args, out)
        if args.command == "grade":
            return _grade(args, source, out)
        if args.command == "run":
            return _run(args, env)
        if args.command == "invite":
            return _invite(args.client_id, out)
        return asyncio.run(_db_upgrade(env, out))
    except (CliError, GradeError, StorageError, EngineError, ConfigError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except PackError as exc:
        print(f"{PROG}: error: the question packs have problems:", file=sys.stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        saved = "; your answers so far are saved" if args.command == "practice" else ""
        print(f"\n{PROG}: interrupted{saved}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `interview-bot questions list | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
