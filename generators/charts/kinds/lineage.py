"""Papers on their research-line lanes over time; numbered arrows for the ideas carried forward.

The drawing is laid out in display space once the axes are final (`_layout`): each arrow is
a curve chosen to pass clear of the other papers' markers and apart from the other arrows;
its number sits on it, clear of markers, numbers and other arrows; every paper's name then
takes a place beside its marker, or further out joined to it by a dotted leader line, that
meets nothing else drawn and stays between the neighbouring lanes. Where a name finds no
such place, the arrows are routed again around one. No name is ever left out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import schema
from ...catalog import Catalog
from ..base import ChartData, ChartKind, Payload, Table, unique
from ..canvas import WEB_SIZE, Canvas
from ..language import Localize, Texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.transforms import Transform

Position = tuple[float, float]  # x (matplotlib date number), y (lane)
Point = tuple[float, float]  # display pixels
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels

# Sizes in points (times the canvas scale).
MARKER_AREA = {True: 170.0, False: 130.0}  # exact date: circle; month only: diamond of equal area
BADGE_RADIUS = 8.0
BADGE_FONT = 10.0
LABEL_FONT = 12.5
LANE_HEIGHT = 1.15  # inches per lane on a page
LANE_ROOM = 0.7  # lane spacings below the lowest lane and above the highest
DAYS_BEFORE, DAYS_AFTER = 40, 45  # beyond the first and the last paper
LOOP_CHORD = 40.0  # papers closer than this on one lane are joined by a loop (above, or below)
GAP = 4.0  # between a marker and the end of an arrow
STEP = 16.0  # an arrow is checked for meeting other things at points this far apart
CLEAR = 1.5  # free space kept around every name
BERTH = 10.0  # an arrow passes this far from the markers of other papers, leaving room for names
RUN = 6.0  # an arrow this close to another runs along it
SHARED = 30.0  # ... unless both arrows are this close to a paper they both start or end at
REPAIRS = 6  # times the arrows are routed again to make room for names
SEARCH_STEPS = 400  # places tried for the names before settling for the cheapest ones
POLISH = 3  # rounds of moving names to better free places once all are placed
OWN = 6.0  # a name is at least this much nearer its own marker than any other

# Curves tried in turn. Within a lane: how far the arc dips below (negative: rises above)
# the lane, in lane spacings, but never more than a quarter of its length. Across lanes:
# matplotlib's arc3 "rad", the control point's offset from the chord's middle.
SAME_LANE_DIPS = (0.3, 0.45, 0.2, 0.6, -0.3, -0.45, -0.2)
CROSS_LANE_BENDS = (0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0.0)
# Where along its arrow a number may sit (fraction of the curve's parameter).
BADGE_SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74)
# Places for a name, nearest first. Across: the share of the name left of the marker;
# right/left of it, above/below it: the gap in points; level: centred on the marker.
Side = tuple[str, float]
NEAR: tuple[tuple[Side, Side], ...] = (
    (("right", 8), ("above", 6)),
    (("right", 8), ("below", 8)),
    (("left", 8), ("above", 6)),
    (("left", 8), ("below", 8)),
    *(((("across", f), (v, 10)) for v in ("above", "below") for f in (0.5, 0.2, 0.8))),
    *(
        ((h, 8), (v, gap))
        for gap in (16, 26)
        for v in ("above", "below")
        for h in ("right", "left")
    ),
    *(
        (
            (("across", f), (v, gap))
            for gap in (20, 30)
            for v in ("above", "below")
            for f in (0.5, 0.2, 0.8)
        )
    ),
    (("right", 12), ("level", 0)),
    (("left", 12), ("level", 0)),
)
# Failing those, further out in these directions (degrees), joined by a leader line.
LEADER_DISTANCES = (30.0, 42.0, 56.0, 72.0, 90.0, 110.0)
LEADER_ANGLES = (45, 135, 225, 315, 90, 270, 0, 180, 22.5, 157.5, 202.5, 337.5, 67.5, 112.5)
# Costs of a place (or an arrow) that is not free: off the plot or over a marker; over a
# name, a number or a place kept for a name; passing near a marker; crossing an arrow.
# A name goes to its cheapest place if none is free.
OUTSIDE, COVERS, PASSES, CROSSES = 100, 10, 3, 1


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
    """Taller than the other charts on a page: room between the lanes for the arrows that
    cross them and for the papers' names."""
    return (WEB_SIZE[0], max(WEB_SIZE[1], LANE_HEIGHT * len(p.lines) + 2.4))


