"""The `dspapers` MkDocs plugin: thin event hooks over the pipeline.

`on_config` makes the build's options from the plugin's settings, runs the pipeline once
per build (static-i18n re-runs the build per language; those inner builds reuse it),
points MkDocs at the generated docs tree and installs the navigation the page plan
implies. A data error becomes a clean MkDocs error: the file, line and field of every
problem, no traceback. `dspapers build` generates first and hands the result to the
plugin of each language build (`hand_over`), so the plugin then only points MkDocs at it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from .. import feeds, postbuild
from ..assets import IFRAME_WORKER_SHIM, MissingAssets
from ..charts.render import ChartError
from ..controls import localize_controls
from ..errors import DataValidationError
from ..i18n import LANGUAGES
from ..options import BuildOptions
from ..paths import fill_addresses, repository_address
from ..pipeline import Generation, Kept, SiteShape, finish_preview_charts, generate, write
from ..search import configure_segmenter
from .config import DsPapersConfig
from .page_cache import PageCache
from .preview import (
    AfterPages,
    IncrementalPreview,
    QuietDirtyWarning,
    keep_installed_theme_listings,
    keep_language_files,
    poll_often,
    write_files,
)
from .settings import options_from_settings

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs_static_i18n.plugin import I18n

log = logging.getLogger("mkdocs.plugins.dspapers")
REPOSITORY_SETTING = "repository_url"  # under mkdocs.yml's `extra`
# Under `extra`, set per language build: the feed the theme announces in every page's head.
FEED_SETTING = "dsp_feed"


@dataclass(frozen=True, kw_only=True)
class _Build:
    """The current build's options and generated site (one per outer build)."""

    options: BuildOptions
    shape: SiteShape
    generation: Generation | None = None  # None when handed over: already written


