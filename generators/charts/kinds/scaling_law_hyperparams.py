"""Optimal batch size and learning rate against compute, with the models' actual settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import schema
from ...catalog import Catalog
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


class HyperparamFits(_scaling.ScalingFits):
    """The batch-size and learning-rate laws, and the models' batch sizes and learning rates."""


def build(catalog: Catalog, decl: schema.ChartDecl, _paper: schema.Paper | None) -> ChartData:
    """The declared paper's two hyperparameter laws and the declared models."""
    return _scaling.build(catalog, decl, ("batch-size", "learning-rate"), HyperparamFits)


def table(fits: HyperparamFits, texts: Texts, _localize: Localize) -> Table:
    """One row per model (compute, batch tokens, learning rate; whether the learning rate
    was checked against its document), then the formulas."""
    head = [
        texts.t("model"),
        texts.t("budget_axis"),
        texts.t("batch_axis"),
        texts.t("lr_axis"),
        texts.t("evidence_legend"),
        checked_head(texts, [texts.t("lr_axis")]),
    ]
    rows = [
        [
            x.model,
            f"{x.compute:.2e}",
            f"{x.batch_tokens or 0:,}",
            f"{x.learning_rate or 0:.2g}",
            _evidence(x, texts),
            checked_cell(texts, [x.lr_checked]),
        ]
        for x in fits.points
    ]
    return head, rows + _scaling.law_rows(fits, texts)


def _evidence(x: _scaling.ScalingPoint, texts: Texts) -> str:
    """C and the batch in tokens are derived (with their inputs); the learning rate is read."""
    formula = _scaling.m_formula(x)
    if x.batch_inputs:
        formula += f"; {x.batch_inputs[0]} · {x.batch_inputs[1]} = {x.batch_tokens:,}"
    text = evidence_cell(texts, ["derived"], formula)
    if x.lr_evidence:
        text += f"{texts.t('semicolon')}{texts.t('lr_axis')}{texts.t('colon')}"
        text += _scaling.kind_name(texts, x.lr_evidence)
    return text


PANELS = (
    _scaling.Panel(
        law="batch-size", value=lambda x: x.batch_tokens, axis="batch_axis", legend="upper left"
    ),
    _scaling.Panel(
        law="learning-rate", value=lambda x: x.learning_rate, axis="lr_axis", legend="upper right"
    ),
)


def draw(canvas: Canvas, fits: HyperparamFits) -> Figure:
    """Batch size (left) and learning rate (right), each with the models' actual setting."""
    return _scaling.draw(
        canvas, fits, PANELS, lambda x: x.model + canvas.t("paren", text=canvas.t("actual_setting"))
    )


def native(fits: HyperparamFits, texts: Texts) -> NativeChart:
    """The two panels as XY charts: fit lines and the models' points."""
    return _scaling.native(
        fits, texts, PANELS, lambda x: x.model + texts.t("paren", text=texts.t("actual_setting"))
    )


KIND = ChartKind(
    name="scaling-law-hyperparams",
    payload=HyperparamFits,
    texts=frozenset(
        {
            "model",
            "budget_axis",
            "batch_axis",
            "lr_axis",
            "fit",
            "actual_setting",
            "semicolon",
            "paren",
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
