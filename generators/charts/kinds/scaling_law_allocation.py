"""Optimal model scale M and data scale D against compute, with the models' M and D."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import schema
from ...catalog import Catalog
from ...render import human_count
from ..base import (
    CHECKED_TEXTS,
    EVIDENCE_TEXTS,
    ChartData,
    ChartKind,
    Table,
    checked_cell,
    checked_head,
    evidence_cell,
)
from ..canvas import Canvas
from ..language import Localize, Texts
from ..native import NativeChart
from . import _scaling

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class AllocationFits(_scaling.ScalingFits):
    """The model-scale and data-scale laws, and the models' M and D."""


def build(catalog: Catalog, decl: schema.ChartDecl, _paper: schema.Paper | None) -> ChartData:
    """The declared paper's two allocation laws and the declared models."""
    return _scaling.build(catalog, decl, ("model-scale", "data-scale"), AllocationFits)


def table(fits: AllocationFits, texts: Texts, _localize: Localize) -> Table:
    """One row per model (compute, M, D; whether D was checked against its document), then
    the formulas."""
    head = [
        texts.t("model"),
        texts.t("budget_axis"),
        "M",
        "D",
        texts.t("evidence_legend"),
        checked_head(texts, ["D"]),
    ]
    rows = [
        [
            x.model,
            f"{x.compute:.2e}",
            f"{x.model_scale:.3e}",
            human_count(x.data_scale),
            evidence_cell(texts, ["derived"], _scaling.m_formula(x))
            + texts.t("semicolon")
            + "D"
            + texts.t("colon")
            + _scaling.kind_name(texts, x.data_evidence),
            checked_cell(texts, [x.data_checked]),
        ]
        for x in fits.points
    ]
    return head, rows + _scaling.law_rows(fits, texts)


PANELS = (
    _scaling.Panel(
        law="model-scale", value=lambda x: x.model_scale, axis="m_axis", legend="upper left"
    ),
    _scaling.Panel(
        law="data-scale", value=lambda x: x.data_scale, axis="d_axis", legend="upper left"
    ),
)


def draw(canvas: Canvas, fits: AllocationFits) -> Figure:
    """Model scale (left) and data scale (right), each with the models' values."""
    return _scaling.draw(canvas, fits, PANELS, lambda x: x.model)


def native(fits: AllocationFits, texts: Texts) -> NativeChart:
    """The two panels as XY charts: fit lines and the models' points."""
    return _scaling.native(fits, texts, PANELS, lambda x: x.model)


KIND = ChartKind(
    name="scaling-law-allocation",
    payload=AllocationFits,
    texts=frozenset({"model", "budget_axis", "m_axis", "d_axis", "fit", "semicolon"})
    | EVIDENCE_TEXTS
    | CHECKED_TEXTS,
    checked_column=True,
    build=build,
    table=table,
    draw=draw,
    native=native,
)
