"""The benchmark pages, checked against the downloads a reader can fetch: every score on a
benchmark's page is a row of results.csv for it and the reverse, re-scorings are grouped
and marked as the catalog's disagreements say, and the trend chart exists exactly where
three comparable DeepSeek scores do, drawing exactly those scores.

Expectations come from site/downloads/results.csv and models.csv (and the catalog for
the disagreements), never from today's counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html

from generators import evidence, strings
from generators.charts import kinds
from generators.charts.native import ScatterPanel, serial_date
from generators.charts.plan import data_table
from generators.i18n import HansConverter
from generators.render import score as format_score

LANGS = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}
TREND = "benchmark-trend"


# --- What the downloads say ----------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def results(built_site) -> dict[str, list[dict[str, str]]]:
    """results.csv's rows by benchmark id."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(built_site / "downloads" / "results.csv"):
        rows[row["benchmark_id"]].append(row)
    return rows


@pytest.fixture(scope="module")
def deepseek_models(built_site) -> set[str]:
    """models.csv lists the models the papers introduce: DeepSeek's."""
    return {row["model_id"] for row in read_csv(built_site / "downloads" / "models.csv")}


def comparable_sets(
    rows: list[dict[str, str]], deepseek: set[str]
) -> dict[tuple[str, str, str], list[dict[str, str]]]:
    """DeepSeek rows by metric, setting and sub-task (the row label, where a table gives
    one model several rows of the benchmark)."""
    per_table = Counter((r["paper"], r["table"], r["model_id"]) for r in rows)
    split = any(n > 1 for n in per_table.values())
    sets: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        if r["model_id"] in deepseek:
            sets[(r["metric"], r["setting"], r["benchmark"] if split else "")].append(r)
    return sets


# --- What the pages say ---------------------------------------------------------------------


@functools.cache  # read, never changed: a page parsed once per run
def page(site: Path, lang: str, path: str):
    return lxml_html.parse(str(site / LANGS[lang] / path / "index.html")).getroot()


_SIGNS = {ord(sign): None for sign in (*evidence.MARKS.values(), evidence.CHECKED_MARK)}


def text(element) -> str:
    """An element's text, without the signs of evidence beside numbers (tested on their own)."""
    return " ".join(element.text_content().translate(_SIGNS).split())


def heading(element) -> str:
    """A heading's text without its permalink sign."""
    return text(element).removesuffix("¶").strip()


def view_parts(site: Path, lang: str, bench: str) -> list[tuple[str, object]]:
    """A benchmark's view: its first page, then each further part while one exists."""
    parts = [f"benchmarks/{bench}"]
    while (site / LANGS[lang] / f"benchmarks/{bench}/{len(parts) + 1}" / "index.html").is_file():
        parts.append(f"benchmarks/{bench}/{len(parts) + 1}")
    return [(path, page(site, lang, path)) for path in parts]


def view_rows(site: Path, lang: str, bench: str) -> list[dict[str, object]]:
    """Every row of the view's scores tables, its pages in order, with group and marks;
    links resolved to the site path they lead to."""
    rows = []
    bodies = [
        (path, body)
        for path, doc in view_parts(site, lang, bench)
        for body in doc.xpath("//table[@id='scores-table']/tbody")
    ]
    for group_index, (path, body) in enumerate(bodies):
        for tr in body.xpath("./tr"):
            cells = [text(c) for c in tr.xpath("./th|./td")]
            rows.append(
                {
                    "group": group_index,
                    "group_model": body.get("data-model"),
                    "rescored_group": "dsp-rescored" in body.get("class", "").split(),
                    "continued": body.get("data-continued") is not None,
                    "paper": tr.get("data-paper"),
                    "table": tr.get("data-table"),
                    "later": tr.get("data-later") is not None,
                    "disagrees": tr.get("data-disagrees") is not None,
                    "cells": cells,
                    "links": [
                        urljoin(f"http://site/{path}/", a.get("href")).removeprefix("http://site/")
                        for a in tr.xpath(".//a")
                    ],
                }
            )
    return rows


