"""An incremental preview: a rebuild converts only the pages whose generated source changed.

`dspapers serve --lang L` runs MkDocs' dirty rebuilds: MkDocs skips every page whose
source file is older than its built HTML, and `write.sync_tree` leaves an unchanged
generated page untouched, so after a data edit only the pages that edit changes are
converted again. Three things keep every other page as a clean build would have it:

- What each page shows besides its own source (the navigation and every page's title in
  it, the theme, mkdocs.yml, the set of files links resolve to) has a fingerprint; when it changes, every page is
  marked changed and the rebuild is a full one.
- A skipped page is never read, so MkDocs would not know its title, which the rebuilt
  pages show in their navigation and footer: the titles of the last build are kept
  (an unchanged source has the same title).
- Material's search index holds only the pages a build converted: the last build's
  entries are kept for the skipped pages. The converted pages are indexed once the
  browser has its page (`IncrementalPreview.index_later`): until then the index holds
  their entries of the last build.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..write import atomic_write, write_if_changed
from .page_cache import PreviewSections

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, MutableMapping, Sequence

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from watchdog.observers.polling import PollingObserver

    from ..pipeline import SiteShape

DIRTY_WARNING = "A 'dirty' build is being performed"
# Seconds between two looks at the watched files (MkDocs: 0.5). The preview watches
# data/, content/, the templates and mkdocs.yml, under a hundred files: a look at all of
# them costs about 0.3 ms.
POLL_INTERVAL = 0.05
# Seconds the work after a rebuild's pages waits for the browser's reload (`AfterPages`).
READER_FIRST = 1.0
# Seconds without a further change before a rebuild starts (MkDocs: 0.1). A look reports all
# it found at once (an editor's temporary file and its rename included), so the rebuild
# need not wait long for the rest of one save.
SETTLE = 0.02
# The pages' chart files, left out of the fingerprint: a preview draws the first build's
# charts after its pages, so they join the tree after that build's fingerprint was taken,
# which made the first edit a full rebuild. Only the pages that show a chart link to its
# files, and a chart added or removed changes those pages' sources: they are rebuilt.
CHART_FILES = ("assets/charts/", "downloads/charts/")


# Set while no rebuild runs: a preview's file pollers look only then (`RestingPoller`).
NOT_BUILDING = threading.Event()
NOT_BUILDING.set()


def _resting_observer(timeout: float) -> PollingObserver:
    """watchdog's polling observer, whose pollers do not look while a rebuild runs (made on
    first use: watchdog is imported only by a server)."""
    from watchdog.observers.api import BaseObserver
    from watchdog.observers.polling import PollingEmitter, PollingObserver

    class RestingPoller(PollingEmitter):
        """Looks at its watched folder as watchdog's does, except while a rebuild runs. A
        look at every watched file twenty times a second competed with the rebuild for the
        interpreter (each poller is a thread of the server); a file saved during a rebuild
        is found by the first look after it, as its time differs from the last look's."""

        def queue_events(self, timeout: float) -> None:
            while not NOT_BUILDING.wait(timeout=0.5):
                if self.stopped_event.is_set():
                    return
            super().queue_events(timeout)

    class RestingObserver(PollingObserver):
        def __init__(self) -> None:
            BaseObserver.__init__(self, RestingPoller, timeout=timeout)

    return RestingObserver()


def poll_often(server: LiveReloadServer, watched: Iterable[str | None]) -> None:
    """Make *server* look for edits every `POLL_INTERVAL` seconds rather than MkDocs' 0.5,
    which alone added a quarter of a second on average to an edit's way to the page, and
    start the rebuild `SETTLE` seconds after the last change it saw.

    MkDocs polls (so that edits on network and container mounts are seen too) and does
    not let `serve` choose the interval: the server's observer is replaced before it
    starts, and the paths already watched among *watched* move to the new one; the
    paths of mkdocs.yml's `watch:` are added after this, to the new one.
    """
    moved = []
    for path in watched:
        if path is None:
            continue
        try:
            server.unwatch(path)
        except KeyError:  # not watched (the theme, unless --watch-theme)
            continue
        moved.append(path)
    server.observer = _resting_observer(POLL_INTERVAL)
    for path in moved:
        server.watch(path)
    server.build_delay = SETTLE


