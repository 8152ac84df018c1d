"""Sitemaps and page heads, edited through parsers rather than patterns.

lxml keeps a parsed sitemap's text exactly (indentation, attribute order, empty-element
form), so a sitemap edited here differs from MkDocs' own only where it was edited.
"""

from __future__ import annotations

import copy
import gzip
import io
from html.parser import HTMLParser

from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_URL = f"{{{SITEMAP_NS}}}url"
_LOC = f"{{{SITEMAP_NS}}}loc"
_ALTERNATE = f"{{{XHTML_NS}}}link"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_ENTRY_INDENT = "\n    "


def _parse(sitemap: bytes) -> etree._Element:
    return etree.fromstring(
        sitemap, parser=etree.XMLParser(remove_blank_text=False, resolve_entities=False)
    )


def _serialize(root: etree._Element) -> bytes:
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def _set_entries(root: etree._Element, entries: list[etree._Element]) -> None:
    """Replace the <url> entries of *root*, one per indented line as MkDocs writes them."""
    for old in root.findall(_URL):
        root.remove(old)
    root.text = _ENTRY_INDENT if entries else "\n"
    for i, entry in enumerate(entries):
        entry.tail = _ENTRY_INDENT if i < len(entries) - 1 else "\n"
        root.append(entry)


def concatenate(sitemaps: list[bytes]) -> bytes:
    """One sitemap with the entries of *sitemaps* in order (the first gives the envelope)."""
    root = _parse(sitemaps[0])
    entries = [
        copy.deepcopy(entry) for sitemap in sitemaps for entry in _parse(sitemap).findall(_URL)
    ]
    _set_entries(root, entries)
    return _serialize(root)


def for_language(sitemap: bytes, lang: str) -> bytes:
    """The entries of *sitemap* that have a *lang* alternate, located at that alternate.

    The theme's language switcher fetches the target language's sitemap to keep the reader
    on the same page; static-i18n writes only the root one, which lists the other
    languages as hreflang alternates.
    """
    root = _parse(sitemap)
    entries = []
    for entry in root.findall(_URL):
        alternate = next(
            (link for link in entry.iter(_ALTERNATE) if link.get("hreflang") == lang), None
        )
        loc = entry.find(_LOC)
        if alternate is None or loc is None:
            continue
        loc.text = alternate.get("href")
        entries.append(entry)
    _set_entries(root, entries)
    return _serialize(root) + b"\n"


def gzipped(content: bytes, *, name: str, mtime: int) -> bytes:
    """gzip bytes as MkDocs writes the sitemap: *name* and *mtime* in the header."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename=name, mode="wb", mtime=mtime) as zipped:
        zipped.write(content)
    return buffer.getvalue()


def gzip_mtime(data: bytes) -> int:
    """The modification time stored in a gzip header (bytes 4-7, little-endian)."""
    return int.from_bytes(data[4:8], "little")


class _AlternateLinks(HTMLParser):
    """Finds the `<link rel="alternate" hreflang=...>` tags of a page and their offsets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.spans: list[tuple[int, int, int]] = []  # (line, column, length)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "alternate" and "hreflang" in found:
            line, column = self.getpos()
            self.spans.append((line, column, len(self.get_starttag_text() or "")))


def without_alternate_links(page: str) -> str:
    """*page* without its hreflang alternate links (and the whitespace before each)."""
    parser = _AlternateLinks()
    parser.feed(page)
    parser.close()
    if not parser.spans:
        return page
    # The parser counts lines by "\n" only (str.splitlines knows more line breaks).
    line_starts = [0]
    while (newline := page.find("\n", line_starts[-1])) != -1:
        line_starts.append(newline + 1)
    out, position = [], 0
    for line, column, length in parser.spans:
        start = line_starts[line - 1] + column
        cut = len(page[:start].rstrip())
        out.append(page[position:cut])
        position = start + length
    out.append(page[position:])
    return "".join(out)
