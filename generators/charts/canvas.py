"""What every drawing needs besides its data: size, title, footnote, theme and words.

Importing this module does not import matplotlib; `Canvas.figure` does, in the worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .language import Texts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .style import Theme

SLIDE_SIZE = (16.0, 9.0)  # inches; at 120 dpi: 1920 x 1080 px
SLIDE_DPI = 120
# On a page the chart is shown about 750 px wide: a smaller canvas with the same point
# sizes keeps its text legible there.
WEB_SIZE = (11.0, 6.1875)
FOOTNOTE_X = 0.015  # the footnote's left edge, figure fraction
# A footnote this close to the canvas's width is wrapped by matplotlib: renderers measure
# text a little differently (hinting), so one that fits in one may not in another.
WRAP_MARGIN = 0.95


@dataclass(frozen=True, kw_only=True)
class Canvas:
    """One chart's frame and words, handed to a kind's drawing with its payload."""

    size: tuple[float, float]  # inches
    title: str
    footnote: str
    theme: Theme
    texts: Texts
    scale: float = 1.0  # multiplies font sizes, line widths and marker sizes

    def t(self, key: str, **fmt: object) -> str:
        """The interface string *key* in the chart's language."""
        return self.texts.t(key, **fmt)

    @property
    def domains(self) -> Mapping[str, str]:
        """Benchmark domain id -> localized name."""
        return self.texts.domains

    @property
    def lines(self) -> Mapping[str, str]:
        """Research line id -> localized name."""
        return self.texts.lines

    def figure(self) -> Figure:
        """A new figure of the canvas size, with the title at the top and the footnote below."""
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=self.size)
        fig.text(
            0.015,
            0.975,
            self.title,
            ha="left",
            va="top",
            fontsize=24 * self.scale,
            fontweight="bold",
            color=self.theme.foreground,
        )
        note = fig.text(
            FOOTNOTE_X,
            0.012,
            self.footnote,
            ha="left",
            va="bottom",
            fontsize=11 * self.scale,
            color=self.theme.muted,
        )
        # Matplotlib wraps a text anew at every draw, measuring each longer prefix of it;
        # only a footnote near the width of the canvas needs it (one that fits is unchanged).
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        room = (1 - FOOTNOTE_X) * fig.bbox.width
        note.set_wrap(note.get_window_extent(renderer).width > WRAP_MARGIN * room)
        return fig
