"""The source documents: the files behind data/documents.yaml, kept outside git.

Every number records a source (a paper's table, a README's section). The documents those
sources are read from (a paper's PDF at a repository commit, a README at a commit) are
not ours to redistribute: they live in a git-ignored folder (`.sources/` by default, the
command's `--sources-dir`), as ``<id>.pdf`` or ``<id>.md``; the registry records where to
download each one, its SHA-256 and the paper sources it backs.

This module does one job, the files: where a document lives, whether it is there with the
right bytes, downloading the missing ones (`fetch`) and recording a copy one has (`add`).
A file only ever appears whole and with the hash the registry expects: downloads and
copies are written to a temporary file beside it, hashed while they stream, and renamed
into place (`write.atomic_file`); any failure removes the temporary file.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from . import schema
from .json_schema import DATA_FILES, SCHEMA_DIR
from .load import SourceDocument
from .paths import ProjectPaths
from .validate import DOCUMENTS_FILE, load_and_validate
from .write import atomic_file, atomic_write

Status = Literal["present", "missing", "wrong-hash"]
Outcome = Literal["fetched", "present", "failed"]

FORMATS = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown"}  # a file's extension
CHUNK = 1 << 16  # bytes read and hashed at a time
TIMEOUT = 30.0  # seconds a download waits for the server: to connect, and for each read
TIME_LIMIT = 600.0  # seconds one download may take in all
USER_AGENT = "deepseek-papers (dspapers documents fetch)"
FETCH_HINT = 'run "dspapers documents fetch"'
_NULL = "tag:yaml.org,2002:null"  # the tag of an empty YAML value


class DocumentError(Exception):
    """A document is missing, wrong or cannot be fetched or added: one line that names it
    and says why (``data/documents.yaml:12: documents[x]: ... ``)."""


# --- The registry --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Registry:
    """The documents of data/documents.yaml, each with the line its entry starts on."""

    entries: tuple[schema.Document, ...] = ()
    file: str = f"data/{DOCUMENTS_FILE}"  # as messages name it (relative to the project root)
    lines: dict[str, int] = field(default_factory=dict)  # document id -> its entry's line

    @classmethod
    def of(cls, records: schema.DocumentRegistry, source: SourceDocument | None) -> Registry:
        """The registry *records* read from *source* (None: no registry file)."""
        if source is None:
            return cls(entries=tuple(records.documents))
        lines = {
            doc.id: line
            for i, doc in enumerate(records.documents)
            if (line := source.locate(("documents", i))[0]) is not None
        }
        return cls(entries=tuple(records.documents), file=source.name, lines=lines)

    def __iter__(self) -> Iterator[schema.Document]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, document_id: str) -> schema.Document | None:
        return next((d for d in self.entries if d.id == document_id), None)

    def document_for(self, paper_id: str, alias: str) -> schema.Document | None:
        """The document that backs source *alias* of paper *paper_id*, if one does."""
        return schema.backing(self.entries, paper_id, alias)

    def where(self, doc: schema.Document) -> str:
        """The start of a message about *doc*: ``data/documents.yaml:12: documents[x]``."""
        line = self.lines.get(doc.id)
        return f"{self.file}{f':{line}' if line else ''}: documents[{doc.id}]"


def read_registry(paths: ProjectPaths) -> Registry:
    """The project's registry, once every data file is valid (raises `DataValidationError`
    listing every problem otherwise: `backs` is checked against the papers)."""
    data = load_and_validate(paths.data, paths.root)
    return Registry.of(data.document_registry, data.document_file)


# --- The files -----------------------------------------------------------------------------


def path_of(doc: schema.Document, sources_dir: Path) -> Path:
    """Where *doc* lives: ``<sources_dir>/<id>.pdf`` or ``<id>.md``."""
    return sources_dir / f"{doc.id}{doc.suffix}"


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file at *path*, read in pieces."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def status(doc: schema.Document, sources_dir: Path) -> Status:
    """Whether *doc*'s file is there with the SHA-256 the registry expects.

    Raises `OSError` for a file that is there but cannot be read.
    """
    return _status(doc, sources_dir)[0]


def _status(doc: schema.Document, sources_dir: Path) -> tuple[Status, str | None]:
    """The status and, for a file that is there, its SHA-256."""
    path = path_of(doc, sources_dir)
    if not path.is_file():
        return "missing", None
    actual = sha256_of(path)
    return ("present" if actual == doc.sha256 else "wrong-hash"), actual


def verified_path(registry: Registry, doc: schema.Document, sources_dir: Path) -> Path:
    """*doc*'s file, checked against its SHA-256; else `DocumentError` saying what is wrong."""
    path = path_of(doc, sources_dir)
    try:
        state, actual = _status(doc, sources_dir)
    except OSError as exc:
        raise DocumentError(
            f"{registry.where(doc)}: {shown(path)} cannot be read ({exc.strerror or exc})"
        ) from None
    if state == "missing":
        raise DocumentError(f"{registry.where(doc)}: {shown(path)} is missing; {FETCH_HINT}")
    if state == "wrong-hash":
        raise DocumentError(
            f"{registry.where(doc)}: {shown(path)} {_hashes(actual, doc.sha256)}; delete it and "
            f'{FETCH_HINT}, or record it with "dspapers documents add"'
        )
    return path