def table(p: Lineage, texts: Texts, localize: Localize) -> Table:
    """Number, earlier paper, later paper, and the idea."""
    names = {n.paper: n.name for n in p.nodes}
    head = ["#", texts.t("paper"), texts.t("paper"), texts.t("idea")]
    rows = [[str(e.number), names[e.source], names[e.target], localize(e.idea)] for e in p.edges]
    return head, rows


# --- Plane geometry in display pixels (pure Python) --------------------------------------


def _blossom(ctrl: Sequence[Point], ts: Sequence[float]) -> Point:
    """De Casteljau with one parameter per level: a point (all equal) or a sub-curve's control."""
    points = list(ctrl)
    for t in ts:
        points = [
            ((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1])
            for a, b in zip(points, points[1:], strict=False)
        ]
    return points[0]


def _at(ctrl: Sequence[Point], t: float) -> Point:
    return _blossom(ctrl, [t] * (len(ctrl) - 1))


def _piece(ctrl: Sequence[Point], a: float, b: float) -> list[Point]:
    """The control points of the part of a Bezier curve between parameters *a* and *b*."""
    n = len(ctrl) - 1
    return [_blossom(ctrl, [a] * (n - k) + [b] * k) for k in range(n + 1)]


def _distance(p: Point, q: Point) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def _leave(ctrl: Sequence[Point], centre: Point, radius: float, start: bool) -> float:
    """The parameter where the curve crosses the circle around its start (or end)."""
    inside, outside = (0.0, 0.5) if start else (1.0, 0.5)
    if _distance(_at(ctrl, outside), centre) <= radius:
        return outside
    for _ in range(40):
        middle = (inside + outside) / 2
        if _distance(_at(ctrl, middle), centre) < radius:
            inside = middle
        else:
            outside = middle
    return outside


def _polyline(ctrl: Sequence[Point], step: float) -> list[Point]:
    """Points along a Bezier curve, about *step* apart (its control polygon is longer than
    the curve), in 8 to 40 pieces."""
    length = sum(_distance(a, b) for a, b in zip(ctrl, ctrl[1:], strict=False))
    steps = min(40, max(8, math.ceil(length / step)))
    return [_at(ctrl, i / steps) for i in range(steps + 1)]


def _bounds(points: Iterable[Point]) -> Box:
    xs, ys = zip(*points, strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def _grown(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _boxes_meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_distance(box: Box, point: Point) -> float:
    nearest = (min(max(point[0], box[0]), box[2]), min(max(point[1], box[1]), box[3]))
    return _distance(point, nearest)


def _disc_meets_box(centre: Point, radius: float, box: Box) -> bool:
    if (
        box[0] - centre[0] >= radius
        or centre[0] - box[2] >= radius
        or box[1] - centre[1] >= radius
        or centre[1] - box[3] >= radius
    ):
        return False  # farther than the radius along one axis alone
    return _box_distance(box, centre) < radius


def _segment_meets_box(p: Point, q: Point, box: Box) -> bool:
    """Liang-Barsky: does the segment pq pass through the box?"""
    # Most segments lie wholly to one side of the box: rejected without the clipping.
    if (
        (p[0] < box[0] and q[0] < box[0])
        or (p[0] > box[2] and q[0] > box[2])
        or (p[1] < box[1] and q[1] < box[1])
        or (p[1] > box[3] and q[1] > box[3])
    ):
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for step, room in (
        (-dx, p[0] - box[0]),
        (dx, box[2] - p[0]),
        (-dy, p[1] - box[1]),
        (dy, box[3] - p[1]),
    ):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _segments_cross(a: tuple[Point, Point], b: tuple[Point, Point]) -> bool:
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    if (
        max(ax0, ax1) < min(bx0, bx1)
        or max(bx0, bx1) < min(ax0, ax1)
        or max(ay0, ay1) < min(by0, by1)
        or max(by0, by1) < min(ay0, ay1)
    ):
        return False  # apart along one axis: they cannot cross

    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return (side(*a, b[0]) > 0) != (side(*a, b[1]) > 0) and (side(*b, a[0]) > 0) != (
        side(*b, a[1]) > 0
    )


def _segment_distance(c: Point, p: Point, q: Point) -> float:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = dx * dx + dy * dy
    t = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((c[0] - p[0]) * dx + (c[1] - p[1]) * dy) / length))
    )
    return _distance(c, (p[0] + t * dx, p[1] + t * dy))


