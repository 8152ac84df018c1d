"""Per paper: the headline model minus the main baseline on each benchmark, by domain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import schema, strings
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
from ..canvas import WEB_SIZE, Canvas
from ..language import Localize, Texts
from ..native import Axis, BarPanel, BarSeries, KeyEntry, NativeChart
from ..palette import BLUE, VERMILLION

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class DeltaRow:
    """One benchmark row of the paper's first comparison table."""

    short: str  # the row's label, as on the chart
    setting: str  # shown after it in the table
    domain: str
    delta: float  # headline minus baseline
    favours: bool  # the headline model is better (direction-aware)
    lower_better: bool
    headline: float
    baseline: float
    evidence: tuple[str, str]  # the headline's and the baseline's score: evidence kinds
    checked: tuple[bool, bool] = (False, False)  # each checked against its document


@dataclass(frozen=True, kw_only=True)
class BenchmarkDeltas(Payload):
    """The rows in domain order, and the two compared models' labels."""

    rows: tuple[DeltaRow, ...]
    headline: str
    baseline: str
    table: str  # comparison table id

    # Whether a score was checked against its document, and the setting, are for the data
    # table only.
    TABLE_ONLY = frozenset({"rows.checked", "rows.setting"})

    @property
    def terms(self) -> tuple[str, ...]:
        """The settings the data table shows in the reader's language (`Texts.word`)."""
        return tuple(dict.fromkeys(r.setting for r in self.rows if r.setting))


def build(catalog: Catalog, decl: schema.ChartDecl, paper: schema.Paper | None) -> ChartData | None:
    """The paper's first comparison table; None without one or without any scored row."""
    if paper is None or not paper.comparisons:
        return None
    table = paper.comparisons[0]
    labels = {c.model: c.label for c in table.columns}
    scores = {
        (s.model, s.benchmark, s.benchmark_label, s.setting): s
        for s in catalog.scores
        if s.paper == paper.id and s.comparison == table.id
    }
    domain_order = list(strings.DOMAINS)
    rows: list[DeltaRow] = []
    for d in catalog.deltas(table):
        headline = scores[(table.headline, d.benchmark.id, d.label, d.setting)]
        baseline = scores[(table.baseline, d.benchmark.id, d.label, d.setting)]
        rows.append(
            DeltaRow(
                short=d.label,
                setting=d.setting,
                domain=d.benchmark.domain,
                delta=d.value,
                favours=d.favours_headline,
                lower_better=not d.benchmark.higher_is_better,
                headline=d.headline,
                baseline=d.baseline,
                evidence=(headline.evidence, baseline.evidence),
                checked=(headline.checked, baseline.checked),
            )
        )
    if not rows:
        return None
    rows.sort(key=lambda r: domain_order.index(r.domain))
    payload = BenchmarkDeltas(
        rows=tuple(rows),
        headline=labels[table.headline],
        baseline=labels[table.baseline],
        table=table.id,
    )
    return ChartData(kind=decl.kind, payload=payload, sources=(table.source,))


def signed(value: float, digits: int) -> str:
    """+1.5, −0.3 (a true minus sign), 0."""
    return ("+" if value > 0 else "") + f"{value:.{digits}g}".replace("-", "−")


def table(p: BenchmarkDeltas, texts: Texts, _localize: Localize) -> Table:
    """Benchmark, both scores, the difference (derived: its formula heads the column), the
    scores' evidence and whether each was checked against its document."""
    difference = f"{texts.t('difference')} = {p.headline} − {p.baseline}"
    head = [
        texts.t("benchmark"),
        p.headline,
        p.baseline,
        difference,
        texts.t("evidence_legend"),
        checked_head(texts, (p.headline, p.baseline)),
    ]
    rows = [
        [
            r.short
            + (texts.t("paren", text=texts.word(r.setting)) if r.setting else "")
            + (" ↓" if r.lower_better else ""),
            f"{r.headline:g}",
            f"{r.baseline:g}",
            signed(r.delta, 4),
            evidence_cell(texts, r.evidence),
            checked_cell(texts, r.checked),
        ]
        for r in p.rows
    ]
    return head, rows


def bar_colour(r: DeltaRow, neutral: str) -> str:
    """Blue where the headline model is better, vermillion where worse, *neutral* for a tie."""
    return BLUE if r.favours else (VERMILLION if r.delta != 0 else neutral)


def tick_label(r: DeltaRow) -> str:
    """The row as the chart names it: the benchmark, ↓ when lower is better."""
    return r.short + (" ↓" if r.lower_better else "")


def web_size(p: BenchmarkDeltas) -> tuple[float, float]:
    """Pages are not slides: a long bar chart grows taller to keep its rows readable."""
    return (WEB_SIZE[0], max(WEB_SIZE[1], 0.27 * len(p.rows) + 2.3))


def _clip(rows: tuple[DeltaRow, ...]) -> tuple[float, list[float]]:
    """Half the axis span, and each bar's drawn length.

    One benchmark on a different scale (e.g. OCRBench out of 1000) would flatten every
    other bar: such an outlier is clipped at the axis edge, marked, and keeps its true label.
    """
    magnitudes = sorted((abs(r.delta) for r in rows), reverse=True)
    span = magnitudes[0] or 1
    if len(magnitudes) > 2 and magnitudes[1] > 0 and magnitudes[0] > 4 * magnitudes[1]:
        span = magnitudes[1] * 1.6
    return span, [max(-span * 1.15, min(span * 1.15, r.delta)) for r in rows]


