"""One visual style for every chart: palette, themes, fonts, and byte-stable saving.

Imports matplotlib: only worker processes that draw charts load this module.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Okabe-Ito: distinguishable with every common colour-vision deficiency, and the two
# main hues (blue, vermillion) differ in lightness so they survive greyscale too.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
LINE_COLOURS = {"scaling": BLUE, "moe": VERMILLION, "reasoning": GREEN, "multimodal": PURPLE}

FONTS = {"zh-Hant": "Noto Sans CJK TC", "zh-Hans": "Noto Sans CJK SC", "en": "Noto Sans CJK SC"}


@dataclass(frozen=True)
class Theme:
    """The colours of one background (light or dark)."""

    name: str
    background: str
    foreground: str
    muted: str
    grid: str
    baseline: str  # colour for non-DeepSeek models


LIGHT = Theme("light", "#ffffff", "#1f2328", "#59636e", "#d8dee4", "#8c959f")
DARK = Theme("dark", "#1e2129", "#e6edf3", "#9198a1", "#3d444d", "#8c959f")
THEMES = {"light": LIGHT, "dark": DARK}


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
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    for w in caught:
        if re.search(r"Glyph .* missing", str(w.message)):
            raise MissingGlyph(f"chart {chart_id}: {w.message}")
    return buffer.getvalue()