def csv_key(r: dict[str, str]) -> tuple[str, ...]:
    return (
        r["paper"],
        r["table"],
        r["model_id"],
        r["model"],
        r["setting"],
        r["metric"],
        r["score"],
        r["source"],
    )


def row_key(row: dict[str, object]) -> tuple[str, ...]:
    model, _paper, _table, setting, metric, score, source, _note = row["cells"]  # type: ignore[misc]
    return (
        str(row["paper"]),
        str(row["table"]),
        str(row["group_model"]),
        model,
        setting,
        metric,
        score,
        source,
    )


# --- Checks ---------------------------------------------------------------------------------


def test_every_benchmark_has_a_view_in_every_language(built_site, catalog):
    for bench in catalog.benchmarks:
        for lang in LANGS:
            assert (built_site / LANGS[lang] / "benchmarks" / bench / "index.html").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_view_rows_equal_the_results_csv_rows_of_the_benchmark(built_site, catalog, results, lang):
    """Every benchmark, every row: model, paper, table, setting, metric, score and source."""
    for bench in catalog.benchmarks:
        rows = view_rows(built_site, lang, bench)
        expected = Counter(csv_key(r) for r in results.get(bench, []))
        if lang == "en":  # zh pages word the table titles differently; the data is the same
            assert Counter(row_key(r) for r in rows) == expected, bench
        else:
            assert Counter((r["paper"], r["table"], r["cells"][5]) for r in rows) == Counter(
                (k[0], k[1], k[6]) for k in expected.elements()
            ), bench


def test_paper_and_table_links_lead_to_the_table_on_the_paper_page(built_site, catalog):
    for bench in catalog.benchmarks:
        for row in view_rows(built_site, "en", bench):
            table_link = row["links"][0]
            assert table_link == f"papers/{row['paper']}/#table-{row['table']}"
            target = page(built_site, "en", f"papers/{row['paper']}")
            assert target.xpath(f"//h3[@id='table-{row['table']}']"), table_link


def test_rescorings_are_grouped_and_marked_as_the_catalog_says(built_site, catalog, results):
    papers = {p.id: p for p in catalog.papers}
    disagreeing = {
        (s.paper, s.comparison, s.model, s.setting, format_score(s.score))
        for d in catalog.disagreements
        for s in d.scores
    }
    marked_somewhere = rescored_somewhere = False
    for bench in catalog.benchmarks:
        rows = view_rows(built_site, "en", bench)
        # A group cut at a page's end continues (marked) at the top of the next page.
        by_group: dict[int, list[dict[str, object]]] = defaultdict(list)
        previous: dict[str, object] | None = None
        for row in rows:
            group = row["group"]
            if row["continued"]:
                assert previous is not None and previous["group_model"] == row["group_model"]
                group = previous["group"] if previous["group"] != row["group"] else group
                row = {**row, "group": group}
            by_group[group].append(row)  # type: ignore[index]
            previous = row
        # One group per model, and every row of a group is that model's.
        models = [group[0]["group_model"] for group in by_group.values()]
        assert len(models) == len(set(models)), bench
        for group in by_group.values():
            model = group[0]["group_model"]
            assert all(r["group_model"] == model for r in group)
            scored_by = {r["paper"] for r in group}
            assert group[0]["rescored_group"] == (len(scored_by) > 1), (bench, model)
            first = min(papers[str(p)].sort_date for p in scored_by)
            for r in group:
                later = papers[str(r["paper"])].sort_date > first
                assert r["later"] == later, (bench, model, r["paper"])
                assert ("Re-scored" in r["cells"][7]) == later  # type: ignore[index]
            rescored_somewhere |= len(scored_by) > 1
        for r in rows:
            key = (r["paper"], r["table"], r["group_model"], r["cells"][3], r["cells"][5])  # type: ignore[index]
            assert r["disagrees"] == (key in disagreeing), (bench, key)
            assert ("Sources differ" in r["cells"][7]) == r["disagrees"]  # type: ignore[index]
            if r["disagrees"]:
                assert f"papers/{r['paper']}/#disagreements" in r["links"]  # type: ignore[operator]
                marked_somewhere = True
    assert marked_somewhere == bool(catalog.disagreements)
    assert rescored_somewhere


