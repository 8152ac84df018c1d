"""The downloads match the data: every score, every model, every citation."""

from __future__ import annotations

import csv
import io
import json

from generators.exports import MODEL_COLUMNS, RESULT_COLUMNS, build_exports


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_results_csv_has_one_row_per_score(catalog):
    results = rows(build_exports(catalog)["results.csv"])
    assert len(results) == len(catalog.scores)
    assert list(results[0])[:7] == [
        "paper",
        "model",
        "benchmark",
        "setting",
        "metric",
        "score",
        "source",
    ]
    assert [c.name for c in RESULT_COLUMNS] == list(results[0])


def test_results_csv_values_match_the_paper_tables(catalog):
    results = rows(build_exports(catalog)["results.csv"])
    v2 = next(
        r
        for r in results
        if r["paper"] == "deepseek-v2"
        and r["model_id"] == "deepseek-v2"
        and r["benchmark_id"] == "mmlu"
    )
    table = catalog.paper("deepseek-v2").comparisons[0]
    row = next(r for r in table.rows if r.benchmark == "mmlu")
    assert float(v2["score"]) == row.scores["deepseek-v2"]
    assert v2["model"] == "DeepSeek-V2" and v2["source"].startswith("arXiv:2405.04434, Table 2")


def test_models_csv_counts_are_plain_integers(catalog):
    models = {r["model_id"]: r for r in rows(build_exports(catalog)["models.csv"])}
    assert len(models) == len(catalog.deepseek_models)
    assert models["deepseek-v2"]["total_params"] == "236000000000"
    assert models["deepseek-v2"]["activated_params"] == "21000000000"
    assert models["deepseek-v2"]["training_tokens"] == "8100000000000"
    for row in models.values():
        for column in (
            "total_params",
            "activated_params",
            "training_tokens",
            "context_length",
            "layers",
        ):
            assert row[column] == "" or row[column].isdigit(), (
                row["model_id"],
                column,
                row[column],
            )
        has_values = any(
            row[c] for c in ("total_params", "layers", "training_tokens", "context_length")
        )
        assert bool(row["source"]) == has_values or row["source"], row["model_id"]
    assert {c.name for c in MODEL_COLUMNS} >= {
        "model",
        "paper",
        "total_params",
        "activated_params",
        "training_tokens",
        "context_length",
        "layers",
        "hidden_size",
        "attention",
        "source",
    }


def test_papers_json_round_trips_the_data(catalog):
    document = json.loads(build_exports(catalog)["papers.json"])
    assert [p["id"] for p in document["papers"]] == [p.id for p in catalog.papers]
    v2 = next(p for p in document["papers"] if p["id"] == "deepseek-v2")
    assert v2["summary"]["zh-Hant"] and v2["summary"]["en"]
    assert v2["models"][0]["config"]["total_params"]["value"] == 236_000_000_000
    assert v2["models"][0]["config"]["total_params"]["source"]["ref"] == "arXiv:2405.04434"


def test_bibtex_has_an_entry_per_paper(catalog):
    bib = build_exports(catalog)["deepseek-papers.bib"]
    keys = [line.split("{", 1)[1].rstrip(",") for line in bib.splitlines() if line.startswith("@")]
    assert keys == [p.bibtex.key for p in catalog.papers if p.bibtex is not None]
    assert len(set(keys)) == len(keys)


def test_exports_are_deterministic(catalog):
    assert build_exports(catalog) == build_exports(catalog)
