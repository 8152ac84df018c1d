"""Parameters against training compute, for every model with both, and the optimal scale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import derived, evidence, schema
from ...catalog import Catalog, ModelEntry
from ...render import human_count
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
    first_checked,
    unique,
)
from ..canvas import Canvas
from ..language import Localize, Texts
from ..native import (
    Axis,
    KeyEntry,
    NativeChart,
    ScatterPanel,
    XYSeries,
    decades,
    log_points,
    sparse_labels,
)
from ..palette import BLUE, ORANGE
from ._scaling import FittedLaw, find_law, fitted

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..drawing import Label


@dataclass(frozen=True, kw_only=True)
class ComputePoint:
    """One model: total (and, for MoE, activated) parameters at its training compute."""

    model: str  # model id
    label: str
    deepseek: bool
    total: int
    activated: int | None  # only where it differs from the total
    compute: float  # FLOPs
    derived: bool  # compute estimated as 6ND rather than reported
    # The compute's evidence kind, and where derived the N and D put into 6·N·D; the
    # parameter counts' evidence kinds.
    compute_evidence: str
    inputs: tuple[int, int] | None
    params_evidence: tuple[str, ...]
    # The total (or only) and the activated parameters and a reported compute, each
    # checked against its document (None: not shown, or a derived compute).
    checked: tuple[bool | None, bool | None, bool | None] = (None, None, None)


@dataclass(frozen=True, kw_only=True)
class ParamsVsCompute(Payload):
    """The models by increasing compute, and DeepSeek LLM's model-scale law if present."""

    points: tuple[ComputePoint, ...]
    law: FittedLaw | None

    TABLE_ONLY = frozenset({"points.checked"})


def _point(catalog: Catalog, entry: ModelEntry) -> ComputePoint | None:
    config = entry.card.config
    compute = derived.training_compute(config)
    total = config.total_params or config.activated_params
    if compute is None or total is None:
        return None
    activated = config.activated_params.value if config.activated_params else None
    shown = activated if activated and activated != total.value else None
    return ComputePoint(
        model=entry.id,
        label=entry.name,
        deepseek=entry.is_deepseek,
        total=total.value,
        activated=shown,
        compute=compute.flops,
        derived=compute.derived,
        compute_evidence=(
            "derived"
            if compute.derived or config.training_flops is None
            else evidence.of_source(config.training_flops.source)
        ),
        inputs=derived.compute_inputs(config),
        params_evidence=tuple(
            evidence.of_source(v.source)
            for v in (config.total_params, config.activated_params)
            if v is not None
        ),
        checked=(
            first_checked(
                catalog,
                entry.id,
                "total_params" if config.total_params else "activated_params",
                total,
            ),
            first_checked(catalog, entry.id, "activated_params", config.activated_params)
            if shown
            else None,
            None
            if compute.derived
            else first_checked(catalog, entry.id, "training_flops", config.training_flops),
        ),
    )


def build(catalog: Catalog, decl: schema.ChartDecl, _paper: schema.Paper | None) -> ChartData:
    """Every model but chat and instruct variants (same pre-training as their base model)."""
    points: list[ComputePoint] = []
    sources: list[schema.Source] = []
    for entry in catalog.models.values():
        if getattr(entry.card, "variant", "base") in ("chat", "instruct"):
            continue
        point = _point(catalog, entry)
        if point is None:
            continue
        points.append(point)
        sources += [v.source for _, v in entry.card.config.items()][:1]
    points.sort(key=lambda p: p.compute)
    law = find_law(catalog, decl.paper, "model-scale")
    if law is not None:
        sources.append(law.source)
    payload = ParamsVsCompute(points=tuple(points), law=None if law is None else fitted(law))
    return ChartData(kind=decl.kind, payload=payload, sources=unique(sources))


def _formula(x: ComputePoint) -> str:
    """6·N·D with the model's N and D, for a derived compute."""
    if x.inputs is None:
        return ""
    n, d = x.inputs
    return f"{derived.FORMULAS['compute']} = 6 · {human_count(n)} · {human_count(d)}"


def table(p: ParamsVsCompute, texts: Texts, _localize: Localize) -> Table:
    """Model, total and activated parameters, compute, whether compute is derived, and
    whether each number was checked against its document."""
    t = texts.t
    head = [
        t("model"),
        t("total"),
        t("activated"),
        t("compute_axis"),
        t("evidence_legend") + t("paren", text=t("compute_axis")),
        t("evidence_legend") + t("paren", text=t("params_axis")),
        checked_head(texts, (t("total"), t("activated"), t("compute_axis"))),
    ]
    rows = [
        [
            x.label,
            human_count(x.total),
            human_count(x.activated) if x.activated else "–",
            f"{x.compute:.2e}",
            evidence_cell(texts, [x.compute_evidence], _formula(x)),
            evidence_cell(texts, x.params_evidence),
            checked_cell(texts, x.checked),
        ]
        for x in p.points
    ]
    return head, rows