def test_the_trend_chart_exists_exactly_where_three_comparable_scores_do(
    built_site, catalog, results, deepseek_models
):
    drawn = 0
    for bench in catalog.benchmarks:
        sets = comparable_sets(results.get(bench, []), deepseek_models)
        expected = any(len(rows) >= 3 for rows in sets.values())
        for lang in LANGS:
            doc = page(built_site, lang, f"benchmarks/{bench}")
            assert bool(doc.xpath(f"//figure[@id='chart-{TREND}-{bench}']")) == expected, bench
            csv_file = built_site / "downloads" / "charts" / lang / f"{TREND}-{bench}.csv"
            assert csv_file.is_file() == expected, (bench, lang)
        drawn += expected
    assert drawn > 0


def test_the_trend_chart_draws_the_largest_comparable_set(
    built_site, catalog, results, deepseek_models
):
    """Its CSV (the data table under the chart) holds one of the largest comparable sets,
    each score at its paper's date; the drawing and the slide chart draw those numbers."""
    hans = HansConverter(catalog.overrides)
    names = {p.id: p for p in catalog.papers}
    from generators.charts.plan import plan

    specs = {s.id: s for s in plan(catalog, catalog.charts)}
    for bench in catalog.benchmarks:
        chart_csv = built_site / "downloads" / "charts" / "en" / f"{TREND}-{bench}.csv"
        if not chart_csv.is_file():
            continue
        drawn = Counter(
            (r["Paper date"], r["Paper"], r["Model"], r["Score"]) for r in read_csv(chart_csv)
        )
        sets = comparable_sets(results[bench], deepseek_models).values()
        largest = max(len(rows) for rows in sets)
        candidates = [
            Counter(
                (
                    names[r["paper"]].first_date.isoformat(),
                    names[r["paper"]].name,
                    r["model"],
                    r["score"],
                )
                for r in rows
            )
            for rows in sets
            if len(rows) == largest
        ]
        assert drawn in candidates, bench
        # The payload behind the drawing and the slide's native chart: the same points.
        spec = specs[f"{TREND}-{bench}"]
        payload = spec.data.payload
        points = Counter(
            (pt.date.isoformat(), pt.paper_name, pt.model_label, f"{pt.score:g}")
            for pt in payload.points
        )
        assert points == drawn
        head, rows = data_table(spec, "en", hans, catalog)
        assert Counter(tuple(r[:4]) for r in rows) == drawn
        kind = kinds.get(TREND)
        from generators.charts.language import texts_for

        native = kind.native_chart(payload, texts_for(kind.texts, "en", hans, catalog))
        (panel,) = native.panels
        assert isinstance(panel, ScatterPanel)
        (series,) = panel.series
        assert Counter(series.points) == Counter(
            (serial_date(dt.date.fromisoformat(d)), float(s)) for d, _, _, s in drawn.elements()
        )


def test_every_benchmark_name_in_a_results_table_links_to_an_existing_view(built_site, catalog):
    for paper in catalog.papers:
        for lang in LANGS:
            doc = page(built_site, lang, f"papers/{paper.id}")
            headings = doc.xpath("//h3[starts-with(@id, 'table-')]")
            assert len(headings) == len(paper.comparisons), (paper.id, lang)
            for heading, comparison in zip(headings, paper.comparisons, strict=True):
                table = heading.xpath("following::table[1]")[0]
                body_rows = table.xpath("./tbody/tr")
                assert len(body_rows) == len(comparison.rows)
                for tr, row in zip(body_rows, comparison.rows, strict=True):
                    (link,) = tr.xpath("./td[1]/a")
                    assert link.get("href") == f"../../benchmarks/{row.benchmark}/"
                    view = built_site / LANGS[lang] / "benchmarks" / row.benchmark / "index.html"
                    assert view.is_file()


def ui(key: str, lang: str, hans: HansConverter) -> str:
    zh_hant, en = strings.UI[key]
    return en if lang == "en" else (hans.convert(zh_hant) if lang == "zh-Hans" else zh_hant)


