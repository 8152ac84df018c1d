"""One number against its place in the document: confirmed, page only or not found.

- **confirmed**: the value as printed, in the row of its benchmark or model (a line with
  the row's label or its column's label: a table may list models as rows), on the pages
  of its table; or, for a row whose label the document prints otherwise, on the line
  that prints the other numbers of its row too, or of a row group printed one setting a
  line, the line of its setting among its column's other settings; for a section, within
  the section's lines (a model fact's count may be a word: "three MoE layers");
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
    loosely, then printing the rest of its row, then a row group's line for its setting
    (under its model's label, or among its column's numbers of the group's other settings)."""
    labels = [label for label in target.row_labels if label]
    keys = set().union(*(_label_keys(label) for label in labels)) if labels else set()
    if keys:
        yield True, [item for item in lines if _exact(item[2], keys)]
        yield True, [item for item in lines if _loose(item[2], keys)]
    yield False, _signature(target, lines)
    yield False, _block(target, lines)
    yield False, _stack(target, lines)


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


def _setting_key(setting: str) -> str:
    return _norm(_PAREN.sub("", setting))


def _is_setting(cell: str, setting: str) -> bool:
    """Whether a cell is the part of a setting a table prints: "32" of "sample budget 32",
    never the "2" of "32"."""
    key = _setting_key(setting)
    return bool(cell) and key.endswith(cell) and not key[: len(key) - len(cell)][-1:].isdigit()


def _prints(line: str, value: float, setting: str) -> bool:
    """The line prints the value and a cell that is the setting."""
    return numbers.in_line(value, line) and any(_is_setting(c, setting) for c in _cell_keys(line))


_SIZE = re.compile(r"\d+[mbt]")  # a model's size, normalised: "7b", "600m", "13b" for 1.3B


def _foreign(line: str, label: str, settings: list[str]) -> bool:
    """A cell of the line names what the column's label does not: another model, another
    mode ("non-CoT" beside "CoT"), another size (a size is anyone's when the label has none)."""
    own = {_norm(word) for word in label.split()} | _label_keys(label)
    sized = any(_SIZE.fullmatch(word) for word in own)
    for cell in _CELL_GAP.split(numbers.clean(line)):
        keys = {_norm(cell), _norm(_PAREN.sub("", cell))}
        if not any(re.search("[a-z]", k) for k in keys) or keys & own:
            continue
        if any(_is_setting(k, s) for k in keys for s in settings):
            continue
        if not sized and any(_SIZE.fullmatch(k) for k in keys):
            continue
        return True
    return False


def _beside(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two lines one after the other on one page."""
    return a[0] == b[0] and abs(a[1] - b[1]) == 1


def _run(target: Target, lines: list[tuple[int, int, str]], n: int) -> list[str] | None:
    """Line *n* and the lines beside it (without a gap) that print the same column's
    numbers of the row's other settings, one setting a line: when they are two or more."""
    run = [lines[n][2]]
    matched: set[tuple[str, float]] = set()
    for step in (-1, 1):
        k = n + step
        while 0 <= k < len(lines) and _beside(lines[k], lines[k - step]):
            line = lines[k][2]
            entry = next(
                (e for e in target.stack if e not in matched and _prints(line, e[1], e[0])), None
            )
            if entry is None:
                break
            matched.add(entry)
            run.append(line)
            k += step
    return run if len(matched) >= 2 else None


def _stack(target: Target, lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Lines of a row group printed one setting a line, its model's label once for the
    block, wherever in it (or not at all): the line that prints the value and its setting,
    between lines that print at least two more of its column's numbers, each with its own
    setting, and no cell that names another model, mode or size."""
    if not target.setting or len(target.row_labels) < 2 or len(target.stack) < 2:
        return []
    settings = [target.setting, *(s for s, _v in target.stack)]
    out = []
    for n, item in enumerate(lines):
        if not _prints(item[2], target.value, target.setting):
            continue
        run = _run(target, lines, n)
        if run and not any(_foreign(line, target.row_labels[1], settings) for line in run):
            out.append(item)
    return out


def _in_lines(
    target: Target, lines: list[tuple[int, int, str]], prose: bool = False
) -> tuple[int, int] | None:
    """The first line that prints the number; in *prose*, a model fact's count may be
    written as a word before the thing it counts ("three MoE layers")."""
    readings = (target.value, target.value / 100) if target.percent else (target.value,)
    for page, index, line in lines:
        if any(numbers.in_line(value, line) for value in readings):
            return page + 1, index + 1
    if prose and target.kind == "fact":  # its field's words: ("layer",) for layers
        for page, index, line in lines:
            if numbers.in_words(target.value, line, target.row_labels[1:]):
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
    prose = place.kind == "section"
    if target.kind != "score" and place.lines is not None:
        found = _found("confirmed", place, _in_lines(target, region, prose))  # in its section
    else:
        for by_label, tier in _tiers(target, region):
            found = _found("confirmed", place, _in_lines(target, tier))
            if found is not None:
                found = dataclasses.replace(found, by_label=by_label)
                break
    if found is None:
        found = _found("page-only", place, _in_lines(target, pages, prose))
    return found or Finding(outcome="not-found", place=place.label)
