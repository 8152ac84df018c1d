"""A `NativeChart` (charts/native.py) as PowerPoint charts, through python-pptx's chart API.

Panels become charts side by side in the slide's chart area. Two things python-pptx
has no property for are set through its oxml element API, on elements it made: a
logarithmic axis (`c:logBase` as the first child of the axis's `c:scaling`), and the
East Asian typeface of the chart's text (`style.east_asian`). A chart's embedded
workbook (which makes it editable in PowerPoint) is written with a fixed creation
date, so the deck's bytes depend on its data only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pptx.chart.axis import _BaseAxis
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.chart.xlsx import CategoryWorkbookWriter, XyWorkbookWriter
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from ..charts.native import Axis, BarPanel, Marker, NativeChart, ScatterPanel, XYSeries
from .style import Style

Box = tuple[int, int, int, int]  # left, top, width, height (EMU)

MARKERS = {
    "circle": XL_MARKER_STYLE.CIRCLE,
    "square": XL_MARKER_STYLE.SQUARE,
    "diamond": XL_MARKER_STYLE.DIAMOND,
    "triangle": XL_MARKER_STYLE.TRIANGLE,
    "none": XL_MARKER_STYLE.NONE,
}
LABEL_PLACES = {
    "right": XL_LABEL_POSITION.RIGHT,
    "above": XL_LABEL_POSITION.ABOVE,
    "below": XL_LABEL_POSITION.BELOW,
}
TEXT_SIZE = 12  # points: the charts' tick labels, legends and data labels
GAP = Emu(228600)  # between panels: 0.25 in
WORKBOOK_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


# --- Embedded workbooks with a fixed creation date --------------------------------------


class _CategoryWriter(CategoryWorkbookWriter):  # type: ignore[misc]
    def _populate_worksheet(self, workbook: Any, worksheet: Any) -> None:
        workbook.set_properties({"created": WORKBOOK_CREATED})
        super()._populate_worksheet(workbook, worksheet)


class _XyWriter(XyWorkbookWriter):  # type: ignore[misc]
    def _populate_worksheet(self, workbook: Any, worksheet: Any) -> None:
        workbook.set_properties({"created": WORKBOOK_CREATED})
        super()._populate_worksheet(workbook, worksheet)


class _CategoryData(CategoryChartData):  # type: ignore[misc]
    @property
    def _workbook_writer(self) -> _CategoryWriter:
        return _CategoryWriter(self)


class _XyData(XyChartData):  # type: ignore[misc]
    @property
    def _workbook_writer(self) -> _XyWriter:
        return _XyWriter(self)


# --- Charts -----------------------------------------------------------------------------


def add_native(shapes: SlideShapes, native: NativeChart, area: Box, style: Style) -> list[Chart]:
    """The chart's panels side by side in *area*; returns the charts, left to right."""
    left, top, width, height = area
    weights = native.widths or tuple(1.0 for _ in native.panels)
    usable = width - GAP * (len(native.panels) - 1)
    charts = []
    x = left
    for panel, weight in zip(native.panels, weights, strict=True):
        cx = int(usable * weight / sum(weights))
        box = (x, top, cx, height)
        if isinstance(panel, BarPanel):
            charts.append(_bar(shapes, panel, box, style))
        else:
            charts.append(_scatter(shapes, panel, box, style))
        x += cx + GAP
    return charts


def _frame(chart: Chart, title: str, legend: bool, style: Style) -> None:
    """Chart-level text (typefaces, size, colour), the title, the legend."""
    style.font(chart.font, size=TEXT_SIZE, colour="foreground")
    chart.has_title = bool(title)
    if title:
        style.write(chart.chart_title.text_frame, title, size=16, bold=True)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        style.font(chart.legend.font, size=TEXT_SIZE, colour="foreground")


def _axis(axis: _BaseAxis, spec: Axis | None, style: Style) -> None:
    """Title, scale, tick labels, gridlines and line colour of one axis."""
    axis.format.line.color.rgb = style.rgb("muted")
    axis.major_tick_mark = XL_TICK_MARK.OUTSIDE
    axis.minor_tick_mark = XL_TICK_MARK.NONE
    style.font(axis.tick_labels.font, size=TEXT_SIZE, colour="muted")
    if spec is None:  # a category axis
        axis.has_major_gridlines = False
        return
    if spec.title:
        axis.has_title = True
        style.write(axis.axis_title.text_frame, spec.title, size=13, colour="foreground")
    if spec.log:
        _log_scale(axis)
    if spec.minimum is not None:
        axis.minimum_scale = spec.minimum
    if spec.maximum is not None:
        axis.maximum_scale = spec.maximum
    if spec.major_unit is not None:
        axis.major_unit = spec.major_unit
    if spec.number_format is not None:
        axis.tick_labels.number_format = spec.number_format
        axis.tick_labels.number_format_is_linked = False
    if not spec.labels:
        axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.has_major_gridlines = spec.gridlines
    if spec.gridlines:
        axis.major_gridlines.format.line.color.rgb = style.rgb("grid")


def _every_label(axis: _BaseAxis) -> None:
    """Name every category (`c:tickLblSkip` 1): a program would otherwise skip some."""
    skip = OxmlElement("c:tickLblSkip")
    skip.set("val", "1")
    axis._element.insert_element_before(skip, "c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")


