"""One visual style for every chart: palette, themes, fonts, and byte-stable saving.

Imports matplotlib: only worker processes that draw charts load this module.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from PIL import Image  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# The palette lives in `palette` (no matplotlib there: the slide decks use it too).
from .palette import BLUE as BLUE  # noqa: E402
from .palette import DARK as DARK  # noqa: E402
from .palette import FONTS as FONTS  # noqa: E402
from .palette import GREEN as GREEN  # noqa: E402
from .palette import LIGHT as LIGHT  # noqa: E402
from .palette import LINE_COLOURS as LINE_COLOURS  # noqa: E402
from .palette import ORANGE as ORANGE  # noqa: E402
from .palette import PURPLE as PURPLE  # noqa: E402
from .palette import SKY as SKY  # noqa: E402
from .palette import THEMES as THEMES  # noqa: E402
from .palette import VERMILLION as VERMILLION  # noqa: E402
from .palette import YELLOW as YELLOW  # noqa: E402
from .palette import Theme as Theme  # noqa: E402
from .palette import colour_pairs  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_ZLIB_LEVEL = 3


class MissingGlyph(Exception):
    """A character of the chart's text is not in the chosen font: never publish tofu."""


def font_family(lang: str) -> str:
    """The installed CJK font for *lang* (its Latin glyphs serve English too)."""
    family = FONTS[lang]
    available = {f.name for f in font_manager.fontManager.ttflist}
    if family not in available:
        raise MissingGlyph(
            f"font {family!r} is not installed (Debian package fonts-noto-cjk); "
            "charts with Chinese text cannot be drawn without it"
        )
    return family


def apply(theme: Theme, lang: str, scale: float) -> None:
    """rcParams for one chart: theme colours, the language's CJK font, sizes for *scale*."""
    plt.rcdefaults()
    plt.rcParams.update(
        {
            "font.family": [font_family(lang)],
            "font.size": 15 * scale,
            "axes.titlesize": 22 * scale,
            "axes.labelsize": 16 * scale,
            "xtick.labelsize": 14 * scale,
            "ytick.labelsize": 14 * scale,
            "legend.fontsize": 13 * scale,
            "figure.facecolor": theme.background,
            "axes.facecolor": theme.background,
            "savefig.facecolor": theme.background,
            "text.color": theme.foreground,
            "axes.labelcolor": theme.foreground,
            "axes.edgecolor": theme.muted,
            "xtick.color": theme.muted,
            "ytick.color": theme.muted,
            "grid.color": theme.grid,
            "axes.grid": True,
            "grid.linewidth": 0.8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "axes.unicode_minus": True,
            "text.parse_math": False,  # "$" in data is a dollar sign, never mathtext
            "svg.hashsalt": None,  # set per chart in `save`
        }
    )


def recolour(fig: Figure, source: Theme, target: Theme) -> None:
    """Give a drawn figure *target*'s colours where it has *source*'s (role for role), so
    that it can be saved again in the other theme with its layout kept (text measured,
    labels placed). Call `apply` for *target* first: ticks made at the next draw take
    matplotlib's settings. tests/test_charts.py checks the result equals a figure drawn
    in *target* for every kind of chart."""
    from matplotlib.colors import to_rgba

    swap = {to_rgba(old)[:3]: to_rgba(new)[:3] for old, new in colour_pairs(source, target)}

    def swapped(colour: Any) -> tuple[float, float, float, float]:
        red, green, blue, alpha = to_rgba(colour)
        return (*swap.get((red, green, blue), (red, green, blue)), alpha)

    for artist in fig.findobj(include_self=True):
        # Patches and collections: face and edge. Lines: colour and marker colours. Texts:
        # colour. ("none" and "auto" are no colour; a patch's "color" sets face and edge.)
        filled = hasattr(artist, "get_facecolor")
        names = ("facecolor", "edgecolor") if filled else _LINE_AND_TEXT_COLOURS
        for name in names:
            get = getattr(artist, f"get_{name}", None)
            if get is None:
                continue
            value = get()
            if isinstance(value, str) and value in ("none", "auto"):
                continue
            if isinstance(value, np.ndarray) and value.ndim == 2:  # a collection's colours
                if len(value):
                    getattr(artist, f"set_{name}")([swapped(row) for row in value])
            else:
                getattr(artist, f"set_{name}")(swapped(value))


_LINE_AND_TEXT_COLOURS = ("color", "markerfacecolor", "markeredgecolor", "markerfacecoloralt")


def save(fig: Figure, *, chart_id: str, fmt: str, text_as_paths: bool, dpi: float) -> bytes:
    """Render to bytes; deterministic: fixed hash salt per chart, no dates in metadata."""
    buffer = io.BytesIO()
    with (
        plt.rc_context(
            {"svg.fonttype": "path" if text_as_paths else "none", "svg.hashsalt": f"dsp-{chart_id}"}
        ),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        if fmt == "svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(buffer, format="rgba", dpi=dpi)
    for w in caught:
        if re.search(r"Glyph .* missing", str(w.message)):
            raise MissingGlyph(f"chart {chart_id}: {w.message}")
    return buffer.getvalue() if fmt == "svg" else _png(fig, buffer.getvalue(), dpi)


def _png(fig: Figure, rgba: bytes, dpi: float) -> bytes:
    """The raster as an RGB PNG with no row filters, no metadata (no date, no software).

    Pillow's encoder always tries every PNG filter on every row, which for charts of flat
    colours costs more than it saves: unfiltered rows at zlib level 3 encode in less than
    half the time (11 ms against 24 for a slide) into files of the same size. RGB, since
    the background is opaque.
    """
    width, height = (int(inches * dpi) for inches in fig.get_size_inches())
    if len(rgba) != width * height * 4:
        raise ValueError(f"raster of {len(rgba)} bytes is not {width}x{height} RGBA")
    rgb = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    pixels, stride = rgb.tobytes(), width * 3
    # Each row starts with its filter type, 0: none.
    rows = b"".join(b"\0" + pixels[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"".join(
        [
            PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows, PNG_ZLIB_LEVEL)),
            _png_chunk(b"IEND", b""),
        ]
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
