"""The charts as the pages show them: each chart's texts and data table in one language,
the paths of its files, and which pages embed it.

The pipeline makes the views; the page templates and the charts' CSV downloads
(chart_downloads.py) read them.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .catalog import Catalog
from .charts import plan as chart_plan
from .i18n import LANGUAGES, HansConverter
from .paths import chart_data_path, chart_download_path, chart_web_path, page_address
from .schema import Source


@dataclass(frozen=True, kw_only=True)
class ChartView:
    """One chart as a page shows it: text in *lang*, files of *asset_lang*."""

    id: str
    lang: str
    asset_lang: str
    title: str
    caption: str
    sources: tuple[Source, ...]
    head: list[str]
    rows: list[list[str]]
    # A per-benchmark chart is shown on its benchmark's page only; the Charts page lists
    # its files with a link to that page.
    home_page: str | None = None
    # The slide downloads are the hosted site's (the light offline export leaves them
    # out): `download` paths are then taken from `paths.SITE_URL`, not from the page.
    hosted_slides: bool = False

    def web_svg(self, theme: str) -> str:
        """The page image's path under the site root."""
        return chart_web_path(self.id, self.asset_lang, theme)

    def download(self, fmt: str, theme: str) -> str:
        """A slide file's path under the site root (the hosted site's, see `hosted_slides`)."""
        return chart_download_path(self.id, self.asset_lang, theme, fmt)

    def data_file(self) -> str:
        """The CSV of the chart's data table, under the site root."""
        return chart_data_path(self.id, self.asset_lang)

    @property
    def anchor(self) -> str:
        """The figure's id on every page that shows the chart."""
        return f"chart-{self.id}"

    def address(self, page_path: str) -> str:
        """The chart's public address on the page *page_path*, in the files' language."""
        prefix = next(lang.prefix for lang in LANGUAGES if lang.code == self.asset_lang)
        return f"{page_address(page_path, prefix)}#{self.anchor}"


def views_by_page(
    specs: list[chart_plan.ChartSpec],
    catalog: Catalog,
    hans: HansConverter,
    languages: AbstractSet[str],
    *,
    hosted_slides: bool = False,
) -> dict[tuple[str, str], list[ChartView]]:
    """(page path, language) -> the charts that page embeds, in each of *languages* (a
    preview shows one language: its data tables and CSV files are the only ones made);
    with *hosted_slides*, their slide downloads are the hosted site's."""
    views: dict[tuple[str, str], list[ChartView]] = {}
    for spec in specs:
        for lang in sorted(languages):
            head, rows = chart_plan.data_table(spec, lang, hans, catalog)
            view = ChartView(
                id=spec.id,
                lang=lang,
                asset_lang=lang,
                title=spec.title(lang, hans.convert),
                caption=chart_plan.localized(spec.decl.caption, lang, hans),
                sources=spec.data.sources,
                head=head,
                rows=rows,
                home_page=spec.pages[0] if spec.benchmark is not None and spec.pages else None,
                hosted_slides=hosted_slides,
            )
            for page in (*spec.pages, "charts"):
                views.setdefault((page, lang), []).append(view)
    return views
