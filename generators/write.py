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


@dataclass
class WrittenTree:
    """What a process that syncs one tree again and again (a preview server) last left in
    it: each file's bytes and its size and time then. The next `sync_tree` compares with
    these in memory, and reads a file only when it changed on disk since (another writer:
    the charts and downloads a preview adds after its pages)."""

    target: Path | None = None
    files: dict[str, tuple[bytes, int, int]] = field(default_factory=dict)

    def holds(self, path: Path, relative: str, content: bytes) -> bool:
        """Whether *path* still holds *content*, as this tree's last sync left it."""
        kept = self.files.get(relative)
        if kept is None or kept[0] != content:
            return False
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == kept[1:]


def sync_tree(
    target: Path, files: dict[str, bytes], written: WrittenTree | None = None
) -> WriteReport:
    """Make *target* hold exactly *files* (relative path -> bytes), touching only changes.

    With *written*, files are compared with the last sync's in memory (see `WrittenTree`),
    and what the last sync wrote but *files* lacks is removed."""
    report = WriteReport()
    target.mkdir(parents=True, exist_ok=True)
    last = written if written is not None and written.target == target else None
    for relative, content in sorted(files.items()):
        path = target / relative
        if last is not None and last.holds(path, relative, content):
            report.unchanged += 1
        elif write_if_changed(path, content):
            report.written.append(relative)
        else:
            report.unchanged += 1
    if last is None:
        _remove_others(target, set(files), report)
    else:
        for relative in sorted(set(last.files) - set(files)):
            (target / relative).unlink(missing_ok=True)
            report.removed.append(relative)
            _remove_empty_folders((target / relative).parent, target)
    if written is not None:
        _remember(written, target, files)
    return report


def _remove_others(target: Path, wanted: set[str], report: WriteReport) -> None:
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
            report.removed.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _remove_empty_folders(folder: Path, target: Path) -> None:
    while folder != target and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _remember(written: WrittenTree, target: Path, files: dict[str, bytes]) -> None:
    remembered: dict[str, tuple[bytes, int, int]] = {}
    for relative, content in files.items():
        stat = (target / relative).stat()
        remembered[relative] = (content, stat.st_size, stat.st_mtime_ns)
    written.target, written.files = target, remembered
