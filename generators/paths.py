"""Every path the generator reads or writes, in one place."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
THEME_DIR = PACKAGE_DIR / "theme"
SOURCES_DIR = ".sources"  # under the project root: the source documents, outside git


@dataclass(frozen=True, kw_only=True)
class ProjectPaths:
    """Locations inside one project checkout (or a test's temporary copy)."""

    root: Path
    data: Path  # hand-edited YAML: papers, registries, overrides
    content: Path  # hand-written prose fragments (zh-Hant and en)
    cache: Path  # build caches (charts, decks, converted pages, templates): git-ignored

    @classmethod
    def at(
        cls,
        root: Path | str,
        *,
        data: Path | str = "data",
        content: Path | str = "content",
        cache: Path | str = ".cache",
    ) -> "ProjectPaths":
        """Paths of the project at *root*; relative folders are taken from *root*."""
        base = Path(root).resolve()
        return cls(
            root=base,
            data=(base / data).resolve(),
            content=(base / content).resolve(),
            cache=(base / cache).resolve(),
        )

    @property
    def papers(self) -> Path:
        """One YAML file per paper."""
        return self.data / "papers"

    @property
    def build(self) -> Path:
        """Generated inputs of MkDocs (git-ignored)."""
        return self.root / "build"

    @property
    def docs(self) -> Path:
        """The assembled MkDocs docs tree: generated, git-ignored."""
        return self.build / "docs"

    @property
    def search_dictionary(self) -> Path:
        """The field's words, for the Chinese segmenter of the search index (generated)."""
        return self.build / "search" / "field-words.txt"

    @property
    def sources(self) -> Path:
        """The source documents (papers' PDFs, READMEs) by default: git-ignored, never
        committed; the command's `--sources-dir` names another folder."""
        return self.root / SOURCES_DIR

    @property
    def site(self) -> Path:
        """The built site (git-ignored)."""
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        """The MkDocs configuration, with the dspapers plugin's settings."""
        return self.root / "mkdocs.yml"


def offline_export(dist: Path, *, with_slides: bool) -> tuple[Path, Path]:
    """The offline export's folder and zip under *dist*: `offline/` and
    `deepseek-papers-offline.zip` (light: the slide downloads stay on the hosted site), or
    `offline-with-slides/` and its zip (the full one)."""
    name = "offline-with-slides" if with_slides else "offline"
    return dist / name, dist / f"deepseek-papers-{name}.zip"


def find_root(start: Path | str | None = None) -> Path:
    """The nearest directory at or above *start* that holds ``mkdocs.yml``."""
    here = Path(start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "mkdocs.yml").is_file():
            return candidate
    raise FileNotFoundError(f"no mkdocs.yml found at or above {here}")


# --- Chart files: public, permanent URLs (named here only) ------------------------------


def _theme_suffix(theme: str) -> str:
    return "" if theme == "light" else "-dark"


def deck_path(name: str, lang: str, theme: str) -> str:
    """A slide deck ("deepseek-papers" or a paper id), relative to the docs root.

    A chart's one-slide deck is a chart file: `chart_download_path(..., "pptx")`.
    """
    return f"downloads/slides/{lang}/{name}{_theme_suffix(theme)}.pptx"


def chart_web_path(chart_id: str, lang: str, theme: str) -> str:
    """The page's SVG of one chart, relative to the docs root."""
    return f"assets/charts/{lang}/{chart_id}{_theme_suffix(theme)}.svg"


def chart_download_path(chart_id: str, lang: str, theme: str, fmt: str) -> str:
    """A slide download of one chart (``fmt`` "png" or "svg"), relative to the docs root."""
    return f"downloads/charts/{lang}/{chart_id}{_theme_suffix(theme)}.{fmt}"


def chart_data_path(chart_id: str, lang: str) -> str:
    """The CSV of one chart's data table, beside its slide files, relative to the docs root."""
    return f"downloads/charts/{lang}/{chart_id}.csv"


# --- Public addresses: what a reader copies and cites ----------------------------------

# Stands for mkdocs.yml's `site_url` in the generated Markdown; the dspapers plugin puts the
# configured address in its place as each page is read, so the pages need no setting.
SITE_URL = "@@dsp-site-url@@"
# Stands for the project's repository (mkdocs.yml's `extra.repository_url`), likewise put
# in place by the plugin: the "report a correction" links open a new issue there.
REPOSITORY = "@@dsp-repository@@"


def repository_address(value: object) -> str:
    """The repository's address as configured, checked: http(s), no query or fragment.

    Raises `ValueError` naming what is wrong; the trailing slash is dropped.
    """
    parts = urlsplit(str(value or ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) address")
    if parts.query or parts.fragment:
        raise ValueError(f"{value!r} has a query or a fragment: give the repository's address")
    return str(value).rstrip("/")


def fill_addresses(markdown: str, *, site_url: str, repository: str) -> str:
    """Put the configured addresses where a generated page names them.

    In the page's HTML (an attribute or text) an address is HTML-escaped; inside the
    query of a link (an issue's prefilled text names the page) it is percent-encoded, as
    the rest of that query.
    """
    for placeholder, address in ((SITE_URL, site_url), (REPOSITORY, repository)):
        markdown = markdown.replace(quote_plus(placeholder, safe=""), quote_plus(address, safe=""))
        markdown = markdown.replace(placeholder, html.escape(address))
    return markdown


def page_address(page_path: str, lang_prefix: str) -> str:
    """A page's hosted address ("en/papers/deepseek-v2/"), starting with `SITE_URL`.

    The hosted form even in the offline export: a citation names the public site.
    """
    if page_path == "index" or page_path.endswith("/index"):
        folder = page_path.removesuffix("index")
    else:
        folder = f"{page_path}/"
    return f"{SITE_URL}{lang_prefix}{folder}"
