"""Questions a guild writes itself: add, edit, remove, list, import, export, dry-run.

Built-in packs are read-only and shared by every guild; a guild's own questions are stored
per guild and are never visible anywhere else. Removal is soft, so attempts keep resolving.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from bot.engine.answers import accept_answer
from bot.engine.errors import InvalidQuestion, QuestionNotFound, ReadOnlyQuestion
from bot.engine.selection import CUSTOM_PACK, custom_questions
from questions.clashes import builtin_clashes
from questions.loader import PackError, parse_pack, question_from_dict
from questions.model import DIFFICULTIES, Question, QuestionBank
from questions.preview import RubricPreview, preview
from questions.scoring import ScoreResult, score_answer
from storage.database import Database
from storage.models import CustomQuestion
from storage.repositories import CustomQuestionRepository

MAX_IMPORT_BYTES = 256 * 1024
MAX_IMPORT_QUESTIONS = 100
MAX_GUILD_QUESTIONS = 500
MAX_ID_LENGTH = 48
DEFAULT_DIFFICULTY = "medium"
_SLUG_WORD = re.compile(r"[a-z0-9]+")
_FILLER = {
    *("a", "an", "the", "of", "to", "in", "on", "and", "or", "you", "your", "would", "how"),
    *("what", "why", "when", "which", "does", "do", "is", "are", "can", "should"),
    *("explain", "describe"),
}


@dataclass(frozen=True)
class QuestionForm:
    """The five fields of the add/edit modal, as typed."""

    prompt: str
    topic: str  # "topic" or "topic / difficulty"
    model_answer: str
    concepts: str  # one per line: "concept: phrase, phrase"; a trailing * marks it required
    tips: str  # one per line; tables cannot be typed in a form and are kept as they were


@dataclass(frozen=True)
class ImportReport:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    built_in: tuple[str, ...]  # identical copies of built-in questions, nothing to do


def slugify(text: str, max_length: int = 64) -> str:
    words = _SLUG_WORD.findall(text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def _id_from_prompt(prompt: str) -> str:
    words = [w for w in _SLUG_WORD.findall(prompt.lower()) if w not in _FILLER]
    return slugify(" ".join(words[:6]), MAX_ID_LENGTH) or "question"


def parse_concepts(text: str) -> list[dict[str, Any]]:
    """`Name: phrase, phrase` per line; `Name*` is required; a bare line is its own phrase."""
    concepts = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("-•").strip()
        if not line:
            continue
        name, sep, phrases_text = line.partition(":")
        name = name.strip()
        required = name.endswith("*")
        name = name.rstrip("*").strip()
        phrases = [p.strip() for p in phrases_text.split(",") if p.strip()] if sep else [name]
        concept: dict[str, Any] = {"name": name, "weight": 1.0, "phrases": phrases or [name]}
        if required:
            concept["required"] = True
        concepts.append(concept)
    return concepts


def format_concepts(question: Question) -> str:
    return "\n".join(
        f"{c.name}{'*' if c.required else ''}: {', '.join(c.phrases)}" for c in question.rubric
    )


def format_tips(question: Question) -> str:
    """The text tips, one per line, for the edit form (tables stay out of it and are kept)."""
    return "\n".join(tip for tip in question.tips if isinstance(tip, str))


def parse_tips(text: str) -> list[str]:
    return [line.strip().lstrip("-•").strip() for line in text.splitlines() if line.strip()]


def parse_topic(text: str) -> tuple[str, str]:
    """'Caching / hard' -> ('caching', 'hard'); the difficulty defaults to medium."""
    topic_text, _, difficulty_text = text.partition("/")
    difficulty = difficulty_text.strip().lower() or DEFAULT_DIFFICULTY
    if difficulty not in DIFFICULTIES:
        raise InvalidQuestion(
            f"Unknown difficulty '{difficulty_text.strip()}': use one of "
            f"{', '.join(DIFFICULTIES)}, e.g. `caching / hard`."
        )
    topic = slugify(topic_text)
    if not topic:
        raise InvalidQuestion("The topic needs at least one letter or digit, e.g. `caching`.")
    return topic, difficulty


def form_to_data(
    form: QuestionForm,
    question_id: str,
    *,
    source: str,
    previous: Question | None = None,
) -> dict[str, Any]:
    """The pack-format mapping; what the modal cannot show (hints...) is kept from `previous`."""
    topic, difficulty = parse_topic(form.topic)
    data: dict[str, Any] = {
        "id": question_id,
        "topic": topic,
        "difficulty": difficulty,
        "prompt": form.prompt.strip(),
    }
    concepts = parse_concepts(form.concepts)
    if previous is not None:
        weights = {c.name.casefold(): c.weight for c in previous.rubric}
        for concept in concepts:
            concept["weight"] = weights.get(concept["name"].casefold(), 1.0)
    if concepts:
        data["rubric"] = concepts
    if previous is not None and previous.misconceptions:
        data["misconceptions"] = previous.to_dict()["misconceptions"]
    data["model_answer"] = form.model_answer.strip()
    data["tips"] = parse_tips(form.tips)
    if previous is not None:
        data["tips"] += [tip for tip in previous.to_dict()["tips"] if not isinstance(tip, str)]
    if previous is not None:
        old = previous.to_dict()
        for key in ("hints", "follow_ups"):
            if key in old:
                data[key] = old[key]
    data["source"] = previous.source if previous is not None else source
    return data


def _problems(error: PackError) -> list[str]:
    return [str(issue) for issue in error.issues]


def _validate(data: dict[str, Any], origin: str) -> Question:
    try:
        return question_from_dict(data, CUSTOM_PACK, origin=origin)
    except PackError as exc:
        raise InvalidQuestion("That question is not valid:", _problems(exc)) from None


class QuestionAuthoring:
    def __init__(self, database: Database, bank: QuestionBank) -> None:
        self.database = database
        self.bank = bank

    # -- reading ---------------------------------------------------------------------------

    async def list(
        self, guild_id: int | None, *, topic: str | None = None, pack: str | None = None
    ) -> list[Question]:
        """Built-in questions, then the guild's own, filtered."""
        questions = [] if pack == CUSTOM_PACK else self.bank.select(pack=pack)
        if guild_id is not None and pack in (None, CUSTOM_PACK):
            questions += await custom_questions(self.database, guild_id)
        if topic:
            questions = [q for q in questions if q.topic == topic]
        return questions

    async def show(self, guild_id: int | None, question_id: str) -> Question:
        question = self.bank.get(question_id)
        if question is not None:
            return question
        if guild_id is not None:
            async with self.database.session() as session:
                row = await CustomQuestionRepository(session).get(guild_id, question_id)
            if row is not None:
                return _validate(row.data, question_id)
        raise QuestionNotFound(f"There is no question with id `{question_id}` here.")

    async def dry_run(self, guild_id: int | None, question_id: str, answer: str) -> ScoreResult:
        """Score an answer without storing anything; refused like any answer at the gate."""
        question = await self.show(guild_id, question_id)
        return score_answer(question, accept_answer(answer).text)

    # -- writing ---------------------------------------------------------------------------

    def refuse_built_in(self, question_id: str) -> None:
        if question_id in self.bank.questions:
            pack = self.bank.questions[question_id].pack
            raise ReadOnlyQuestion(
                f"`{question_id}` is in the built-in pack `{pack}`, which is read-only. "
                "Add your own version with `/question add`."
            )

    def preview(self, question: Question) -> RubricPreview:
        """The concepts it is judged on, and how its model answer and its prompt score."""
        return preview(question)

    async def add(self, guild_id: int, form: QuestionForm, author_id: int, source: str) -> Question:
        async with self.database.session() as session:
            repository = CustomQuestionRepository(session)
            if len(await repository.list(guild_id)) >= MAX_GUILD_QUESTIONS:
                raise InvalidQuestion(
                    f"This server already has {MAX_GUILD_QUESTIONS} questions, the most it "
                    "can keep. Remove some first."
                )
            base = _id_from_prompt(form.prompt)
            question_id, n = base, 1
            while question_id in self.bank.questions or await repository.get(
                guild_id, question_id, include_deleted=True
            ):
                n += 1
                question_id = f"{base[: MAX_ID_LENGTH - len(str(n)) - 1].rstrip('-')}-{n}"
            data = form_to_data(form, question_id, source=source)
            question = _validate(data, question_id)
            await repository.add(
                CustomQuestion(
                    guild_id=guild_id, question_id=question_id, data=data, created_by=author_id
                )
            )
            await session.commit()
        return question

    async def edit(self, guild_id: int, question_id: str, form: QuestionForm) -> Question:
        self.refuse_built_in(question_id)
        previous = await self.show(guild_id, question_id)
        data = form_to_data(form, question_id, source=previous.source, previous=previous)
        question = _validate(data, question_id)
        async with self.database.session() as session:
            if await CustomQuestionRepository(session).update_data(guild_id, question_id, data):
                await session.commit()
                return question
        raise QuestionNotFound(f"There is no question with id `{question_id}` here.")

    async def remove(self, guild_id: int, question_id: str) -> Question:
        """Hide the question from new sessions; attempts at it stay in everyone's history."""
        self.refuse_built_in(question_id)
        question = await self.show(guild_id, question_id)
        async with self.database.session() as session:
            if await CustomQuestionRepository(session).soft_delete(guild_id, question_id):
                await session.commit()
                return question
        raise QuestionNotFound(f"There is no question with id `{question_id}` here.")

    # -- packs -----------------------------------------------------------------------------

    async def import_pack(
        self, guild_id: int, content: bytes, filename: str, author_id: int
    ) -> ImportReport:
        """Validate the whole file first, then store all of it in one transaction or none."""
        if len(content) > MAX_IMPORT_BYTES:
            raise InvalidQuestion(
                f"`{filename}` is {len(content):,} bytes; the limit is {MAX_IMPORT_BYTES:,} bytes."
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidQuestion(f"`{filename}` is not UTF-8 text.") from None
        try:
            pack = parse_pack(text, filename)
        except PackError as exc:
            count = len(exc.issues)
            raise InvalidQuestion(
                f"`{filename}` has {count} problem{'s' * (count != 1)}; nothing was imported.",
                _problems(exc),
            ) from None
        if len(pack.questions) > MAX_IMPORT_QUESTIONS:
            raise InvalidQuestion(
                f"`{filename}` has {len(pack.questions)} questions; import at most "
                f"{MAX_IMPORT_QUESTIONS} at a time. Nothing was imported."
            )
        clashes = builtin_clashes(pack, text, self.bank, filename)
        issues = clashes.issues
        built_in = [question_id for question_id, _ in clashes.unchanged]
        custom = [q for q in pack.questions if self.bank.get(q.id) is None]
        if issues:
            raise InvalidQuestion(
                f"`{filename}` has {len(issues)} problem{'s' * (len(issues) != 1)}; "
                "nothing was imported.",
                [str(issue) for issue in issues],
            )
        added, updated = [], []
        async with self.database.session() as session:
            repository = CustomQuestionRepository(session)
            live = {row.question_id for row in await repository.list(guild_id)}
            new_ids = {q.id for q in custom} - live
            if len(live) + len(new_ids) > MAX_GUILD_QUESTIONS:
                raise InvalidQuestion(
                    f"That would make {len(live) + len(new_ids)} questions; a server can keep "
                    f"{MAX_GUILD_QUESTIONS}. Nothing was imported."
                )
            for question in custom:
                data = question.to_dict()
                if question.id in live:
                    await repository.update_data(guild_id, question.id, data)
                    updated.append(question.id)
                else:
                    await repository.add(
                        CustomQuestion(
                            guild_id=guild_id,
                            question_id=question.id,
                            data=data,
                            created_by=author_id,
                        )
                    )
                    added.append(question.id)
            await session.commit()
        return ImportReport(tuple(added), tuple(updated), tuple(built_in))

    async def export_pack(
        self, guild_id: int | None, pack: str | None, guild_name: str
    ) -> tuple[str, str]:
        """(filename, YAML text) in the pack format, ready for `/question import`."""
        if pack is None or pack == CUSTOM_PACK:
            questions = (
                await custom_questions(self.database, guild_id) if guild_id is not None else []
            )
            if not questions:
                raise QuestionNotFound(
                    "This server has no questions of its own to export yet. Export a "
                    "built-in pack with the `pack` option, or add one with `/question add`."
                )
            document: dict[str, Any] = {
                "pack": CUSTOM_PACK,
                "title": f"Questions of {guild_name}"[:100],
                "description": "Questions written on this Discord server.",
                "version": 1,
            }
            filename = f"{slugify(guild_name) or 'server'}-questions.yaml"
        else:
            shipped = self.bank.packs.get(pack)
            if shipped is None:
                known = ", ".join([*sorted(self.bank.packs), CUSTOM_PACK])
                raise QuestionNotFound(f"There is no pack `{pack}`. Packs: {known}.")
            questions = list(shipped.questions)
            document = {
                "pack": shipped.id,
                "title": shipped.title,
                "description": shipped.description,
                "version": int(shipped.version) if shipped.version.isdigit() else 1,
            }
            filename = f"{shipped.id}.yaml"
        document["questions"] = [q.to_dict() for q in questions]
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
        return filename, text


def summarize_problems(problems: Sequence[str], limit: int) -> list[str]:
    """At most `limit` problems, the last line saying how many more there were."""
    if len(problems) <= limit:
        return list(problems)
    return [*problems[: limit - 1], f"... and {len(problems) - limit + 1} more"]
