"""Where in a document a source's `where` points: the pages of a table or figure, or
the lines of a section.

A table is found by its caption ("Table 2 | ...", "Table 2: ...") on a line of its own,
never by a sentence that mentions it ("In Table 2, we ..."); its rows may sit on the
caption's page or run on to the next or previous one. A section is found by its heading
("3.1.2 Hyper-Parameters", "B.1 ...", "Abstract") outside the table of contents, and runs
to the next heading that is not one of its own subsections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reading import DocumentText

Position = tuple[int, int]
_ENDS = {
    "contents",
    "references",
    "acknowledgments",
    "acknowledgements",
}  # (page index, line index), 0-based


@dataclass(frozen=True)
class Place:
    """What a `where` names and the lines it covers."""

    label: str  # as messages name it: "Table 2", "Section 3.1.2", "README.md"
    kind: str  # "table" | "section" | "document"
    pages: tuple[int, ...]  # the pages searched for rows, most likely first
    lines: frozenset[Position] | None = None  # a section's own lines


_TABLE_REF = re.compile(r"\b(Table|Figure|Fig\.)\s*(\d+)")
_SECTION_REF = re.compile(r"\b(?:Section|§)\s*([A-Z]?\d+(?:\.\d+)*)|\bAppendix\s+([A-Z](?:\.\d+)*)")
_CAPTION = r"^\s*{word}\s*{number}\s*[|:.]"
_LEADERS = re.compile(r"(?:\.\s*){4,}")
_HEADING = re.compile(
    r"^\s*(?P<num>(?:[A-Z]|\d+)(?:\.\d+)*)\.?\s{0,6}(?P<title>[A-Z][A-Za-z-]+)(?!.*\S\s{3,}\S).{0,70}$"
)


def _table(text: DocumentText, word: str, number: str) -> Place | None:
    caption = re.compile(
        _CAPTION.format(word="Fig(?:ure|\\.)" if word.startswith("Fig") else word, number=number)
    )
    for p, page in enumerate(text.pages):
        if any(caption.match(line) for line in page):
            pages = [p] + [q for q in (p + 1, p - 1) if 0 <= q < len(text.pages)]
            kind = "figure" if word.startswith("Fig") else "table"
            return Place(label=f"{kind.title()} {number}", kind=kind, pages=tuple(pages))
    return None


def _flat(text: DocumentText) -> list[tuple[Position, str]]:
    return [((p, i), line) for p, page in enumerate(text.pages) for i, line in enumerate(page)]


def _order(number: str) -> tuple[int, ...]:
    """A section number's place in the document's order (appendix letters after digits)."""
    return tuple(int(p) if p.isdigit() else 1000 + ord(p[0]) for p in number.split("."))


def _section_lines(
    flat: list[tuple[Position, str]], start: int, number: str | None
) -> list[Position]:
    """The lines from a heading to the next heading of a later section. A numbered line
    that does not come later ("1. High-efficiency ..." inside Section 2.3: a list item),
    and the section's own subsections, stay inside it."""
    out = [flat[start][0]]
    for position, line in flat[start + 1 :]:
        if line.strip().lower() in _ENDS:
            break
        heading = _HEADING.match(line)
        if heading and not _LEADERS.search(line):
            num = heading["num"]
            if number is None:
                break
            if not num.startswith(number + ".") and _order(num) > _order(number):
                break
        out.append(position)
    return out


def _section(text: DocumentText, number: str) -> Place | None:
    flat = _flat(text)
    for index, (_pos, line) in enumerate(flat):
        heading = _HEADING.match(line)
        if heading and heading["num"] == number and not _LEADERS.search(line):
            lines = _section_lines(flat, index, number)
            pages = tuple(dict.fromkeys(p for p, _ in lines))
            return Place(
                label=f"Section {number}", kind="section", pages=pages, lines=frozenset(lines)
            )
    return None


