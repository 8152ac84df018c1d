"""The numbers of one paper file that name a source: what the verifier checks.

Read from the file as written (aliases not yet resolved), so each number keeps the alias
that backs it, its line in the file and a stable name: `comparisons[base-models].rows[MMLU,
5-shot].scores.deepseek-v2`, `models[deepseek-v2].config.layers`, `claims[training-cost]`.
Names follow the What changed page's paths (list items by id, rows by label and setting),
so reordering a file keeps them; a field with several sourced values numbers them
(`...config.total_params[2]`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..load import KeyPath, SourceDocument

Kind = str  # "score" | "fact" | "claim"


@dataclass(frozen=True, kw_only=True)
class Target:
    """One number and what it claims about its source."""

    name: str  # stable name (see the module's docstring)
    kind: Kind
    value: float
    alias: str
    line: int | None
    field: str  # "scores.deepseek-v2", "layers", "value": for messages
    # Where the number should sit in its document: the row's labels (a score: the row's
    # label and its column's label; a fact: the model's name and the field's words).
    row_labels: tuple[str, ...]
    siblings: tuple[float, ...] = ()  # the other numbers of a score's row
    # The same column's numbers in the other rows: a table printed with models as rows
    # has them on the score's line.
    column: tuple[float, ...] = ()
    percent: bool = False  # a claim in percent: a paper may print 10% as a rate of 0.1
    setting: str = ""  # a score's setting, as the data writes it
    comparison: str = ""  # a score's table (its id), row (label and setting) and column
    row: str = ""
    model: str = ""
    peers: tuple[str, ...] = ()  # the labels of a score's other columns
    # The same column's numbers in the other rows of the same label, with their settings:
    # a row group printed one setting a line has them on the lines beside the score's.
    stack: tuple[tuple[str, float], ...] = ()


def row_name(label: str, setting: str) -> str:
    return f"{label}, {setting}" if setting else label


def score_name(comparison: str, label: str, setting: str, model: str) -> str:
    return f"comparisons[{comparison}].rows[{row_name(label, setting)}].scores.{model}"


def fact_name(model: str, field: str, index: int | None) -> str:
    suffix = f"[{index + 1}]" if index is not None else ""
    return f"models[{model}].config.{field}{suffix}"


def claim_name(claim: str) -> str:
    return f"claims[{claim}]"


# The words a table row or a sentence uses for a configuration field.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "total_params": ("total", "param", "parameters"),
    "activated_params": ("activated", "active"),
    "layers": ("layer",),
    "hidden_size": ("hidden", "dimension", "embedding"),
    "shared_experts": ("expert",),
    "routed_experts": ("expert",),
    "activated_experts": ("expert",),
    "relative_expert_size": ("expert size",),
    "attention_heads": ("head",),
    "kv_heads": ("head", "kv"),
    "context_length": ("context", "length"),
    "training_tokens": ("token",),
    "vocab_size": ("vocab",),
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _line(doc: SourceDocument, path: KeyPath) -> int | None:
    return doc.locate(path)[0]


def _scores(doc: SourceDocument) -> Iterator[Target]:
    for c, comparison in enumerate(doc.data.get("comparisons") or []):
        alias = comparison.get("source")
        if not isinstance(alias, str):
            continue
        labels = {col.get("model"): col.get("label", "") for col in comparison.get("columns") or []}
        rows = comparison.get("rows") or []
        values = [
            {m: v for m, s in (row.get("scores") or {}).items() if (v := _number(s)) is not None}
            for row in rows
        ]
        # Each column's numbers, row by row (a score's column is the others of them).
        by_model: dict[str, list[tuple[int, float]]] = {}
        for r, scores in enumerate(values):
            for model, value in scores.items():
                by_model.setdefault(model, []).append((r, value))
        seen: dict[str, int] = {}
        for r, row in enumerate(rows):
            setting = row.get("setting", "")
            row_key = row_name(row.get("label", ""), setting)
            seen[row_key] = seen.get(row_key, 0) + 1
            label = row.get("label", "") + ("" if seen[row_key] == 1 else f" #{seen[row_key]}")
            for model, value in values[r].items():
                yield Target(
                    name=score_name(comparison.get("id", str(c)), label, setting, model),
                    kind="score",
                    value=value,
                    alias=alias,
                    line=_line(doc, ("comparisons", c, "rows", r, "scores", model)),
                    field=f"scores.{model}",
                    row_labels=(row.get("label", ""), labels.get(model, model)),
                    siblings=tuple(v for m, v in values[r].items() if m != model),
                    column=tuple(v for k, v in by_model[model] if k != r),
                    setting=setting,
                    comparison=str(comparison.get("id", c)),
                    row=row_name(label, setting),
                    model=str(model),
                    peers=tuple(v for m, v in labels.items() if m != model),
                    stack=tuple(
                        (rows[k].get("setting", ""), v)
                        for k, v in by_model[model]
                        if k != r and rows[k].get("label") == row.get("label")
                    ),
                )


def _facts(doc: SourceDocument) -> Iterator[Target]:
    for m, model in enumerate(doc.data.get("models") or []):
        config = model.get("config") or {}
        block = config.get("source")
        for field, raw in config.items():
            if field in {"source", "note"}:
                continue
            items = raw if isinstance(raw, list) else [raw]
            several = len(items) > 1  # a one-item list is the plain value, as validation reads it
            for i, item in enumerate(items):
                alias = item.get("source", block) if isinstance(item, dict) else block
                value = _number(item.get("value") if isinstance(item, dict) else item)
                if value is None or not isinstance(alias, str):
                    continue
                path: KeyPath = ("models", m, "config", field)
                if isinstance(raw, list):
                    path = (*path, i)
                yield Target(
                    name=fact_name(model.get("id", str(m)), field, i if several else None),
                    kind="fact",
                    value=value,
                    alias=alias,
                    line=_line(doc, path),
                    field=f"{field}",
                    row_labels=(model.get("name", ""), *FIELD_WORDS.get(field, ())),
                )


def _claims(doc: SourceDocument) -> Iterator[Target]:
    for c, claim in enumerate(doc.data.get("claims") or []):
        value = _number(claim.get("value"))
        alias = claim.get("source")
        if value is None or not isinstance(alias, str):
            continue
        yield Target(
            name=claim_name(claim.get("id", str(c))),
            kind="claim",
            value=value,
            alias=alias,
            line=_line(doc, ("claims", c, "value")),
            field="value",
            row_labels=(),
            percent=claim.get("unit") == "percent",
        )


def of_paper(doc: SourceDocument) -> list[Target]:
    """Every score, model fact and claim of a paper file, in file order per kind."""
    return [*_scores(doc), *_facts(doc), *_claims(doc)]
