"""The MkDocs hook: the only module that imports mkdocs. Thin by design.

`on_config` runs the generator once per build (static-i18n re-runs the build per
language; the inner runs reuse the first one's output), points MkDocs at the generated
docs tree, and installs the navigation the page plan implies. A data error becomes a
clean MkDocs error: the file, line and field of every problem, no traceback.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generators import postbuild
from generators.assets import IFRAME_WORKER_SHIM, MissingAssets
from generators.charts.render import ChartError
from generators.errors import DataValidationError
from generators.paths import ProjectPaths
from generators.pipeline import NAV_FILE, finish_preview_charts, generate, write
from generators.sitebuild import offline_enabled

log = logging.getLogger("mkdocs.plugins.dspapers")

_state: dict[str, object] = {}


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


@event_priority(100)  # before static-i18n (-100) reads the nav and the language config
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    i18n = _i18n(config)
    inner_build = bool(i18n is not None and getattr(i18n, "building", False))
    paths = ProjectPaths.at(Path(config.config_file_path).parent)
    if _generation_off():
        # Plain MkDocs over the pages a previous build generated (benchmark baseline).
        saved = json.loads((paths.build / NAV_FILE).read_text(encoding="utf-8"))
        config.docs_dir = str(paths.docs)
        config.nav = saved["nav"]
        if i18n is not None:
            for language in i18n.config.languages:
                if language.locale in saved["translations"]:
                    language.nav_translations = saved["translations"][language.locale]
        return config
    preview = _preview_language(i18n)
    if preview:
        # `dspapers serve --lang L`: static-i18n builds only L ("inner build" state, set
        # before its own on_config reads it).
        i18n.current_language = preview
        i18n.building = True
        _preview_settings(config)
    if not inner_build or "generated" not in _state:
        try:
            generated = generate(paths, preview=preview)
        except DataValidationError as exc:
            raise PluginError(exc.report()) from None
        except (MissingAssets, ChartError) as exc:
            raise PluginError(str(exc)) from None
        write(paths, generated)
        _state["generated"] = generated
    generated = _state["generated"]
    if offline_enabled(config):
        # The offline plugin would add the iframe-worker shim from a CDN; serve our copy.
        config.extra["polyfills"] = [IFRAME_WORKER_SHIM]
    if preview or os.environ.get("DSPAPERS_CHARTS") == "off":
        # This build does not draw every chart file (a preview draws only its language's
        # page charts; page-building benchmarks none): links to them are not broken links.
        # The full build stays strict about them.
        config.validation.links.not_found = logging.DEBUG
    config.docs_dir = str(paths.docs)
    config.nav = generated.nav
    if i18n is not None:
        for language in i18n.config.languages:
            if language.locale in generated.nav_translations:
                language.nav_translations = generated.nav_translations[language.locale]
    return config


def _preview_language(i18n) -> str | None:
    """The one language a preview server builds (DSPAPERS_PREVIEW), or None."""
    lang = os.environ.get("DSPAPERS_PREVIEW") or None
    if lang is None or i18n is None:
        return None
    known = [language.locale for language in i18n.config.languages]
    if lang not in known:
        raise PluginError(f"DSPAPERS_PREVIEW={lang}: not a site language (known: {', '.join(known)})")
    return lang


def _preview_settings(config: MkDocsConfig) -> None:
    """What a preview skips to show an edit within seconds; `dspapers build` skips none of it."""
    import material.plugins.search.plugin as material_search

    # Chinese word segmentation is the slowest part of indexing a page; without it the
    # preview's search still matches by the separator (whole phrases).
    material_search.jieba = None


def _generation_off() -> bool:
    return os.environ.get("DSPAPERS_GENERATE") == "off"


def on_env(env, config: MkDocsConfig, files):
    """Theme templates compiled once, not once per language and build: a bytecode cache."""
    if _generation_off():
        return env  # the benchmark's baseline is plain MkDocs
    import hashlib

    import jinja2

    from generators.pipeline import cache_root

    # Compiled code depends on the template environment: the cache folder is keyed by it.
    shape = repr((jinja2.__version__, sorted(env.extensions), config.theme.dirs))
    folder = cache_root(ProjectPaths.at(Path(config.config_file_path).parent)) / "jinja" / (
        hashlib.sha256(shape.encode("utf-8")).hexdigest()[:16])
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_serve(server, config: MkDocsConfig, builder):
    """The generated docs tree is rewritten by each build: watching it would rebuild twice."""
    server.unwatch(config.docs_dir)
    return server


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Keep each language's 404 page (static-i18n overwrites one file per language)."""
    if template_name == "404.html":
        i18n = _i18n(config)
        lang = getattr(i18n, "current_language", None) or "zh-Hant"
        _state.setdefault("404", {})[lang] = output_content
    return output_content


@event_priority(-200)  # after static-i18n has built every language and merged the index
def on_post_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    building_one = i18n is not None and getattr(i18n, "building", False)
    preview = _preview_language(i18n)
    if (building_one and not preview) or _generation_off():
        return
    if preview and "generated" in _state:
        paths = ProjectPaths.at(Path(config.config_file_path).parent)
        try:
            drawn = finish_preview_charts(paths, _state["generated"], Path(config.site_dir))
        except ChartError as exc:
            raise PluginError(str(exc)) from None
        if drawn:
            log.info("charts: %d redrawn alongside the pages", drawn)
    postbuild.finish(Path(config.site_dir), _state.pop("404", {}), offline=offline_enabled(config))


def on_shutdown() -> None:
    from generators.charts.render import stop_kept_workers

    stop_kept_workers()
    _state.clear()
