"""Load and validate question packs.

Pack authors should see every problem at once, each pointing at a file, a line, a question
and a field, so validation collects errors instead of stopping at the first, and never
lets a traceback reach the user.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from questions.model import Concept, Misconception, Pack, Question, QuestionBank, Tip, TipTable
from questions.yaml_source import JsonPath, LineMap, PackError, PackIssue, format_path, parse_yaml

PACKS_DIR = Path(__file__).with_name("packs")
SCHEMA_PATH = Path(__file__).with_name("pack.schema.json")

TABLE_SHAPE = "table: {columns: [...], rows: [[...], ...]}"


@cache
def pack_schema() -> dict[str, Any]:
    text = resources.files("questions").joinpath("pack.schema.json").read_text("utf-8")
    return json.loads(text)


def _question_schema() -> dict[str, Any]:
    schema = pack_schema()
    return {"$defs": schema["$defs"], "$ref": "#/$defs/question"}


def _is_tip_path(path: JsonPath) -> bool:
    return len(path) >= 2 and path[-2] == "tips" and isinstance(path[-1], int)


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{error.message}; allowed: {', '.join(allowed)}"
    if error.validator == "pattern":
        return f"{error.instance!r} is not a slug (lowercase words joined by hyphens)"
    if error.validator == "minItems" and error.instance == []:
        return "must not be empty"
    if error.validator == "minLength" and error.instance == "":
        return "must not be empty"
    if error.validator == "type" and _is_tip_path(tuple(error.path)):
        return f"must be text or a table ({TABLE_SHAPE})"
    if error.validator == "enum":
        options = ", ".join(map(str, error.validator_value))
        return f"{error.instance!r} is not one of: {options}"
    return error.message


def _schema_issues(
    data: Any, schema: Mapping[str, Any], line_map: LineMap, single_question: bool = False
) -> list[PackIssue]:
    validator = jsonschema.Draft202012Validator(schema)
    issues = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path: JsonPath = tuple(error.path)
        issues.append(
            PackIssue(
                line_map.origin,
                _describe(error),
                line=line_map.line_for(path),
                question_id=_question_id_at(data, path, single_question),
                field=_field_name(path) or None,
            )
        )
    return issues


def _question_id_at(data: Any, path: JsonPath, single_question: bool) -> str | None:
    """The id of the question that a path points into, so errors name the question."""
    if single_question:
        qid = data.get("id") if isinstance(data, dict) else None
        return qid if isinstance(qid, str) else None
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        questions = data.get("questions") if isinstance(data, dict) else None
        if isinstance(questions, list) and path[1] < len(questions):
            question = questions[path[1]]
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                return question["id"]
            return f"#{path[1] + 1}"
    return None


def _field_name(path: JsonPath) -> str:
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        return format_path(path[2:])
    return format_path(path)


def _build_tip(data: str | Mapping[str, Any]) -> Tip:
    if isinstance(data, str):
        return data.strip()
    table = data["table"]
    return TipTable(
        columns=tuple(column.strip() for column in table["columns"]),
        rows=tuple(tuple(cell.strip() for cell in row) for row in table["rows"]),
    )


def _build_question(data: Mapping[str, Any], pack_id: str, pack_version: str) -> Question:
    return Question(
        id=data["id"],
        topic=data["topic"],
        difficulty=data["difficulty"],
        prompt=data["prompt"].strip(),
        model_answer=data["model_answer"].strip(),
        tips=tuple(_build_tip(tip) for tip in data["tips"]),
        source=data["source"].strip(),
        rubric=tuple(
            Concept(
                name=c["name"],
                phrases=tuple(c["phrases"]),
                weight=float(c.get("weight", 1.0)),
                required=bool(c.get("required", False)),
            )
            for c in data.get("rubric", ())
        ),
        misconceptions=tuple(
            Misconception(
                claim=m["claim"],
                phrases=tuple(m["phrases"]),
                correction=m.get("correction", ""),
                penalty=float(m.get("penalty", 15)),
            )
            for m in data.get("misconceptions", ())
        ),
        hints=tuple(data.get("hints", ())),
        follow_ups=tuple(data.get("follow_ups", ())),
        pack=pack_id,
        pack_version=pack_version,
    )


def _semantic_issues(data: Mapping[str, Any], line_map: LineMap) -> list[PackIssue]:
    """Checks JSON Schema cannot express: uniqueness within a pack."""
    issues = []
    seen: dict[str, int] = {}
    for index, question in enumerate(data.get("questions", [])):
        if not isinstance(question, dict):
            continue
        qid = question.get("id")
        if isinstance(qid, str):
            if qid in seen:
                issues.append(
                    PackIssue(
                        line_map.origin,
                        f"duplicate question id (first used by question #{seen[qid] + 1})",
                        line=line_map.line_for(("questions", index, "id")),
                        question_id=qid,
                        field="id",
                    )
                )
            seen.setdefault(qid, index)
        issues += _table_issues(question, index, line_map)
        names: set[str] = set()
        for c_index, concept in enumerate(question.get("rubric", []) or []):
            name = concept.get("name") if isinstance(concept, dict) else None
            if isinstance(name, str):
                if name.casefold() in names:
                    issues.append(
                        PackIssue(
                            line_map.origin,
                            f"duplicate concept name '{name}'",
                            line=line_map.line_for(("questions", index, "rubric", c_index)),
                            question_id=qid if isinstance(qid, str) else None,
                            field=f"rubric[{c_index}].name",
                        )
                    )
                names.add(name.casefold())
    return issues


def _table_issues(question: dict[str, Any], index: int, line_map: LineMap) -> list[PackIssue]:
    """Every row of a tip table has one cell per column (the schema cannot compare lengths)."""
    issues = []
    qid = question.get("id")
    tips = question.get("tips")
    for t_index, tip in enumerate(tips if isinstance(tips, list) else []):
        table = tip.get("table") if isinstance(tip, dict) else None
        if not isinstance(table, dict):
            continue
        columns, rows = table.get("columns"), table.get("rows")
        if not isinstance(columns, list) or not isinstance(rows, list):
            continue
        for r_index, row in enumerate(rows):
            if isinstance(row, list) and columns and len(row) != len(columns):
                path: JsonPath = ("tips", t_index, "table", "rows", r_index)
                issues.append(
                    PackIssue(
                        line_map.origin,
                        f"has {len(row)} cell(s); the table has {len(columns)} column(s)",
                        line=line_map.line_for(("questions", index, *path)),
                        question_id=qid if isinstance(qid, str) else None,
                        field=format_path(path),
                    )
                )
    return issues


def parse_pack(text: str, origin: str = "<pack>") -> Pack:
    """Parse and validate one pack's YAML text; raises PackError listing every problem."""
    data, line_map = parse_yaml(text, origin)
    issues = list(line_map.issues)
    if not isinstance(data, dict):
        raise PackError([PackIssue(origin, "a pack must be a mapping with pack, title, ...", 1)])
    issues += _schema_issues(data, pack_schema(), line_map)
    issues += _semantic_issues(data, line_map)
    if issues:
        raise PackError(issues)
    version = str(data.get("version", 1))
    questions = tuple(_build_question(q, data["pack"], version) for q in data["questions"])
    return Pack(
        id=data["pack"],
        title=data["title"],
        description=data["description"].strip(),
        version=version,
        questions=questions,
        path=origin,
    )