@dataclass(frozen=True)
class _Line:
    """A polyline (an arrow or a leader) with its bounding box, for quick rejection."""

    points: tuple[Point, ...]
    bounds: Box

    @classmethod
    def of(cls, points: Sequence[Point]) -> _Line:
        return cls(tuple(points), _bounds(points))

    def meets_box(self, box: Box) -> bool:
        if not _boxes_meet(self.bounds, box):
            return False
        return any(
            _segment_meets_box(p, q, box)
            for p, q in zip(self.points, self.points[1:], strict=False)
        )

    def near(self, c: Point, within: float) -> bool:
        """Is the point *c* less than *within* from the line?"""
        b = self.bounds
        if not (b[0] - within < c[0] < b[2] + within and b[1] - within < c[1] < b[3] + within):
            return False
        return any(
            _segment_distance(c, p, q) < within
            for p, q in zip(self.points, self.points[1:], strict=False)
        )


def _ends(line: _Line) -> tuple[Point, Point]:
    return line.points[0], line.points[-1]


@dataclass(frozen=True)
class _Disc:
    centre: Point
    radius: float


# --- Layout -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Scene:
    """Where everything fixed is, in display pixels: what the layout works around."""

    centre: Mapping[str, Point]  # paper -> its marker's centre
    radius: Mapping[str, float]  # paper -> its marker's radius
    band: Mapping[str, tuple[float, float]]  # paper -> the lanes below and above its own
    spacing: float  # between two lanes
    size: Mapping[str, tuple[float, float]]  # paper -> width and height of its name
    area: Box  # the plot
    pt: float  # pixels per (scaled) point

    @property
    def markers(self) -> list[_Disc]:
        return [_Disc(self.centre[paper], self.radius[paper]) for paper in self.centre]


_RouteKey = tuple[int, int]  # edge number, rank of the curve


@dataclass(frozen=True)
class _Route:
    ctrl: tuple[Point, ...]  # Bezier control points, display pixels, ends trimmed
    line: _Line
    key: _RouteKey


@dataclass(frozen=True)
class _Place:
    """Where a paper's name goes: its anchor and alignment, and a leader line or none."""

    dx: float  # the anchor's offset from the marker, in points at scale 1
    dy: float
    ha: str
    va: str
    box: Box  # with the clearance around the text
    leader: _Line | None
    rank: int  # 0 beside the marker; further out with a leader, 1, 2, ...


def _curves(p0: Point, p1: Point, same_lane: bool, scene: _Scene) -> list[list[Point]]:
    """Candidate Bezier curves from *p0* to *p1*, in order of preference."""
    pt = scene.pt
    if same_lane and abs(p1[0] - p0[0]) < LOOP_CHORD * pt:
        side = 1.0 if p1[0] >= p0[0] else -1.0
        reach, rise = 14 * pt, 42 * pt
        return [
            [p0, (p0[0] - side * reach, p0[1] + lift), (p1[0] + side * reach, p1[1] + lift), p1]
            for lift in (rise, -rise)
        ]
    middle = ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2)
    if same_lane:
        chord = abs(p1[0] - p0[0])
        depths = [
            math.copysign(min(abs(dip) * scene.spacing, chord / 4), dip) for dip in SAME_LANE_DIPS
        ]
        # A quadratic curve goes half way to its control point.
        return [[p0, (middle[0], middle[1] - 2 * depth), p1] for depth in depths]
    return [
        [p0, (middle[0] + rad * (p1[1] - p0[1]), middle[1] - rad * (p1[0] - p0[0])), p1]
        for rad in CROSS_LANE_BENDS
    ]


