"""`dspapers verify`: every number whose source a registered document backs, looked up in
that document, with one outcome each."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..documents import DocumentError, Registry, verified_path
from ..load import SourceDocument
from . import columns, locate, reading
from .judge import Finding, Outcome, judge
from .targets import Target, of_paper


@dataclass(frozen=True, kw_only=True)
class Checked:
    """One number and what its document showed."""

    target: Target
    source: dict[str, Any]  # the alias's source as the file writes it
    document: schema.Document | None
    finding: Finding


@dataclass(kw_only=True)
class PaperReport:
    paper: str
    file: str  # data/papers/<id>.yaml
    checked: list[Checked] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # documents that could not be read

    def counts(self) -> Counter[Outcome]:
        return Counter(c.finding.outcome for c in self.checked)

    @property
    def complete(self) -> bool:
        """Every document it needs was read: its record may be written."""
        return not self.errors


def _figure_or_free(where: str) -> bool:
    """A `where` that names no table, section or abstract: a figure, a page of the site."""
    return locate.find_kind(where) in {"figure", None}


def _not_checkable(
    target: Target, source: dict[str, Any], doc: schema.Document | None, why: str
) -> Checked:
    return Checked(
        target=target,
        source=source,
        document=doc,
        finding=Finding(outcome="not-checkable", place="", why=why),
    )


_RANK = {"confirmed": 0, "page-only": 1, "not-found": 2, "not-checkable": 3}


def _one(
    target: Target, source: dict[str, Any], doc: schema.Document, text: reading.DocumentText
) -> Checked:
    where = str(source.get("where", ""))
    places = locate.find_all(text, where, doc.format)
    if not places:
        if _figure_or_free(where):
            return _not_checkable(target, source, doc, "its place prints no values to read")
        return Checked(
            target=target,
            source=source,
            document=doc,
            finding=Finding(outcome="not-found", place=locate.named(where) or where),
        )
    findings = [judge(target, text, place) for place in places]
    finding = min(findings, key=lambda f: _RANK[f.outcome])  # the first place wins a tie
    if finding.outcome == "not-found" and all(p.kind == "figure" for p in places):
        finding = Finding(
            outcome="not-checkable", place=finding.place, why="a figure without this value printed"
        )
    return Checked(target=target, source=source, document=doc, finding=finding)


def verify_paper(
    paper: SourceDocument,
    registry: Registry,
    sources_dir: Path,
    cache_dir: Path,
) -> PaperReport:
    paper_id = paper.path.stem
    report = PaperReport(paper=paper_id, file=paper.name)
    sources = paper.data.get("sources") or {}
    texts: dict[str, reading.DocumentText | None] = {}
    for target in of_paper(paper):
        source = sources.get(target.alias) or {}
        doc = registry.document_for(paper_id, target.alias)
        if doc is None:
            report.checked.append(_not_checkable(target, source, None, "no document on record"))
            continue
        if doc.id not in texts:
            try:
                path = verified_path(registry, doc, sources_dir)
                texts[doc.id] = reading.read(path, doc.format, doc.sha256, cache_dir)
            except DocumentError as exc:
                report.errors.append(str(exc))
                texts[doc.id] = None
        text = texts[doc.id]
        if text is None:
            report.checked.append(_not_checkable(target, source, doc, "document missing"))
            continue
        report.checked.append(_one(target, source, doc, text))
    _check_columns(report, texts)
    return report


def _check_columns(report: PaperReport, texts: dict[str, reading.DocumentText | None]) -> None:
    """Numbers confirmed in their row but in another column's place: not found."""
    tables: dict[tuple[str, str], list[columns.Placed]] = defaultdict(list)
    labels: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for c in report.checked:
        f = c.finding
        doc = c.document
        text = texts.get(doc.id) if doc is not None else None
        if c.target.kind != "score" or not f.by_label or text is None or doc is None:
            continue
        if f.page is None or f.line is None:
            continue
        key = (doc.id, c.target.comparison)
        labels[key][c.target.model] = c.target.row_labels[1]
        at = columns.place(c.target, text, f.page - 1, f.line - 1)
        if at is not None:
            tables[key].append(at)
    wrong = set()
    for key, table in tables.items():
        text = texts[key[0]]
        if text is not None:
            wrong |= {t.name for t in columns.misplaced(text, table, labels[key])}
    for i, c in enumerate(report.checked):
        if c.target.name in wrong:
            finding = dataclasses.replace(
                c.finding, outcome="not-found", why="in another column's place", by_label=False
            )
            report.checked[i] = dataclasses.replace(c, finding=finding)


def _value(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def not_found_lines(report: PaperReport) -> Iterator[str]:
    """Every number not found, as `file:line: name: value 78.5 not in Table 2 row "MMLU"`."""
    for c in report.checked:
        if c.finding.outcome != "not-found":
            continue
        t = c.target
        at = f"{report.file}:{t.line}" if t.line else report.file
        where = c.finding.place
        if t.kind == "score":
            where += f' row "{t.row_labels[0]}"'
        if c.finding.why:  # in its row, under another column
            yield f"{at}: {t.name}: value {_value(t.value)} in {where} {c.finding.why}"
        else:
            yield f"{at}: {t.name}: value {_value(t.value)} not in {where}"


def summary_line(report: PaperReport) -> str:
    counts = report.counts()
    parts = ", ".join(
        f"{counts[o]} {o.replace('-', ' ')}"
        for o in ("confirmed", "page-only", "not-found", "not-checkable")
    )
    return f"{report.paper}: {len(report.checked)} numbers: {parts}"


def papers(data: Iterable[SourceDocument], only: str | None) -> list[SourceDocument]:
    return [p for p in data if only is None or p.path.stem == only]
