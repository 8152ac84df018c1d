"""The only orchestrator: data -> catalog -> pages and downloads -> the docs tree.

Load inputs, process, save outputs; nothing is written until everything has been
built in memory, so a data error never leaves a half-written tree.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import assets, strings
from .catalog import Catalog
from .errors import DataError, DataValidationError, relative
from .exports import EXPORT_DIR, EXPORTS, build_exports
from .i18n import WRITTEN, HansConverter
from .pages import PageSpec, plan
from .paths import ProjectPaths
from .render import Renderer
from .validate import load_and_validate
from .write import WriteReport, sync_tree
from .charts import plan as chart_plan

CHART_LANG_MARK = "/charts/zh-Hant/"

log = logging.getLogger("mkdocs.plugins.dspapers")


@dataclass(frozen=True, kw_only=True)
class ChartView:
    """One chart as a page shows it, in one language."""

    id: str
    lang: str
    title: str
    caption: str
    sources: tuple
    head: list[str]
    rows: list[list[str]]


@dataclass(frozen=True, kw_only=True)
class Generated:
    catalog: Catalog
    pages: list[PageSpec]
    charts: list = field(default_factory=list)
    chart_report: object = None
    pending_charts: object = None  # preview: charts still being drawn (charts.render.Pending)
    files: dict[str, bytes]
    nav: list
    nav_translations: dict[str, dict[str, str]]  # lang -> {zh-Hant title: title}


def derive_zh_hans(zh_hant_page: str, hans: HansConverter) -> str:
    """The zh-Hans page: the zh-Hant page converted, its chart images pointed at zh-Hans files."""
    return hans.convert(zh_hant_page).replace(CHART_LANG_MARK, "/charts/zh-Hans/")


def _read_prose(paths: ProjectPaths, page: PageSpec) -> dict[str, str]:
    prose: dict[str, str] = {}
    if page.prose is None:
        return prose
    problems = []
    for lang in WRITTEN:
        path = paths.content / f"{page.prose}.{lang}.md"
        try:
            prose[lang] = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            problems.append(DataError(file=relative(path, paths.root), message="the prose file is missing"))
        except UnicodeDecodeError:
            problems.append(DataError(file=relative(path, paths.root), message="is not UTF-8 text"))
    if problems:
        raise DataValidationError(problems)
    return prose


def _nav(pages: list[PageSpec]) -> list:
    """MkDocs nav in zh-Hant (the default language); titles of pages come from their H1."""
    nav: list = []
    sections: dict[str, list] = {}
    groups: dict[tuple[str, str], list] = {}
    for page in pages:
        entry = f"{page.path}.md"
        if page.section is None:
            nav.append(entry)
            continue
        title = strings.UI[page.section][0]
        if title not in sections:
            sections[title] = []
            nav.append({title: sections[title]})
        if page.subsection is None:
            sections[title].append(entry)
            continue
        # Papers are grouped by research line: with navigation.prune a page carries only
        # its own group, so page size stays flat as the catalogue grows.
        key = (title, page.subsection.zh_Hant)
        if key not in groups:
            groups[key] = []
            sections[title].append({page.subsection.zh_Hant: groups[key]})
        groups[key].append(entry)
    return nav


def _chart_views(specs: list, catalog: Catalog, hans: HansConverter) -> dict[tuple[str, str], list[ChartView]]:
    """(page path, written language) -> the charts that page embeds."""
    views: dict[tuple[str, str], list[ChartView]] = {}
    for spec in specs:
        for lang in ("zh-Hant", "en", "zh-Hans"):
            head, rows = chart_plan.data_table(spec, lang, hans, catalog)
            view = ChartView(
                id=spec.id, lang=lang, title=spec.title(lang, hans.convert),
                caption=chart_plan.localized(spec.decl.caption, lang, hans),
                sources=spec.data.sources, head=head, rows=rows,
            )
            for page in (*spec.pages, "charts"):
                views.setdefault((page, lang), []).append(view)
    return views


def _check_chart_pages(specs: list, pages: list[PageSpec], data_dir: Path) -> None:
    known = {p.path for p in pages}
    problems = [
        DataError(file=f"{data_dir.name}/charts.yaml", field=f"{spec.decl.id}.pages",
                  message=f'page "{page}" does not exist (known: {", ".join(sorted(known))})')
        for spec in specs for page in spec.pages if page not in known
    ]
    if problems:
        raise DataValidationError(problems)


def cache_root(paths: ProjectPaths) -> Path:
    """Build caches (git-ignored): DSPAPERS_CACHE_DIR, else .cache/ in the project."""
    return Path(os.environ.get("DSPAPERS_CACHE_DIR") or paths.root / ".cache")


def cache_dir(paths: ProjectPaths) -> Path:
    """Rendered charts, one folder per content hash of a chart's inputs."""
    return cache_root(paths) / "charts"


