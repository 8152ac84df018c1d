"""The benchmark pages in Chromium, hosted and from file://: Material's own search finds
them by a benchmark's name and by a category's name in the reader's language; a view
shows every results.csv row of its benchmark and draws its chart; no serious axe finding.

Fixtures and waits are test_browser.py's (a page is read once it has settled: loaded,
search index ready, fonts in; a search once a result is shown).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import test_browser
from test_browser import (
    LANGS,
    PLACEHOLDER,
    draw_charts,
    playwright_api,
    serious_violations,
    url_for,
)

from generators import evidence, vocabulary
from generators.i18n import HansConverter

# test_browser.py's fixtures, by name: the served site, the offline export's address and
# the watched page (the browser itself is conftest.py's, one for the whole run).
served_site = test_browser.served_site
mode = test_browser.mode
site_url = test_browser.site_url
watch = test_browser.watch
ui_text = test_browser.ui  # an interface string in a site language, as the pages word it

pytestmark = pytest.mark.browser

# (language, query, a page that must be among the first results): a benchmark by its
# name, and a category by its name as the reader's language writes it.
SEARCHES = [
    (lang, query, f"benchmarks/{target}")
    for lang in LANGS
    for query, target in (("MMLU", "mmlu/"), ("HumanEval", "humaneval/"))
] + [
    ("zh-Hant", "程式碼", "benchmarks/"),
    ("zh-Hans", "代码", "benchmarks/"),
    ("en", "Code", "benchmarks/"),
]
FIRST_RESULTS = 5


def search(w, query: str) -> list[str]:
    """The addresses of the results Material's search shows for *query*, in order."""
    box = w.page.locator("input.md-search__input")
    box.click()
    placeholder = w.page.evaluate(PLACEHOLDER)
    playwright_api.expect(w.page.locator(".md-search-result__meta")).to_have_text(placeholder)
    box.fill(query)
    w.page.keyboard.press("End")
    w.page.wait_for_selector(".md-search-result__item")
    return w.page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")


def site_path(link: str, lang: str) -> str:
    """A result's page within its language, e.g. "benchmarks/mmlu/", in either mode;
    asserts that the result is in the reader's language."""
    path = link.split("://", 1)[1].split("#")[0].split("?")[0]  # no highlight query
    path = path.removesuffix("index.html").removesuffix(".html")
    path = path.rstrip("/") + "/"
    others = [p for code, p in LANGS.items() if p and code != lang]
    assert not any(f"/{p}" in path for p in others), link
    own = LANGS[lang]
    if own:
        assert f"/{own}" in path, link
        return path.rsplit(f"/{own}", 1)[1]
    return path


@pytest.mark.parametrize("lang,query,target", SEARCHES)
def test_search_finds_the_benchmark_pages_in_the_readers_language(
    watch,
    site_url,
    lang,
    query,
    target,
):
    w = watch(*site_url(lang))
    pages = [site_path(link, lang) for link in search(w, query)]
    first = pages[:FIRST_RESULTS]
    assert any(target in p for p in first), first
    w.check_clean()


def results_rows(site: Path, benchmark: str) -> list[list[str]]:
    """Model, setting, metric, score, the score's evidence kind and whether it was checked
    against its document, as results.csv has them."""
    with open(site / "downloads" / "results.csv", encoding="utf-8-sig", newline="") as handle:
        return [
            [r["model"], r["setting"], r["metric"], r["score"], r["evidence"], r["checked"]]
            for r in csv.DictReader(handle)
            if r["benchmark_id"] == benchmark
        ]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("benchmark", ["mmlu", "humaneval"])
def test_a_view_shows_its_rows_and_draws_its_chart(
    watch,
    site_url,
    built_site,
    ui_text,
    catalog,
    lang,
    benchmark,
):
    w = watch(*site_url(lang, f"benchmarks/{benchmark}"))
    assert w.page.locator("html").get_attribute("lang") == lang
    # The score cell: the score, then the sign of its evidence, named in the page's language
    # (and, for a score checked against its document, saying so).
    shown = w.page.locator("#scores-table tbody tr").evaluate_all(
        """rows => rows.map(r => [0, 3, 4].map(i => r.cells[i].textContent.trim()).concat([
          r.cells[5].firstChild.textContent.trim(),
          r.cells[5].querySelector(".dsp-ev[role=img]").getAttribute("aria-label")]))"""
    )

    def name(kind: str, checked: str) -> str:
        text = ui_text(evidence.text_key(kind), lang)
        return ui_text("checked_evidence", lang).format(kind=text) if checked == "true" else text

    # The setting and the metric in the page's language, as the tables word them.
    hans = HansConverter(catalog.overrides)

    def word(text: str) -> str:
        localized = vocabulary.localize(text, "en" if lang == "en" else "zh-Hant")
        return hans.convert(localized) if lang == "zh-Hans" else localized

    expected = [
        [row[0], word(row[1]), word(row[2]), row[3], name(row[4], row[5])]
        for row in results_rows(built_site, benchmark)
    ]
    assert sorted(shown) == sorted(expected)
    figure = w.page.locator(f"#chart-benchmark-trend-{benchmark}")
    if figure.count():
        widths = draw_charts(w.page)
        assert widths and all(width > 0 for width in widths), widths
        summary = figure.locator("summary")
        playwright_api.expect(summary).to_have_accessible_name(ui_text("chart_menu", lang))
    w.check_clean()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["benchmarks", "benchmarks/mmlu"])
def test_no_serious_accessibility_violations(watch, served_site, lang, page):
    url, allowed = url_for("http", served_site, Path("/"), lang, page)
    w = watch(url, allowed)
    serious = serious_violations(w.page)
    assert not serious, serious