def keep_installed_theme_listings() -> None:
    """List each installed theme folder's files once per process.

    Every build lists the theme's files to copy its static ones; Material's folder holds
    some 14,000 (its icons), which alone took 0.06-0.1 s of a rebuild. An installed theme
    does not change while a server runs (MkDocs watches it only with --watch-theme, and
    then a full build follows anyway); a folder of the project (the theme overrides) is
    listed again each time.

    The kept listing leaves out hidden files and folders (Material's `.icons/`, 14,000 of
    those names), which MkDocs never copies (its first two patterns, `.*` and `*/.*`)
    and templates include by name, not from a listing: MkDocs then matches its patterns
    against some 200 names instead of all of them.
    """
    import sysconfig

    import jinja2

    listing = jinja2.FileSystemLoader.list_templates
    if getattr(listing, "kept_installed", False):
        return
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    kept: dict[tuple[str, bool], list[str]] = {}

    def list_templates(self: jinja2.FileSystemLoader) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            key = (str(folder), self.followlinks)
            names = kept.get(key)
            if names is None:
                names = listing(jinja2.FileSystemLoader(folder, followlinks=self.followlinks))
                if Path(folder).resolve().is_relative_to(installed):
                    names = [n for n in names if not n.startswith(".") and "/." not in n]
                    kept[key] = names
            found.update(names)
        return sorted(found)

    setattr(list_templates, "kept_installed", True)  # noqa: B010
    jinja2.FileSystemLoader.list_templates = list_templates  # type: ignore[method-assign]


def keep_language_files() -> None:
    """Make each of static-i18n's language files once per process.

    On every build, static-i18n makes a file of its own for each file of the docs tree
    (some 2,400 in a preview, a tenth of a second of a rebuild): the same one each time for
    the same file, language and settings. A rebuild gets a copy of the one made before; a
    copy, with its own list of alternates (the one container static-i18n fills in later),
    so that what a build sets on its files never reaches the next build.
    """
    from mkdocs_static_i18n import suffix

    make = suffix.create_i18n_file
    if getattr(make, "kept", False):
        return
    made: dict[tuple[object, ...], File] = {}

    def create_i18n_file(
        file: File,
        current_language: str,
        default_language: str,
        all_languages: list[str],
        config: MkDocsConfig,
    ) -> File:
        key = (
            file.src_uri,
            file.dest_uri,
            file.name,
            file.inclusion,
            current_language,
            default_language,
            tuple(all_languages),
            config.docs_dir,
            config.use_directory_urls,
            config.site_dir,
        )
        original = made.get(key)
        if original is None:
            original = make(file, current_language, default_language, all_languages, config)
            made[key] = original
        kept = copy.copy(original)
        setattr(kept, "alternates", {current_language: kept})  # noqa: B010 (static-i18n's)
        return kept

    setattr(create_i18n_file, "kept", True)  # noqa: B010
    setattr(create_i18n_file, "__wrapped__", make)  # noqa: B010
    suffix.create_i18n_file = create_i18n_file


class AfterPages:
    """Work a preview server does once a rebuild's pages are built (the search entries of
    the pages it converted, the data downloads), so that the browser reloads without
    waiting for it; the next rebuild, and the server's shutdown, wait for it first.

    With `serve_pages_first`, the work also waits for the server to answer the browser's
    reload (any request), for at most `READER_FIRST` seconds: run alongside, it held the
    interpreter while the server read and sent the page, and the reload took 0.1 s instead
    of a few milliseconds.
    """

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._answered: threading.Event | None = None  # set as the server answers a request
        # Set while a rebuild takes the work over (`interrupt`): a long step stops early.
        self.stopping = threading.Event()

    def serve_pages_first(self, server: LiveReloadServer) -> None:
        """Note each request *server* answers, but its long polls for the next reload."""
        answered = threading.Event()
        app = server.get_app()
        assert app is not None

        def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            body = app(environ, start_response)
            if not str(environ.get("PATH_INFO", "")).startswith("/livereload/"):
                answered.set()
            return body

        server.set_app(serve)
        self._answered = answered

    def start(self, *steps: Callable[[], None]) -> None:
        """Run *steps* in order, after the last rebuild's (and the reader's next page)."""
        self.wait()
        answered = self._answered
        if answered is not None:
            answered.clear()

        def run() -> None:
            if answered is not None:
                answered.wait(timeout=READER_FIRST)
            for step in steps:
                if self.stopping.is_set():
                    return
                step()

        self._thread = threading.Thread(target=run, name="dspapers-after-pages", daemon=True)
        self._thread.start()

    def interrupt(self) -> None:
        """For a rebuild: the steps not begun are left (the rebuild makes its own data
        downloads), a step that looks at `stopping` ends early, and the one running ends.

        The search entries of the server's first build take over a second to make: an edit
        saved meanwhile no longer waits for them; the next rebuild's step makes them."""
        self.stopping.set()
        try:
            self.wait()
        finally:
            self.stopping.clear()

    def wait(self) -> None:
        if self._thread is not None:
            if self._answered is not None:
                self._answered.set()  # a rebuild or the shutdown does not wait for a reader
            self._thread.join()
            self._thread = None


