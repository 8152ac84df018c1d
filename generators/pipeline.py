"""The only orchestrator: data -> catalog -> pages, downloads and charts -> the docs tree.

Load inputs, process, save outputs. `generate` builds everything in memory, so a data
error never leaves a half-written tree; `write` then saves it. Callers (the MkDocs plugin,
the `dspapers` command) decide when each runs, with the options they were given.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import assets, changes, feeds, slides, strings, typography
from .catalog import Catalog
from .chart_downloads import chart_csv_files
from .chart_views import ChartView, views_by_page
from .charts import plan as chart_plan
from .controls import control_texts
from .corrections import Corrections
from .errors import DataError, DataValidationError, relative
from .exports import (
    CHANGES_JSON,
    DATA_SCHEMAS,
    EXPORT_DIR,
    EXPORTS,
    build_exports,
    changes_json,
    schema_downloads,
)
from .i18n import WRITTEN, HansConverter
from .load import ParsedFiles
from .model_explorer import ModelExplorer
from .options import BuildOptions
from .pages import PageSpec, plan
from .paths import REPOSITORY, ProjectPaths
from .progress import SILENT, Progress
from .render import Renderer
from .render_memo import RenderedPages
from .search import field_words, user_dictionary
from .slides import SITE_DECK
from .validate import load_and_validate
from .write import WriteReport, WrittenTree, atomic_write, sync_tree, write_if_changed

if TYPE_CHECKING:
    from .charts.render import ChartWorkers, Drawing, Pending, RenderReport

log = logging.getLogger("mkdocs.plugins.dspapers")

Nav = list["str | dict[str, Nav]"]


@dataclass(frozen=True, kw_only=True)
class SiteShape:
    """What every MkDocs build of a generation needs besides the docs tree on disk.

    Small and picklable: a language built in another process receives it as an argument.
    """

    nav: Nav
    nav_translations: dict[str, dict[str, str]]  # lang -> {zh-Hant title: title}
    controls: dict[str, dict[str, str]]  # lang -> the theme's and extensions' control texts


@dataclass(frozen=True, kw_only=True)
class Generation:
    """Every generated file of one build, in memory, and what the build needs to know."""

    options: BuildOptions
    catalog: Catalog
    pages: list[PageSpec]
    charts: list[chart_plan.ChartSpec]
    files: dict[str, bytes]
    shape: SiteShape
    search_dictionary: str  # the field's words, for the search's Chinese segmenter
    chart_report: RenderReport | None = None
    pending_charts: Pending | None = None  # preview: charts still being drawn
    # A preview's data downloads, made once its pages are built (the tree holds the last
    # ones meanwhile): the exports grow with the catalogue, and no page waits for them.
    downloads_later: Callable[[], dict[str, bytes]] | None = None


@dataclass(kw_only=True)
class Kept:
    """What a process that builds again and again (a preview server) keeps from one build
    to the next, so that a rebuild pays for what changed rather than for everything.

    The owner of *workers* stops them (a preview server does so when it shuts down).
    """

    renderer: Renderer = field(default_factory=Renderer)  # templates compiled once
    parsed: ParsedFiles = field(default_factory=ParsedFiles)  # data files parsed once
    change_log: changes.KnownChanges = field(default_factory=changes.KnownChanges)
    pages: RenderedPages = field(default_factory=RenderedPages)  # rendered pages, reused
    written: WrittenTree = field(default_factory=WrittenTree)  # the docs tree as last written
    workers: ChartWorkers | None = None  # warm chart workers, for a preview's charts


def generate(
    options: BuildOptions, *, kept: Kept | None = None, progress: Progress = SILENT
) -> Generation:
    """Build every generated file in memory. Raises `DataValidationError` on bad data.

    A preview (`options.preview`) draws its language's page charts with the *kept* workers
    while the pages build; slide files are left to full builds.
    """
    # Load inputs.
    paths = options.paths
    progress.step("validating data and prose")
    catalog = Catalog.build(
        load_and_validate(paths.data, paths.root, kept.parsed if kept is not None else None)
    )
    # The data's git history: committed changes only.
    changelog = changes.read(paths.data, kept.change_log if kept is not None else None)
    pages = plan(catalog, changelog)
    hans = HansConverter(catalog.overrides)
    charts = chart_plan.plan(catalog, catalog.charts)
    _check_chart_pages(charts, pages, paths)

    # Process data; a full build's stale charts draw meanwhile, on the other cores.
    with _drawing(options, charts, catalog, hans) as drawing:
        progress.step(f"rendering {len(pages)} pages")
        renderer = kept.renderer if kept is not None else Renderer()
        views = views_by_page(
            charts, catalog, hans, options.rendered_languages, hosted_slides=not options.slide_files
        )
        memo = kept.pages if kept is not None else None
        files = _render_pages(options, pages, views, hans, renderer, memo)
        # A preview's data downloads follow its pages (`Generation.downloads_later`).
        last = _in_tree(paths.docs, DATA_DOWNLOADS) if options.preview else {}
        later = len(last) == len(DATA_DOWNLOADS)  # a preview with the last ones in its tree
        files.update(last if later else _data_downloads(catalog, changelog))
        files.update({path: text.encode("utf-8") for path, text in schema_downloads().items()})
        files.update(feeds.feed_files(catalog, changelog, hans.convert, options.rendered_languages))
        files.update(assets.collect(paths.root))
        files.update(ModelExplorer(catalog=catalog).model_files())  # the Compare page's
        report = pending = None
        if options.charts:
            chart_files, report, pending = _chart_files(
                options, drawing, charts, catalog, hans, kept, progress
            )
            files.update(chart_files)
            if options.all_chart_files:
                progress.step("building slide decks and chart downloads")
            files.update(slides.site_decks(options, charts, catalog, hans, chart_files))
            files.update(chart_csv_files(views, hans.convert))
    return Generation(
        options=options,
        catalog=catalog,
        pages=pages,
        charts=charts,
        files=files,
        shape=SiteShape(
            nav=_nav(pages),
            nav_translations=_nav_translations(pages, hans),
            controls=control_texts(hans),
        ),
        search_dictionary=user_dictionary(field_words(catalog, hans)),
        chart_report=report,
        pending_charts=pending,
        downloads_later=functools.partial(_data_downloads, catalog, changelog) if later else None,
    )


# Docs-tree paths of the data downloads: the exports and the change log.
DATA_DOWNLOADS = tuple(f"{EXPORT_DIR}/{export.name}" for export in EXPORTS)


def _data_downloads(catalog: Catalog, changelog: changes.ChangeLog) -> dict[str, bytes]:
    texts = {**build_exports(catalog), CHANGES_JSON: changes_json(changelog)}
    return {f"{EXPORT_DIR}/{name}": text.encode("utf-8") for name, text in texts.items()}


def _in_tree(docs: Path, paths: Iterable[str]) -> dict[str, bytes]:
    """Those of *paths* the docs tree holds, as it holds them (a preview's last version of
    a file it makes later)."""
    return {path: (docs / path).read_bytes() for path in paths if (docs / path).is_file()}


def write(generation: Generation, written: WrittenTree | None = None) -> WriteReport:
    """Save the generated tree under build/docs, touching only files whose bytes changed
    (compared in memory with what the last sync wrote, given *written*)."""
    # Save outputs.
    report = sync_tree(generation.options.paths.docs, generation.files, written)
    write_if_changed(generation.options.paths.search_dictionary, generation.search_dictionary)
    log.info(
        "generated tree: %d written, %d unchanged, %d removed",
        len(report.written),
        report.unchanged,
        len(report.removed),
    )
    return report


# --- Pages -----------------------------------------------------------------------------


def _render_pages(
    options: BuildOptions,
    pages: list[PageSpec],
    views: dict[tuple[str, str], list[ChartView]],
    hans: HansConverter,
    renderer: Renderer,
    memo: RenderedPages | None = None,
) -> dict[str, bytes]:
    """`<page>.<lang>.md` for every page and rendered language; all prose problems at once.

    With *memo* (a preview), a page whose reads are unchanged keeps its last text."""
    languages = options.rendered_languages
    files: dict[str, bytes] = {}
    problems: list[DataError] = []
    if memo is not None:
        memo.start()
    for page in pages:
        try:
            prose = _read_prose(options.paths, page)
        except DataValidationError as exc:
            problems.extend(exc.errors)
            continue
        for lang in WRITTEN:
            if lang in languages:
                text = _render(
                    renderer,
                    page,
                    lang,
                    prose,
                    views.get((page.path, lang), []),
                    hosted_slides=not options.slide_files,
                    memo=memo,
                )
                files[f"{page.path}.{lang}.md"] = text.encode("utf-8")
        if "zh-Hans" in languages:
            zh_hant = files[f"{page.path}.zh-Hant.md"].decode("utf-8")
            files[f"{page.path}.zh-Hans.md"] = _derive_zh_hans(
                renderer, page, prose, views, hans, zh_hant, not options.slide_files, memo
            )
    if problems:
        raise DataValidationError(problems)
    if memo is not None:
        log.info("pages: %d rendered, %d unchanged", memo.rendered, memo.reused)
    return files


def _render(
    renderer: Renderer,
    page: PageSpec,
    lang: str,
    prose: dict[str, str],
    views: list[ChartView],
    files_lang: str | None = None,
    convert: Callable[[str], str] | None = None,
    *,
    hosted_slides: bool,
    memo: RenderedPages | None = None,
) -> str:
    page_lang = files_lang or lang
    corrections = Corrections(lang=lang, page_lang=page_lang, page_path=page.path)
    if convert is not None:
        corrections = replace(corrections, convert=convert)
    context = dict(
        page_path=page.path,
        files_lang=page_lang,  # the language of the files the page links (decks)
        corrections=corrections,  # the report links beside the tables
        site_deck=SITE_DECK,
        hosted_slides=hosted_slides,  # the decks: links to the hosted site's files
        prose=prose.get(lang, ""),
        exports=EXPORTS,
        data_schemas=DATA_SCHEMAS,
        charts=views,
        root="../" * page.path.count("/"),
        **page.context,
    )
    if memo is None:
        return renderer.render(page.template, lang, **context)
    key = (page.template, lang, page.path, page_lang, "converted" if convert else "")
    return memo.render(key, context, lambda shown: renderer.render(page.template, lang, **shown))


def _derive_zh_hans(
    renderer: Renderer,
    page: PageSpec,
    prose: dict[str, str],
    views: dict[tuple[str, str], list[ChartView]],
    hans: HansConverter,
    zh_hant: str,
    hosted_slides: bool,
    memo: RenderedPages | None = None,
) -> bytes:
    """The zh-Hans page: the zh-Hant page converted, showing the zh-Hans chart files.

    The zh-Hant text is converted as a whole, so phrases convert as they read; a page with
    charts, with links to other files in a language's folder, or with report links (whose
    encoded text the conversion cannot read) is rendered once more with the zh-Hans files'
    paths and the report texts converted before it is converted.
    """
    embedded = views.get((page.path, "zh-Hant"), [])

    def derive() -> bytes:
        text = zh_hant
        if embedded or "/zh-Hant/" in zh_hant or REPOSITORY in zh_hant:
            with_hans_files = [replace(view, asset_lang="zh-Hans") for view in embedded]
            text = _render(
                renderer,
                page,
                "zh-Hant",
                prose,
                with_hans_files,
                "zh-Hans",
                hans.convert,
                hosted_slides=hosted_slides,
            )
        return hans.convert(text).encode("utf-8")

    if memo is None:
        return derive()
    # The rendering once more differs from the zh-Hant page by the chart files' language
    # and the converted report texts alone: the same zh-Hant page, charts and conversion
    # give the same zh-Hans page.
    inputs = (zh_hant, embedded, hans.overrides, hosted_slides)
    return memo.derive(("zh-Hans", page.path), inputs, derive)


def _read_prose(paths: ProjectPaths, page: PageSpec) -> dict[str, str]:
    """The page's hand-written prose per written language (raises on missing/broken files)."""
    prose: dict[str, str] = {}
    if page.prose is None:
        return prose
    problems = []
    for lang in WRITTEN:
        path = paths.content / f"{page.prose}.{lang}.md"
        try:
            prose[lang] = path.read_text(encoding="utf-8").strip()
            if lang == "zh-Hant":
                # Full-width punctuation in Chinese text (lines as the file numbers them).
                text = path.read_text(encoding="utf-8")
                problems.extend(typography.check_prose(text, relative(path, paths.root)))
        except FileNotFoundError:
            problems.append(
                DataError(file=relative(path, paths.root), message="the prose file is missing")
            )
        except UnicodeDecodeError:
            problems.append(DataError(file=relative(path, paths.root), message="is not UTF-8 text"))
    if problems:
        raise DataValidationError(problems)
    return prose


