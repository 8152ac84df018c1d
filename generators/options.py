"""What one build does, decided once at the edge and passed down.

`BuildOptions` is made in exactly two places: from the `dspapers` plugin's settings in
mkdocs.yml (`plain mkdocs build` / `mkdocs serve`), and by the `dspapers` command from
its flags, which it writes into those same plugin settings. Nothing inside the package
reads the environment to decide what a build does.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import LANGUAGE_CODES
from .paths import ProjectPaths


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """One build's settings; every field has the plugin setting of the same name."""

    paths: ProjectPaths
    charts: bool = True  # draw the charts; off: pages only (measuring page building)
    preview: str | None = None  # build only this language, charts drawn beside the pages
    offline: bool = False  # the export for opening from disk (Material's offline plugin)
    # The slide downloads (every chart's PNG and SVG for slides and its one-slide deck, the
    # decks): off leaves them out and their links lead to the hosted site's (`SITE_URL`).
    slide_files: bool = True

    def __post_init__(self) -> None:
        if self.preview is not None and self.preview not in LANGUAGE_CODES:
            known = ", ".join(LANGUAGE_CODES)
            raise ValueError(f"preview language {self.preview!r} is not a site language ({known})")

    @property
    def rendered_languages(self) -> frozenset[str]:
        """Languages whose pages this build renders (zh-Hans pages derive from zh-Hant)."""
        if self.preview is None:
            return frozenset(LANGUAGE_CODES)
        if self.preview == "zh-Hans":
            return frozenset({"zh-Hant", "zh-Hans"})
        return frozenset({self.preview})

    @property
    def all_chart_files(self) -> bool:
        """Whether every chart file exists after this build (links to them must resolve)."""
        return self.charts and self.preview is None
