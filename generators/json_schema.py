"""JSON Schema of every kind of data file, as maintainers write it, made from the models.

pydantic's JSON Schema describes what the models accept once `validate` has prepared a
file. Two rules of the written format act before that, and are added here where they
apply, never field by field, so that the schemas follow the models by themselves:

- in a paper file, every ``source:`` may instead name an entry of the file's ``sources:``
  map (`validate._resolve_aliases` replaces any ``source`` key holding a string);
- a block marked with `schema.BLOCK_SOURCE` (the model configurations) takes a block-level
  ``source:``, and each of its ``{value, source}`` fields may be a plain value, which
  then takes the block's source (`schema.ModelConfig._apply_block_source`).

One more correction: a map with typed keys (``dict[Id, ...]``) accepts no other key, as
pydantic checks, where pydantic's schema would let any other key through.
The schemas leave to `dspapers check` what needs more than one value's shape: references
between records and files, source aliases that exist, dates in the future, ranges.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from . import schema
from .validate import DOCUMENTS_FILE, LINEAGE_FILE, REGISTRY_FILES

JsonDict = dict[str, Any]

SCHEMA_DIR = "schema"  # under the data folder (the copy editors read) and under downloads/
DIALECT = "https://json-schema.org/draft/2020-12/schema"

ALIAS_KEY = "source"  # the key whose string value `validate` reads as an alias
ALIAS_MAP = "sources"  # the paper's map of aliases
SOURCED_VALUE = ("value", "source")  # the fields of every sourced value

# The data is read by PyYAML, in YAML 1.1, where `236_000_000_000` is a number and
# `2024-05-07` a date; editors read YAML 1.2 unless a file says otherwise, and would see
# strings there. Each data file says so after its schema lines.
YAML_VERSION = ("%YAML 1.1", "---")


@dataclass(frozen=True, kw_only=True)
class DataFileKind:
    """One kind of data file: where it lives, what it holds, and its schema's name."""

    path: str  # relative to the data folder; "*" stands for any file name
    name: str  # the schema file is <name>.schema.json
    model: type[BaseModel]
    many: bool  # a YAML list of records, or one record per file
    aliases: bool = False  # `source:` may name an entry of the file's `sources:` map
    # Published with the site's downloads; the registry of source documents is the
    # maintainers' bookkeeping, not data the site shows, so its schema stays in data/schema/.
    published: bool = True

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    def header(self, data_file: Path, schema_dir: Path) -> tuple[str, ...]:
        """The first lines of *data_file*: its schema, then the YAML version it is read in.

        The schema is named for the YAML language server (VS Code's YAML extension) and
        for JetBrains IDEs, by a path relative to the data file, so editors find the copy
        in *schema_dir* offline and in any checkout.
        """
        target = Path(os.path.relpath(schema_dir / self.schema_file, data_file.parent))
        return (
            f"# yaml-language-server: $schema={target.as_posix()}",
            f"# $schema: {target.as_posix()}",
            *YAML_VERSION,
        )


# Registry files, by the key `validate.REGISTRY_FILES` gives them, hold lists of records.
_REGISTRY_MODELS: dict[str, type[BaseModel]] = {
    "benchmarks": schema.Benchmark,
    "baselines": schema.Baseline,
    "glossary": schema.GlossaryTerm,
    "lines": schema.ResearchLine,
    "overrides": schema.Override,
    "charts": schema.ChartDecl,
}

DATA_FILES: tuple[DataFileKind, ...] = (
    DataFileKind(path="papers/*.yaml", name="paper", model=schema.Paper, many=False, aliases=True),
    *(
        DataFileKind(
            path=filename,
            name=filename.removesuffix(".yaml"),
            model=_REGISTRY_MODELS[kind],
            many=True,
        )
        for kind, filename in REGISTRY_FILES.items()
    ),
    DataFileKind(
        path=LINEAGE_FILE, name=LINEAGE_FILE.removesuffix(".yaml"), model=schema.Lineage, many=False
    ),
    DataFileKind(
        path=DOCUMENTS_FILE,
        name=DOCUMENTS_FILE.removesuffix(".yaml"),
        model=schema.DocumentRegistry,
        many=False,
        published=False,
    ),
)
PUBLISHED = tuple(kind for kind in DATA_FILES if kind.published)


# --- Walking a schema ----------------------------------------------------------------------


def _subschemas(node: Any) -> Iterator[JsonDict]:
    """Every schema object in *node*, depth first (the node itself included)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _subschemas(value)
    elif isinstance(node, list):
        for item in node:
            yield from _subschemas(item)


def _def_name(node: JsonDict) -> str | None:
    ref = node.get("$ref")
    return ref.removeprefix("#/$defs/") if isinstance(ref, str) else None


def _branches(node: JsonDict) -> list[JsonDict]:
    """The alternatives of a property's schema: its anyOf branches, or itself."""
    return list(node["anyOf"]) if "anyOf" in node else [node]


def _either(*options: JsonDict) -> list[JsonDict]:
    """anyOf branches without repeats (two sourced kinds may share a plain type)."""
    out: list[JsonDict] = []
    for option in options:
        if option not in out:
            out.append(option)
    return out


# --- The written format ----------------------------------------------------------------


def _is_sourced_value(definition: JsonDict) -> bool:
    """A ``{value, source}`` record: a required value and its source (other fields allowed)."""
    value, source = SOURCED_VALUE
    return {value, source} <= set(definition.get("properties", {})) and value in definition.get(
        "required", ()
    )


