"""Converted pages kept between builds: a page whose conversion would be the same as in
an earlier build gets that build's result instead of being converted again.

MkDocs converts every page's Markdown to HTML on every build, and that conversion is
most of a language build; the language builds of `dspapers build` (`sitebuild`) convert
through this cache. What a conversion yields depends only on the page's Markdown (after
every plugin's `on_page_markdown`), the page's place in the site, the site's list of
files (links resolve to them), the Markdown extensions and their settings, the link
checks' settings, and the installed versions of the libraries doing it. A hash of those
names an entry holding all that `Page.render` sets: the HTML, the table of contents, the
title it found, the page's anchors and its links to other pages' anchors (checked after
every page is converted, as before).

A conversion that logged anything is not kept, so a page with a broken link warns (and
a strict build fails) every time. An entry that cannot be read is converted again. An
entry used is touched; a build of the whole site then removes those it did not use
(`prune`), so the cache holds the current site's pages, not every version of them.

A page not found is converted section by section where that gives the same result
(`page_sections`), and its sections are kept too (touched whenever the page is used): an
edit to one of the charts page's tables converts that section alone. A preview server,
which converts only the pages an edit changed, keeps no page but each page's current
sections, in memory (`PreviewSections`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import logging
import os
import pickle
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..versions import code_version
from ..write import atomic_write
from . import page_sections

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import TableOfContents

FOLDER = "pages"  # in the build's cache folder
# The libraries a page's HTML comes from (Pygments: code highlighting).
LIBRARIES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "pygments")


@dataclass(frozen=True)
class _Entry:
    """What `Page.render` sets on a page; links by the source path of the page linked to."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    # A page assembled from sections: their keys, kept as long as the page is (`prune`).
    sections: tuple[str, ...] = ()

    @classmethod
    def of(cls, page: Page) -> _Entry:
        assert page.content is not None  # just converted
        links = page.links_to_anchors
        return cls(
            content=page.content,
            toc=page.toc,
            title=page._title_from_render,
            anchors=page.present_anchor_ids,
            links_to_anchors=None
            if links is None
            else {file.src_uri: dict(anchors) for file, anchors in links.items()},
        )

    @classmethod
    def joined(cls, sections: list[_Entry], keys: list[str]) -> _Entry:
        """A page's entry from those of its sections, in order (`page_sections`)."""
        anchors: set[str] | None = None
        links: dict[str, dict[str, str]] | None = None
        for section in sections:
            if section.anchors is not None:
                anchors = (anchors or set()) | section.anchors
            if section.links_to_anchors is not None:
                links = {} if links is None else links
                for src_uri, linked in section.links_to_anchors.items():
                    links.setdefault(src_uri, {}).update(linked)
        return cls(
            content=page_sections.join_html([section.content for section in sections]),
            toc=page_sections.join_tocs([section.toc for section in sections]),
            title=sections[0].title,  # MkDocs takes a page's title from its first element
            anchors=anchors,
            links_to_anchors=links,
            sections=tuple(keys),
        )

    def apply(self, page: Page, files: Files) -> bool:
        """Set the page as its conversion would; False if a page it links to is gone."""
        links = None
        if self.links_to_anchors is not None:
            links = {}
            for src_uri, anchors in self.links_to_anchors.items():
                file = files.get_file_from_path(src_uri)
                if file is None:
                    return False
                links[file] = dict(anchors)
        page.content = self.content
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = None if self.anchors is None else set(self.anchors)
        page.links_to_anchors = links
        return True


def _settings(config: MkDocsConfig) -> str:
    """What every page's conversion shares from the build's settings."""
    # MkDocs records links to other pages' anchors only when it would report them.
    checks = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG
    return "\n".join(
        (
            _stable(config["markdown_extensions"]),
            _stable(config["mdx_configs"]),
            _stable(config["validation"]),
            f"use_directory_urls={config['use_directory_urls']}",
            f"anchor checks={checks}",
        )
    )


def _add_files(digest: Any, files: Files) -> str:
    """*digest* with the site's files added (links resolve to them), as hex."""
    for file in files:
        digest.update(f"\n{file.src_uri}\0{file.dest_uri}\0{file.url}\0{file.inclusion}".encode())
    return str(digest.hexdigest())


