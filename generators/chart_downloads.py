"""Each chart's data as a CSV file, beside the chart's PNG and SVG.

`downloads/charts/<lang>/<chart-id>.csv` holds exactly what the page's data table under
the chart shows: its header plus a source column, then one row per table row (one per
mark drawn), each with the chart's sources (`ref, where; ref, where`), the cells formatted
as the table formats them.

Encoding: UTF-8 with a byte-order mark. Excel opens a CSV file without one in the
system's legacy code page, which turns Chinese text into mojibake; with the mark it reads
UTF-8 in every locale, and LibreOffice, Numbers, Google Sheets and Python's csv module
(`encoding="utf-8-sig"`) read it too. Rows end with CRLF, as RFC 4180 has them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence

from . import strings
from .chart_views import ChartView
from .paths import chart_data_path

BOM = "\ufeff"


def sources_text(view: ChartView) -> str:
    """The chart's sources on one line: ``ref, where; ref, where``."""
    return "; ".join(f"{source.ref}, {source.where}" for source in view.sources)


def chart_csv(view: ChartView, source_header: str) -> bytes:
    """One chart's data table as CSV bytes (deterministic: the same view, the same bytes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*view.head, source_header])
    sources = sources_text(view)
    writer.writerows([*row, sources] for row in view.rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def chart_csv_files(
    views: Mapping[tuple[str, str], Sequence[ChartView]], to_hans: Callable[[str], str]
) -> dict[str, bytes]:
    """Docs-tree path -> CSV bytes: one file per chart and language among the pages' *views*.

    A chart shown on several pages is written once; *to_hans* derives the zh-Hans source
    header from the zh-Hant one.
    """
    files: dict[str, bytes] = {}
    for group in views.values():
        for view in group:
            path = chart_data_path(view.id, view.asset_lang)
            if path not in files:
                files[path] = chart_csv(view, _source_header(view.lang, to_hans))
    return dict(sorted(files.items()))


def _source_header(lang: str, to_hans: Callable[[str], str]) -> str:
    zh_hant, en = strings.UI["source"]
    if lang == "en":
        return en
    return to_hans(zh_hant) if lang == "zh-Hans" else zh_hant
