"""One module per feature; each has `setup()` so the bot loads it as an extension."""
