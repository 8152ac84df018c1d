"""The experts of one MoE layer per model: shared, activated routed, other routed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import evidence, schema
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
    first_checked,
    unique,
)
from ..canvas import Canvas
from ..language import Localize, Texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

UNKNOWN_SIZE = 0.25  # drawn width of an expert whose size the paper does not state


@dataclass(frozen=True, kw_only=True)
class ExpertRow:
    """One model's layer: expert counts, and expert size relative to a standard FFN."""

    model: str
    deepseek: bool
    shared: int
    routed: int
    active: int | None  # routed experts per token
    size: float | None
    evidence: tuple[str, ...]  # the evidence kinds of the row's numbers
    # Shared, routed and activated experts and the size, each checked against its
    # document (None where the model states no such number).
    checked: tuple[bool | None, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ExpertLayout(Payload):
    """The declared models that have routed experts, in declaration order."""

    rows: tuple[ExpertRow, ...]

    TABLE_ONLY = frozenset({"rows.checked"})


# The row's numbers the checked column speaks of, in the table's order.
CHECKED_FIELDS = ("shared_experts", "routed_experts", "activated_experts", "relative_expert_size")


def build(catalog: Catalog, decl: schema.ChartDecl, _paper: schema.Paper | None) -> ChartData:
    """Each declared model with routed experts (dense models are left out)."""
    rows: list[ExpertRow] = []
    sources: list[schema.Source] = []
    for model_id in decl.models:
        entry = catalog.models[model_id]
        c = entry.card.config
        if not c.routed_experts:
            continue
        rows.append(
            ExpertRow(
                model=entry.name,
                deepseek=entry.is_deepseek,
                shared=c.shared_experts.value if c.shared_experts else 0,
                routed=c.routed_experts.value,
                active=c.activated_experts.value if c.activated_experts else None,
                size=c.relative_expert_size.value if c.relative_expert_size else None,
                evidence=tuple(
                    evidence.of_source(v.source)
                    for v in (
                        c.shared_experts,
                        c.routed_experts,
                        c.activated_experts,
                        c.relative_expert_size,
                    )
                    if v is not None
                ),
                checked=tuple(
                    first_checked(catalog, entry.id, name, getattr(c, name))
                    for name in CHECKED_FIELDS
                ),
            )
        )
        sources += [c.routed_experts.source] + (
            [c.relative_expert_size.source] if c.relative_expert_size else []
        )
    return ChartData(
        kind=decl.kind, payload=ExpertLayout(rows=tuple(rows)), sources=unique(sources)
    )


def table(p: ExpertLayout, texts: Texts, _localize: Localize) -> Table:
    """Model, the three expert counts, the relative expert size, their evidence and whether
    each was checked against its document."""
    t = texts.t
    head = [
        t("model"),
        t("shared_experts"),
        t("routed_experts"),
        t("activated_experts"),
        t("relative_expert_size"),
        t("evidence_legend"),
        checked_head(texts, [t(name) for name in CHECKED_FIELDS]),
    ]
    rows = [
        [
            r.model,
            str(r.shared),
            str(r.routed),
            str(r.active or "–"),
            f"{r.size:g}×" if r.size else "–",
            evidence_cell(texts, r.evidence),
            checked_cell(texts, r.checked),
        ]
        for r in p.rows
    ]
    return head, rows


def _caption(canvas: Canvas, ax: Axes, r: ExpertRow, top: float) -> None:
    """The model's name at the left, its expert counts and size at the right."""
    ax.text(
        0,
        top - 0.02,
        r.model,
        ha="left",
        va="top",
        fontsize=15 * canvas.scale,
        fontweight="bold",
        color=canvas.theme.foreground,
        transform=ax.transAxes,
    )
    summary = canvas.t("experts_summary", shared=r.shared, routed=r.routed, active=r.active or "?")
    summary += " · " + (canvas.t("size", size=r.size) if r.size else canvas.t("size_unknown"))
    ax.text(
        1.0,
        top - 0.02,
        summary,
        ha="right",
        va="top",
        fontsize=12.5 * canvas.scale,
        color=canvas.theme.muted,
        transform=ax.transAxes,
    )


def _experts(
    canvas: Canvas, ax: Axes, r: ExpertRow, y0: float, width: float, height: float
) -> None:
    """Three rectangles (shared, activated, other routed) and one path of separators
    between experts: a few SVG elements instead of one per expert."""
    from matplotlib.patches import Rectangle

    from ..style import BLUE, SKY, VERMILLION

    active = r.active or 0
    blocks = (
        (VERMILLION if r.deepseek else canvas.theme.muted, 1.0, r.shared),
        (BLUE, 1.0, active),
        (SKY, 0.35, r.routed - active),
    )
    x = 0.0
    for colour, alpha, count in blocks:
        if count:
            ax.add_patch(
                Rectangle(
                    (x, y0),
                    width * count,
                    height,
                    transform=ax.transAxes,
                    color=colour,
                    alpha=alpha,
                    lw=0,
                )
            )
        x += width * count
    xs: list[float] = []
    ys: list[float] = []
    for k in range(1, r.shared + r.routed):
        xs += [k * width, k * width, float("nan")]
        ys += [y0, y0 + height, float("nan")]
    ax.plot(
        xs,
        ys,
        transform=ax.transAxes,
        color=canvas.theme.background,
        lw=max(0.6, min(2.0, width * 400)) * canvas.scale,
        solid_capstyle="butt",
    )


def draw(canvas: Canvas, p: ExpertLayout) -> Figure:
    """One band per model; expert widths to a common scale, the widest layer filling the row."""
    from matplotlib.patches import Rectangle

    from ..drawing import content_rect
    from ..style import BLUE, SKY, VERMILLION

    fig = canvas.figure()
    rows = p.rows
    ax = fig.add_axes(content_rect(fig, 0.03, 0.97, bottom_in=0.5))
    ax.set_axis_off()
    n = len(rows)
    widest = max((r.shared + r.routed) * (r.size or UNKNOWN_SIZE) for r in rows)
    unit = 0.97 / max(widest, 1)
    for i, r in enumerate(rows):
        top = 1 - i / n
        _caption(canvas, ax, r, top)
        height = 0.42 / n
        _experts(canvas, ax, r, top - 0.075 - height, (r.size or UNKNOWN_SIZE) * unit, height)
    handles = [
        Rectangle((0, 0), 1, 1, color=VERMILLION),
        Rectangle((0, 0), 1, 1, color=BLUE),
        Rectangle((0, 0), 1, 1, color=SKY, alpha=0.35),
    ]
    fig.legend(
        handles,
        [canvas.t("shared"), canvas.t("routed_active"), canvas.t("routed_idle")],
        loc="upper right",
        ncol=3,
        bbox_to_anchor=(0.985, 0.965),
        fontsize=13 * canvas.scale,
    )
    return fig


KIND = ChartKind(
    name="moe-expert-layout",
    payload=ExpertLayout,
    texts=frozenset(
        {
            "model",
            "shared_experts",
            "routed_experts",
            "activated_experts",
            "relative_expert_size",
            "experts_summary",
            "size",
            "size_unknown",
            "shared",
            "routed_active",
            "routed_idle",
        }
    )
    | EVIDENCE_TEXTS
    | CHECKED_TEXTS,
    checked_column=True,
    build=build,
    table=table,
    draw=draw,
)