# --- Charts ----------------------------------------------------------------------------


def _check_chart_pages(
    specs: list[chart_plan.ChartSpec], pages: list[PageSpec], paths: ProjectPaths
) -> None:
    known = {p.path for p in pages}
    problems = [
        DataError(
            file=relative(paths.data / "charts.yaml", paths.root),
            field=f"{spec.decl.id}.pages",
            message=f'page "{page}" does not exist (known: {", ".join(sorted(known))})',
        )
        for spec in specs
        for page in spec.pages
        if page not in known
    ]
    if problems:
        raise DataValidationError(problems)


def _drawing(
    options: BuildOptions,
    specs: list[chart_plan.ChartSpec],
    catalog: Catalog,
    hans: HansConverter,
) -> AbstractContextManager[Drawing | None]:
    """A full build's stale charts, drawing from now on (None for a preview or no charts)."""
    if not options.charts or options.preview is not None:
        return nullcontext(None)
    from .charts import render as chart_render

    # Without the slide downloads, only the pages' own charts are drawn.
    targets = chart_render.TARGETS if options.slide_files else ("web",)
    jobs = chart_render.jobs(specs, catalog, hans, targets=targets)
    return chart_render.Drawing(jobs, options.paths.cache / "charts")


def _chart_files(
    options: BuildOptions,
    drawing: Drawing | None,
    specs: list[chart_plan.ChartSpec],
    catalog: Catalog,
    hans: HansConverter,
    kept: Kept | None,
    progress: Progress,
) -> tuple[dict[str, bytes], RenderReport | None, Pending | None]:
    """Chart files by docs-tree path: a full build's from its *drawing*; a preview's stale
    charts are left pending."""
    from .charts import render as chart_render

    if drawing is not None:
        results, report = drawing.finish(progress)
        if report.rendered:
            log.info(
                "charts: %d drawn in %.1f s on %d workers, %d from cache (%s)",
                len(report.rendered),
                report.seconds,
                report.workers,
                report.cached,
                ", ".join(sorted({name.split("/")[0] for name in report.rendered})),
            )
        return chart_render.site_files(results), report, None
    # A preview: only its language's page charts. Stale ones are drawn while MkDocs builds
    # the pages (`finish_preview_charts`); meanwhile their last version stays.
    workers = kept.workers if kept is not None else None
    if workers is None or options.preview is None:
        raise ValueError("a preview build draws its charts with kept workers")
    jobs = chart_render.jobs(specs, catalog, hans, languages=[options.preview], targets=["web"])
    results, pending = workers.submit(jobs, options.paths.cache / "charts")
    files = chart_render.site_files(results)
    pending_paths = (
        name
        for job in pending.jobs
        for name in chart_render.site_paths(job.chart_id, job.lang, job.theme, job.target).values()
    )
    files.update(_in_tree(options.paths.docs, pending_paths))
    return files, None, pending


