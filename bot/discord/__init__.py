"""The Discord front end: the only package that imports discord.

Each subpackage is one feature (its cog, flows, buttons and forms, embeds; its `__init__`
holds only `setup()`), found and loaded by client.py. The modules beside them are what every
feature shares: ui (button and form bases, routes), text, colours, errors, permissions,
cooldowns and lookups.
"""
