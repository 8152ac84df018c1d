"""Render charts to files: cached by a hash of their inputs, stale ones drawn in parallel.

A job is one chart in one language, theme and target, and the unit of the cache: the web
SVG (text kept as text), or for slides a 1920x1080 PNG and an SVG with text converted to
paths. Workers draw a chart's two themes from one figure: the dark SVGs are the light
ones recoloured, the dark PNG is the figure recoloured (the shapes do not depend on the
theme). Workers import matplotlib once each.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple, Self

from .. import strings, versions
from ..catalog import Catalog
from ..errors import ChartError
from ..i18n import LANGUAGE_CODES, HansConverter
from ..paths import chart_download_path, chart_web_path
from ..progress import SILENT, Progress
from ..schema import Source
from ..write import atomic_write
from . import kinds
from .base import Payload
from .canvas import SLIDE_DPI, SLIDE_SIZE, WEB_SIZE, Canvas
from .language import Texts, localized, texts_for, with_words
from .palette import DARK, LIGHT, recolour_svg
from .plan import ChartSpec

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "SLIDE_DPI",
    "SLIDE_SIZE",
    "THEMES",
    "WEB_SIZE",
    "ChartError",
    "ChartWorkers",
    "Drawing",
    "Job",
    "Pending",
    "RenderReport",
    "Results",
    "code_version",
    "draw_job",
    "draw_jobs",
    "footnote",
    "jobs",
    "render_all",
    "site_files",
    "site_paths",
    "sources_footnote",
]

THEMES = ("light", "dark")
TARGETS = ("web", "slide")
CODE_DIR = Path(__file__).resolve().parent
# glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
OUTPUTS: Mapping[str, tuple[str, ...]] = {"web": ("web.svg",), "slide": ("slide.svg", "slide.png")}


@dataclass(frozen=True, kw_only=True)
class Job:
    """One chart in one language, theme and target: everything a worker needs to draw it."""

    chart_id: str
    kind: str
    lang: str
    theme: str
    target: str  # "web" (page SVG) or "slide" (PNG + SVG with text as paths)
    payload: Payload
    texts: Texts  # localized templates, formatted in the worker
    title: str
    footnote: str
    size: tuple[float, float] = SLIDE_SIZE
    dpi: float = SLIDE_DPI

    def key(self, code_version: str) -> str:
        """Cache key: changes with any input of the drawing, or with the drawing code."""
        inputs = {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "payload"
        }
        # The same as `dataclasses.asdict`, which deep-copies every string: a tenth of the time.
        inputs["texts"] = {
            f.name: value if isinstance(value := getattr(self.texts, f.name), str) else dict(value)
            for f in dataclasses.fields(self.texts)
        }
        blob = json.dumps(
            [inputs, self.payload.digest, code_version],
            sort_keys=True,
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def code_version() -> str:
    """Hash of the chart code (every module, kinds included) and the libraries that shape the output."""
    files = (
        (path.relative_to(CODE_DIR).as_posix(), path) for path in sorted(CODE_DIR.rglob("*.py"))
    )
    return versions.code_version(files, ("matplotlib", "numpy", "pillow"))


def footnote(spec: ChartSpec, lang: str, hans: HansConverter) -> str:
    """Sources (one line at most), the declaration's note, and the site's name."""
    note = localized(spec.decl.note, lang, hans) if spec.decl.note else ""
    return sources_footnote(spec.data.sources, lang, hans, note)


def sources_footnote(
    sources: Sequence[Source], lang: str, hans: HansConverter, note: str = ""
) -> str:
    """The line "Source: ref, where; ..." (only the refs past one line), *note*, and the
    site's name: a chart's footnote, and the footer of a slide of other sourced figures."""

    def t(key: str, **values: str) -> str:
        text = strings.UI[key][1 if lang == "en" else 0].format(**values)
        return hans.convert(text) if lang == "zh-Hans" else text

    unique = list(dict.fromkeys(sources))
    refs = "; ".join(f"{s.ref}, {s.where}" for s in unique)
    if len(refs) > FOOTNOTE_LENGTH:  # keep the footnote to one line
        refs = "; ".join(sorted({s.ref for s in unique}))
    if len(refs) > FOOTNOTE_LENGTH:  # too many documents to name: the data table names each
        refs = t("sources_in_table", count=str(len({s.ref for s in unique})))
    colon, stop = ("：", "。") if lang != "en" else (": ", ".")
    return f"{t('source')}{colon}{refs}{stop}{'  ' + note if note else ''}  DeepSeek Papers"


# Characters of the footnote's sources that fit one line of a chart.
FOOTNOTE_LENGTH = 150


def jobs(
    specs: list[ChartSpec],
    catalog: Catalog,
    hans: HansConverter,
    languages: Sequence[str] = LANGUAGE_CODES,
    targets: Sequence[str] = TARGETS,
) -> list[Job]:
    """Every chart in each of *languages* (default: all), both themes, each of *targets*."""
    out = []
    for spec in specs:
        kind = kinds.get(spec.data.kind)
        for lang in languages:
            texts = texts_for(kind.texts, lang, hans, catalog)
            terms = getattr(spec.data.payload, "terms", ())
            if terms:
                texts = with_words(texts, terms, hans)
            title, note = spec.title(lang, hans.convert), footnote(spec, lang, hans)
            for theme in THEMES:
                for target in targets:
                    size = SLIDE_SIZE if target == "slide" else kind.page_size(spec.data.payload)
                    out.append(
                        Job(
                            chart_id=spec.id,
                            kind=spec.data.kind,
                            lang=lang,
                            theme=theme,
                            target=target,
                            payload=spec.data.payload,
                            texts=texts,
                            title=title,
                            footnote=note,
                            size=size,
                        )
                    )
    return out


def draw_job(job: Job) -> dict[str, bytes]:
    """Worker: draw one chart once, save it (web: one SVG; slide: SVG and PNG)."""
    return draw_jobs([job])[0]


def draw_jobs(group: Sequence[Job]) -> list[dict[str, bytes]]:
    """Worker: the outputs of each job of *group*, in order. A light and a dark job of one
    chart, language and target share a drawing (see `_both_themes`)."""
    from .fonts import read_from_memory
    from .style import MissingGlyph

    try:
        with read_from_memory():
            pair = _themes_of_one_drawing(group)
            if pair is None:
                return [_draw_job(job) for job in group]
            light, dark = _both_themes(*pair)
            return [light if job is pair[0] else dark for job in group]
    except MissingGlyph as exc:
        # Re-raised as a plain exception that the main process can catch without matplotlib.
        raise ChartError(str(exc)) from None


def _both_themes(light: Job, dark: Job) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The light job's files and the dark one's from one figure: the dark SVGs are the
    light ones recoloured, the dark PNG the figure recoloured and rastered again (its text
    already measured, its labels placed)."""
    import matplotlib.pyplot as plt

    from . import style

    fig = _figure(light)
    try:
        drawn = _save(fig, light, OUTPUTS[light.target])
        recoloured = {
            name: recolour_svg(content, LIGHT, DARK)
            for name, content in drawn.items()
            if name.endswith(".svg")
        }
        rest = [name for name in OUTPUTS[dark.target] if name not in recoloured]
        if rest:
            style.apply(style.THEMES[dark.theme], dark.lang, _canvas(dark).scale)
            style.recolour(fig, LIGHT, DARK)
            recoloured.update(_save(fig, dark, rest))
        return drawn, recoloured
    finally:
        plt.close(fig)


