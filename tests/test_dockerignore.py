""".dockerignore, matched the way Docker matches it: it keeps every build input out of the
exclusions and keeps secrets, caches and tests out of the build context."""

from __future__ import annotations

import os
import re
from pathlib import PurePosixPath

import pytest

from tests.container_files import DOCKERIGNORE, PACKAGES, ROOT, Instruction, stages

__all__ = ["stages"]


def _compile(pattern: str) -> re.Pattern[str]:
    """Translate a .dockerignore pattern the way Docker's patternmatcher does."""
    regex, i = "", 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):  # `**/` also matches no directory at all
                regex += "(.*/)?"
                i += 1
            else:
                regex += ".*"
            continue
        if char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif char == "[":
            end = pattern.index("]", i)
            regex += pattern[i : end + 1]
            i = end
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            regex += re.escape(pattern[i])
        else:
            regex += re.escape(char)
        i += 1
    return re.compile(regex)


def dockerignore_rules() -> list[tuple[re.Pattern[str], bool]]:
    rules = []
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclude = not line.startswith("!")
        cleaned = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        rules.append((_compile(cleaned), exclude))
    return rules


def is_ignored(path: str, rules: list[tuple[re.Pattern[str], bool]]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents wins."""
    parts = PurePosixPath(path).parts
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for regex, exclude in rules:
        if any(regex.fullmatch(candidate) for candidate in candidates):
            ignored = exclude
    return ignored


def test_dockerignore_matcher_follows_docker_semantics() -> None:
    def rules(*patterns: str) -> list[tuple[re.Pattern[str], bool]]:
        return [(_compile(p.lstrip("!")), not p.startswith("!")) for p in patterns]

    assert is_ignored("__pycache__/x.pyc", rules("__pycache__"))
    assert not is_ignored("bot/__pycache__/x.pyc", rules("__pycache__"))  # root-anchored
    assert is_ignored("bot/__pycache__/x.pyc", rules("**/__pycache__"))
    assert is_ignored("a.db", rules("**/*.db"))
    assert not is_ignored("keep.db", rules("*.db", "!keep.db"))


def test_dockerignore_keeps_the_build_inputs() -> None:
    rules = dockerignore_rules()
    needed = ["pyproject.toml", "README.md", *PACKAGES]
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                needed.append(path.relative_to(ROOT).as_posix())
    lost = [path for path in needed if is_ignored(path, rules)]
    assert not lost, f".dockerignore excludes files the image needs: {lost}"


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".env.production",
        ".venv/bin/python",
        ".git/HEAD",
        "interview.db",
        "storage/interview.db-wal",
        "bot/__pycache__/cli.cpython-311.pyc",
        "interview_bot.egg-info/PKG-INFO",
        "tests/conftest.py",
    ],
)
def test_dockerignore_excludes(path: str) -> None:
    assert is_ignored(path, dockerignore_rules()), f".dockerignore lets {path} into the context"


def test_builder_copies_only_what_the_context_keeps(stages: list[list[Instruction]]) -> None:
    rules = dockerignore_rules()
    for instruction in stages[0]:
        if instruction.keyword != "COPY":
            continue
        for source in instruction.args.split()[:-1]:
            assert not source.startswith("--"), f"unexpected COPY flag {source} in the builder"
            assert (ROOT / source).exists(), f"COPY {source}: no such file"
            assert not is_ignored(source.rstrip("/"), rules), f"COPY {source} is dockerignored"
