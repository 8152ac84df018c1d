"""Which charts exist, and the numbers each one shows: pure, no matplotlib.

Every chart's numbers come from the catalog through its kind's builder (one module per
kind in `kinds/`); drawing code only reads the resulting `ChartData`. The same data
feeds the accessible table on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from .. import schema
from ..catalog import Catalog
from ..i18n import HansConverter
from . import kinds
from .base import ChartData, Payload
from .language import localized, texts_for

__all__ = ["ChartData", "ChartSpec", "Payload", "data_table", "localized", "plan"]


@dataclass(frozen=True, kw_only=True)
class ChartSpec:
    """One chart of the site: its declaration, the pages that show it, and its data."""

    id: str
    decl: schema.ChartDecl
    pages: tuple[str, ...]
    data: ChartData
    paper: schema.Paper | None = None  # for `each: paper` declarations
    benchmark: schema.Benchmark | None = None  # for `each: benchmark` declarations

    def title(self, lang: str, convert: Callable[[str], str]) -> str:
        """The title in *lang*; a per-paper (per-benchmark) chart's starts with its name."""
        text = self.decl.title.get("zh-Hant" if lang == "zh-Hans" else lang)
        subject = self.paper or self.benchmark
        if subject is not None:
            text = f"{subject.name}: {text}" if lang == "en" else f"{subject.name}：{text}"
        return convert(text) if lang == "zh-Hans" else text


def _per_paper(catalog: Catalog, decl: schema.ChartDecl) -> list[ChartSpec]:
    """One chart per paper with something to show: id ``<decl id>-<paper id>``."""
    build = kinds.get(decl.kind).build
    specs = []
    for paper in catalog.papers:
        data = build(catalog, decl, paper)
        if data is not None:
            pages = tuple(p.replace("{paper}", paper.id) for p in decl.pages)
            specs.append(
                ChartSpec(
                    id=f"{decl.id}-{paper.id}", decl=decl, pages=pages, data=data, paper=paper
                )
            )
    return specs


def _per_benchmark(catalog: Catalog, decl: schema.ChartDecl) -> list[ChartSpec]:
    """One chart per benchmark with something to show: id ``<decl id>-<benchmark id>``."""
    build = kinds.get(decl.kind).build_for_benchmark
    if build is None:
        raise ValueError(f"chart kind {decl.kind} draws no chart per benchmark ({decl.id})")
    specs = []
    for bench in catalog.benchmarks.values():
        data = build(catalog, decl, bench)
        if data is not None:
            pages = tuple(p.replace("{benchmark}", bench.id) for p in decl.pages)
            specs.append(
                ChartSpec(
                    id=f"{decl.id}-{bench.id}", decl=decl, pages=pages, data=data, benchmark=bench
                )
            )
    return specs


def plan(catalog: Catalog, decls: tuple[schema.ChartDecl, ...]) -> list[ChartSpec]:
    """Every chart of the site, with its data; per-paper (per-benchmark) declarations
    expand per paper (benchmark)."""
    specs: list[ChartSpec] = []
    for decl in decls:
        if decl.each == "paper":
            specs += _per_paper(catalog, decl)
            continue
        if decl.each == "benchmark":
            specs += _per_benchmark(catalog, decl)
            continue
        data = kinds.get(decl.kind).build(catalog, decl, None)
        if data is not None:
            specs.append(ChartSpec(id=decl.id, decl=decl, pages=tuple(decl.pages), data=data))
    return specs


def data_table(
    spec: ChartSpec, lang: str, hans: HansConverter, catalog: Catalog
) -> tuple[list[str], list[list[str]]]:
    """Header and rows, already formatted for *lang*, of the numbers the chart draws; the
    column of checks against the documents only once the site shows a number checked."""
    kind = kinds.get(spec.data.kind)
    texts = texts_for(kind.texts, lang, hans, catalog)
    head, rows = kind.data_table(spec.data.payload, texts, partial(localized, lang=lang, hans=hans))
    if kind.checked_column and not catalog.any_checked:
        return head[:-1], [row[:-1] for row in rows]
    return head, rows
