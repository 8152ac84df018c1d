"""What readers see of the record of checks in the downloads: the `checked` columns of
results.csv and models.csv, and each paper's checks in papers.json.

Made from the fixture catalogue in memory (no MkDocs). Its record
(tests/fixtures/catalogue/data/checks/deepseek-v2.yaml) confirms four numbers of
DeepSeek-V2 that its made-up document backs (the abstract's), and finds one only on its
page; copies of the fixture edit a checked number, or its source, and lose the sign.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from golden import fixture_project

from generators import checks
from generators.exports import MODEL_COLUMNS, RESULT_COLUMNS
from generators.i18n import HansConverter
from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.pipeline import Generation, generate
from generators.render import md_escape

PAPER = "data/papers/deepseek-v2.yaml"
RECORD = "data/checks/deepseek-v2.yaml"
REGISTRY = "data/documents.yaml"


def _generate(project: Path) -> Generation:
    return generate(BuildOptions(paths=ProjectPaths.at(project), charts=False))


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _page(generation: Generation, path: str, lang: str) -> str:
    return generation.files[f"{path}.{lang}.md"].decode("utf-8")


def _rows(generation: Generation, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(generation.files[f"downloads/{name}"].decode())))


@pytest.fixture(scope="module")
def hans(fixture_generation: Generation) -> HansConverter:
    return HansConverter(fixture_generation.catalog.overrides)


@pytest.fixture(scope="module")
def fixture_generation(tmp_path_factory) -> Generation:
    return _generate(fixture_project(tmp_path_factory.mktemp("checked") / "project"))


def test_without_a_record_no_number_is_signed_and_the_legend_is_as_before(tmp_path, hans):
    project = fixture_project(tmp_path / "project")
    (project / RECORD).unlink()
    generation = _generate(project)
    assert {r["checked"] for r in _rows(generation, "results.csv")} == {"false"}
    assert {r["checked"] for r in _rows(generation, "models.csv")} == {""}


# --- Downloads ------------------------------------------------------------------------------


def test_models_csv_names_the_checked_fields(fixture_generation):
    assert [c.name for c in MODEL_COLUMNS][-1] == "checked"
    rows = {r["model_id"]: r for r in _rows(fixture_generation, "models.csv")}
    # total_params' first value (Section 3.1.2) is not checked; the abstract's second is,
    # but the column speaks of the value the row shows.
    assert rows["deepseek-v2"]["checked"] == "context_length"
    assert {r["checked"] for m, r in rows.items() if m != "deepseek-v2"} == {""}


def test_a_fact_with_several_values_is_checked_value_by_value(tmp_path, hans):
    """The first of total_params' two values (Section 3.1.2) confirmed too: models.csv,
    which shows the first value, names the field."""
    project = fixture_project(tmp_path / "project")
    _edit(project, REGISTRY, "deepseek-v2: [abstract, t1]", "deepseek-v2: [abstract, t1, s3-1-2]")
    sources = yaml.safe_load((project / PAPER).read_text(encoding="utf-8"))["sources"]
    with (project / RECORD).open("a", encoding="utf-8") as record:
        record.write(
            '      - {number: "models[deepseek-v2].config.total_params[1]", '
            f'value: 236000000000, source: "s3-1-2", cites: "{checks.cites(sources["s3-1-2"])}", '
            'outcome: "confirmed", place: "Section 3.1.2"}\n'
        )
    generation = _generate(project)
    rows = {r["model_id"]: r for r in _rows(generation, "models.csv")}
    assert rows["deepseek-v2"]["checked"] == "total_params | context_length"


def test_papers_json_gives_each_paper_its_documents_and_unbacked_count(fixture_generation):
    papers = json.loads(fixture_generation.files["downloads/papers.json"])["papers"]
    found = {p["id"]: p["checks"] for p in papers}
    v2 = found["deepseek-v2"]
    assert v2["documents"] == [
        {
            "id": "deepseek-v2-report",
            "title": "DeepSeek-V2 technical report",
            "url": "https://example.org/deepseek-v2/0123456789abcdef0123456789abcdef01234567/"
            "deepseek-v2-tech-report.pdf",
            "repository": "deepseek-ai/DeepSeek-V2",
            "commit": "0123456789abcdef0123456789abcdef01234567",
            "sha256": "0" * 64,
            "checked": 4,
            "numbers": 5,
        }
    ]
    assert v2["unbacked"] == fixture_generation.catalog.paper_checks("deepseek-v2").unbacked > 0
    assert found["deepseek-llm"]["documents"] == [] and found["deepseek-llm"]["unbacked"] > 0


def test_the_downloads_page_describes_the_checked_columns(fixture_generation):
    page = _page(fixture_generation, "downloads", "en")
    for columns in (RESULT_COLUMNS, MODEL_COLUMNS):
        column = next(c for c in columns if c.name == "checked")
        assert f"| `checked` | {md_escape(column.description.en)} |" in page


# --- Scores: a copy whose document backs Table 2 --------------------------------------------

MMLU = "comparisons[base-models].rows[MMLU (Acc.), 5-shot].scores.{model}"


@pytest.fixture(scope="module")
def scored_project(tmp_path_factory) -> Path:
    """The fixture, its document backing Table 2 too, two MMLU scores confirmed in it."""
    project = fixture_project(tmp_path_factory.mktemp("scored") / "project")
    _edit(project, REGISTRY, "deepseek-v2: [abstract, t1]", "deepseek-v2: [abstract, t1, t2]")
    sources = yaml.safe_load((project / PAPER).read_text(encoding="utf-8"))["sources"]
    cites = checks.cites(sources["t2"])
    lines = [
        f'      - {{number: "{MMLU.format(model=model)}", value: {value}, source: "t2", '
        f'cites: "{cites}", outcome: "confirmed", place: "Table 2", page: 15, line: 8}}\n'
        for model, value in (("deepseek-v2", 78.5), ("mixtral-8x22b", 77.6))
    ]
    with (project / RECORD).open("a", encoding="utf-8") as record:
        record.writelines(lines)
    return project


@pytest.fixture(scope="module")
def scored(scored_project) -> Generation:
    return _generate(scored_project)


def _mmlu(generation: Generation) -> dict[str, str]:
    return {
        r["model_id"]: r["checked"]
        for r in _rows(generation, "results.csv")
        if r["paper"] == "deepseek-v2" and r["benchmark_id"] == "mmlu"
    }


def test_results_csv_says_which_scores_were_checked(fixture_generation, scored):
    assert [c.name for c in RESULT_COLUMNS][-1] == "checked"
    assert set(_mmlu(fixture_generation).values()) == {"false"}
    assert _mmlu(scored) == {
        "deepseek-llm-67b-base": "false",
        "qwen1.5-72b": "false",
        "mixtral-8x22b": "true",
        "llama3-70b": "false",
        "deepseek-v2": "true",
    }
    assert sum(r["checked"] == "true" for r in _rows(scored, "results.csv")) == 2


def test_an_edited_score_loses_its_sign_and_its_check(tmp_path, scored_project, hans):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(scored_project, project, symlinks=True)
    old = "      deepseek-v2: 78.5\n"
    _edit(project, PAPER, old, "      deepseek-v2: 78.4\n")
    edited = _generate(project)
    assert _mmlu(edited)["deepseek-v2"] == "false" and _mmlu(edited)["mixtral-8x22b"] == "true"