class DsPapersPlugin(BasePlugin[DsPapersConfig]):  # type: ignore[no-untyped-call]
    """Generates the docs tree from data/ and content/ and builds it in three languages."""

    def __init__(self) -> None:
        self._build: _Build | None = None
        self._handed_over: _Build | None = None
        self._pages_404: dict[str, str] = {}
        # Kept across a preview server's rebuilds (MkDocs keeps a plugin instance that
        # has on_startup): templates compiled, data files parsed, chart workers warm.
        self._kept: Kept | None = None
        # Set for a server whose rebuilds are dirty: only changed pages are converted.
        self._incremental: IncrementalPreview | None = None
        self._after_pages = AfterPages()  # a preview's downloads, written after its pages
        self._page_cache: PageCache | None = None  # pages converted in earlier builds

    def build_options(self, config: MkDocsConfig) -> BuildOptions:
        """This build's options, from the plugin's settings (folders relative to mkdocs.yml)."""
        return options_from_settings(self.config, Path(config.config_file_path))

    def hand_over(self, options: BuildOptions, shape: SiteShape) -> None:
        """Use a docs tree already generated and written by the caller for the next build.

        The caller builds one language into a part of the site and keeps, of a language
        other than the default, only its own folder (sitebuild.join): such a build does
        not copy the shared files (theme assets, charts, downloads) the join discards.
        """
        self._handed_over = _Build(options=options, shape=shape)

    # --- Events --------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Present so that MkDocs keeps this instance across a preview server's rebuilds."""
        self._incremental = None
        if command == "serve" and dirty:
            self._incremental = IncrementalPreview()
            keep_installed_theme_listings()
            keep_language_files()
            logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyWarning())

    @event_priority(100)  # before static-i18n (-100) reads the nav and the language config
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self._incremental is not None:
            self._incremental.hold()
        i18n = _i18n(config)
        inner_build = bool(i18n is not None and i18n.building)
        options = self.build_options(config)
        if options.preview and i18n is not None:
            # static-i18n builds only the previewed language ("inner build" state, set
            # before its own on_config reads it).
            i18n.current_language = options.preview
            i18n.building = True
            _skip_search_segmentation()
        if self._handed_over is not None:
            self._build, self._handed_over = self._handed_over, None
        elif not inner_build or self._build is None:
            # The last rebuild's work left (its downloads written, or left to this build).
            self._after_pages.interrupt()
            self._build = self._generate(options)
        build = self._build
        _configure(config, build.options, build.shape, i18n)
        _theme_envs_cached(config, build.options.paths.cache)
        _repository(config)  # a wrong address fails the build before any page is read
        if self._incremental is not None:
            self._incremental.prepare(config, build.shape)
            search = config.plugins.get("material/search") or config.plugins.get("search")
            if search is not None:  # its own merge of a dirty rebuild's index is replaced
                setattr(search, "search_index_prev", None)  # noqa: B010
        return config

    @event_priority(-150)  # after static-i18n (-100) has placed this language's files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        _fill_feed_addresses(files, config)
        i18n = _i18n(config)
        build = self._build
        handed_over = build is not None and build.generation is None
        if build is not None and handed_over:
            # A language of `dspapers build` (which lets go of unused pages at the end); a
            # preview converts only the pages an edit changed anyway.
            self._page_cache = PageCache.start(build.options.paths.cache, config, files)
        if self._incremental is not None:
            search = config.plugins.get("material/search") or config.plugins.get("search")
            self._incremental.defer_search(search)
            self._incremental.sections.start(config, files)
        if not handed_over or i18n is None or i18n.current_language == i18n.default_language:
            return files
        own_folder = f"{i18n.current_language}/"
        for file in files:
            if not file.is_documentation_page() and not file.dest_uri.startswith(own_folder):
                # Still a file for links to resolve to; the default language's part
                # holds the copy the site keeps.
                setattr(file, "copy_file", _not_copied)  # noqa: B010 (mypy: no method assignment)
        return files

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self._page_cache is not None:
            self._page_cache.watch(page)
        elif self._incremental is not None:
            self._incremental.sections.watch(page)
        return page

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self._incremental is not None:
            self._incremental.keep_titles(nav)
        return nav

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._incremental is not None:
            self._incremental.page_built(page)
        return output

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Put the configured addresses where the pages name them: the hosted site's (chart
        links, citations) and the repository's (the report links beside the tables)."""
        return fill_addresses(
            markdown, site_url=config.site_url or "/", repository=_repository(config)
        )

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """The generated docs tree is rewritten by each build: watching it would rebuild twice.
        A one-language preview also looks for edits more often (`poll_often`), and answers
        the browser's reload before the work that follows a rebuild (`AfterPages`)."""
        server.unwatch(config.docs_dir)
        if self._incremental is not None:
            poll_often(server, [config.config_file_path, *config.theme.dirs])
            self._after_pages.serve_pages_first(server)
        return server

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """Keep each language's 404 page (static-i18n overwrites one file per language)."""
        if template_name == "404.html":
            i18n = _i18n(config)
            lang = (i18n.current_language if i18n is not None else None) or "zh-Hant"
            self._pages_404[lang] = output_content
        return output_content

    @event_priority(-200)  # after static-i18n has built every language and merged the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        pages, self._page_cache = self._page_cache, None
        if pages is not None:
            log.info(
                "pages: %d converted, %d from earlier builds; their sections: %d converted, "
                "%d from earlier builds",
                pages.converted,
                pages.reused,
                pages.sections_converted,
                pages.sections_reused,
            )
        i18n = _i18n(config)
        build = self._build
        if build is None or (i18n is not None and i18n.building and not build.options.preview):
            return  # one language of several: the outer build (or the join) finishes
        site_dir = Path(config.site_dir)
        if build.generation is not None and build.generation.pending_charts is not None:
            assert self._kept is not None and self._kept.workers is not None
            try:
                drawn = finish_preview_charts(build.generation, self._kept.workers, site_dir)
            except ChartError as exc:
                raise PluginError(str(exc)) from None
            if drawn:
                log.info("charts: %d redrawn alongside the pages", drawn)
        if self._incremental is not None:
            self._incremental.complete_search_index(site_dir)
        pages_404, self._pages_404 = self._pages_404, {}
        postbuild.finish(site_dir, pages_404, offline=build.options.offline)
        self._build = None
        later = []
        if self._incremental is not None:
            offline = build.options.offline
            split = functools.partial(postbuild.split_search_index, site_dir, offline=offline)
            stopping = self._after_pages.stopping
            later.append(self._incremental.index_later(site_dir, split, stopping))
        if build.generation is not None and build.generation.downloads_later is not None:
            folders = [build.options.paths.docs, site_dir]
            later.append(write_files(build.generation.downloads_later, folders))
        if self._incremental is not None:
            self._incremental.settle()
            later.append(self._incremental.collect_again)
        if later:
            self._after_pages.start(*later)

    def on_build_error(self, *, error: Exception) -> None:
        if self._incremental is not None:  # its rebuild held the collector and the pollers
            self._incremental.resume()

    def on_shutdown(self) -> None:
        self._after_pages.wait()
        if self._kept is not None and self._kept.workers is not None:
            self._kept.workers.stop()
            self._kept.workers = None

    # --- Work ----------------------------------------------------------------------------

    def _generate(self, options: BuildOptions) -> _Build:
        """Generate and write the docs tree, or raise a clean MkDocs error."""
        if self._kept is None:
            self._kept = Kept()
        if options.preview and options.charts and self._kept.workers is None:
            from ..charts.render import ChartWorkers

            self._kept.workers = ChartWorkers()
        try:
            generation = generate(options, kept=self._kept)
        except DataValidationError as exc:
            raise PluginError(exc.report()) from None
        except (MissingAssets, ChartError) as exc:
            raise PluginError(str(exc)) from None
        write(generation, self._kept.written)
        return _Build(options=options, shape=generation.shape, generation=generation)


