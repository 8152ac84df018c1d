"""The `dspapers` plugin's settings in mkdocs.yml; each one is a field of `BuildOptions`."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..i18n import LANGUAGE_CODES


class DsPapersConfig(Config):  # type: ignore[no-untyped-call]
    """`plugins: - dspapers: {...}`; folders are relative to mkdocs.yml."""

    data_dir = c.Type(str, default="data")
    content_dir = c.Type(str, default="content")
    cache_dir = c.Type(str, default=".cache")
    charts = c.Type(bool, default=True)
    preview = c.Optional(c.Choice(LANGUAGE_CODES))
    offline = c.Type(bool, default=False)
    slide_files = c.Type(bool, default=True)
