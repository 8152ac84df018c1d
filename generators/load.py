"""Read YAML data files into plain Python values, remembering where each value came from.

No checks happen here beyond "is this readable YAML": `validate` judges the content.
Each document comes with a *line map*: key path (as a tuple) -> (line, column), both
1-based, taken from PyYAML's node marks, so later errors can name file, line and field.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import yaml

from .errors import DataError, ErrorList, relative

KeyPath = tuple[str | int, ...]
V = TypeVar("V")


@dataclass(frozen=True, kw_only=True)
class SourceDocument:
    """One data file's content and the position of every value in it.

    Never changed once loaded (validation works on copies): `ParsedFiles` hands the same
    document to the next build of a process while the file's bytes are unchanged.
    """

    path: Path
    name: str  # path relative to the project root, as shown in messages
    data: Any
    lines: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: KeyPath) -> tuple[int | None, int | None]:
        """Line and column of *key_path*, or of its nearest located ancestor."""
        path = tuple(key_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), (None, None))

    def error(self, key_path: KeyPath, message: str) -> DataError:
        # A field is named by its line only: the key's column adds nothing a reader needs.
        line, _column = self.locate(key_path)
        return DataError(
            file=self.name, line=line, column=None, field=format_path(key_path), message=message
        )


def format_path(key_path: KeyPath) -> str:
    """``("models", 0, "config")`` -> ``models[0].config``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# libyaml's parser (when PyYAML has it) is several times faster and gives the same marks.
# Both loaders offer the same interface, so the checker is shown the pure-Python one.
if TYPE_CHECKING:
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe loader that rejects duplicate keys."""


def string_values(
    node: Any, keys: Collection[str], path: KeyPath = ()
) -> Iterator[tuple[KeyPath, str]]:
    """Every string of a parsed data file held under one of *keys*, with its key path."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            child = (*path, str(key))
            if key in keys and isinstance(value, str):
                yield child, value
            else:
                yield from string_values(value, keys, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from string_values(item, keys, (*path, index))


def _construct_mapping(
    loader: _Loader, node: yaml.MappingNode, deep: bool = False
) -> dict[Hashable, Any]:
    seen: dict[Hashable, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"the key {key!r} appears twice (first on line {seen[key].start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_map(node: yaml.Node | None) -> dict[KeyPath, tuple[int, int]]:
    lines: dict[KeyPath, tuple[int, int]] = {}

    def walk(n: yaml.Node, path: KeyPath) -> None:
        lines[path] = (n.start_mark.line + 1, n.start_mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            for key_node, value_node in n.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                # The key's own line is the most useful place to point at.
                child = (*path, key)
                walk(value_node, child)
                lines[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        elif isinstance(n, yaml.SequenceNode):
            for index, item in enumerate(n.value):
                walk(item, (*path, index))

    if node is not None:
        walk(node, ())
    return lines


class ParsedFiles:
    """The documents parsed by the last build of a process that builds again and again (a
    preview server): saving one data file then costs parsing that file only. Parsing with
    line marks is most of the time loading the data takes; reading the bytes to compare
    is a small part of it. What a build makes of one unchanged document (its validated
    records, its typography findings) is kept too (`derive`)."""

    def __init__(self) -> None:
        self._documents: dict[tuple[Path, str], tuple[bytes, SourceDocument]] = {}
        # key -> (inputs, what was made of them, the problems found)
        self._derived: dict[Hashable, tuple[tuple[object, ...], object, tuple[DataError, ...]]] = {}

    def get(self, path: Path, name: str, raw: bytes) -> SourceDocument | None:
        kept = self._documents.get((path, name))
        return kept[1] if kept is not None and kept[0] == raw else None

    def keep(self, path: Path, name: str, raw: bytes, document: SourceDocument) -> None:
        self._documents[path, name] = (raw, document)

    def derive(
        self,
        key: Hashable,
        inputs: tuple[object, ...],
        make: Callable[[ErrorList], V],
        errors: ErrorList,
    ) -> V:
        """What *make* made of *inputs* in an earlier build, while every input is the very
        object it was then (a document handed out again because its bytes are unchanged, or
        something made of such documents); the problems it found then are reported again.

        *make* must depend on its inputs alone: a paper file's validation does, the checks
        across files do not.
        """
        kept = self._derived.get(key)
        if kept is not None and len(kept[0]) == len(inputs):
            if all(a is b for a, b in zip(kept[0], inputs, strict=True)):
                for problem in kept[2]:
                    errors.add(problem)
                return cast("V", kept[1])
        found = ErrorList()
        result = make(found)
        for problem in found.errors:
            errors.add(problem)
        self._derived[key] = (inputs, result, tuple(found.errors))
        return result


def derive(
    parsed: ParsedFiles | None,
    key: Hashable,
    inputs: tuple[object, ...],
    make: Callable[[ErrorList], V],
    errors: ErrorList,
) -> V:
    """`ParsedFiles.derive` when a process keeps its parsed files; else *make* run once."""
    if parsed is None:
        return make(errors)
    return parsed.derive(key, inputs, make, errors)


def load_file(
    path: Path, root: Path, errors: ErrorList, parsed: ParsedFiles | None = None
) -> SourceDocument | None:
    """Parse one YAML file; on any problem, record it in *errors* and return None.

    With *parsed*, a file whose bytes it has seen is not parsed again.
    """
    name = relative(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        errors.add(DataError(file=name, message=f"cannot be read ({exc.strerror})"))
        return None
    if parsed is not None and (known := parsed.get(path, name, raw)) is not None:
        return known
    document = _parse(path, name, raw, errors)
    if parsed is not None and document is not None:
        parsed.keep(path, name, raw, document)
    return document


def _parse(path: Path, name: str, raw: bytes, errors: ErrorList) -> SourceDocument | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.add(
            DataError(
                file=name,
                line=line,
                message=f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8",
            )
        )
        return None
    if not text.strip():
        errors.add(DataError(file=name, line=1, message="the file is empty"))
        return None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
        lines = _line_map(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        errors.add(
            DataError(
                file=name,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                message=f"YAML syntax error: {problem}{context}",
            )
        )
        return None
    except yaml.YAMLError as exc:
        errors.add(DataError(file=name, message=f"YAML error: {exc}"))
        return None
    if data is None:
        errors.add(DataError(file=name, line=1, message="the file holds no data (only comments?)"))
        return None
    return SourceDocument(path=path, name=name, data=data, lines=lines)


def load_directory(
    directory: Path, root: Path, errors: ErrorList, parsed: ParsedFiles | None = None
) -> list[SourceDocument]:
    """Every ``*.yaml`` / ``*.yml`` file in *directory*, sorted by name for stable output."""
    if not directory.is_dir():
        return []
    paths = sorted(p for p in directory.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    return [doc for p in paths if (doc := load_file(p, root, errors, parsed)) is not None]
