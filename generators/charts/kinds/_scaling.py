"""Shared by the scaling-law kinds: fitted laws, the models' points, the two-panel drawing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from ... import derived, evidence, schema
from ...catalog import Catalog
from ..base import ChartData, Payload, checked_cell, evidence_cell, first_checked, unique
from ..canvas import Canvas
from ..language import Texts
from ..native import Axis, NativeChart, ScatterPanel, XYSeries, log_points
from ..palette import BLUE, ORANGE, VERMILLION

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class FittedLaw:
    """A power law of compute, coefficient x C^exponent, as the paper fits it."""

    id: str
    coefficient: float
    exponent: float
    latex: str
    evidence: str  # the kind of the source that states the fit


def find_law(catalog: Catalog, paper_id: str | None, law_id: str) -> schema.ScalingLaw | None:
    """The law *law_id* of *paper_id* (of any paper when None)."""
    papers = [catalog.paper(paper_id)] if paper_id else catalog.papers
    for paper in papers:
        for law in paper.scaling_laws:
            if law.id == law_id:
                return law
    return None


def fitted(law: schema.ScalingLaw) -> FittedLaw:
    """The numbers of *law* that a chart needs."""
    return FittedLaw(
        id=law.id,
        coefficient=law.coefficient,
        exponent=law.exponent,
        latex=law.formula_latex,
        evidence=evidence.of_source(law.source),
    )


@dataclass(frozen=True, kw_only=True)
class ScalingPoint:
    """One trained model placed on the laws: DeepSeek LLM's M, D and C = M x D."""

    model: str
    model_scale: float  # M: non-embedding FLOPs per token
    data_scale: int  # D: training tokens
    compute: float  # C
    m_inputs: tuple[int, int, int]  # n_layer, d_model, l_seq: what M is derived from
    data_evidence: str  # D's evidence kind
    batch_tokens: int | None = None
    batch_inputs: tuple[int, int] | None = None  # sequences per batch, tokens per sequence
    learning_rate: float | None = None
    lr_evidence: str | None = None
    # D and the learning rate, each checked against its document (None: not stated).
    data_checked: bool | None = None
    lr_checked: bool | None = None


@dataclass(frozen=True, kw_only=True)
class ScalingFits(Payload):
    """Fitted laws (those the paper has) and the declared models' actual values."""

    laws: tuple[FittedLaw, ...]
    points: tuple[ScalingPoint, ...]

    TABLE_ONLY = frozenset({"points.data_checked", "points.lr_checked"})

    def law(self, law_id: str) -> FittedLaw | None:
        """The fitted law *law_id*, if the paper has it."""
        return next((law for law in self.laws if law.id == law_id), None)


S = TypeVar("S", bound=ScalingFits)

# The compute budgets the fitted laws are drawn over (FLOPs).
COMPUTE_SPAN = (1e17, 1e25)
POINT_COLOURS = (ORANGE, VERMILLION)  # the models' points, in turn


def _point(entry_name: str, config: schema.ModelConfig) -> ScalingPoint | None:
    m = derived.non_embedding_flops_per_token(config)
    if m is None or not config.training_tokens:
        return None
    tokens = config.training_tokens.value
    batch = batch_inputs = None
    if config.batch_size_sequences and config.context_length:
        batch_inputs = (config.batch_size_sequences.value, config.context_length.value)
        batch = batch_inputs[0] * batch_inputs[1]
    # M is derived only where layers, hidden size and context length are all given.
    assert config.layers and config.hidden_size and config.context_length
    return ScalingPoint(
        model=entry_name,
        model_scale=m,
        data_scale=tokens,
        compute=m * tokens,
        m_inputs=(config.layers.value, config.hidden_size.value, config.context_length.value),
        data_evidence=evidence.of_source(config.training_tokens.source),
        batch_tokens=batch,
        batch_inputs=batch_inputs,
        learning_rate=config.learning_rate.value if config.learning_rate else None,
        lr_evidence=evidence.of_source(config.learning_rate.source)
        if config.learning_rate
        else None,
    )


def _points(
    catalog: Catalog, decl: schema.ChartDecl
) -> tuple[list[ScalingPoint], list[schema.Source]]:
    points: list[ScalingPoint] = []
    sources: list[schema.Source] = []
    for model_id in decl.models:
        entry = catalog.models[model_id]
        config = entry.card.config
        point = _point(entry.name, config)
        if point is None:
            continue
        point = dataclasses.replace(
            point,
            data_checked=first_checked(
                catalog, model_id, "training_tokens", config.training_tokens
            ),
            lr_checked=first_checked(catalog, model_id, "learning_rate", config.learning_rate),
        )
        if point.batch_tokens is not None and config.batch_size_sequences:
            sources.append(config.batch_size_sequences.source)
        points.append(point)
        if config.layers:  # always there: M needs the layer count
            sources.append(config.layers.source)
    return points, sources


