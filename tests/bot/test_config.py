from pathlib import Path

import pytest

from bot.cli import main
from bot.config import BotSettings, ConfigError


def test_missing_token_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        BotSettings.from_environment({}, dotenv_path=None)


def test_environment_values_are_parsed(tmp_path: Path) -> None:
    settings = BotSettings.from_environment(
        {
            "DISCORD_TOKEN": " abc ",
            "INTERVIEW_DEV_GUILD": "123456789012345678",
            "LOG_LEVEL": "debug",
            "INTERVIEW_MESSAGE_CONTENT": "yes",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        },
        dotenv_path=None,
    )
    assert settings.token == "abc"
    assert settings.dev_guild_id == 123456789012345678
    assert settings.log_level == "DEBUG"
    assert settings.message_content is True
    assert settings.database_url.startswith("sqlite+aiosqlite:///")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("INTERVIEW_DEV_GUILD", "my-server", "digits only"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of"),
        ("INTERVIEW_MESSAGE_CONTENT", "maybe", "true or false"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        BotSettings.from_environment({"DISCORD_TOKEN": "t", name: value}, dotenv_path=None)


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=from-file\nLOG_LEVEL=WARNING\n", encoding="utf-8")
    settings = BotSettings.from_environment({"LOG_LEVEL": "ERROR"}, dotenv_path=dotenv)
    assert settings.token == "from-file"
    assert settings.log_level == "ERROR"


def test_env_example_documents_every_variable() -> None:
    example = (Path(__file__).parents[2] / ".env.example").read_text(encoding="utf-8")
    for name in (
        "DISCORD_TOKEN",
        "DATABASE_URL",
        "INTERVIEW_DEV_GUILD",
        "LOG_LEVEL",
        "INTERVIEW_MESSAGE_CONTENT",
        "INTERVIEW_BOT_HOME",
        "SHARD_COUNT",
        "SHARD_IDS",
        "METRICS_PORT",
        "METRICS_HOST",
    ):
        assert f"\n{name}=" in example, name


def test_run_without_token_exits_1_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["run"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("interview-bot: error: DISCORD_TOKEN is not set")


def test_invite_prints_the_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "42"]) == 0
    out = capsys.readouterr().out
    assert "client_id=42" in out and "applications.commands" in out


def test_every_command_reads_dotenv_and_the_environment_wins(tmp_path: Path) -> None:
    from tests.bot.test_cli import AUTH_ANSWER, run_cli

    home = tmp_path / "home"
    from_file = tmp_path / "from-dotenv.db"
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{from_file}\n", encoding="utf-8")
    practice = run_cli(
        ["practice", "--user", "env", "--count", "1"], home, AUTH_ANSWER, cwd=tmp_path
    )
    assert practice.returncode == 0, practice.stderr
    assert f"Progress is saved in {from_file}." in practice.stdout
    assert from_file.exists() and not (home / "interview.db").exists()
    progress = run_cli(["progress", "--user", "env"], home, cwd=tmp_path)
    assert "Answers: 1 on 1 question(s)" in progress.stdout, progress.stderr
    upgrade = run_cli(["db", "upgrade"], home, cwd=tmp_path)
    assert f"Database is up to date: {from_file}" in upgrade.stdout, upgrade.stderr

    real = tmp_path / "from-environment.db"
    practice = run_cli(
        ["practice", "--count", "1"],
        home,
        ":quit\n",
        env={"DATABASE_URL": f"sqlite:///{real}"},
        cwd=tmp_path,
    )
    assert f"Progress is saved in {real}." in practice.stdout, practice.stderr


def test_an_unreadable_dotenv_is_one_line(tmp_path: Path) -> None:
    from tests.bot.test_cli import run_cli

    (tmp_path / ".env").write_bytes(b"DATABASE_URL=\xff\xfe\n")
    result = run_cli(["progress"], tmp_path, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == ("interview-bot: error: cannot read .env: it is not UTF-8 text")