def _points(canvas: Canvas, ax: Axes, p: ParamsVsCompute) -> list[tuple[Label, bool]]:
    """MoE models join total and activated parameters; returns each point's label."""
    theme, scale = canvas.theme, canvas.scale
    labels: list[tuple[Label, bool]] = []
    # One collection per marker style keeps the SVG small (a collection per point is not).
    groups: dict[tuple[bool, bool], list[tuple[float, float]]] = {}
    for pt in p.points:
        colour = BLUE if pt.deepseek else theme.baseline
        if pt.activated:
            ax.plot(
                [pt.compute] * 2,
                [pt.activated, pt.total],
                color=colour,
                lw=2 * scale,
                alpha=0.8,
                zorder=2,
            )
            groups.setdefault((pt.deepseek, True), []).append((pt.compute, pt.activated))
        groups.setdefault((pt.deepseek, False), []).append((pt.compute, pt.total))
        label = point_label(pt)
        labels.append(
            (
                (pt.compute, pt.total, label, theme.foreground if pt.deepseek else theme.muted),
                pt.deepseek,
            )
        )
    for (deepseek, hollow), points in sorted(groups.items()):
        colour = BLUE if deepseek else theme.baseline
        xs, ys = [x for x, _ in points], [y for _, y in points]
        marker = "o" if deepseek else "s"
        if hollow:
            ax.scatter(
                xs,
                ys,
                s=70 * scale**2,
                marker=marker,
                zorder=3,
                facecolors=theme.background,
                edgecolors=colour,
                linewidths=2 * scale,
            )
        else:
            ax.scatter(xs, ys, s=70 * scale**2, marker=marker, zorder=3, color=colour)
    return labels


def point_label(pt: ComputePoint) -> str:
    """The model's name, starred when its compute is derived."""
    return pt.label + ("*" if pt.derived else "")


def compute_range(p: ParamsVsCompute) -> tuple[float, float]:
    """The x axis's span: a little room either side of the models' compute."""
    xs = [pt.compute for pt in p.points]
    return min(xs) / 3, max(xs) * 4


def _axes(canvas: Canvas, ax: Axes, p: ParamsVsCompute) -> None:
    """Limits, the optimal-scale line, tick labels, axis texts and the legend."""
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    from ..drawing import log_axes, params_tick

    t, theme, scale = canvas.t, canvas.theme, canvas.scale
    lo, hi = compute_range(p)
    ys = [pt.total for pt in p.points] + [pt.activated for pt in p.points if pt.activated]
    ax.set_ylim(min(ys) / 2.5, max(ys) * 4)
    if p.law:
        grid = np.logspace(np.log10(lo), np.log10(hi), 50)
        n_opt = p.law.coefficient * grid**p.law.exponent / 6
        ax.plot(grid, n_opt, ls="--", color=ORANGE, lw=2.2 * scale, label=t("optimal"), zorder=1)
    ax.set_xlim(lo, hi)
    ax.minorticks_off()
    log_axes(ax, y=False)
    ax.set_xlabel(t("compute_axis"))
    ax.set_ylabel(t("params_axis"))
    ax.yaxis.set_major_formatter(FuncFormatter(params_tick))
    ax.scatter([], [], color=BLUE, marker="o", label=t("deepseek") + t("paren", text=t("total")))
    ax.scatter(
        [],
        [],
        facecolors=theme.background,
        edgecolors=BLUE,
        marker="o",
        label=t("deepseek") + t("paren", text=t("activated")),
    )
    ax.scatter([], [], color=theme.baseline, marker="s", label=t("baseline"))
    ax.legend(loc="upper left")


def draw(canvas: Canvas, p: ParamsVsCompute) -> Figure:
    """Log-log scatter; labels placed after layout, DeepSeek models first."""
    from ..drawing import content_rect, place_labels

    fig = canvas.figure()
    ax = fig.add_axes(content_rect(fig, 0.08, 0.98))
    ax.set_xscale("log")
    ax.set_yscale("log")
    labels = _points(canvas, ax, p)
    _axes(canvas, ax, p)
    # DeepSeek models get first pick of label positions (a stable sort keeps the rest in order).
    labels.sort(key=lambda item: not item[1])
    place_labels(fig, ax, [label for label, _ in labels], canvas.scale)
    if any(pt.derived for pt in p.points):
        ax.text(
            0.995,
            0.01,
            "* " + canvas.t("derived") + " (C ≈ 6 · N_active · D)",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=12 * canvas.scale,
            color=canvas.theme.muted,
        )
    return fig