def _themes_of_one_drawing(group: Sequence[Job]) -> tuple[Job, Job] | None:
    """(light, dark) when *group* is exactly those two jobs of one drawing, else None."""
    if len(group) != 2:
        return None
    by_theme = {job.theme: job for job in group}
    light, dark = by_theme.get("light"), by_theme.get("dark")
    if light is None or dark is None or dataclasses.replace(light, theme="dark") != dark:
        return None
    return light, dark


def _one_drawing(stale: Sequence[_Stale]) -> list[list[_Stale]]:
    """*stale* grouped by chart, language and target (a group's themes share a drawing),
    slide groups first: they take several times longer than page ones, which then even
    out the workers' last moments."""
    groups: dict[tuple[str, str, str], list[_Stale]] = {}
    for s in stale:
        groups.setdefault((s.job.chart_id, s.job.lang, s.job.target), []).append(s)
    return sorted(groups.values(), key=lambda group: group[0].job.target != "slide")


def _draw_job(job: Job) -> dict[str, bytes]:
    """Every file of one job, from one figure."""
    import matplotlib.pyplot as plt

    fig = _figure(job)
    try:
        return _save(fig, job, OUTPUTS[job.target])
    finally:
        plt.close(fig)


def _canvas(job: Job) -> Canvas:
    from . import style

    return Canvas(
        size=job.size,
        title=job.title,
        footnote=job.footnote,
        theme=style.THEMES[job.theme],
        texts=job.texts,
    )


