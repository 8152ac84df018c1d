"""Papers as boxes in their research line's colour; numbered arrows for the ideas carried
forward, earlier papers to the left.

Graphviz's `dot` lays the graph out (ranks left to right along the links, boxes sized to
the names as matplotlib measures them, room for each arrow's number); matplotlib draws it,
so that the chart shares the fonts, colours and themes of the others. `dot` is asked to fill
the plot: where the graph is larger it comes back scaled down, and the names with it.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import schema
from ...catalog import Catalog
from ..base import ChartData, ChartKind, Payload, Table, unique
from ..canvas import WEB_SIZE, Canvas
from ..language import Localize, Texts

Point = tuple[float, float]  # inches

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

# Sizes in points (times the canvas scale).
LABEL_FONT = 12.5  # a paper's name
DATE_FONT = 10.0  # its month, under the name
NUMBER_FONT = 10.0  # an arrow's number
PAD_X, PAD_Y = 7.0, 4.0  # inside a box, around its two rows
ROW_GAP = 2.0  # between a box's name and its month
# Inches between boxes in one rank, and between ranks, where two digits are BASE_NUMBER high.
NODE_SEP, RANK_SEP, BASE_NUMBER = 0.18, 0.5, 0.2
BOTTOM_IN = 0.55  # inches kept for the footnote
KEY_GAP = 0.15  # inches between the key of the lines and the plot
KEY_FONT = 12.0
KEY_COLUMNS = 4  # at most, in the key of the lines
FIT_TRIES = 4  # layouts tried, each scaled down to the last one's overshoot
RANKDIRS = ("LR", "TB")  # time left to right, or top to bottom


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


def web_size(p: Lineage) -> tuple[float, float]:
    """As tall as the page's width for a graph of a few dozen papers."""
    return (WEB_SIZE[0], max(WEB_SIZE[1], 0.45 * len(p.nodes) + 1.8))


def table(p: Lineage, texts: Texts, localize: Localize) -> Table:
    """Number, earlier paper, later paper, and the idea."""
    names = {n.paper: n.name for n in p.nodes}
    head = ["#", texts.t("paper"), texts.t("paper"), texts.t("idea")]
    rows = [[str(e.number), names[e.source], names[e.target], localize(e.idea)] for e in p.edges]
    return head, rows


# --- Layout by Graphviz -------------------------------------------------------------------


class GraphvizMissing(RuntimeError):
    """`dot` is not on the PATH (Debian: the graphviz package)."""


@dataclass(frozen=True)
class _Box:
    """A paper's box as dot placed it."""

    x: float  # centre, inches from the plot's left
    y: float  # centre, inches from the plot's bottom
    width: float
    height: float


@dataclass(frozen=True)
class _Arrow:
    """A link's curve and where its number goes."""

    number: int
    ctrl: tuple[tuple[float, float], ...]  # a cubic Bézier's points, inches
    label: tuple[float, float]  # its number's centre


@dataclass(frozen=True)
class _Graph:
    """dot's layout: its extent (inches), the boxes and the arrows."""

    width: float
    height: float
    boxes: dict[str, _Box]  # paper -> its box
    arrows: tuple[_Arrow, ...]


def _dot_source(
    p: Lineage,
    sizes: Mapping[str, tuple[float, float]],
    number: tuple[float, float],
    fill: tuple[float, float] | None,
    rankdir: str,
) -> tuple[str, dict[str, str]]:
    """The graph in the DOT language, and each paper's node id: boxes of the given sizes
    (inches) by date, each link an edge labelled with its number (of *number*'s size);
    spread out to *fill* (inches) if given."""
    ids = {n.paper: f"n{i}" for i, n in enumerate(sorted(p.nodes, key=lambda n: n.date))}
    # dot sizes an edge's label with its own font metrics: a font size giving half as much
    # again as the measured height of two digits, so that the numbers drawn in the chart's
    # own font keep clear of each other.
    label_size = number[1] * 72 / 1.2 * 1.5
    out = [
        "digraph lineage {",
        f"  rankdir={rankdir}; margin=0; pad=0;",
        f"  nodesep={NODE_SEP * number[1] / BASE_NUMBER:.4f}; ranksep={RANK_SEP * number[1] / BASE_NUMBER:.4f};",
        '  node [shape=box, fixedsize=true, label=""];',
        f"  edge [arrowhead=none, fontsize={label_size:.2f}];",
    ]
    if fill:
        out.append(f'  ratio=fill; size="{fill[0]:.3f},{fill[1]:.3f}";')
    for n in sorted(p.nodes, key=lambda n: n.date):
        w, h = sizes[n.paper]
        out.append(f"  {ids[n.paper]} [width={w:.4f}, height={h:.4f}];")
    for e in p.edges:
        out.append(f'  {ids[e.source]} -> {ids[e.target]} [label="{e.number}"];')
    out.append("}")
    return "\n".join(out) + "\n", ids