def _abstract(text: DocumentText) -> Place | None:
    flat = _flat(text)
    for index, (_pos, line) in enumerate(flat):
        if line.strip().lower() == "abstract":
            lines = _section_lines(flat, index, None)
            pages = tuple(dict.fromkeys(p for p, _ in lines))
            return Place(label="Abstract", kind="section", pages=pages, lines=frozenset(lines))
    return None


def find_kind(where: str) -> str | None:
    """What kind of place *where* names first: "table", "figure", "section" or None."""
    table = _TABLE_REF.search(where)
    section = _SECTION_REF.search(where)
    if table and (section is None or table.start() < section.start()):
        return "table" if table[1] == "Table" else "figure"
    if section or where.lower().startswith("abstract"):
        return "section"
    return None


def named(where: str) -> str | None:
    """The place *where* names, as messages name it ("Table 2", "Section 3.1.2")."""
    table = _TABLE_REF.search(where)
    section = _SECTION_REF.search(where)
    if table and (section is None or table.start() < section.start()):
        return f"{'Table' if table[1] == 'Table' else 'Figure'} {table[2]}"
    if section:
        return f"Section {section[1] or section[2]}"
    return "Abstract" if where.lower().startswith("abstract") else None


_MD_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*\s*$")
# "README.md, section '3. Model Downloads' (...)", "Evaluation/MBPP/README.md, 4. Results"
_MD_WHERE = re.compile(r"^[^,]*\.md\b[^,]*,\s*(?:section\s+)?['\"]?(?P<title>[^'\"(,]+)")


def _heading_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _markdown_section(text: DocumentText, where: str) -> Place | None:
    """The README section *where* names by its heading, to the next heading of its level."""
    m = _MD_WHERE.match(where)
    if m is None or not text.pages:
        return None
    wanted = _heading_key(m["title"])
    lines = text.pages[0]
    headings = _markdown_headings(lines)
    for n, (start, level, title) in enumerate(headings):
        if not wanted or _heading_key(title) != wanted:
            continue
        later = [s for s, lv, _t in headings[n + 1 :] if lv <= level]
        end = later[0] if later else len(lines)
        own = frozenset((0, i) for i in range(start, end))
        return Place(label=f'"{title}"', kind="section", pages=(0,), lines=own)
    return None


def _markdown_headings(lines: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(line, level, title) of each heading, leaving out code blocks' comment lines."""
    out = []
    fenced = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        heading = None if fenced else _MD_HEADING.match(line)
        if heading is not None:
            out.append((index, len(heading[1]), heading[2]))
    return out


def find_all(text: DocumentText, where: str, fmt: str) -> list[Place]:
    """Every place *where* names, in its order ("Section 2.1.2 ... and Section 3.1.2"):
    a number may be printed in any of them. Places that cannot be found are left out.
    A README is searched in the section its `where` names, else as a whole."""
    if fmt == "markdown":
        section = _markdown_section(text, where)
        return [section or Place(label="README", kind="document", pages=(0,))]
    refs = sorted(
        [(m.start(), "table", m) for m in _TABLE_REF.finditer(where)]
        + [(m.start(), "section", m) for m in _SECTION_REF.finditer(where)]
    )
    places: list[Place] = []
    if where.lower().startswith("abstract") and (abstract := _abstract(text)):
        places.append(abstract)
    for _start, kind, m in refs:
        if kind == "table":
            place = _table(text, m[1].rstrip("."), m[2])
        else:
            place = _section(text, m[1] or m[2])
        if place is not None and place not in places:
            places.append(place)
    return places


def find(text: DocumentText, where: str, fmt: str) -> Place | None:
    """The place *where* names in the document, or None when it cannot be found."""
    if fmt == "markdown":
        return Place(label="README", kind="document", pages=(0,))
    table = _TABLE_REF.search(where)
    section = _SECTION_REF.search(where)
    if table and (section is None or table.start() < section.start()):
        return _table(text, table[1].rstrip("."), table[2])
    if section:
        return _section(text, section[1] or section[2])
    if where.lower().startswith("abstract"):
        return _abstract(text)
    return None