def _figure(job: Job) -> Figure:
    """The job's chart drawn in its theme (matplotlib's settings left in that theme)."""
    from . import style

    canvas = _canvas(job)
    style.apply(canvas.theme, job.lang, canvas.scale)
    return kinds.get(job.kind).figure(canvas, job.payload)


def _save(fig: Figure, job: Job, outputs: Sequence[str]) -> dict[str, bytes]:
    """The files named *outputs* (of the job's target) of *fig*."""
    from . import style

    salt = f"{job.chart_id}-{job.lang}-{job.theme}"
    formats = {"web.svg": ("svg", False), "slide.svg": ("svg", True), "slide.png": ("png", False)}
    return {
        name: style.save(
            fig,
            chart_id=salt,
            fmt=formats[name][0],
            text_as_paths=formats[name][1],
            dpi=job.dpi,
        )
        for name in outputs
    }


@dataclass
class RenderReport:
    """What `render_all` did: the jobs drawn ("id/lang/theme/target"), and how."""

    rendered: list[str]
    cached: int
    seconds: float = 0.0  # wall time spent drawing stale charts
    workers: int = 0


Results = dict[
    tuple[str, str, str, str], dict[str, bytes]
]  # (chart id, lang, theme, target) -> outputs


class _Stale(NamedTuple):
    job: Job
    entry: Path  # the job's cache folder


def _result_key(job: Job) -> tuple[str, str, str, str]:
    return (job.chart_id, job.lang, job.theme, job.target)


def _lookup(all_jobs: list[Job], cache_dir: Path) -> tuple[Results, list[_Stale]]:
    """Outputs already in the cache, and the jobs (with their cache entry) still to draw."""
    version = code_version()
    results: Results = {}
    stale: list[_Stale] = []
    for job in all_jobs:
        entry = cache_dir / job.key(version)
        names = OUTPUTS[job.target]
        if all((entry / name).is_file() for name in names):
            results[_result_key(job)] = {n: (entry / n).read_bytes() for n in names}
        else:
            stale.append(_Stale(job, entry))
    return results, stale


def _store(stale: _Stale, files: dict[str, bytes], results: Results) -> None:
    for name, content in files.items():
        atomic_write(stale.entry / name, content)
    results[_result_key(stale.job)] = files


def _store_all(group: Sequence[_Stale], drawn: list[dict[str, bytes]], results: Results) -> None:
    for stale, files in zip(group, drawn, strict=True):
        _store(stale, files, results)


def render_all(
    all_jobs: list[Job],
    cache_dir: Path,
    workers: int | None = None,
    progress: Progress = SILENT,
) -> tuple[Results, RenderReport]:
    """(chart id, lang, theme, target) -> {output: bytes}; draws only what the cache lacks."""
    with Drawing(all_jobs, cache_dir, workers) as drawing:
        return drawing.finish(progress)


class _WorkerPool:
    """Worker processes owned by whoever made them: `stop` (or leaving a ``with`` block)
    ends them, and charts not yet drawn are dropped."""

    _pool: ProcessPoolExecutor | None = None

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


class Drawing(_WorkerPool):
    """The stale charts of *all_jobs*, drawn on all cores from the moment it is made, so
    that the caller can build its pages meanwhile; `finish` waits for them.

    Without stale charts no process is started (and matplotlib is never imported). Use
    it with ``with``: leaving the block early stops the workers.
    """

    def __init__(self, all_jobs: list[Job], cache_dir: Path, workers: int | None = None) -> None:
        self._total = len(all_jobs)
        self._results, self._stale = _lookup(all_jobs, cache_dir)
        self._groups = _one_drawing(self._stale)
        self._started = time.perf_counter()
        self._workers = workers or min(len(self._groups), os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[dict[str, bytes]]]] = []
        if self._groups and self._workers > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers, initializer=keep_freed_memory
            )
            self._futures = [
                self._pool.submit(draw_jobs, [s.job for s in group]) for group in self._groups
            ]

    def finish(self, progress: Progress = SILENT) -> tuple[Results, RenderReport]:
        """Every job's outputs, the stale ones stored in the cache as they arrive."""
        if self._groups:
            with progress.counting("drawing charts", len(self._stale), "chart file") as advance:
                for i, group in enumerate(self._groups):
                    jobs = [s.job for s in group]
                    drawn = self._futures[i].result() if self._pool else draw_jobs(jobs)
                    _store_all(group, drawn, self._results)
                    advance(len(group))
        report = RenderReport(
            rendered=[
                f"{s.job.chart_id}/{s.job.lang}/{s.job.theme}/{s.job.target}" for s in self._stale
            ],
            cached=self._total - len(self._stale),
            seconds=time.perf_counter() - self._started if self._stale else 0.0,
            workers=self._workers if self._stale else 0,
        )
        return self._results, report


