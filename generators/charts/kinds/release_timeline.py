"""Papers and model releases over time, one lane per research line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ... import evidence, schema
from ...catalog import Catalog
from ..base import EVIDENCE_TEXTS, ChartData, ChartKind, Payload, Table, evidence_cell, unique
from ..canvas import Canvas
from ..language import Localize, Texts
from ..native import (
    Axis,
    KeyEntry,
    LabelPlace,
    Marker,
    NativeChart,
    ScatterPanel,
    XYSeries,
    quarterly_axis,
    serial_date,
)
from ..palette import LINE_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

EventKind = Literal["arxiv_v1", "models_released", "month_only"]
# The marker of each event kind; its name is the interface string of the same key.
MARKERS: Mapping[EventKind, str] = {"arxiv_v1": "o", "models_released": "s", "month_only": "D"}
# The same markers on a slide's native chart, and as symbols in its key.
NATIVE_MARKERS: Mapping[EventKind, Marker] = {
    "arxiv_v1": "circle",
    "models_released": "square",
    "month_only": "diamond",
}
SYMBOLS: Mapping[EventKind, str] = {"arxiv_v1": "●", "models_released": "■", "month_only": "◆"}


@dataclass(frozen=True, kw_only=True)
class TimelineEvent:
    """A paper's arXiv v1, its model release, or (without either) its arXiv month."""

    paper: str
    name: str
    line: str
    kind: EventKind
    date: dt.date
    evidence: str  # the date's source's kind; "derived" for the month an arXiv id encodes


@dataclass(frozen=True, kw_only=True)
class ReleaseTimeline(Payload):
    """Every paper's events, and the research lines top to bottom."""

    events: tuple[TimelineEvent, ...]
    lines: tuple[str, ...]


def _events(paper: schema.Paper) -> list[tuple[TimelineEvent, schema.Source | None]]:
    """The paper's events, each with its source (none for a month read off the arXiv id)."""

    def event(kind: EventKind, date: dt.date, source: schema.Source | None) -> TimelineEvent:
        return TimelineEvent(
            paper=paper.id,
            name=paper.name,
            line=paper.line,
            kind=kind,
            date=date,
            evidence=evidence.of_source(source) if source else "derived",
        )

    out: list[tuple[TimelineEvent, schema.Source | None]] = []
    stated: tuple[tuple[EventKind, schema.SourcedDate | None], ...] = (
        ("arxiv_v1", paper.dates.arxiv_v1),
        ("models_released", paper.dates.models_released),
    )
    for kind, sourced in stated:
        if sourced:
            out.append((event(kind, sourced.value, sourced.source), sourced.source))
    if not paper.has_exact_date:
        out.append((event("month_only", paper.arxiv_month, None), None))
    return out


def build(catalog: Catalog, decl: schema.ChartDecl, _paper: schema.Paper | None) -> ChartData:
    """Every paper of the catalog, in catalog order."""
    pairs = [pair for paper in catalog.papers for pair in _events(paper)]
    payload = ReleaseTimeline(
        events=tuple(e for e, _ in pairs), lines=tuple(line.id for line in catalog.lines)
    )
    return ChartData(
        kind=decl.kind, payload=payload, sources=unique(s for _, s in pairs if s is not None)
    )


def table(p: ReleaseTimeline, texts: Texts, _localize: Localize) -> Table:
    """Date, paper, research line and event, by date."""
    t = texts.t
    head = [t("date"), t("paper"), t("research_line"), "", t("evidence_legend")]
    rows = [
        [
            e.date.isoformat()[:7] if e.kind == "month_only" else e.date.isoformat(),
            e.name,
            texts.lines[e.line],
            t(e.kind),
            # A month read off the arXiv identifier (YYMM) is derived from it.
            evidence_cell(texts, [e.evidence], "arXiv YYMM" if e.evidence == "derived" else ""),
        ]
        for e in sorted(p.events, key=lambda e: e.date)
    ]
    return head, rows


