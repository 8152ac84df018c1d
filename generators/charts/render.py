"""Render charts to files: cached by a hash of their inputs, stale ones drawn in parallel.

A job is one chart in one language and one theme; it yields three files from a single
drawing: the web SVG (text kept as text), and for slides a 1920x1080 PNG and an SVG with
text converted to paths. Workers import matplotlib once each.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import strings
from ..catalog import Catalog
from ..i18n import LANGUAGE_CODES, HansConverter
from .plan import ChartSpec, localized
from .texts import TEXTS

SLIDE_SIZE = (16.0, 9.0)  # inches; at 120 dpi: 1920 x 1080 px
SLIDE_DPI = 120
# On a page the chart is shown about 750 px wide: a smaller canvas with the same point
# sizes keeps its text legible there.
WEB_SIZE = (11.0, 6.1875)
THEMES = ("light", "dark")
CODE_DIR = Path(__file__).resolve().parent
OUTPUTS = {"web": ("web.svg",), "slide": ("slide.svg", "slide.png")}


class ChartError(Exception):
    """A chart cannot be drawn correctly (for example a glyph missing from the font)."""


@dataclass(frozen=True, kw_only=True)
class Job:
    chart_id: str
    kind: str
    lang: str
    theme: str
    target: str  # "web" (page SVG) or "slide" (PNG + SVG with text as paths)
    payload: dict[str, Any]
    texts: dict[str, str]  # localized templates, formatted in the worker
    names: dict[str, str]  # localized domain and research-line names
    title: str
    footnote: str
    size: tuple[float, float] = SLIDE_SIZE
    dpi: float = SLIDE_DPI

    def key(self, code_version: str) -> str:
        blob = json.dumps(
            [self.chart_id, self.kind, self.lang, self.theme, self.target, self.payload, self.texts,
             self.names, self.title, self.footnote, self.size, self.dpi, code_version],
            sort_keys=True, default=str, ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def code_version() -> str:
    """Hash of the chart code and the libraries that shape the output."""
    import importlib.metadata as md

    digest = hashlib.sha256()
    for path in sorted(CODE_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    for package in ("matplotlib", "numpy", "pillow"):
        digest.update(f"{package}={md.version(package)}".encode())
    return digest.hexdigest()[:16]


def _web_size(spec: ChartSpec) -> tuple[float, float]:
    """Pages are not slides: a long bar chart may grow taller to keep its rows readable."""
    if spec.data.kind == "benchmark-deltas":
        rows = len(spec.data.payload["rows"])
        return (WEB_SIZE[0], max(WEB_SIZE[1], 0.27 * rows + 2.3))
    return WEB_SIZE


def footnote(spec: ChartSpec, lang: str, hans: HansConverter) -> str:
    label = TEXTS["source"][0 if lang != "en" else 1]
    if lang == "zh-Hans":
        label = hans.convert(label)
    refs = "; ".join(f"{s.ref}, {s.where}" for s in spec.data.sources)
    if len(refs) > 150:  # keep the footnote to one line
        refs = "; ".join(sorted({s.ref for s in spec.data.sources}))
    note = f"  {localized(spec.decl.note, lang, hans)}" if spec.decl.note else ""
    return f"{label}: {refs}.{note}  DeepSeek Papers"


def jobs(specs: list[ChartSpec], catalog: Catalog, hans: HansConverter) -> list[Job]:
    out = []
    for spec in specs:
        for lang in LANGUAGE_CODES:
            index = 1 if lang == "en" else 0
            conv = hans.convert if lang == "zh-Hans" else (lambda s: s)
            texts = {k: conv(v[index]) for k, v in TEXTS.items()}
            names = {f"domain:{k}": conv(v[index]) for k, v in strings.DOMAINS.items()}
            names |= {f"line:{line.id}": localized(line.name, lang, hans) for line in catalog.lines}
            for theme in THEMES:
                for target in ("web", "slide"):
                    size = SLIDE_SIZE if target == "slide" else _web_size(spec)
                    out.append(
                        Job(chart_id=spec.id, kind=spec.data.kind, lang=lang, theme=theme, target=target,
                            payload=spec.data.payload, texts=texts, names=names,
                            title=spec.title(lang, hans.convert), footnote=footnote(spec, lang, hans),
                            size=size)
                    )
    return out


def draw_job(job: Job) -> dict[str, bytes]:
    """Worker: draw one chart once, save it (web: one SVG; slide: SVG and PNG)."""
    from .style import MissingGlyph

    try:
        return _draw_job(job)
    except MissingGlyph as exc:
        # Re-raised as a plain exception that the main process can catch without matplotlib.
        raise ChartError(str(exc)) from None


def _draw_job(job: Job) -> dict[str, bytes]:
    import matplotlib.pyplot as plt

    from . import draw, style

    theme = style.THEMES[job.theme]
    scale = 1.0
    style.apply(theme, job.lang, scale)

    def t(key: str, **fmt: Any) -> str:
        return job.texts[key].format(**fmt) if fmt else job.texts[key]

    frame = dict(size=job.size, title=job.title, footnote=job.footnote, theme=theme, scale=scale)
    kind = job.kind
    if kind == "params-vs-compute":
        fig = draw.params_vs_compute(frame, job.payload, t, theme, scale)
    elif kind == "benchmark-deltas":
        fig = draw.benchmark_deltas(frame, job.payload, t, theme, scale, lambda d: job.names[f"domain:{d}"])
    elif kind == "release-timeline":
        fig = draw.release_timeline(frame, job.payload, t, theme, scale, lambda line: job.names[f"line:{line}"])
    elif kind == "kv-cache-per-token":
        fig = draw.kv_cache(frame, job.payload, t, theme, scale)
    elif kind == "scaling-law-hyperparams":
        fig = draw.scaling_hyperparams(frame, job.payload, t, theme, scale)
    elif kind == "scaling-law-allocation":
        fig = draw.scaling_allocation(frame, job.payload, t, theme, scale)
    elif kind == "moe-expert-layout":
        fig = draw.expert_layout(frame, job.payload, t, theme, scale)
    elif kind == "lineage":
        fig = draw.lineage(frame, job.payload, t, theme, scale, lambda line: job.names[f"line:{line}"])
    else:
        raise ValueError(f"no drawing for chart kind {kind}")
    salt = f"{job.chart_id}-{job.lang}-{job.theme}"
    try:
        if job.target == "web":
            return {"web.svg": style.save(fig, chart_id=salt, fmt="svg", text_as_paths=False, dpi=job.dpi)}
        return {
            "slide.svg": style.save(fig, chart_id=salt, fmt="svg", text_as_paths=True, dpi=job.dpi),
            "slide.png": style.save(fig, chart_id=salt, fmt="png", text_as_paths=False, dpi=job.dpi),
        }
    finally:
        plt.close(fig)


@dataclass
class RenderReport:
    rendered: list[str]
    cached: int
    seconds: float = 0.0  # wall time spent drawing stale charts
    workers: int = 0


Results = dict[tuple[str, str, str, str], dict[str, bytes]]


def _lookup(all_jobs: list[Job], cache_dir: Path) -> tuple[Results, list[tuple[Job, Path]]]:
    """Outputs already in the cache, and the jobs (with their cache entry) still to draw."""
    version = code_version()
    results: Results = {}
    stale: list[tuple[Job, Path]] = []
    for job in all_jobs:
        entry = cache_dir / job.key(version)
        names = OUTPUTS[job.target]
        if all((entry / name).is_file() for name in names):
            results[(job.chart_id, job.lang, job.theme, job.target)] = {n: (entry / n).read_bytes() for n in names}
        else:
            stale.append((job, entry))
    return results, stale


def _store(job: Job, entry: Path, files: dict[str, bytes], results: Results) -> None:
    entry.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        tmp = entry / f".{name}.tmp"
        tmp.write_bytes(content)
        os.replace(tmp, entry / name)
    results[(job.chart_id, job.lang, job.theme, job.target)] = files


def render_all(all_jobs: list[Job], cache_dir: Path, workers: int | None = None) -> tuple[Results, RenderReport]:
    """(chart id, lang, theme, target) -> {output: bytes}; draws only what the cache lacks."""
    results, stale = _lookup(all_jobs, cache_dir)
    started = time.perf_counter()
    if stale:
        todo = [job for job, _ in stale]
        workers = workers or min(len(stale), os.cpu_count() or 1)
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                outputs = list(pool.map(draw_job, todo, chunksize=1))
        else:
            outputs = [draw_job(job) for job in todo]
        for (job, entry), files in zip(stale, outputs):
            _store(job, entry, files, results)
    report = RenderReport(
        rendered=[f"{j.chart_id}/{j.lang}/{j.theme}/{j.target}" for j, _ in stale],
        cached=len(all_jobs) - len(stale),
        seconds=time.perf_counter() - started if stale else 0.0,
        workers=(workers or 0) if stale else 0,
    )
    return results, report


# --- Preview: drawing alongside the page build ----------------------------------------

_KEPT_POOL: list[ProcessPoolExecutor] = []


def _warm_worker() -> None:
    """Pay once per worker what the first chart would: matplotlib's import and font loading."""
    import io

    import matplotlib.pyplot as plt

    from . import style

    for lang in LANGUAGE_CODES:
        style.apply(style.THEMES["light"], lang, 1.0)
        fig = plt.figure(figsize=(1, 1))
        fig.text(0.1, 0.5, "DeepSeek 論文 论文 0.5")
        fig.savefig(io.BytesIO(), format="svg")
        plt.close(fig)


