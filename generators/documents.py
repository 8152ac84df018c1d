"""The source documents: the files behind data/documents.yaml, kept outside git.

Every number records a source (a paper's table, a README's section). The documents those
sources are read from (a paper's PDF at a repository commit, a README at a commit) are
not ours to redistribute: they live in a git-ignored folder, as ``<id>.pdf`` or
``<id>.md``; the registry records where to download each one, its SHA-256 and the paper
sources it backs.

This module does one job, the files: where a document lives and whether it is there with
the right bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from . import schema
from .load import SourceDocument
from .paths import ProjectPaths
from .validate import DOCUMENTS_FILE, load_and_validate

Status = Literal["present", "missing", "wrong-hash"]

FETCH_HINT = 'run "dspapers documents fetch"'


class DocumentError(Exception):
    """A document is missing, wrong or cannot be fetched or added: one line that names it
    and says why (``data/documents.yaml:12: documents[x]: ... ``)."""


# --- The registry --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Registry:
    """The documents of data/documents.yaml, each with the line its entry starts on."""

    entries: tuple[schema.Document, ...] = ()
    file: str = f"data/{DOCUMENTS_FILE}"  # as messages name it (relative to the project root)
    lines: dict[str, int] = field(default_factory=dict)  # document id -> its entry's line

    @classmethod
    def of(cls, records: schema.DocumentRegistry, source: SourceDocument | None) -> Registry:
        """The registry *records* read from *source* (None: no registry file)."""
        if source is None:
            return cls(entries=tuple(records.documents))
        lines = {
            doc.id: line
            for i, doc in enumerate(records.documents)
            if (line := source.locate(("documents", i))[0]) is not None
        }
        return cls(entries=tuple(records.documents), file=source.name, lines=lines)

    def __iter__(self) -> Iterator[schema.Document]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, document_id: str) -> schema.Document | None:
        return next((d for d in self.entries if d.id == document_id), None)

    def document_for(self, paper_id: str, alias: str) -> schema.Document | None:
        """The document that backs source *alias* of paper *paper_id*, if one does."""
        return next((d for d in self.entries if alias in d.backs.get(paper_id, ())), None)

    def where(self, doc: schema.Document) -> str:
        """The start of a message about *doc*: ``data/documents.yaml:12: documents[x]``."""
        line = self.lines.get(doc.id)
        return f"{self.file}{f':{line}' if line else ''}: documents[{doc.id}]"


def read_registry(paths: ProjectPaths) -> Registry:
    """The project's registry, once every data file is valid (raises `DataValidationError`
    listing every problem otherwise: `backs` is checked against the papers)."""
    data = load_and_validate(paths.data, paths.root)
    return Registry.of(data.document_registry, data.document_file)


# --- The files -----------------------------------------------------------------------------


def path_of(doc: schema.Document, sources_dir: Path) -> Path:
    """Where *doc* lives: ``<sources_dir>/<id>.pdf`` or ``<id>.md``."""
    return sources_dir / f"{doc.id}{doc.suffix}"


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file at *path*, read in pieces."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def status(doc: schema.Document, sources_dir: Path) -> Status:
    """Whether *doc*'s file is there with the SHA-256 the registry expects.

    Raises `OSError` for a file that is there but cannot be read.
    """
    return _status(doc, sources_dir)[0]


def _status(doc: schema.Document, sources_dir: Path) -> tuple[Status, str | None]:
    """The status and, for a file that is there, its SHA-256."""
    path = path_of(doc, sources_dir)
    if not path.is_file():
        return "missing", None
    actual = sha256_of(path)
    return ("present" if actual == doc.sha256 else "wrong-hash"), actual


def verified_path(registry: Registry, doc: schema.Document, sources_dir: Path) -> Path:
    """*doc*'s file, checked against its SHA-256; else `DocumentError` saying what is wrong."""
    path = path_of(doc, sources_dir)
    try:
        state, actual = _status(doc, sources_dir)
    except OSError as exc:
        raise DocumentError(
            f"{registry.where(doc)}: {shown(path)} cannot be read ({exc.strerror or exc})"
        ) from None
    if state == "missing":
        raise DocumentError(f"{registry.where(doc)}: {shown(path)} is missing; {FETCH_HINT}")
    if state == "wrong-hash":
        raise DocumentError(
            f"{registry.where(doc)}: {shown(path)} {_hashes(actual, doc.sha256)}; delete it and "
            f'{FETCH_HINT}, or record it with "dspapers documents add"'
        )
    return path


def shown(path: Path) -> str:
    """A path as a message shows it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _short(digest: str | None) -> str:
    return f"{(digest or '?')[:12]}…"


def _hashes(actual: str | None, expected: str) -> str:
    return f"has SHA-256 {_short(actual)} but the registry expects {_short(expected)}"
