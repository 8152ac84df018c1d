"""The `dspapers` console command: check, schema, build, serve, documents.

`build` never leaves a half-built site: MkDocs writes into a temporary directory next
to `site/`, which replaces `site/` only once the build has succeeded.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from .errors import DataValidationError
from .options import BuildOptions
from .paths import find_root
from .progress import SILENT, Progress
from .write import atomic_write

if TYPE_CHECKING:
    from .documents import Fetched, Registry
    from .paths import ProjectPaths
    from .pipeline import Generation

    # What ArgumentParser.add_subparsers returns; each subcommand adds its parser to it.
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK = 0
EXIT_BUILD_FAILED = 1
EXIT_DATA_ERROR = 2
EXIT_INTERRUPTED = 130


def _options(args: argparse.Namespace, **flags: object) -> BuildOptions:
    """The build's options: mkdocs.yml's plugin settings, then this command's flags."""
    from .plugin.settings import declared_settings, options_from_settings

    root = Path(args.root).resolve() if args.root else find_root()
    config_file = root / "mkdocs.yml"
    options = options_from_settings(declared_settings(config_file), config_file)
    if args.cache_dir:
        paths = dataclasses.replace(options.paths, cache=Path(args.cache_dir).resolve())
        options = dataclasses.replace(options, paths=paths)
    return dataclasses.replace(options, **flags)  # type: ignore[arg-type]


