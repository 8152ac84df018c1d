"""Numbers as a document prints them: the numeric cells of a line, and the printed forms
of a data value (236_000_000_000 as "236B", 131072 tokens as "128K").

A cell is read through the marks papers put around numbers: footnote signs (78.5*,
78.5†), Markdown emphasis (**78.5**), a percent sign, thousands separators, a ± spread
(65.3 ± 0.4 reads as 65.3), a Unicode minus, and a fraction (12/20 also reads as its
share in percent). A number the text layer ran into the words beside it is read where no
name would be written so ("DSpark6.11", "for15000steps"); a count written as a word
("three MoE layers") is read by `in_words`, for prose.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

# A number not glued to a word before it ("Qwen2.5", "GPT-4o" and "x86" are names, not
# cells) unless it is a percentage (a PDF's text may run "reaching88.9%pass" together),
# optionally scaled by a unit letter glued to it or one space away.
_NUMBER = re.compile(
    r"(?:(?<![\w.])|(?<=\d[KMBT])|(?<=[A-Za-z])(?=\d+\.\d+\s?%))(?P<sign>[-−–]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?:\s?(?P<unit>[KMBTk])\b|\s(?P<word>thousand|million|billion|trillion)\b)?"
    r"(?P<pct>\s?%)?"
    r"(?:/(?P<den>\d+(?:\.\d+)?))?"
)
# Marks that decorate a cell without being part of its value.
_DECORATION = re.compile(
    r"\*\*|__|</?(?:b|strong|u|i|em)>|<sup>[^<]*</sup>|[*∗†‡§¶↑↓]|\[\d+(?:[,–-]\s?\d+)*\]"
)
_SCALE = {
    "K": 1e3,
    "k": 1e3,
    "M": 1e6,
    "B": 1e9,
    "T": 1e12,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}


@dataclass(frozen=True)
class Cell:
    """One number on a line: its value(s) as printed and where the line has it."""

    values: tuple[float, ...]  # what it can stand for, exactly
    share: float | None = None  # a fraction's share in percent, matched as rounded
    middle: float = 0.0  # its middle, in characters from the line's start: its column


# Two cells a PDF's text layer runs together ("16.049.6" for 16.0 and 49.6): split where
# both halves have the same number of decimals.
_GLUED = re.compile(r"\d+\.\d{2,6}\.\d{1,3}(?![\d.])")


def _unglue(match: re.Match[str]) -> str:
    head, middle, tail = match[0].split(".")
    split = len(tail)  # the left half has as many decimals as the right half
    if split >= len(middle):
        return match[0]
    return f"{head}.{middle[:split]} {middle[split:]}.{tail}"


# A number a PDF's text layer ran into the words beside it, where no name would be written
# so: a cell run into its row's label ("DSpark6.11": two decimals, where a name's version
# has one, "Qwen2.5", "V3.2"), or three digits or more between two lowercase words
# ("for15000steps"; "H800", "A100", "GPT4", "GSM8K" and "cl100k_base" stay names).
_RUN_INTO_LABEL = re.compile(r"(?<=[A-Za-z])(?=\d+\.\d{2,}(?![\d.]))")
_RUN_INTO_WORDS = re.compile(r"\b([a-z]+)(\d{3,})([a-z]+)\b")


def clean(line: str) -> str:
    """The line without the marks that decorate numbers, and its glued cells and the
    numbers run into words apart."""
    line = _DECORATION.sub(" ", line)
    line = _RUN_INTO_WORDS.sub(r"\1 \2 \3", _RUN_INTO_LABEL.sub(" ", line))
    return _GLUED.sub(_unglue, line)


@lru_cache(maxsize=1 << 16)
def cells(line: str) -> tuple[Cell, ...]:
    """The numbers of *line*, in order.

    A cell with more decimals than most of its line's cells may carry a digit of the text
    beside it (two tables side by side: "0.487" for 0.48): it reads both ways.
    """
    found = list(_NUMBER.finditer(clean(line)))
    places = [len(m["frac"]) - 1 for m in found if m["frac"]]
    usual = max(set(places), key=places.count) if len(places) >= 3 else None
    out = []
    for m in found:
        number = float(m["int"].replace(",", "") + (m["frac"] or ""))
        values = [-number, number] if m["sign"] == "-" else [-number if m["sign"] else number]
        # An ASCII hyphen before a number is as often a neighbouring empty cell ("-74.9%"
        # after a "-" column) as a minus sign: both readings are kept.
        if usual and m["frac"] and len(m["frac"]) - 1 > usual:
            values.append(float(m["int"] + m["frac"][: usual + 1]))
        unit = m["unit"] or m["word"]
        if unit:
            values.append(number * _SCALE[unit])
            if unit in {"K", "k"}:
                values.append(number * 1024)  # context lengths: 128K = 131072 tokens
        if m["den"]:
            den = float(m["den"])
            values.append(den)  # "9/14 days": two models' values side by side
        share = 100 * number / float(m["den"]) if m["den"] and float(m["den"]) else None
        middle = (m.start("int") + m.end()) / 2
        out.append(Cell(values=tuple(values), share=share, middle=middle))
    return tuple(out)


def decimals(value: float) -> int:
    """Decimal places of *value* as written in the data (78.50 is read as 78.5)."""
    text = repr(float(value))
    if "e" in text:
        return 0
    return len(text.split(".")[1].rstrip("0"))


def same(printed: float, value: float) -> bool:
    """Whether a printed number is the data value."""
    return math.isclose(printed, value, rel_tol=1e-9, abs_tol=1e-9)


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


def _matches(cell: Cell, value: float) -> bool:
    if any(same(v, value) for v in cell.values):
        return True
    return cell.share is not None and share_matches(cell.share, value)


@lru_cache(maxsize=1 << 18)
def in_line(value: float, line: str) -> bool:
    """Whether *line* prints *value* as one of its numbers."""
    if _in_scientific(value, line):
        return True
    return any(_matches(cell, value) for cell in cells(line))


def positions(value: float, line: str) -> list[float]:
    """The middles of the cells of *line* that print *value* (a table's columns)."""
    return [cell.middle for cell in cells(line) if _matches(cell, value)]


def scientific(value: float) -> tuple[float, int] | None:
    """A small value as mantissa and exponent (4.2e-4 -> (4.2, -4)), as papers print rates."""
    if value == 0 or abs(value) >= 0.01:
        return None
    exponent = math.floor(math.log10(abs(value)))
    return round(value / 10**exponent, 6), exponent


_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve".split()  # 1 to 12
)


@lru_cache(maxsize=1 << 12)
def _counted(value: int, nouns: tuple[str, ...]) -> re.Pattern[str]:
    things = "|".join(re.escape(noun) for noun in nouns)
    return re.compile(
        rf"\b{_WORDS[value - 1]}[\s-]+(?:[\w-]+\s+){{0,2}}(?:{things})", re.IGNORECASE
    )


def in_words(value: float, line: str, nouns: tuple[str, ...]) -> bool:
    """Whether *line* counts *value* things in words, the thing named within three words
    after it ("three MoE layers" for 3 layers): one to twelve, as prose writes them."""
    if not nouns or value != int(value) or not 1 <= value <= len(_WORDS):
        return False
    return _counted(int(value), nouns).search(line) is not None
