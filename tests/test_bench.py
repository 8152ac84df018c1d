"""The bench's per-page costs: the MkDocs hook that records them, and how they are summed
up per kind of page (so a catalogue with another mix of pages compares fairly)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generators import bench

HOOK = Path(bench.__file__).with_name("page_costs.py")


def test_pages_are_sorted_into_their_kinds():
    kinds = {
        "papers/deepseek-v2.en.md": "paper",
        "papers/deepseek-v2.zh-Hant.md": "paper",
        "papers/index.en.md": "listing",
        "benchmarks/mmlu.zh-Hans.md": "benchmark",
        "benchmarks/mmlu/2.en.md": "benchmark",
        "benchmarks/index.en.md": "listing",
        "compare.en.md": "listing",
        "index.zh-Hant.md": "listing",
        "papers/deepseek-v2.md": "paper",
    }
    assert {source: bench._page_kind(source) for source in kinds} == kinds


def test_benchmark_pages_are_fitted_as_a_fixed_part_plus_a_cost_per_score():
    # 4 ms a page plus 0.5 ms a score, with paper and listing pages mixed in
    costs = [(f"benchmarks/b{n}.en.md", 4 + 0.5 * n, n) for n in (3, 10, 40, 100)]
    costs += [("papers/a.en.md", 30.0, 0), ("papers/b.en.md", 50.0, 0), ("papers/c.en.md", 70.0, 0)]
    costs += [("charts.en.md", 900.0, 0), ("index.en.md", 100.0, 0)]
    summary = bench.page_costs_by_kind(costs)
    assert summary["paper"] == {"pages": 3, "median_ms": 50.0}
    assert summary["benchmark"]["pages"] == 4
    assert summary["benchmark"]["rows"] == 153
    assert summary["benchmark"]["max_rows"] == 100
    assert summary["benchmark"]["fixed_ms"] == pytest.approx(4)
    assert summary["benchmark"]["per_score_ms"] == pytest.approx(0.5)
    assert summary["listing"] == {"pages": 2, "total_ms": 1000.0}


def test_the_hook_records_every_page_of_a_real_mkdocs_build_once(tmp_path):
    docs = tmp_path / "docs"
    (docs / "papers").mkdir(parents=True)
    pages = {
        "index.md": "# Home\n",
        "papers/one.md": "# One\n\n" + "| a | b |\n|---|---|\n| 1 | 2 |\n" * 200,
    }
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: costs\nmarkdown_extensions: [tables]\nhooks:\n  - {json.dumps(str(HOOK))}\n",
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, check=True, timeout=300
    )
    logs = list((tmp_path / "page-costs").glob("*.jsonl"))
    assert len(logs) == 1
    records = [json.loads(line) for line in logs[0].read_text(encoding="utf-8").splitlines()]
    assert sorted(r["page"] for r in records) == sorted(pages)
    by_page = {r["page"]: r["cpu_ms"] for r in records}
    assert all(ms > 0 for ms in by_page.values())
    # the page with 200 tables costs more than the one-line page: the time is the page's own
    assert by_page["papers/one.md"] > by_page["index.md"]


def test_every_pages_first_load_is_weighed_with_the_assets_it_loads(tmp_path):
    from generators.bench import PAGE_TARGET_KB, _first_loads

    css = os.urandom(30_000)  # gzip cannot shrink it
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "site.css").write_bytes(css)
    (tmp_path / "heavy").mkdir()
    link = '<link rel="stylesheet" href="{}assets/site.css">'
    light = link.format("")
    heavy = link.format("../") + "".join(f"<p>{os.urandom(8).hex()}</p>" for _ in range(9000))
    (tmp_path / "index.html").write_text(light, encoding="utf-8")
    (tmp_path / "heavy" / "index.html").write_text(heavy, encoding="utf-8")
    loads = _first_loads(tmp_path)
    assert loads["pages"] == 2
    weight = len(gzip.compress(heavy.encode())) + len(gzip.compress(css))
    assert loads["heaviest"] == ("heavy/index.html", weight)  # the stylesheet counts too
    assert weight > PAGE_TARGET_KB * 1000 > len(gzip.compress(light.encode())) + len(css)
    assert loads["over"] == 1


@pytest.mark.build
def test_the_search_is_timed_in_chromium_for_every_language(built_site):
    from generators.bench import SEARCH_QUERIES, _search_latency

    found = _search_latency(built_site)
    assert set(found) == set(SEARCH_QUERIES)
    for lang, seconds in found.items():
        assert len(seconds) == len(SEARCH_QUERIES[lang])
        assert all(t > 0 for t in seconds)