def _generate_or_report(options: BuildOptions, progress: Progress = SILENT) -> Generation | None:
    """The generated site, or None after printing every data problem."""
    from .pipeline import generate

    try:
        return generate(options, progress=progress)
    except DataValidationError as exc:
        print(exc.report(), file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every data file and prose fragment; build nothing."""
    generation = _generate_or_report(_options(args, charts=False))
    if generation is None:
        return EXIT_DATA_ERROR
    catalog = generation.catalog
    print(
        f"data OK: {len(catalog.papers)} papers, {len(catalog.deepseek_models)} models, "
        f"{len(catalog.benchmarks)} benchmarks, {len(catalog.scores)} scores, "
        f"{len(generation.pages)} pages x 3 languages"
    )
    for paper_id, found in sorted(catalog.checks.items()):
        for name in found.stale:
            print(
                f"warning: data/papers/{paper_id}.yaml: {name}: changed since it was checked "
                'against its document; unchecked until "dspapers verify --record"',
                file=sys.stderr,
            )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the data files' JSON Schemas into the data folder, where editors read them."""
    from .json_schema import SCHEMA_DIR, schema_files
    from .write import sync_tree

    folder = _options(args).paths.data / SCHEMA_DIR
    report = sync_tree(
        folder, {name: text.encode("utf-8") for name, text in schema_files().items()}
    )
    print(
        f"JSON Schemas in {folder}: {len(report.written)} written, {report.unchanged} unchanged, "
        f"{len(report.removed)} removed"
    )
    return EXIT_OK


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The command's log handler (told apart from handlers others installed)."""


def _configure_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    for old in [h for h in logger.handlers if isinstance(h, _StderrHandler)]:
        logger.removeHandler(old)  # one handler per process, on the current stderr
    handler = _StderrHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def _edge_environment(root: Path) -> None:
    """The environment variables read outside the package, given defaults here.

    - `SITE_URL`: the hosted site's address (mkdocs.yml; canonical links, sitemaps).
    - `REPO_URL`: the project's repository (mkdocs.yml's `extra.repository_url`), where
      the report links beside the tables open a new issue.
    - `SOURCE_DATE_EPOCH`: the build's date (MkDocs dates the sitemap with it; the offline
      zip's entries carry it): the last commit's time, so two builds of one commit match.
    - `NO_MKDOCS_2_WARNING`: quiets Material's notice about MkDocs 2.0 on every build.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("SOURCE_DATE_EPOCH", _last_commit_time(root))


def _last_commit_time(root: Path) -> str:
    """Seconds since the epoch of the last commit, else "0"."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        return out if out.isdigit() else "0"
    except (OSError, subprocess.SubprocessError):
        return "0"


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _sigterm_interrupts() -> signal._HANDLER:
    """SIGTERM raises KeyboardInterrupt, as Ctrl-C does; returns the handler it replaced."""
    return signal.signal(signal.SIGTERM, _interrupt)


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, build into a temporary directory, then swap it in as site/."""
    status, _ = _build(args, offline=False)
    return status


def _build(
    args: argparse.Namespace, *, offline: bool, slide_files: bool = True
) -> tuple[int, bool]:
    """Build unless up to date: the exit status, and whether a build ran."""
    from . import uptodate

    options = _options(args, charts=not args.no_charts, offline=offline, slide_files=slide_files)
    paths = options.paths
    _edge_environment(paths.root)
    _configure_logging(args.verbose)
    site = Path(args.site_dir).resolve() if args.site_dir else paths.site
    inputs = uptodate.inputs(options, site=site, environ=os.environ)
    if not args.force:
        changed = uptodate.changed(options, site, inputs)
        if not changed:
            print(f"site is up to date: {site}")
            return EXIT_OK, False
        if args.verbose:
            print(f"building: {', '.join(changed)} changed since the last build")
    progress = Progress()
    # Validate (and draw the charts) first: a data error exits 2 before MkDocs starts.
    generation = _generate_or_report(options, progress)
    if generation is None:
        return EXIT_DATA_ERROR, False
    from mkdocs.exceptions import MkDocsException

    from .i18n import LANGUAGE_CODES
    from .pipeline import write
    from .sitebuild import LanguageBuildFailed, build_site

    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    previous = _sigterm_interrupts()
    try:
        write(generation)  # the language builds all read this one tree
        # Every language at once by default: the builds differ in length, and with fewer
        # cores than languages one core would idle while the last build ran alone.
        jobs = args.jobs or len(LANGUAGE_CODES)
        build_site(options, generation.shape, staging, jobs=jobs, progress=progress)
        _swap(staging, site)
        uptodate.record(options, site, inputs)
    except (MkDocsException, LanguageBuildFailed) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed: {exc}", file=sys.stderr)
        return EXIT_BUILD_FAILED, False
    except KeyboardInterrupt:
        shutil.rmtree(staging, ignore_errors=True)
        print("build interrupted; site/ left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED, False
    finally:
        signal.signal(signal.SIGTERM, previous)
    if args.verbose:  # a warm chart cache means no drawing: matplotlib is imported nowhere
        drawn = generation.chart_report is not None and bool(generation.chart_report.rendered)
        print(f"matplotlib imported: {'yes' if drawn or 'matplotlib' in sys.modules else 'no'}")
    print(f"site built: {site}")
    return EXIT_OK, True


def _swap(staging: Path, site: Path) -> None:
    """Replace *site* by *staging* with two renames (no moment without a site/)."""
    old = site.with_name(f".{site.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(staging, site)
    shutil.rmtree(old, ignore_errors=True)


def cmd_offline(args: argparse.Namespace) -> int:
    """The site for opening from disk: dist/offline/ and a zip of it.

    By default the readable site without the slide downloads, whose links lead to the
    hosted site's files; `--with-slides` makes the full export beside it
    (dist/offline-with-slides/ and its own zip).
    """
    from .paths import offline_export

    root = Path(args.root).resolve() if args.root else find_root()
    dist = Path(args.dist).resolve() if args.dist else root / "dist"
    folder, archive = offline_export(dist, with_slides=args.with_slides)
    args.site_dir = str(folder)
    status, built = _build(args, offline=True, slide_files=args.with_slides)
    if status != EXIT_OK:
        return status
    if not built and archive.is_file():
        return EXIT_OK
    size = write_zip(folder, archive, int(os.environ.get("SOURCE_DATE_EPOCH", "0")))
    print(f"offline export: {archive} ({size / 1_000_000:.1f} MB); open index.html inside it")
    return EXIT_OK


def write_zip(folder: Path, archive: Path, epoch: int) -> int:
    """A reproducible zip: sorted entries, fixed timestamps, one top-level folder."""
    import io
    import time
    import zipfile

    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot store dates before 1980
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(
                f"deepseek-papers/{path.relative_to(folder).as_posix()}", date_time=stamp
            )
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    atomic_write(archive, buffer.getvalue())
    return archive.stat().st_size


def cmd_serve(args: argparse.Namespace) -> int:
    """Live preview; reloads when data/, content/ or templates change."""
    from mkdocs.commands.serve import serve

    from .i18n import LANGUAGES
    from .plugin.settings import plugin_settings, plugins_with

    # One language: no Chinese word segmentation, page charts only; an edit shows in seconds.
    preview = None if args.lang == "all" else args.lang
    options = _options(args, preview=preview)
    _edge_environment(options.paths.root)
    _configure_logging(True)
    start = (
        "" if preview is None else next(lang.prefix for lang in LANGUAGES if lang.code == preview)
    )
    print(f"previewing {args.lang}: http://{args.dev_addr}/{start}", flush=True)
    plugins = plugins_with(options.paths.mkdocs_yml, plugin_settings(options))
    # SIGTERM stops the server like Ctrl-C: MkDocs shuts down and the chart workers end.
    previous = _sigterm_interrupts()
    try:
        serve(
            config_file=str(options.paths.mkdocs_yml),
            dev_addr=args.dev_addr,
            livereload=True,
            # One language: a rebuild converts only the pages an edit changed (plugin/preview.py).
            build_type=None if preview is None else "dirty",
            plugins=plugins,
        )
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


def _all_known(kind: str, wanted: list[str], known: list[str]) -> bool:
    """Whether every id asked for exists; if not, says which do not."""
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        print(
            f"error: unknown {kind} {', '.join(unknown)} (known: {', '.join(known)})",
            file=sys.stderr,
        )
    return not unknown


def cmd_charts(args: argparse.Namespace) -> int:
    """Charts for slides: exactly the requested languages, format, theme and size."""
    from .charts import render as chart_render
    from .i18n import LANGUAGE_CODES, HansConverter

    options = _options(args, charts=False)
    generated = _generate_or_report(options)
    if generated is None:
        return EXIT_DATA_ERROR
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        print(f"error: --size must look like 1920x1080, not {args.size!r}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    langs = LANGUAGE_CODES if args.lang == "all" else (args.lang,)
    known = [spec.id for spec in generated.charts]
    wanted = args.chart or known
    if not _all_known("chart", wanted, known):
        return EXIT_BUILD_FAILED
    specs = [spec for spec in generated.charts if spec.id in wanted]
    hans = HansConverter(generated.catalog.overrides)
    dpi = chart_render.SLIDE_DPI
    jobs = [
        dataclasses.replace(job, size=(width / dpi, height / dpi))
        for job in chart_render.jobs(
            specs, generated.catalog, hans, languages=langs, targets=["slide"]
        )
        if job.theme == args.theme
    ]
    results, report = chart_render.render_all(jobs, options.paths.cache / "charts")
    out = Path(args.out)
    suffix = "" if args.theme == "light" else "-dark"
    written = 0
    for (chart_id, lang, _theme, _target), outputs in sorted(results.items()):
        folder = out / lang if len(langs) > 1 else out
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / f"{chart_id}{suffix}.{args.format}", outputs[f"slide.{args.format}"])
        written += 1
    print(
        f"{written} {args.format.upper()} files in {out} ({len(report.rendered)} drawn, {report.cached} from cache)"
    )
    return EXIT_OK


def cmd_slides(args: argparse.Namespace) -> int:
    """PowerPoint decks with native charts: exactly the requested languages, papers and theme."""
    from .i18n import LANGUAGE_CODES, HansConverter
    from .slides import requested_decks

    options = _options(args, charts=False)
    generated = _generate_or_report(options)
    if generated is None:
        return EXIT_DATA_ERROR
    papers = list(dict.fromkeys(args.paper or []))
    known = [paper.id for paper in generated.catalog.papers]
    if not _all_known("paper", papers, known):
        return EXIT_BUILD_FAILED
    files, report = requested_decks(
        options.paths.cache,
        generated.charts,
        generated.catalog,
        HansConverter(generated.catalog.overrides),
        langs=LANGUAGE_CODES if args.lang == "all" else (args.lang,),
        papers=papers,
        theme=args.theme,
    )
    out = Path(args.out)
    for name, content in sorted(files.items()):
        atomic_write(out / name, content)
    print(f"{len(files)} decks in {out} ({len(report.built)} built, {report.cached} from cache)")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    """Build-speed and page-weight figures for this machine (see generators/bench.py)."""
    from . import bench

    return bench.run(_options(args).paths.root, runs=args.runs, papers=args.papers)


def _document_paths(args: argparse.Namespace) -> tuple[ProjectPaths, Path]:
    """The project's paths and the folder of the source documents (`--sources-dir`)."""
    paths = _options(args).paths
    return paths, Path(args.sources_dir).resolve() if args.sources_dir else paths.sources


def _registry_or_report(paths: ProjectPaths) -> Registry | None:
    """The registry of source documents, or None after printing every data problem."""
    from .documents import read_registry

    try:
        return read_registry(paths)
    except DataValidationError as exc:
        print(exc.report(), file=sys.stderr)
        return None


def cmd_documents_list(args: argparse.Namespace) -> int:
    """Each source document, whether its file is there with the right SHA-256, and where."""
    from .documents import path_of, shown, status

    paths, sources = _document_paths(args)
    registry = _registry_or_report(paths)
    if registry is None:
        return EXIT_DATA_ERROR
    width = max((len(doc.id) for doc in registry), default=0)
    for doc in registry:
        try:
            state: str = status(doc, sources)
        except OSError as exc:
            state = f"unreadable ({exc.strerror or exc})"
        print(f"{doc.id:<{width}}  {state:<10}  {shown(path_of(doc, sources))}")
    print(f"{len(registry)} documents in {registry.file}; files in {shown(sources)}")
    return EXIT_OK


def _print_fetched(result: Fetched) -> None:
    print(result.message, file=sys.stderr if result.outcome == "failed" else sys.stdout)


def cmd_documents_fetch(args: argparse.Namespace) -> int:
    """Download the missing source documents, each checked against its SHA-256."""
    from .documents import DocumentError, fetch

    paths, sources = _document_paths(args)
    registry = _registry_or_report(paths)
    if registry is None:
        return EXIT_DATA_ERROR
    try:
        report = fetch(registry, sources, args.only, on_result=_print_fetched)
    except DocumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except KeyboardInterrupt:
        print("fetch interrupted; no file was left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED
    counts = {o: sum(r.outcome == o for r in report.results) for o in ("fetched", "present")}
    print(
        f"{counts['fetched']} fetched, {counts['present']} already present, "
        f"{len(report.failed)} failed"
    )
    return EXIT_DATA_ERROR if report.failed else EXIT_OK


def cmd_documents_add(args: argparse.Namespace) -> int:
    """Copy a document one has into the sources folder and record its SHA-256."""
    from .documents import DocumentError, add, shown
    from .validate import DOCUMENTS_FILE

    paths, sources = _document_paths(args)
    registry_file = paths.data / DOCUMENTS_FILE
    try:
        added = add(
            Path(args.file),
            args.name,
            registry_file=registry_file,
            sources_dir=sources,
            url=args.url,
        )
    except DocumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except OSError as exc:
        print(f"error: {exc.filename or args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    print(f"{added.document}: {shown(added.path)}, SHA-256 {added.sha256}")
    if added.created:
        print(
            f"new entry at the end of {shown(registry_file)}: complete its title, repository, "
            "commit, path and backs, then run dspapers check"
        )
    else:
        print(f"sha256 of documents[{added.document}] written in {shown(registry_file)}")
    return EXIT_OK


# Every subcommand's arguments, one function each; `dspapers --help` lists them in
# SUBCOMMANDS' order. A new subcommand is a `cmd_` function, an `_add_` function and its
# entry there.

LANGUAGE_CHOICES = ["zh-Hant", "zh-Hans", "en", "all"]


def _add_check(sub: Subcommands) -> None:
    check = sub.add_parser("check", help="validate all data and prose; build nothing")
    check.set_defaults(func=cmd_check)


def _add_schema(sub: Subcommands) -> None:
    schema = sub.add_parser(
        "schema", help="regenerate the data files' JSON Schemas (data/schema/) from the models"
    )
    schema.set_defaults(func=cmd_schema)


def _add_language_builds(parser: argparse.ArgumentParser) -> None:
    """What `build` and `offline` share: the forked language builds and their output."""
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        help="language builds in parallel (default: every language at once)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress")


def _add_build(sub: Subcommands) -> None:
    build = sub.add_parser("build", help="build the site into site/ (atomically)")
    build.add_argument("--site-dir", help="output directory (default: site/)")
    _add_language_builds(build)
    build.add_argument(
        "--no-charts",
        action="store_true",
        help="pages only, charts not drawn (measures page building; links to charts not checked)",
    )
    build.add_argument(
        "--force", action="store_true", help="build even if the site is up to date with its inputs"
    )
    build.set_defaults(func=cmd_build)


def _add_offline(sub: Subcommands) -> None:
    offline = sub.add_parser(
        "offline",
        help="build dist/offline/ and dist/deepseek-papers-offline.zip: every page, chart, "
        "table, search and data download; the slide downloads link to the hosted site",
    )
    offline.add_argument("--dist", help="output directory (default: dist/)")
    offline.add_argument(
        "--with-slides",
        action="store_true",
        help="the full export with the slide downloads too (every chart's PNG, SVG and "
        "one-slide deck, the decks; several times larger): dist/offline-with-slides/ and "
        "dist/deepseek-papers-offline-with-slides.zip",
    )
    _add_language_builds(offline)
    offline.add_argument(
        "--force", action="store_true", help="build even if the export is up to date"
    )
    # The export always has its charts (_build reads the flag that `build` sets).
    offline.set_defaults(no_charts=False)
    offline.set_defaults(func=cmd_offline)


def _add_charts(sub: Subcommands) -> None:
    charts = sub.add_parser(
        "charts", help="write charts for slides (PNG or SVG with text as paths)"
    )
    charts.add_argument("--lang", default="en", choices=LANGUAGE_CHOICES)
    charts.add_argument("--format", default="png", choices=["png", "svg"])
    charts.add_argument("--theme", default="light", choices=["light", "dark"])
    charts.add_argument(
        "--size", default="1920x1080", help="pixels, WIDTHxHEIGHT (default 1920x1080)"
    )
    charts.add_argument("--chart", action="append", help="chart id (repeatable; default: all)")
    charts.add_argument("--out", default="slides", help="output directory (default: slides/)")
    charts.set_defaults(func=cmd_charts)


def _add_slides(sub: Subcommands) -> None:
    slides = sub.add_parser(
        "slides", help="write PowerPoint decks with native, editable charts (.pptx)"
    )
    slides.add_argument("--lang", default="en", choices=LANGUAGE_CHOICES)
    slides.add_argument(
        "--paper", action="append", help="paper id (repeatable; default: the whole-site deck)"
    )
    slides.add_argument("--theme", default="light", choices=["light", "dark"])
    slides.add_argument("--out", default="slides", help="output directory (default: slides/)")
    slides.set_defaults(func=cmd_slides)


def _add_bench(sub: Subcommands) -> None:
    bench = sub.add_parser("bench", help="measure build speed and page weight")
    bench.add_argument("--runs", type=int, default=3, help="runs per scenario (median reported)")
    bench.add_argument("--papers", type=int, default=300, help="papers in the synthetic catalogue")
    bench.set_defaults(func=cmd_bench)


def cmd_verify(args: argparse.Namespace) -> int:
    """Look up every number in its source document (see generators/verify/)."""
    from .verify.command import run

    paths, sources = _document_paths(args)
    return run(paths, sources, paper=args.paper, record=args.record)


def _add_verify(sub: Subcommands) -> None:
    verify = sub.add_parser(
        "verify", help="look up every number in its source document (data/documents.yaml)"
    )
    verify.add_argument("--paper", help="one paper id (default: every paper)")
    verify.add_argument(
        "--record",
        action="store_true",
        help="write the outcomes to data/checks/<paper>.yaml, which the site shows",
    )
    verify.set_defaults(func=cmd_verify)


def _add_serve(sub: Subcommands) -> None:
    serve = sub.add_parser("serve", help="live preview at http://127.0.0.1:8000/")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address:port")
    serve.add_argument(
        "--lang",
        default="zh-Hant",
        choices=LANGUAGE_CHOICES,
        help="language to preview (default zh-Hant); all: the whole trilingual site, slower",
    )
    serve.set_defaults(func=cmd_serve)


def _add_documents(sub: Subcommands) -> None:
    documents = sub.add_parser(
        "documents",
        help="the source documents (data/documents.yaml): fetch, add, list",
        description="The papers' PDFs and READMEs the numbers are read from, kept in the "
        "sources folder (--sources-dir, default .sources/), never in git.",
    )
    actions = documents.add_subparsers(dest="documents_command", required=True)
    fetch = actions.add_parser(
        "fetch", help="download the missing documents, each checked against its SHA-256"
    )
    fetch.add_argument(
        "--only", action="append", metavar="NAME", help="document id (repeatable; default: all)"
    )
    fetch.set_defaults(func=cmd_documents_fetch)
    add = actions.add_parser(
        "add", help="copy FILE into the sources folder as NAME and record its SHA-256"
    )
    add.add_argument("file", metavar="FILE", help="the document (.pdf, .md)")
    add.add_argument("--as", dest="name", metavar="NAME", required=True, help="its document id")
    add.add_argument(
        "--url", help="where it is downloaded from (required for a document not yet listed)"
    )
    add.set_defaults(func=cmd_documents_add)
    listing = actions.add_parser("list", help="each document, its status and its path")
    listing.set_defaults(func=cmd_documents_list)


SUBCOMMANDS: tuple[Callable[[Subcommands], None], ...] = (
    _add_check,
    _add_verify,
    _add_schema,
    _add_build,
    _add_offline,
    _add_charts,
    _add_slides,
    _add_bench,
    _add_serve,
    _add_documents,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dspapers", description="Build the trilingual DeepSeek papers site from data/."
    )
    parser.add_argument("--root", help="project directory (default: nearest with mkdocs.yml)")
    parser.add_argument(
        "--cache-dir", help="build caches (default: the plugin's cache_dir, .cache/)"
    )
    parser.add_argument(
        "--sources-dir",
        help="the source documents, papers' PDFs and READMEs (default: .sources/; never in git)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .assets import MissingAssets
    from .errors import ChartError
    from .plugin.settings import SettingsError

    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
        return status
    except (FileNotFoundError, MissingAssets, ChartError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUILD_FAILED


if __name__ == "__main__":
    sys.exit(main())
