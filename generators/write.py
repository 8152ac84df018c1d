"""The only module that writes the generated tree: write-if-changed, then prune stale files.

Writing only changed bytes keeps file times stable, so `mkdocs serve` does not rebuild
in a loop and unchanged pages are not re-rendered downstream.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def sync_tree(target: Path, files: dict[str, bytes]) -> WriteReport:
    """Make *target* hold exactly *files* (relative path -> bytes), touching only changes."""
    report = WriteReport()
    target.mkdir(parents=True, exist_ok=True)
    for relative, content in sorted(files.items()):
        path = target / relative
        if path.is_file() and path.read_bytes() == content:
            report.unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
        report.written.append(relative)
    wanted = set(files)
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
            report.removed.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return report
