"""Syncing the generated tree: only changed files are touched, with or without the memory
of the last sync that a preview server keeps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generators.write import WrittenTree, sync_tree


def _times(target: Path) -> dict[str, int]:
    return {
        p.relative_to(target).as_posix(): p.stat().st_mtime_ns
        for p in target.rglob("*")
        if p.is_file()
    }


def _tree(target: Path) -> dict[str, bytes]:
    return {
        p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("remembered", [False, True], ids=["read", "in memory"])
def test_a_sync_touches_only_changed_files_and_removes_the_rest(tmp_path, remembered):
    target = tmp_path / "docs"
    written = WrittenTree() if remembered else None
    first = {"a.md": b"one", "sub/b.md": b"two", "sub/deep/c.md": b"three"}
    sync_tree(target, first, written)
    assert _tree(target) == first
    times = _times(target)

    second = {"a.md": b"one", "sub/b.md": b"TWO", "d.md": b"four"}
    report = sync_tree(target, second, written)
    assert _tree(target) == second
    assert sorted(report.written) == ["d.md", "sub/b.md"]
    assert report.unchanged == 1
    assert report.removed == ["sub/deep/c.md"]
    assert not (target / "sub" / "deep").exists(), "an emptied folder is removed"
    assert _times(target)["a.md"] == times["a.md"], "an unchanged file is not touched"


def test_a_file_changed_by_another_writer_is_written_again(tmp_path):
    """The memory is trusted only while the file's size and time are as the sync left them."""
    target = tmp_path / "docs"
    written = WrittenTree()
    files = {"a.md": b"one", "b.md": b"two"}
    sync_tree(target, files, written)
    (target / "a.md").write_bytes(b"changed meanwhile")
    stamp = (target / "b.md").stat().st_mtime_ns
    os.utime(target / "b.md", ns=(stamp + 5_000_000_000, stamp + 5_000_000_000))
    (target / "b.md").write_bytes(b"owt")  # same size, another time
    report = sync_tree(target, files, written)
    assert _tree(target) == files
    assert sorted(report.written) == ["a.md", "b.md"]


def test_a_removed_file_is_written_again(tmp_path):
    target = tmp_path / "docs"
    written = WrittenTree()
    files = {"a.md": b"one"}
    sync_tree(target, files, written)
    (target / "a.md").unlink()
    assert sync_tree(target, files, written).written == ["a.md"]
    assert _tree(target) == files


def test_the_memory_of_one_tree_is_not_used_for_another(tmp_path):
    written = WrittenTree()
    sync_tree(tmp_path / "one", {"a.md": b"one"}, written)
    other = tmp_path / "two"
    other.mkdir()
    (other / "stray.md").write_bytes(b"not ours")
    report = sync_tree(other, {"a.md": b"one"}, written)
    assert report.written == ["a.md"]
    assert report.removed == ["stray.md"], "a first sync of a tree removes what it lacks"
