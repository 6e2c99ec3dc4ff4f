"""Pack YAML as plain data, with the line of every value, and the problems found in it.

Errors point at lines people can find: a syntax error names the line where the parser gave
up and, when a construct was left open (an unclosed `[` or quote), the line it starts on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class PackIssue:
    """One readable validation problem."""

    origin: str
    message: str
    line: int | None = None
    question_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.origin if self.line is None else f"{self.origin}:{self.line}"
        parts = [where]
        if self.question_id:
            parts.append(f"question '{self.question_id}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) + f": {self.message}"


class PackError(Exception):
    """Raised with every problem found, so one run shows them all."""

    def __init__(self, issues: Sequence[PackIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class LineMap:
    """Builds plain Python data from a YAML node tree, remembering each value's line."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.lines: dict[JsonPath, int] = {}
        self.issues: list[PackIssue] = []
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: JsonPath = ()) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in result:
                    self.issues.append(
                        PackIssue(
                            self.origin,
                            f"duplicate key '{key}'",
                            line=key_node.start_mark.line + 1,
                            field=format_path((*path, key)),
                        )
                    )
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalars.construct_object(node)

    def line_for(self, path: JsonPath) -> int | None:
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def format_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _syntax_issue(exc: yaml.YAMLError, origin: str) -> PackIssue:
    """Point at the open construct (its first line) when the parser gave up further down:
    for an unclosed `[` on line 2 that is line 2, not the end of the file."""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = problem_mark.line + 1 if problem_mark is not None else None
    context = getattr(exc, "context", None) or ""
    construct = context.removeprefix("while parsing ").removeprefix("while scanning ")
    if context_mark is None or not construct or context_mark.line + 1 == line:
        return PackIssue(origin, f"not valid YAML: {problem}", line=line)
    start = context_mark.line + 1
    if "flow" in construct or "quoted" in construct:
        where = f"{construct} starts here and is not closed; the parser gave up"
    else:
        where = f"in {construct} that starts here, the parser gave up"
    after = f" on line {line}" if line is not None else ""
    return PackIssue(origin, f"not valid YAML: {where}{after}: {problem}", line=start)


# libyaml's parser reads the shipped packs about ten times faster than PyYAML's own (the
# bank took ~0.4 s of the terminal's start); the pure-Python one words syntax errors.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, origin: str) -> tuple[Any, LineMap]:
    line_map = LineMap(origin)
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise PackError([_syntax_issue(exc, origin)]) from None
    if node is None:
        raise PackError([PackIssue(origin, "the file is empty")])
    try:
        data = line_map.build(node)
    except yaml.YAMLError as exc:  # e.g. a tag the safe loader refuses
        raise PackError([_syntax_issue(exc, origin)]) from None
    return data, line_map
