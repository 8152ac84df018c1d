"""A chart as a slide program's own, editable chart: a neutral description, no pptx.

A kind that maps onto a bar, column or XY-scatter chart describes itself with these
types (its optional ``native`` function, from its payload and its texts in one
language); the deck writer (`generators/slides/native.py`) turns the description into
a PowerPoint chart. Numbers come from the payload, words from the kind's `Texts`, so
the native chart says what the drawing says.

A colour is ``"#RRGGBB"`` or the name of a theme colour (`ROLES`), which the writer
resolves for the deck's light or dark background.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Colour = str
ROLES = frozenset({"foreground", "muted", "grid", "baseline", "background"})
Marker = Literal["circle", "square", "diamond", "triangle", "none"]
LabelPlace = Literal["right", "above", "below"]

# Spreadsheet date serial numbers count days from 1899-12-30 (the 1900 date system).
_SERIAL_ORIGIN = dt.date(1899, 12, 30)
_QUARTER_DAYS = 365.25 / 4


@dataclass(frozen=True, kw_only=True)
class Axis:
    """One value axis: its title, scale and tick labels."""

    title: str = ""
    log: bool = False  # base-10 logarithmic scale
    number_format: str | None = None  # spreadsheet number format of the tick labels
    minimum: float | None = None
    maximum: float | None = None
    major_unit: float | None = None
    labels: bool = True  # tick labels shown
    gridlines: bool = True


@dataclass(frozen=True, kw_only=True)
class BarSeries:
    """One series of a bar chart: a value per category, a fill per value."""

    name: str
    values: tuple[float, ...]
    colours: tuple[Colour, ...]  # one per value


@dataclass(frozen=True, kw_only=True)
class BarPanel:
    """Bars by category: horizontal (first category at the top) or vertical."""

    horizontal: bool
    categories: tuple[str, ...]
    series: tuple[BarSeries, ...]
    value_axis: Axis
    value_format: str | None = None  # number format of a label on each bar; None: no labels
    title: str = ""
    legend: bool = False


@dataclass(frozen=True, kw_only=True)
class XYSeries:
    """Points (x, y), as markers, joined by a line, or both."""

    name: str
    points: tuple[tuple[float, float], ...]
    colour: Colour
    marker: Marker = "circle"
    hollow: bool = False  # marker outlined, filled with the background
    line: Literal["none", "solid", "dashed"] = "none"
    labels: tuple[str, ...] = ()  # a label per point ("" for none); empty: no labels
    label_places: tuple[LabelPlace, ...] = ()  # where each label goes; empty: all right
    point_colours: tuple[Colour, ...] = ()  # a marker colour per point; empty: `colour`
    point_markers: tuple[Marker, ...] = ()  # a marker per point; empty: `marker`


@dataclass(frozen=True, kw_only=True)
class ScatterPanel:
    """An XY scatter chart."""

    series: tuple[XYSeries, ...]
    x_axis: Axis
    y_axis: Axis
    title: str = ""
    legend: bool = True


Panel = BarPanel | ScatterPanel


@dataclass(frozen=True, kw_only=True)
class KeyEntry:
    """A coloured symbol and its meaning, in a key above the chart (what a legend cannot show)."""

    symbol: str
    text: str
    colour: Colour


@dataclass(frozen=True, kw_only=True)
class NativeChart:
    """One slide's chart: one or more panels side by side, and an optional key."""

    panels: tuple[Panel, ...]
    key: tuple[KeyEntry, ...] = ()
    widths: tuple[float, ...] = ()  # relative panel widths; empty: equal


def serial_date(day: dt.date) -> float:
    """*day* as a spreadsheet date number (shown as a date by a date number format)."""
    return float((day - _SERIAL_ORIGIN).days)


def quarterly_axis(first: dt.date, last: dt.date, title: str = "") -> Axis:
    """A date axis from the quarter holding *first* past *last*, a tick per quarter.

    A quarter is 91.3 days on the axis; starting two days into a quarter keeps every
    tick within the first days of a quarter's first month, so each reads as that month.
    """
    start = dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    minimum = serial_date(start) + 2
    quarters = math.ceil((serial_date(last) - minimum) / _QUARTER_DAYS)
    return Axis(
        title=title,
        number_format="yyyy-mm",
        minimum=minimum,
        maximum=minimum + max(1, quarters) * _QUARTER_DAYS,
        major_unit=_QUARTER_DAYS,
    )


def log_points(low: float, high: float, count: int = 9) -> tuple[float, ...]:
    """*count* values evenly spaced in log scale from *low* to *high*: where a fitted
    power law is sampled (a straight line on log axes, so a few points draw it exactly)."""
    step = (math.log10(high) - math.log10(low)) / (count - 1)
    return tuple(10 ** (math.log10(low) + i * step) for i in range(count))


def decades(low: float, high: float) -> tuple[float, float]:
    """The powers of ten around *low* and *high*: a log axis's ends, ticks at each decade."""
    return 10 ** math.floor(math.log10(low)), 10 ** math.ceil(math.log10(high))


def sparse_labels(
    items: Sequence[tuple[tuple[float, float], str]], *, x_room: float, y_room: float
) -> tuple[str, ...]:
    """Point labels on log-log axes, each kept unless it would crowd one kept before it.

    A label sits to the right of its point; it crowds another when their points are
    closer than *x_room* decades across and *y_room* decades up or down. Earlier items
    have priority; a dropped label is "" (the point stays, and the notes list it).
    """
    kept: list[tuple[float, float]] = []
    out: list[str] = []
    for (x, y), text in items:
        lx, ly = math.log10(x), math.log10(y)
        crowded = any(abs(lx - kx) < x_room and abs(ly - ky) < y_room for kx, ky in kept)
        out.append("" if crowded or not text else text)
        if text and not crowded:
            kept.append((lx, ly))
    return tuple(out)
