"""The release timeline, fit to show: every name drawn, inside the figure, and free.

Draws the real chart in every language, on the page canvas and on the slide, and measures
what matplotlib laid out (as tests/test_lineage_layout.py does for the lineage); then the
same for a catalogue of the size the site is heading for: about 32 papers over nearly three
years, on eight research lines with long names, with several releases a month on one line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os

import pytest
from test_lineage_layout import _disc_in_box, _drawn, _overlap

from generators.charts import kinds
from generators.charts import render as chart_render
from generators.charts.kinds.release_timeline import ReleaseTimeline, TimelineEvent
from generators.i18n import LANGUAGE_CODES, HansConverter


@pytest.fixture(scope="module")
def hans(catalog):
    return HansConverter(catalog.overrides)


@pytest.fixture(scope="module")
def timeline_jobs(generated, catalog, hans):
    specs = [s for s in generated.charts if s.decl.kind == "release-timeline"]
    assert specs, "the site declares a release timeline"
    return [j for j in chart_render.jobs(specs, catalog, hans) if j.theme == "light"]


# Research lines the site may grow into, with names as long as real ones get (zh-Hant, en).
NEW_LINES = {
    "attention": ("高效注意力與長上下文", "Efficient attention and long context"),
    "rl": ("推理與獎勵模型", "Reasoning and reward"),
    "infrastructure": ("基礎設施", "Infrastructure"),
    "multimodal": ("視覺與文件理解", "Vision and documents"),
}
M, A, S = "month_only", "arxiv_v1", "models_released"
# name, line, and its events: (kind, date); clusters of releases close together on a line.
PAPERS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("DeepSeek LLM", "scaling", ((S, "2023-11-29"), (A, "2024-01-05"))),
    ("DeepSeek-Coder", "reasoning", ((S, "2023-11-02"), (M, "2024-01-31"))),
    ("DeepSeekMoE", "moe", ((A, "2024-01-11"),)),
    ("DeepSeekMath", "reasoning", ((S, "2024-02-06"),)),
    ("DeepSeek-VL", "multimodal", ((A, "2024-03-08"), (S, "2024-03-11"))),
    ("DeepSeek-V2", "moe", ((S, "2024-05-06"), (A, "2024-05-07"))),
    ("DeepSeek-Prover", "reasoning", ((A, "2024-05-23"),)),
    ("DeepSeek-Coder-V2", "reasoning", ((S, "2024-06-17"),)),
    ("ESFT", "moe", ((A, "2024-07-02"),)),
    ("DeepSeek-Prover-V1.5", "reasoning", ((A, "2024-08-15"),)),
    ("Auxiliary-Loss-Free Load Balancing", "moe", ((A, "2024-08-28"),)),
    ("Fire-Flyer AI-HPC", "infrastructure", ((A, "2024-08-26"),)),
    ("Janus", "multimodal", ((A, "2024-10-17"),)),
    ("JanusFlow", "multimodal", ((A, "2024-11-12"),)),
    ("DeepSeek-VL2", "multimodal", ((A, "2024-12-13"), (S, "2024-12-13"))),
    ("DeepSeek-V3", "moe", ((S, "2024-12-26"), (A, "2024-12-27"))),
    ("DeepSeek-R1", "rl", ((S, "2025-01-20"), (A, "2025-01-22"))),
    ("Janus-Pro", "multimodal", ((S, "2025-01-27"), (M, "2025-01-31"))),
    ("Native Sparse Attention", "attention", ((A, "2025-02-16"),)),
    ("FlashMLA", "infrastructure", ((S, "2025-02-24"),)),
    ("DeepEP", "infrastructure", ((S, "2025-02-25"),)),
    ("DeepGEMM", "infrastructure", ((S, "2025-02-26"),)),
    ("3FS", "infrastructure", ((S, "2025-02-28"),)),
    ("Inference-Time Scaling for Generalist Reward Modeling", "rl", ((A, "2025-04-03"),)),
    ("DeepSeek-Prover-V2", "reasoning", ((S, "2025-04-30"), (A, "2025-04-30"))),
    ("Insights into DeepSeek-V3", "infrastructure", ((A, "2025-05-14"),)),
    ("DeepSeek-V3.1", "moe", ((S, "2025-08-21"),)),
    ("DeepSeek-V3.2-Exp", "attention", ((S, "2025-09-29"), (M, "2025-09-30"))),
    ("DeepSeek-OCR", "multimodal", ((S, "2025-10-20"), (A, "2025-10-21"))),
    ("DeepSeek-V3.2", "attention", ((S, "2025-12-01"), (A, "2025-12-02"))),
    ("DeepSeekMath-V2", "reasoning", ((S, "2025-11-27"),)),
    ("DeepSeek-V4", "moe", ((M, "2026-06-30"),)),
)


def _synthetic(base, hans: HansConverter):
    """*base* (a real timeline job) with the 32-paper payload and the lines' names added."""
    # The lines the site has, and those of NEW_LINES it does not have yet.
    lines = (*base.payload.lines, *(line for line in NEW_LINES if line not in base.payload.lines))
    events = tuple(
        TimelineEvent(
            paper=name.lower().replace(" ", "-"),
            name=name,
            line=line,
            kind=kind,
            date=dt.date.fromisoformat(day),
            evidence="derived" if kind == M else "paper",
        )
        for name, line, dated in PAPERS
        for kind, day in dated
    )
    added = {
        line: hans.convert(zh) if base.lang == "zh-Hans" else (en if base.lang == "en" else zh)
        for line, (zh, en) in NEW_LINES.items()
        if line not in base.payload.lines
    }
    payload = ReleaseTimeline(events=events, lines=lines)
    texts = dataclasses.replace(base.texts, lines={**base.texts.lines, **added})
    kind = kinds.get("release-timeline")
    size = base.size if base.target == "slide" else kind.page_size(payload)
    return dataclasses.replace(base, payload=payload, texts=texts, size=size)


