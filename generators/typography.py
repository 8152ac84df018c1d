"""Chinese typography: Chinese text takes full-width punctuation (，：；（）！？).

A half-width , : ; ( ) ! ? that touches a Chinese character is a mistake, and so is a
, : ; ! ? after a word that spaces part from the Chinese text it opens ("21B, 並支援").
Latin text inside Chinese keeps its own punctuation ("pass@1, greedy", "(Table 2)",
"arXiv:2401.02954", "1,000").
What is not prose is never read: code, math, URLs, placeholders and Markdown syntax. A
neighbour is looked for through the marks that print nothing between two characters
(emphasis, a link's brackets and target, an attribute list, an inline HTML tag), so
"**架構**:DeepSeek" and "[關於資料](about.md),請" are found as a reader sees them.

`dspapers check` reports each finding in the data's zh-Hant fields, the zh-Hant prose in
content/ and the zh-Hant strings of `generators/strings.py`, with file, line and field.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .load import SourceDocument, format_path, string_values

HALF_WIDTH = ",:;()!?"
FULL_WIDTH = dict(zip(HALF_WIDTH, "，：；（）！？", strict=True))

# Han characters, CJK symbols and punctuation (、。「」〈〉) and full-width forms (，（）).
CHINESE = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\U00020000-\U0003134f]"
)
# What a parenthesis touches to belong to Chinese text: a Han character or a Chinese
# bracket or quote (〈〉《》「」『』【】〔〕). Not the comma or full stop after it: the name
# "DeepSeek-V2 Chat (SFT)" keeps its own parentheses before "，".
CHINESE_WORD = re.compile(
    "[\u3008-\u3011\u3014-\u301b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# The languages whose text is Chinese, as data files name them.
CHINESE_FIELDS = frozenset({"zh-Hant", "zh-Hans"})

_OPAQUE = "\x00"  # not prose: a neighbour that is not Chinese
_SILENT = "\x01"  # prints nothing: looked through for the neighbour behind it

_INLINE_TAGS = r"(?:a|abbr|b|em|i|small|span|strong|sub|sup|mark|del|ins|s|u)"
# (pattern, mask) in order: an earlier span is not read again by a later pattern.
_SPANS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.M | re.S), _OPAQUE),  # fences
    (re.compile(r"<(script|style|pre|code)\b.*?</\1>", re.S | re.I), _OPAQUE),
    (re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S), _OPAQUE),  # inline code
    (re.compile(r"\$\$.+?\$\$", re.S), _OPAQUE),  # display math
    (re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)"), _OPAQUE),  # inline math
    (re.compile(r"\\\(.+?\\\)|\\\[.+?\\\]", re.S), _OPAQUE),
    (re.compile(r"<!--.*?-->", re.S), _OPAQUE),
    (re.compile(rf"</?{_INLINE_TAGS}\b[^<>]*>", re.I), _SILENT),
    (re.compile(r"</?[A-Za-z][^<>]*>"), _OPAQUE),  # other tags: a cell or block boundary
    (re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*", re.M), _OPAQUE),
    (re.compile(r"^[ \t]*\[[^\]\n^]+\]:[ \t]+\S+", re.M), _OPAQUE),  # link definition
    (re.compile(r"^\*\[[^\]\n]+\]:", re.M), _OPAQUE),  # abbreviation
    (re.compile(r"\[\^[^\]\n]+\]:?"), _OPAQUE),  # footnote
    (re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:[ \t]+\"[^\"\n]*\")?\)"), _SILENT),
    (re.compile(r"\]\[[^\]\n]*\]"), _SILENT),  # reference link
    (re.compile(r"(?:https?|mailto|ftp):[^\s<>()\[\]]+(?:\([^\s<>()]*\))?"), _OPAQUE),
    # A function of one letter, as formulas write it: O(L²), f(x), M_opt(C).
    (re.compile(r"(?<![A-Za-z0-9_])[A-Za-z](?:_[A-Za-z0-9]+)?\([^()\n\u3400-\u9fff]*\)"), _OPAQUE),
    (re.compile(r"!(?=\[)|[\[\]*]"), _SILENT),  # image mark, brackets, emphasis
    (re.compile(r"\{:?[ \t]*[#.:][^{}\n]*\}"), _SILENT),  # attribute list
    (re.compile(r"\{[^{}\n\u3400-\u9fff]*\}"), _OPAQUE),  # a format placeholder
)


def masked(text: str) -> str:
    """*text* with every span that is not prose replaced, character for character."""
    out = list(text)
    for pattern, mark in _SPANS:
        current = "".join(out)
        for match in pattern.finditer(current):
            start, end = match.span()
            if _OPAQUE in current[start:end] or _SILENT in current[start:end]:
                # Inside or across a span already masked: mask only what is left of it.
                for i in range(start, end):
                    if out[i] not in (_OPAQUE, _SILENT):
                        out[i] = mark
                continue
            out[start:end] = mark * (end - start)
    return "".join(out)


def neighbour(text: str, index: int, step: int) -> str:
    """The character a reader sees beside *index* in the *masked* text ("" at an end)."""
    i = index + step
    while 0 <= i < len(text) and text[i] == _SILENT:
        i += step
    return text[i] if 0 <= i < len(text) else ""


def touches_chinese(text: str, index: int) -> bool:
    """Whether the mark at *index* of the *masked* text touches Chinese text (for a
    parenthesis: a Chinese word, see `CHINESE_WORD`; a Chinese bracket or quote only on
    its inner side, so that 「DeepSeekMath-V2 (Heavy)」 keeps the name's parentheses)."""
    mark = text[index]
    if mark not in "()":
        return any(CHINESE.match(neighbour(text, index, step)) for step in (-1, 1))
    inner = 1 if mark == "(" else -1
    return bool(CHINESE_WORD.match(neighbour(text, index, inner))) or bool(
        HAN.match(neighbour(text, index, -inner))
    )


@dataclass(frozen=True)
class Finding:
    """A half-width mark touching Chinese text: where, which, and the text around it."""

    offset: int
    mark: str
    excerpt: str

    @property
    def message(self) -> str:
        return (
            f'half-width "{self.mark}" next to Chinese text in "{self.excerpt}": '
            f'write "{FULL_WIDTH[self.mark]}"'
        )


def opens_chinese(text: str, index: int) -> bool:
    """Whether the mark at *index* of the *masked* text ends a word and Chinese text follows
    it after spaces ("21B, 並支援"): a Chinese clause, written with a Latin mark."""
    if not neighbour(text, index, -1).strip():
        return False
    i = index + 1
    while i < len(text) and text[i] in " \t":
        i += 1
    return i > index + 1 and bool(CHINESE.match(neighbour(text, i - 1, 1)))


def findings(text: str) -> list[Finding]:
    """Every half-width , : ; ( ) ! ? of *text* (Markdown) that touches a Chinese character,
    and every , : ; ! ? that ends a word and is followed, after spaces, by Chinese text."""
    if not CHINESE.search(text):
        return []
    plain = masked(text)
    return [
        Finding(i, ch, _excerpt(text, i))
        for i, ch in enumerate(plain)
        if ch in FULL_WIDTH
        and (touches_chinese(plain, i) or (ch not in "()" and opens_chinese(plain, i)))
    ]


def _excerpt(text: str, index: int, width: int = 12) -> str:
    start, end = max(0, index - width), min(len(text), index + width + 1)
    line = text[start:end].replace("\n", " ")
    return ("…" if start else "") + line + ("…" if end < len(text) else "")


# --- Where the text lives ----------------------------------------------------------------


def check_prose(text: str, file: str, first_line: int = 1) -> list[DataError]:
    """A prose file's findings, each with its line (*text* read from *first_line* on)."""
    return [
        DataError(
            file=file,
            line=first_line + text.count("\n", 0, f.offset),
            field="zh-Hant",
            message=f.message,
        )
        for f in findings(text)
    ]


def check_document(doc: SourceDocument) -> list[DataError]:
    """The findings of a data file's Chinese fields (zh-Hant, and zh-Hans where written)."""
    problems = []
    lines: list[str] | None = None
    for path, value in string_values(doc.data, CHINESE_FIELDS):
        for f in findings(value):
            line, _column = doc.locate(path)
            if line is not None:  # the value may go on over the lines below its key
                lines = lines if lines is not None else _file_lines(doc.path)
                line = _line_of_mark(lines, line, value, f.offset)
            problems.append(
                DataError(file=doc.name, line=line, field=format_path(path), message=f.message)
            )
    return problems


def _file_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _line_of_mark(lines: list[str], key_line: int, value: str, offset: int) -> int:
    """The file line of the mark at *offset* of *value*, whose key is on *key_line*: the
    first line from the key on that holds the mark with the word before it (else the key's
    line, for a value whose escapes hide it)."""
    start = max(value.rfind(" ", 0, offset), value.rfind("\n", 0, offset)) + 1
    words = value[start : offset + 1]
    for number in range(key_line, len(lines) + 1):
        if words in lines[number - 1]:
            return number
    return key_line


def check_strings(
    table_file: Path, tables: Mapping[str, Mapping[str, tuple[str, ...]]], shown: str
) -> list[DataError]:
    """The findings of the zh-Hant member (the first) of each entry of *tables*, by the line
    of the entry's key in *table_file* (*shown* is that file's name in messages)."""
    key_lines = _key_lines(table_file)
    problems = []
    for table, entries in tables.items():
        for key, texts in entries.items():
            for f in findings(texts[0]):
                problems.append(
                    DataError(
                        file=shown,
                        line=key_lines.get((table, key)),
                        field=f"{table}[{key!r}].zh-Hant",
                        message=f.message,
                    )
                )
    return problems


def _key_lines(table_file: Path) -> dict[tuple[str, str], int]:
    """(table, key) -> line of the key, for every dict literal assigned to a name."""
    lines: dict[tuple[str, str], int] = {}
    tree = ast.parse(table_file.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            for target in targets:
                if isinstance(target, ast.Name):
                    for key in node.value.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            lines[(target.id, key.value)] = key.lineno
    return lines
