"""Per benchmark: DeepSeek models' comparable scores over time, by the reporting paper's date."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import benchmarks, schema
from ...catalog import Catalog
from ..base import (
    CHECKED_TEXTS,
    EVIDENCE_TEXTS,
    ChartData,
    ChartKind,
    Payload,
    Table,
    checked_cell,
    checked_head,
    evidence_cell,
)
from ..canvas import Canvas
from ..language import Localize, Texts
from ..native import (
    Axis,
    LabelPlace,
    NativeChart,
    ScatterPanel,
    XYSeries,
    quarterly_axis,
    serial_date,
)
from ..palette import BLUE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PAD_BEFORE = dt.timedelta(days=45)  # room left of the first point
PAD_AFTER = dt.timedelta(days=120)  # room right of the last point for its label


@dataclass(frozen=True, kw_only=True)
class BenchmarkTrend(Payload):
    """One benchmark's comparable DeepSeek scores, and what makes them comparable."""

    benchmark: str  # the benchmark's name
    metric: str
    setting: str
    subtask: str
    lower_better: bool
    points: tuple[benchmarks.TrendPoint, ...]  # by date

    # Points are drawn at (date, score) and named by model label; which paper reported
    # them, the ids, the evidence kind and whether the score was checked against its
    # document are in the data table only.
    TABLE_ONLY = frozenset(
        {"points.paper", "points.paper_name", "points.model", "points.evidence", "points.checked"}
    )

    @property
    def terms(self) -> tuple[str, ...]:
        """The words the chart shows in the reader's language (`Texts.word`)."""
        return (self.metric, self.setting)


def build(_catalog: Catalog, _decl: schema.ChartDecl, _paper: schema.Paper | None) -> None:
    """Nothing without a benchmark: the kind is declared with ``each: benchmark``."""
    return None


def build_for_benchmark(
    catalog: Catalog, decl: schema.ChartDecl, bench: schema.Benchmark
) -> ChartData | None:
    """The benchmark's trend (see `benchmarks.trend`); None with too few comparable scores."""
    trend = benchmarks.trend(catalog, bench.id)
    if trend is None:
        return None
    payload = BenchmarkTrend(
        benchmark=bench.name,
        metric=trend.metric,
        setting=trend.setting,
        subtask=trend.subtask,
        lower_better=not bench.higher_is_better,
        points=trend.points,
    )
    return ChartData(kind=decl.kind, payload=payload, sources=trend.sources)


def table(p: BenchmarkTrend, texts: Texts, _localize: Localize) -> Table:
    """Paper date, paper, model (as printed) and score, in the chart's order."""
    head = [
        texts.t("trend_axis_date"),
        texts.t("paper"),
        texts.t("model"),
        texts.t("score"),
        texts.t("evidence_legend"),
        checked_head(texts),
    ]
    rows = [
        [
            pt.date.isoformat(),
            pt.paper_name,
            pt.model_label,
            f"{pt.score:g}",
            evidence_cell(texts, [pt.evidence]),
            checked_cell(texts, [pt.checked]),
        ]
        for pt in p.points
    ]
    return head, rows


def subtitle(p: BenchmarkTrend, texts: Texts) -> str:
    """What the points share: setting (and sub-task), and which way is better."""
    parts = [texts.t("trend_setting", setting=texts.word(p.setting) or "–")]
    if p.subtask:
        parts.append(p.subtask)
    parts.append(texts.t("trend_lower" if p.lower_better else "trend_higher"))
    return " · ".join(parts)


def point_labels(p: BenchmarkTrend) -> tuple[str, ...]:
    """Each point's model name; "" for a point that repeats another (two tables of one
    paper with the same score): it is drawn once, so it is named once."""
    seen: set[tuple[dt.date, str, float]] = set()
    out = []
    for pt in p.points:
        key = (pt.date, pt.model_label, pt.score)
        out.append("" if key in seen else pt.model_label)
        seen.add(key)
    return tuple(out)


def score_span(p: BenchmarkTrend) -> tuple[float, float]:
    """The y axis's span: the scores with a margin (one score: around it)."""
    scores = [pt.score for pt in p.points]
    low, high = min(scores), max(scores)
    margin = (high - low) * 0.12 or max(abs(high) * 0.05, 1.0)
    return low - margin, high + margin


