"""The record of checks against the documents (`data/checks/<paper>.yaml`), and which
numbers it still vouches for.

`dspapers verify --record` writes one file per paper: for each document, its SHA-256
and, per number, the value and source as they were checked, the outcome and where the
document prints it. The build reads the record like any other data, and a number counts
as checked only while it is *current*: confirmed, with the same value, the same source
(alias and what the alias says) and a document the registry still lists with the same
SHA-256 and still backing that source. Anything else was checked against something that
is no longer what the site shows: unchecked, and `dspapers check` says so. The build
never fails for it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import schema
from .errors import DataError, ErrorList, relative
from .load import ParsedFiles, SourceDocument, derive, load_file
from .verify.targets import Target, of_paper

RECORD_DIR = "checks"
OutcomeName = Literal["confirmed", "page-only", "not-found", "not-checkable"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckEntry(_Strict):
    """One number as it was checked."""

    number: str = Field(description="the number's stable name in its paper file")
    value: float
    source: str = Field(description="the alias of the paper's `sources:` it cited")
    cites: str = Field(description="a digest of what that alias said (kind, ref, where)")
    outcome: OutcomeName
    place: str = Field("", description='where it was looked for: "Table 2", "Section 3.1.2"')
    page: int | None = Field(None, description="1-based page where it was found")
    line: int | None = Field(None, description="1-based line of that page")


class DocumentChecks(_Strict):
    document: str = Field(description="a document id of data/documents.yaml")
    sha256: str = Field(description="the document's SHA-256 when it was read")
    checks: list[CheckEntry] = Field(default_factory=list)


class CheckRecord(_Strict):
    """data/checks/<paper>.yaml, written by `dspapers verify --record`."""

    paper: str
    documents: list[DocumentChecks] = Field(default_factory=list)


def cites(source: Mapping[str, Any] | schema.Source) -> str:
    """A digest of what a source says: a changed `where` makes its checks stale."""
    if isinstance(source, schema.Source):
        parts = [source.kind, source.ref, source.where]
    else:
        parts = [str(source.get(k, "")) for k in ("kind", "ref", "where")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


@dataclass(frozen=True, kw_only=True)
class DocumentTally:
    """On a paper page: N of M numbers checked against one document."""

    document: schema.Document
    checked: int  # confirmed and current
    backed: int  # numbers whose source this document backs


@dataclass(frozen=True, kw_only=True)
class PaperChecks:
    """What the record still vouches for in one paper."""

    checked: frozenset[str] = frozenset()  # names of the confirmed, current numbers
    stale: tuple[str, ...] = ()  # recorded, but value, source or document changed since
    tallies: tuple[DocumentTally, ...] = ()
    unbacked: int = 0  # numbers whose source no document backs


def _current(
    entry: CheckEntry,
    target: Target | None,
    sources: Mapping[str, Any],
    doc: schema.Document | None,
    sha256: str,
) -> bool:
    return (
        target is not None
        and target.value == entry.value
        and target.alias == entry.source
        and cites(sources.get(entry.source) or {}) == entry.cites
        and doc is not None
        and doc.sha256 == sha256
    )


def _paper_checks(
    paper: SourceDocument,
    record: CheckRecord | None,
    registry: schema.DocumentRegistry,
    _: ErrorList | None = None,  # finds no problem (`derive` passes a list)
) -> PaperChecks:
    paper_id = paper.path.stem
    targets = {t.name: t for t in of_paper(paper)}
    sources = paper.data.get("sources") or {}

    checked: set[str] = set()
    stale: list[str] = []
    for group in record.documents if record else []:
        for entry in group.checks:
            target = targets.get(entry.number)
            doc = registry.backing(paper_id, entry.source) if target is not None else None
            ok = doc is not None and doc.id == group.document
            if _current(entry, target, sources, doc if ok else None, group.sha256):
                if entry.outcome == "confirmed":
                    checked.add(entry.number)
            else:
                stale.append(entry.number)
    backed: dict[str, int] = {}
    confirmed: dict[str, int] = {}
    unbacked = 0
    for target in targets.values():
        doc = registry.backing(paper_id, target.alias)
        if doc is None:
            unbacked += 1
            continue
        backed[doc.id] = backed.get(doc.id, 0) + 1
        if target.name in checked:
            confirmed[doc.id] = confirmed.get(doc.id, 0) + 1
    tallies = tuple(
        DocumentTally(document=d, checked=confirmed.get(d.id, 0), backed=backed[d.id])
        for d in registry.documents
        if d.id in backed
    )
    return PaperChecks(
        checked=frozenset(checked), stale=tuple(stale), tallies=tallies, unbacked=unbacked
    )


def _as_written(text: str) -> dict[str, Any] | None:
    """The record as `render` writes it, read line by line (each number's line is JSON);
    None for any other layout (a file edited by hand), which is read as YAML instead.
    A record is thousands of lines: YAML with line marks would take ten times as long."""
    record: dict[str, Any] = {"documents": []}
    group: dict[str, Any] | None = None
    try:
        for line in text.splitlines():
            if not line.strip() or line.startswith("#") or line in {"documents:", "    checks:"}:
                continue
            if line.startswith("paper: "):
                record["paper"] = line.removeprefix("paper: ")
            elif line.startswith("  - document: "):
                group = {"document": line.removeprefix("  - document: "), "checks": []}
                record["documents"].append(group)
            elif line.startswith("    sha256: ") and group is not None:
                group["sha256"] = json.loads(line.removeprefix("    sha256: "))
            elif line.startswith("      - {") and group is not None:
                group["checks"].append(json.loads(line.removeprefix("      - ")))
            else:
                return None
    except ValueError:
        return None
    return record


def _fast(path: Path, root: Path, parsed: ParsedFiles | None) -> CheckRecord | None:
    """The record without line marks (kept by a preview while its bytes are unchanged);
    None when anything is wrong with it, to be read again with marks for the report."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    name = relative(path, root)
    document = parsed.get(path, name, raw) if parsed is not None else None
    if document is None:
        try:
            data = _as_written(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        document = SourceDocument(path=path, name=name, data=data)
        if parsed is not None:
            parsed.keep(path, name, raw, document)
    # Validated once while the file's bytes are unchanged.
    inputs = (document,)
    return derive(parsed, ("check record", path), inputs, _validated(document.data), ErrorList())


def _validated(data: Any) -> Callable[[ErrorList], CheckRecord | None]:
    def validate(_: ErrorList) -> CheckRecord | None:
        try:
            return CheckRecord.model_validate(data)
        except ValidationError:
            return None

    return validate


def _read_record(
    path: Path, root: Path, errors: ErrorList, parsed: ParsedFiles | None
) -> CheckRecord | None:
    record = _fast(path, root, parsed)
    if record is not None:
        return record
    doc = load_file(path, root, errors)  # again, with line marks, to say where it is wrong
    if doc is None:
        return None
    try:
        return CheckRecord.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            key = tuple(err["loc"])
            errors.add(doc.error(key, err["msg"]))
        return None


def read(
    data_dir: Path,
    root: Path,
    papers: Mapping[str, SourceDocument],
    registry: schema.DocumentRegistry,
    errors: ErrorList,
    parsed: ParsedFiles | None = None,
) -> dict[str, PaperChecks]:
    """Each paper's checks (papers by id); problems in a record file go to *errors*."""
    folder = data_dir / RECORD_DIR
    out: dict[str, PaperChecks] = {}
    for paper_id, paper in papers.items():
        path = folder / f"{paper_id}.yaml"
        record = _read_record(path, root, errors, parsed) if path.is_file() else None
        if record is not None and record.paper != paper_id:
            errors.add(
                DataError(
                    file=relative(path, root),
                    field="paper",
                    message=f'names "{record.paper}", not "{paper_id}"',
                )
            )
            record = None
        # The same objects while the paper, its record and the registry are unchanged.
        make = functools.partial(_paper_checks, paper, record, registry)
        inputs = (paper, record, registry)
        out[paper_id] = derive(parsed, ("paper checks", paper_id), inputs, make, errors)
    return out


def render(paper_id: str, groups: list[tuple[schema.Document, list[CheckEntry]]]) -> str:
    """The record file's text: one line per number, stable from run to run."""
    lines = [
        "# Written by `dspapers verify --record`: each number of data/papers/"
        f"{paper_id}.yaml as its",
        "# source document showed it. Do not edit by hand; run the command again.",
        f"paper: {paper_id}",
        "documents:",
    ]
    for doc, entries in groups:
        # Quoted: a hash of digits only would read as a number.
        lines += [f"  - document: {doc.id}", f'    sha256: "{doc.sha256}"', "    checks:"]
        for e in entries:
            fields = e.model_dump(exclude_none=True)
            if not fields.get("place"):
                fields.pop("place", None)
            # JSON, which is YAML too: the build reads it line by line (`_as_written`).
            lines.append(f"      - {json.dumps(fields, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
