"""Pack validation reports every problem, readably, with file, line, question and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from questions.loader import PackError, load_bank, load_pack, parse_pack, question_from_dict

VALID = """\
pack: demo-pack
title: Demo
description: A tiny pack for tests.
questions:
  - id: first-question
    topic: caching
    difficulty: easy
    prompt: What is a cache for, and when does it go stale?
    rubric:
      - name: Faster reads
        weight: 2
        required: true
        phrases: [faster reads, memory]
    misconceptions:
      - claim: A cache never needs invalidation
        phrases: [never needs invalidation]
    model_answer: A cache keeps hot data in memory so reads are faster; it needs invalidation.
    tips: [Mention TTLs.]
    source: test
"""


def issues_of(text: str) -> list[str]:
    with pytest.raises(PackError) as caught:
        parse_pack(text, "demo.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_valid_pack_loads() -> None:
    pack = parse_pack(VALID, "demo.yaml")
    question = pack.questions[0]
    assert (pack.id, pack.version, question.pack) == ("demo-pack", "1", "demo-pack")
    assert question.rubric[0].required and question.rubric[0].weight == 2
    assert question.misconceptions[0].penalty == 15
    assert question.hint(0) == "Think about: faster reads."


def test_every_error_is_reported_with_line_question_and_field() -> None:
    broken = (
        VALID.replace("difficulty: easy", "difficulty: extreme")
        .replace("weight: 2", "weight: -1")
        .replace("tips: [Mention TTLs.]", "tips: []\n    colour: blue")
    )
    issues = issues_of(broken)
    assert len(issues) == 4
    assert (
        "demo.yaml:7, question 'first-question', field 'difficulty': "
        "'extreme' is not one of: easy, medium, hard"
    ) in issues
    assert any(
        i.startswith("demo.yaml:11, question 'first-question', field 'rubric[0].weight'")
        for i in issues
    )
    assert any("field 'tips': must not be empty" in i for i in issues)
    assert any("'colour' was unexpected" in i for i in issues)


def test_missing_top_level_keys_and_bad_slug() -> None:
    issues = issues_of("pack: Not A Slug\nquestions: []\n")
    assert any("'title' is a required property" in i for i in issues)
    assert any("'description' is a required property" in i for i in issues)
    assert any("field 'pack': 'Not A Slug' is not a slug" in i for i in issues)
    assert any("field 'questions': must not be empty" in i for i in issues)


def test_malformed_yaml_gives_one_line_with_its_line_number() -> None:
    issues = issues_of(VALID + "  - id: [unclosed\n")
    assert len(issues) == 1
    assert issues[0].startswith("demo.yaml:20:") and "not valid YAML" in issues[0]


def test_a_yaml_error_names_the_line_where_the_open_construct_starts() -> None:
    five_lines = "pack: x\ntags: [a, b,\n  c, d,\n  e,\n  f\n"
    assert issues_of(five_lines) == [
        "demo.yaml:2: not valid YAML: a flow sequence starts here and is not closed; the "
        "parser gave up on line 6: expected ',' or ']', but got '<stream end>'"
    ]
    quote = 'pack: x\ntitle: "abc\ndescription: z\nquestions: []\n'
    assert issues_of(quote) == [
        "demo.yaml:2: not valid YAML: a quoted scalar starts here and is not closed; the "
        "parser gave up on line 5: found unexpected end of stream"
    ]
    same_line = "pack: x\n\ttitle: y\n"  # no open construct: the one line is enough
    assert issues_of(same_line) == [
        "demo.yaml:2: not valid YAML: found character '\\t' that cannot start any token"
    ]


@pytest.mark.parametrize("text", ["", "just a string", "- a\n- list\n"])
def test_non_mapping_documents_are_refused(text: str) -> None:
    assert issues_of(text)


def test_duplicate_ids_keys_and_concepts() -> None:
    question = VALID[VALID.index("  - id:") :]
    twice = VALID + question
    issues = issues_of(twice)
    assert any("duplicate question id" in i for i in issues)
    issues = issues_of(VALID.replace("    topic: caching", "    topic: caching\n    topic: web"))
    assert any("duplicate key 'topic'" in i for i in issues)
    doubled = VALID.replace(
        "        phrases: [faster reads, memory]",
        "        phrases: [faster reads, memory]\n      - name: faster reads\n        phrases: [x]",
    )
    assert any("duplicate concept name" in i for i in issues_of(doubled))


def test_ids_must_be_unique_across_packs(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "b.yaml").write_text(VALID.replace("pack: demo-pack", "pack: other-pack"))
    with pytest.raises(PackError, match="already used in pack 'demo-pack'"):
        load_bank([tmp_path / "a.yaml", tmp_path / "b.yaml"])


def test_unreadable_file_is_an_issue_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="cannot read the file"):
        load_pack(tmp_path / "missing.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(PackError, match="cannot read the file"):
        load_pack(binary)


def test_single_question_round_trips_through_its_dict() -> None:
    question = parse_pack(VALID, "demo.yaml").questions[0]
    again = question_from_dict(question.to_dict(), "demo-pack")
    assert again == question
    with pytest.raises(PackError, match="'prompt' is a required property"):
        question_from_dict({k: v for k, v in question.to_dict().items() if k != "prompt"}, "x")
