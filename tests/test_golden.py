"""Whole outputs of the fixture catalogue, byte for byte: `make golden` regenerates them."""

from __future__ import annotations

import difflib

from golden import GOLDEN, golden_outputs


def test_generated_outputs_match_the_golden_files(small_project):
    outputs = golden_outputs(small_project)
    stored = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(outputs) == sorted(stored), (
        "files added or removed: run `make golden` and review the diff"
    )
    for name, content in sorted(outputs.items()):
        if content != stored[name]:
            diff = difflib.unified_diff(
                stored[name].decode("utf-8").splitlines(),
                content.decode("utf-8").splitlines(),
                f"golden/{name}",
                f"generated/{name}",
                lineterm="",
                n=2,
            )
            raise AssertionError(
                "\n".join(list(diff)[:60]) + "\n(run `make golden` if the change is intended)"
            )


def test_golden_files_cover_every_language_page_export_and_chart_kind(small_project):
    outputs = golden_outputs(small_project)
    for lang in ("zh-Hant", "zh-Hans", "en"):
        assert f"pages/papers/deepseek-v2.{lang}.md" in outputs
        assert f"pages/lineage.{lang}.md" in outputs
        assert f"pages/glossary.{lang}.md" in outputs
    assert any(name.startswith("exports/") and name.endswith(".csv") for name in outputs)
    from generators.charts.kinds import KINDS

    tables = {
        name.split("/")[1].rsplit(".", 2)[0] for name in outputs if name.startswith("charts/")
    }
    kinds = {table.removesuffix("-deepseek-llm").removesuffix("-deepseek-v2") for table in tables}
    # A chart per benchmark is named <kind>-<benchmark id>.
    kinds = {"benchmark-trend" if k.startswith("benchmark-trend-") else k for k in kinds}
    assert kinds == set(KINDS), "the fixture catalogue should show one chart of every kind"
