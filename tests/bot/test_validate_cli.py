"""`questions validate` checks a pack against the built-in packs, as `/question import` does."""

from __future__ import annotations

from pathlib import Path

import yaml

from questions.loader import default_bank
from tests.bot.test_cli import run_cli

SHIPPED = Path("questions/packs/backend-basics.yaml")


def write_pack(path: Path, questions: list[dict[str, object]]) -> None:
    document = {"pack": "mine", "title": "Mine", "description": "Mine.", "questions": questions}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def built_in(question_id: str) -> dict[str, object]:
    question = default_bank().get(question_id)
    assert question is not None
    return question.to_dict()


def test_a_changed_copy_of_a_built_in_question_is_an_error(tmp_path: Path) -> None:
    pack = tmp_path / "my-pack.yaml"
    changed = {**built_in("auth-web-services"), "prompt": "How do you log users in to an API?"}
    write_pack(pack, [changed])
    line = pack.read_text().splitlines().index("- id: auth-web-services") + 1
    result = run_cli(["questions", "validate", str(pack)], tmp_path)
    assert result.returncode == 1
    assert (
        f"{pack}:{line}, question 'auth-web-services', field 'id': 'auth-web-services' is a "
        "built-in question (pack 'backend-basics'), which is read-only; give your version "
        "another id"
    ) in result.stdout.splitlines()
    assert "1 problem(s) found" in result.stderr

    both = run_cli(["questions", "validate", str(SHIPPED), str(pack)], tmp_path)
    assert both.returncode == 1
    assert both.stdout.count("'auth-web-services'") == 1, both.stdout  # reported once


def test_an_unchanged_copy_passes_with_a_note_and_shipped_packs_still_pass(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "copy.yaml"
    write_pack(pack, [built_in("auth-web-services")])
    result = run_cli(["questions", "validate", str(pack)], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f"{pack}: note: question 'auth-web-services' is an unchanged copy of built-in pack "
        "'backend-basics'; import skips it"
    ) in result.stdout

    shipped = run_cli(["questions", "validate", str(SHIPPED)], tmp_path)
    assert shipped.returncode == 0, shipped.stdout
    assert "note:" not in shipped.stdout