def _log_scale(axis: _BaseAxis) -> None:
    """Base-10 logarithmic scale: `c:logBase`, the first child of `c:scaling`."""
    scaling = axis._element.scaling  # the c:scaling element python-pptx made
    log_base = OxmlElement("c:logBase")
    log_base.set("val", "10")
    scaling.insert(0, log_base)


def _bar(shapes: SlideShapes, panel: BarPanel, box: Box, style: Style) -> Chart:
    """Clustered bars; a fill per bar; horizontal bars read top to bottom.

    A horizontal bar chart draws its first category at the bottom: the categories (and
    each series' values and fills) are stored bottom to top, so the panel's first is on
    top with the value axis below, in every slide program.
    """
    order = list(range(len(panel.categories)))
    if panel.horizontal:
        order.reverse()
    data = _CategoryData()
    data.categories = [panel.categories[i] for i in order]
    for series in panel.series:
        data.add_series(series.name, [series.values[i] for i in order])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if panel.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart: Chart = shapes.add_chart(kind, *box, data).chart
    _frame(chart, panel.title, panel.legend, style)
    plot = chart.plots[0]
    plot.gap_width = 40 if panel.horizontal else 80
    plot.vary_by_categories = False
    for drawn, series in zip(plot.series, panel.series, strict=True):
        drawn.invert_if_negative = False
        for point, i in enumerate(order):
            fill = drawn.points[point].format.fill
            fill.solid()
            fill.fore_color.rgb = style.rgb(series.colours[i])
    if panel.value_format is not None:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = panel.value_format
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.show_value = True
        style.font(labels.font, size=TEXT_SIZE - 1, colour="foreground")
    categories = chart.category_axis
    _axis(categories, None, style)
    # Names at the low end of the value axis, clear of bars that go below zero. With many
    # bars, small enough that a name's line (about 1.45 em in the CJK font) fits its row:
    # LibreOffice hides every other name where they would overlap.
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    rows = len(panel.categories) if panel.horizontal else 0
    if rows:
        row_height = box[3] / 12700 * 0.82 / rows  # points; the plot is ~82% of the frame
        size = max(5.5, min(TEXT_SIZE, round(row_height / 1.7 * 2) / 2))
        categories.tick_labels.font.size = Pt(size)
    _every_label(categories)
    _axis(chart.value_axis, panel.value_axis, style)
    return chart


def _scatter(shapes: SlideShapes, panel: ScatterPanel, box: Box, style: Style) -> Chart:
    """XY scatter: markers, lines, or both per series; per-point markers and labels.

    The series with the most points is stored first: LibreOffice (7.4) drops every XY
    series stored before the longest one. The others keep their order.
    """
    longest = max(range(len(panel.series)), key=lambda i: len(panel.series[i].points))
    ordered = [panel.series[longest]] + [s for i, s in enumerate(panel.series) if i != longest]
    data = _XyData()
    for series in ordered:
        drawn = data.add_series(series.name)
        for x, y in series.points:
            drawn.add_data_point(x, y)
    chart: Chart = shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, *box, data).chart
    _frame(chart, panel.title, panel.legend, style)
    for drawn, series in zip(chart.plots[0].series, ordered, strict=True):
        _xy_series(drawn, series, style)
    _axis(chart.category_axis, panel.x_axis, style)  # the x value axis
    _axis(chart.value_axis, panel.y_axis, style)
    # Each axis crosses the other at its low end: x along the bottom, y at the left.
    chart.category_axis.crosses = XL_AXIS_CROSSES.MINIMUM
    chart.value_axis.crosses = XL_AXIS_CROSSES.MINIMUM
    return chart


def _xy_series(drawn: Any, series: XYSeries, style: Style) -> None:
    colour = style.rgb(series.colour)
    line = drawn.format.line
    if series.line == "none":
        line.fill.background()
    else:
        line.color.rgb = colour
        line.width = Pt(2.25)
        if series.line == "dashed":
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
    drawn.smooth = False
    _marker(drawn.marker, series.marker, series.colour, series.hollow, style)
    if series.point_markers or series.point_colours:
        for i in range(len(series.points)):
            shape = series.point_markers[i] if series.point_markers else series.marker
            own = series.point_colours[i] if series.point_colours else series.colour
            _marker(drawn.points[i].marker, shape, own, series.hollow, style)
    _point_labels(drawn, series, style)


def _marker(marker: Any, shape: Marker, colour: str, hollow: bool, style: Style) -> None:
    """One marker: filled with *colour*, or hollow: outlined in it around a pale fill
    (some programs draw no marker outlines; a pale fill still shows the point there)."""
    marker.style = MARKERS[shape]
    if shape == "none":
        return
    marker.size = 9
    marker.format.fill.solid()
    marker.format.fill.fore_color.rgb = style.tint(colour) if hollow else style.rgb(colour)
    marker.format.line.color.rgb = style.rgb(colour)
    marker.format.line.width = Pt(1.5)


def _point_labels(drawn: Any, series: XYSeries, style: Style) -> None:
    """A text label beside each point that has one (to the right unless placed)."""
    for i, text in enumerate(series.labels):
        if not text:
            continue
        label = drawn.points[i].data_label
        place = series.label_places[i] if series.label_places else "right"
        label.position = LABEL_PLACES[place]
        style.write(label.text_frame, text, size=TEXT_SIZE - 1, colour="foreground")
