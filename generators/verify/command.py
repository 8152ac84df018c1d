"""The `dspapers verify` command: a summary per paper, every number not found with its
file and line, and with `--record` the outcomes written to data/checks/."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import checks, schema
from ..documents import Registry
from ..errors import DataValidationError
from ..load import SourceDocument
from ..paths import ProjectPaths
from ..write import atomic_write
from .run import PaperReport, not_found_lines, summary_line, verify_paper

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_DATA_ERROR = 2


def _groups(report: PaperReport) -> list[tuple[schema.Document, list[checks.CheckEntry]]]:
    groups: dict[str, tuple[schema.Document, list[checks.CheckEntry]]] = {}
    for c in report.checked:
        if c.document is None:
            continue
        f = c.finding
        entry = checks.CheckEntry(
            number=c.target.name,
            value=c.target.value,
            source=c.target.alias,
            cites=checks.cites(c.source),
            outcome=f.outcome,
            place=f.place,
            page=f.page,
            line=f.line,
        )
        groups.setdefault(c.document.id, (c.document, []))[1].append(entry)
    return list(groups.values())


def _record(report: PaperReport, folder: Path) -> str | None:
    """Write the paper's record; the file's path, or None when nothing was written."""
    if not report.complete:
        return None  # a document could not be read: the last record stays as it was
    path = folder / f"{report.paper}.yaml"
    groups = _groups(report)
    if not groups:
        if path.exists():
            path.unlink()
        return None
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(path, checks.render(report.paper, groups))
    return str(path)


def _papers(data: dict[str, SourceDocument], only: str | None) -> list[SourceDocument]:
    found = [d for name, d in sorted(data.items()) if name.startswith("data/papers/")]
    return [d for d in found if only is None or d.path.stem == only]


def run(paths: ProjectPaths, sources_dir: Path, *, paper: str | None, record: bool) -> int:
    """Verify every paper (or *paper*); with *record*, write the outcomes to data/checks/."""
    from ..validate import load_and_validate

    try:
        data = load_and_validate(paths.data, paths.root)
    except DataValidationError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_DATA_ERROR
    registry = Registry.of(data.document_registry, data.document_file)
    selected = _papers(data.documents, paper)
    if paper and not selected:
        print(f"error: no paper {paper!r} in data/papers/", file=sys.stderr)
        return EXIT_DATA_ERROR
    failed = False
    for doc in selected:
        report = verify_paper(doc, registry, sources_dir, paths.cache)
        for error in dict.fromkeys(report.errors):
            print(f"error: {error}", file=sys.stderr)
        print(summary_line(report))
        for line in not_found_lines(report):
            print(f"  {line}")
        failed = failed or bool(report.errors) or report.counts()["not-found"] > 0
        if record:
            written = _record(report, paths.data / checks.RECORD_DIR)
            if written:
                print(f"  recorded in {Path(written).relative_to(paths.root)}")
    return EXIT_NOT_FOUND if failed else EXIT_OK
