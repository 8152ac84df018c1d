"""Every score on one benchmark across the papers: rows grouped by model, and the trend.

Pure functions of the catalog, shared by the benchmark pages and the chart of DeepSeek
models' scores over time, so the page and the chart always agree on which scores are
comparable. Disagreements between sources are the catalog's; this module only marks them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from . import schema, strings
from .catalog import Catalog, Score

MIN_TREND_POINTS = 3  # a trend needs at least this many comparable DeepSeek scores
# A page lists at most this many scores; a longer view continues on further pages. Build
# cost grows with a page's rows: the bound keeps the cost of a page flat as papers are added.
ROWS_PER_PAGE = 100


@dataclass(frozen=True, kw_only=True)
class ScoreRow:
    """One score as the benchmark page lists it."""

    score: Score
    # What the row shows of its paper and table (the whole records would tie the row to
    # every other value in them: a preview renders a page again when its rows change).
    paper_name: str
    table_title: schema.LocalizedText
    later: bool  # a later paper than the first to score this model on the benchmark
    disagrees: bool  # part of a disagreement between sources (the catalog's)


@dataclass(frozen=True, kw_only=True)
class ModelGroup:
    """One model's scores on the benchmark, oldest paper first (on a page: those it holds)."""

    model: str  # model id
    name: str  # the model's name on this site
    deepseek: bool
    rescored: bool  # more than one paper scores this model on the benchmark
    rows: tuple[ScoreRow, ...]
    continued: bool = False  # the group started on the previous page


@dataclass(frozen=True, kw_only=True)
class TrendPoint:
    """One DeepSeek model's score, at the date of the paper that reports it."""

    date: dt.date
    paper: str  # paper id
    paper_name: str
    model: str  # model id
    model_label: str  # as the paper prints it
    score: float
    evidence: str  # the score's evidence kind (a later paper's re-scoring: "rescored")
    checked: bool = False  # found in its row of the source document, unchanged since


@dataclass(frozen=True, kw_only=True)
class Trend:
    """The largest set of comparable DeepSeek scores: same metric, setting and sub-task."""

    metric: str
    setting: str
    subtask: str  # the row label where tables split the benchmark, else ""
    points: tuple[TrendPoint, ...]  # by date, then paper and table order
    sources: tuple[schema.Source, ...]


@dataclass(frozen=True, kw_only=True)
class BenchmarkView:
    """One benchmark's page: its scores grouped by model, and the trend if there is one."""

    benchmark: schema.Benchmark
    groups: tuple[ModelGroup, ...]
    trend: Trend | None

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def rescored_models(self) -> int:
        return sum(1 for g in self.groups if g.rescored)


def _groups(catalog: Catalog, scores: tuple[Score, ...]) -> tuple[ModelGroup, ...]:
    """Scores by model, models in the order of their first score's paper date."""
    papers, dates, tables = catalog.papers_by_id, catalog.paper_dates, catalog.comparisons_by_id
    order = {s: i for i, s in enumerate(scores)}
    by_model: dict[str, list[Score]] = {}
    for s in scores:
        by_model.setdefault(s.model, []).append(s)

    def when(s: Score) -> tuple[dt.date, str, int]:
        return (dates[s.paper][0], s.paper, order[s])

    disagreeing = catalog.disagreeing_scores
    groups = []
    for model, mine in by_model.items():
        mine.sort(key=when)
        first_paper = mine[0].paper
        entry = catalog.models[model]
        rows = tuple(
            ScoreRow(
                score=s,
                paper_name=papers[s.paper].name,
                table_title=tables[s.paper, s.comparison].title,
                later=s.paper != first_paper,
                disagrees=s in disagreeing,
            )
            for s in mine
        )
        groups.append(
            ModelGroup(
                model=model,
                name=entry.name,
                deepseek=entry.is_deepseek,
                rescored=len({s.paper for s in mine}) > 1,
                rows=rows,
            )
        )
    groups.sort(key=lambda g: when(g.rows[0].score))
    return tuple(groups)


def trend(catalog: Catalog, benchmark: str) -> Trend | None:
    """DeepSeek models' scores over time: the largest comparable set of at least
    `MIN_TREND_POINTS` (the first such set in table order on a tie), else None."""
    papers, dates = catalog.papers_by_id, catalog.paper_dates
    sets: dict[tuple[str, str, str], list[Score]] = {}
    for s in catalog.scores_by_benchmark.get(benchmark, ()):
        if catalog.models[s.model].is_deepseek:
            sets.setdefault((s.metric, s.setting, catalog.subtask(s)), []).append(s)
    chosen = [key for key, rows in sets.items() if len(rows) >= MIN_TREND_POINTS]
    if not chosen:
        return None
    key = max(chosen, key=lambda k: len(sets[k]))  # max keeps the first of equals
    order = {s: i for i, s in enumerate(sets[key])}
    rows = sorted(sets[key], key=lambda s: (dates[s.paper][1], order[s]))
    sources: list[schema.Source] = []
    for s in rows:
        if s.source not in sources:
            sources.append(s.source)
    return Trend(
        metric=key[0],
        setting=key[1],
        subtask=key[2],
        points=tuple(
            TrendPoint(
                date=dates[s.paper][1],
                paper=s.paper,
                paper_name=papers[s.paper].name,
                model=s.model,
                model_label=s.model_label,
                score=s.score,
                evidence=s.evidence,
                checked=s.checked,
            )
            for s in rows
        ),
        sources=tuple(sources),
    )


def view(catalog: Catalog, benchmark: schema.Benchmark) -> BenchmarkView:
    """The benchmark's page content."""
    scores = catalog.scores_by_benchmark.get(benchmark.id, ())
    return BenchmarkView(
        benchmark=benchmark,
        groups=_groups(catalog, scores),
        trend=trend(catalog, benchmark.id),
    )


def paginate(
    groups: tuple[ModelGroup, ...], limit: int = ROWS_PER_PAGE
) -> tuple[tuple[ModelGroup, ...], ...]:
    """The groups in pages of at most *limit* rows, in order; a group that does not fit in
    what is left of a page starts the next one, and one longer than a page is cut."""
    pages: list[list[ModelGroup]] = [[]]
    room = limit
    for group in groups:
        rows, continued = group.rows, False
        if len(rows) > room and room < limit:
            pages.append([])
            room = limit
        while rows:
            if room == 0:
                pages.append([])
                room = limit
            taken, rows = rows[:room], rows[room:]
            pages[-1].append(dataclasses.replace(group, rows=taken, continued=continued))
            room -= len(taken)
            continued = True
    return tuple(tuple(page) for page in pages)


def by_domain(catalog: Catalog) -> list[tuple[str, list[schema.Benchmark]]]:
    """Benchmarks grouped by domain, in the site's domain order, by name within one."""
    out = []
    for domain in strings.DOMAINS:
        mine = [b for b in catalog.benchmarks.values() if b.domain == domain]
        if mine:
            out.append((domain, sorted(mine, key=lambda b: b.name.casefold())))
    return out
