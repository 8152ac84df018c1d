"""What kind of evidence stands behind each published number: one fixed set, one rule.

Kinds, in the order the legend lists them:

- ``paper-table``: printed in a table or figure of the paper;
- ``paper-text``: stated in the paper's prose (abstract, sections, appendix text);
- ``repository``: stated in an official repository's README or a model card;
- ``derived``: computed here by a formula from sourced inputs (see `derived.FORMULAS`);
- ``rescored``: a later paper's score of a model an earlier paper introduced or scored.

A source's kind follows from what it records: a readme or model-card source is
``repository``; a paper source whose ``where`` starts with a table or figure
("Table 3 (...)", "Appendix A, Table 7", "Figure 2") is ``paper-table``, any other paper
source ``paper-text``. Where that reading is wrong, the source says so itself
(``evidence:`` in the source). Whether a score is a re-scoring is a fact about the
catalogue, not the source: `catalog.Catalog.score_evidence` decides it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import get_args

from . import schema

KINDS: tuple[str, ...] = get_args(schema.EvidenceKind)

# The glyph beside a value on a page: a shape, never a colour only, with the kind's name
# as its text alternative (strings.py: "evidence_<kind>").
MARKS: dict[str, str] = {
    "paper-table": "▦",
    "paper-text": "¶",
    "repository": "⌂",
    "derived": "ƒ",
    "rescored": "↻",
}

# Beside a number's evidence sign when `dspapers verify` found the number in its row of
# the source document and nothing changed since (generators/checks.py): a shape again,
# its name (strings.py: "checked") joining the kind's in the sign's text alternative.
CHECKED_MARK = "✓"

# A where that opens with a table or figure, optionally after the part of the paper it
# sits in ("Appendix A, Table 7 (...)"); "Section 4.1, text below Tables 5-6" does not.
_TABLE_OR_FIGURE = re.compile(
    r"^(?:(?:Appendix|Section)\s+[\w.]+(?:\s*\([^)]*\))?,\s*)?(?:Table|Figure|Fig\.)\s*\d",
)


def of_source(source: schema.Source) -> schema.EvidenceKind:
    """The evidence kind of a value read from *source* (its own word first)."""
    if source.evidence is not None:
        return source.evidence
    if source.kind != "paper":
        return "repository"
    return "paper-table" if _TABLE_OR_FIGURE.match(source.where) else "paper-text"


def text_key(kind: str) -> str:
    """The strings.py key of the kind's name."""
    return f"evidence_{kind.replace('-', '_')}"


def sign(kind: str, checked: bool, text: Callable[..., str]) -> tuple[str, str]:
    """The glyph beside a number and its name, in the language *text* speaks (a strings
    key, with its fields, to the words): one sign, one name, the kind's, then, for a
    number checked against its document, that it was."""
    name = text(text_key(kind))
    if checked:
        return MARKS[kind] + CHECKED_MARK, text("checked_evidence", kind=name)
    return MARKS[kind], name
