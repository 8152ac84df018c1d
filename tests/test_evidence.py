"""Evidence kinds on every published number, and model facts with several sourced values."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from test_validation import edit, problems

from generators import evidence, schema
from generators.charts.plan import data_table
from generators.exports import MODEL_FIELDS, build_exports
from generators.i18n import HansConverter

KINDS = set(evidence.KINDS)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def source(kind: str, where: str, **extra: str) -> schema.Source:
    ref = "arXiv:2405.04434" if kind == "paper" else "deepseek-ai/DeepSeek-V2"
    return schema.Source.model_validate({"kind": kind, "ref": ref, "where": where, **extra})


# --- The rule ---------------------------------------------------------------------------


def test_a_sources_kind_follows_from_what_it_records():
    assert evidence.of_source(source("paper", "Table 3 (base models)")) == "paper-table"
    assert evidence.of_source(source("paper", "Appendix A, Table 7 (specs)")) == "paper-table"
    assert evidence.of_source(source("paper", "Figure 2")) == "paper-table"
    assert evidence.of_source(source("paper", "Abstract")) == "paper-text"
    assert evidence.of_source(source("paper", "Section 4.1, text below Tables 5-6")) == (
        "paper-text"
    )
    assert evidence.of_source(source("readme", "README.md, 3. Evaluation")) == "repository"
    assert evidence.of_source(source("model-card", "Model card")) == "repository"
    # The source's own word wins where the rule would be wrong.
    override = source("paper", "Section 4.1, text below Tables 5-6", evidence="paper-table")
    assert evidence.of_source(override) == "paper-table"


def test_every_kind_has_a_mark_and_a_name_in_both_written_languages():
    from generators import strings

    assert set(evidence.MARKS) == KINDS
    assert len(set(evidence.MARKS.values())) == len(KINDS)  # told apart by shape
    for kind in KINDS:
        zh, en = strings.UI[evidence.text_key(kind)]
        assert zh and en and zh != en


# --- Downloads --------------------------------------------------------------------------


def test_every_results_row_has_an_evidence_kind(catalog):
    results = rows(build_exports(catalog)["results.csv"])
    assert results and all(r["evidence"] in KINDS for r in results)
    found = {r["evidence"] for r in results}
    assert {"paper-table", "repository", "rescored"} <= found


def test_a_later_papers_score_of_an_earlier_model_is_rescored(catalog):
    results = rows(build_exports(catalog)["results.csv"])

    def kind(paper: str, model: str, benchmark: str) -> set[str]:
        return {
            r["evidence"]
            for r in results
            if (r["paper"], r["model_id"], r["benchmark_id"]) == (paper, model, benchmark)
        }

    # DeepSeek LLM 67B: its own paper's table, then DeepSeek-V2's re-scoring.
    assert kind("deepseek-llm", "deepseek-llm-67b-base", "mmlu") == {"paper-table"}
    assert kind("deepseek-v2", "deepseek-llm-67b-base", "mmlu") == {"rescored"}
    # A paper's own model in its own table is never a re-scoring.
    assert kind("deepseek-v2", "deepseek-v2", "mmlu") == {"paper-table"}
    # DeepSeek-Coder's evaluation READMEs are the official repository.
    coder = [
        r for r in results if r["table"].startswith("readme-") and r["paper"] == "deepseek-coder"
    ]
    assert coder and {r["evidence"] for r in coder if r["model_id"].startswith("deepseek")} == {
        "repository"
    }


def test_every_models_row_names_the_evidence_of_each_value(catalog):
    models = rows(build_exports(catalog)["models.csv"])
    assert models
    for row in models:
        pairs = dict(part.split("=") for part in row["evidence"].split(" | ") if part)
        shown = {f for f in MODEL_FIELDS if row[f]}
        assert set(pairs) == shown, row["model_id"]
        assert set(pairs.values()) <= KINDS, row["model_id"]
    v2 = next(r for r in models if r["model_id"] == "deepseek-v2")
    assert "total_params=paper-text" in v2["evidence"]  # Section 3.1.2's prose


def test_papers_json_gives_every_source_and_score_its_kind(catalog):
    document = json.loads(build_exports(catalog)["papers.json"])

    def sources(node):
        if isinstance(node, dict):
            if {"kind", "ref", "where"} <= node.keys():
                yield node
            for value in node.values():
                yield from sources(value)
        elif isinstance(node, list):
            for item in node:
                yield from sources(item)

    found = list(sources(document))
    assert found and all(s["evidence"] in KINDS for s in found)
    for paper in document["papers"]:
        for table in paper.get("comparisons", []):
            for row in table["rows"]:
                scored = {m for m, v in row["scores"].items() if v is not None}
                assert set(row["evidence"]) == scored
                assert set(row["evidence"].values()) <= KINDS


# --- Derived values show their formula and inputs ----------------------------------------


def _table(generated, chart_id: str, lang: str = "en"):
    spec = next(s for s in generated.charts if s.id == chart_id)
    hans = HansConverter(generated.catalog.overrides)
    return data_table(spec, lang, hans, generated.catalog)


def test_derived_values_carry_their_formula_and_inputs(generated):
    head, body = _table(generated, "kv-cache-per-token")
    column = head.index("Kind of evidence")
    for row in body:
        # "derived here by a formula: 2 · n_h · d_h · l = 2 · 128 · 128 · 60"
        assert re.match(r"derived here by a formula: .+ = [\d (]", row[column]), row

    head, body = _table(generated, "params-vs-compute")
    column = head.index("Kind of evidence (Training compute (FLOPs))")
    derived_rows = [r for r in body if r[column].startswith("derived")]
    assert derived_rows
    for row in derived_rows:
        assert "C ≈ 6 · N_active · D = 6 · " in row[column], row
    for row in body:
        if not row[column].startswith("derived"):
            assert row[column] in {"paper's table or figure", "paper's text"}, row

    head, _ = _table(generated, "benchmark-deltas-deepseek-v2")
    assert head[3] == f"Difference = {head[1]} − {head[2]}"

    # DeepSeek LLM's M, C = M · D and the batch in tokens, with the model's numbers.
    head, body = _table(generated, "scaling-law-hyperparams")
    column = head.index("Kind of evidence")
    models = [r for r in body if r[column].startswith("derived")]
    assert models
    for row in models:
        assert re.search(r"= 72 · \d+ · \d+² \+ 12 · \d+ · \d+ · \d+; C = M · D", row[column])
        assert re.search(r"; \d+ · \d+ = " + re.escape(row[2]), row[column]), row


def test_every_chart_table_with_numbers_names_their_evidence(generated):
    from generators import strings

    names = [strings.UI[evidence.text_key(kind)][1] for kind in KINDS]
    for spec in generated.charts:
        if spec.decl.kind == "lineage":
            continue  # links between papers: no numbers
        head, body = data_table(spec, "en", HansConverter(()), generated.catalog)
        columns = [i for i, h in enumerate(head) if h.startswith("Kind of evidence")]
        assert columns, spec.id
        for row in body:
            for i in columns:
                assert any(row[i].startswith(n) for n in names), (spec.id, row)


# --- Several sourced values -------------------------------------------------------------


def test_the_two_recorded_disagreements_are_in_the_catalogue(catalog):
    found = {
        (d.model.id, d.field): [value for value, _ in d.readings]
        for d in catalog.fact_disagreements
    }
    assert found[("deepseek-vl-7b-base", "total_params")] == [6.7e9, 7e9, 7e9]
    assert found[("deepseek-vl-7b-chat", "total_params")] == [6.7e9, 7e9, 7e9]
    assert found[("deepseek-vl2-small", "activated_params")] == [2.8e9, 2.8e9, 2.4e9]
    assert found[("deepseek-vl2", "activated_params")] == [4.5e9, 4.5e9, 4.2e9]
    assert found[("deepseek-vl2-tiny", "total_params")] == [3e9, 3.37e9]
    assert found[("deepseek-vl2-small", "total_params")] == [16e9, 16.1e9]
    assert found[("deepseek-vl2", "total_params")] == [27e9, 27.5e9]
    # VL2-Tiny's activated parameters: 1.0B and 1B agree.
    assert ("deepseek-vl2-tiny", "activated_params") not in found
    # The first value listed is the one charts and derived figures use.
    assert catalog.models["deepseek-vl-7b-base"].card.config.total_params.value == 6_700_000_000


def test_the_disagreements_are_in_models_csv(catalog):
    models = {r["model_id"]: r for r in rows(build_exports(catalog)["models.csv"])}
    vl = models["deepseek-vl-7b-base"]
    assert vl["total_params"] == "6700000000"
    assert "total_params=7000000000 (arXiv:2403.05525, Abstract; paper-text)" in vl["other_values"]
    assert "total_params=7000000000 (deepseek-ai/DeepSeek-VL, README.md" in vl["other_values"]
    small = models["deepseek-vl2-small"]
    assert small["activated_params"] == "2800000000"
    assert re.search(
        r"activated_params=2400000000 \(deepseek-ai/DeepSeek-VL2, README\.md, section 4\. "
        r"Quick Start, Gradio Demo[^)]*\); repository\)",
        small["other_values"],
    )
    assert "total_params=16100000000" in small["other_values"]
    assert "activated_params=4200000000" in models["deepseek-vl2"]["other_values"]
    assert "total_params=3370000000" in models["deepseek-vl2-tiny"]["other_values"]
    assert "activated_params" not in models["deepseek-vl2-tiny"]["other_values"]
    assert models["deepseek-v2"]["other_values"] == ""


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("papers/deepseek-vl", ["6.7B", "7B", "Abstract", "2. Release"]),
        ("papers/deepseek-vl2", ["2.8B", "2.4B", "4.5B", "4.2B", "16.1B", "3.37B", "27.5B"]),
    ],
)
def test_the_disagreements_show_on_their_paper_pages(built_site: Path, page, expected):
    html = (built_site / "en" / page / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="disagreements"') :]
    facts = _text(section[: section.index('id="disagreements-scores"')])
    assert "Model facts" in facts
    for value in expected:
        assert value in facts, (page, value)
    # Beside each value, its evidence: a sign with a text alternative in the page's language
    # (followed by "checked against the document" where the value was).
    assert 'aria-label="official repository or model card' in section
    zh = (built_site / page / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="官方程式庫或模型卡' in zh
    hans = (built_site / "zh-Hans" / page / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="官方程序库或模型卡' in hans or 'aria-label="官方程式库或模型卡' in hans


def test_the_compare_table_shows_what_other_sources_give(built_site: Path):
    html = (built_site / "en" / "compare" / "index.html").read_text(encoding="utf-8")
    row = html[html.index('data-model="deepseek-vl2-small"') :]
    row = _text(row[: row.index("</tr>")])
    assert "16B" in row and "(other sources: 16.1B" in row and "(other sources: 2.4B" in row


# --- Bad input --------------------------------------------------------------------------


def test_a_wrong_evidence_override_names_file_line_and_field(project):
    paper = project / "data/papers/deepseek-vl2.yaml"
    line = edit(
        paper,
        "    where: README.md, section 6. Citation\n",
        "    where: README.md, section 6. Citation\n    evidence: paper-table\n",
    )
    (msg,) = problems(project)
    assert msg.startswith(f"data/papers/deepseek-vl2.yaml:{line - 3}: sources.readme-cite"), msg
    assert 'cannot be evidence "paper-table"' in msg

    paper.write_text(
        paper.read_text(encoding="utf-8").replace("evidence: paper-table", "evidence: guessed"),
        encoding="utf-8",
    )
    (msg,) = problems(project)
    assert msg.startswith(f"data/papers/deepseek-vl2.yaml:{line + 1}: sources.readme-cite.evidence")
    assert "'paper-table', 'paper-text' or 'repository'" in msg


def test_a_malformed_list_of_values_names_file_line_and_field(project):
    paper = project / "data/papers/deepseek-vl2.yaml"
    # The third value of DeepSeek-VL2-Small's activated parameters, given as text.
    line = edit(paper, "    - value: 2400000000\n", "    - value: 2.4 billion\n")
    (msg,) = problems(project)
    assert msg.startswith(
        f"data/papers/deepseek-vl2.yaml:{line}: models[1].config.activated_params[2].value"
    ), msg

    # A list item without a source, in a block whose default source is absent.
    paper = project / "data/papers/deepseek-vl.yaml"
    line = edit(
        paper,
        "        - {value: 7_000_000_000, source: abstract}\n",
        "        - {value: 7_000_000_000}\n",
    )
    found = [m for m in problems(project) if "deepseek-vl.yaml" in m]
    assert (
        f"data/papers/deepseek-vl.yaml:{line}: models[0].config.total_params[1].source"
        in (found[0])
    ), found
    assert "required" in found[0]


def test_an_empty_list_of_values_is_an_error(project):
    paper = project / "data/papers/deepseek-vl2.yaml"
    text = paper.read_text(encoding="utf-8")
    start = text.index("    total_params:  # the paper's conclusion")
    end = text.index("    activated_params:", start)
    paper.write_text(text[:start] + "    total_params: []\n" + text[end:], encoding="utf-8")
    (msg,) = problems(project)
    assert "deepseek-vl2.yaml" in msg and "total_params" in msg and "at least one value" in msg
