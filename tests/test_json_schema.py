"""The data files' JSON Schemas: made from the models, in step with them, met by every file."""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, dspapers, line_of
from golden import FIXTURE
from jsonschema import Draft202012Validator
from pydantic import ConfigDict, Field

from generators import schema
from generators.json_schema import (
    DATA_FILES,
    SCHEMA_DIR,
    DataFileKind,
    data_files,
    file_schema,
    schema_files,
)
from generators.validate import DOCUMENTS_FILE, LINEAGE_FILE, REGISTRY_FILES, ValidatedData

COMMITTED = ROOT / "data" / SCHEMA_DIR
DATA_DIRS = {"data": ROOT / "data", "fixture": FIXTURE / "data"}


def instance(data: Any) -> Any:
    """A loaded YAML value as an editor checks it: JSON, so dates are ISO strings."""
    if isinstance(data, dict):
        return {str(key): instance(value) for key, value in data.items()}
    if isinstance(data, list):
        return [instance(item) for item in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def validator(document: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(kind: DataFileKind, path: Path) -> list[str]:
    """Each problem the published schema finds in *path*: "key.path: message"."""
    data = instance(yaml.safe_load(path.read_text(encoding="utf-8")))
    published = COMMITTED / kind.schema_file
    document = json.loads(published.read_text(encoding="utf-8"))
    return [
        ".".join(map(str, error.absolute_path)) + ": " + error.message
        for error in validator(document).iter_errors(data)
    ]


# --- In step with the models -------------------------------------------------------------


def test_committed_schemas_are_those_the_models_make():
    generated = schema_files()
    committed = {p.name: p.read_text(encoding="utf-8") for p in COMMITTED.iterdir()}
    assert sorted(committed) == sorted(generated), "run `make schema` (dspapers schema)"
    for name, text in generated.items():
        assert committed[name] == text, f"data/schema/{name} is stale: run `make schema`"


def test_every_schema_is_valid_json_schema():
    for kind in DATA_FILES:
        Draft202012Validator.check_schema(file_schema(kind))


def test_every_kind_of_data_file_that_validate_reads_has_a_schema():
    # The files validate reads, and the record each one becomes (ValidatedData's fields).
    produced = typing.get_type_hints(ValidatedData)
    by_path = {kind.path: kind for kind in DATA_FILES}
    assert set(by_path) == {"papers/*.yaml", LINEAGE_FILE, DOCUMENTS_FILE, *REGISTRY_FILES.values()}
    assert by_path["papers/*.yaml"].model is typing.get_args(produced["papers"])[0]
    assert by_path[LINEAGE_FILE].model is typing.get_args(produced["lineage"])[0]
    assert by_path[DOCUMENTS_FILE].model is produced["document_registry"]
    for field, filename in REGISTRY_FILES.items():
        kind = by_path[filename]
        assert kind.many and kind.model is typing.get_args(produced[field])[0], filename


# --- Every data file ---------------------------------------------------------------------


@pytest.mark.parametrize("tree", DATA_DIRS)
def test_every_data_file_validates_against_its_published_schema(tree):
    files = data_files(DATA_DIRS[tree])
    assert {kind.name for _, kind in files} == {kind.name for kind in DATA_FILES}
    for path, kind in files:
        assert schema_errors(kind, path) == [], path


@pytest.mark.parametrize("tree", DATA_DIRS)
def test_every_data_file_names_its_schema_and_yaml_version_first(tree):
    for path, kind in data_files(DATA_DIRS[tree]):
        header = kind.header(path, COMMITTED)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert tuple(lines[: len(header)]) == header, path
        target = lines[0].split("$schema=", 1)[1]
        assert (path.parent / target).resolve() == (COMMITTED / kind.schema_file).resolve()


# --- A wrong field: the schema and `dspapers check` both catch it -------------------------

# The fixture catalogue's text before and after each edit.
WRONG = {
    "wrong type": ("papers/deepseek-v2.yaml", "    layers: 60\n", "    layers: sixty\n"),
    "unknown key": (
        "papers/deepseek-v2.yaml",
        "  variant: base\n",
        "  variant: base\n  colour: blue\n",
    ),
    "bad choice": ("papers/deepseek-v2.yaml", "  variant: base\n", "  variant: giant\n"),
    "plain value without a source": (
        "papers/deepseek-llm.yaml",
        "    source: t2\n    total_params: 7000000000\n",
        "    total_params: 7000000000\n",
    ),
    "alias outside a paper": (
        "lineage.yaml",
        "  source:\n    kind: paper\n    ref: arXiv:2405.04434\n    where: Abstract; Section 3.2.3 (Training and Inference Efficiency)\n",
        "  source: abstract\n",
    ),
    "unknown chart kind": ("charts.yaml", "  kind: lineage\n", "  kind: pie-chart\n"),
    "wrong type in a list of values": (
        "papers/deepseek-v2.yaml",
        "    - value: 236000000000\n      source: abstract\n",
        "    - value: many\n      source: abstract\n",
    ),
    "bad key in a map": (
        "papers/deepseek-v2.yaml",
        "  abstract:\n    kind: paper",
        "  Abstract Two:\n    kind: paper",
    ),
}


@pytest.mark.parametrize("case", WRONG)
def test_a_wrong_field_is_caught_by_the_schema_and_by_check(small_project, capsys, case):
    relative, old, new = WRONG[case]
    path = small_project / "data" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    line = line_of(path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    kind = next(k for p, k in data_files(small_project / "data") if p == path)

    assert schema_errors(kind, path), f"the schema lets {case} through"
    assert dspapers("--root", str(small_project), "check") == 2
    report = capsys.readouterr().err
    name = f"data/{relative}"
    assert f"{name}:" in report, report
    reported = [int(n) for n in re.findall(rf"^\s*{re.escape(name)}:(\d+):", report, re.M)]
    # The problem is reported at or just after the edited line, counted from the file's
    # first line (the schema comments included).
    assert any(0 <= n - line <= 8 for n in reported), (line, report)


# --- The written format follows the models ------------------------------------------------


class _Noted(schema.Strict):
    """A sourced value with one more, optional field."""

    value: float
    source: schema.SourceRef
    note: str | None = None


class _Block(schema.Strict):
    model_config = ConfigDict(json_schema_extra={schema.BLOCK_SOURCE: True})

    size: schema.SourcedInt | None = Field(None, description="a size")
    kind: schema.SourcedAttention | None = None
    noted: _Noted | list[_Noted] | None = None


class _Record(schema.Strict):
    """A made-up kind of file, to show the rules follow any model."""

    sources: dict[schema.Id, schema.Source]
    block: _Block
    source: schema.SourceRef
    cited: list[schema.Claim] = []


SOURCE = {"kind": "paper", "ref": "arXiv:2405.04434", "where": "Table 2"}


@pytest.mark.parametrize("aliases", [True, False])
def test_alias_and_block_rules_follow_any_model(aliases):
    kind = DataFileKind(
        path="made-up.yaml", name="made-up", model=_Record, many=False, aliases=aliases
    )
    check = validator(file_schema(kind))
    document = file_schema(kind)
    assert document["$defs"]["_Block"]["properties"]["size"]["description"] == "a size"

    def valid(data: dict[str, Any]) -> bool:
        return check.is_valid({"sources": {"t2": SOURCE}, **data})

    assert valid({"block": {"size": {"value": 3, "source": SOURCE}}, "source": SOURCE})
    assert valid({"block": {"source": SOURCE, "size": 3, "kind": "MLA"}, "source": SOURCE})
    assert valid({"block": {"source": SOURCE, "noted": 2.5}, "source": SOURCE})
    several = [{"value": 2.5, "source": SOURCE, "note": "a"}, {"value": 3, "source": SOURCE}]
    assert valid({"block": {"noted": several}, "source": SOURCE})
    assert not valid({"block": {"size": 3}, "source": SOURCE}), "a plain value needs a source"
    assert not valid({"block": {"source": SOURCE, "size": -3}, "source": SOURCE})
    assert not valid({"block": {"source": SOURCE, "kind": "XYZ"}, "source": SOURCE})
    assert not valid({"block": {"source": SOURCE, "size": {"value": 3}}, "source": SOURCE})
    # Aliases: every `source:` inside the file's values, at any depth (validate reads none at
    # the file's top level), and never as an entry of the map itself.
    with_aliases = {
        "block": {"source": "t2", "size": {"value": 3, "source": "t2"}},
        "source": SOURCE,
        "cited": [
            {
                "id": "c",
                "label": {"zh-Hant": "甲", "en": "A"},
                "value": 1,
                "unit": "times",
                "source": "t2",
            }
        ],
    }
    assert valid(with_aliases) is aliases
    assert not check.is_valid({"sources": {"t2": "t3"}, "block": {}, "source": SOURCE})
    assert not valid({"block": {}, "source": "t2"})
    assert not valid({"block": {"source": "Not An Alias"}, "source": SOURCE})


def test_descriptions_reach_the_schema():
    paper = file_schema(DATA_FILES[0])
    config = paper["$defs"]["ModelConfig"]["properties"]
    for name, field in schema.ModelConfig.model_fields.items():
        assert config[name]["description"] == field.description, name
    assert paper["$defs"]["Source"]["description"] == schema.Source.__doc__