class _Router:
    """Each arrow's curve: clear of the other papers' markers, and apart from earlier arrows.

    A candidate costs much for every marker it passes over, less for one it passes near
    and for every box kept for names it crosses, for every stretch that runs along an
    arrow already routed (away from a paper both arrows meet at), and a little for its
    rank. The arrows are routed again with other boxes to keep clear of, and most repairs
    route most arrows as before: what does not depend on the boxes (the candidate curves,
    the markers they pass, how far two candidates run along each other) is worked out once.
    """

    def __init__(self, edges: Sequence[LineageEdge], scene: _Scene) -> None:
        self.edges, self.scene = edges, scene
        self.ends = {e.number: (e.source, e.target) for e in edges}
        self.candidates = {e.number: self._candidates(e) for e in edges}
        self.runs: dict[tuple[_RouteKey, _RouteKey], int] = {}

    def _candidates(self, e: LineageEdge) -> list[tuple[int, _Route]]:
        """The curves tried for an edge, each with its rank plus what the markers cost it."""
        centre, radius, pt = self.scene.centre, self.scene.radius, self.scene.pt
        p0, p1 = centre[e.source], centre[e.target]
        out = []
        for rank, curve in enumerate(_curves(p0, p1, p0[1] == p1[1], self.scene)):
            a = _leave(curve, p0, radius[e.source] + GAP * pt, start=True)
            b = _leave(curve, p1, radius[e.target] + GAP * pt, start=False)
            ctrl = _piece(curve, a, b)
            line = _Line.of(_polyline(ctrl, STEP * pt))
            cost = rank + sum(
                OUTSIDE if line.near(c, radius[paper] + 2 * pt) else PASSES
                for paper, c in centre.items()
                if paper not in (e.source, e.target) and line.near(c, radius[paper] + BERTH * pt)
            )
            out.append((cost, _Route(tuple(ctrl), line, (e.number, rank))))
        return out

    def _run(self, route: _Route, other: _Route) -> int:
        """The cost of *route* running along *other*."""
        key = (route.key, other.key)
        if key not in self.runs:
            pt, centre = self.scene.pt, self.scene.centre
            cost = 0
            if _boxes_meet(_grown(route.line.bounds, RUN * pt), other.line.bounds):
                ends = set(self.ends[route.key[0]]) & set(self.ends[other.key[0]])
                shared = [centre[q] for q in ends]
                cost = CROSSES * sum(
                    other.line.near(q, RUN * pt)
                    for q in route.line.points
                    if all(_distance(q, c) > SHARED * pt for c in shared)
                )
            self.runs[key] = cost
        return self.runs[key]

    def route(self, avoid: Sequence[Box]) -> dict[int, _Route]:
        """The arrows, in data order, each keeping clear of the boxes in *avoid*."""
        routes: dict[int, _Route] = {}
        for e in self.edges:
            best: tuple[int, _Route] | None = None
            for cost, candidate in self.candidates[e.number]:
                cost += COVERS * sum(candidate.line.meets_box(box) for box in avoid)
                cost += sum(self._run(candidate, other) for other in routes.values())
                if best is None or cost < best[0]:
                    best = (cost, candidate)
            assert best is not None
            routes[e.number] = best[1]
        return routes


def _badges(routes: Mapping[int, _Route], scene: _Scene) -> dict[int, Point]:
    """Each number's spot on its arrow: inside the plot, clear of markers (a number beside
    a paper would seem to belong to it) and of other numbers, and off other arrows."""
    r, area, markers = BADGE_RADIUS * scene.pt, scene.area, scene.markers
    spots: dict[int, Point] = {}
    for number, route in routes.items():
        best: tuple[int, Point] | None = None
        for t in BADGE_SPOTS:
            c = _at(route.ctrl, t)
            inside = area[0] + r <= c[0] <= area[2] - r and area[1] + r <= c[1] <= area[3] - r
            cost = (
                (0 if inside else OUTSIDE)
                + COVERS
                * sum(_distance(c, m.centre) < m.radius + r + BERTH / 2 * scene.pt for m in markers)
                + COVERS * sum(_distance(c, s) < 2 * r + scene.pt for s in spots.values())
                + CROSSES * sum(other.line.near(c, r) for n, other in routes.items() if n != number)
            )
            if best is None or cost < best[0]:
                best = (cost, c)
            if cost == 0:
                break
        assert best is not None
        spots[number] = best[1]
    return spots


def _candidates(paper: str, scene: _Scene) -> list[_Place]:
    """Every place tried for a paper's name: beside its marker, then further out."""
    centre, reach, pt = scene.centre[paper], scene.radius[paper], scene.pt
    width, height = scene.size[paper]
    anchor = {"right": "left", "left": "right", "across": "center"}
    anchor_v = {"above": "bottom", "below": "top", "level": "center"}
    share = {"left": 0.0, "center": 0.5, "right": 1.0, "bottom": 0.0, "top": 1.0}

    def place(origin: Point, h: Side, v: Side, rank: int) -> _Place:
        x0 = {
            "right": origin[0] + h[1] * pt,
            "left": origin[0] - h[1] * pt - width,
            "across": origin[0] - h[1] * width,
        }[h[0]]
        y0 = {
            "above": origin[1] + v[1] * pt,
            "below": origin[1] - v[1] * pt - height,
            "level": origin[1] - height / 2,
        }[v[0]]
        ha, va = anchor[h[0]], anchor_v[v[0]]
        # The text's anchor, as an offset in points from the marker.
        dx = (x0 + share[ha] * width - centre[0]) / pt
        dy = (y0 + share[va] * height - centre[1]) / pt
        pad = CLEAR * pt
        box = (x0 - pad, y0 - pad, x0 + width + pad, y0 + height + pad)
        line = None
        if rank:
            # From just outside the marker to just short of the name.
            length = _distance(origin, centre)
            ux, uy = (origin[0] - centre[0]) / length, (origin[1] - centre[1]) / length
            start = (centre[0] + ux * (reach + pt), centre[1] + uy * (reach + pt))
            line = _Line.of((start, (origin[0] - ux * 2 * pt, origin[1] - uy * 2 * pt)))
        return _Place(dx, dy, ha, va, box, line, rank)

    places = [place(centre, h, v, 0) for h, v in NEAR]
    for rank, distance in enumerate(LEADER_DISTANCES, start=1):
        for angle in LEADER_ANGLES:
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            origin = (centre[0] + distance * pt * cos, centre[1] + distance * pt * sin)
            h = ("right", 0.0) if cos > 0.38 else ("left", 0.0) if cos < -0.38 else ("across", 0.5)
            v = ("above", 0.0) if sin > 0.38 else ("below", 0.0) if sin < -0.38 else ("level", 0.0)
            places.append(place(origin, h, v, rank))
    return places


