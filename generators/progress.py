"""What a long build is doing, shown to the person waiting for it.

On a terminal, counted work (charts drawn) is a tqdm progress bar and every step a line.
Anywhere else (CI logs, pipes) the same steps are plain short lines, with no carriage
returns or escape codes: one when counted work starts and one when it ends.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Advance = Callable[[int], None]


class Progress:
    """Steps and counted work of one build, on *stream* (standard error by default)."""

    def __init__(self, stream: TextIO | None = None, *, terminal: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal

    def step(self, text: str) -> None:
        """One line: what the build does now, or what it has just done."""
        print(text, file=self.stream, flush=True)

    @contextmanager
    def counting(self, text: str, total: int, unit: str) -> Iterator[Advance]:
        """*total* pieces of work; the body calls the function it is given as each is done."""
        started = time.perf_counter()
        if self.terminal:
            from tqdm import tqdm

            columns, rows = self._size()
            with tqdm(
                total=total,
                desc=text,
                unit=f" {unit}",
                file=self.stream,
                ncols=columns,
                nrows=rows,
            ) as bar:

                def advance(done: int) -> None:
                    bar.update(done)

                yield advance
        else:
            self.step(f"{text}: {total} {unit}s to do")
            yield _ignore
        self.step(f"{text}: {total} {unit}s done in {time.perf_counter() - started:.1f} s")

    def _size(self) -> tuple[int, int]:
        """The terminal's columns and rows; one that does not say (size 0) is taken as 80 x 24.

        tqdm draws nothing on a terminal of no rows (a pseudo-terminal nobody sized).
        """
        try:
            size = os.get_terminal_size(self.stream.fileno())
        except (OSError, ValueError):
            return 80, 24
        return size.columns or 80, size.lines or 24


class Silent(Progress):
    """No output: builds run by the MkDocs plugin (MkDocs logs its own progress)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr, terminal=False)

    def step(self, text: str) -> None:
        pass

    @contextmanager
    def counting(self, text: str, total: int, unit: str) -> Iterator[Advance]:
        yield _ignore


def _ignore(_: int) -> None:
    pass


SILENT = Silent()
