"""Charts: every file in every language, true numbers, localized text, stable bytes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import subprocess
import sys

import pytest
from conftest import CACHE, DSPAPERS, ROOT

from generators import derived
from generators.charts import plan as chart_plan
from generators.charts import render as chart_render
from generators.i18n import LANGUAGE_CODES, HansConverter, foreign_script


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def svg_text(data: bytes) -> str:
    return " ".join(re.findall(r"<text[^>]*>(.*?)</text>", data.decode("utf-8"), re.S))


def expected_chart_ids(catalog) -> list[str]:
    """Every declared chart; a per-paper declaration once for each paper with a results table,
    a per-benchmark one for each benchmark with a trend (tests/test_benchmarks.py checks
    which those are against results.csv)."""
    from generators.benchmarks import trend

    ids = []
    for decl in catalog.charts:
        if decl.each == "paper":
            ids += [f"{decl.id}-{paper.id}" for paper in catalog.papers if paper.comparisons]
        elif decl.each == "benchmark":
            ids += [f"{decl.id}-{b}" for b in catalog.benchmarks if trend(catalog, b)]
        else:
            ids.append(decl.id)
    return sorted(ids)


@pytest.fixture(scope="module")
def chart_ids(catalog) -> list[str]:
    return expected_chart_ids(catalog)


def test_every_chart_is_planned(generated, chart_ids):
    assert sorted(spec.id for spec in generated.charts) == chart_ids
    assert "benchmark-deltas-deepseek-v2" in chart_ids and "lineage" in chart_ids


def test_the_data_models_know_every_kind_by_its_module_name():
    # schema.py checks `kind:` against the file names, without importing the kinds.
    from generators.charts import kinds
    from generators.charts.kind_names import KIND_NAMES

    assert list(KIND_NAMES) == kinds.names()
    assert "params-vs-compute" in KIND_NAMES


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_chart_file_exists_for_every_language(generated, chart_ids, lang):
    for chart_id in chart_ids:
        for suffix in ("", "-dark"):
            assert f"assets/charts/{lang}/{chart_id}{suffix}.svg" in generated.files
            png = generated.files[f"downloads/charts/{lang}/{chart_id}{suffix}.png"]
            assert png_size(png) == (1920, 1080), (lang, chart_id)
            slide_svg = generated.files[f"downloads/charts/{lang}/{chart_id}{suffix}.svg"]
            assert b"<text" not in slide_svg, "slide SVGs carry text as paths"
            assert b'viewBox="0 0 1152 648"' in slide_svg  # 16 x 9 inches at 72 pt


def test_web_svgs_keep_text_as_text_in_the_right_language(generated, catalog):
    hans = HansConverter(catalog.overrides)
    title = next(c for c in catalog.charts if c.id == "kv-cache-per-token").title
    web = {
        lang: generated.files[f"assets/charts/{lang}/kv-cache-per-token.svg"]
        for lang in LANGUAGE_CODES
    }
    assert title.en in svg_text(web["en"])
    assert title.zh_Hant in svg_text(web["zh-Hant"])
    assert hans.convert(title.zh_Hant) in svg_text(web["zh-Hans"])
    assert (
        "font-family" in web["zh-Hant"].decode() and "Noto Sans CJK TC" in web["zh-Hant"].decode()
    )
    assert "Noto Sans CJK SC" in web["zh-Hans"].decode()


def test_chinese_svgs_are_in_the_right_script(generated, chart_ids):
    for lang in ("zh-Hant", "zh-Hans"):
        for chart_id in chart_ids:
            text = svg_text(generated.files[f"assets/charts/{lang}/{chart_id}.svg"])
            assert re.search(r"[\u4e00-\u9fff]", text), chart_id
            assert not foreign_script(text, lang), (lang, chart_id, foreign_script(text, lang)[:3])


def test_web_svgs_are_small(generated, chart_ids):
    for lang in LANGUAGE_CODES:
        for chart_id in chart_ids:
            assert len(generated.files[f"assets/charts/{lang}/{chart_id}.svg"]) < 120_000, chart_id


def test_delta_values_match_the_data(generated, catalog):
    for spec in generated.charts:
        if spec.data.kind != "benchmark-deltas":
            continue
        table = spec.paper.comparisons[0]
        expected = {
            (row.label, row.setting): row.scores[table.headline] - row.scores[table.baseline]
            for row in table.rows
            if row.scores.get(table.headline) is not None
            and row.scores.get(table.baseline) is not None
        }
        drawn = spec.data.payload.rows
        assert len(drawn) == len(expected)
        for row in drawn:
            assert row.delta == pytest.approx(expected[(row.short, row.setting)])
            assert row.headline - row.baseline == pytest.approx(row.delta)


def test_kv_cache_computation_matches_the_paper(catalog):
    ds67b = catalog.models["deepseek-llm-67b-base"].card.config
    v2 = catalog.models["deepseek-v2"].card.config
    # DeepSeek 67B: GQA with 8 KV heads of dimension 8192/64 over 95 layers.
    assert derived.kv_elements_per_token(ds67b, "GQA") == 2 * 8 * 128 * 95
    # DeepSeek-V2: MLA caches d_c + d_h^R = 512 + 64 elements per layer over 60 layers.
    assert derived.kv_elements_per_token(v2, "MLA") == (512 + 64) * 60
    # As deployed (V2 at 6 bits per element, Section 3.2.3; 67B at 16 bits), the reduction
    # is the paper's 93.3%.
    spec = next(s for s in chart_plan.plan(catalog, catalog.charts) if s.id == "kv-cache-per-token")
    stated = next(c for c in catalog.paper("deepseek-v2").claims if c.id == "kv-cache-reduction")
    assert round(spec.data.payload.reduction * 100, 1) == stated.value == 93.3


def test_scaling_law_fits_reproduce_the_actual_settings(catalog):
    """The 7B and 67B batch sizes and learning rates lie near the fitted optimum (within 15%)."""
    spec = next(
        s for s in chart_plan.plan(catalog, catalog.charts) if s.id == "scaling-law-hyperparams"
    )
    batch_law, lr_law = spec.data.payload.law("batch-size"), spec.data.payload.law("learning-rate")
    assert spec.data.payload.points
    for point in spec.data.payload.points:
        batch = batch_law.coefficient * point.compute**batch_law.exponent
        lr = lr_law.coefficient * point.compute**lr_law.exponent
        assert abs(batch / point.batch_tokens - 1) < 0.15, point
        assert abs(lr / point.learning_rate - 1) < 0.15, point


def _one_job(catalog, chart_id="kv-cache-per-token", lang="zh-Hant", target="slide"):
    specs = [s for s in chart_plan.plan(catalog, catalog.charts) if s.id == chart_id]
    hans = HansConverter(catalog.overrides)
    return next(
        j
        for j in chart_render.jobs(specs, catalog, hans)
        if j.lang == lang and j.target == target and j.theme == "light"
    )


def _digests(outputs: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in sorted(outputs.items())}


_DRAW_ELSEWHERE = """
import hashlib, json, sys
from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.pipeline import generate
from generators.charts import plan as chart_plan, render as chart_render
from generators.i18n import HansConverter
catalog = generate(BuildOptions(paths=ProjectPaths.at(sys.argv[1]), charts=False)).catalog
specs = [s for s in chart_plan.plan(catalog, catalog.charts) if s.id == "kv-cache-per-token"]
out = {}
for job in chart_render.jobs(specs, catalog, HansConverter(catalog.overrides)):
    if job.lang == "zh-Hant" and job.theme == "light":
        files = chart_render.draw_job(job)
        out.update({f"{job.target}/{n}": hashlib.sha256(c).hexdigest() for n, c in sorted(files.items())})
