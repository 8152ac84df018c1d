"""A second look at a table's confirmed numbers: is each under its own column?

Finding a value in its row does not show it is in its column: a data file whose two
columns were swapped still has every value in the right row. The table's header line
prints the columns' labels in order; within a row, the values must come in the same order
as their columns' labels (pypdf's layout mode keeps a line's cells in reading order). Two
values in the opposite order of their columns' labels are reported. Only columns whose
label the header prints once, on one line, are compared: a table printed with models as
rows, or a header spread over several lines, is left as it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import numbers
from .reading import DocumentText
from .targets import Target

_ABOVE = 8  # characters: how far apart two parts of one header label may stand


@dataclass(frozen=True)
class Placed:
    """A confirmed number, where its line prints it, and the page of that line."""

    target: Target
    page: int  # 0-based
    line: int  # 0-based
    middle: float  # where on the line, in characters


def _label_at(label: str, line: str) -> float | None:
    """Where *line* prints *label* once (its middle), else None."""
    pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, label.split())) + r"(?![\w-])"
    found = list(re.finditer(pattern, numbers.clean(line)))
    return (found[0].start() + found[0].end()) / 2 if len(found) == 1 else None


# Three words running, one space apart: a sentence (a header's cells stand further apart).
_PROSE = re.compile(r"[A-Za-z]+[,.]?\s[A-Za-z]+[,.]?\s[A-Za-z]+")
_CAPTION = re.compile(r"^\s*(?:Table|Figure|Fig\.)\s*\d")


def _is_header(line: str, labels: list[str]) -> bool:
    """A line of column labels: not two decimal values (a row, of this table or one beside
    it; a label may hold one, "Qwen 1.5"), no caption and no sentence (the text that names
    the models)."""
    decimals = sum(1 for c in numbers.cells(line) if c.values[0] != int(c.values[0]))
    if _CAPTION.match(line) or decimals >= 2:
        return False
    rest = numbers.clean(line)
    for label in labels:
        rest = rest.replace(label, " ")
    return _PROSE.search(rest) is None


def _split_label_at(label: str, upper: str, lower: str) -> float | None:
    """Where a label printed over two lines of a header stands ("DeepSeek" above "67B"):
    its words split between the lines, each part once on its line, one above the other."""
    words = label.split()
    for cut in range(1, len(words)):
        top = _label_at(" ".join(words[:cut]), upper)
        bottom = _label_at(" ".join(words[cut:]), lower)
        if top is not None and bottom is not None and abs(top - bottom) <= _ABOVE:
            return top
    return None


def _header(
    text: DocumentText, page: int, first_row: int, labels: dict[str, str]
) -> dict[str, float]:
    """The columns' places on the header: the line (or two lines) above the rows that
    prints the most labels."""
    lines = text.pages[page][:first_row]
    names = list(labels.values())
    best: dict[str, float] = {}
    for i, line in enumerate(lines):
        if not _is_header(line, names):
            continue
        below = lines[i + 1] if i + 1 < len(lines) and _is_header(lines[i + 1], names) else ""
        found: dict[str, float] = {}
        for model, label in labels.items():
            x = _label_at(label, line)
            if x is None and below:
                x = _split_label_at(label, line, below)
            if x is not None:
                found[model] = x
        if len(found) > len(best):
            best = found
    return best


def _against_header(
    text: DocumentText,
    placed: Sequence[Placed],
    labels: dict[str, str],
    key: Callable[[Target], str],
) -> dict[str, Target]:
    by_line: dict[tuple[int, int], list[Placed]] = defaultdict(list)
    for p in placed:
        by_line[p.page, p.line].append(p)
    out: dict[str, Target] = {}
    for page in {p.page for p in placed}:
        first = min(p.line for p in placed if p.page == page)
        header = _header(text, page, first, labels)
        if len(header) < 2:
            continue
        for (row_page, _line), row in by_line.items():
            known = [p for p in row if key(p.target) in header] if row_page == page else []
            for i, a in enumerate(known):
                for b in known[i + 1 :]:
                    printed = a.middle < b.middle
                    labelled = header[key(a.target)] < header[key(b.target)]
                    if a.middle != b.middle and printed != labelled:
                        out[a.target.name] = a.target
                        out[b.target.name] = b.target
    return out


def misplaced(text: DocumentText, placed: Sequence[Placed], labels: dict[str, str]) -> list[Target]:
    """The numbers of one table whose order on their line contradicts the order of their
    columns' labels on the header."""
    return list(_against_header(text, placed, labels, lambda t: t.model).values())


def place(target: Target, text: DocumentText, page: int, line: int) -> Placed | None:
    """The number where its line prints it, when it prints it once."""
    found = numbers.positions(target.value, text.pages[page][line])
    if len(found) != 1:
        return None  # the same value twice on its line: its own column cannot be told
    return Placed(target=target, page=page, line=line, middle=found[0])
