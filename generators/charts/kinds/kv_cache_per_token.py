"""KV cache per token under each attention mechanism, and in bytes as deployed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import derived, schema
from ...catalog import Catalog, ModelEntry
from ..base import EVIDENCE_TEXTS, ChartData, ChartKind, Payload, Table, evidence_cell, unique
from ..canvas import Canvas
from ..language import Localize, Texts
from ..native import Axis, BarPanel, BarSeries, NativeChart
from ..palette import BLUE, VERMILLION

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..drawing import Rect


@dataclass(frozen=True, kw_only=True)
class KVBar:
    """KV-cache elements per token of one model's architecture under one mechanism."""

    model: str
    mechanism: str
    elements: int
    actual: bool  # the mechanism the model really uses
    formula: str  # how `elements` is derived, with the model's numbers put in


@dataclass(frozen=True, kw_only=True)
class KVDeployed:
    """The cache of a model's actual mechanism in bytes, at its deployed precision."""

    model: str
    mechanism: str
    elements: int
    bits: float
    bytes: float
    assumed: bool  # bits per element from the declaration's assumption, not the paper


@dataclass(frozen=True, kw_only=True)
class KVCache(Payload):
    """Bars per model and mechanism; deployed bytes; the reduction from the first to the second."""

    bars: tuple[KVBar, ...]
    deployed: tuple[KVDeployed, ...]
    reduction: float | None


def _bars(entry: ModelEntry, actual: str | None) -> list[KVBar]:
    config = entry.card.config
    mechanisms = ["MHA", "GQA", "MQA"] if actual != "MLA" else ["MHA", "MLA"]
    bars = []
    for mechanism in mechanisms:
        elements = derived.kv_elements_per_token(config, mechanism)
        if elements is not None:
            bars.append(
                KVBar(
                    model=entry.name,
                    mechanism=mechanism,
                    elements=elements,
                    actual=mechanism == actual,
                    formula=derived.kv_formula(config, mechanism),
                )
            )
    return bars


def _deployed(entry: ModelEntry, actual: str, decl: schema.ChartDecl) -> KVDeployed | None:
    config = entry.card.config
    elements = derived.kv_elements_per_token(config, actual)
    if elements is None:
        return None
    bits = (
        config.kv_cache_bits.value
        if config.kv_cache_bits
        else decl.assumptions.get("baseline-bits")
    )
    if bits is None:
        raise ValueError(
            f"chart {decl.id}: {entry.id} states no kv_cache_bits and no baseline-bits is assumed"
        )
    return KVDeployed(
        model=entry.name,
        mechanism=actual,
        elements=elements,
        bits=bits,
        bytes=elements * bits / 8,
        assumed=not config.kv_cache_bits,
    )


def build(catalog: Catalog, decl: schema.ChartDecl, _paper: schema.Paper | None) -> ChartData:
    """The declared models, in declaration order (the reduction is from first to second)."""
    bars: list[KVBar] = []
    deployed: list[KVDeployed] = []
    sources: list[schema.Source] = []
    for model_id in decl.models:
        entry = catalog.models[model_id]
        config = entry.card.config
        actual = config.attention.value if config.attention else None
        bars += _bars(entry, actual)
        dep = _deployed(entry, actual, decl) if actual else None
        if dep is not None:
            deployed.append(dep)
            if config.kv_cache_bits:
                sources.append(config.kv_cache_bits.source)
        sources += [
            v.source for name, v in config.items() if name in ("layers", "kv_lora_rank", "kv_heads")
        ]
    for paper in catalog.papers:
        if paper.kv_cache:
            sources.insert(0, paper.kv_cache.source)
    reduction = 1 - deployed[1].bytes / deployed[0].bytes if len(deployed) == 2 else None
    payload = KVCache(bars=tuple(bars), deployed=tuple(deployed), reduction=reduction)
    return ChartData(kind=decl.kind, payload=payload, sources=unique(sources))


def _bits(texts: Texts, d: KVDeployed) -> str:
    return texts.t("bits", bits=d.bits) + (texts.t("assumed") if d.assumed else "")


def table(p: KVCache, texts: Texts, _localize: Localize) -> Table:
    """Model, mechanism, elements per token, and KB as deployed for the actual mechanism."""
    t = texts.t
    head = [
        t("model"),
        t("attention"),
        t("kv_elements_table"),
        t("kv_bytes"),
        t("evidence_legend"),
    ]
    deployed = {(d.model, d.mechanism): d for d in p.deployed}
    rows = []
    for b in p.bars:
        d = deployed.get((b.model, b.mechanism))
        kb = f"{d.bytes / 1000:.1f}" + t("paren", text=_bits(texts, d)) if d else "–"
        rows.append(
            [
                b.model,
                b.mechanism + (t("paren", text=t("actual")) if b.actual else ""),
                f"{b.elements:,}",
                kb,
                evidence_cell(texts, ["derived"], b.formula),
            ]
        )
    return head, rows


def bar_colour(b: KVBar, idle: str) -> str:
    """A model's actual mechanism in its colour (DeepSeek-V2 blue, the other vermillion);
    the mechanisms it does not use in *idle*."""
    if not b.actual:
        return idle
    return BLUE if b.model.startswith("DeepSeek-V2") else VERMILLION