def _value_labels(
    canvas: Canvas,
    ax: Axes,
    rows: tuple[DeltaRow, ...],
    y: NDArray[np.intp],
    drawn: list[float],
    span: float,
) -> None:
    """Each bar's signed value at its end; a clipped bar's in bold with ≫ or ≪."""
    for yi, r, d in zip(y, rows, drawn, strict=True):
        clipped = d != r.delta
        ha = "left" if r.delta >= 0 else "right"
        pad = span * 0.02 * (1 if r.delta >= 0 else -1)
        label = signed(r.delta, 3)
        if clipped:
            label = ("≫ " if d > 0 else "") + label + (" ≪" if d < 0 else "")
            label = label if d > 0 else "≪ " + label.removesuffix(" ≪")
        ax.text(
            d + pad,
            yi,
            label,
            va="center",
            ha=ha,
            fontsize=(11.5 if len(rows) < 20 else 10) * canvas.scale,
            color=canvas.theme.foreground,
            fontweight="bold" if clipped else "normal",
        )


def _domain_bands(
    canvas: Canvas, fig: Figure, ax: Axes, rows: tuple[DeltaRow, ...], y: NDArray[np.intp]
) -> None:
    """A separator under each domain group and the domain's name at the left edge."""
    from matplotlib.transforms import blended_transform_factory

    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].domain != rows[start].domain:
            top, bottom = y[start] + 0.5, y[i - 1] - 0.5
            if len({r.domain for r in rows}) > 1:
                ax.axhline(bottom, color=canvas.theme.grid, lw=1 * canvas.scale)
            ax.text(
                0.015,
                (top + bottom) / 2,
                canvas.domains[rows[start].domain],
                transform=blended_transform_factory(fig.transFigure, ax.transData),
                ha="left",
                va="center",
                fontsize=12 * canvas.scale,
                color=canvas.theme.muted,
                fontweight="bold",
            )
            start = i


def draw(canvas: Canvas, p: BenchmarkDeltas) -> Figure:
    """Horizontal bars, blue where the headline model is better, vermillion where worse."""
    import numpy as np

    from ..drawing import content_rect

    theme, scale, rows = canvas.theme, canvas.scale, p.rows
    fig = canvas.figure()
    ax = fig.add_axes(content_rect(fig, 0.36, 0.97, top_in=1.05))
    y = np.arange(len(rows))[::-1]
    colours = [bar_colour(r, theme.muted) for r in rows]
    span, drawn = _clip(rows)
    ax.barh(y, drawn, color=colours, height=0.7, zorder=2)
    ax.axvline(0, color=theme.foreground, lw=1.2 * scale, zorder=3)
    ax.set_yticks(y, [tick_label(r) for r in rows])
    ax.tick_params(axis="y", length=0, labelsize=(12.5 if len(rows) < 20 else 10.5) * scale)
    limit = span * 1.35
    ax.set_xlim(-limit, limit)
    _value_labels(canvas, ax, rows, y, drawn, span)
    _domain_bands(canvas, fig, ax, rows, y)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(canvas.t("delta_axis", headline=p.headline, baseline=p.baseline))
    ax.grid(axis="y", visible=False)
    ax.text(
        1.0,
        1.01,
        f"■ {canvas.t('better')}",
        color=BLUE,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=13 * scale,
    )
    ax.text(
        0.84,
        1.01,
        f"■ {canvas.t('worse')}",
        color=VERMILLION,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=13 * scale,
    )
    return fig


def native(p: BenchmarkDeltas, texts: Texts) -> NativeChart:
    """Horizontal bars of the true differences (none clipped), each coloured as drawn, in
    the drawing's order (by domain); the key says which colour is better."""
    axis = texts.t("delta_axis", headline=p.headline, baseline=p.baseline)
    bars = BarSeries(
        name=axis,
        values=tuple(r.delta for r in p.rows),
        colours=tuple(bar_colour(r, "muted") for r in p.rows),
    )
    return NativeChart(
        panels=(
            BarPanel(
                horizontal=True,
                categories=tuple(tick_label(r) for r in p.rows),
                series=(bars,),
                value_axis=Axis(title=axis, number_format='+0;"−"0;0'),
                value_format='+0.0##;"−"0.0##;0',
            ),
        ),
        key=(
            KeyEntry(symbol="■", text=texts.t("better"), colour=BLUE),
            KeyEntry(symbol="■", text=texts.t("worse"), colour=VERMILLION),
        ),
    )


KIND = ChartKind(
    name="benchmark-deltas",
    payload=BenchmarkDeltas,
    texts=frozenset({"benchmark", "difference", "delta_axis", "better", "worse", "paren"})
    | EVIDENCE_TEXTS
    | CHECKED_TEXTS,
    checked_column=True,
    build=build,
    table=table,
    draw=draw,
    web_size=web_size,
    native=native,
)