def _key(common: str, page: Page, markdown: str, kind: str) -> str:
    """The key of *markdown* converted as *page* (`kind`: the whole page, or a section)."""
    file = page.file
    digest = hashlib.sha256(common.encode())
    digest.update(f"\n{kind}\0{file.src_uri}\0{file.dest_uri}\0{file.url}\0{page.url}\n".encode())
    digest.update(markdown.encode())
    return digest.hexdigest()


class PageCache:
    """Converted pages by hash in *folder* (`start`: the one of the build's settings);
    *common*: the hash of what every page of this build shares."""

    def __init__(self, folder: Path, common: str) -> None:
        self.folder, self.common = folder, common
        self.converted = 0
        self.reused = 0
        self.sections_converted = 0  # of the pages converted, sections converted and kept
        self.sections_reused = 0

    @classmethod
    def start(cls, cache: Path, config: MkDocsConfig, files: Files) -> PageCache:
        """The cache of a build whose files are known, in the build's *cache* folder.

        Builds with other settings (the offline export, a pages-only build) keep their
        pages in a subfolder of their own, so that `prune` after one leaves the others'.
        """
        digest = hashlib.sha256(_settings(config).encode())
        folder = cache / FOLDER / digest.hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # used by this build (`prune`)
        # What an entry holds, and the code that makes it: the libraries, and this
        # project's own Markdown extensions (a change to one changes every page's HTML).
        sources = [
            (Path(__file__).name, Path(__file__)),
            (Path(page_sections.__file__).name, Path(page_sections.__file__)),
            *_own_extensions(config),
        ]
        digest.update(code_version(sources, LIBRARIES).encode())
        return cls(folder, _add_files(digest, files))

    def watch(self, page: Page) -> None:
        """Convert *page* through the cache: its `render` looks for an entry first."""
        _render_through(page, self._render)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def _render(
        self, page: Page, convert: Callable[[MkDocsConfig, Files], None], config: Any, files: Any
    ) -> None:
        assert page.markdown is not None
        path = self._path(_key(self.common, page, page.markdown, "page"))
        entry = _reuse(path, page, files)
        if entry is not None:
            for key in entry.sections:  # kept for the page's next edit
                _touch(self._path(key))
            self.reused += 1
            return
        self.converted += 1
        store = _Sections(self.common, self._kept, self._keep, convert, config, files)
        entry = _by_sections(page, store)
        if entry is not None:
            atomic_write(path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
            return
        with _logged() as records:
            convert(config, files)
        if not records:
            atomic_write(path, pickle.dumps(_Entry.of(page), protocol=pickle.HIGHEST_PROTOCOL))

    def _kept(self, key: str) -> _Entry | None:
        path = self._path(key)
        entry = _read(path)
        if entry is not None:
            _touch(path)
        return entry

    def _keep(self, key: str, entry: _Entry, converted: bool) -> None:
        self.sections_converted += converted
        self.sections_reused += not converted
        if converted:  # a kept one was touched when read
            atomic_write(self._path(key), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))


class PreviewSections:
    """A preview server's converted sections, in memory, of each page's last version: a
    rebuild converts again only the sections of a page that an edit changed (the charts
    page's table of the paper edited, not its 28 other sections).

    The server's rebuilds convert only the pages an edit changed, so no whole page is kept;
    each page keeps the sections of its current version alone.
    """

    def __init__(self) -> None:
        self._pages: dict[str, dict[str, _Entry]] = {}
        self._common = ""
        # This build's pages converted by sections: (sections converted, sections kept).
        self.counts: dict[str, tuple[int, int]] = {}

    def start(self, config: MkDocsConfig, files: Files) -> None:
        """For a build whose files are known (the server's code does not change meanwhile)."""
        self._common = _add_files(hashlib.sha256(_settings(config).encode()), files)
        self.counts = {}

    def watch(self, page: Page) -> None:
        """Convert *page* section by section, reusing the sections kept."""
        _render_through(page, self._render)

    def _render(
        self, page: Page, convert: Callable[[MkDocsConfig, Files], None], config: Any, files: Any
    ) -> None:
        last = self._pages.get(page.file.src_uri, {})
        current: dict[str, _Entry] = {}

        def keep(key: str, entry: _Entry, converted: bool) -> None:
            current[key] = entry
            done, kept = self.counts.get(page.file.src_uri, (0, 0))
            self.counts[page.file.src_uri] = (done + converted, kept + (not converted))

        entry = _by_sections(page, _Sections(self._common, last.get, keep, convert, config, files))
        self._pages[page.file.src_uri] = current
        if entry is None:
            convert(config, files)


