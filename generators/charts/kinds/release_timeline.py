"""Papers and model releases over time, one lane per research line."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ... import evidence, schema
from ...catalog import Catalog
from ..base import EVIDENCE_TEXTS, ChartData, ChartKind, Payload, Table, evidence_cell, unique
from ..canvas import WEB_SIZE, Canvas
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
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

EventKind = Literal["arxiv_v1", "published", "models_released", "month_only"]
# The marker of each event kind; its name is the interface string of the same key.
MARKERS: Mapping[EventKind, str] = {
    "arxiv_v1": "o",
    "published": "^",
    "models_released": "s",
    "month_only": "D",
}
# The same markers on a slide's native chart, and as symbols in its key.
NATIVE_MARKERS: Mapping[EventKind, Marker] = {
    "arxiv_v1": "circle",
    "published": "triangle",
    "models_released": "square",
    "month_only": "diamond",
}
SYMBOLS: Mapping[EventKind, str] = {
    "arxiv_v1": "●",
    "published": "▲",
    "models_released": "■",
    "month_only": "◆",
}


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
        ("published", paper.dates.published),
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
    head = [t("date"), t("paper"), t("research_line"), t("event"), t("evidence_legend")]
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


# Sizes in points (times the canvas scale).
MARKER_AREA = 110.0  # an event's marker (matplotlib's s)
LABEL_FONT = 13.0  # a paper's name
LABEL_GAP = 4.0  # between a marker and the first row of names above or below it
ROW_GAP = 1.0  # between two rows of names
NAME_GAP = 8.0  # between two names on one row
LANE_GAP = 6.0  # between one lane's lowest names and the next lane's highest
LANE_HEIGHT = 0.95  # inches per lane on a page
# Where a name sits on its row: centred on its paper's first marker, else starting at the
# marker and running right, else ending at it; tried on the first row above the lane and the
# first below, then the second above and below, and so on (a crowded lane grows taller).
ALIGNMENTS = ("center", "left", "right")


@dataclass(frozen=True)
class _Name:
    """A paper's name as measured: where its first marker is, and how wide it is (px)."""

    paper: str
    text: str
    line: str
    date: dt.date
    x: float
    width: float


@dataclass(frozen=True)
class _Slot:
    """A name's place: its row (1, 2, ... above its lane; -1, -2, ... below) and alignment."""

    row: int
    ha: str


def _span(name: _Name, ha: str, reach: float) -> tuple[float, float]:
    """The name's left and right edges (px) when aligned *ha* at its marker (of half-width
    *reach*)."""
    if ha == "center":
        return name.x - name.width / 2, name.x + name.width / 2
    if ha == "left":
        return name.x - reach, name.x - reach + name.width
    return name.x + reach - name.width, name.x + reach


def _slots(
    names: Sequence[_Name], lo: float, hi: float, gap: float, reach: float
) -> dict[str, _Slot]:
    """Each name of one lane (in date order) on the nearest row where it meets no other
    name and stays between *lo* and *hi*: above, below, then further out, alternately."""
    taken: dict[int, list[tuple[float, float]]] = {}
    out: dict[str, _Slot] = {}
    for name in names:
        slot = None
        for level in itertools.count(1):
            for row, ha in ((r, ha) for r in (level, -level) for ha in ALIGNMENTS):
                a, b = _span(name, ha, reach)
                if a < lo or b > hi:
                    continue
                if all(b + gap <= c or d + gap <= a for c, d in taken.get(row, [])):
                    slot = _Slot(row, ha)
                    break
            if slot is not None or level > 2 * len(names):
                break
        slot = slot or _Slot(1, "center")  # wider than the plot: nothing fits anywhere
        taken.setdefault(slot.row, []).append(_span(name, slot.ha, reach))
        out[name.paper] = slot
    return out


def _lane_heights(
    slots: Mapping[str, _Slot], names: Sequence[_Name], lines: Sequence[str]
) -> dict[str, tuple[int, int]]:
    """Each line's rows of names above its lane and below it (at least one each)."""
    rows: dict[str, tuple[int, int]] = {line: (1, 1) for line in lines}
    for name in names:
        row = slots[name.paper].row
        up, down = rows[name.line]
        rows[name.line] = (max(up, row), max(down, -row))
    return rows


def _lane_ys(
    lines: Sequence[str],
    rows: Mapping[str, tuple[int, int]],
    clear: float,
    pitch: float,
    gap: float,
    height: float,
) -> dict[str, float]:
    """Each lane's height above the plot's bottom (px): room for its rows of names above and
    below it, the first line at the top; space left over is shared out between the lanes."""

    def reach(n: int) -> float:
        return clear + n * pitch

    # Gaps from the top: above the first lane, between lanes, below the last lane.
    gaps = [reach(rows[lines[0]][0]) + gap]
    gaps += [reach(rows[a][1]) + reach(rows[b][0]) + gap for a, b in itertools.pairwise(lines)]
    gaps.append(reach(rows[lines[-1]][1]) + gap)
    need = sum(gaps)
    extra = max(0.0, height - need) / len(gaps)
    # More rows than the plot holds (far beyond today's catalogue at either size): the lanes
    # are squeezed to stay inside it (tests/test_timeline_layout.py guards against this).
    squeeze = min(1.0, height / need)
    ys: dict[str, float] = {}
    y = height
    for line, above in zip(lines, gaps, strict=False):
        y -= above * squeeze + extra
        ys[line] = y
    return ys