def _check(job, png: str | None = None) -> None:
    texts, discs, (left, bottom, right, top) = _drawn(job, png)
    names = {e.name for e in job.payload.events}
    drawn = {text for text, _ in texts}
    assert names <= drawn, f"papers without their name: {names - drawn}"
    lanes = {job.texts.lines[line].replace("\n", " ") for line in job.payload.lines}
    drawn_flat = {text.replace("\n", " ") for text in drawn}
    assert lanes <= drawn_flat, f"lanes without their name: {lanes - drawn_flat}"
    for (text, _), (x0, y0, x1, y1) in texts.items():
        assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top, f"cut off: {text!r}"
    for (a, box_a), (b, box_b) in itertools.combinations(texts.items(), 2):
        assert not _overlap(box_a, box_b), f"{a[0]!r} overlaps {b[0]!r}"
    for (text, _), box in texts.items():
        for x, y, r in discs:
            assert not _disc_in_box(x, y, r, box), (
                f"{text!r} lies on a marker at ({x:.0f}, {y:.0f})"
            )


def _png(name: str) -> str | None:
    """Where to keep the drawing for a look (TIMELINE_PNGS=dir), if anywhere."""
    where = os.environ.get("TIMELINE_PNGS")
    return os.path.join(where, f"{name}.png") if where else None


@pytest.mark.parametrize("target", ["web", "slide"])
@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_name_is_whole_inside_and_free(timeline_jobs, lang, target):
    job = next(j for j in timeline_jobs if j.lang == lang and j.target == target)
    _check(job, _png(f"timeline-{lang}-{target}"))


@pytest.mark.parametrize("target", ["web", "slide"])
@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_thirty_two_papers_stay_legible(timeline_jobs, hans, lang, target):
    base = next(j for j in timeline_jobs if j.lang == lang and j.target == target)
    job = _synthetic(base, hans)
    assert len({e.paper for e in job.payload.events}) == len(PAPERS) == 32
    _check(job, _png(f"timeline32-{lang}-{target}"))
