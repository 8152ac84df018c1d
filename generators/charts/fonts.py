"""Fonts read from memory while charts draw: matplotlib's text layout without a system
call per glyph.

Given a path, matplotlib's `FT2Font` opens the file itself, and FreeType reads it through
that Python file object: a seek and a read, each a system call, for every glyph it loads.
The CJK fonts keep their outlines all over a 19 MB file, and matplotlib loads each glyph
of a text again whenever it measures or draws it: one slide chart made about 50,000 of
these calls, a tenth of its time spent in the kernel. Given a file object, `FT2Font`
reads that instead; an in-memory copy of the file serves the same bytes (the same
drawing, byte for byte) and lays text out in a third to a half of the time.

Only inside `read_from_memory()`: such a font's `fname` is its file object, not a path,
and matplotlib's PDF and PostScript backends open a font again by its `fname`. The charts
are drawn inside it (`render.draw_jobs`); any other matplotlib work of the process gets
fonts opened by path, from matplotlib's own cache.

The way in is matplotlib's private `font_manager._get_font`, the cache behind `get_font`:
matplotlib is pinned, and tests/test_chart_fonts.py fails if a new version opens the
chart fonts by path again.

Imports matplotlib: only processes that draw charts load this module.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from matplotlib import cbook, font_manager

# The font matplotlib adds behind every other for glyphs none has: opened by path as
# before, since matplotlib finds it in the list by its path.
LAST_RESORT = ("fonts", "ttf", "LastResortHE-Regular.ttf")

# Whether fonts opened now come from memory. A context variable: another thread starts
# with the default, and opens its fonts by path.
_FROM_MEMORY: ContextVar[bool] = ContextVar("fonts_from_memory", default=False)


@contextlib.contextmanager
def read_from_memory() -> Iterator[None]:
    """Within the block, matplotlib opens fonts from in-memory copies of their files."""
    _install()
    token = _FROM_MEMORY.set(True)
    try:
        yield
    finally:
        _FROM_MEMORY.reset(token)


def _install() -> None:
    """Put the choice between matplotlib's fonts by path and ours from memory in front of
    matplotlib's font cache (once per process)."""
    by_path = font_manager._get_font  # type: ignore[attr-defined]  # private: see the docstring
    if getattr(by_path, "from_memory", None) is not None:
        return
    last_resort = os.path.realpath(cbook._get_data_path(*LAST_RESORT))

    @functools.lru_cache(64)  # as matplotlib's own: one font object per fonts, thread, settings
    def from_memory(font_filepaths: tuple[tuple[str, int], ...], **settings: Any) -> Any:
        files = tuple(
            (path if path == last_resort else io.BytesIO(file_bytes(path)), index)
            for path, index in font_filepaths
        )
        return by_path.__wrapped__(files, **settings)

    def get_font(font_filepaths: tuple[tuple[str, int], ...], **settings: Any) -> Any:
        opened = from_memory if _FROM_MEMORY.get() else by_path
        return opened(font_filepaths, **settings)

    get_font.from_memory = from_memory  # type: ignore[attr-defined]
    # Font objects must not cross a fork (they share FreeType's state): matplotlib empties
    # its own cache in a forked child, and this one too.
    if hasattr(os, "register_at_fork"):  # POSIX
        os.register_at_fork(after_in_child=from_memory.cache_clear)
    font_manager._get_font = get_font  # type: ignore[attr-defined]


@functools.cache
def file_bytes(path: str) -> bytes:
    """A font file's bytes, read once per process (each font object reads its own
    `BytesIO` of them, which shares the bytes rather than copying them)."""
    with open(path, "rb") as handle:
        return handle.read()