def write_files(
    make: Callable[[], dict[str, bytes]], folders: Sequence[Path]
) -> Callable[[], None]:
    """A step that makes the files and writes each changed one into every one of *folders*."""

    def write() -> None:
        for name, content in make().items():
            for folder in folders:
                write_if_changed(folder / name, content)

    return write


class QuietDirtyWarning(logging.Filter):
    """Drop MkDocs' warning about dirty builds: here the rebuild's output is kept exact,
    and with `strict: true` a warning would fail the rebuild."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


@dataclasses.dataclass
class IncrementalPreview:
    """What a preview server keeps from one rebuild to the next."""

    fingerprint: str = ""
    titles: dict[str, str] = dataclasses.field(default_factory=dict)  # source path -> title
    search_docs: dict[str, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)
    built: set[str] = dataclasses.field(default_factory=set)  # page URLs built this time
    settled: bool = False  # whether the server's lasting objects are set aside (`settle`)
    # The pages this rebuild converted, as the search plugin would have read them, and
    # the plugin's index type and settings to read them with.
    to_index: list[_PageText] = dataclasses.field(default_factory=list)
    search: tuple[Callable[..., Any], Any] | None = None
    # Pages whose search entries an interrupted step did not make: the next step makes them.
    unindexed: list[_PageText] = dataclasses.field(default_factory=list)
    sections: PreviewSections = dataclasses.field(default_factory=PreviewSections)

    def prepare(self, config: MkDocsConfig, shape: SiteShape) -> None:
        """Before a rebuild: a full one when anything besides the pages' sources changed."""
        docs = Path(config.docs_dir)
        fingerprint = _fingerprint(config, shape, docs)
        if fingerprint != self.fingerprint:
            _mark_all_changed(docs)
            self.titles.clear()
            self.search_docs.clear()
            self.unindexed = []  # every page is converted, and indexed, again
        self.fingerprint = fingerprint
        self.built = set()

    def keep_titles(self, nav: Navigation) -> None:
        """Give each page MkDocs will skip the title it had in the last build."""
        for page in nav.pages:
            title = self.titles.get(page.file.src_uri)
            if title is not None and not page.file.is_modified():
                page.title = title

    def defer_search(self, search: Any) -> None:
        """Note each page the search plugin would index now (its HTML then, before the
        plugin strips its search attributes), to index it after the pages
        (`index_later`): Material's search reads every converted page's HTML again."""
        index = getattr(search, "search_index", None)
        self.to_index = []
        if index is None:
            return
        self.search = (type(index), search.config)

        def note(page: Page) -> None:
            self.to_index.append(
                _PageText(
                    url=page.url,
                    title=page.title,
                    meta=page.meta,
                    toc=page.toc,
                    content=page.content or "",
                )
            )

        index.add_entry_from_context = note  # this build's index only: a new one each build

    def page_built(self, page: Page) -> None:
        self.built.add(page.url)
        if page.title is not None:
            self.titles[page.file.src_uri] = page.title

    def complete_search_index(self, site: Path) -> None:
        """The search index with the skipped pages' entries of the last build put back."""
        index_path = site / "search" / "search_index.json"
        if not index_path.is_file():
            return
        index = json.loads(index_path.read_text(encoding="utf-8"))
        fresh: dict[str, list[dict[str, Any]]] = {}
        for doc in index["docs"]:
            fresh.setdefault(doc["location"].split("#")[0], []).append(doc)
        later = {page.url for page in self.to_index}  # their last entries meanwhile
        merged: dict[str, list[dict[str, Any]]] = {}
        for url, docs in self.search_docs.items():  # the last build's order
            merged[url] = fresh.get(url, []) if url in self.built and url not in later else docs
        for url, docs in fresh.items():
            merged.setdefault(url, docs)
        self.search_docs = merged
        self._write_index(index_path, index)

    def index_later(
        self, site: Path, split: Callable[[], object], stopping: threading.Event
    ) -> Callable[[], None]:
        """A step that indexes the pages this rebuild converted (`defer_search`) and those
        an interrupted step left, writes the search index as a clean build has it, and then
        *split* (the languages' parts); it ends early, its pages left, once *stopping* is set."""
        by_url = {page.url: page for page in self.unindexed}
        by_url.update((page.url, page) for page in self.to_index)  # the newer text, same place
        pages = list(by_url.values())
        self.unindexed, self.to_index = pages, []
        search = self.search

        def index() -> None:
            if not pages or search is None:
                self.unindexed = []
                return
            kind, settings = search
            reader = kind(**settings)
            for page in pages:
                if stopping.is_set():
                    return
                reader.add_entry_from_context(page)
            # As Material serializes its entries (values it cannot write become text).
            entries = json.loads(json.dumps(reader.entries, default=str))
            fresh: dict[str, list[dict[str, Any]]] = {page.url: [] for page in pages}
            for doc in entries:
                fresh.setdefault(doc["location"].split("#")[0], []).append(doc)
            self.search_docs.update(fresh)  # a page new to the index goes last, as it is built
            self.unindexed = []
            index_path = site / "search" / "search_index.json"
            if index_path.is_file():
                self._write_index(index_path, json.loads(index_path.read_text(encoding="utf-8")))
                split()

        return index

    def _write_index(self, path: Path, index: dict[str, Any]) -> None:
        index["docs"] = [doc for docs in self.search_docs.values() for doc in docs]
        # Same serialization as Material's search plugin, so the file is as a clean build's;
        # in one rename, since the server may be sending it meanwhile.
        atomic_write(path, json.dumps(index, separators=(",", ":")))

    def settle(self) -> None:
        """After the first build: set aside, for the server's lifetime, what it keeps.

        The objects alive then (modules, the theme's compiled templates, MkDocs and its
        plugins, the parsed data) last as long as the server. Python's collector would
        look at all of them again in the full collection most rebuilds run (0.03-0.1 s);
        frozen (`gc.freeze`), it looks only at what rebuilds make. Garbage is collected
        first, so none is kept; later builds' objects are collected as usual, once the
        browser has its page (`collect_again`, a step after the pages).

        After every build, the file pollers look for edits again.
        """
        if not self.settled:
            gc.collect()
            gc.freeze()
            self.settled = True
        NOT_BUILDING.set()

    @staticmethod
    def collect_again() -> None:
        """The collector, held during a rebuild (`hold`), runs again: its first
        collection (a rebuild's objects) waits until the reader's page is sent."""
        gc.enable()

    def resume(self) -> None:
        """After a failed rebuild: the collector and the file pollers run again."""
        gc.enable()  # held during the rebuild (`hold`)
        NOT_BUILDING.set()

    def hold(self) -> None:
        """For a rebuild: the file pollers rest until it is over and, after the first
        build, so does cyclic garbage collection.

        A rebuild makes a few hundred thousand objects and lets go of them as it ends; the
        collector would look at them again and again while they live (0.02-0.08 s of a
        rebuild). Their cycles are collected after the rebuild, as the collector runs again
        (`collect_again`, or `resume` after a failed build).
        """
        NOT_BUILDING.clear()  # the file pollers rest until the rebuild is over
        if self.settled:
            gc.disable()


