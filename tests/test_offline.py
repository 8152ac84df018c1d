"""The offline export: by default the readable site without the slide downloads, whose
links lead to the hosted site's files and say so in the page's language; with
`--with-slides`, the full site. (test_browser.py opens the default export from disk.)"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, dspapers

from generators import strings
from generators.i18n import LANGUAGES, HansConverter
from generators.options import BuildOptions
from generators.paths import ProjectPaths, offline_export
from generators.pipeline import generate

pytestmark = pytest.mark.build

# The slide downloads: a chart's slide PNG and SVG (light and dark) and its one-slide deck,
# and the decks of the site and of each paper.
SLIDE_FILE = re.compile(r"downloads/(charts/[^/]+/[^/]+\.(png|svg|pptx)|slides/[^/]+/[^/]+\.pptx)$")
LIGHT_TARGET_BYTES = 15_000_000  # the light export's zip, all three languages


class _Links(HTMLParser):
    """A page's language and every link with its text."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._open: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "a" and found.get("href"):
            self._open, self._href = [], str(found["href"])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._href, "".join(self._open).strip()))
            self._open = None


# Where a page names another file: links, and what it loads.
URL_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "object": ("data",),
}


class _Urls(HTMLParser):
    """Every address a page links or loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = URL_ATTRIBUTES.get(tag, ())
        self.urls += [value for name, value in attrs if name in names and value]


def links_of(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def hosted() -> str:
    """The hosted site's address the exports were built with (SITE_URL, or the default)."""
    from generators.plugin.settings import load_mkdocs_config

    config = load_mkdocs_config(BuildOptions(paths=ProjectPaths.at(ROOT)))
    return str(config.site_url)


def hosted_words(lang: str) -> tuple[str, str]:
    """What a link to a hosted file says around the file's name, in *lang*."""
    zh_hant, en = strings.UI["on_hosted_site"]
    text = {"zh-Hant": zh_hant, "zh-Hans": HansConverter().convert(zh_hant), "en": en}[lang]
    before, after = text.split("{name}")
    return before, after


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_light_export_holds_the_readable_site_and_no_slide_file(offline_export):
    files = _files(offline_export)
    assert not sorted(f for f in files if SLIDE_FILE.search(f))
    for lang in LANGUAGES:
        # Every chart's page images, both themes, and its data as CSV.
        web = {f for f in files if f.startswith(f"assets/charts/{lang.code}/")}
        csv = {f for f in files if f.startswith(f"downloads/charts/{lang.code}/")}
        charts = {Path(f).stem for f in web if not f.endswith("-dark.svg")}
        assert charts and {Path(f).stem.removesuffix("-dark") for f in web} == charts
        assert {Path(f).stem for f in csv} == charts and all(f.endswith(".csv") for f in csv)
        assert f"{lang.prefix}search/search_index.js" in files
    for download in ("papers.json", "results.csv", "models.csv", "changes.json"):
        assert f"downloads/{download}" in files
    archive = offline_export.parents[1] / "dist" / "deepseek-papers-offline.zip"
    assert archive.stat().st_size <= LIGHT_TARGET_BYTES


def test_the_light_exports_slide_links_lead_to_the_hosted_site_and_say_so(offline_export, hosted):
    files = _files(offline_export)
    found: dict[str, int] = {}
    for page in sorted(offline_export.rglob("*.html")):
        parsed = links_of(page)
        before, after = hosted_words(parsed.lang)
        for href, text in parsed.links:
            if not SLIDE_FILE.search(href.split("#")[0]):
                continue
            assert href.startswith(hosted), (page, href)
            path = href.removeprefix(hosted)
            assert SLIDE_FILE.match(path), (page, href)
            assert path not in files, (page, href)
            assert text.startswith(before) and text.endswith(after), (page, text)
            assert text != before + after, (page, text)  # the file is named too
            found[parsed.lang] = found.get(parsed.lang, 0) + 1
    # Every language's chart menus and deck lists: five slide files per chart at least.
    assert set(found) == {lang.code for lang in LANGUAGES}
    assert min(found.values()) >= 5 * 10, found


def test_no_link_of_the_light_export_leads_to_a_file_missing_from_it(offline_export):
    missing: dict[str, list[str]] = {}
    pages = sorted(offline_export.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        parser = _Urls()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site's address (the hosted slide files), or this page's
            # Opened from disk, a link to a folder shows its listing: only files will do.
            if not page.parent.joinpath(unquote(parts.path)).resolve().is_file():
                missing.setdefault(url, []).append(page.relative_to(offline_export).as_posix())
    assert not missing, missing


def test_with_slides_the_export_keeps_every_slide_download(small_project, tmp_path):
    dist = tmp_path / "dist"
    root = str(small_project)
    assert dspapers("--root", root, "offline", "--with-slides", "--dist", str(dist)) == 0
    assert dspapers("--root", root, "offline", "--dist", str(dist)) == 0
    full_folder, full_zip = offline_export(dist, with_slides=True)
    light_folder, light_zip = offline_export(dist, with_slides=False)
    with zipfile.ZipFile(full_zip) as archive:
        full = {name.removeprefix("deepseek-papers/") for name in archive.namelist()}
    with zipfile.ZipFile(light_zip) as archive:
        light = {name.removeprefix("deepseek-papers/") for name in archive.namelist()}
    generation = generate(BuildOptions(paths=ProjectPaths.at(small_project), charts=False))
    expected = {
        f"downloads/charts/{lang.code}/{spec.id}{suffix}"
        for lang in LANGUAGES
        for spec in generation.charts
        for suffix in (".png", "-dark.png", ".svg", "-dark.svg", ".pptx")
    } | {
        f"downloads/slides/{lang.code}/{deck}.pptx"
        for lang in LANGUAGES
        for deck in ["deepseek-papers", *(paper.id for paper in generation.catalog.papers)]
    }
    slides = {name for name in full if SLIDE_FILE.search(name)}
    assert slides == expected
    assert light | slides == full and not light & slides
    assert light_zip.stat().st_size < full_zip.stat().st_size
    # The full export's menus and deck lists lead to its own files.
    for page in ("en/papers/deepseek-v2.html", "charts.html", "zh-Hans/downloads.html"):
        parsed = links_of(full_folder / page)
        local = [href for href, _ in parsed.links if SLIDE_FILE.search(href)]
        assert local, page
        for href in local:
            assert (full_folder / page).parent.joinpath(href).resolve().is_file(), (page, href)
        assert not (light_folder / "downloads" / "slides").exists()
