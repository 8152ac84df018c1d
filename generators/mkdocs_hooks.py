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
from generators.pipeline import NAV_FILE, generate, write

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
    if not inner_build or "generated" not in _state:
        try:
            generated = generate(paths)
        except DataValidationError as exc:
            raise PluginError(exc.report()) from None
        except (MissingAssets, ChartError) as exc:
            raise PluginError(str(exc)) from None
        write(paths, generated)
        _state["generated"] = generated
    generated = _state["generated"]
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    if offline is not None and offline.config.enabled:
        # The offline plugin would add the iframe-worker shim from a CDN; serve our copy.
        config.extra["polyfills"] = [IFRAME_WORKER_SHIM]
    config.docs_dir = str(paths.docs)
    config.nav = generated.nav
    if i18n is not None:
        for language in i18n.config.languages:
            if language.locale in generated.nav_translations:
                language.nav_translations = generated.nav_translations[language.locale]
    return config


def _generation_off() -> bool:
    return os.environ.get("DSPAPERS_GENERATE") == "off"


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
    if (i18n is not None and getattr(i18n, "building", False)) or _generation_off():
        return
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    postbuild.finish(Path(config.site_dir), _state.pop("404", {}), offline=bool(offline and offline.config.enabled))


def on_shutdown() -> None:
    _state.clear()