def _kept_pool() -> ProcessPoolExecutor:
    """Workers that outlive one build, so a preview server redraws in warm workers.

    One core is left to the page build that runs at the same time.
    """
    if not _KEPT_POOL:
        workers = max(1, (os.cpu_count() or 1) - 1)
        # spawn, not fork: a preview server has threads running, which fork does not copy safely.
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker,
                                   mp_context=multiprocessing.get_context("spawn"))
        for _ in range(workers):  # start them now, so the first edit finds them ready
            pool.submit(int)
        _KEPT_POOL.append(pool)
    return _KEPT_POOL[0]


def stop_kept_workers() -> None:
    """End the preview's workers (the server is shutting down)."""
    while _KEPT_POOL:
        _KEPT_POOL.pop().shutdown(wait=True, cancel_futures=True)


@dataclass
class Pending:
    """Charts being drawn while the pages build; `collect` waits for them."""

    jobs: list[tuple[Job, Path, Future]]


def render_in_background(all_jobs: list[Job], cache_dir: Path) -> tuple[Results, Pending]:
    """Cached outputs now; stale charts submitted to the kept workers."""
    results, stale = _lookup(all_jobs, cache_dir)
    pool = _kept_pool()
    return results, Pending(jobs=[(job, entry, pool.submit(draw_job, job)) for job, entry in stale])


def collect(pending: Pending) -> Results:
    """Wait for the background charts and store them in the cache (raises ChartError)."""
    results: Results = {}
    for job, entry, future in pending.jobs:
        _store(job, entry, future.result(), results)
    pending.jobs = []
    return results


def site_paths(chart_id: str, lang: str, theme: str, target: str) -> dict[str, str]:
    """Where each output of one job lives in the docs tree (public, permanent URLs)."""
    suffix = "" if theme == "light" else "-dark"
    if target == "web":
        return {"web.svg": f"assets/charts/{lang}/{chart_id}{suffix}.svg"}
    return {"slide.svg": f"downloads/charts/{lang}/{chart_id}{suffix}.svg",
            "slide.png": f"downloads/charts/{lang}/{chart_id}{suffix}.png"}


def site_files(results: Results) -> dict[str, bytes]:
    """Docs-tree path -> bytes for every rendered output."""
    return {path: outputs[name] for key, outputs in results.items() for name, path in site_paths(*key).items()}
