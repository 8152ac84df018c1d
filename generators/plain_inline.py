"""A Markdown extension: a text without inline syntax skips Python-Markdown's inline patterns.

Python-Markdown tries each of its inline patterns (links, emphasis, code, raw HTML, escapes,
entities, footnote references, maths, …) on every text of a page, one regular-expression
search and one registry look-up after another, table cells included. Most texts of this
site's pages hold none of the characters those patterns need (a cell such as `671B` or
`90.2`), and trying them was about 40% of converting a page. A text in which none of those
characters occurs cannot match any pattern, and the inline processor would return it as it
came: it is returned at once. The HTML is the same, byte for byte
(tests/test_plain_inline.py converts the built pages both ways).

The shortcut only knows the patterns listed in `SYNTAX`. When the Markdown instance has
another one (an extension added later in mkdocs.yml), it is not taken at all. Loaded by name
from mkdocs.yml's `markdown_extensions` (`generators.plain_inline`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# What each known inline pattern needs in a text before it can match: the characters that
# start its syntax. Python-Markdown's own patterns, then the footnotes extension's and
# pymdownx.arithmatex's (`$…$` and `\(…\)`).
SYNTAX: dict[str, str] = {
    "backtick": "`",
    "escape": "\\",
    "reference": "[",
    "link": "[",
    "image_link": "[",
    "image_reference": "[",
    "short_reference": "[",
    "short_image_ref": "[",
    "autolink": "<",
    "automail": "<",
    "html": "<",
    "entity": "&",
    "not_strong": "*_",
    "em_strong": "*_",
    "em_strong2": "_",
    "footnote": "[",
    "arithmatex-inline": "$\\",
    "linebreak": "",  # needs `LINE_BREAK`, not a character alone
}
LINE_BREAK = "  \n"
# Python-Markdown's placeholders for what it has already taken out of a text (STX … ETX).
PLACEHOLDER_MARKS = "\x02\x03"
# The inline processor's method that runs the patterns over one text (name-mangled).
HANDLER = "_InlineProcessor__handleInline"


@functools.cache
def syntax_pattern(pattern_names: frozenset[str]) -> re.Pattern[str] | None:
    """What a text must hold for one of *pattern_names* to match it, or None when a
    pattern is not one of `SYNTAX`'s (then every text goes through the patterns)."""
    if not pattern_names <= SYNTAX.keys():
        return None
    characters = {c for name in pattern_names for c in SYNTAX[name]} | set(PLACEHOLDER_MARKS)
    alternatives = ["[" + re.escape("".join(sorted(characters))) + "]"]
    if "linebreak" in pattern_names:
        alternatives.append(re.escape(LINE_BREAK))
    return re.compile("|".join(alternatives))


class PlainTextShortcut:
    """Stands in for the inline processor's per-text method: a text without inline syntax
    comes back as it is; any other goes to the processor's own method."""

    def __init__(self, md: Markdown, handle: Callable[..., str]) -> None:
        self._md = md
        self._handle = handle
        self._syntax: re.Pattern[str] | None | bool = False  # False: not looked at yet

    def __call__(self, data: str, pattern_index: int = 0) -> str:
        if self._syntax is False:
            # Looked at when the first text is converted: every extension has registered
            # its patterns by then. The registry keeps its names in `_data`.
            self._syntax = syntax_pattern(frozenset(self._md.inlinePatterns._data))
        syntax = self._syntax
        if isinstance(syntax, re.Pattern) and pattern_index == 0 and not syntax.search(data):
            return data
        return self._handle(data, pattern_index)


class PlainInlineExtension(Extension):  # type: ignore[misc]  # Python-Markdown is untyped
    """Puts `PlainTextShortcut` in front of the inline processor's per-text method."""

    def extendMarkdown(self, md: Markdown) -> None:
        processor = md.treeprocessors["inline"]
        # Another inline processor, or a Python-Markdown without this method: no shortcut.
        if type(processor) is not InlineProcessor or not hasattr(processor, HANDLER):
            return
        setattr(processor, HANDLER, PlainTextShortcut(md, getattr(processor, HANDLER)))


def makeExtension(**kwargs: Any) -> PlainInlineExtension:
    return PlainInlineExtension(**kwargs)