def _names(
    canvas: Canvas, fig: Figure, renderer: RendererBase, ax: Axes, p: ReleaseTimeline
) -> list[_Name]:
    """Each paper's name at its first event, measured, by line and then by date."""
    from ..drawing import day_number, text_size

    to_display = ax.transData.transform
    first: dict[str, TimelineEvent] = {}
    for e in p.events:
        if e.paper not in first or e.date < first[e.paper].date:
            first[e.paper] = e
    order = {line: i for i, line in enumerate(p.lines)}
    out = []
    for e in sorted(first.values(), key=lambda e: (order[e.line], e.date)):
        x = float(to_display((day_number(e.date), 0))[0])
        width = text_size(fig, renderer, e.name, LABEL_FONT * canvas.scale)[0]
        out.append(_Name(paper=e.paper, text=e.name, line=e.line, date=e.date, x=x, width=width))
    return out


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


def web_size(p: ReleaseTimeline) -> tuple[float, float]:
    """Taller than the other charts on a page when there are many lines, so that each lane
    keeps room for two rows of names."""
    return (WEB_SIZE[0], max(WEB_SIZE[1], LANE_HEIGHT * len(p.lines) + 2.2))


def _legend(canvas: Canvas, fig: Figure) -> None:
    """The three event markers, on a row under the title."""
    from matplotlib.lines import Line2D

    theme, scale = canvas.theme, canvas.scale
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=marker,
            markersize=math.sqrt(MARKER_AREA * 0.8) * scale,
            color=theme.muted,
            markeredgecolor=theme.background,
        )
        for marker in MARKERS.values()
    ]
    _width, height = fig.get_size_inches()
    fig.legend(
        handles,
        [canvas.t(kind) for kind in MARKERS],
        loc="upper left",
        # Just under the title (whose top is at 0.975 of the height, see `Canvas.figure`).
        bbox_to_anchor=(0.01, 0.975 - 0.47 * scale / height),
        ncol=len(MARKERS),
        fontsize=13 * scale,
        handletextpad=0.3,
        columnspacing=1.4,
        borderaxespad=0,
    )


def draw(canvas: Canvas, p: ReleaseTimeline) -> Figure:
    """Lanes over time, each paper named at its first event, with a legend of the three
    event markers. The names are laid out in display space once the x axis is final: each
    on the nearest free row above or below its lane, and the lanes as far apart as their
    rows of names need."""
    from typing import cast

    from ..drawing import LANE_FONT, lane_axes, lane_labels, line_colour, quarterly_dates, text_size

    if TYPE_CHECKING:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

    theme, scale = canvas.theme, canvas.scale
    fig = canvas.figure()
    # Charts are drawn with Agg (style.py); its canvas makes a renderer for measuring text.
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call]
    ax, lane_text = lane_axes(fig, renderer, canvas.lines, scale, gap=10, top_in=1.2 * scale)
    lo, hi = date_span(p)
    ax.set_xlim(lo, hi)  # type: ignore[arg-type]
    box = ax.get_window_extent(renderer)
    # The y axis counts pixels up from the plot's bottom: names are placed in pixels.
    ax.set_ylim(0, box.height)
    pt = fig.dpi / 72 * scale  # pixels per (scaled) point
    # A marker's half-height (a diamond's is its half-diagonal); a row of names' height.
    reach = math.sqrt(MARKER_AREA) / 2 * math.sqrt(2) * pt
    names = _names(canvas, fig, renderer, ax, p)
    pitch = text_size(fig, renderer, "Xg國", LABEL_FONT * scale)[1] + ROW_GAP * pt
    clear = reach + LABEL_GAP * pt
    slots: dict[str, _Slot] = {}
    for line in p.lines:
        own = [n for n in names if n.line == line]
        slots.update(_slots(own, box.x0, box.x1, NAME_GAP * pt, reach))
    rows = _lane_heights(slots, names, p.lines)
    lane = _lane_ys(p.lines, rows, clear, pitch, LANE_GAP * pt, box.height)
    for line, y in lane.items():
        ax.axhline(y, color=line_colour(line, theme.muted), lw=2 * scale, alpha=0.35, zorder=1)
    for e in p.events:
        # Dates, not numbers: they give the x axis its date units (the stubs want numbers).
        ax.scatter(
            [e.date],  # type: ignore[arg-type]
            [lane[e.line]],
            marker=MARKERS[e.kind],
            s=MARKER_AREA * scale**2,
            color=line_colour(e.line, theme.foreground),
            zorder=3,
            edgecolors=theme.background,
        )
    for name in names:
        slot = slots[name.paper]
        level = abs(slot.row)
        dy = (clear + (level - 1) * pitch) / pt * (1 if slot.row > 0 else -1)
        dx = {"center": 0.0, "left": -reach, "right": reach}[slot.ha] / pt
        ax.annotate(
            name.text,
            (name.date, lane[name.line]),
            xytext=(dx * scale, dy * scale),
            textcoords="offset points",
            ha=slot.ha,
            va="bottom" if slot.row > 0 else "top",
            fontsize=LABEL_FONT * scale,
            color=theme.foreground,
            zorder=5,
        )
    lane_labels(ax, lane, lane_text, scale)
    # A tick each quarter, or each half year where quarters would crowd their labels.
    days = (hi - lo).days
    label = text_size(fig, renderer, "2000-00", LANE_FONT * scale)[0]
    crowded = box.width / (days / 91.3) < 1.5 * label
    quarterly_dates(ax, (1, 7) if crowded else (1, 4, 7, 10))
    ax.grid(axis="y", visible=False)
    _legend(canvas, fig)
    return fig


KIND = ChartKind(
    name="release-timeline",
    payload=ReleaseTimeline,
    texts=frozenset({"date", "paper", "research_line", "event", *MARKERS}) | EVIDENCE_TEXTS,
    build=build,
    table=table,
    draw=draw,
    web_size=web_size,
    native=native,
)