# --- Preview: drawing alongside the page build ----------------------------------------


def keep_freed_memory() -> None:
    """Worker start: let the C allocator keep freed memory for reuse (glibc only).

    Every slide raster is a new 8 MB buffer (and so are its copies); by default glibc
    hands blocks that large back to the system when freed, and the next one is faulted
    in again page by page: about 9,000 page faults and 15 ms of system time per chart's
    slide files. Kept, the same pages serve the next chart.
    """
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # another C library: nothing to tune
    libc.mallopt(M_MMAP_THRESHOLD, 256 << 20)
    libc.mallopt(M_TRIM_THRESHOLD, 512 << 20)


def _warm_worker() -> None:
    """Pay once per worker what the first chart would: matplotlib's import and font loading."""
    import io

    keep_freed_memory()

    import matplotlib.pyplot as plt

    from . import style
    from .fonts import read_from_memory

    with read_from_memory():  # the fonts the charts will use: read from memory
        for lang in LANGUAGE_CODES:
            style.apply(style.THEMES["light"], lang, 1.0)
            fig = plt.figure(figsize=(1, 1))
            fig.text(0.1, 0.5, "DeepSeek 論文 论文 0.5")
            fig.savefig(io.BytesIO(), format="svg")
            plt.close(fig)


class _Drawing(NamedTuple):
    group: list[_Stale]  # one chart, language and target
    future: Future[list[dict[str, bytes]]]


@dataclass
class Pending:
    """Charts being drawn while the pages build; `ChartWorkers.collect` waits for them."""

    drawing: list[_Drawing]

    @property
    def jobs(self) -> list[Job]:
        """The jobs not collected yet."""
        return [s.job for d in self.drawing for s in d.group]


class ChartWorkers(_WorkerPool):
    """Warm worker processes that outlive one build, so a preview server redraws quickly.

    Whoever creates them owns them and calls `stop` (or uses ``with``). The processes
    start on `start` or on the first `submit`.
    """

    def __init__(self, workers: int | None = None) -> None:
        # One core is left to the page build that runs at the same time.
        self.workers = workers or max(1, (os.cpu_count() or 1) - 1)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the processes now, so that the first edit finds them ready."""
        if self._pool is None:
            # spawn, not fork: a preview server has threads running, which fork does not copy safely.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                initializer=_warm_worker,
                mp_context=multiprocessing.get_context("spawn"),
            )
            for _ in range(self.workers):
                self._pool.submit(int)

    def submit(self, all_jobs: list[Job], cache_dir: Path) -> tuple[Results, Pending]:
        """Cached outputs now; stale charts drawn in the background."""
        results, stale = _lookup(all_jobs, cache_dir)
        self.start()
        assert self._pool is not None
        return results, Pending(
            drawing=[
                _Drawing(group, self._pool.submit(draw_jobs, [s.job for s in group]))
                for group in _one_drawing(stale)
            ]
        )

    def collect(self, pending: Pending) -> Results:
        """Wait for *pending* charts and store them in the cache (raises ChartError)."""
        results: Results = {}
        for drawing in pending.drawing:
            _store_all(drawing.group, drawing.future.result(), results)
        pending.drawing = []
        return results


def site_paths(chart_id: str, lang: str, theme: str, target: str) -> dict[str, str]:
    """Where each output of one job lives in the docs tree (public, permanent URLs)."""
    if target == "web":
        return {"web.svg": chart_web_path(chart_id, lang, theme)}
    return {
        "slide.svg": chart_download_path(chart_id, lang, theme, "svg"),
        "slide.png": chart_download_path(chart_id, lang, theme, "png"),
    }


def site_files(results: Results) -> dict[str, bytes]:
    """Docs-tree path -> bytes for every rendered output."""
    return {
        path: outputs[name]
        for key, outputs in results.items()
        for name, path in site_paths(*key).items()
    }