def _settled(paper: str, scene: _Scene) -> list[tuple[int, _Place]]:
    """The places tried for a paper's name, each with the cost of what it meets that is
    there from the start: the plot's edge, the lanes, the markers."""
    centre, radius, pt, area = scene.centre, scene.radius, scene.pt, scene.area
    below, above = scene.band[paper]
    options = []
    for place in _candidates(paper, scene):
        box = place.box
        inside = area[0] <= box[0] and area[1] <= box[1] and box[2] <= area[2] and box[3] <= area[3]
        cost = 0 if inside else OUTSIDE
        # Between the lanes on either side of its own; further out, not on its own either.
        cost += COVERS * (not below < box[1] < box[3] < above)
        cost += COVERS * (place.rank > 0 and box[1] < centre[paper][1] < box[3])
        cost += COVERS * sum(_disc_meets_box(m.centre, m.radius, box) for m in scene.markers)
        # Nearer its own marker than any other, so that it is read as that paper's name;
        # a name with a leader line is shown its marker, but keeps clear of the others.
        own = 0.0 if place.leader else _box_distance(box, centre[paper]) - radius[paper]
        cost += COVERS * sum(
            _box_distance(box, c) - radius[q] < own + OWN * pt
            for q, c in centre.items()
            if q != paper
        )
        if place.leader:
            cost += COVERS * sum(
                q != paper and place.leader.near(c, radius[q]) for q, c in centre.items()
            )
        options.append((cost, place))
    return options


@dataclass(frozen=True, kw_only=True)
class _Naming:
    places: dict[str, _Place]  # paper -> its name's place
    stuck: list[str]  # papers whose name could not be placed free of everything
    wishes: dict[str, Box]  # paper -> a better place for its name, if the arrows moved

    @property
    def score(self) -> tuple[int, int]:
        """Lower is better: names not free, then how far out the names are."""
        return len(self.stuck), sum(place.rank for place in self.places.values())


class _Marks:
    """What the arrows and their numbers cost each place of every name.

    The places and what is there from the start (*settled*) are the same in every repair,
    and a repair routes most arrows as before: what one arrow or one number costs the
    places is worked out once for each.
    """

    def __init__(self, settled: Mapping[str, list[tuple[int, _Place]]], badge: float) -> None:
        self.settled, self.badge = settled, badge  # badge: a number's radius
        self.arrows: dict[_RouteKey, dict[str, tuple[list[int], list[int]]]] = {}
        self.numbers: dict[Point, dict[str, list[int]]] = {}

    def _arrow(self, route: _Route) -> dict[str, tuple[list[int], list[int]]]:
        """For each place: what the arrow costs it, and how often its leader crosses it."""
        if route.key not in self.arrows:
            arrow = route.line
            segments = list(zip(arrow.points, arrow.points[1:], strict=False))

            def crossed(place: _Place) -> int:
                leader = place.leader
                if leader is None or not _boxes_meet(arrow.bounds, leader.bounds):
                    return 0
                return any(_segments_cross(_ends(leader), pq) for pq in segments)

            self.arrows[route.key] = {
                paper: (
                    [CROSSES * arrow.meets_box(place.box) for _, place in options],
                    [crossed(place) for _, place in options],
                )
                for paper, options in self.settled.items()
            }
        return self.arrows[route.key]

    def _number(self, centre: Point) -> dict[str, list[int]]:
        """For each place: what a number here costs it (its name or its leader over it)."""
        if centre not in self.numbers:
            r = self.badge

            def cost(place: _Place) -> int:
                over = COVERS * _disc_meets_box(centre, r, place.box)
                return over + COVERS * bool(place.leader and place.leader.near(centre, r))

            self.numbers[centre] = {
                paper: [cost(place) for _, place in options]
                for paper, options in self.settled.items()
            }
        return self.numbers[centre]

    def options(
        self, routes: Iterable[_Route], badges: Iterable[Point]
    ) -> dict[str, list[tuple[int, _Place]]]:
        """Each paper's places with their costs, nearer first; of two leader lines, one
        that crosses no arrow first."""
        arrows = [self._arrow(route) for route in routes]
        numbers = [self._number(centre) for centre in badges]
        out = {}
        for paper, settled in self.settled.items():
            costs = [cost for cost, _ in settled]
            crossings = [0] * len(settled)
            for arrow in arrows:
                met, crossed = arrow[paper]
                costs = [a + b for a, b in zip(costs, met, strict=True)]
                crossings = [a + b for a, b in zip(crossings, crossed, strict=True)]
            for number in numbers:
                costs = [a + b for a, b in zip(costs, number[paper], strict=True)]
            preference = [
                place.rank + 2 * n if place.leader else 0
                for (_, place), n in zip(settled, crossings, strict=True)
            ]
            order = sorted(range(len(settled)), key=preference.__getitem__)
            out[paper] = [(costs[i], settled[i][1]) for i in order]
        return out


