"""The charts' colours, themes and fonts: plain values, no matplotlib.

The drawings (through `style`) and the slide decks' native charts use the same values.
"""

from __future__ import annotations

import dataclasses
import re
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
GREY = "#8C959F"  # readable on both themes' backgrounds
# One hue per research line (yellow is too light for names and edges on white); a line
# without one takes the theme's text colour. Each line also has its own lane on the
# timeline, so the hue is a second cue there.
LINE_COLOURS = {
    "scaling": BLUE,
    "moe": VERMILLION,
    "reasoning": GREEN,
    "multimodal": PURPLE,
    "attention": SKY,
    "rl": ORANGE,
    "infrastructure": GREY,
}

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


def colour_pairs(source: Theme, target: Theme) -> list[tuple[str, str]]:
    """Each colour of *source* with the colour of the same role in *target*."""
    roles = [f.name for f in dataclasses.fields(Theme) if f.name != "name"]
    return [(getattr(source, role), getattr(target, role)) for role in roles]


# A colour as matplotlib's SVG backend writes it: in a style, lower-case hex.
_SVG_COLOUR = re.compile(rb"((?:fill|stroke): )(#[0-9a-f]{6})")


def recolour_svg(svg: bytes, source: Theme, target: Theme) -> bytes:
    """An SVG drawn in *source*'s colours, in *target*'s: each theme colour becomes the
    same role's colour of the other theme; the palette's hues stay. Only valid for a
    drawing whose shapes do not depend on the theme (tests/test_charts.py compares every
    chart recoloured with the chart drawn in the target theme)."""
    swap = {old.lower().encode(): new.lower().encode() for old, new in colour_pairs(source, target)}

    def swapped(match: re.Match[bytes]) -> bytes:
        style, colour = match.group(1, 2)
        return bytes(style) + swap.get(colour, colour)

    return _SVG_COLOUR.sub(swapped, svg)