def shown(path: Path) -> str:
    """A path as a message shows it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _short(digest: str | None) -> str:
    return f"{(digest or '?')[:12]}…"


def _hashes(actual: str | None, expected: str) -> str:
    return f"has SHA-256 {_short(actual)} but the registry expects {_short(expected)}"


# --- fetch ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Fetched:
    """What `fetch` did with one document: its one-line message."""

    document: str
    outcome: Outcome
    message: str


@dataclass(frozen=True, kw_only=True)
class FetchReport:
    results: tuple[Fetched, ...]

    @property
    def failed(self) -> tuple[Fetched, ...]:
        return tuple(r for r in self.results if r.outcome == "failed")


class _Failed(Exception):
    """A download went wrong; the message says how (nothing is left on disk)."""


def chosen(registry: Registry, only: Iterable[str] | None) -> list[schema.Document]:
    """The documents *only* names (all when None), in registry order; an unknown name
    raises `DocumentError` before anything happens."""
    if only is None:
        return list(registry)
    wanted = list(dict.fromkeys(only))
    unknown = [name for name in wanted if registry.get(name) is None]
    if unknown:
        known = ", ".join(d.id for d in registry) or "none"
        raise DocumentError(
            f"{registry.file}: no document {', '.join(unknown)} in the registry (known: {known})"
        )
    return [d for d in registry if d.id in wanted]


def fetch(
    registry: Registry,
    sources_dir: Path,
    only: Iterable[str] | None = None,
    *,
    timeout: float = TIMEOUT,
    time_limit: float = TIME_LIMIT,
    on_result: Callable[[Fetched], None] | None = None,
) -> FetchReport:
    """Download every missing document (or those *only* names) into *sources_dir*.

    A document there with the right SHA-256 is skipped. One there with another SHA-256 is
    reported and left as it is: it may be a copy someone is about to record with `add`,
    and a download would not tell which is right. A download that fails (HTTP error,
    refused or dropped connection, no network, a time limit, another SHA-256) writes
    nothing, and the others are still fetched. *on_result* hears of each document as it
    is done; the report lists them all.
    """
    results: list[Fetched] = []
    for doc in chosen(registry, only):
        result = _fetch_one(registry, doc, sources_dir, timeout, time_limit)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return FetchReport(results=tuple(results))


def _fetch_one(
    registry: Registry, doc: schema.Document, sources_dir: Path, timeout: float, limit: float
) -> Fetched:
    path = path_of(doc, sources_dir)
    where = registry.where(doc)
    try:
        state, actual = _status(doc, sources_dir)
    except OSError as exc:
        message = f"{where}: {shown(path)} cannot be read ({exc.strerror or exc})"
        return Fetched(document=doc.id, outcome="failed", message=message)
    if state == "present":
        return Fetched(document=doc.id, outcome="present", message=f"{doc.id}: {shown(path)}")
    if state == "wrong-hash":
        message = (
            f"{where}: {shown(path)} {_hashes(actual, doc.sha256)}; left as it is: delete it "
            f'to fetch it again, or record it with "dspapers documents add"'
        )
        return Fetched(document=doc.id, outcome="failed", message=message)
    try:
        size = _download(doc, path, timeout, limit)
    except _Failed as exc:
        message = f"{where}: cannot fetch {doc.url}: {exc}; nothing written"
        return Fetched(document=doc.id, outcome="failed", message=message)
    message = f"{doc.id}: fetched {shown(path)} ({size:,} bytes)"
    return Fetched(document=doc.id, outcome="fetched", message=message)


def _download(doc: schema.Document, path: Path, timeout: float, limit: float) -> int:
    """Stream *doc*'s address into *path* through a temporary file; the bytes written.

    Raises `_Failed` with the reason, having left nothing on disk.
    """
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(doc.url, headers={"User-Agent": USER_AGENT})
    deadline = time.monotonic() + limit
    try:
        with atomic_file(path) as out, urllib.request.urlopen(request, timeout=timeout) as answer:
            length = answer.headers.get("Content-Length", "")
            digest = hashlib.sha256()
            received = 0
            while chunk := answer.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                received += len(chunk)
                if time.monotonic() > deadline:
                    raise _Failed(f"took longer than {limit:g} s ({received:,} bytes so far)")
            # http.client stops at a connection closed early without complaint.
            if length.isdigit() and received != int(length):
                raise _Failed(f"the connection closed after {received:,} of {int(length):,} bytes")
            if digest.hexdigest() != doc.sha256:
                raise _Failed(f"the file {_hashes(digest.hexdigest(), doc.sha256)}")
            return received
    except _Failed:
        raise
    except urllib.error.HTTPError as exc:
        raise _Failed(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise _Failed(_reason(exc.reason, timeout)) from None
    except http.client.IncompleteRead as exc:
        raise _Failed(
            f"the connection closed after {len(exc.partial):,} bytes of a chunk"
        ) from None
    except http.client.RemoteDisconnected:
        raise _Failed("the server closed the connection without answering") from None
    except http.client.HTTPException as exc:
        raise _Failed(f"not a valid HTTP answer ({type(exc).__name__}: {exc})") from None
    except OSError as exc:
        raise _Failed(_reason(exc, timeout)) from None


def _reason(error: object, timeout: float) -> str:
    """What a network error means, in a few words."""
    import socket
    import ssl

    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return f"the host name cannot be resolved, no network? ({error.strerror or error})"
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(error, ConnectionResetError):
        return "the connection was reset"
    if isinstance(error, ssl.SSLError):
        return f"TLS error ({error.reason or error})"
    if isinstance(error, OSError):
        return str(error.strerror or error)
    return str(error)


# --- add -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Added:
    """What `add` did: the copy, its SHA-256, and whether it made a new registry entry."""

    document: str
    sha256: str
    path: Path
    created: bool


def add(
    file: Path,
    name: str,
    *,
    registry_file: Path,
    sources_dir: Path,
    url: str | None = None,
) -> Added:
    """Copy *file* into *sources_dir* as document *name*'s file and record its SHA-256.

    In *registry_file* only that entry's ``sha256:`` changes (or is inserted), comments
    and layout kept. A *name* the registry lacks becomes a new entry at the end (id,
    title, format from the file's extension, *url*, sha256, empty backs) for an editor to
    complete; *url* is then required. Nothing is written unless everything checks out.
    """
    if not re.match(schema.ID_PATTERN, name) or len(name) > 80:
        raise DocumentError(
            f'"{name}" is not a document id: lowercase letters, digits, "." and "-"'
        )
    if not file.is_file():
        raise DocumentError(f"{shown(file)} is not a file")
    fmt = FORMATS.get(file.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMATS)
        raise DocumentError(f"{shown(file)}: a document is a PDF or Markdown file ({known})")
    text = registry_file.read_text(encoding="utf-8") if registry_file.exists() else None
    digest = sha256_of(file)
    edited, created = _record(text, registry_file, name, fmt, digest, url)
    target = sources_dir / f"{name}{'.pdf' if fmt == 'pdf' else '.md'}"
    if not (target.exists() and target.resolve() == file.resolve()):
        _copy(file, target, digest)
    atomic_write(registry_file, edited)
    return Added(document=name, sha256=digest, path=target, created=created)


def _copy(file: Path, target: Path, digest: str) -> None:
    """Copy *file* onto *target* in one rename, checking it still has SHA-256 *digest*."""
    copied = hashlib.sha256()
    with atomic_file(target) as out, file.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            out.write(chunk)
            copied.update(chunk)
        if copied.hexdigest() != digest:
            raise DocumentError(f"{shown(file)} changed while it was copied; try again")


# --- Editing the registry file in place ------------------------------------------------------


def _record(
    text: str | None, registry_file: Path, name: str, fmt: str, digest: str, url: str | None
) -> tuple[str, bool]:
    """The registry file's new text with *digest* as entry *name*'s SHA-256, and whether the
    entry is new. Only that entry's ``sha256:`` changes: the text is edited where the YAML
    node marks say the value is, never dumped again."""
    label = shown(registry_file)
    if text is None:
        text = "\n".join(_header(registry_file)) + "\n"
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        before = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f":{mark.line + 1}" if mark else ""
        raise DocumentError(
            f"{label}{at}: YAML syntax error: {exc.problem}; fix it first"
        ) from None
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
        node = None  # only comments so far
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise DocumentError(f"{label}: must be a YAML mapping with a documents: list")
    listed = _value(node, "documents") if node is not None else None
    entries = listed.value if isinstance(listed, yaml.SequenceNode) else []
    entry = next(
        (e for e in entries if isinstance(e, yaml.MappingNode) and _scalar(e, "id") == name), None
    )
    if entry is not None:
        edited = _set_sha256(text, label, name, entry, fmt, digest, url)
        created = False
    else:
        if url is None:
            raise DocumentError(
                f'{label}: no document "{name}" yet: give the address it is downloaded from '
                "with --url URL to add a new entry"
            )
        if not re.match(r"^https?://[^\s<>\"']+$", url):
            raise DocumentError(f"--url {url}: must be an http:// or https:// address")
        edited = _append(text, label, node, listed, name, fmt, digest, url)
        created = True
    _check_edit(before, yaml.safe_load(edited), name, digest, created, label)
    return edited, created


def _header(registry_file: Path) -> tuple[str, ...]:
    """A new registry file's first lines: its schema and YAML version, as every data file's."""
    kind = next(k for k in DATA_FILES if k.path == DOCUMENTS_FILE)
    return kind.header(registry_file, registry_file.parent / SCHEMA_DIR)


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in mapping.value if getattr(k, "value", None) == key), None)


def _scalar(mapping: yaml.MappingNode, key: str) -> str | None:
    node = _value(mapping, key)
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _line_end(text: str, index: int) -> int:
    """The index just after the line holding *index* (its newline included)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _last_char(node: yaml.Node) -> int:
    """The index of a node's last character: a block collection ends with its last value
    (its own end mark lies on the line of whatever follows it)."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if node.value:
            last = node.value[-1]
            return _last_char(last[1] if isinstance(node, yaml.MappingNode) else last)
    return max(node.end_mark.index - 1, node.start_mark.index)


def _set_sha256(
    text: str,
    label: str,
    name: str,
    entry: yaml.MappingNode,
    fmt: str,
    digest: str,
    url: str | None,
) -> str:
    """*text* with entry *name*'s ``sha256:`` value replaced, or the key inserted."""
    at = f"{label}:{entry.start_mark.line + 1}: documents[{name}]"
    recorded = _scalar(entry, "format")
    if recorded is not None and recorded != fmt:
        raise DocumentError(f"{at}: the registry says format {recorded}, the file is {fmt}")
    if url is not None and _scalar(entry, "url") not in (None, url):
        raise DocumentError(
            f"{at}: its url is {_scalar(entry, 'url')}, not {url}; edit the registry to change it"
        )
    quoted = json.dumps(digest)
    value = _value(entry, "sha256")
    if value is not None:
        if not isinstance(value, yaml.ScalarNode):
            raise DocumentError(f"{at}: sha256 must be a single value; correct it by hand")
        start, end = value.start_mark.index, value.end_mark.index
        return text[:start] + (quoted if end > start else f" {quoted}") + text[end:]
    if entry.flow_style:  # {id: x, ...}: before the closing brace
        close = entry.end_mark.index - 1
        if text[close] != "}":
            raise DocumentError(f"{at}: cannot find the end of the entry; add sha256 by hand")
        return f"{text[:close].rstrip()}, sha256: {quoted}{text[close:]}"
    # After the value before `backs:` (where the format lists it), else after the last one.
    keys = [getattr(k, "value", None) for k, _ in entry.value]
    anchor = entry.value[keys.index("backs") - 1] if "backs" in keys[1:] else entry.value[-1]
    column = entry.value[0][0].start_mark.column
    at_index = _line_end(text, _last_char(anchor[1]))
    line = f"{' ' * column}sha256: {quoted}\n"
    if at_index == len(text) and not text.endswith("\n"):
        line = "\n" + line
    return text[:at_index] + line + text[at_index:]


def _append(
    text: str,
    label: str,
    root: yaml.MappingNode | None,
    listed: yaml.Node | None,
    name: str,
    fmt: str,
    digest: str,
    url: str,
) -> str:
    """*text* with a new entry at the end of its ``documents:`` list."""
    if isinstance(listed, yaml.SequenceNode) and listed.value:
        if listed.flow_style:
            raise DocumentError(
                f"{label}:{listed.start_mark.line + 1}: documents: is written as a flow list "
                "[...]; write it as a block list (- id: ...) to add an entry"
            )
        first = listed.value[0]
        start = text.rfind("\n", 0, first.start_mark.index) + 1
        dash = text.index("-", start) - start
        at_index = _line_end(text, _last_char(listed.value[-1]))
        return text[:at_index] + _entry(dash, name, fmt, digest, url) + text[at_index:]
    entry = _entry(2, name, fmt, digest, url)
    if listed is None:  # no documents: key at all
        if root is not None and root.value and root.flow_style:
            raise DocumentError(f"{label}: write the file as a block mapping to add an entry")
        body = text if text.endswith("\n") or not text else text + "\n"
        return f"{body}documents:\n{entry}"
    empty = isinstance(listed, yaml.SequenceNode)  # `[]`: a list with entries is done above
    null = isinstance(listed, yaml.ScalarNode) and listed.tag == _NULL
    if empty or null:
        # `documents: []` or `documents:` (empty): the list begins on the next line.
        start, end = listed.start_mark.index, listed.end_mark.index
        after = _line_end(text, end) if end > start else _line_end(text, start)
        rest_of_line = text[end:after].rstrip("\n")
        head = text[:start].rstrip(" ")
        return f"{head}{rest_of_line}\n{entry}{text[after:]}"
    raise DocumentError(
        f"{label}:{listed.start_mark.line + 1}: documents: must be a list of documents"
    )


def _entry(dash: int, name: str, fmt: str, digest: str, url: str) -> str:
    """A new entry's lines, its dash at column *dash*."""
    pad = " " * (dash + 2)
    return (
        f"{' ' * dash}- id: {name}  # new: complete title, repository, commit, path and backs\n"
        f"{pad}title: {json.dumps(name)}\n"
        f"{pad}format: {fmt}\n"
        f"{pad}url: {json.dumps(url)}\n"
        f"{pad}sha256: {json.dumps(digest)}\n"
        f"{pad}backs: {{}}\n"
    )


def _check_edit(before: Any, after: Any, name: str, digest: str, created: bool, label: str) -> None:
    """The edit changed the entry's SHA-256 (or added the entry) and nothing else."""

    def documents(data: Any) -> list[Any]:
        found = data.get("documents") if isinstance(data, dict) else None
        return list(found) if isinstance(found, list) else []

    old, new = documents(before), documents(after)
    if created:
        expected_rest, entry = old, (new[-1] if new else None)
        rest = new[:-1]
    else:
        index = next(
            (i for i, e in enumerate(new) if isinstance(e, dict) and e.get("id") == name), None
        )
        entry = new[index] if index is not None else None
        rest = [e for i, e in enumerate(new) if i != index]
        expected_rest = [e for e in old if not (isinstance(e, dict) and e.get("id") == name)]
        if entry is not None:
            old_entry = next(e for e in old if isinstance(e, dict) and e.get("id") == name)
            if {**old_entry, "sha256": digest} != entry:
                entry = None
    others = {k: v for k, v in (after or {}).items() if k != "documents"}
    others_before = {k: v for k, v in (before or {}).items() if k != "documents"}
    if (
        not isinstance(entry, dict)
        or entry.get("id") != name
        or entry.get("sha256") != digest
        or rest != expected_rest
        or others != others_before
    ):
        raise DocumentError(
            f"{label}: its layout could not be edited safely; add sha256 {digest} "
            f"to documents[{name}] by hand"
        )