def _paper_events(canvas: Canvas, ax: Axes, p: ReleaseTimeline, lane: dict[str, int]) -> None:
    """Each paper's markers, and its name above or below its first event."""
    from ..drawing import day_number, line_colour

    theme, scale = canvas.theme, canvas.scale
    by_paper: dict[str, list[TimelineEvent]] = {}
    for e in p.events:
        by_paper.setdefault(e.paper, []).append(e)
    placed: dict[int, list[tuple[float, float]]] = {}
    for events in by_paper.values():
        for e in events:
            # Dates, not numbers: they give the x axis its date units (the stubs want numbers).
            ax.scatter(
                [e.date],  # type: ignore[arg-type]
                [lane[e.line]],
                marker=MARKERS[e.kind],
                s=110 * scale**2,
                color=line_colour(e.line, theme.foreground),
                zorder=3,
                edgecolors=theme.background,
            )
        first = min(e.date for e in events)
        y = lane[events[0].line]
        # Alternate above/below within a lane when papers are close in time.
        x = day_number(first)
        near = [px for px, _ in placed.get(y, []) if abs(px - x) < 75]
        dy = 0.22 if len(near) % 2 == 0 else -0.3
        placed.setdefault(y, []).append((x, dy))
        ax.annotate(
            events[0].name,
            (first, y),
            xytext=(0, dy * 60 * scale),
            textcoords="offset points",
            ha="center",
            va="bottom" if dy > 0 else "top",
            fontsize=13 * scale,
            color=theme.foreground,
        )


def date_span(p: ReleaseTimeline) -> tuple[dt.date, dt.date]:
    """The x axis's span: room before the first event and for names after the last."""
    dates = [e.date for e in p.events]
    return min(dates) - dt.timedelta(days=25), max(dates) + dt.timedelta(days=70)


def native(p: ReleaseTimeline, texts: Texts) -> NativeChart:
    """XY scatter: x the date, y the lane (first line at the top), a series per research
    line in its colour; each event's marker as drawn, each paper named at its first event."""
    lane = {line: i for i, line in enumerate(reversed(p.lines))}  # as drawing.lanes
    first: dict[str, dt.date] = {}
    for e in p.events:
        first[e.paper] = min(e.date, first.get(e.paper, e.date))
    named: set[str] = set()
    series = []
    for line in p.lines:
        events = sorted((e for e in p.events if e.line == line), key=lambda e: e.date)
        if not events:
            continue
        labels: list[str] = []
        places: list[LabelPlace] = []
        placed: list[dt.date] = []
        for e in events:
            own = e.paper not in named and e.date == first[e.paper]
            labels.append(e.name if own else "")
            # As drawn: above the lane, or below when an odd number of names is near.
            near = sum(abs((e.date - other).days) < 75 for other in placed)
            places.append("above" if near % 2 == 0 else "below")
            if own:
                named.add(e.paper)
                placed.append(e.date)
        series.append(
            XYSeries(
                name=texts.lines[line],
                points=tuple((serial_date(e.date), float(lane[line])) for e in events),
                colour=LINE_COLOURS.get(line, "foreground"),
                labels=tuple(labels),
                label_places=tuple(places),
                point_markers=tuple(NATIVE_MARKERS[e.kind] for e in events),
            )
        )
    return NativeChart(
        panels=(
            ScatterPanel(
                series=tuple(series),
                x_axis=quarterly_axis(*date_span(p), title=texts.t("date")),
                y_axis=Axis(minimum=-0.8, maximum=len(lane) - 0.2, labels=False, gridlines=False),
            ),
        ),
        key=tuple(
            KeyEntry(symbol=SYMBOLS[kind], text=texts.t(kind), colour="muted") for kind in MARKERS
        ),
    )


def draw(canvas: Canvas, p: ReleaseTimeline) -> Figure:
    """Lanes over time, with a legend of the three event markers."""
    from ..drawing import content_rect, lane_labels, lanes, quarterly_dates

    fig = canvas.figure()
    ax = fig.add_axes(content_rect(fig, 0.19, 0.97, top_in=1.25))
    lo, hi = date_span(p)
    lane = lanes(ax, p.lines, canvas.theme, canvas.scale, alpha=0.35)
    _paper_events(canvas, ax, p, lane)
    lane_labels(ax, lane, canvas.lines, canvas.scale)
    ax.set_ylim(-0.8, len(lane) - 0.2)
    ax.set_xlim(lo, hi)  # type: ignore[arg-type]
    quarterly_dates(ax)
    ax.grid(axis="y", visible=False)
    for kind, marker in MARKERS.items():
        ax.scatter(
            [],
            [],
            marker=marker,
            color=canvas.theme.muted,
            label=canvas.t(kind),
            s=90 * canvas.scale**2,
        )
    ax.legend(loc="upper left", ncol=3, bbox_to_anchor=(0, 1.1))
    return fig


KIND = ChartKind(
    name="release-timeline",
    payload=ReleaseTimeline,
    texts=frozenset({"date", "paper", "research_line", *MARKERS}) | EVIDENCE_TEXTS,
    build=build,
    table=table,
    draw=draw,
    native=native,
)