_MEMO: dict[tuple, "Generated"] = {}


def _fingerprint(paths: ProjectPaths, charts: bool, preview: str | None) -> tuple:
    """What a generation depends on, cheaply: every input file's name, size and mtime."""
    from .paths import PACKAGE_DIR

    entries = []
    for folder in (paths.data, paths.content, PACKAGE_DIR):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return (str(paths.root), charts, preview, os.environ.get("DSPAPERS_CACHE_DIR"), tuple(entries))


def generate(paths: ProjectPaths, *, charts: bool | None = None, preview: str | None = None) -> Generated:
    """Build every generated file in memory. Raises `DataValidationError` on bad data.

    Within one process, unchanged inputs return the previous result: `dspapers build`
    validates first and the MkDocs hook then reuses that work instead of repeating it.
    With *preview* (a language code) only that language's page charts are drawn, by
    workers kept alive between rebuilds; slide files are left to the full build.
    """
    if charts is None:  # DSPAPERS_CHARTS=off skips drawing (benchmarks of page building)
        charts = os.environ.get("DSPAPERS_CHARTS", "on") != "off"
    key = _fingerprint(paths, charts, preview)
    if key in _MEMO:
        return _MEMO[key]
    generated = _generate(paths, charts=charts, preview=preview)
    _MEMO.clear()
    _MEMO[key] = generated
    return generated


@functools.cache
def _renderer() -> Renderer:
    """One template environment per process: a preview server recompiles only edited templates."""
    return Renderer()


def _written_languages(preview: str | None) -> set[str]:
    """Languages whose pages a generation renders (zh-Hans pages derive from zh-Hant ones)."""
    if preview is None:
        return {"zh-Hant", "zh-Hans", "en"}
    return {"zh-Hant", "zh-Hans"} if preview == "zh-Hans" else {preview}