def _native_points(
    p: ParamsVsCompute, deepseek: bool, activated: bool
) -> tuple[tuple[float, float], ...]:
    """(compute, parameters) of DeepSeek's models or the others, total or activated (only
    models with an activated count)."""
    if activated:
        return tuple(
            (pt.compute, float(pt.activated))
            for pt in p.points
            if pt.deepseek == deepseek and pt.activated
        )
    return tuple((pt.compute, float(pt.total)) for pt in p.points if pt.deepseek == deepseek)


def _native_labels(p: ParamsVsCompute) -> dict[str, str]:
    """Model -> its label where it fits, else ""; DeepSeek models first, as on the image.
    The notes' table names every model."""
    ranked = sorted(p.points, key=lambda pt: not pt.deepseek)
    fitting = sparse_labels(
        [((pt.compute, pt.total), point_label(pt)) for pt in ranked], x_room=0.6, y_room=0.18
    )
    return {pt.model: text for pt, text in zip(ranked, fitting, strict=True)}


def _native_models(p: ParamsVsCompute, t: Callable[..., str]) -> list[XYSeries]:
    """A series per group as in the legend: DeepSeek's and the others' models, total and
    activated (the others' activated only where any has a count)."""
    label = _native_labels(p)

    def names(deepseek: bool) -> tuple[str, ...]:
        return tuple(label[pt.model] for pt in p.points if pt.deepseek == deepseek)

    series = [
        XYSeries(
            name=t("deepseek") + t("paren", text=t("total")),
            points=_native_points(p, True, False),
            colour=BLUE,
            labels=names(True),
        ),
        XYSeries(
            name=t("deepseek") + t("paren", text=t("activated")),
            points=_native_points(p, True, True),
            colour=BLUE,
            hollow=True,
        ),
        XYSeries(
            name=t("baseline"),
            points=_native_points(p, False, False),
            colour="baseline",
            marker="square",
            labels=names(False),
        ),
    ]
    if _native_points(p, False, True):
        series.append(
            XYSeries(
                name=t("baseline") + t("paren", text=t("activated")),
                points=_native_points(p, False, True),
                colour="baseline",
                marker="square",
                hollow=True,
            )
        )
    return series


def _native_law(law: FittedLaw, t: Callable[[str], str], lo: float, hi: float) -> XYSeries:
    """The law's optimal model scale over the plotted compute range, as parameters (its
    FLOPs per token over 6), as the image draws it."""
    return XYSeries(
        name=t("optimal"),
        points=tuple((c, law.coefficient * c**law.exponent / 6) for c in log_points(lo, hi)),
        colour=ORANGE,
        marker="none",
        line="dashed",
    )


def native(p: ParamsVsCompute, texts: Texts) -> NativeChart:
    """Log-log XY scatter, a series per group as in the legend, and the optimal-scale line."""
    t = texts.t
    series = _native_models(p, t)
    lo, hi = compute_range(p)
    if p.law:
        series.append(_native_law(p.law, t, lo, hi))
    key: tuple[KeyEntry, ...] = ()
    if any(pt.derived for pt in p.points):
        key = (
            KeyEntry(
                symbol="*",
                text=t("derived") + t("paren", text="C ≈ 6 · N_active · D"),
                colour="muted",
            ),
        )
    return NativeChart(
        panels=(
            ScatterPanel(
                series=tuple(s for s in series if s.points),
                x_axis=Axis(
                    title=t("compute_axis"),
                    log=True,
                    number_format="0E+0",
                    minimum=decades(lo, hi)[0],
                    maximum=decades(lo, hi)[1],
                ),
                y_axis=Axis(
                    title=t("params_axis"),
                    log=True,
                    number_format='[>=1000000000000]0,,,,"T";[>=1000000000]0,,,"B";0,,"M"',
                ),
            ),
        ),
        key=key,
    )


KIND = ChartKind(
    name="params-vs-compute",
    payload=ParamsVsCompute,
    texts=frozenset(
        {
            "model",
            "total",
            "activated",
            "paren",
            "compute_axis",
            "params_axis",
            "derived",
            "deepseek",
            "baseline",
            "optimal",
        }
    )
    | EVIDENCE_TEXTS
    | CHECKED_TEXTS,
    checked_column=True,
    build=build,
    table=table,
    draw=draw,
    native=native,
)