@pytest.mark.parametrize("lang", LANGS)
def test_every_view_is_in_the_readers_language(built_site, catalog, results, lang):
    hans = HansConverter(catalog.overrides)
    head = [
        ui(k, lang, hans)
        for k in ("model", "paper", "results_table", "setting", "metric", "score", "source", "note")
    ]
    for bench in catalog.benchmarks.values():
        doc = page(built_site, lang, f"benchmarks/{bench.id}")
        assert doc.get("lang") == lang
        assert heading(doc.xpath("//article//h1")[0]) == bench.name
        description = bench.description.get("en" if lang == "en" else "zh-Hant")
        description = hans.convert(description) if lang == "zh-Hans" else description
        assert text(doc.xpath("//article//h1/following-sibling::p[1]")[0]) == description
        category = ui("benchmark_category", lang, hans)
        facts = {text(tr[0]): text(tr[1]) for tr in doc.xpath("(//article//table)[1]/tbody/tr")}
        domain = strings.DOMAINS[bench.domain][1 if lang == "en" else 0]
        assert facts[category] == (hans.convert(domain) if lang == "zh-Hans" else domain)
        assert facts[ui("benchmark_score_count", lang, hans)] == str(len(results.get(bench.id, [])))
        if results.get(bench.id):
            th = [text(c) for c in doc.xpath("//table[@id='scores-table']/thead//th")]
            assert th == head
        parts = view_parts(built_site, lang, bench.id)
        for number, (_, part) in enumerate(parts[1:], start=2):
            title = ui("benchmark_part", lang, hans).format(
                name=bench.name, part=number, parts=len(parts)
            )
            assert heading(part.xpath("//article//h1")[0]) == title
            assert part.get("lang") == lang
            th = [text(c) for c in part.xpath("//table[@id='scores-table']/thead//th")]
            assert th == head
        for chart in doc.xpath("//figure[contains(@class, 'dsp-chart')]"):
            for image in chart.xpath(".//img"):
                assert f"/charts/{lang}/" in image.get("src")
                assert image.get("alt").startswith(bench.name)


@pytest.mark.parametrize("lang", LANGS)
def test_the_index_lists_every_benchmark_by_category_with_its_count(
    built_site, catalog, results, lang
):
    hans = HansConverter(catalog.overrides)
    doc = page(built_site, lang, "benchmarks")
    listed = {}
    for domain in {b.domain for b in catalog.benchmarks.values()}:
        (title,) = doc.xpath(f"//h2[@id='{domain}']")
        name = strings.DOMAINS[domain][1 if lang == "en" else 0]
        assert heading(title) == (hans.convert(name) if lang == "zh-Hans" else name)
        table = title.xpath("following::table[1]")[0]
        for tr in table.xpath("./tbody/tr"):
            (link,) = tr.xpath("./td[1]/a")
            bench = link.get("href").strip("/").split("/")[-1]
            assert catalog.benchmarks[bench].domain == domain
            listed[bench] = int(text(tr.xpath("./td[4]")[0]))
    assert listed == {b: len(results.get(b, [])) for b in catalog.benchmarks}


def test_the_charts_page_lists_every_chart_per_benchmark_with_its_files(generated):
    """Shown on its benchmark's page, listed on the Charts page: a link there, and its files."""
    per_benchmark = [spec for spec in generated.charts if spec.benchmark is not None]
    assert per_benchmark
    for lang in LANGS:
        text = generated.files[f"charts.{lang}.md"].decode("utf-8")
        for spec in per_benchmark:
            assert f'id="chart-{spec.id}"' not in text  # not drawn again here
            line = next(
                line
                for line in text.splitlines()
                if f"(benchmarks/{spec.benchmark.id}.md#chart-{spec.id})" in line
            )
            files = f"downloads/charts/{lang}/{spec.id}"
            for suffix in (".png", "-dark.png", ".svg", "-dark.svg", ".pptx", ".csv"):
                assert f"]({files}{suffix}){{ download }}" in line, (lang, spec.id, suffix)
