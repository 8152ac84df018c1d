"""The charts' colours, themes and fonts: plain values, no matplotlib.

The drawings (through `style`) and the slide decks' native charts use the same values.
"""

from __future__ import annotations

from dataclasses import dataclass

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