@functools.lru_cache(maxsize=64)
def _run_dot(source: str) -> str:
    """dot's layout of *source*, in its plain text format (kept: the light and the dark
    chart of one language and size ask for the same layouts)."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing("the lineage chart needs Graphviz's dot (apt-get install graphviz)")
    return subprocess.run(
        [dot, "-Tplain"], input=source, capture_output=True, text=True, check=True
    ).stdout


def _parse_plain(text: str, ids: Mapping[str, str]) -> _Graph:
    """dot's plain output (inches, origin at the bottom left) as boxes and arrows."""
    paper = {v: k for k, v in ids.items()}
    boxes: dict[str, _Box] = {}
    arrows: list[_Arrow] = []
    width = height = 0.0
    for line in text.splitlines():
        f = line.split()
        if f[0] == "graph":
            width, height = float(f[2]), float(f[3])
        elif f[0] == "node":
            boxes[paper[f[1]]] = _Box(float(f[2]), float(f[3]), float(f[4]), float(f[5]))
        elif f[0] == "edge":
            n = int(f[3])
            pts = [(float(f[4 + 2 * i]), float(f[5 + 2 * i])) for i in range(n)]
            label_at = 4 + 2 * n
            arrows.append(
                _Arrow(
                    number=int(f[label_at]),
                    ctrl=tuple(pts),
                    label=(float(f[label_at + 1]), float(f[label_at + 2])),
                )
            )
    return _Graph(width, height, boxes, tuple(sorted(arrows, key=lambda a: a.number)))


# --- Drawing ----------------------------------------------------------------------------


def _key(canvas: Canvas, fig: Figure, renderer: RendererBase, p: Lineage) -> float:
    """The colours of the research lines that have papers here, under the title, in as
    many columns as the width holds; returns its bottom (inches from the figure's bottom)."""
    from matplotlib.lines import Line2D

    from ..drawing import line_colour

    theme, scale = canvas.theme, canvas.scale
    shown = [line for line in p.lines if any(n.line == line for n in p.nodes)]
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="s",
            markersize=11 * scale,
            markerfacecolor=theme.background,
            markeredgewidth=1.8 * scale,
            markeredgecolor=line_colour(line, theme.foreground),
        )
        for line in shown
    ]
    labels = [canvas.lines[line].replace("\n", " ") for line in shown]
    fig_w, fig_h = fig.get_size_inches()
    for ncol in range(min(len(shown), KEY_COLUMNS), 0, -1):
        key = fig.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(0.012, 1 - 0.62 * scale / fig_h),
            ncol=ncol,
            fontsize=KEY_FONT * scale,
            handletextpad=0.3,
            columnspacing=1.2,
            borderaxespad=0,
            frameon=False,
        )
        extent = key.get_window_extent(renderer)
        if extent.x1 <= fig.bbox.width * 0.985 or ncol == 1:
            return float(extent.y0) / fig.dpi
        key.remove()
    raise AssertionError("unreachable: one column is always kept")


def _month(n: LineageNode) -> str:
    return n.date.strftime("%Y-%m")


class _Layouts:
    """dot's layouts of one chart's graph at any scale, its texts measured once."""

    def __init__(self, p: Lineage, fig: Figure, renderer: RendererBase, scale: float) -> None:
        self.p, self.fig, self.renderer, self.scale = p, fig, renderer, scale
        self.measured: dict[str, tuple[float, float]] = {}

    def inches(self, text: str, size: float) -> tuple[float, float]:
        """*text*'s extent at font *size*: measured once at 10 points, then scaled (a
        layout is tried at several scales)."""
        from ..drawing import text_size

        if text not in self.measured:
            w, h = text_size(self.fig, self.renderer, text, 10 * self.scale)
            self.measured[text] = (w / self.fig.dpi, h / self.fig.dpi)
        w, h = self.measured[text]
        return w * size / 10, h * size / 10

    def layout(self, k: float, fill: tuple[float, float] | None, rankdir: str) -> _Graph:
        """The graph with every size times *k*, spread to *fill* if given."""
        pad_x, pad_y = PAD_X * self.scale * k / 72, PAD_Y * self.scale * k / 72
        sizes = {}
        for n in self.p.nodes:
            nw, nh = self.inches(n.name, LABEL_FONT * k)
            dw, dh = self.inches(_month(n), DATE_FONT * k)
            sizes[n.paper] = (
                max(nw, dw) + 2 * pad_x,
                nh + dh + 2 * pad_y + ROW_GAP * self.scale * k / 72,
            )
        number = self.inches("00", NUMBER_FONT * k)
        source, ids = _dot_source(self.p, sizes, number, fill, rankdir)
        return _parse_plain(_run_dot(source), ids)

    def fitted(self, rankdir: str, room: tuple[float, float]) -> tuple[float, _Graph]:
        """The largest scale (at most 1) at which the graph fits *room*, and the graph."""
        k = 1.0
        for _ in range(FIT_TRIES):
            graph = self.layout(k, None, rankdir)
            over = max(graph.width / room[0], graph.height / room[1])
            if over <= 1:
                break
            k *= 0.98 / over
        return k, graph

    def best(self, room: tuple[float, float]) -> tuple[float, _Graph]:
        """Time left to right, or top to bottom where that keeps the names larger (a tall
        page; max keeps the first of equals), then spread out to fill *room*, as far as it
        stays inside it: the scale and the graph."""
        k, graph, rankdir = max(((*self.fitted(d, room), d) for d in RANKDIRS), key=lambda c: c[0])
        target = room
        for _ in range(FIT_TRIES):
            spread = self.layout(k, target, rankdir)
            if spread.width <= room[0] + 0.01 and spread.height <= room[1] + 0.01:
                return k, spread
            # dot's fill overshoots by about a box: ask for that much less.
            target = (
                target[0] * min(1.0, room[0] / spread.width),
                target[1] * min(1.0, room[1] / spread.height),
            )
        return k, graph


