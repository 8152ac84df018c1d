"""Every write to disk goes through here: atomic replacement, write-if-changed, pruning.

Writing only changed bytes keeps file times stable, so `mkdocs serve` does not rebuild
in a loop and unchanged pages are not re-rendered downstream. Writing through a
temporary file and a rename means a reader never sees half a file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO


@dataclass
class WriteReport:
    """What `sync_tree` changed."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def atomic_write(path: Path, content: bytes | str) -> None:
    """Replace *path* with *content* (str is written as UTF-8) in one rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A new file to write *path* through, in the same folder, for content that arrives in
    pieces (a download): renamed onto *path* when the block ends, removed when the block
    raises, so neither a partial *path* nor the temporary file is left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:  # a name of its own, so two writers of one path never share a file
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, content: bytes | str) -> bool:
    """Write *content* unless *path* already holds exactly it; True if written."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def sync_tree(target: Path, files: dict[str, bytes]) -> WriteReport:
    """Make *target* hold exactly *files* (relative path -> bytes), touching only changes."""
    report = WriteReport()
    target.mkdir(parents=True, exist_ok=True)
    for relative, content in sorted(files.items()):
        if write_if_changed(target / relative, content):
            report.written.append(relative)
        else:
            report.unchanged += 1
    wanted = set(files)
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
            report.removed.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return report
