"""A page's Markdown cut into sections that convert on their own, so that an edit which
changes one chart's table converts that section again, not the whole charts page.

A section starts at a second-level heading (`## ` at the start of a line, after an empty
line) outside fenced code, HTML comments and raw HTML. Python-Markdown turns such a page
into the HTML of its sections joined by a newline, unless one section depends on another.
It has three ways for that to happen:
- footnotes, numbered and listed across the page;
- abbreviations and reference-style link definitions, defined once and used anywhere;
- the table of contents' made-up heading ids, which avoid the ids already on the page.

A page with any of the first three is not cut (`split` gives None). For the last, a page
whose sections share an id is converted whole (`distinct_anchors`). Each section but the
last is converted with an end mark after it, which keeps the whitespace that separates it
from the next one (`to_convert`, `section_html`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

# Footnote references, abbreviation definitions, reference-style link definitions.
_PAGE_WIDE = re.compile(r"\[\^|^ {0,3}\*\[|^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^>]*?)?(/?)>")
# Elements without an end tag (HTML's void elements).
_VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)  # fmt: skip
SECTION_HEADING = "## "


class _Outside:
    """Follows a page line by line: whether the current line is outside fenced code, HTML
    comments and raw HTML elements left open."""

    def __init__(self) -> None:
        self.fence = ""
        self.comment = False
        self.open: Counter[str] = Counter()

    @property
    def outside(self) -> bool:
        return not self.fence and not self.comment and not any(self.open.values())

    def read(self, line: str) -> None:
        if self.fence:
            stripped = line.strip()
            if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
                self.fence = ""
            return
        fence = _FENCE.match(line)
        if fence and not self.comment:
            self.fence = fence.group(1)
            return
        self._read_html(_CODE_SPAN.sub("", line))

    def _read_html(self, text: str) -> None:
        while text:
            if self.comment:
                end = text.find("-->")
                if end < 0:
                    return
                self.comment, text = False, text[end + 3 :]
                continue
            start = text.find("<!--")
            before, text = (text, "") if start < 0 else (text[:start], text[start + 4 :])
            self.comment = start >= 0
            for closing, name, self_closing in _TAG.findall(before):
                name = name.lower()
                if name in _VOID or self_closing:
                    continue
                self.open[name] += -1 if closing else 1


def split(markdown: str) -> list[str] | None:
    """The sections of *markdown*, or None when it is not worth or not safe to cut."""
    if _PAGE_WIDE.search(markdown):
        return None
    lines = markdown.split("\n")
    state = _Outside()
    starts = [0]
    for number, line in enumerate(lines):
        if (
            line.startswith(SECTION_HEADING)
            and number > 0
            and not lines[number - 1].strip()
            and state.outside
            and any(text.strip() for text in lines[starts[-1] : number])
        ):
            starts.append(number)
        state.read(line)
    if len(starts) < 2:
        return None
    ends = [*starts[1:], len(lines)]
    return ["\n".join(lines[start:end]) for start, end in zip(starts, ends, strict=True)]


# Ends each section but the last as it is converted: Python-Markdown strips the whitespace
# after a page's last block, and the whitespace after a section's last block (one newline,
# two after raw HTML) belongs between it and the next section.
END_MARK = "dspsectionend"
_END_MARK_HTML = f"<p>{END_MARK}</p>"


def to_convert(sections: Sequence[str]) -> list[str]:
    """The Markdown to convert for each section: each but the last with the end mark."""
    return [f"{section}\n\n{END_MARK}\n" for section in sections[:-1]] + [sections[-1]]


def section_html(html: str, last: bool) -> str | None:
    """A section's HTML from its conversion (`to_convert`), with the whitespace that
    follows it; None if the end mark did not convert to a paragraph of its own."""
    if last:
        return html
    return html[: -len(_END_MARK_HTML)] if html.endswith(_END_MARK_HTML) else None


def join_html(parts: Sequence[str]) -> str:
    """The page's HTML from its sections' (`section_html`)."""
    return "".join(parts)


def distinct_anchors(anchors: Sequence[set[str] | None]) -> bool:
    """Whether no id is on two sections: then no made-up heading id would have differed."""
    seen: set[str] = set()
    for ids in anchors:
        if ids is None:
            continue
        if not seen.isdisjoint(ids):
            return False
        seen |= ids
    return True


def join_tocs(tocs: Sequence[TableOfContents]) -> TableOfContents:
    """The page's table of contents from its sections': their headings in order, nested
    as Python-Markdown nests a page's (a section's `##` under the page's `#`)."""
    flat: list[dict[str, object]] = []
    for toc in tocs:
        for item in toc:
            _flatten(item, flat)
    return get_toc(nest_toc_tokens(flat))


def _flatten(item: AnchorLink, into: list[dict[str, object]]) -> None:
    into.append({"level": item.level, "id": item.id, "name": item.title})
    for child in item.children:
        _flatten(child, into)