@dataclasses.dataclass(frozen=True)
class _PageText:
    """What Material's search index reads of a page."""

    url: str
    title: str | None
    meta: MutableMapping[str, Any]
    toc: Any
    content: str


def _fingerprint(config: MkDocsConfig, shape: SiteShape, docs: Path) -> str:
    """Everything a page's HTML depends on besides its own source file."""
    digest = hashlib.sha256()
    digest.update(json.dumps(dataclasses.asdict(shape), sort_keys=True).encode())
    digest.update(str(config.site_url).encode())
    if config.config_file_path:
        digest.update(Path(config.config_file_path).read_bytes())
    # The theme's own overrides; the installed theme does not change while a server runs.
    for folder in [config.theme.custom_dir] if config.theme.custom_dir else []:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for path in sorted(docs.rglob("*")):
        if path.is_file() and not path.relative_to(docs).as_posix().startswith(CHART_FILES):
            digest.update(f"{path.relative_to(docs)}\n".encode())
            if path.suffix == ".md":  # its title shows in every page's navigation
                digest.update(_title_line(path).encode())
    return digest.hexdigest()


def _title_line(page: Path) -> str:
    """The `title:` line of a page's front matter ("" without one)."""
    with page.open(encoding="utf-8") as text:
        if text.readline().rstrip() != "---":
            return ""
        for line in text:
            if line.rstrip() == "---":
                break
            if line.startswith("title:"):
                return line
    return ""


def _mark_all_changed(docs: Path) -> None:
    """Make every file newer than any built page, so MkDocs rebuilds and copies them all."""
    for path in docs.rglob("*"):
        if path.is_file():
            os.utime(path)
