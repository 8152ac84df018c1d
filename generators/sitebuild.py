"""Build the site one language per process, then join the parts.

static-i18n builds the languages one after another in one process. Here each language
is its own MkDocs build in a forked process: the parent has already imported MkDocs,
the theme and the plugins, loaded jieba's dictionary and generated the docs tree, and
every child starts from that state, so the languages build side by side on several
cores. Each child writes a complete site for its language into its own folder; the join
takes each language's pages from its own part and the shared files (theme assets,
charts, downloads) from the default language's part, and merges the search index and
sitemap the way static-i18n's serial build does. The same fix-ups (postbuild) then run
on the joined tree, so the result is byte-identical to a serial `mkdocs build`.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import signal
import sys
from pathlib import Path

from . import postbuild

log = logging.getLogger("mkdocs.plugins.dspapers")

PARTS_DIR = ".parts"


class LanguageBuildFailed(Exception):
    """One language's MkDocs build failed; its own error has been printed already."""


def default_jobs() -> int:
    """Worker processes: DSPAPERS_JOBS, else one per core (at most one per language)."""
    value = os.environ.get("DSPAPERS_JOBS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return os.cpu_count() or 1


def build_languages(config) -> list[str]:
    """Languages in static-i18n's build order: the default first, then the others."""
    i18n = config.plugins["i18n"]
    default = i18n.default_language
    return [default] + [lang for lang in i18n.build_languages if lang != default]


def build_site(config_file: Path, site_dir: Path, *, strict: bool, jobs: int) -> None:
    """Build every language of the site into *site_dir* (which must be empty or absent)."""
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir))
    languages = build_languages(config)
    offline = offline_enabled(config)
    _prewarm(config)
    parts = {lang: site_dir / PARTS_DIR / lang for lang in languages}
    if hasattr(os, "fork"):
        _run_forked(config_file, languages, parts, strict, max(1, min(jobs, len(languages))))
    else:  # no fork (Windows): the languages build one after another in this process
        for lang in languages:
            _build_language(config_file, lang, parts[lang], strict)
    pages_404 = _read_404_pages(parts)
    join(site_dir, parts, languages)
    postbuild.finish(site_dir, pages_404, offline=offline)
    shutil.rmtree(site_dir / PARTS_DIR)


def offline_enabled(config) -> bool:
    """Whether this build is the offline export (Material's offline plugin switched on)."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline is not None and offline.config.enabled)


def _prewarm(config) -> None:
    """Do once in the parent what every language build would otherwise repeat."""
    import markdown
    from mkdocs.commands import build  # noqa: F401  (imported for the children)

    # Imports every Markdown extension the pages use.
    markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    try:
        import jieba
    except ImportError:  # the search plugin then indexes without segmentation
        return
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # the dictionary, loaded once and shared with every child


def _build_language(config_file: Path, lang: str, out: Path, strict: bool) -> None:
    """One language's complete MkDocs build into *out* (static-i18n builds only *lang*)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(out), strict=strict)
    i18n = config.plugins["i18n"]
    i18n.current_language = lang
    # static-i18n's "inner build" state: it builds this language and does not loop over
    # the others in on_post_build; the generator hook reuses the parent's generated tree.
    i18n.building = True
    build(config)


def _run_forked(config_file: Path, languages: list[str], parts: dict[str, Path], strict: bool, jobs: int) -> None:
    """Build each language in a forked child, at most *jobs* at a time."""
    pending = list(languages)
    running: dict[int, str] = {}
    failed: list[str] = []
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        while pending or running:
            while pending and len(running) < jobs and not failed:
                lang = pending.pop(0)
                pid = os.fork()
                if pid == 0:  # the child never returns from here
                    os._exit(_child(config_file, lang, parts[lang], strict))
                running[pid] = lang
            if not running:
                break
            pid, status = os.wait()
            lang = running.pop(pid)
            if os.waitstatus_to_exitcode(status) != 0:
                failed.append(lang)
                pending.clear()  # stop starting new languages; let the running ones finish
    except BaseException:
        # Interrupted: stop every child before the caller removes their folders.
        for pid in running:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in running:
            os.waitpid(pid, 0)
        raise
    if failed:
        raise LanguageBuildFailed(f"the {', '.join(failed)} build failed")


def _child(config_file: Path, lang: str, out: Path, strict: bool) -> int:
    """Exit status of one language build in a forked child."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        from mkdocs.exceptions import MkDocsException

        try:
            _build_language(config_file, lang, out, strict)
            return 0
        except MkDocsException as exc:
            print(f"build failed ({lang}): {exc}", file=sys.stderr)
            return 1
    except BaseException as exc:  # a child must never unwind into the parent's code
        print(f"build failed ({lang}): {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


# --- Joining the parts ----------------------------------------------------------------

_SEARCH_INDEX = Path("search") / "search_index.json"
_URL_BLOCK = re.compile(r"\n\s*<url>.*?</url>", re.S)


def join(site: Path, parts: dict[str, Path], languages: list[str]) -> None:
    """One site from the language parts, as static-i18n's serial build would write it."""
    default, others = languages[0], languages[1:]
    for lang in others:
        os.replace(parts[lang] / lang, site / lang)
    indexes = {lang: json.loads((parts[lang] / _SEARCH_INDEX).read_text(encoding="utf-8")) for lang in languages}
    sitemaps = {lang: (parts[lang] / "sitemap.xml").read_text(encoding="utf-8") for lang in languages}
    gzip_header = (parts[default] / "sitemap.xml.gz").read_bytes()[:10]
    for entry in sorted(parts[default].iterdir()):
        os.replace(entry, site / entry.name)

    # The search index of all languages, in build order (postbuild splits it again).
    merged = {**indexes[default], "docs": [doc for lang in languages for doc in indexes[lang]["docs"]]}
    (site / _SEARCH_INDEX).write_text(json.dumps(merged, separators=(",", ":"), default=str), encoding="utf-8")

    # The sitemap: every language's <url> blocks, in build order.
    text = sitemaps[default]
    blocks = "".join(block for lang in languages for block in _URL_BLOCK.findall(sitemaps[lang]))
    found = list(_URL_BLOCK.finditer(text))
    head, tail = text[: found[0].start()], text[found[-1].end():]
    sitemap = head + blocks + tail
    (site / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    _write_gzip(site / "sitemap.xml.gz", sitemap.encode("utf-8"), mtime=int.from_bytes(gzip_header[4:8], "little"))


def _write_gzip(path: Path, content: bytes, *, mtime: int) -> None:
    """gzip as MkDocs writes the sitemap: same name in the header, same time."""
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, filename=str(path), mode="wb", mtime=mtime) as zipped:
            zipped.write(content)


def _read_404_pages(parts: dict[str, Path]) -> dict[str, str]:
    return {lang: (part / "404.html").read_text(encoding="utf-8") for lang, part in parts.items()
            if (part / "404.html").is_file()}