print(json.dumps(out, sort_keys=True))
"""


def test_same_data_gives_byte_identical_files(catalog):
    """Drawn here and in a fresh process with another hash seed: the same bytes."""
    here = {}
    for target in ("web", "slide"):
        here.update(
            {
                f"{target}/{n}": d
                for n, d in _digests(
                    chart_render.draw_job(_one_job(catalog, target=target))
                ).items()
            }
        )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", _DRAW_ELSEWHERE, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == here
    assert set(here) == {"web/web.svg", "slide/slide.svg", "slide/slide.png"}
    assert b"<dc:date>" not in chart_render.draw_job(_one_job(catalog))["slide.svg"]


def _without_ids(svg: bytes) -> bytes:
    """*svg* with matplotlib's hashed ids (clip paths, markers: a letter or two and ten hex
    digits, salted per theme) numbered in order of appearance instead."""
    ids: dict[bytes, bytes] = {}
    return re.sub(
        rb"\b[a-z]{1,2}[0-9a-f]{10}\b", lambda m: ids.setdefault(m[0], b"id%d" % len(ids)), svg
    )


def test_dark_files_recoloured_from_light_equal_a_dark_drawing(catalog):
    """Workers draw a chart's light and dark jobs from one figure, recolouring the light
    SVGs and the figure itself for the dark PNG: for one chart of every kind, both
    targets, the result equals drawing each theme on its own (SVGs up to the names of
    their hashed ids, the PNG byte for byte)."""
    hans = HansConverter(catalog.overrides)
    first_of_kind = {}
    for spec in chart_plan.plan(catalog, catalog.charts):
        first_of_kind.setdefault(spec.data.kind, spec)
    for i, spec in enumerate(first_of_kind.values()):
        lang = LANGUAGE_CODES[i % len(LANGUAGE_CODES)]
        for target in ("web", "slide"):
            pair = [
                j
                for j in chart_render.jobs([spec], catalog, hans)
                if j.lang == lang and j.target == target
            ]
            assert [j.theme for j in pair] == ["light", "dark"]
            together = chart_render.draw_jobs(pair)
            alone = [chart_render.draw_jobs([job])[0] for job in pair]
            assert together[0] == alone[0]
            dark, dark_alone = together[1], alone[1]
            assert dark.keys() == dark_alone.keys() == set(chart_render.OUTPUTS[target])
            for name in dark:
                if name.endswith(".svg"):
                    assert _without_ids(dark[name]) == _without_ids(dark_alone[name]), (
                        spec.id,
                        lang,
                        name,
                    )
                    assert b"#1e2129" in dark[name] and b"#ffffff" not in dark[name]
                else:
                    assert dark[name] == dark_alone[name], (spec.id, lang, name)


def test_slide_png_has_the_pixels_matplotlib_draws(catalog):
    """The slide PNG (written without row filters, RGB) decodes to exactly the pixels of
    matplotlib's own PNG of the same figure, in both themes."""
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from generators.charts import kinds, style
    from generators.charts.canvas import Canvas

    for theme_name in ("light", "dark"):
        job = _one_job(catalog, chart_id="release-timeline", lang="en")
        theme = style.THEMES[theme_name]
        canvas = Canvas(
            size=job.size, title=job.title, footnote=job.footnote, theme=theme, texts=job.texts
        )
        style.apply(theme, job.lang, canvas.scale)
        fig = kinds.get(job.kind).figure(canvas, job.payload)
        try:
            ours = style.save(fig, chart_id="t", fmt="png", text_as_paths=False, dpi=job.dpi)
            theirs = io.BytesIO()
            fig.savefig(theirs, format="png", dpi=job.dpi)
        finally:
            plt.close(fig)
        decoded = Image.open(io.BytesIO(ours))
        reference = Image.open(theirs).convert("RGB")
        assert decoded.mode == "RGB" and decoded.size == reference.size == (1920, 1080)
        assert decoded.tobytes() == reference.tobytes(), theme_name


