"""Slide decks (.pptx) of the charts: planned (`plan`), written with python-pptx (`deck`,
`native`, `style`), cached by a hash of everything on their slides.

`site_decks` is the build's step: every language's whole-site deck, a deck per paper and
a one-slide deck per chart, from the chart files already rendered (the slide PNG and SVG
of the kinds shown as pictures). A deck whose plan is unchanged is read from the cache
(``<cache>/slides``); python-pptx is imported only when a deck has to be built.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import versions
from ..catalog import Catalog
from ..charts.plan import ChartSpec
from ..i18n import LANGUAGE_CODES, HansConverter
from ..options import BuildOptions
from ..paths import chart_download_path, deck_path
from ..write import atomic_write
from .plan import Deck, Picture, Planner, picture_charts

__all__ = [
    "SITE_DECK",
    "Deck",
    "DeckReport",
    "Picture",
    "Planner",
    "code_version",
    "render_decks",
    "requested_decks",
    "site_decks",
]

log = logging.getLogger("mkdocs.plugins.dspapers")

CODE_DIR = Path(__file__).resolve().parent
SITE_DECK = "deepseek-papers"
# What shapes a deck's bytes besides its plan: this package, the neutral chart
# description and palette, and the libraries that write the files.
_CODE_FILES = (
    *sorted(CODE_DIR.glob("*.py")),
    CODE_DIR.parent / "charts" / "native.py",
    CODE_DIR.parent / "charts" / "palette.py",
)
_LIBRARIES = ("python-pptx", "xlsxwriter", "lxml")


@dataclass
class DeckReport:
    """What `render_decks` did: decks built (their paths) and read from the cache."""

    built: list[str] = field(default_factory=list)
    cached: int = 0
    seconds: float = 0.0  # wall time spent building stale decks


def code_version() -> str:
    """Hash of the deck code and the versions of the libraries that write the files."""
    return versions.code_version(((path.name, path) for path in _CODE_FILES), _LIBRARIES)


def render_decks(decks: Iterable[Deck], cache_dir: Path) -> tuple[dict[str, bytes], DeckReport]:
    """Deck path -> .pptx bytes; builds only the decks the cache lacks."""
    version = code_version()
    files: dict[str, bytes] = {}
    report = DeckReport()
    stale: list[tuple[Deck, Path]] = []
    for deck in decks:
        entry = cache_dir / f"{deck.key(version)}.pptx"
        if entry.is_file():
            files[deck.path] = entry.read_bytes()
            report.cached += 1
        else:
            stale.append((deck, entry))
    if stale:
        started = time.perf_counter()
        for (deck, entry), content in zip(stale, _build_all([d for d, _ in stale]), strict=True):
            atomic_write(entry, content)
            files[deck.path] = content
            report.built.append(deck.path)
        report.seconds = time.perf_counter() - started
    return files, report


def _build_all(decks: list[Deck]) -> list[bytes]:
    """Each deck's bytes; several decks are built on all cores."""
    from .deck import build  # python-pptx: imported only when something is built

    workers = min(len(decks) // 4, os.cpu_count() or 1)
    if workers < 2:
        return [build(deck) for deck in decks]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(build, decks, chunksize=4))


def pictures_from(
    files: Mapping[str, bytes], specs: Sequence[ChartSpec], theme: str
) -> dict[tuple[str, str], Picture]:
    """(chart id, lang) -> the slide PNG and SVG of the charts shown as pictures."""
    found: dict[tuple[str, str], Picture] = {}
    for spec in picture_charts(specs):
        for lang in LANGUAGE_CODES:
            png = files.get(chart_download_path(spec.id, lang, theme, "png"))
            svg = files.get(chart_download_path(spec.id, lang, theme, "svg"))
            if png is not None and svg is not None:
                found[(spec.id, lang)] = Picture(png=png, svg=svg)
    return found


def site_decks(
    options: BuildOptions,
    charts: Sequence[ChartSpec],
    catalog: Catalog,
    hans: HansConverter,
    chart_files: Mapping[str, bytes],
) -> dict[str, bytes]:
    """Docs-tree path -> bytes of every deck of the site (light theme); none in a build
    that does not make every chart file (a preview, a pages-only build) or leaves the
    slide downloads out (the light offline export).

    Per language: ``downloads/slides/<lang>/deepseek-papers.pptx``, a
    ``downloads/slides/<lang>/<paper-id>.pptx`` per paper, and a one-slide
    ``downloads/charts/<lang>/<chart-id>.pptx`` beside each chart's PNG and SVG.
    """
    if not options.all_chart_files or not options.slide_files:
        return {}
    theme = "light"
    planner = Planner(
        catalog=catalog,
        charts=tuple(charts),
        hans=hans,
        theme=theme,
        pictures=pictures_from(chart_files, charts, theme),
    )
    decks: list[Deck] = []
    for lang in LANGUAGE_CODES:
        decks.append(planner.site_deck(lang, deck_path(SITE_DECK, lang, theme)))
        decks += [
            planner.paper_deck(paper, lang, deck_path(paper.id, lang, theme))
            for paper in catalog.papers
        ]
        decks += [
            planner.chart_deck(spec, lang, chart_download_path(spec.id, lang, theme, "pptx"))
            for spec in charts
        ]
    files, report = render_decks(decks, options.paths.cache / "slides")
    log.info(
        "slides: %d decks built in %.1f s, %d from cache",
        len(report.built),
        report.seconds,
        report.cached,
    )
    return files


def requested_decks(
    cache: Path,
    charts: Sequence[ChartSpec],
    catalog: Catalog,
    hans: HansConverter,
    *,
    langs: Sequence[str],
    papers: Sequence[str],
    theme: str,
) -> tuple[dict[str, bytes], DeckReport]:
    """`dspapers slides`: file name -> bytes of exactly the decks asked for.

    The whole-site deck, or the decks of *papers* (ids), in each of *langs* (a folder per
    language when there are several) and *theme* (dark files end in ``-dark``). The
    drawings of the kinds shown as pictures are rendered (or read from the chart cache)
    for those languages and that theme only.
    """
    from ..charts import render as chart_render

    jobs = [
        job
        for job in chart_render.jobs(
            list(picture_charts(charts)),
            catalog,
            hans,
            languages=[lang for lang in LANGUAGE_CODES if lang in langs],
            targets=["slide"],
        )
        if job.theme == theme
    ]
    results, _ = chart_render.render_all(jobs, cache / "charts")
    planner = Planner(
        catalog=catalog,
        charts=tuple(charts),
        hans=hans,
        theme=theme,
        pictures=pictures_from(chart_render.site_files(results), charts, theme),
    )
    suffix = "" if theme == "light" else "-dark"
    decks: list[Deck] = []
    for lang in langs:
        folder = f"{lang}/" if len(langs) > 1 else ""
        if not papers:
            decks.append(planner.site_deck(lang, f"{folder}{SITE_DECK}{suffix}.pptx"))
        decks += [
            planner.paper_deck(catalog.paper(paper), lang, f"{folder}{paper}{suffix}.pptx")
            for paper in papers
        ]
    return render_decks(decks, cache / "slides")
