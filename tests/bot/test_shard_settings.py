"""SHARD_COUNT / SHARD_IDS and the metrics port: parsing, the SQLite rule, the run flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import BotSettings, ConfigError
from bot.engine.shards import ShardPlan, shard_of

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def settings(**values: str) -> BotSettings:
    return BotSettings.from_environment(
        {"DISCORD_TOKEN": "t", "DATABASE_URL": POSTGRES, **values}, dotenv_path=None
    )


def test_discords_rule_and_dms_on_shard_zero() -> None:
    guild = (7 << 22) | 12345  # the shard depends on the timestamp bits only
    assert shard_of(guild, 2) == 1 and shard_of(guild, 3) == 1 and shard_of(guild, 1) == 0
    assert shard_of(None, 4) == 0
    second = ShardPlan(2, (1,))
    assert second.owns(guild) and not second.owns(guild + (1 << 22)) and not second.owns(None)
    assert ShardPlan(2, (0,)).owns(None)


def test_defaults_are_one_unsharded_process() -> None:
    plain = settings()
    assert plain.shards == ShardPlan() and not plain.shards.sharded
    assert plain.metrics_port is None and plain.metrics_host == "127.0.0.1"
    every = settings(SHARD_COUNT="3").shards
    assert every.own_ids == (0, 1, 2) and every.sharded and every.runs_every_shard


def test_shard_ids_are_parsed_and_deduplicated() -> None:
    shards = settings(SHARD_COUNT="4", SHARD_IDS=" 3, 1,1").shards
    assert shards == ShardPlan(4, (1, 3)) and not shards.runs_every_shard


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number of 1 or more, not '0'"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0;1"}, "separated by commas"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "numbered 0 to 1"),
        ({"METRICS_PORT": "70000"}, "METRICS_PORT must be a port number"),
    ],
)
def test_bad_values_are_one_line_naming_the_variable(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as error:
        settings(**values)
    assert "\n" not in str(error.value)


def test_sqlite_refuses_shards_split_over_processes(tmp_path: Path) -> None:
    sqlite = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    with pytest.raises(ConfigError, match="need a shared PostgreSQL"):
        settings(SHARD_COUNT="2", SHARD_IDS="1", **sqlite)
    # One process running every shard is a single writer: SQLite holds it.
    assert settings(SHARD_COUNT="2", SHARD_IDS="0,1", **sqlite).shards.runs_every_shard


def test_run_flags_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the real command line: the flag's value reaches the SQLite rule, which stops
    the start before anything connects."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "t")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("SHARD_COUNT", "1")
    assert main(["run", "--shard-count", "2", "--shard-ids", "1"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("interview-bot: error: SHARD_IDS=1 of SHARD_COUNT=2") and "\n" not in err
    assert main(["run", "--shard-count", "x"]) == 1
    assert "SHARD_COUNT must be a whole number" in capsys.readouterr().err
