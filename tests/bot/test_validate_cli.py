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


def test_a_question_without_a_rubric_shows_what_it_will_be_judged_on(tmp_path: Path) -> None:
    pack = tmp_path / "derived.yaml"
    question = {
        "id": "connection-pool-basics",
        "topic": "databases",
        "difficulty": "medium",
        "prompt": "Why do backend services use a database connection pool?",
        "model_answer": (
            "Opening a database connection costs a TCP handshake, TLS and authentication, so "
            "a pool keeps a set of open connections that requests borrow and return. The pool "
            "caps how many connections the service opens, which protects the database from "
            "overload, and a request waits for a free connection instead of opening its own."
        ),
        "tips": ["Size the pool from the database's limit divided by the instances."],
        "source": "test",
    }
    write_pack(pack, [question])
    result = run_cli(["questions", "validate", str(pack)], tmp_path)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if ": note: " in line]
    assert any("concepts (derived from the model answer): " in line for line in notes), notes
    scores = {
        "model": next(line for line in notes if "model answer scores" in line),
        "prompt": next(line for line in notes if "prompt copied back scores" in line),
    }
    model_score = int(scores["model"].split("model answer scores ")[1].split()[0])
    prompt_score = int(scores["prompt"].split("copied back scores ")[1].split()[0])
    assert model_score >= 80 and prompt_score < 20
