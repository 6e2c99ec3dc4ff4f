"""`interview-bot grade` never loses a file: output written beside the target, then renamed."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

from tests.bot.test_cli import AUTH_ANSWER, run_cli

HEADER = ["who", "question_id", "answer"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_output_equal_to_input_replaces_it_with_the_graded_rows(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    write_csv(answers, [["a", "auth-web-services", AUTH_ANSWER], ["b", "nope", "x"]])
    answers.chmod(0o640)
    result = run_cli(["grade", str(answers), "-o", str(answers)], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = read_rows(answers.read_text(encoding="utf-8"))
    assert [r["who"] for r in rows] == ["a", "b"]
    assert int(rows[0]["score"]) >= 60 and rows[0]["answer"] == AUTH_ANSWER
    assert "unknown question_id" in rows[1]["error"]
    assert stat.S_IMODE(answers.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".db") == ["answers.csv"]


def test_a_failed_run_leaves_no_output_and_keeps_an_existing_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("question_id,text\nauth-web-services,hello\n", encoding="utf-8")
    new = tmp_path / "new.csv"
    result = run_cli(["grade", str(bad), "-o", str(new)], tmp_path)
    assert result.returncode == 1 and "needs an 'answer' column" in result.stderr
    assert not new.exists()

    kept = tmp_path / "kept.csv"
    kept.write_text("precious\n", encoding="utf-8")
    result = run_cli(["grade", str(bad), "-o", str(kept)], tmp_path)
    assert result.returncode == 1
    assert kept.read_text(encoding="utf-8") == "precious\n"

    result = run_cli(["grade", str(bad), "-o", str(bad)], tmp_path)
    assert result.returncode == 1
    assert bad.read_text(encoding="utf-8") == "question_id,text\nauth-web-services,hello\n"
    leftovers = {p.name for p in tmp_path.iterdir()} - {"bad.csv", "kept.csv", "interview.db"}
    assert leftovers == set(), leftovers


def test_output_in_a_missing_directory_is_one_line(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    write_csv(answers, [["a", "auth-web-services", AUTH_ANSWER]])
    target = tmp_path / "no-such-dir" / "out.csv"
    result = run_cli(["grade", str(answers), "-o", str(target)], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"interview-bot: error: cannot write {target}: No such file or directory"
    )


def test_dash_reads_standard_input_and_writes_standard_output(tmp_path: Path) -> None:
    stdin = f'who,question_id,answer\r\na,auth-web-services,"{AUTH_ANSWER}"\r\n'
    result = run_cli(["grade", "-", "-o", "-"], tmp_path, stdin=stdin)
    assert result.returncode == 0, result.stderr
    rows = read_rows(result.stdout)
    assert [r["who"] for r in rows] == ["a"] and int(rows[0]["score"]) >= 60
    assert rows[0]["answer"] == AUTH_ANSWER  # embedded newlines survive
    assert "graded 1 row(s), 0 with an error" in result.stderr

    target = tmp_path / "out.csv"
    result = run_cli(["grade", "-", "-o", str(target)], tmp_path, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert read_rows(target.read_text(encoding="utf-8"))[0]["who"] == "a"
    assert f"wrote {target}" in result.stderr


def test_an_answer_over_the_csv_field_limit_is_refused_in_its_row(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    huge = "word " * 40_000  # 200,000 characters: over the csv module's 131,072 default
    write_csv(
        answers,
        [["a", "auth-web-services", huge], ["b", "auth-web-services", AUTH_ANSWER]],
    )
    result = run_cli(["grade", str(answers)], tmp_path)
    assert result.returncode == 0, result.stderr
    default_limit = csv.field_size_limit(1_000_000)  # the output keeps the answer column
    try:
        rows = read_rows(result.stdout)
    finally:
        csv.field_size_limit(default_limit)
    assert rows[0]["score"] == ""
    assert rows[0]["error"] == "the answer is 199,999 characters; the limit is 4,000"
    assert int(rows[1]["score"]) >= 60 and not rows[1]["error"]
    assert "graded 2 row(s), 1 with an error" in result.stderr


def test_row_errors_are_worded_for_a_csv_not_a_chat(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    write_csv(answers, [["a", "auth-web-services", "  "], ["b", "auth-web-services", "x" * 4001]])
    result = run_cli(["grade", str(answers)], tmp_path)
    assert result.returncode == 0, result.stderr
    errors = [row["error"] for row in read_rows(result.stdout)]
    assert errors == [
        "the answer is empty",
        "the answer is 4,001 characters; the limit is 4,000",
    ]


def test_an_ad_hoc_question_is_held_to_the_pack_limits(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    header = ["question", "reference_answer", "answer"]
    reference = "A content delivery network caches static files at edge locations. " * 70
    write_csv(answers, [["What is a CDN?", reference, "Edge caches near users."]], header)
    result = run_cli(["grade", str(answers)], tmp_path)
    assert result.returncode == 0, result.stderr
    error = read_rows(result.stdout)[0]["error"]
    assert (
        error
        == f"the reference_answer is {len(reference.strip()):,} characters; the limit is 4,000"
    )
