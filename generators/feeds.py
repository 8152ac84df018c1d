"""The Atom feed of each language: new papers and data changes, from the change log.

The feed reads the same history as the What changed page (`changes.ChangeLog`): one
entry per data file that a commit changed, newest first, listing that commit's changes to
the file as the page lists them (in the language's words; a text written in the other
language is left out, as the page leaves it out). A paper's file added whole is a new
paper. Every date is a commit's, never the build's: two builds of one commit write the
same bytes.

Each language's feed lies at its root (`feed.xml`, `zh-Hans/feed.xml`, `en/feed.xml`),
written into the docs tree with static-i18n's language suffix (`feed.en.xml`). Its
addresses are the hosted site's (`paths.SITE_URL`, which the dspapers plugin fills in as
MkDocs copies the file), in the offline export too: a reader follows the hosted feed.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from lxml import etree

from . import strings
from .catalog import Catalog
from .changes import Change, ChangeLog, Leaf, file_order, paper_of, value_text
from .i18n import LANGUAGES
from .pages import CHANGED_FILES
from .paths import page_address

FEED = "feed.xml"  # each language's feed, at the language's root
ENTRIES = 50  # the newest entries a feed holds; the What changed page lists them all
LISTED = 20  # the changes an entry lists; the rest are on the What changed page
ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def source_name(lang: str) -> str:
    """The feed of *lang* in the docs tree (static-i18n puts it at the language's root)."""
    return f"feed.{lang}.xml"


def site_path(lang: str) -> str:
    """The feed of *lang* under the site root: `feed.xml`, `en/feed.xml`."""
    return f"{_prefix(lang)}{FEED}"


def _prefix(lang: str) -> str:
    return next(language.prefix for language in LANGUAGES if language.code == lang)


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One commit's changes to one data file, as a feed in one language lists them."""

    commit: str
    time: int  # the commit's time, seconds since the epoch
    file: str  # relative to the data folder
    changes: tuple[Change, ...]

    @property
    def fragment(self) -> str:
        """What tells the entry apart in its feed: the commit and the file."""
        return f"{self.commit}/{self.file}"

    @property
    def new_paper(self) -> bool:
        return self._whole("added")

    @property
    def removed_paper(self) -> bool:
        return self._whole("removed")

    def _whole(self, kind: str) -> bool:
        only = self.changes[0] if len(self.changes) == 1 else None
        return (
            only is not None and only.path == "" and only.kind == kind and bool(paper_of(self.file))
        )


def entries(changelog: ChangeLog, lang: str, limit: int = ENTRIES) -> list[Entry]:
    """The newest *limit* entries a feed in *lang* holds: per commit, papers first."""
    groups: dict[tuple[str, str], list[Change]] = {}
    for change in changelog.changes:  # newest commit first
        if change.shown_in(lang):
            groups.setdefault((change.commit, change.file), []).append(change)
    commits = list(dict.fromkeys(commit for commit, _ in groups))
    ordered = sorted(groups, key=lambda key: (commits.index(key[0]), file_order(key[1])))
    return [
        Entry(
            commit=commit,
            time=groups[(commit, file)][0].time,
            file=file,
            changes=tuple(groups[(commit, file)]),
        )
        for commit, file in ordered[:limit]
    ]


def feed_files(
    catalog: Catalog,
    changelog: ChangeLog,
    convert: Callable[[str], str],
    languages: AbstractSet[str],
) -> dict[str, bytes]:
    """Docs-tree path -> the feed of each of *languages* (zh-Hans: zh-Hant's, *convert*ed)."""
    return {
        source_name(lang): feed(catalog, changelog, lang, convert if lang == "zh-Hans" else str)
        for lang in sorted(languages)
    }


def timestamp(seconds: int) -> str:
    """An Atom date (RFC 3339, UTC) of a time in seconds since the epoch."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Words:
    """The feed's words in one language: zh-Hans converts zh-Hant's."""

    def __init__(self, lang: str, convert: Callable[[str], str]) -> None:
        self.lang = lang
        self._index = 1 if lang == "en" else 0
        self.convert = convert

    def __call__(self, key: str, **fmt: str) -> str:
        text = strings.UI[key][self._index]
        return self.convert(text.format(**fmt) if fmt else text)


def feed(catalog: Catalog, changelog: ChangeLog, lang: str, convert: Callable[[str], str]) -> bytes:
    """The Atom feed of *lang* (its addresses start with `paths.SITE_URL`)."""
    t = _Words(lang, convert)
    listed = entries(changelog, lang)
    prefix = _prefix(lang)
    changes_page = page_address("changes", prefix)
    self_address = page_address("index", prefix) + FEED
    newest = listed[0].time if listed else changelog.horizon or 0
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set(_XML_LANG, lang)
    _text(root, "id", self_address)
    _text(root, "title", t("feed_title"))
    _text(root, "subtitle", t("feed_subtitle"))
    _text(root, "updated", timestamp(newest))
    _link(root, "self", MEDIA_TYPE, self_address)
    _link(root, "alternate", "text/html", changes_page)
    author = etree.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", t("site_name"))
    _text(author, "uri", page_address("index", prefix))
    for entry in listed:
        _entry(root, entry, catalog, changelog, t, changes_page)
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _entry(
    root: etree._Element,
    entry: Entry,
    catalog: Catalog,
    changelog: ChangeLog,
    t: _Words,
    changes_page: str,
) -> None:
    paper = _shown_paper(entry.file, catalog)
    name = _file_name(entry.file, catalog, changelog, t)
    if entry.new_paper:
        title = t("feed_new_paper", name=name)
    elif entry.removed_paper:
        title = t("feed_removed_paper", name=name)
    elif len(entry.changes) == 1:
        title = t("feed_changes_one", name=name)
    else:
        title = t("feed_changes", name=name, count=str(len(entry.changes)))
    day = dt.datetime.fromtimestamp(entry.time, dt.UTC).date().isoformat()
    if entry.new_paper and paper is not None:
        address = page_address(f"papers/{paper}", _prefix(t.lang))
    else:
        address = f"{changes_page}#changes-{day}"
    element = etree.SubElement(root, f"{{{ATOM}}}entry")
    _text(element, "id", f"{changes_page}#{entry.fragment}")
    _text(element, "title", title)
    _text(element, "updated", timestamp(entry.time))
    _link(element, "alternate", "text/html", address)
    content = _text(element, "content", _content(entry.changes, t))
    content.set("type", "html")


def _shown_paper(file: str, catalog: Catalog) -> str | None:
    """The id of the paper whose data file *file* is, if the site shows that paper."""
    paper = paper_of(file)
    return paper if paper is not None and paper in catalog.papers_by_id else None


def _file_name(file: str, catalog: Catalog, changelog: ChangeLog, t: _Words) -> str:
    """A file as the What changed page heads it: the paper's name, else the registry's."""
    shown = _shown_paper(file, catalog)
    if shown is not None:
        return catalog.paper(shown).name
    if (paper := paper_of(file)) is not None:  # a paper the site no longer has
        return (changelog.names or {}).get(file, paper)
    if file in CHANGED_FILES:
        return t(CHANGED_FILES[file][0])
    return file


def _content(changes: tuple[Change, ...], t: _Words) -> str:
    """The entry's changes as HTML: one item each, as the What changed page's rows."""
    items = "".join(f"<li>{_line(change, t)}</li>" for change in changes[:LISTED])
    more = len(changes) - LISTED
    tail = f"<p>{html.escape(t('feed_more', count=str(more)))}</p>" if more > 0 else ""
    return f"<ul>{items}</ul>{tail}"


def _line(change: Change, t: _Words) -> str:
    field = f"<code>{html.escape(change.path)}</code>" if change.path else ""
    field = field or html.escape(t("changes_whole_file"))
    kind = html.escape(t(f"change_{change.kind}"))
    value = _value(change, t)
    if value is None:
        return t("feed_change", field=field, change=kind)
    return t("feed_change_value", field=field, change=kind, value=html.escape(value))


def _value(change: Change, t: _Words) -> str | None:
    """What the change did to the value, as the page shows it: old → new, a whole item's
    name and how many values it holds."""
    if change.kind == "unreadable":
        return None
    if change.path == "" or change.record:
        name = change.name(t.lang)
        count = str(change.values)
        return (
            t("changes_record", name=name, count=count)
            if name
            else t("changes_values", count=count)
        )
    if change.kind == "changed":
        return f"{_shown(change.old)} → {_shown(change.new)}"
    return _shown(change.new if change.kind == "added" else change.old)


def _shown(value: Leaf) -> str:
    """A value as the What changed page shows it: long counts grouped."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**4:
        return f"{value:,}"
    return value_text(value)


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _link(parent: etree._Element, rel: str, media_type: str, href: str) -> None:
    etree.SubElement(parent, f"{{{ATOM}}}link", rel=rel, type=media_type, href=href)
