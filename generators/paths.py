"""Every path the generator reads or writes, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
THEME_DIR = PACKAGE_DIR / "theme"


@dataclass(frozen=True, kw_only=True)
class ProjectPaths:
    """Locations inside one project checkout (or a test's temporary copy)."""

    root: Path
    data: Path  # hand-edited YAML: papers, registries, overrides
    content: Path  # hand-written prose fragments (zh-Hant and en)
    cache: Path  # build caches (charts, compiled theme templates): git-ignored

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
    def site(self) -> Path:
        """The built site (git-ignored)."""
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        """The MkDocs configuration, with the dspapers plugin's settings."""
        return self.root / "mkdocs.yml"


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


def page_address(page_path: str, lang_prefix: str) -> str:
    """A page's hosted address ("en/papers/deepseek-v2/"), starting with `SITE_URL`.

    The hosted form even in the offline export: a citation names the public site.
    """
    if page_path == "index" or page_path.endswith("/index"):
        folder = page_path.removesuffix("index")
    else:
        folder = f"{page_path}/"
    return f"{SITE_URL}{lang_prefix}{folder}"