def _theme_envs_cached(config: MkDocsConfig, cache: Path) -> None:
    """Theme templates compiled once, not once per language and build: every template
    environment the theme makes for this build gets a bytecode cache in *cache*, in a folder
    keyed by what compiled code depends on (Jinja's version, the environment's extensions,
    the theme's folders). The pages' environment is one; the search plugin makes its own
    three times per build to read the theme's translations, and compiled them each time
    (a tenth of a second of a preview's rebuild)."""
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        shape = repr((jinja2.__version__, sorted(env.extensions), config.theme.dirs))
        folder = cache / "jinja" / hashlib.sha256(shape.encode()).hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        return env

    setattr(theme, "get_env", get_env)  # noqa: B010 (mypy: no method assignment)


def _repository(config: MkDocsConfig) -> str:
    """The project repository's address: mkdocs.yml's `extra.repository_url` (`REPO_URL`).

    Not MkDocs' `repo_url`: with it, Material adds a repository badge to every page
    whose script asks GitHub's API for the repository's stars, a request outside the site.
    """
    value = config.extra.get(REPOSITORY_SETTING)
    try:
        return repository_address(value)
    except ValueError as exc:
        raise PluginError(
            f"{config.config_file_path}: extra: {REPOSITORY_SETTING} (REPO_URL): {exc}"
        ) from None


def _fill_feed_addresses(files: Files, config: MkDocsConfig) -> None:
    """The hosted site's address in this language's feed, as the pages get it."""
    names = {feeds.source_name(lang.code) for lang in LANGUAGES}
    for file in files:
        if file.src_uri in names:
            file.content_string = fill_addresses(
                file.content_string, site_url=config.site_url or "/", repository=_repository(config)
            )


def _not_copied(dirty: bool = False) -> None:
    """The copy step of a shared file in a language build whose shared files are discarded."""


def _i18n(config: MkDocsConfig) -> I18n | None:
    plugin: I18n | None = config.plugins.get("i18n")
    return plugin


def _building_language(i18n: I18n | None) -> str:
    """The language this MkDocs build renders (static-i18n sets it before each inner build)."""
    if i18n is not None and i18n.current_language:
        return str(i18n.current_language)
    if i18n is not None:
        return str(i18n.default_language)
    return next(lang.code for lang in LANGUAGES if lang.default)


def _configure(
    config: MkDocsConfig, options: BuildOptions, shape: SiteShape, i18n: I18n | None
) -> None:
    """Point MkDocs at the generated tree with its navigation; apply the build's options."""
    config.docs_dir = str(options.paths.docs)
    config.nav = shape.nav
    if i18n is not None:
        for language in i18n.config.languages:
            if language.locale in shape.nav_translations:
                language.nav_translations = shape.nav_translations[language.locale]
    lang = _building_language(i18n)
    localize_controls(config, shape.controls[lang])
    if options.offline:
        # From disk the theme could not read the sitemap it looks for beside every
        # alternate link (a console error on every page); the feed file is still there.
        config.extra.pop(FEED_SETTING, None)
    else:
        config.extra[FEED_SETTING] = {
            "href": feeds.site_path(lang),
            "title": shape.controls[lang]["feed_title"],
        }
    if not options.preview:  # a preview indexes without segmentation
        configure_segmenter(config, lang, str(options.paths.search_dictionary))
    if options.offline:
        offline = config.plugins.get("material/offline") or config.plugins.get("offline")
        if offline is None:
            raise PluginError("the offline export needs Material's offline plugin in mkdocs.yml")
        offline.config.enabled = True
        # The offline plugin would add the iframe-worker shim from a CDN; serve our copy.
        config.extra["polyfills"] = [IFRAME_WORKER_SHIM]
    if not options.all_chart_files:
        # This build does not draw every chart file (a preview draws only its language's
        # page charts; a pages-only build none): links to them are not broken links.
        # A full build stays strict about them.
        config.validation.links.not_found = logging.DEBUG


def _skip_search_segmentation() -> None:
    """What a preview skips to show an edit within seconds; `dspapers build` skips none of it."""
    import material.plugins.search.plugin as material_search

    # Chinese word segmentation is the slowest part of indexing a page; without it the
    # preview's search still matches by the separator (whole phrases).
    material_search.jieba = None
