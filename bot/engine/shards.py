"""Which guilds a process serves when the bot runs as several shards.

Discord sends a guild's events to shard `(guild_id >> 22) % shard_count` and DMs to shard 0;
a process does timed and scheduled work only where it receives the events, so two processes
on one database never both post a reveal or a daily question.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard Discord routes a guild to; DMs (`None`) go to shard 0."""
    if guild_id is None:
        return 0
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardPlan:
    """`count` shards in all, of which this process runs `ids` (every shard by default)."""

    count: int = 1
    ids: tuple[int, ...] | None = None

    @property
    def own_ids(self) -> tuple[int, ...]:
        return self.ids if self.ids is not None else tuple(range(self.count))

    @property
    def sharded(self) -> bool:
        """More than one shard, or an explicit subset: discord.py's sharded client is needed."""
        return self.count > 1 or self.ids is not None

    @property
    def runs_every_shard(self) -> bool:
        """True when this process is the whole bot (the only kind SQLite can hold)."""
        return set(self.own_ids) == set(range(self.count))

    def owns(self, guild_id: int | None) -> bool:
        return shard_of(guild_id, self.count) in self.own_ids
