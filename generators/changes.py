"""What changed in the data, commit by commit: every value added, changed or removed.

Each version of a data file is read as plain YAML, never validated (an old file need not
fit today's schema), and flattened into key paths that name a value by what it is rather
than where it sits: a model, a claim or a results table by its id, a table's column by its
model, a row by its label and setting, a lineage link by its two papers. A reordered list
is then no change, and a value keeps its path when the form around it changes: a plain
value, one `{value, source}` and a list of several such values all flatten to the value at
the field's path, their sources beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import yaml

from . import history

# Chart declarations and the zh-Hans conversion overrides say how the site shows the data,
# not what the papers report, and the registry of source documents is the maintainers'
# bookkeeping (where each document is downloaded, its hash), and the record of checks
# against those documents (data/checks/) is written by a command: their edits are not
# data changes.
IGNORED = frozenset({"charts.yaml", "zh-hans-overrides.yaml", "documents.yaml", "checks/"})
PAPERS = "papers/"

Kind = Literal["added", "changed", "removed", "unreadable"]
# A flattened value: what a YAML scalar reads as (dates as ISO text), or a list of them.
Leaf = None | bool | int | float | str | tuple["Leaf", ...]

# Fields that name an element of a list of mappings, tried in this order: the first
# fields that every element has (as plain values) name them, with the optional ones that
# an element has, joined with the separator given.
_IDENTITIES: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("id",), (), ""),
    (("model",), (), ""),
    (("from", "to"), (), " → "),
    (("label",), ("setting",), ", "),  # a results table's row
    (("approach",), (), ""),
    (("symbol",), (), ""),
)
_LANGUAGE_KEYS = ("zh-Hant", "en")


@dataclass(frozen=True, kw_only=True)
class Change:
    """One value of one data file, as one commit changed it.

    `path` is empty for a whole file added or removed (`values` then counts its values),
    or a file the commit left unreadable as YAML. A whole list element added or removed (a
    model, a row, a benchmark) is one change whose `record` holds its values. `old` is
    meaningful unless the value was added, `new` unless it was removed.
    """

    commit: str
    time: int
    file: str  # relative to the data folder, e.g. "papers/deepseek-v2.yaml"
    path: str
    kind: Kind
    old: Leaf = None
    new: Leaf = None
    record: tuple[tuple[str, Leaf], ...] = ()
    values: int = 1

    def name(self, lang: str) -> str | None:
        """A whole element's name as it gives it: `name`, else its label, title or term
        in the written language of *lang*."""
        written = "en" if lang == "en" else "zh-Hant"
        fields = dict(self.record)
        for key in ("name", f"label.{written}", f"title.{written}", f"term.{written}"):
            if isinstance(fields.get(key), str):
                return str(fields[key])
        return None

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def date(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.time, dt.UTC).date()

    @property
    def language(self) -> str | None:
        """The language of a text written per language (zh-Hant or en), else None."""
        last = self.path.rsplit(".", 1)[-1]
        return last if last in _LANGUAGE_KEYS else None

    def shown_in(self, lang: str) -> bool:
        """Whether a page in *lang* lists it: texts in the other written language are left out."""
        written = "en" if lang == "en" else "zh-Hant"
        return self.language in (None, written)


@dataclass(frozen=True, kw_only=True)
class FileChanges:
    """The changes of one day to one data file, newest first."""

    file: str
    paper: str | None  # the paper's id, for a paper's file
    name: str  # the paper's name as its file last gave it, else the file's stem
    changes: tuple[Change, ...]


@dataclass(frozen=True, kw_only=True)
class Day:
    date: dt.date
    files: tuple[FileChanges, ...]


@dataclass(frozen=True, kw_only=True)
class ChangeLog:
    """Every data change the history holds, newest first, and how complete it is."""

    state: history.State
    changes: tuple[Change, ...] = ()
    horizon: int | None = None  # a shallow clone: nothing before this time is known
    names: Mapping[str, str] | None = None  # a paper's file -> its name in its last version

    @property
    def horizon_date(self) -> dt.date | None:
        if self.horizon is None:
            return None
        return dt.datetime.fromtimestamp(self.horizon, dt.UTC).date()

    def days(self, lang: str) -> list[Day]:
        """The changes a page in *lang* lists, by day (newest first), then by file."""
        days: dict[dt.date, dict[str, list[Change]]] = {}
        for change in self.changes:
            if change.shown_in(lang):
                days.setdefault(change.date, {}).setdefault(change.file, []).append(change)
        names = self.names or {}
        return [
            Day(
                date=date,
                files=tuple(
                    FileChanges(
                        file=file,
                        paper=paper_of(file),
                        name=names.get(file, Path(file).stem),
                        changes=tuple(changes),
                    )
                    for file, changes in sorted(files.items(), key=lambda f: file_order(f[0]))
                ),
            )
            for date, files in days.items()
        ]


def paper_of(file: str) -> str | None:
    """The paper's id of a paper's data file ("papers/<id>.yaml"), else None."""
    if file.startswith(PAPERS) and file.count("/") == 1:
        return Path(file).stem
    return None


def file_order(file: str) -> tuple[int, str]:
    """Papers first, then the other files, each by name."""
    return (0 if paper_of(file) else 1, file)


# --- Flattening one version of a file ---------------------------------------------------

# A key path: (is a list element, name) per step; `path_text` writes it as
# `models[deepseek-v2].config.layers`.
KeyPath = tuple[tuple[bool, str], ...]


def path_text(path: KeyPath) -> str:
    out = ""
    for item, name in path:
        out += f"[{name}]" if item else (f".{name}" if out else name)
    return out


def _leaf(value: object) -> Leaf:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(_leaf(v) for v in value)
    return str(value)


def _is_plain(value: object) -> bool:
    return not isinstance(value, dict | list)


def _walk(node: object, path: KeyPath, out: dict[KeyPath, Leaf]) -> None:
    if isinstance(node, dict):
        sourced = "value" in node and _is_plain(node["value"])
        if sourced:  # a sourced value: the value stands at the field's own path
            out[path] = _leaf(node["value"])
        for key, child in node.items():
            if not (sourced and key == "value"):
                _walk(child, (*path, (False, str(key))), out)
    elif isinstance(node, list):
        _walk_list(node, path, out)
    else:
        out[path] = _leaf(node)


def _walk_list(items: list[object], path: KeyPath, out: dict[KeyPath, Leaf]) -> None:
    if not items:
        return  # holds no value, as an empty mapping: its first items are simply added
    if all(_is_plain(item) for item in items):
        out[path] = _leaf(items)
        return
    mappings = [item for item in items if isinstance(item, dict)]
    names = _identity(mappings) if len(mappings) == len(items) else None
    if len(mappings) == len(items) and names is None:
        if all("value" in m and _is_plain(m["value"]) for m in mappings):
            # Several sourced values of one field: the values at the field's path, each
            # one's source under its value.
            if len(mappings) == 1:
                _walk(mappings[0], path, out)
                return
            out[path] = tuple(_leaf(m["value"]) for m in mappings)
            for m in mappings:
                element = (*path, (True, value_text(_leaf(m["value"]))))
                for key, child in m.items():
                    if key != "value":
                        _walk(child, (*element, (False, str(key))), out)
            return
    keys = names or [str(index) for index in range(len(items))]
    for key, item in zip(_unique(keys), items, strict=True):
        _walk(item, (*path, (True, key)), out)


def _identity(items: list[dict[object, object]]) -> list[str] | None:
    """The names of a list's elements from the first identity fields all of them have."""
    for required, optional, separator in _IDENTITIES:
        if all(all(f in item and _is_plain(item[f]) for f in required) for item in items):
            return [
                separator.join(
                    str(item[f])
                    for f in (*required, *optional)
                    if _is_plain(item.get(f)) and item.get(f) not in (None, "")
                )
                for item in items
            ]
    return None