# --- Navigation ------------------------------------------------------------------------


def _nav(pages: list[PageSpec]) -> Nav:
    """MkDocs nav in zh-Hant (the default language); titles of pages come from their H1."""
    nav: Nav = []
    sections: dict[str, Nav] = {}
    groups: dict[tuple[str, str], Nav] = {}
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


def _nav_translations(pages: list[PageSpec], hans: HansConverter) -> dict[str, dict[str, str]]:
    """Section and group titles of the zh-Hant nav, in the other languages."""
    sections = {p.section for p in pages if p.section}
    subsections = {p.subsection.zh_Hant: p.subsection for p in pages if p.subsection}
    titles = {strings.UI[key][0] for key in sections}
    return {
        "zh-Hans": {title: hans.convert(title) for title in titles | set(subsections)},
        "en": {strings.UI[key][0]: strings.UI[key][1] for key in sections}
        | {zh: text.en for zh, text in subsections.items()},
    }


def finish_preview_charts(generation: Generation, workers: ChartWorkers, site_dir: Path) -> int:
    """Wait for a preview's pending charts; put them in the docs tree and the built site."""
    from .charts import render as chart_render

    if generation.pending_charts is None:
        return 0
    outputs = chart_render.site_files(workers.collect(generation.pending_charts))
    for name, content in outputs.items():
        for folder in (generation.options.paths.docs, site_dir):
            atomic_write(folder / name, content)
    return len(outputs)
