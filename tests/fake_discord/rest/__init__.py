"""REST side of the fake Discord: ``RestApi`` (api.py) routes ``/api/v{n}/...`` to route groups.

base.py holds what they share (request, errors, lookups); application.py, messages.py,
threads.py, guilds.py, guild_channels.py and callbacks.py hold one group of routes each.
"""

from .api import RestApi
from .base import FilePart, RestError, RestRequest

__all__ = ["FilePart", "RestApi", "RestError", "RestRequest"]