def test_missing_glyph_fails_instead_of_drawing_tofu(catalog):
    import dataclasses

    job = dataclasses.replace(_one_job(catalog, target="web"), title="\U0001f9ea test")
    with pytest.raises(chart_render.ChartError, match="missing from font"):
        chart_render.draw_job(job)


def test_cache_redraws_only_changed_charts(catalog, tmp_path):
    import dataclasses

    job = _one_job(catalog, target="web")
    _, first = chart_render.render_all([job], tmp_path, workers=1)
    _, again = chart_render.render_all([job], tmp_path, workers=1)
    changed = dataclasses.replace(job, title=job.title + " (2)")
    _, third = chart_render.render_all([job, changed], tmp_path, workers=1)
    assert len(first.rendered) == 1 and len(again.rendered) == 0 and again.cached == 1
    assert third.rendered == [f"{job.chart_id}/{job.lang}/{job.theme}/web"] and third.cached == 1


def _flipped(item):
    """A table-only value changed: a text extended, a flag (or a tuple of flags) turned."""
    if isinstance(item, str):
        return item + " (changed)"
    if isinstance(item, bool):
        return not item
    if isinstance(item, tuple) and all(isinstance(x, bool | None) for x in item):
        return tuple(x if x is None else not x for x in item)
    if item is None:  # a flag of a number the model does not state
        return True
    raise AssertionError(f"{item!r}: only texts and flags are table-only here")


def _changed(value, paths: frozenset[str], prefix: str = ""):
    """*value* with every text or flag at the dotted *paths* changed (through tuples of
    items)."""
    import dataclasses

    if isinstance(value, tuple):
        return tuple(_changed(item, paths, prefix) for item in value)
    if not dataclasses.is_dataclass(value):
        return value
    fields = {}
    for field in dataclasses.fields(value):
        path, item = f"{prefix}{field.name}", getattr(value, field.name)
        if path in paths:
            fields[field.name] = _flipped(item)
        else:
            fields[field.name] = _changed(item, paths, f"{path}.")
    return dataclasses.replace(value, **fields)


def _field_paths(value, prefix: str = "") -> set[str]:
    import dataclasses

    if isinstance(value, tuple):
        return set().union(*(_field_paths(item, prefix) for item in value))
    if not dataclasses.is_dataclass(value):
        return set()
    paths = set()
    for field in dataclasses.fields(value):
        paths.add(f"{prefix}{field.name}")
        paths |= _field_paths(getattr(value, field.name), f"{prefix}{field.name}.")
    return paths


