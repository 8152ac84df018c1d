"""Build the site one language per process, then join the parts.

static-i18n builds the languages one after another in one process. Here each language
is its own MkDocs build in a forked process: the parent has already imported MkDocs,
the theme and the plugins, loaded jieba's dictionary and written the docs tree, and
every child starts from that state, so the languages build side by side on several
cores. A child is handed what it needs as arguments (the build's options and the site's
navigation), builds a complete site for its language into its own folder, and exits.
The join takes each language's pages from its own part and the shared files (theme
assets, charts, downloads) from the default language's part, and merges the search
index and sitemap as static-i18n's serial build does. The same fix-ups (postbuild) then
run on the joined tree, so the result is byte-identical to a serial `mkdocs build`.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

from . import postbuild, sitemaps
from .options import BuildOptions
from .pipeline import SiteShape
from .plugin import page_cache
from .progress import SILENT, Progress
from .write import atomic_write

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.dspapers")

PARTS_DIR = ".parts"
_SEARCH_INDEX = Path("search") / "search_index.json"


class LanguageBuildFailed(Exception):
    """One language's MkDocs build failed; its own error has been printed already."""


def build_site(
    options: BuildOptions,
    shape: SiteShape,
    site_dir: Path,
    *,
    jobs: int,
    progress: Progress = SILENT,
) -> None:
    """Build every language of the written docs tree into *site_dir* (empty or absent)."""
    from .plugin.settings import load_mkdocs_config

    config = load_mkdocs_config(options, site_dir=site_dir)
    languages = build_languages(config)
    # Pages converted before this build and not used by it are let go at the end. A
    # second's margin: a file's time may lag the clock by a tick.
    started_ns = time.time_ns() - 1_000_000_000
    _prewarm(config)
    parts = {lang: site_dir / PARTS_DIR / lang for lang in languages}
    if "fork" in multiprocessing.get_all_start_methods():
        _run_forked(options, shape, parts, max(1, min(jobs, len(languages))), progress)
    else:  # no fork (Windows): the languages build one after another in this process
        for lang in languages:
            progress.step(f"building {lang}")
            build_language(options, shape, lang, parts[lang])
    progress.step("joining the languages")
    pages_404 = _read_404_pages(parts)
    join(site_dir, parts, languages)
    postbuild.finish(site_dir, pages_404, offline=options.offline)
    shutil.rmtree(site_dir / PARTS_DIR)
    page_cache.prune(options.paths.cache, started_ns)


def build_languages(config: MkDocsConfig) -> list[str]:
    """Languages in static-i18n's build order: the default first, then the others."""
    i18n = config.plugins["i18n"]
    default: str = i18n.default_language  # type: ignore[attr-defined]
    others: list[str] = i18n.build_languages  # type: ignore[attr-defined]
    return [default] + [lang for lang in others if lang != default]


def _prewarm(config: MkDocsConfig) -> None:
    """Do once in the parent what every language build would otherwise repeat."""
    import markdown
    from mkdocs.commands import build  # noqa: F401  (imported for the children)

    # Imports every Markdown extension the pages use.
    markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    try:
        import jieba
    except ImportError:  # the search plugin then indexes without segmentation
        return
    from .search import load_jieba_dictionary

    jieba.setLogLevel(logging.WARNING)
    load_jieba_dictionary(jieba)  # the dictionary, loaded once and shared with every child


def build_language(options: BuildOptions, shape: SiteShape, lang: str, out: Path) -> None:
    """One language's complete MkDocs build into *out* (static-i18n builds only *lang*)."""
    from mkdocs.commands.build import build

    from .plugin.settings import load_mkdocs_config

    config = load_mkdocs_config(options, site_dir=out)
    config.plugins["dspapers"].hand_over(options, shape)  # type: ignore[attr-defined]
    i18n = config.plugins["i18n"]
    # static-i18n's "inner build" state: it builds this language and does not loop over
    # the others in on_post_build.
    i18n.current_language = lang  # type: ignore[attr-defined]
    i18n.building = True  # type: ignore[attr-defined]
    build(config)


