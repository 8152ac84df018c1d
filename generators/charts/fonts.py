"""Fonts read from memory: matplotlib's text layout without a system call per glyph.

Given a path, matplotlib's `FT2Font` opens the file itself, and FreeType reads it through
that Python file object: a seek and a read, each a system call, for every glyph it loads.
The CJK fonts keep their outlines all over a 19 MB file, and matplotlib loads each glyph
of a text again whenever it measures or draws it: one slide chart made about 50,000 of
these calls, a tenth of its time spent in the kernel. Given a file object, `FT2Font`
reads that instead; an in-memory copy of the file serves the same bytes (the same
drawing, byte for byte) and lays text out in a third to a half of the time.

The way in is matplotlib's private `font_manager._get_font`, the cache behind `get_font`:
matplotlib is pinned, and tests/test_chart_fonts.py fails if a new version opens the
chart fonts by path again.

Imports matplotlib: only worker processes that draw charts load this module.
"""

from __future__ import annotations

import functools
import io
import os
from typing import Any

from matplotlib import cbook, font_manager

# The font matplotlib adds behind every other for glyphs none has: opened by path as
# before, since matplotlib finds it in the list by its path.
LAST_RESORT = ("fonts", "ttf", "LastResortHE-Regular.ttf")


def read_from_memory() -> None:
    """Make matplotlib open fonts from in-memory copies of their files (once per process)."""
    opened = font_manager._get_font  # type: ignore[attr-defined]  # private: see the docstring
    if getattr(opened, "reads_from_memory", False):
        return
    last_resort = os.path.realpath(cbook._get_data_path(*LAST_RESORT))

    @functools.lru_cache(64)  # as matplotlib's own: one font object per fonts, thread, settings
    def from_memory(font_filepaths: tuple[tuple[str, int], ...], **settings: Any) -> Any:
        files = tuple(
            (path if path == last_resort else io.BytesIO(file_bytes(path)), index)
            for path, index in font_filepaths
        )
        return opened.__wrapped__(files, **settings)

    from_memory.reads_from_memory = True  # type: ignore[attr-defined]
    # Font objects must not cross a fork (they share FreeType's state): matplotlib empties
    # its own cache in a forked child, and this one too.
    if hasattr(os, "register_at_fork"):  # POSIX
        os.register_at_fork(after_in_child=from_memory.cache_clear)
    font_manager._get_font = from_memory  # type: ignore[attr-defined]


@functools.cache
def file_bytes(path: str) -> bytes:
    """A font file's bytes, read once per process (each font object reads its own
    `BytesIO` of them, which shares the bytes rather than copying them)."""
    with open(path, "rb") as handle:
        return handle.read()
