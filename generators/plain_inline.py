"""A Markdown extension: a text goes only through the inline patterns it can match.

Python-Markdown tries each of its inline patterns (links, emphasis, code, raw HTML, escapes,
entities, footnote references, maths, …) on every text of a page, table cells included, one
regular-expression search and one registry look-up after another. Most texts of this
site's pages hold none of the characters those patterns start with (a cell such as `671B`
or `90.2`), and most others only a few (a link and an evidence mark hold `[` and `<`). A
text without any of them cannot match a pattern: it is returned at once. Any other goes
through the patterns whose characters it holds, in their order; the others could not
match it. The HTML is the same, byte for byte (tests/test_plain_inline.py converts pages
and generated texts both ways), and converting the site's pages takes about a fifth less.

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
from markdown.util import Registry

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
    """Stands in for the inline processor's per-text method. A text without inline syntax
    comes back as it is. Any other goes to the processor's own method, which tries only
    the patterns whose syntax characters the text holds (`_patterns_for`)."""

    def __init__(self, md: Markdown, processor: InlineProcessor) -> None:
        self._md = md
        self._processor = processor
        self._handle: Callable[..., str] = getattr(processor, HANDLER)
        self._syntax: re.Pattern[str] | None | bool = False  # False: not looked at yet
        self._registries: dict[frozenset[str], Registry[Any]] = {}

    def __call__(self, data: str, pattern_index: int = 0) -> str:
        if self._syntax is False:
            # Looked at when the first text is converted: every extension has registered
            # its patterns by then. The registry keeps its names in `_data`.
            self._syntax = syntax_pattern(frozenset(self._md.inlinePatterns._data))
        syntax = self._syntax
        # From a later pattern on, the text is part of one the current patterns matched:
        # it goes on with them.
        if not isinstance(syntax, re.Pattern) or pattern_index != 0:
            return self._handle(data, pattern_index)
        found = frozenset(syntax.findall(data))
        if not found:
            return data
        processor = self._processor
        every = processor.inlinePatterns
        processor.inlinePatterns = self._patterns_for(found, every)
        try:
            return self._handle(data, 0)
        finally:
            processor.inlinePatterns = every

    def _patterns_for(self, found: frozenset[str], every: Registry[Any]) -> Registry[Any]:
        """The patterns, in their order, that can match a text holding the syntax *found*
        (all of them when it holds Python-Markdown's placeholders)."""
        kept = self._registries.get(found)
        if kept is not None:
            return kept
        if found & set(PLACEHOLDER_MARKS):
            kept = every
        else:
            names = sorted(every._data, key=every.get_index_for_name)
            wanted = [
                name
                for name in names
                if found & set(SYNTAX[name]) or (name == "linebreak" and LINE_BREAK in found)
            ]
            kept = Registry()
            for rank, name in enumerate(wanted):
                kept.register(every[name], name, len(wanted) - rank)
        self._registries[found] = kept
        return kept


class PlainInlineExtension(Extension):  # type: ignore[misc]  # Python-Markdown is untyped
    """Puts `PlainTextShortcut` in front of the inline processor's per-text method."""

    def extendMarkdown(self, md: Markdown) -> None:
        processor = md.treeprocessors["inline"]
        # Another inline processor, or a Python-Markdown without this method: no shortcut.
        if type(processor) is not InlineProcessor or not hasattr(processor, HANDLER):
            return
        setattr(processor, HANDLER, PlainTextShortcut(md, processor))


def makeExtension(**kwargs: Any) -> PlainInlineExtension:
    return PlainInlineExtension(**kwargs)
