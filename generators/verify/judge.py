"""One number against its place in the document: confirmed, page only or not found.

- **confirmed**: the value as printed, in the row of its benchmark or model (a line with
  the row's label or its column's label: a table may list models as rows), on the pages
  of its table; or, for a row whose label the document prints otherwise, on the line
  that prints the other numbers of its row too; for a section, within the section's lines;
- **page only**: on a page of its table or section, not in its row;
- **not found**: nowhere on those pages.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from . import numbers
from .locate import Place
from .reading import DocumentText
from .targets import Target

Outcome = Literal["confirmed", "page-only", "not-found", "not-checkable"]
OUTCOMES: tuple[Outcome, ...] = ("confirmed", "page-only", "not-found", "not-checkable")


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    place: str  # "Table 2", "Section 3.1.2", ...: as messages name it
    page: int | None = None  # 1-based
    line: int | None = None  # 1-based, within the page
    why: str = ""  # for not-checkable, or a value under another column: the reason
    by_label: bool = False  # confirmed on a line that carries its row's label


_PAREN = re.compile(r"\([^)]*\)")
_CELL_GAP = re.compile(r"\s{2,}|\s*\|\s*")


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _label_keys(label: str) -> set[str]:
    keys = {_norm(label), _norm(_PAREN.sub("", label))}
    return {k for k in keys if k}


@lru_cache(maxsize=1 << 16)
def _cell_keys(line: str) -> frozenset[str]:
    """The line's cells, normalised, with and without a parenthesised metric."""
    out = set()
    for cell in _CELL_GAP.split(numbers.clean(line)):
        out.add(_norm(cell))
        out.add(_norm(_PAREN.sub("", cell)))
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def _line_text(line: str) -> str:
    return numbers.clean(line).lower()


@lru_cache(maxsize=4096)
def _loose_pattern(key: str) -> re.Pattern[str]:
    # The label's letters and digits in order, anything but letters and digits between,
    # not inside a word: "MMLU" in "MMLU-Pro (EM)" but never in "CMMLU"; after a digit it
    # may be (a cell run into the one before it: "71.11DALL-E 2").
    return re.compile("(?<![a-z])" + "[^0-9a-z]*".join(map(re.escape, key)))


def _exact(line: str, keys: set[str]) -> bool:
    """A cell of the line is the label (with or without its parenthesised metric)."""
    return not keys.isdisjoint(_cell_keys(line))


def _loose(line: str, keys: set[str]) -> bool:
    """The label starts a word of the line (a label split over cells, a name and its size)."""
    text = _line_text(line)
    return any(len(k) >= 4 and _loose_pattern(k).search(text) for k in keys)


def _tiers(
    target: Target, lines: list[tuple[int, int, str]]
) -> Iterator[tuple[bool, list[tuple[int, int, str]]]]:
    """The lines that may be the number's row, most certain first: labelled exactly, then
    loosely, then printing the rest of its row, then a row group's line for its setting."""
    labels = [label for label in target.row_labels if label]
    keys = set().union(*(_label_keys(label) for label in labels)) if labels else set()
    if keys:
        yield True, [item for item in lines if _exact(item[2], keys)]
        yield True, [item for item in lines if _loose(item[2], keys)]
    yield False, _signature(target, lines)
    yield False, _block(target, lines)


def _signature(target: Target, lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Lines that print the value with at least two other numbers of its row (or, in a
    table printed with models as rows, of its column)."""
    groups = [set(g) for g in (target.siblings, target.column) if len(set(g)) >= 2]
    out = []
    for item in lines:
        if groups and numbers.in_line(target.value, item[2]):
            for group in groups:
                if sum(1 for v in group if numbers.in_line(v, item[2])) >= 2:
                    out.append(item)
                    break
    return out


def _block(target: Target, lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Lines of a row group: the model's label printed once for several rows (one per
    setting), so a row is the line that prints the setting, under the model's label."""
    if not target.setting or len(target.row_labels) < 2:
        return []
    setting = _norm(_PAREN.sub("", target.setting))
    own = _label_keys(target.row_labels[1])
    others = set().union(*(_label_keys(label) for label in target.peers)) - own
    out = []
    for n, item in enumerate(lines):
        if not any(len(cell) >= 2 and setting.endswith(cell) for cell in _cell_keys(item[2])):
            continue
        for distance in range(0, 7):
            near = [lines[k] for k in (n - distance, n + distance) if 0 <= k < len(lines)]
            if any(_exact(x[2], own) for x in near):
                out.append(item)
                break
            if any(_exact(x[2], others) for x in near):
                break
    return out


def _in_lines(target: Target, lines: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    readings = (target.value, target.value / 100) if target.percent else (target.value,)
    for page, index, line in lines:
        if any(numbers.in_line(value, line) for value in readings):
            return page + 1, index + 1
    return None


def _found(outcome: Outcome, place: Place, at: tuple[int, int] | None) -> Finding | None:
    if at is None:
        return None
    return Finding(outcome=outcome, place=place.label, page=at[0], line=at[1])


def judge(target: Target, text: DocumentText, place: Place) -> Finding:
    """The outcome of one number at its place."""
    pages = [(p, i, line) for p in place.pages for i, line in enumerate(text.pages[p])]
    # A section's own lines; a table's (or a whole README's) pages.
    region = pages if place.lines is None else [x for x in pages if (x[0], x[1]) in place.lines]
    found = None
    if target.kind != "score" and place.lines is not None:
        found = _found("confirmed", place, _in_lines(target, region))  # stated in its section
    else:
        for by_label, tier in _tiers(target, region):
            found = _found("confirmed", place, _in_lines(target, tier))
            if found is not None:
                found = dataclasses.replace(found, by_label=by_label)
                break
    if found is None:
        found = _found("page-only", place, _in_lines(target, pages))
    return found or Finding(outcome="not-found", place=place.label)