def _plain(definition: JsonDict) -> JsonDict:
    """A sourced value's ``value`` schema, as a plain value in a block is written."""
    value = dict(definition["properties"]["value"])
    value.pop("title", None)
    return value


def _several(definition: JsonDict, defs: JsonDict) -> bool:
    """A sourced value that may carry further values of other sources (a list of records
    of its own kind): written as a list of values, each plain or ``{value, source}``."""
    for field in definition.get("properties", {}).values():
        items = field.get("items", {}) if field.get("type") == "array" else {}
        if (ref := _def_name(items)) is not None and _is_sourced_value(defs[ref]):
            return True
    return False


def _block_sources(defs: JsonDict) -> None:
    """Blocks marked BLOCK_SOURCE: a block-level `source:` and plain values beside records."""
    for definition in defs.values():
        if not definition.pop(schema.BLOCK_SOURCE, False):
            continue
        properties: JsonDict = definition["properties"]
        plain_values: list[JsonDict] = []
        source: JsonDict | None = None
        for name, field in list(properties.items()):
            branches = _branches(field)
            sourced = [
                defs[ref]
                for b in branches
                if (ref := _def_name(b)) is not None and _is_sourced_value(defs[ref])
            ]
            if not sourced:
                continue
            plain = [_plain(d) for d in sourced]
            plain_values.extend(plain)
            source = source or sourced[0]["properties"][SOURCED_VALUE[1]]
            rest = {k: v for k, v in field.items() if k not in ("anyOf", "$ref")}
            lists = [
                {"type": "array", "minItems": 1, "items": {"anyOf": _either(branch, *plain)}}
                for branch in branches
                if (ref := _def_name(branch)) is not None and _several(defs[ref], defs)
            ]
            if lists:  # a list holding a plain value takes the block's source too
                plain_values.append({"type": "array", "contains": {"anyOf": _either(*plain)}})
            properties[name] = {**rest, "anyOf": _either(*branches, *plain, *lists)}
        if source is None:
            continue
        block_source = {
            "description": "the source of every plain value in this block; "
            "a value written as {value, source} keeps its own",
            "anyOf": [source],
        }
        definition["properties"] = {SOURCED_VALUE[1]: block_source, **properties}
        # A plain value takes the block's source, so a block with one needs a source;
        # a block of {value, source} records only does not.
        definition["if"] = {"additionalProperties": {"not": {"anyOf": _either(*plain_values)}}}
        definition["else"] = {"required": [SOURCED_VALUE[1]]}


def _aliases(document: JsonDict) -> None:
    """Every `source:` in the file may name an entry of its `sources:` map."""
    keys = document["properties"][ALIAS_MAP]
    pattern = next(iter(keys.get("patternProperties", {})), None)
    alias: JsonDict = {
        "type": "string",
        **keys.get("propertyNames", {}),
        **({"pattern": pattern} if pattern else {}),
        "description": f"the name of an entry of this file's `{ALIAS_MAP}:` map",
    }
    for node in _subschemas(document):
        properties = node.get("properties")
        if not isinstance(properties, dict) or ALIAS_KEY not in properties:
            continue
        if node is document:
            continue  # validate reads aliases inside the file's values, not at its top level
        field = properties[ALIAS_KEY]
        notes = ("description", "title", "default")
        kept = {k: v for k, v in field.items() if k in notes}
        branches = _branches({k: v for k, v in field.items() if k not in notes})
        properties[ALIAS_KEY] = {**kept, "anyOf": _either(*branches, alias)}


def _closed_maps(document: JsonDict) -> None:
    """Maps with typed keys (patternProperties) accept no key outside the pattern."""
    for node in _subschemas(document):
        if "patternProperties" in node and "additionalProperties" not in node:
            if "properties" not in node:
                node["additionalProperties"] = False


def file_schema(kind: DataFileKind) -> JsonDict:
    """The JSON Schema of one kind of data file, in the written format."""
    target: Any = list[kind.model] if kind.many else kind.model  # type: ignore[name-defined]
    generated = TypeAdapter(target).json_schema(by_alias=True, mode="validation")
    document = copy.deepcopy(generated)
    defs: JsonDict = document.get("$defs", {})
    _block_sources(defs)
    if kind.aliases:
        _aliases(document)
    _closed_maps(document)
    summary = (kind.model.__doc__ or kind.model.__name__).strip().splitlines()[0]
    header: JsonDict = {
        "$schema": DIALECT,
        "$comment": "Generated from generators/schema.py by `dspapers schema`: do not edit.",
        "title": f"data/{kind.path}",
        "description": f"A list of records, each: {summary}" if kind.many else summary,
    }
    body = {k: v for k, v in document.items() if k not in ("title", "description", "$defs")}
    return {**header, **body, **({"$defs": defs} if defs else {})}


def render(document: JsonDict) -> str:
    """The schema file's text: stable key order, one value per line, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def schema_files(kinds: tuple[DataFileKind, ...] = DATA_FILES) -> dict[str, str]:
    """Schema file name -> text, for every kind of data file."""
    return {kind.schema_file: render(file_schema(kind)) for kind in kinds}


def data_files(data_dir: Path) -> list[tuple[Path, DataFileKind]]:
    """Every data file under *data_dir*, with its kind, in a stable order."""
    return [(path, kind) for kind in DATA_FILES for path in sorted(data_dir.glob(kind.path))]
