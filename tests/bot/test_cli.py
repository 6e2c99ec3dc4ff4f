"""The command line as a user meets it: real processes, real SQLite and PostgreSQL files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.questions.test_packs import ARTICLE_IDS

AUTH_ANSWER = (
    "I would use token based authentication. The user logs in over HTTPS, the server checks "
    "the password against a salted bcrypt hash and returns a signed JWT with a short expiry.\n"
    "The client sends it in the Authorization header and we refresh it with a refresh token.\n"
)


def run_cli(
    args: list[str],
    home: Path,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update({"INTERVIEW_BOT_HOME": str(home), "PYTHONIOENCODING": "utf-8"})
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        cwd=cwd,
    )


def in_process(args: list[str], home: Path, monkeypatch: pytest.MonkeyPatch, stdin: str = ""):
    monkeypatch.setenv("INTERVIEW_BOT_HOME", str(home))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    out = io.StringIO()
    code = main(args, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_piped_practice_asks_the_article_questions_and_saves_progress(tmp_path: Path) -> None:
    answers = AUTH_ANSWER + "\n:hint\n:skip\n:quit\n"
    result = run_cli(["practice", "--user", "ana"], tmp_path, answers)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Question 1 of 5 · security" in out
    assert "How would you implement authentication in web services?" in out
    assert "Score:" in out and "Concepts:" in out and "Tips:" in out and "Model answer:" in out
    assert "✔ Password hashing" in out
    assert "Hint:" in out and "Skipped." in out
    assert "Session summary" in out and "auth-web-services" in out
    assert "Traceback" not in out + result.stderr
    assert (tmp_path / "interview.db").exists()

    progress = run_cli(["progress", "--user", "ana"], tmp_path)
    assert progress.returncode == 0
    assert "Answers: 1 on 1 question(s)" in progress.stdout
    assert "security" in progress.stdout
    assert "Next review due:" in progress.stdout


def test_end_of_input_scores_the_pending_answer_then_ends_cleanly(tmp_path: Path) -> None:
    result = run_cli(["practice", "--user", "bo", "--count", "2"], tmp_path, AUTH_ANSWER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Score:") == 1
    assert "Session summary" in result.stdout


def test_empty_and_huge_answers_keep_the_question(tmp_path: Path) -> None:
    huge = "word " * 1000
    stdin = "\n\n" + huge + "\n\n" + AUTH_ANSWER + "\n"
    env = {"TMPDIR": str(tmp_path)}  # where the refused answer is saved
    result = run_cli(["practice", "--user", "cy", "--count", "1"], tmp_path, stdin, env=env)
    assert result.returncode == 0, result.stderr
    assert "Empty answer" in result.stdout
    assert "the limit is 4,000" in result.stdout
    assert result.stdout.count("Score:") == 1


def test_unfinished_session_resumes_after_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _ = in_process(["practice", "--user", "di"], tmp_path, monkeypatch, AUTH_ANSWER + "\n")
    assert code == 0
    # A killed process leaves its session active; simulate that with a stdin that raises.

    class Crash(io.StringIO):
        def readline(self, *args: object) -> str:
            raise KeyboardInterrupt

    monkeypatch.setenv("INTERVIEW_BOT_HOME", str(tmp_path))
    assert main(["practice", "--user", "ed"], stdin=Crash(), stdout=io.StringIO()) == 130
    code, out = in_process(["practice", "--user", "ed"], tmp_path, monkeypatch, ":quit\n")
    assert "Resuming your unfinished session at question 1 of 5" in out
    code, out = in_process(["practice", "--user", "ed", "--new"], tmp_path, monkeypatch, "")
    assert "Resuming" not in out


def test_practice_filters_and_bad_filters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = in_process(
        ["practice", "--topic", "caching", "--count", "1"], tmp_path, monkeypatch, ":quit\n"
    )
    assert code == 0 and " caching " in out and "Question 1 of 1" in out
    result = run_cli(["practice", "--pack", "nope"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "interview-bot: error: There is no pack called 'nope'. Packs: backend-basics, "
        "data-and-distributed, web-security-ops."
    ]


def test_questions_list_show_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = in_process(["questions", "list", "--pack", "backend-basics"], tmp_path, monkeypatch)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ARTICLE_IDS
    code, out = in_process(["questions", "show", "restful-api-design"], tmp_path, monkeypatch)
    assert code == 0 and "Rubric:" in out and "/v1" in out
    result = run_cli(["questions", "show", "nope"], tmp_path)
    assert result.returncode == 1 and "no question with id 'nope'" in result.stderr

    good = Path("questions/packs/backend-basics.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\ntitle: x\ndescription: y\nquestions:\n  - id: X\n")
    result = run_cli(["questions", "validate", str(good), str(bad)], tmp_path)
    assert result.returncode == 1
    assert "backend-basics.yaml: ok, pack 'backend-basics' with 5 question(s)" in result.stdout
    assert f"{bad}:5, question 'X', field 'id'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_grade_csv(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["who", "question_id", "question", "reference_answer", "answer"])
        writer.writerow(["a", "auth-web-services", "", "", AUTH_ANSWER])
        writer.writerow(["b", "no-such-question", "", "", "anything"])
        writer.writerow(
            [
                "c",
                "",
                "What is a CDN?",
                "A content delivery network caches static files at edge locations close to users.",
                "Edge caches of static files near users: a content delivery network.",
            ]
        )
        writer.writerow(["d", "sql-vs-nosql", "", "", "   "])
        writer.writerow(["e", "", "only a question", "", "an answer"])
    target = tmp_path / "out.csv"
    result = run_cli(["grade", str(source), "-o", str(target)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "graded 5 row(s), 3 with an error" in result.stderr
    rows = list(csv.DictReader(target.open(newline="")))
    assert [r["who"] for r in rows] == ["a", "b", "c", "d", "e"]
    assert int(rows[0]["score"]) >= 60 and "Password hashing" in rows[0]["matched"]
    assert rows[0]["band"] and rows[0]["missed"] and not rows[0]["error"]
    assert rows[1]["score"] == "" and "unknown question_id" in rows[1]["error"]
    assert rows[2]["score"] and not rows[2]["error"]
    assert "empty" in rows[3]["error"]
    assert "needs question_id" in rows[4]["error"]


def test_grade_refuses_input_without_answer_column(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("question_id,text\nauth-web-services,hello\n")
    result = run_cli(["grade", str(source)], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"interview-bot: error: {source}: the input needs an 'answer' column "
        "(found: question_id, text)"
    )
    missing = run_cli(["grade", str(tmp_path / "nope.csv")], tmp_path)
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_db_upgrade_and_storage_errors_are_one_line(tmp_path: Path) -> None:
    result = run_cli(["db", "upgrade"], tmp_path)
    assert result.returncode == 0 and "up to date" in result.stdout
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for env in (
        {"INTERVIEW_BOT_HOME": str(blocker / "sub")},
        {"DATABASE_URL": "mysql://nope"},
        {"DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:1/x"},
    ):
        result = run_cli(["practice"], tmp_path, env=env)
        assert result.returncode == 1, env
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("interview-bot: error: "), lines


def test_practice_honours_database_url_on_both_backends(database_url: str, tmp_path: Path) -> None:
    result = run_cli(
        ["practice", "--user", "pg", "--count", "1"],
        tmp_path,
        AUTH_ANSWER,
        env={"DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    assert "Score:" in result.stdout
    progress = run_cli(["progress", "--user", "pg"], tmp_path, env={"DATABASE_URL": database_url})
    assert "Answers: 1 on 1 question(s)" in progress.stdout


def test_review_with_nothing_due_says_when_and_exits_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = in_process(["practice", "--user", "fe", "--review"], tmp_path, monkeypatch)
    assert code == 0 and "Nothing is due for review. Answer some questions first." in out
    in_process(["practice", "--user", "fe", "--count", "1"], tmp_path, monkeypatch, AUTH_ANSWER)
    code, out = in_process(["practice", "--user", "fe", "--review"], tmp_path, monkeypatch)
    assert code == 0 and "The next one is due" in out


def test_output_cut_short_and_odd_encodings_give_no_traceback(tmp_path: Path) -> None:
    cut = subprocess.run(
        f"'{sys.executable}' -m bot questions list | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, "INTERVIEW_BOT_HOME": str(tmp_path)},
        timeout=60,
    )
    assert cut.stdout.count("\n") == 1
    assert "Traceback" not in cut.stderr
    ascii_only = run_cli(
        ["practice", "--count", "1"],
        tmp_path,
        "JWT over HTTPS \u2014 \u201cquoted\u201d, bcrypt hashing\n\n",
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert ascii_only.returncode == 0, ascii_only.stderr
    assert "Score:" in ascii_only.stdout and '[x] Login issues a token or session - "JWT"' in (
        ascii_only.stdout
    )


def test_a_mistyped_sqlite_path_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    typo = tmp_path / "dta" / "interview.db"
    for args in (["progress"], ["practice"], ["db", "upgrade"], ["run"]):
        env = {"DATABASE_URL": f"sqlite:///{typo}", "DISCORD_TOKEN": "not-used"}
        result = run_cli(args, tmp_path / "home", env=env)
        assert result.returncode == 1, args
        assert result.stderr.strip().splitlines() == [
            f"interview-bot: error: cannot open the database at {typo}: the directory "
            f"{typo.parent} does not exist"
        ], args
        assert not typo.parent.exists() and not (tmp_path / "home").exists(), args


def test_an_over_long_answer_is_saved_to_a_file_that_the_refusal_names(tmp_path: Path) -> None:
    drafts = tmp_path / "tmp"
    drafts.mkdir()
    long_answer = "\n".join(f"Line {n}: " + "caching and invalidation " * 9 for n in range(20))
    stdin = long_answer + "\n\n:quit\n"
    result = run_cli(["practice", "--count", "1"], tmp_path, stdin, env={"TMPDIR": str(drafts)})
    assert result.returncode == 0, result.stderr
    assert "the limit is 4,000" in result.stdout
    saved = list(drafts.iterdir())
    assert len(saved) == 1
    assert saved[0].read_text(encoding="utf-8") == long_answer + "\n"
    assert f"Your answer is saved in {saved[0]}" in result.stdout
    assert oct(saved[0].stat().st_mode & 0o777) == oct(0o600)  # answers are personal
