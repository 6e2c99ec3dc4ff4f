"""compose.yaml's sharded profile, read as data (no Docker needed)."""

from __future__ import annotations

from tests.container_files import compose, environment_of

__all__ = ["compose"]


def test_compose_sharded_profile_covers_every_shard_once(compose: dict) -> None:
    """Two bot services on the one PostgreSQL; each shard run by exactly one of them, each
    checked through /healthz; the plain `bot` stays outside the profile."""
    services = compose["services"]
    shards = {name: s for name, s in services.items() if "sharded" in s.get("profiles", [])}
    assert len(shards) == 2 and "profiles" not in services["bot"]
    envs = [environment_of(s) for s in shards.values()]
    counts = {int(env["SHARD_COUNT"]) for env in envs}
    assert counts == {2}
    owned = sorted(int(i) for env in envs for i in env["SHARD_IDS"].split(","))
    assert owned == [0, 1]
    for service, env in zip(shards.values(), envs, strict=True):
        assert env["DATABASE_URL"] == environment_of(services["bot"])["DATABASE_URL"]
        assert service["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert f"{env['METRICS_PORT']}/healthz" in " ".join(service["healthcheck"]["test"])
