"""compose.yaml's bot and PostgreSQL services, read as data (no Docker needed): the bot's
DATABASE_URL reaches the postgres service and `storage.config` accepts it."""

from __future__ import annotations

import shlex

from sqlalchemy.engine import make_url

from storage.config import normalise_database_url, resolve_database_url
from tests.container_files import DOCKERFILE, ROOT, compose, environment_of

__all__ = ["compose"]


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
    raw = environment_of(compose["services"]["bot"])["DATABASE_URL"]
    url = normalise_database_url(raw)  # raises StorageError on a form storage rejects
    assert resolve_database_url({"DATABASE_URL": raw}) == url
    parsed = make_url(url)
    assert parsed.drivername == "postgresql+asyncpg"
    assert parsed.host in compose["services"], f"{parsed.host} is not a compose service"
    postgres_env = environment_of(compose["services"][parsed.host])
    assert parsed.port in (None, 5432)
    assert parsed.username == postgres_env["POSTGRES_USER"]
    assert parsed.password == postgres_env["POSTGRES_PASSWORD"]
    assert parsed.database == postgres_env["POSTGRES_DB"]


def test_compose_postgres_service(compose: dict) -> None:
    postgres = compose["services"]["postgres"]
    image, _, tag = postgres["image"].partition(":")
    assert image == "postgres" and tag.startswith("16"), postgres["image"]
    env = environment_of(postgres)
    test = postgres["healthcheck"]["test"]
    words = shlex.split(test) if isinstance(test, str) else test
    assert "pg_isready" in words
    assert words[words.index("-U") + 1] == env["POSTGRES_USER"]
    assert words[words.index("-d") + 1] == env["POSTGRES_DB"]
    volumes = [v.split(":") for v in postgres["volumes"]]
    assert [v[1] for v in volumes] == ["/var/lib/postgresql/data"]
    assert volumes[0][0] in (compose.get("volumes") or {}), "use a declared named volume"
