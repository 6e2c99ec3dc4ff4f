"""`interview-bot run` as a real process against a fake Discord:

    python -m tests.fake_discord.process API_BASE GATEWAY_URL [run flags...]

discord.py's REST base and default gateway point at the fake (as `patch_discord()` does in
process); everything else (settings from the environment, signals, exit status) is the real
command line's.
"""

from __future__ import annotations

import sys

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.cli import main

if __name__ == "__main__":
    api_base, gateway_url, *flags = sys.argv[1:]
    Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    raise SystemExit(main(["run", *flags]))