def test_table_only_fields_change_no_drawing_and_no_cache_key(catalog):
    """A payload's TABLE_ONLY fields (a trend point's paper name, say) are left out of the
    cache key: true only if the drawing never uses them, which is checked here by drawing
    every such chart with them changed, every target and theme, and comparing the bytes."""
    import dataclasses

    hans = HansConverter(catalog.overrides)
    specs = chart_plan.plan(catalog, catalog.charts)
    checked = set()
    for spec in specs:
        table_only = type(spec.data.payload).TABLE_ONLY
        if not table_only or spec.data.kind in checked:
            continue
        checked.add(spec.data.kind)
        assert table_only <= _field_paths(spec.data.payload), "TABLE_ONLY names a missing field"
        changed = _changed(spec.data.payload, table_only)
        assert changed != spec.data.payload and changed.digest == spec.data.payload.digest
        for job in chart_render.jobs([spec], catalog, hans):
            if job.lang == "zh-Hant":
                other = dataclasses.replace(job, payload=changed)
                assert _digests(chart_render.draw_job(other)) == _digests(
                    chart_render.draw_job(job)
                ), (job.chart_id, job.theme, job.target)
                assert other.key("v") == job.key("v")
    assert "benchmark-trend" in checked
    # A drawn field still changes the key: the trend's first score.
    trend = next(s for s in specs if s.data.kind == "benchmark-trend").data.payload
    moved = dataclasses.replace(
        trend,
        points=(dataclasses.replace(trend.points[0], score=trend.points[0].score + 1),)
        + trend.points[1:],
    )
    assert moved.digest != trend.digest


def test_a_new_model_appears_in_the_charts_without_code_changes(project):
    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.pipeline import generate

    paper = project / "data/papers/deepseek-v2.yaml"
    text = paper.read_text(encoding="utf-8")
    fixture = """  - id: deepseek-fixture-999b
    name: DeepSeek-Fixture 999B
    variant: base
    released: false
    architecture: moe
    config:
      source: abstract
      total_params: 999_000_000_000
      activated_params: 37_000_000_000
      training_tokens: 14_800_000_000_000
      routed_experts: 256
      shared_experts: 1
      activated_experts: 8
"""
    paper.write_text(text.replace("models:\n", "models:\n" + fixture, 1), encoding="utf-8")
    charts = project / "data/charts.yaml"
    charts.write_text(
        charts.read_text(encoding="utf-8").replace(
            "models: [gshard-2b,", "models: [deepseek-fixture-999b, gshard-2b,"
        ),
        encoding="utf-8",
    )
    generated = generate(BuildOptions(paths=ProjectPaths.at(project), charts=False))
    specs = {s.id: s for s in generated.charts}
    assert any(
        p.model == "deepseek-fixture-999b" for p in specs["params-vs-compute"].data.payload.points
    )
    assert any(
        r.model == "DeepSeek-Fixture 999B" for r in specs["moe-expert-layout"].data.payload.rows
    )
    compare = generated.files["compare.en.md"].decode("utf-8")
    assert "DeepSeek-Fixture 999B" in compare


def test_charts_command_writes_exactly_the_requested_files(tmp_path):
    out = tmp_path / "slides"
    result = subprocess.run(
        [
            *DSPAPERS,
            "charts",
            "--lang",
            "en",
            "--format",
            "png",
            "--theme",
            "dark",
            "--size",
            "1280x720",
            "--chart",
            "release-timeline",
            "--chart",
            "kv-cache-per-token",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["kv-cache-per-token-dark.png", "release-timeline-dark.png"]
    assert png_size((out / "release-timeline-dark.png").read_bytes()) == (1280, 720)


def test_parallel_and_serial_rendering_give_identical_files(catalog, tmp_path):
    specs = [
        s
        for s in chart_plan.plan(catalog, catalog.charts)
        if s.id in ("release-timeline", "kv-cache-per-token")
    ]
    jobs = chart_render.jobs(specs, catalog, HansConverter(catalog.overrides))[:8]
    serial, _ = chart_render.render_all(jobs, tmp_path / "serial", workers=1)
    parallel, report = chart_render.render_all(jobs, tmp_path / "parallel", workers=2)
    assert report.workers == 2 and len(report.rendered) == len(jobs)
    assert serial == parallel


def test_a_rebuild_with_warm_cache_never_imports_matplotlib(generated):
    """With every chart cached (the session's `generated` warmed it), generation draws nothing."""
    code = (
        "import sys; from generators.options import BuildOptions; from generators.paths import ProjectPaths;"
        "from generators.pipeline import generate;"
        f"g = generate(BuildOptions(paths=ProjectPaths.at({str(ROOT)!r}, cache={str(CACHE)!r})));"
        "assert g.chart_report is not None and not g.chart_report.rendered, g.chart_report.rendered;"
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