def deployed_colours(p: KVCache) -> list[str]:
    """The deployed bars' colours: the first model vermillion, the second blue."""
    return [VERMILLION, BLUE][: len(p.deployed)]


def bar_label(texts: Texts, b: KVBar) -> str:
    """Model and mechanism ("if MHA" for a mechanism the model does not use)."""
    mechanism = b.mechanism if b.actual else texts.t("if_mechanism", mechanism=b.mechanism)
    return f"{b.model} · {mechanism}"


def _elements(canvas: Canvas, fig: Figure, p: KVCache) -> Rect:
    """Left panel: elements per token, one bar per model and mechanism; returns its rectangle."""
    import numpy as np

    from ..drawing import content_rect

    theme, scale, bars = canvas.theme, canvas.scale, p.bars
    rect = content_rect(fig, 0.25, 0.62)
    ax = fig.add_axes(rect)
    y = np.arange(len(bars))[::-1]
    colours = [bar_colour(b, theme.grid) for b in bars]
    ax.barh(
        y,
        [b.elements / 1000 for b in bars],
        color=colours,
        height=0.65,
        zorder=2,
        edgecolor=[theme.muted if not b.actual else c for b, c in zip(bars, colours, strict=True)],
    )
    ax.set_yticks(y, [bar_label(canvas.texts, b) for b in bars])
    ax.tick_params(axis="y", length=0)
    top = max(b.elements for b in bars) / 1000
    ax.set_xlim(0, top * 1.3)
    for yi, b in zip(y, bars, strict=True):
        ax.text(
            b.elements / 1000 + top * 0.015,
            yi,
            f"{b.elements:,}",
            va="center",
            fontsize=12 * scale,
            color=theme.foreground,
            fontweight="bold" if b.actual else "normal",
        )
    ax.set_xlabel(canvas.t("kv_elements"))
    ax.grid(axis="y", visible=False)
    return rect


def _bytes(canvas: Canvas, fig: Figure, p: KVCache, rect: Rect) -> None:
    """Right panel: bytes as deployed, with the reduction as its title."""
    import numpy as np

    bx = fig.add_axes((0.72, rect[1], 0.26, rect[3] * 0.9))
    dep = p.deployed
    xb = np.arange(len(dep))
    bx.bar(xb, [d.bytes / 1000 for d in dep], color=deployed_colours(p), width=0.6, zorder=2)
    bx.set_xticks(xb, [d.model for d in dep])
    for xi, d in zip(xb, dep, strict=True):
        bx.text(
            float(xi),
            d.bytes / 1000,
            f"{d.bytes / 1000:.1f} KB\n{_bits(canvas.texts, d)}",
            ha="center",
            va="bottom",
            fontsize=11.5 * canvas.scale,
            color=canvas.theme.foreground,
        )
    bx.set_ylim(0, max(d.bytes for d in dep) / 1000 * 1.5)
    bx.set_ylabel(canvas.t("kv_bytes"))
    bx.grid(axis="x", visible=False)
    if p.reduction is not None:
        bx.set_title(
            canvas.t("reduction", value=f"{p.reduction * 100:.1f}%"),
            fontsize=16 * canvas.scale,
            color=BLUE,
            fontweight="bold",
        )


def draw(canvas: Canvas, p: KVCache) -> Figure:
    """Elements per token (left) and bytes as deployed (right)."""
    fig = canvas.figure()
    rect = _elements(canvas, fig, p)
    _bytes(canvas, fig, p, rect)
    return fig


def native(p: KVCache, texts: Texts) -> NativeChart:
    """Two bar charts as drawn: elements per token (exact counts), and KB as deployed."""
    t = texts.t
    elements = BarPanel(
        horizontal=True,
        categories=tuple(bar_label(texts, b) for b in p.bars),
        series=(
            BarSeries(
                name=t("kv_elements_table"),
                values=tuple(float(b.elements) for b in p.bars),
                colours=tuple(bar_colour(b, "grid") for b in p.bars),
            ),
        ),
        value_axis=Axis(title=t("kv_elements_table"), number_format="#,##0"),
        value_format="#,##0",
    )
    deployed = BarPanel(
        horizontal=False,
        categories=tuple(f"{d.model}\n{_bits(texts, d)}" for d in p.deployed),
        series=(
            BarSeries(
                name=t("kv_bytes"),
                values=tuple(d.bytes / 1000 for d in p.deployed),
                colours=tuple(deployed_colours(p)),
            ),
        ),
        value_axis=Axis(title=t("kv_bytes"), number_format="0"),
        value_format="0.0",
        title="" if p.reduction is None else t("reduction", value=f"{p.reduction * 100:.1f}%"),
    )
    return NativeChart(panels=(elements, deployed), widths=(0.62, 0.38))


KIND = ChartKind(
    name="kv-cache-per-token",
    payload=KVCache,
    texts=frozenset(
        {
            "model",
            "paren",
            "attention",
            "kv_elements",
            "kv_elements_table",
            "kv_bytes",
            "actual",
            "if_mechanism",
            "reduction",
            "bits",
            "assumed",
        }
    )
    | EVIDENCE_TEXTS,
    build=build,
    table=table,
    draw=draw,
    native=native,
)
