"""The Discord front end: thin handlers over the engine. The only package that imports discord."""
