"""Papers on their research-line lanes over time; numbered arrows for the ideas carried forward."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import schema
from ...catalog import Catalog
from ..base import ChartData, ChartKind, Payload, Table, unique
from ..canvas import Canvas
from ..language import Localize, Texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Position = tuple[float, float]  # x (matplotlib date number), y (lane)


@dataclass(frozen=True, kw_only=True)
class LineageNode:
    """A paper that a link starts or ends at."""

    paper: str
    name: str
    line: str
    date: dt.date  # timeline position (a month-only date sorts at the month's end)
    exact: bool  # the date is known to the day


@dataclass(frozen=True, kw_only=True)
class LineageEdge:
    """A link, numbered as in the table: the later paper takes an idea from the earlier."""

    number: int
    source: str  # the earlier paper
    target: str  # the later paper
    idea: schema.LocalizedText  # shown in the table only


@dataclass(frozen=True, kw_only=True)
class Lineage(Payload):
    """The linked papers, the links in data order, and the research lines top to bottom."""

    nodes: tuple[LineageNode, ...]
    edges: tuple[LineageEdge, ...]
    lines: tuple[str, ...]


def build(
    catalog: Catalog, decl: schema.ChartDecl, _paper: schema.Paper | None
) -> ChartData | None:
    """The links of data/lineage.yaml; None without any."""
    links = list(catalog.lineage.links) if catalog.lineage else []
    if not links:
        return None
    involved = {link.from_ for link in links} | {link.to for link in links}
    nodes = tuple(
        LineageNode(paper=p.id, name=p.name, line=p.line, date=p.sort_date, exact=p.has_exact_date)
        for p in catalog.papers
        if p.id in involved
    )
    edges = tuple(
        LineageEdge(number=i + 1, source=link.from_, target=link.to, idea=link.idea)
        for i, link in enumerate(links)
    )
    payload = Lineage(nodes=nodes, edges=edges, lines=tuple(line.id for line in catalog.lines))
    return ChartData(kind=decl.kind, payload=payload, sources=unique(link.source for link in links))


def table(p: Lineage, texts: Texts, localize: Localize) -> Table:
    """Number, earlier paper, later paper, and the idea."""
    names = {n.paper: n.name for n in p.nodes}
    head = ["#", texts.t("paper"), texts.t("paper"), texts.t("idea")]
    rows = [[str(e.number), names[e.source], names[e.target], localize(e.idea)] for e in p.edges]
    return head, rows


def _edges(
    canvas: Canvas, ax: Axes, edges: tuple[LineageEdge, ...], position: Mapping[str, Position]
) -> None:
    """Curved arrows, each with its number on the curve."""
    theme, scale = canvas.theme, canvas.scale
    # Taken once the limits are final: the inverse is a snapshot of the current transform.
    to_display, to_data = ax.transData.transform, ax.transData.inverted().transform
    for e in edges:
        (x0, y0), (x1, y1) = position[e.source], position[e.target]
        rad = 0.3 if y0 == y1 else 0.1
        arrow = {
            "arrowstyle": "-|>",
            "color": theme.muted,
            "lw": 1.3 * scale,
            "shrinkA": 11 * scale,
            "shrinkB": 11 * scale,
            "connectionstyle": f"arc3,rad={rad}",
            "mutation_scale": 14 * scale,
            "alpha": 0.85,
        }
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=2, arrowprops=arrow)
        # The number sits on the curve's midpoint: arc3 is a quadratic Bezier whose control
        # point is offset from the chord's middle by rad x the chord, rotated (display space).
        (px0, py0), (px1, py1) = to_display((x0, y0)), to_display((x1, y1))
        mid = ((px0 + px1) / 2 + 0.5 * rad * (py1 - py0), (py0 + py1) / 2 - 0.5 * rad * (px1 - px0))
        x, y = to_data(mid)
        ax.text(
            x,
            y,
            str(e.number),
            ha="center",
            va="center",
            fontsize=10 * scale,
            color=theme.background,
            zorder=4,
            bbox={"boxstyle": "circle,pad=0.25", "fc": theme.muted, "ec": "none"},
        )


def draw(canvas: Canvas, p: Lineage) -> Figure:
    """Lanes, arrows, then the papers' markers and labels placed without overlaps."""
    from ..drawing import (
        content_rect,
        day_number,
        lane_labels,
        lanes,
        line_colour,
        place_labels,
        quarterly_dates,
    )

    theme, scale = canvas.theme, canvas.scale
    fig = canvas.figure()
    ax = fig.add_axes(content_rect(fig, 0.17, 0.97, top_in=0.9))
    lane = lanes(ax, p.lines, theme, scale, alpha=0.25)
    position = {n.paper: (day_number(n.date), lane[n.line]) for n in p.nodes}
    xs = [x for x, _ in position.values()]
    ax.set_ylim(-0.7, len(lane) - 0.3)
    ax.set_xlim(min(xs) - 60, max(xs) + 60)
    _edges(canvas, ax, p.edges, position)
    for n in p.nodes:
        x, y = position[n.paper]
        ax.scatter(
            [x],
            [y],
            s=170 * scale**2,
            color=line_colour(n.line, theme.foreground),
            zorder=3,
            edgecolors=theme.background,
            marker="o" if n.exact else "D",
        )
    fig.canvas.draw()
    place_labels(
        fig,
        ax,
        [
            (*position[n.paper], n.name, theme.foreground)
            for n in sorted(p.nodes, key=lambda n: n.date)
        ],
        scale,
    )
    lane_labels(ax, lane, canvas.lines, scale)
    quarterly_dates(ax)
    ax.grid(axis="y", visible=False)
    return fig


KIND = ChartKind(
    name="lineage",
    payload=Lineage,
    texts=frozenset({"paper", "idea"}),
    build=build,
    table=table,
    draw=draw,
)