@dataclass(frozen=True)
class _Sections:
    """Where a page's sections are kept (`kept`, `keep`: by key) and how one converts."""

    common: str
    kept: Callable[[str], _Entry | None]
    keep: Callable[[str, _Entry, bool], None]  # the entry, and whether it was converted
    convert: Callable[[MkDocsConfig, Files], None]
    config: MkDocsConfig
    files: Files


def _by_sections(page: Page, store: _Sections) -> _Entry | None:
    """The page's entry from its sections' entries, each converted on its own when not
    kept, and set on the page; None, the page to be converted whole, when it cannot be cut
    (`page_sections.split`), a section reported something (so that the page reports as
    before), an end mark was taken into another block, or the sections share an id."""
    assert page.markdown is not None
    sections = page_sections.split(page.markdown)
    if sections is None:
        return None
    whole, entries, keys = page.markdown, [], []
    last = len(sections) - 1
    try:
        for number, section in enumerate(page_sections.to_convert(sections)):
            key = _key(store.common, page, section, "section")
            entry = store.kept(key)
            converted = entry is None
            if entry is None:
                page.markdown = section
                with _logged() as records:
                    store.convert(store.config, store.files)
                html = page_sections.section_html(page.content or "", last=number == last)
                if records or html is None:
                    return None
                entry = dataclasses.replace(_Entry.of(page), content=html)
            store.keep(key, entry, converted)
            entries.append(entry)
            keys.append(key)
    finally:
        page.markdown = whole
    if not page_sections.distinct_anchors([entry.anchors for entry in entries]):
        return None
    joined = _Entry.joined(entries, keys)
    return joined if joined.apply(page, store.files) else None


def _render_through(page: Page, render: Callable[..., None]) -> None:
    """Make *page*'s `render` call *render* with the page and MkDocs' own `render`."""
    setattr(page, "render", functools.partial(render, page, page.render))  # noqa: B010


def _reuse(path: Path, page: Page, files: Files) -> _Entry | None:
    """The kept entry at *path*, set on *page*; None if there is none to use."""
    entry = _read(path)
    if entry is None or not entry.apply(page, files):
        return None
    _touch(path)
    return entry


def _touch(path: Path) -> None:
    try:
        os.utime(path)  # used by this build (`prune`)
    except FileNotFoundError:  # let go meanwhile by another build
        pass


def _own_extensions(config: MkDocsConfig) -> list[tuple[str, Path]]:
    """The source files of the Markdown extensions of this package that *config* loads."""
    package = __name__.split(".")[0]
    found = []
    for name in config["markdown_extensions"]:
        if isinstance(name, str) and name.split(".")[0] == package:
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin is not None:
                found.append((name, Path(spec.origin)))
    return found


def prune(cache: Path, since_ns: int) -> int:
    """After a build of the whole site: remove the entries neither written nor used since
    *since_ns* (`time.time_ns`) in the subfolders that build used; how many."""
    removed = 0
    for folder in (cache / FOLDER).glob("*"):
        if not folder.is_dir() or folder.stat().st_mtime_ns < since_ns:
            continue  # kept by builds with other settings
        for path in folder.glob("*.pickle"):
            try:
                if path.stat().st_mtime_ns < since_ns:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # removed meanwhile
                continue
    return removed


def _read(path: Path) -> _Entry | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        entry = pickle.loads(data)
    # A damaged entry, or one of classes since changed: converted again, and rewritten.
    except (
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        IndexError,
        TypeError,
        ValueError,
    ):
        return None
    return entry if isinstance(entry, _Entry) else None


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _logged() -> Iterator[list[logging.LogRecord]]:
    """What is logged meanwhile, at INFO or above, to MkDocs' loggers or any other."""
    handler = _Records()
    loggers = [logging.getLogger("mkdocs"), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _stable(value: Any) -> str:
    """A description of a setting that is the same in every process (no addresses)."""
    if isinstance(value, Mapping):
        items = sorted((str(k), _stable(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_stable(v) for v in value) + "]"
    if isinstance(value, functools.partial):
        return f"partial({_stable(value.func)},{_stable(value.args)},{_stable(value.keywords)})"
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    return repr(value)