def _run_forked(
    options: BuildOptions,
    shape: SiteShape,
    parts: dict[str, Path],
    jobs: int,
    progress: Progress,
) -> None:
    """Build each language in a forked process, at most *jobs* at a time."""
    context = multiprocessing.get_context("fork")
    pending = list(parts)
    running: dict[int, tuple[str, BaseProcess]] = {}
    started: dict[str, float] = {}
    failed: list[str] = []
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        while pending or running:
            while pending and len(running) < jobs and not failed:
                lang = pending.pop(0)
                child: BaseProcess = context.Process(
                    target=_child, args=(options, shape, lang, parts[lang]), name=f"build-{lang}"
                )
                progress.step(f"building {lang}")
                started[lang] = time.perf_counter()
                child.start()
                running[child.sentinel] = (lang, child)
            if not running:
                break
            for sentinel in wait(list(running)):
                assert isinstance(sentinel, int)  # a process sentinel is a file descriptor
                lang, done = running.pop(sentinel)
                done.join()
                if done.exitcode != 0:
                    failed.append(lang)
                    pending.clear()  # stop starting new languages; let the running ones finish
                else:
                    progress.step(f"built {lang} in {time.perf_counter() - started[lang]:.1f} s")
    except BaseException:
        # Interrupted: stop every child before the caller removes their folders.
        for _, child in running.values():
            child.terminate()
        for _, child in running.values():
            child.join()
        raise
    if failed:
        raise LanguageBuildFailed(f"the {', '.join(failed)} build failed")


def _child(options: BuildOptions, shape: SiteShape, lang: str, out: Path) -> None:
    """A forked language build: exit status 0, or 1 after printing why it failed."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    status = 1
    try:
        from mkdocs.exceptions import MkDocsException

        try:
            build_language(options, shape, lang, out)
            status = 0
        except MkDocsException as exc:
            print(f"build failed ({lang}): {exc}", file=sys.stderr)
    except BaseException as exc:  # noqa: BLE001 (a child must never unwind into the parent's code)
        print(f"build failed ({lang}): {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)  # no atexit handlers or finalizers inherited from the parent


# --- Joining the parts ----------------------------------------------------------------


def join(site: Path, parts: dict[str, Path], languages: list[str]) -> None:
    """One site from the language parts, as static-i18n's serial build would write it."""
    default, others = languages[0], languages[1:]
    for lang in others:
        os.replace(parts[lang] / lang, site / lang)
    indexes = {
        lang: json.loads((parts[lang] / _SEARCH_INDEX).read_text(encoding="utf-8"))
        for lang in languages
    }
    maps = {lang: (parts[lang] / "sitemap.xml").read_bytes() for lang in languages}
    gzip_mtime = sitemaps.gzip_mtime((parts[default] / "sitemap.xml.gz").read_bytes())
    for entry in sorted(parts[default].iterdir()):
        os.replace(entry, site / entry.name)

    # The search index of all languages, in build order (postbuild splits it again).
    merged = {
        **indexes[default],
        "docs": [doc for lang in languages for doc in indexes[lang]["docs"]],
    }
    atomic_write(site / _SEARCH_INDEX, json.dumps(merged, separators=(",", ":"), default=str))

    # The sitemap: every language's <url> entries, in build order.
    sitemap = sitemaps.concatenate([maps[lang] for lang in languages])
    atomic_write(site / "sitemap.xml", sitemap)
    gz_path = site / "sitemap.xml.gz"
    atomic_write(gz_path, sitemaps.gzipped(sitemap, name=str(gz_path), mtime=gzip_mtime))


def _read_404_pages(parts: dict[str, Path]) -> dict[str, str]:
    return {
        lang: (part / "404.html").read_text(encoding="utf-8")
        for lang, part in parts.items()
        if (part / "404.html").is_file()
    }