def _clashes(place: _Place, placed: Mapping[str, _Place]) -> int:
    """The cost of what the place meets among the names (and leaders) *placed*."""
    cost = 0
    for other in placed.values():
        cost += COVERS * _boxes_meet(place.box, other.box)
        if other.leader:
            cost += COVERS * other.leader.meets_box(place.box)
        if place.leader:
            cost += COVERS * place.leader.meets_box(other.box)
            if other.leader:
                cost += COVERS * _segments_cross(_ends(place.leader), _ends(other.leader))
    return cost


class _NamePlaces:
    """The names' places as they are chosen: a search for a layout with every name free,
    or, failing that, each name in its cheapest place."""

    def __init__(
        self, nodes: Sequence[LineageNode], options: Mapping[str, list[tuple[int, _Place]]]
    ) -> None:
        self.options = options
        self.order = [n.paper for n in sorted(nodes, key=lambda n: n.date)]  # oldest first
        self.chosen: dict[str, _Place] = {}
        self.budget = SEARCH_STEPS

    def free(self, paper: str) -> list[_Place]:
        """The paper's places that meet nothing drawn and no name chosen so far."""
        return [
            place
            for cost, place in self.options[paper]
            if cost == 0 and not _clashes(place, self.chosen)
        ]

    def search(self) -> bool:
        """Depth first, the paper with the fewest free places next; False when stuck."""
        left = [paper for paper in self.order if paper not in self.chosen]
        if not left:
            return True
        self.budget -= 1
        if self.budget < 0:
            return False
        spaces = {paper: self.free(paper) for paper in left}
        paper = min(left, key=lambda q: len(spaces[q]))
        for place in spaces[paper]:
            self.chosen[paper] = place
            if self.search():
                return True
            del self.chosen[paper]
        return False

    def polish(self) -> None:
        """The search takes the first layout it finds: move each name, while any can, to
        the most preferred place that is free given the others."""
        for _ in range(POLISH):
            moved = False
            for paper in self.order:
                place = self.chosen.pop(paper)
                self.chosen[paper] = self.free(paper)[0]
                moved = moved or self.chosen[paper] is not place
            if not moved:
                break

    def cheapest(self) -> list[str]:
        """No layout with every name free: one by one, each name in its cheapest place (a
        name is never left out). The papers whose name is not free."""
        stuck = []
        order = self.order
        for paper in sorted(order, key=lambda q: (len(self.free(q)), order.index(q))):
            cost, self.chosen[paper] = min(
                (
                    (cost + _clashes(place, self.chosen), place)
                    for cost, place in self.options[paper]
                ),
                key=lambda option: option[0],
            )
            if cost:
                stuck.append(paper)
        return stuck


def _names(
    nodes: Sequence[LineageNode],
    options: Mapping[str, list[tuple[int, _Place]]],
    tried: Sequence[Box],
) -> _Naming:
    """A place for every name, free of everything else if at all possible. *options*: each
    paper's places with what is drawn there, in order of preference."""
    places = _NamePlaces(nodes, options)
    stuck: list[str] = []
    if places.search():
        places.polish()
    else:
        stuck = places.cheapest()
    wishes = _wishes(places.chosen, options, stuck or places.order, bool(stuck), tried)
    return _Naming(places=places.chosen, stuck=stuck, wishes=wishes)


def _wishes(
    chosen: Mapping[str, _Place],
    options: Mapping[str, list[tuple[int, _Place]]],
    papers: Sequence[str],
    stuck: bool,
    tried: Sequence[Box],
) -> dict[str, Box]:
    """Where the names of *papers* (those not free, or if all are, every one) would rather
    be: the first place that only arrows keep them from, nearer than their own unless
    some are *stuck*, and not *tried* already."""
    wishes = {}
    for paper in papers:
        others = {q: place for q, place in chosen.items() if q != paper}
        wish = next(
            (
                option.box
                for cost, option in options[paper]
                if (stuck or option.rank < chosen[paper].rank)
                and cost + _clashes(option, others) < COVERS
                and option.box not in tried
            ),
            None,
        )
        if wish is not None:
            wishes[paper] = wish
    return wishes