def load_pack(path: Path) -> Pack:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise PackError([PackIssue(str(path), f"cannot read the file: {reason}")]) from None
    return parse_pack(text, str(path))


def question_from_dict(
    data: Mapping[str, Any], pack_id: str, pack_version: str = "1", origin: str = "<question>"
) -> Question:
    """Validate and build a single question, e.g. one an admin stored in the database."""
    line_map = LineMap(origin)
    issues = _schema_issues(dict(data), _question_schema(), line_map, single_question=True)
    if issues:
        raise PackError(issues)
    return _build_question(data, pack_id, pack_version)


def shipped_pack_paths() -> list[Path]:
    return sorted(PACKS_DIR.glob("*.yaml"))


def load_bank(paths: Iterable[Path] | None = None) -> QuestionBank:
    """Load packs (the shipped ones by default); ids must be unique across all of them."""
    bank = QuestionBank()
    issues: list[PackIssue] = []
    for path in shipped_pack_paths() if paths is None else paths:
        try:
            pack = load_pack(Path(path))
        except PackError as exc:
            issues.extend(exc.issues)
            continue
        if pack.id in bank.packs:
            issues.append(
                PackIssue(
                    str(path),
                    f"pack id '{pack.id}' is already used by {bank.packs[pack.id].path}",
                    field="pack",
                )
            )
            continue
        for question in pack.questions:
            if question.id in bank.questions:
                other = bank.questions[question.id].pack
                issues.append(
                    PackIssue(
                        str(path),
                        f"question id is already used in pack '{other}'",
                        question_id=question.id,
                        field="id",
                    )
                )
        bank.packs[pack.id] = pack
        for question in pack.questions:
            bank.questions.setdefault(question.id, question)
    if issues:
        raise PackError(issues)
    return bank


@cache
def default_bank() -> QuestionBank:
    """The shipped packs, loaded once per process."""
    return load_bank()
