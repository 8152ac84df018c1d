"""The `dspapers` MkDocs plugin: the generator's bridge to MkDocs (see plugin.py)."""
