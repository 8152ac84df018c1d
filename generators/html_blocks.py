"""A Markdown extension: `<caption>` is an HTML block, as the HTML standard has it.

Python-Markdown's list of block-level elements lacks `caption`, so inside a
`<table markdown="1">` (md_in_html, which the pages' tables need for the links and
footnotes in their cells) a caption was read as inline text and wrapped in a paragraph:
`<table><p><caption>…</caption></p>`. Browsers move that caption out of the table (which
loses its accessible name) and the Nu Html Checker stops at it. Registered as a block, the
caption passes through as it is written, the table's first child. Loaded by name from
mkdocs.yml's `markdown_extensions` (`generators.html_blocks`).
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension

# Block-level elements of HTML that Python-Markdown does not list as such.
BLOCK_ELEMENTS = ("caption",)


class HtmlBlocksExtension(Extension):  # type: ignore[misc]  # Python-Markdown is untyped
    """Adds `BLOCK_ELEMENTS` to the parser's block-level elements."""

    def extendMarkdown(self, md: Markdown) -> None:
        for tag in BLOCK_ELEMENTS:
            if tag not in md.block_level_elements:
                md.block_level_elements.append(tag)


def makeExtension(**kwargs: Any) -> HtmlBlocksExtension:
    return HtmlBlocksExtension(**kwargs)
