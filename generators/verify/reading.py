"""A source document's text as pages of lines, read once per document version.

PDFs are read with pypdf in its layout mode, which keeps each printed table row on one
line with its cells in order. Measured on the project's seven paper PDFs (220 pages), with
this package's matching on each library's lines: pypdf 1641 of 1641 table scores found in
their rows, 30 ms a page; pdfplumber 1616 (its lines run cells and prose words together),
121 ms a page; pdfminer.six with its default layout analysis 169 (it groups a table's
columns into separate text boxes), 66 ms a page. PyMuPDF was not considered: it is AGPL.
Markdown documents are one page whose lines are the file's lines.
The text is cached by the document's SHA-256 and the reader's own version, so a second
run reads no PDF at all.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ..versions import code_version
from ..write import atomic_write

_FORMAT_VERSION = 1


@dataclass(frozen=True)
class DocumentText:
    """Pages of lines, 1-based when shown (page 1 is `pages[0]`)."""

    pages: tuple[tuple[str, ...], ...]


def _reader_version() -> str:
    return code_version([("reading.py", Path(__file__))], ["pypdf"])


def _read_pdf(path: Path) -> DocumentText:
    from pypdf import PdfReader  # only the verifier reads PDFs; a build never does

    # pypdf reports recoverable oddities of a file (a wrong offset table) as warnings on
    # its logger; they say nothing about the text and would drown the verifier's report.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(path)
    pages = []
    for page in reader.pages:
        text = page.extract_text(extraction_mode="layout")
        pages.append(tuple(line.rstrip() for line in text.splitlines()))
    return DocumentText(pages=tuple(pages))


def _read_markdown(path: Path) -> DocumentText:
    lines = path.read_text(encoding="utf-8").splitlines()
    return DocumentText(pages=(tuple(line.rstrip() for line in lines),))


def read(path: Path, fmt: str, sha256: str, cache_dir: Path) -> DocumentText:
    """The text of the document at *path* (whose hash the caller has checked)."""
    cached = cache_dir / "documents" / f"{sha256}-{_reader_version()}-{_FORMAT_VERSION}.json"
    try:
        pages = json.loads(cached.read_text(encoding="utf-8"))
        return DocumentText(pages=tuple(tuple(page) for page in pages))
    except (OSError, ValueError):
        pass
    text = _read_pdf(path) if fmt == "pdf" else _read_markdown(path)
    cached.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(cached, json.dumps([list(page) for page in text.pages], ensure_ascii=False))
    return text