def _unique(keys: Iterable[str]) -> list[str]:
    """Keys made unique: a repeated key gets " #2", " #3" in order."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key} #{seen[key]}")
    return out


def flatten(document: object) -> dict[KeyPath, Leaf]:
    """Key path -> value, in the document's order."""
    out: dict[KeyPath, Leaf] = {}
    _walk(document, (), out)
    return out


def value_text(value: Leaf) -> str:
    """A value as the page shows it: a list's values joined, no value as "null"."""
    if isinstance(value, tuple):
        return ", ".join(value_text(v) for v in value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _comparable(value: Leaf) -> object:
    """Equal values compare equal: 60 and 60.0 are one number, but true is not 1."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, tuple):
        return tuple(_comparable(v) for v in value)
    return (type(value).__name__, value)


@dataclass(frozen=True, kw_only=True)
class Difference:
    """One value (or one whole list element: `record` holds its values) that differs."""

    path: KeyPath
    kind: Kind
    old: Leaf = None
    new: Leaf = None
    record: tuple[tuple[str, Leaf], ...] = ()  # a whole element: its values, by sub-path


def _whole_element(path: KeyPath, known: set[KeyPath]) -> KeyPath | None:
    """The outermost list element holding *path* that is not among *known* paths, if any."""
    for end in range(1, len(path) + 1):
        if path[end - 1][0] and path[:end] not in known:
            return path[:end]
    return None


def _prefixes(paths: Iterable[KeyPath]) -> set[KeyPath]:
    return {path[:end] for path in paths for end in range(1, len(path) + 1)}


def _one_side(
    values: Mapping[KeyPath, Leaf], other: Mapping[KeyPath, Leaf], kind: Kind
) -> list[Difference]:
    """The values of *values* that *other* lacks: a whole list element as one difference."""
    out: list[Difference] = []
    records: dict[KeyPath, list[tuple[str, Leaf]]] = {}
    known = _prefixes(other)
    for path, value in values.items():
        if path in other:
            continue
        element = _whole_element(path, known)
        if element is None and kind == "added":
            out.append(Difference(path=path, kind=kind, new=value))
        elif element is None:
            out.append(Difference(path=path, kind=kind, old=value))
        elif element not in records:
            records[element] = []
            out.append(Difference(path=element, kind=kind))
        if element is not None:
            records[element].append((path_text(path[len(element) :]), value))
    return [
        Difference(path=d.path, kind=kind, record=tuple(records[d.path]))
        if d.path in records
        else d
        for d in out
    ]


def diff(before: Mapping[KeyPath, Leaf], after: Mapping[KeyPath, Leaf]) -> list[Difference]:
    """Every value that differs, in the files' order; a whole new or gone element as one."""
    changed = [
        Difference(path=path, kind="changed", old=before[path], new=new)
        for path, new in after.items()
        if path in before and _comparable(before[path]) != _comparable(new)
    ]
    added = _one_side(after, before, "added")
    removed = _one_side(before, after, "removed")
    order = {path: index for index, path in enumerate(after)}
    # Changed and added values in the new file's order, removed ones after them.
    return sorted(changed + added, key=lambda d: order[_first(d, order)]) + removed


def _first(difference: Difference, order: Mapping[KeyPath, int]) -> KeyPath:
    """The key of *difference* in the new file: a whole element by its first value."""
    if difference.path in order:
        return difference.path
    size = len(difference.path)
    return next(p for p in order if p[:size] == difference.path)


# --- The whole history ------------------------------------------------------------------


class _Unreadable:
    """A version of a file that is not YAML."""


_UNREADABLE = _Unreadable()


def _parse(content: bytes | None) -> dict[KeyPath, Leaf] | _Unreadable:
    if content is None:
        return {}
    try:
        document = yaml.load(content.decode("utf-8"), Loader=_LOADER)
    except (UnicodeDecodeError, yaml.YAMLError):
        return _UNREADABLE
    return flatten(document)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class KnownChanges:
    """The change log last read, kept by a preview server from one rebuild to the next:
    saving a data file does not change the committed history, and comparing every version
    of every data file is most of the time reading it takes."""

    fingerprint: str = ""
    changelog: ChangeLog | None = None


def read(data: Path, known: KnownChanges | None = None) -> ChangeLog:
    """The data changes in the git history of the folder *data*."""
    found = history.read(data, ignored=IGNORED)
    if known is not None and known.changelog is not None and known.fingerprint == found.fingerprint:
        return known.changelog
    changelog = _compare(data, found)
    if known is not None:
        known.fingerprint, known.changelog = found.fingerprint, changelog
    return changelog


def _compare(data: Path, found: history.History) -> ChangeLog:
    """Every commit's changes, value by value."""
    # Load inputs.
    if found.state == "absent":
        return ChangeLog(state="absent")
    ids = {b for c in found.commits for f in c.files for b in (f.before, f.after) if b}
    parsed: dict[str | None, dict[KeyPath, Leaf] | _Unreadable] = {None: {}}
    parsed.update({blob: _parse(content) for blob, content in history.blobs(data, ids).items()})

    # Process data.
    changes: list[Change] = []
    names: dict[str, str] = {}
    for commit in found.commits:
        for file in commit.files:
            changes += _file_changes(commit, file, parsed[file.before], parsed[file.after])
            latest = parsed[file.after if file.after is not None else file.before]
            name = None if isinstance(latest, _Unreadable) else latest.get(((False, "name"),))
            if paper_of(file.path) and isinstance(name, str):
                names.setdefault(file.path, name)  # the newest version's name
    return ChangeLog(state=found.state, changes=tuple(changes), horizon=found.horizon, names=names)


def _file_changes(
    commit: history.Commit,
    file: history.FileChange,
    before: dict[KeyPath, Leaf] | _Unreadable,
    after: dict[KeyPath, Leaf] | _Unreadable,
) -> list[Change]:
    """What one commit changed in one file."""
    whole = Change(commit=commit.id, time=commit.time, file=file.path, path="", kind="added")
    if isinstance(before, _Unreadable) or isinstance(after, _Unreadable):
        return [replace(whole, kind="unreadable")]
    if file.before is None:
        return [replace(whole, values=len(after))]
    if file.after is None:
        return [replace(whole, kind="removed", values=len(before))]
    return [
        replace(
            whole,
            path=path_text(d.path),
            kind=d.kind,
            old=d.old,
            new=d.new,
            record=d.record,
            values=max(len(d.record), 1),
        )
        for d in diff(before, after)
    ]