@dataclass(frozen=True)
class _Layout:
    routes: dict[int, _Route]  # edge number -> arrow
    badges: dict[int, Point]  # edge number -> centre of its number
    names: _Naming


def _layout(p: Lineage, scene: _Scene) -> _Layout:
    """Arrows, numbers and names. Where a name is not free or is far from its marker, the
    arrows are routed again around a place it would rather have, a few times over; the
    best layout is kept."""
    settled = {n.paper: _settled(n.paper, scene) for n in p.nodes}
    router, marks = _Router(p.edges, scene), _Marks(settled, BADGE_RADIUS * scene.pt)
    avoid: list[Box] = []
    tried: list[Box] = []
    best: _Layout | None = None
    for _ in range(REPAIRS + 1):
        routes = router.route(avoid)
        badges = _badges(routes, scene)
        names = _names(p.nodes, marks.options(routes.values(), badges.values()), tried)
        if best is None or names.score < best.names.score:
            best = _Layout(routes, badges, names)
        if not names.wishes:
            break
        # Routed around the latest wishes only; a wish once tried is not made again.
        avoid = list(names.wishes.values())
        tried += avoid
    assert best is not None
    return best


# --- Drawing ----------------------------------------------------------------------------


def _legend(canvas: Canvas, fig: Figure) -> None:
    """What the two marker shapes mean, at the top right."""
    from matplotlib.lines import Line2D

    theme, scale = canvas.theme, canvas.scale
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o" if exact else "D",
            markersize=math.sqrt(MARKER_AREA[exact]) * scale,
            color=theme.muted,
            markeredgecolor=theme.background,
        )
        for exact in (True, False)
    ]
    fig.legend(
        handles,
        [canvas.t("exact_date"), canvas.t("month_only")],
        loc="upper right",
        bbox_to_anchor=(0.985, 0.985),
        ncol=2,
        fontsize=12.5 * scale,
        handletextpad=0.3,
        columnspacing=1.2,
        borderaxespad=0,
    )


def _plot(
    canvas: Canvas, fig: Figure, renderer: RendererBase, p: Lineage
) -> tuple[Axes, dict[str, int], dict[str, Position]]:
    """The axes with their lanes, named, and final limits; each paper's marker position."""
    from ..drawing import day_number, lane_axes, lane_labels, lanes, quarterly_dates

    ax, names = lane_axes(fig, renderer, canvas.lines, canvas.scale, gap=8, top_in=0.9)
    lane = lanes(ax, p.lines, canvas.theme, canvas.scale, alpha=0.25)
    position = {n.paper: (day_number(n.date), float(lane[n.line])) for n in p.nodes}
    xs = [x for x, _ in position.values()]
    ax.set_ylim(-LANE_ROOM, len(lane) - 1 + LANE_ROOM)
    ax.set_xlim(min(xs) - DAYS_BEFORE, max(xs) + DAYS_AFTER)
    lane_labels(ax, lane, names, canvas.scale)
    quarterly_dates(ax)
    ax.grid(axis="y", visible=False)
    return ax, lane, position


def _scene(
    canvas: Canvas,
    fig: Figure,
    renderer: RendererBase,
    ax: Axes,
    p: Lineage,
    lane: Mapping[str, int],
    position: Mapping[str, Position],
) -> _Scene:
    """What the layout works around, measured in display space (the limits are final)."""
    from ..drawing import text_size

    scale = canvas.scale
    pt = fig.dpi / 72 * scale  # pixels per (scaled) point
    to_display = ax.transData.transform
    lane_y = [float(to_display((0, i))[1]) for i in range(-1, len(lane) + 1)]
    box = ax.get_window_extent(renderer)
    return _Scene(
        centre={
            n.paper: (float(x), float(y))
            for n, (x, y) in zip(
                p.nodes, to_display([position[n.paper] for n in p.nodes]), strict=True
            )
        },
        radius={
            n.paper: (math.sqrt(MARKER_AREA[n.exact]) / (2 if n.exact else math.sqrt(2)) + 0.5) * pt
            for n in p.nodes
        },
        # Lane i lies at y = i; one spacing past the first and last lanes is off the plot.
        band={n.paper: (lane_y[lane[n.line]], lane_y[lane[n.line] + 2]) for n in p.nodes},
        spacing=lane_y[1] - lane_y[0],
        size={n.paper: text_size(fig, renderer, n.name, LABEL_FONT * scale) for n in p.nodes},
        area=(box.x0, box.y0, box.x1, box.y1),
        pt=pt,
    )


