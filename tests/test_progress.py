"""Progress of a cold build: a bar on a terminal, plain short lines anywhere else."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import DSPAPERS

pytestmark = pytest.mark.build

STEPS = (
    "validating data and prose",
    "building slide decks and chart downloads",
    "building zh-Hant",
    "built zh-Hans in ",
    "built en in ",
    "joining the languages",
)


def _command(project: Path, cache: Path) -> list[str]:
    # DSPAPERS names the tests' shared cache; a later --cache-dir wins: this one starts cold.
    return [*DSPAPERS, "--cache-dir", str(cache), "--root", str(project), "build"]


def test_plain_lines_without_a_terminal(small_project, tmp_path):
    result = subprocess.run(
        _command(small_project, tmp_path / "cache"), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for step in STEPS:
        assert any(line.startswith(step) for line in lines), (step, lines)
    todo = re.search(r"^drawing charts: (\d+) chart files to do$", result.stderr, re.M)
    assert todo and int(todo.group(1)) > 0
    assert re.search(
        rf"^drawing charts: {todo.group(1)} chart files done in [\d.]+ s$", result.stderr, re.M
    )
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
    assert all(len(line) <= 80 for line in lines), "short lines"


def test_a_bar_on_a_terminal(small_project, tmp_path):
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        _command(small_project, tmp_path / "cache"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the build has exited
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    stdout, _ = process.communicate(timeout=600)
    reader.join(timeout=60)
    os.close(leader)
    assert process.returncode == 0, b"".join(chunks).decode(errors="replace")
    shown = b"".join(chunks).decode("utf-8", errors="replace")
    bars = re.findall(r"drawing charts:\s+(\d+)%\|[^|]*\|\s*(\d+)/(\d+)", shown)
    assert bars, repr(shown[:1500])
    assert "\r" in shown, "the bar redraws in place"
    assert any(done == total and percent == "100" for percent, done, total in bars)
    assert len({done for _, done, _ in bars}) > 1, "the bar moves"
    assert "building zh-Hant" in shown and "joining the languages" in shown
    assert b"site built" in stdout