def build(
    catalog: Catalog, decl: schema.ChartDecl, law_ids: tuple[str, str], payload: type[S]
) -> ChartData:
    """The laws *law_ids* of the declared paper, and the declared models' points."""
    laws: list[FittedLaw] = []
    sources: list[schema.Source] = []
    for law_id in law_ids:
        law = find_law(catalog, decl.paper, law_id)
        if law is not None:
            laws.append(fitted(law))
            sources.append(law.source)
    points, more = _points(catalog, decl)
    return ChartData(
        kind=decl.kind,
        payload=payload(laws=tuple(laws), points=tuple(points)),
        sources=unique(sources + more),
    )


def law_rows(fits: ScalingFits, texts: Texts) -> list[list[str]]:
    """Table rows giving each fitted law's formula, after the models' rows (the checked
    column's D or learning rate is a model's: none here)."""
    return [
        [
            texts.t("fit"),
            "",
            law.latex.replace("\\cdot", "·").replace("\\", ""),
            "",
            evidence_cell(texts, [law.evidence]),
            checked_cell(texts, [None]),
        ]
        for law in fits.laws
    ]


def m_formula(x: ScalingPoint) -> str:
    """M's formula with the model's numbers, and C = M · D."""
    n, d, seq = x.m_inputs
    return (
        f"{derived.FORMULAS['m_per_token']} = 72 · {n} · {d}² + 12 · {n} · {d} · {seq}; C = M · D"
    )


def kind_name(texts: Texts, kind: str) -> str:
    """An evidence kind's name in the table's language."""
    return texts.t(evidence.text_key(kind))


@dataclass(frozen=True, kw_only=True)
class Panel:
    """One log-log panel: a law, the point value drawn on it, its axis text and legend place."""

    law: str
    value: Callable[[ScalingPoint], float | None]
    axis: str  # key of the y axis text
    legend: Literal["upper left", "upper right"]  # where the legend goes


def draw(
    canvas: Canvas,
    fits: ScalingFits,
    panels: tuple[Panel, Panel],
    point_label: Callable[[ScalingPoint], str],
) -> Figure:
    """Two log-log panels, each a fitted power law of compute with the models' points on it."""
    import numpy as np

    from ..drawing import content_rect

    fig = canvas.figure()
    grid = np.geomspace(COMPUTE_SPAN[0], COMPUTE_SPAN[1], 60)
    for i, panel in enumerate(panels):
        ax = fig.add_axes(content_rect(fig, 0.08 + i * 0.5, 0.49 + i * 0.5))
        _panel(canvas, ax, fits, panel, grid, point_label)
    return fig


def _panel(
    canvas: Canvas,
    ax: Axes,
    fits: ScalingFits,
    panel: Panel,
    grid: NDArray[np.float64],
    point_label: Callable[[ScalingPoint], str],
) -> None:
    from ..drawing import log_axes

    law = fits.law(panel.law)
    ax.set_xscale("log")
    ax.set_yscale("log")
    if law:
        ax.plot(
            grid,
            law.coefficient * grid**law.exponent,
            color=BLUE,
            lw=2.5 * canvas.scale,
            label=canvas.t("fit"),
        )
    for j, point in enumerate(fits.points):
        value = panel.value(point)
        if value is not None:
            ax.scatter(
                [point.compute],
                [value],
                s=120 * canvas.scale**2,
                color=POINT_COLOURS[j % 2],
                zorder=3,
                label=point_label(point),
                edgecolors=canvas.theme.background,
            )
    ax.minorticks_off()
    log_axes(ax)
    ax.set_xlabel(canvas.t("budget_axis"))
    ax.set_ylabel(canvas.t(panel.axis))
    ax.legend(loc=panel.legend)


def native(
    fits: ScalingFits,
    texts: Texts,
    panels: tuple[Panel, Panel],
    point_label: Callable[[ScalingPoint], str],
) -> NativeChart:
    """Two log-log XY charts as drawn: each law's fit line and a series per model's point."""
    return NativeChart(
        panels=tuple(_native_panel(fits, texts, panel, point_label) for panel in panels)
    )


def _native_panel(
    fits: ScalingFits, texts: Texts, panel: Panel, point_label: Callable[[ScalingPoint], str]
) -> ScatterPanel:
    series: list[XYSeries] = []
    law = fits.law(panel.law)
    if law:
        fit = law
        series.append(
            XYSeries(
                name=texts.t("fit"),
                points=tuple(
                    (c, fit.coefficient * c**fit.exponent) for c in log_points(*COMPUTE_SPAN)
                ),
                colour=BLUE,
                marker="none",
                line="solid",
            )
        )
    for j, point in enumerate(fits.points):
        value = panel.value(point)
        if value is not None:
            series.append(
                XYSeries(
                    name=point_label(point),
                    points=((point.compute, float(value)),),
                    colour=POINT_COLOURS[j % 2],
                )
            )
    return ScatterPanel(
        series=tuple(series),
        x_axis=Axis(
            title=texts.t("budget_axis"),
            log=True,
            number_format="0E+0",
            minimum=COMPUTE_SPAN[0],
            maximum=COMPUTE_SPAN[1],
        ),
        y_axis=Axis(title=texts.t(panel.axis), log=True, number_format="0E+0"),
    )
