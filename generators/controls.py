"""The words of the controls that the theme and the Markdown extensions write themselves.

Material names the colour-scheme toggle from mkdocs.yml (`theme.palette[].toggle.name`),
the toc extension titles the link beside every heading (`permalink_title`) and the
footnotes extension the link back from a footnote (`BACKLINK_TITLE`). Each is one
setting for the whole site, in English unless told otherwise, and static-i18n overrides
neither the Markdown settings nor, from our string table, the theme's. So each language's
build sets all of them to its own words (from generators/strings.py) before it renders.
The title of the feed that our theme override announces in every page's head
(`feed_title`) travels with them; the plugin sets it with the feed's address.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import strings
from .i18n import HansConverter

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

CONTROL_KEYS = (
    "scheme_to_dark",
    "scheme_to_light",
    "heading_permalink",
    "footnote_backlink",
    "feed_title",
)


def control_texts(hans: HansConverter) -> dict[str, dict[str, str]]:
    """The control texts of every language: language -> string key -> text."""
    return {
        "zh-Hant": {key: strings.UI[key][0] for key in CONTROL_KEYS},
        "zh-Hans": {key: hans.convert(strings.UI[key][0]) for key in CONTROL_KEYS},
        "en": {key: strings.UI[key][1] for key in CONTROL_KEYS},
    }


def localize_controls(config: MkDocsConfig, texts: Mapping[str, str]) -> None:
    """Set *config*'s control texts to one language's *texts* (see `control_texts`)."""
    palette = config.theme.get("palette")
    if isinstance(palette, list):
        for i, scheme in enumerate(palette):
            toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
            if toggle is None:
                continue
            # A scheme's toggle switches to the next scheme in the list: it is named for that one.
            following = palette[(i + 1) % len(palette)]
            to_dark = isinstance(following, dict) and following.get("scheme") == "slate"
            toggle["name"] = texts["scheme_to_dark" if to_dark else "scheme_to_light"]
    _set_extension_option(config, "toc", "permalink_title", texts["heading_permalink"])
    # The footnotes extension puts the footnote's number where the text has "{}".
    backlink = texts["footnote_backlink"].replace("{number}", "{}")
    _set_extension_option(config, "footnotes", "BACKLINK_TITLE", backlink)


def _set_extension_option(config: MkDocsConfig, extension: str, option: str, value: Any) -> None:
    if extension in config.markdown_extensions:
        config.mdx_configs.setdefault(extension, {})[option] = value
