"""Numbers as a document prints them: the numeric cells of a line, and the printed forms
of a data value (236_000_000_000 as "236B", 131072 tokens as "128K").

A cell is read through the marks papers put around numbers: footnote signs (78.5*,
78.5†), Markdown emphasis (**78.5**), a percent sign, thousands separators, a ± spread
(65.3 ± 0.4 reads as 65.3), a Unicode minus, and a fraction (12/20 also reads as its
share in percent).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

# A number not glued to a word before it ("Qwen2.5", "GPT-4o" and "x86" are names, not
# cells), optionally scaled by a unit letter glued to it or one space away.
_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-−–]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?:\s?(?P<unit>[KMBT])\b)?"
    r"(?P<pct>\s?%)?"
    r"(?:/(?P<den>\d+(?:\.\d+)?))?"
)
# Marks that decorate a cell without being part of its value.
_DECORATION = re.compile(
    r"\*\*|__|</?(?:b|strong|u|i|em)>|<sup>[^<]*</sup>|[*∗†‡§¶↑↓]|\[\d+(?:[,–-]\s?\d+)*\]"
)
_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


@dataclass(frozen=True)
class Cell:
    """One number on a line: its value(s) as printed and where the line has it."""

    values: tuple[float, ...]  # what it can stand for (a fraction: itself and its share)
    start: int


def clean(line: str) -> str:
    """The line without the marks that decorate numbers."""
    return _DECORATION.sub(" ", line)


@lru_cache(maxsize=1 << 16)
def cells(line: str) -> tuple[Cell, ...]:
    """The numbers of *line*, in order."""
    out = []
    for m in _NUMBER.finditer(clean(line)):
        number = float(m["int"].replace(",", "") + (m["frac"] or ""))
        if m["sign"]:
            number = -number
        values = [number]
        if m["unit"]:
            values.append(number * _SCALE[m["unit"]])
            if m["unit"] == "K":
                values.append(number * 1024)  # context lengths: 128K = 131072 tokens
        if m["den"]:
            den = float(m["den"])
            if den:
                values.append(100 * number / den)
        out.append(Cell(values=tuple(values), start=m.start()))
    return tuple(out)


def decimals(value: float) -> int:
    """Decimal places of *value* as written in the data (78.50 is read as 78.5)."""
    text = repr(float(value))
    if "e" in text:
        return 0
    return len(text.split(".")[1].rstrip("0"))


def same(printed: float, value: float) -> bool:
    """Whether a printed number is the data value (a share may be printed rounded)."""
    if math.isclose(printed, value, rel_tol=1e-9, abs_tol=1e-9):
        return True
    return False


def share_matches(printed: float, value: float) -> bool:
    """A fraction's share in percent, rounded as the data value is written."""
    return round(printed, decimals(value)) == value


def _in_scientific(value: float, line: str) -> bool:
    parts = scientific(value)
    if parts is None:
        return False
    mantissa, exponent = parts
    text = clean(line).replace("−", "-").replace("–", "-")
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(?:[×x·]\s*10\s*\^?\s*\{?|e)\s*(-\s*\d+)", text):
        if same(float(m[1]), mantissa) and int(m[2].replace(" ", "")) == exponent:
            return True
    return False


@lru_cache(maxsize=1 << 18)
def in_line(value: float, line: str) -> bool:
    """Whether *line* prints *value* as one of its numbers."""
    if _in_scientific(value, line):
        return True
    for cell in cells(line):
        if same(cell.values[0], value) or any(
            same(v, value) or (i == len(cell.values) - 1 and share_matches(v, value))
            for i, v in enumerate(cell.values[1:], start=1)
        ):
            return True
    return False


def scientific(value: float) -> tuple[float, int] | None:
    """A small value as mantissa and exponent (4.2e-4 -> (4.2, -4)), as papers print rates."""
    if value == 0 or abs(value) >= 0.01:
        return None
    exponent = math.floor(math.log10(abs(value)))
    return round(value / 10**exponent, 6), exponent