def native_places(p: BenchmarkTrend) -> tuple[tuple[str, ...], tuple[LabelPlace, ...]]:
    """Labels and their places on a slide, which cannot move them out of each other's way:
    points of one date whose scores are close take the right, above and below in turn; a
    fourth is left unnamed (the speaker notes' table names it)."""
    low, high = score_span(p)
    near = (high - low) * 0.06
    order: tuple[LabelPlace, ...] = ("right", "above", "below")
    placed: list[tuple[dt.date, float]] = []
    labels, places = [], []
    for pt, label in zip(p.points, point_labels(p), strict=True):
        crowd = sum(1 for d, s in placed if d == pt.date and abs(s - pt.score) < near)
        if label and crowd < len(order):
            placed.append((pt.date, pt.score))
            labels.append(label)
            places.append(order[crowd])
        else:
            labels.append("")
            places.append("right")
    return tuple(labels), tuple(places)


def date_span(p: BenchmarkTrend) -> tuple[dt.date, dt.date]:
    dates = [pt.date for pt in p.points]
    return min(dates) - PAD_BEFORE, max(dates) + PAD_AFTER


def draw(canvas: Canvas, p: BenchmarkTrend) -> Figure:
    """Points at (paper date, score), each named by its model where the name fits."""
    from ..drawing import content_rect, day_number, place_labels, quarterly_dates

    theme, scale = canvas.theme, canvas.scale
    fig = canvas.figure()
    fig.text(
        0.015,
        1 - 0.62 / fig.get_size_inches()[1],
        subtitle(p, canvas.texts),
        ha="left",
        va="top",
        fontsize=14 * scale,
        color=theme.muted,
    )
    ax = fig.add_axes(content_rect(fig, 0.08, 0.97, top_in=1.15))
    xs = [day_number(pt.date) for pt in p.points]
    ys = [pt.score for pt in p.points]
    ax.scatter(xs, ys, s=90 * scale**2, color=BLUE, edgecolors=theme.background, zorder=3)
    lo, hi = date_span(p)
    ax.set_xlim(day_number(lo), day_number(hi))
    ax.set_ylim(*score_span(p))
    quarterly_dates(ax)
    ax.set_xlabel(canvas.t("trend_axis_date"))
    ax.set_ylabel(canvas.t("trend_axis_score", metric=canvas.texts.word(p.metric)))
    named = point_labels(p)
    items = [(x, y, name, theme.foreground) for x, y, name in zip(xs, ys, named, strict=True)]
    place_labels(fig, ax, [item for item in items if item[2]], scale)
    return fig


def native(p: BenchmarkTrend, texts: Texts) -> NativeChart:
    """XY scatter: x the paper's date, y the score, every point named by its model."""
    points = tuple((serial_date(pt.date), pt.score) for pt in p.points)
    labels, places = native_places(p)
    # Round ends, so the slide program's own ticks land on round numbers.
    low, high = score_span(p)
    step = 10 ** math.floor(math.log10(high - low))
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if min(pt.score for pt in p.points) >= 0:
        low = max(low, 0.0)  # no axis below zero for scores that cannot be negative
    return NativeChart(
        panels=(
            ScatterPanel(
                series=(
                    XYSeries(
                        name=subtitle(p, texts),
                        points=points,
                        colour=BLUE,
                        labels=labels,
                        label_places=places,
                    ),
                ),
                x_axis=quarterly_axis(*date_span(p), title=texts.t("trend_axis_date")),
                y_axis=Axis(
                    title=texts.t("trend_axis_score", metric=texts.word(p.metric)),
                    minimum=low,
                    maximum=high,
                ),
                legend=True,
            ),
        ),
    )


KIND = ChartKind(
    name="benchmark-trend",
    payload=BenchmarkTrend,
    texts=frozenset(
        {
            "trend_axis_date",
            "trend_axis_score",
            "trend_setting",
            "trend_higher",
            "trend_lower",
            "paper",
            "model",
            "score",
        }
    )
    | EVIDENCE_TEXTS
    | CHECKED_TEXTS,
    checked_column=True,
    build=build,
    table=table,
    draw=draw,
    native=native,
    build_for_benchmark=build_for_benchmark,
)