def _generate(paths: ProjectPaths, *, charts: bool, preview: str | None) -> Generated:
    # Load inputs.
    data = load_and_validate(paths.data, paths.root)
    catalog = Catalog.build(data)
    pages = plan(catalog)
    hans = HansConverter(catalog.overrides)
    chart_specs = chart_plan.plan(catalog, catalog.charts)
    _check_chart_pages(chart_specs, pages, paths.data)
    views = _chart_views(chart_specs, catalog, hans)

    # Process data.
    renderer = _renderer()
    written = _written_languages(preview)
    files: dict[str, bytes] = {}
    prose_problems: list[DataError] = []
    for page in pages:
        try:
            prose = _read_prose(paths, page)
        except DataValidationError as exc:
            prose_problems.extend(exc.errors)
            continue
        for lang in WRITTEN:
            if lang not in written:
                continue
            text = renderer.render(
                page.template,
                lang,
                page_path=page.path,
                prose=prose.get(lang, ""),
                exports=EXPORTS,
                charts=views.get((page.path, lang), []),
                all_charts=chart_specs,
                root="../" * page.path.count("/"),
                **page.context,
            )
            files[f"{page.path}.{lang}.md"] = text.encode("utf-8")
            if lang == "zh-Hant" and "zh-Hans" in written:
                # Chart text on the zh-Hans page comes from the zh-Hans views (same
                # conversion), and its image paths must name the zh-Hans files.
                files[f"{page.path}.zh-Hans.md"] = derive_zh_hans(text, hans).encode("utf-8")
    if prose_problems:
        raise DataValidationError(prose_problems)
    for name, content in build_exports(catalog).items():
        files[f"{EXPORT_DIR}/{name}"] = content.encode("utf-8")
    files.update(assets.collect(paths.root))
    report = None
    pending = None
    if charts:
        from .charts import render as chart_render

        chart_jobs = chart_render.jobs(chart_specs, catalog, hans)
        if preview:
            # Only the previewed language's page charts; stale ones are drawn while MkDocs
            # builds the pages (`finish_preview_charts`), meanwhile their last version stays.
            chart_jobs = [job for job in chart_jobs if job.lang == preview and job.target == "web"]
            results, pending = chart_render.render_in_background(chart_jobs, cache_dir(paths))
            for job, _, _ in pending.jobs:
                for name in chart_render.site_paths(job.chart_id, job.lang, job.theme, job.target).values():
                    previous = paths.docs / name
                    if previous.is_file():
                        files[name] = previous.read_bytes()
        else:
            results, report = chart_render.render_all(chart_jobs, cache_dir(paths))
            if report.rendered:
                log.info(
                    "charts: %d drawn in %.1f s on %d workers, %d from cache (%s)",
                    len(report.rendered), report.seconds, report.workers, report.cached,
                    ", ".join(sorted({name.split("/")[0] for name in report.rendered})),
                )
        files.update(chart_render.site_files(results))

    sections = {strings.UI[p.section][0] for p in pages if p.section}
    subsections = {p.subsection.zh_Hant: p.subsection for p in pages if p.subsection}
    translations = {
        "zh-Hans": {title: hans.convert(title) for title in sections | set(subsections)},
        "en": {strings.UI[key][0]: strings.UI[key][1] for key in {p.section for p in pages if p.section}}
        | {zh: text.en for zh, text in subsections.items()},
    }
    return Generated(
        catalog=catalog, pages=pages, files=files, nav=_nav(pages), nav_translations=translations,
        charts=chart_specs, chart_report=report, pending_charts=pending,
    )


def finish_preview_charts(paths: ProjectPaths, generated: Generated, site_dir: Path) -> int:
    """Wait for a preview's background charts; put them in the docs tree and the built site."""
    from .charts import render as chart_render

    if generated.pending_charts is None or not generated.pending_charts.jobs:
        return 0
    outputs = chart_render.site_files(chart_render.collect(generated.pending_charts))
    for name, content in outputs.items():
        generated.files[name] = content  # a later rebuild from the memo writes the new chart
        for target in (paths.docs / name, site_dir / name):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(content)
            os.replace(tmp, target)
    return len(outputs)


NAV_FILE = "nav.json"


_WRITTEN: dict[Path, Generated] = {}


def write(paths: ProjectPaths, generated: Generated) -> WriteReport:
    """Save the generated tree (and the nav) under build/; a no-op if this process already did."""
    if _WRITTEN.get(paths.docs) is generated:
        # Each language build calls this again (static-i18n's inner builds, the forked
        # language builds); the tree is already on disk.
        return WriteReport()
    # Save outputs.
    report = sync_tree(paths.docs, generated.files)
    _WRITTEN[paths.docs] = generated
    # The navigation, so that MkDocs can rebuild these pages with generation switched off
    # (the benchmark's plain-MkDocs baseline).
    nav = json.dumps({"nav": generated.nav, "translations": generated.nav_translations},
                     ensure_ascii=False, sort_keys=True)
    nav_path = paths.build / NAV_FILE
    if not nav_path.is_file() or nav_path.read_text(encoding="utf-8") != nav:
        nav_path.write_text(nav, encoding="utf-8")
    log.info(
        "generated tree: %d written, %d unchanged, %d removed",
        len(report.written), report.unchanged, len(report.removed),
    )
    return report
