"""Discord's protocol numbers, the JSON alias, timestamps and snowflake ids the models share."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
TEXT_CHANNEL = 0
DM_CHANNEL = 1
VOICE_CHANNEL = 2
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12

# Message flags
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# Interaction types
PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

# Interaction callback types
CALLBACK_PONG = 1
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_AUTOCOMPLETE = 8
CALLBACK_MODAL = 9

JSONDict = dict[str, Any]


def iso_now() -> str:
    """Discord timestamps are ISO-8601 with an explicit UTC offset."""
    return dt.datetime.now(dt.UTC).isoformat()


class Snowflakes:
    """Real-looking, strictly increasing snowflakes.

    Ids carry the current time because discord.py derives ``created_at`` (and thus
    ``Interaction.is_expired()``) from them; tiny integers would look like 2015.
    """

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next id whose guild Discord would route to `shard_id` (a millisecond later
        per step, so ids stay increasing)."""
        candidate = self.next()
        while (candidate >> 22) % shard_count != shard_id:
            candidate += 1 << 22
        self._last = candidate
        return candidate
