"""Per-chart CSV files and the download menu beside every chart, in the generated tree."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest

from generators import strings
from generators.chart_downloads import chart_csv, chart_csv_files
from generators.chart_views import ChartView
from generators.charts.plan import data_table
from generators.i18n import LANGUAGE_CODES, HansConverter
from generators.options import BuildOptions
from generators.paths import SITE_URL, chart_data_path
from generators.pipeline import generate
from generators.schema import Source


@pytest.fixture(scope="module")
def hans(catalog) -> HansConverter:
    return HansConverter(catalog.overrides)


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "Excel needs the byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def source_header(lang: str, hans: HansConverter) -> str:
    zh_hant, en = strings.UI["source"]
    return {"zh-Hant": zh_hant, "zh-Hans": hans.convert(zh_hant), "en": en}[lang]


def test_every_chart_has_a_csv_in_every_language(generated):
    written = {name for name in generated.files if name.endswith(".csv") and "/charts/" in name}
    expected = {chart_data_path(s.id, lang) for s in generated.charts for lang in LANGUAGE_CODES}
    assert written == expected


def test_csv_is_the_data_table_plus_the_charts_sources(generated, catalog, hans):
    for spec in generated.charts:
        sources = "; ".join(f"{s.ref}, {s.where}" for s in spec.data.sources)
        for lang in LANGUAGE_CODES:
            head, rows = data_table(spec, lang, hans, catalog)
            table = read_csv(generated.files[chart_data_path(spec.id, lang)])
            assert table[0] == [*head, source_header(lang, hans)], (spec.id, lang)
            assert table[1:] == [[*row, sources] for row in rows], (spec.id, lang)


def test_csv_rows_end_with_crlf_and_the_header_is_localized(generated, hans):
    spec = generated.charts[0]
    for lang, header in {"zh-Hant": "來源", "zh-Hans": "来源", "en": "Source"}.items():
        text = generated.files[chart_data_path(spec.id, lang)].decode("utf-8-sig")
        lines = text.split("\r\n")
        assert lines[-1] == "" and all("\n" not in line for line in lines)
        assert lines[0].endswith(f",{header}"), lang


def _view(rows: list[list[str]], lang: str = "en") -> ChartView:
    return ChartView(
        id="made-up",
        lang=lang,
        asset_lang=lang,
        title="A made-up chart",
        caption="",
        sources=(
            Source(kind="paper", ref="arXiv:2405.04434", where='Table 2, "base", row 3'),
            Source(kind="readme", ref="deepseek-ai/DeepSeek-V2", where="README.md"),
        ),
        head=["Model", "Score, 5-shot"],
        rows=rows,
    )


def test_cells_with_commas_quotes_and_line_breaks_survive_a_round_trip():
    rows = [['Model "A", large', "1,234"], ["two\nlines", "−0.5"]]
    table = read_csv(chart_csv(_view(rows), "Source"))
    sources = 'arXiv:2405.04434, Table 2, "base", row 3; deepseek-ai/DeepSeek-V2, README.md'
    assert table == [["Model", "Score, 5-shot", "Source"], *[[*row, sources] for row in rows]]


def test_the_files_do_not_depend_on_page_order_and_each_chart_is_written_once(hans):
    views = [_view([["a", "1"]], lang) for lang in LANGUAGE_CODES]
    pages = {("index", v.lang): [v] for v in views} | {("charts", v.lang): [v] for v in views}
    shuffled = list(pages.items())
    random.Random(7).shuffle(shuffled)
    first = chart_csv_files(pages, hans.convert)
    assert chart_csv_files(dict(shuffled), hans.convert) == first
    assert list(first) == sorted(chart_data_path("made-up", lang) for lang in LANGUAGE_CODES)


def test_a_build_without_charts_writes_no_chart_files(small_project):
    from generators.paths import ProjectPaths

    generation = generate(BuildOptions(paths=ProjectPaths.at(small_project), charts=False))
    assert not [name for name in generation.files if name.startswith("downloads/charts/")]


# --- The menu in the generated pages ----------------------------------------------------


SUFFIXES = (".png", "-dark.png", ".svg", "-dark.svg", ".pptx", ".csv")


def _embedding_pages(generated):
    """(page path, chart id) for every chart a page shows (the Charts page shows all but the
    charts per benchmark, which it lists: tests/test_benchmarks.py)."""
    for spec in generated.charts:
        for page in {*spec.pages, *(() if spec.benchmark else ("charts",))}:
            yield page, spec.id


def test_every_embedded_chart_has_an_anchor_and_a_menu_with_every_file(generated):
    for page, chart_id in _embedding_pages(generated):
        for lang in LANGUAGE_CODES:
            text = generated.files[f"{page}.{lang}.md"].decode("utf-8")
            anchor = f"chart-{chart_id}"
            assert text.count(f'<figure class="dsp-chart" id="{anchor}"') == 1, (page, lang)
            menu = text[text.index(f'id="{anchor}"') :]
            menu = menu[: menu.index("</details>")]
            files = re.findall(r"\]\(([^)]+)\)\{ download \}", menu)
            folder = "../" * page.count("/") + f"downloads/charts/{lang}/{chart_id}"
            assert sorted(files) == sorted(f"{folder}{suffix}" for suffix in SUFFIXES), (page, lang)
            assert f'href="#{anchor}"' in menu
            assert re.search(rf'value="{re.escape(SITE_URL)}[^"]*#{anchor}"', menu), (page, lang)


def test_the_menu_speaks_the_pages_language(generated, hans):
    for lang in LANGUAGE_CODES:
        text = generated.files[f"papers/deepseek-v2.{lang}.md"].decode("utf-8")
        menu = text[text.index('<details class="dsp-chart-menu"') :]
        menu = menu[: menu.index("</details>")]
        for key in ("chart_menu", "chart_download", "chart_link", "chart_citation", "copy_link"):
            zh_hant, en = strings.UI[key]
            expected = {"zh-Hant": zh_hant, "zh-Hans": hans.convert(zh_hant), "en": en}[lang]
            assert expected in menu, (lang, key)
        if lang != "en":
            assert "Download" not in menu and "Copy" not in menu and "Cite" not in menu, lang


def test_the_citation_and_link_name_the_page_in_its_language(generated):
    prefixes = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}
    for lang, prefix in prefixes.items():
        text = generated.files[f"papers/deepseek-v2.{lang}.md"].decode("utf-8")
        address = f"{SITE_URL}{prefix}papers/deepseek-v2/#chart-benchmark-deltas-deepseek-v2"
        assert f'value="{address}"' in text, lang
        cite = r'<textarea id="chart-benchmark-deltas-deepseek-v2-cite"[^>]*>(.*?)</textarea>'
        citation = re.search(cite, text).group(1)
        assert citation.endswith(address) and "arXiv:2405.04434" in citation, lang
        home = generated.files[f"index.{lang}.md"].decode("utf-8")
        assert re.search(rf'value="{re.escape(SITE_URL + prefix)}#chart-', home), lang


def test_downloads_and_charts_pages_list_the_decks_of_their_language(generated, catalog):
    for page in ("downloads", "charts"):
        for lang in LANGUAGE_CODES:
            text = generated.files[f"{page}.{lang}.md"].decode("utf-8")
            decks = re.findall(r"\((?:\.\./)*(downloads/slides/[^)]+)\)", text)
            expected = [f"downloads/slides/{lang}/deepseek-papers.pptx"] + [
                f"downloads/slides/{lang}/{paper.id}.pptx" for paper in catalog.papers
            ]
            assert decks == expected, (page, lang)