def _draw_arrows(canvas: Canvas, ax: Axes, to_data: Transform, routes: Iterable[_Route]) -> None:
    """Each idea's arrow along the curve the layout chose for it."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    codes = {3: [Path.MOVETO, Path.CURVE3, Path.CURVE3], 4: [Path.MOVETO, *[Path.CURVE4] * 3]}
    for route in routes:
        path = Path(to_data.transform(list(route.ctrl)), codes[len(route.ctrl)])
        arrow = FancyArrowPatch(
            path=path,
            arrowstyle="-|>",
            mutation_scale=14 * canvas.scale,
            color=canvas.theme.muted,
            lw=1.3 * canvas.scale,
            alpha=0.85,
            zorder=2,
        )
        ax.add_patch(arrow)


def _draw_numbers(
    canvas: Canvas, ax: Axes, to_data: Transform, badges: Mapping[int, Point]
) -> None:
    """Each arrow's number in a disc on it, in one collection."""
    theme, scale = canvas.theme, canvas.scale
    numbers = list(badges)
    badge_xy = to_data.transform([badges[n] for n in numbers])
    ax.scatter(
        badge_xy[:, 0],
        badge_xy[:, 1],
        s=(2 * BADGE_RADIUS * scale) ** 2,
        color=theme.muted,
        linewidths=0,
        zorder=4,
    )
    for number, (x, y) in zip(numbers, badge_xy, strict=True):
        ax.text(
            x,
            y,
            str(number),
            ha="center",
            va="center_baseline",
            fontsize=BADGE_FONT * scale,
            color=theme.background,
            zorder=5,
        )


def _draw_markers(canvas: Canvas, ax: Axes, p: Lineage, position: Mapping[str, Position]) -> None:
    """The papers' markers: one collection per colour and shape."""
    from ..drawing import line_colour

    theme, scale = canvas.theme, canvas.scale
    groups: dict[tuple[str, bool], list[Position]] = {}
    for n in p.nodes:
        groups.setdefault((n.line, n.exact), []).append(position[n.paper])
    for (line, exact), points in groups.items():
        ax.scatter(
            [x for x, _ in points],
            [y for _, y in points],
            s=MARKER_AREA[exact] * scale**2,
            color=line_colour(line, theme.foreground),
            zorder=3,
            edgecolors=theme.background,
            marker="o" if exact else "D",
        )


def _draw_names(
    canvas: Canvas,
    ax: Axes,
    to_data: Transform,
    p: Lineage,
    position: Mapping[str, Position],
    places: Mapping[str, _Place],
) -> None:
    """Every paper's name in its place, joined to its marker by a leader if it has one."""
    theme, scale = canvas.theme, canvas.scale
    for n in p.nodes:
        place = places[n.paper]
        ax.annotate(
            n.name,
            position[n.paper],
            xytext=(place.dx * scale, place.dy * scale),
            textcoords="offset points",
            ha=place.ha,
            va=place.va,
            fontsize=LABEL_FONT * scale,
            color=theme.foreground,
            zorder=5,
        )
        if place.leader:
            (x0, y0), (x1, y1) = to_data.transform(list(place.leader.points))
            # Dotted, so that it is not taken for an arrow.
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=theme.muted,
                lw=1.0 * scale,
                linestyle=(0, (1, 1.5)),
                zorder=2,
            )


def draw(canvas: Canvas, p: Lineage) -> Figure:
    """Lanes, arrows and their numbers, markers, then every paper's name in a free place."""
    from typing import cast

    if TYPE_CHECKING:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = canvas.figure()
    # Charts are drawn with Agg (style.py); its canvas makes a renderer for measuring text.
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call]
    ax, lane, position = _plot(canvas, fig, renderer, p)
    # Back from display space, now that the limits are final (the inverse is a snapshot).
    to_data = ax.transData.inverted()
    layout = _layout(p, _scene(canvas, fig, renderer, ax, p, lane, position))
    _draw_arrows(canvas, ax, to_data, layout.routes.values())
    _draw_numbers(canvas, ax, to_data, layout.badges)
    _draw_markers(canvas, ax, p, position)
    _draw_names(canvas, ax, to_data, p, position, layout.names.places)
    _legend(canvas, fig)
    return fig


KIND = ChartKind(
    name="lineage",
    payload=Lineage,
    texts=frozenset({"paper", "idea", "exact_date", "month_only"}),
    build=build,
    table=table,
    draw=draw,
    web_size=web_size,
)
