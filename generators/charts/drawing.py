"""Drawing helpers shared by the chart kinds.

Imports matplotlib: only the kinds' drawing functions import this module, inside the
function, so planning and the data tables never load matplotlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, cast

import matplotlib.dates as mdates
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator

from .style import LINE_COLOURS, Theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

Label = tuple[float, float, str, str]  # x, y, text, colour
Rect = tuple[float, float, float, float]  # left, bottom, width, height (figure fraction)

LANE_FONT = 14.0  # points (times the scale): the research lines' names at the lanes' left
LANE_NAME_WIDTH = 1.7  # inches: a longer research-line name is set on two lines

# Offsets (points) and alignments tried in turn for a point's label.
LABEL_OFFSETS = (
    (8, 6, "left", "bottom"),
    (8, -8, "left", "top"),
    (-8, 6, "right", "bottom"),
    (-8, -8, "right", "top"),
    (8, 18, "left", "bottom"),
    (8, -20, "left", "top"),
    (-8, 18, "right", "bottom"),
    (-8, -20, "right", "top"),
    (0, 12, "center", "bottom"),
    (0, -14, "center", "top"),
    (8, 32, "left", "bottom"),
    (-8, -34, "right", "top"),
)


def content_rect(
    fig: Figure, left: float, right: float, top_in: float = 0.95, bottom_in: float = 0.95
) -> Rect:
    """Axes rectangle leaving fixed room in inches for the title above and labels below."""
    _width, height = fig.get_size_inches()
    bottom = bottom_in / height
    top = 1 - top_in / height
    return (left, bottom, right - left, top - bottom)


def place_labels(fig: Figure, ax: Axes, items: Sequence[Label], scale: float) -> list[str]:
    """Label points without overlaps: try each offset, skip a label that fits nowhere.

    Returns the labels that could not be placed (they remain in the data table).
    """
    # Charts are drawn with Agg (style.py); its canvas keeps the renderer of the last draw.
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call]
    taken: list[Bbox] = []
    skipped = []
    axes_box = ax.get_window_extent(renderer)
    for x, y, label, colour in items:
        for dx, dy, ha, va in LABEL_OFFSETS:
            text = ax.annotate(
                label,
                (x, y),
                xytext=(dx * scale, dy * scale),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=12.5 * scale,
                color=colour,
            )
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
            text.remove()
        else:
            skipped.append(label)
    return skipped


def power_tick(value: float, _pos: object) -> str:
    """1e20 rather than mathtext (off, so "$" in data stays a dollar sign); the CJK fonts
    have no superscript digits, which the glyph check would rightly refuse."""
    if value <= 0:
        return ""
    exponent = np.log10(value)
    if abs(exponent - round(exponent)) < 1e-9:
        return f"1e{round(exponent)}"
    return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def params_tick(value: float, _pos: object) -> str:
    """A parameter count as 7B, 236B, 1.6T."""
    for factor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if value >= factor:
            return f"{value / factor:g}{suffix}"
    return f"{value:g}"


def log_axes(ax: Axes, *, x: bool = True, y: bool = True) -> None:
    """Power-of-ten tick labels on log axes."""
    if x:
        ax.xaxis.set_major_formatter(FuncFormatter(power_tick))
    if y:
        # 1, 2 and 5 in each decade: a narrow range (the learning rate) still gets labels.
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(power_tick))


def day_number(day: dt.date) -> float:
    """A date as matplotlib's x coordinate (matplotlib.dates is unannotated, hence the ignores)."""
    return cast(float, mdates.date2num(day))  # type: ignore[no-untyped-call]


def quarterly_dates(ax: Axes, months: Sequence[int] = (1, 4, 7, 10)) -> None:
    """A date x axis with a tick each quarter (or in each of *months*), labelled YYYY-MM."""
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=tuple(months)))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]


def line_colour(line: str, default: str) -> str:
    """The colour of a research line (*default* for a line without one)."""
    return LINE_COLOURS.get(line, default)


def lanes(
    ax: Axes, lines: Sequence[str], theme: Theme, scale: float, alpha: float
) -> dict[str, int]:
    """One horizontal lane per research line, the first line at the top; line id -> y."""
    lane = {line: i for i, line in enumerate(reversed(lines))}
    for line, i in lane.items():
        ax.axhline(i, color=line_colour(line, theme.muted), lw=2 * scale, alpha=alpha, zorder=1)
    return lane


def lane_labels(
    ax: Axes, lane: Mapping[str, float], names: Mapping[str, str], scale: float
) -> None:
    """Each lane's research line name at the left."""
    ax.set_yticks(list(lane.values()), [names[line] for line in lane])
    ax.tick_params(axis="y", length=0, labelsize=LANE_FONT * scale)


def text_size(fig: Figure, renderer: RendererBase, text: str, size: float) -> tuple[float, float]:
    """Width and height in pixels of *text* at font *size* (points)."""
    probe = fig.text(0, 0, text, fontsize=size)
    box = probe.get_window_extent(renderer)
    probe.remove()
    return box.width, box.height


def wrap_name(name: str, width: Callable[[str], float], limit: float) -> str:
    """*name* on two lines, split at the space that balances them, if wider than *limit*."""
    if width(name) <= limit or " " not in name:
        return name
    words = name.split(" ")
    first, rest = min(
        ((" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))),
        key=lambda pair: max(width(pair[0]), width(pair[1])),
    )
    return f"{first}\n{rest}"


def lane_names(
    fig: Figure, renderer: RendererBase, names: Mapping[str, str], scale: float
) -> tuple[dict[str, str], float]:
    """The research lines' names as `lane_labels` sets them (a long one on two lines), and
    the width in pixels of the widest line of them in the chart's font."""

    def wide(text: str) -> float:
        return max(
            text_size(fig, renderer, line, LANE_FONT * scale)[0] for line in text.split("\n")
        )

    limit = LANE_NAME_WIDTH * fig.dpi * scale
    wrapped = {line: wrap_name(name, wide, limit) for line, name in names.items()}
    return wrapped, max((wide(name) for name in wrapped.values()), default=0.0)


def lane_axes(
    fig: Figure,
    renderer: RendererBase,
    lines: Mapping[str, str],
    scale: float,
    *,
    gap: float,
    top_in: float,
) -> tuple[Axes, dict[str, str]]:
    """The plot of a chart with a lane per research line, its left edge *gap* points clear
    of the widest lane name (long ones on two lines, as returned), its right edge leaving
    room for a date label centred on the last tick; *top_in* inches above it."""
    width = fig.bbox.width
    names, widest = lane_names(fig, renderer, lines, scale)
    edge = 0.015 * width  # the title's and footnote's left margin
    left = edge + widest + gap * fig.dpi / 72 * scale
    right = edge + text_size(fig, renderer, "2000-00", LANE_FONT * scale)[0] / 2
    return fig.add_axes(content_rect(fig, left / width, 1 - right / width, top_in=top_in)), names