def _draw_arrows(canvas: Canvas, ax: Axes, graph: _Graph, k: float, at: Point) -> None:
    """Each link's curve, and its number where dot left room for it."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    theme, scale = canvas.theme, canvas.scale
    ox, oy = at
    for arrow in graph.arrows:
        pts = [(x + ox, y + oy) for x, y in arrow.ctrl]
        codes = [Path.MOVETO, *[Path.CURVE4] * (len(pts) - 1)]
        ax.add_patch(
            FancyArrowPatch(
                path=Path(pts, codes),
                arrowstyle="-|>",
                mutation_scale=13 * scale * k,
                color=theme.muted,
                lw=1.2 * scale * k,
                zorder=2,
            )
        )
        lx, ly = arrow.label
        ax.text(
            lx + ox,
            ly + oy,
            str(arrow.number),
            ha="center",
            va="center",
            fontsize=NUMBER_FONT * scale * k,
            color=theme.muted,
            zorder=4,
        )


def _draw_boxes(canvas: Canvas, ax: Axes, p: Lineage, graph: _Graph, k: float, at: Point) -> None:
    """Each paper's box in its line's colour, its name above its month."""
    from matplotlib.patches import FancyBboxPatch

    from ..drawing import line_colour

    theme, scale = canvas.theme, canvas.scale
    gap = PAD_Y * scale * k / 72
    names = {n.paper: n for n in p.nodes}
    for paper, box in graph.boxes.items():
        n = names[paper]
        colour = line_colour(n.line, theme.foreground)
        x, y = box.x + at[0], box.y + at[1]
        ax.add_patch(
            FancyBboxPatch(
                (x - box.width / 2, y - box.height / 2),
                box.width,
                box.height,
                boxstyle=f"round,pad=0,rounding_size={0.06 * scale * k:.4f}",
                facecolor=theme.background,
                edgecolor=colour,
                lw=1.8 * scale * k,
                zorder=3,
            )
        )
        for text, top, size, shade in (
            (n.name, True, LABEL_FONT, theme.foreground),
            (_month(n), False, DATE_FONT, theme.muted),
        ):
            ax.text(
                x,
                y + (box.height / 2 - gap) * (1 if top else -1),
                text,
                ha="center",
                va="top" if top else "bottom",
                fontsize=size * scale * k,
                color=shade,
                zorder=5,
            )


def draw(canvas: Canvas, p: Lineage) -> Figure:
    """The graph as dot laid it out, in the plot under the title and the lines' key."""
    from typing import cast

    if TYPE_CHECKING:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

    scale = canvas.scale
    fig = canvas.figure()
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call]
    fig_w, fig_h = fig.get_size_inches()
    side = 0.015 * fig_w
    top = fig_h - _key(canvas, fig, renderer, p) + KEY_GAP * scale
    bottom = BOTTOM_IN * scale
    room = (fig_w - 2 * side, fig_h - top - bottom)
    k, graph = _Layouts(p, fig, renderer, scale).best(room)
    ax = fig.add_axes((side / fig_w, bottom / fig_h, room[0] / fig_w, room[1] / fig_h))
    ax.set_xlim(0, room[0])
    ax.set_ylim(0, room[1])
    ax.set_axis_off()
    # dot fills the room; a graph smaller on one side is centred on it.
    at = ((room[0] - graph.width) / 2, (room[1] - graph.height) / 2)
    _draw_arrows(canvas, ax, graph, k, at)
    _draw_boxes(canvas, ax, p, graph, k, at)
    return fig


KIND = ChartKind(
    name="lineage",
    payload=Lineage,
    texts=frozenset({"paper", "idea"}),
    build=build,
    table=table,
    draw=draw,
    web_size=web_size,
)
