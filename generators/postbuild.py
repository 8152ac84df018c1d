"""Fix-ups after MkDocs and static-i18n have written every language.

static-i18n writes one search index for all languages and a single 404 page in the
last-built language. Here each language gets its own search index (so a reader's search
only finds pages in their language) and its own 404 page (none in the offline export).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import sitemaps
from .i18n import LANGUAGES
from .search import index_config
from .write import atomic_write


def finish(site: Path, pages_404: dict[str, str], *, offline: bool) -> None:
    """Every fix-up, in order, on a site where all languages have been written."""
    split_search_index(site, offline=offline)
    if offline:
        drop_404_pages(site)
    else:
        write_404_pages(site, pages_404)
    write_language_sitemaps(site)
    settle_alternate_lookups(site, offline=offline)


def _language_of(location: str) -> str:
    for lang in LANGUAGES:
        if not lang.default and location.startswith(lang.prefix):
            return lang.code
    return next(lang.code for lang in LANGUAGES if lang.default)


def split_search_index(site: Path, *, offline: bool) -> dict[str, int]:
    """Write `<lang>/search/search_index.json` per language (offline: `.js` instead).

    Locations become relative to the language's root, matching the per-language search
    base the theme override sets; the settings are the language's own (search.INDEX_SETTINGS). Returns the number of documents per language.
    """
    index_path = site / "search" / "search_index.json"
    if not index_path.is_file():
        return {}
    index = json.loads(index_path.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for lang in LANGUAGES:
        docs = []
        for doc in index["docs"]:
            if _language_of(doc["location"]) != lang.code:
                continue
            docs.append({**doc, "location": doc["location"][len(lang.prefix) :]})
        part = {**index, "config": index_config(index["config"], lang.code), "docs": docs}
        folder = site / lang.prefix / "search"
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(part, ensure_ascii=False, separators=(",", ":"))
        if offline:
            # Pages opened from disk cannot fetch JSON: Material reads this script instead,
            # and only it, so the export does not carry its largest files twice.
            atomic_write(folder / "search_index.js", f"var __index = {text}")
        else:
            atomic_write(folder / "search_index.json", text)
        counts[lang.code] = len(docs)
    if offline:
        index_path.unlink()  # every language's index together: no page reads it
    return counts


def write_404_pages(site: Path, pages: dict[str, str]) -> None:
    """The 404 page of each language at `<lang>/404.html` (the default language at the root)."""
    for lang in LANGUAGES:
        if lang.code in pages:
            atomic_write(site / lang.prefix / "404.html", pages[lang.code])


def drop_404_pages(site: Path) -> None:
    """No 404 page in the export opened from disk: no server answers with it there, and its
    links start at the site's root, which on disk is the file system's."""
    for lang in LANGUAGES:
        (site / lang.prefix / "404.html").unlink(missing_ok=True)


def write_language_sitemaps(site: Path) -> None:
    """`<lang>/sitemap.xml` (and `.gz`) for each non-default language, from the root one."""
    root = site / "sitemap.xml"
    if not root.is_file():
        return
    sitemap = root.read_bytes()
    for lang in LANGUAGES:
        if lang.default:
            continue
        body = sitemaps.for_language(sitemap, lang.code)
        target = site / lang.prefix / "sitemap.xml"
        atomic_write(target, body)
        # mtime=0: the same sitemap gives the same bytes.
        atomic_write(target.with_suffix(".xml.gz"), sitemaps.gzipped(body, name="", mtime=0))


EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def settle_alternate_lookups(site: Path, *, offline: bool) -> None:
    """Keep the theme's sitemap look-ups from failing (each failure is a console error).

    The theme fetches `sitemap.xml` next to every `<link rel="alternate">` in a page's head,
    expecting those links to be language roots; static-i18n makes them per-page hreflang
    links (which search engines need). Hosted: an empty sitemap answers in each page's
    folder. Offline: pages opened from disk cannot fetch at all, and hreflang is of no use
    there, so the head links are dropped (the language switcher's own links remain).
    """
    for page in site.rglob("*.html"):
        if offline:
            text = page.read_text(encoding="utf-8")
            stripped = sitemaps.without_alternate_links(text)
            if stripped != text:
                atomic_write(page, stripped)
        elif page.name == "index.html":
            sitemap = page.parent / "sitemap.xml"
            if not sitemap.exists():
                atomic_write(sitemap, EMPTY_SITEMAP)
