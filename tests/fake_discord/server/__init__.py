"""FakeDiscord: an in-memory Discord (REST + gateway on 127.0.0.1) for end-to-end bot tests.

``FakeDiscord`` (fake.py) is built in layers, one module each: world.py (state and building),
messages.py, waits.py, interaction_builder.py and user_actions.py.
"""

from .fake import FakeDiscord

__all__ = ["FakeDiscord"]
