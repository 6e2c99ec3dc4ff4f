"""Question ids a pack shares with the built-in packs.

Judged the same way wherever a pack comes in (`/question import`, `questions validate`):
an unchanged copy of a built-in question is harmless and skipped, a changed one is an
error, because built-in packs are read-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from questions.loader import PackIssue
from questions.model import Pack, QuestionBank


@dataclass
class Clashes:
    issues: list[PackIssue] = field(default_factory=list)  # changed copies: errors
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # (question id, pack)


def line_of_id(text: str, question_id: str) -> int | None:
    """The line of `id: question_id` in a pack's YAML text, for messages."""
    pattern = rf"^[ \t-]*id:[ \t]*['\"]?{re.escape(question_id)}['\"]?[ \t]*(#.*)?$"
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def builtin_clashes(pack: Pack, text: str, built_in: QuestionBank, origin: str) -> Clashes:
    found = Clashes()
    for question in pack.questions:
        original = built_in.get(question.id)
        if original is None:
            continue
        if original.to_dict() == question.to_dict():
            found.unchanged.append((question.id, original.pack))
            continue
        found.issues.append(
            PackIssue(
                origin,
                f"'{question.id}' is a built-in question (pack '{original.pack}'), "
                "which is read-only; give your version another id",
                line=line_of_id(text, question.id),
                question_id=question.id,
                field="id",
            )
        )
    return found
