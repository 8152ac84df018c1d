"""The schema and its error messages: every problem named by file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generators.errors import DataValidationError
from generators.validate import load_and_validate


def problems(project: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_and_validate(project / "data", project)
    return [str(e) for e in info.value.errors]


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a data file; return the 1-based line of the first replacement."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


SEED_PAPERS = {
    "deepseek-llm",
    "deepseekmoe",
    "deepseek-v2",
    "deepseek-coder",
    "deepseek-prover",
    "deepseek-vl",
}
LATER_PAPERS = {
    "deepseekmath",
    "deepseek-coder-v2",
    "deepseek-prover-v1.5",
    "deepseek-vl2",
    "deepseek-v3",
    "deepseek-r1",
    "deepseek-prover-v2",
    "deepseek-v3.2-exp",
    "deepseek-v4",
    "deepseek-ocr-2",
    "janus-pro",
    "deepseekmath-v2",
    "deepseek-grm",
    "deepseek-v3-hardware",
    "deepseek-ocr",
    "deepseek-v3.2",
    "mhc",
    "engram",
    "dspark",
    "dreamcraft3d",
    "esft",
    "fire-flyer-ai-hpc",
    "loss-free-balancing",
    "janus",
    "janusflow",
    "nsa",
}


def test_real_data_is_valid(catalog):
    assert {p.id for p in catalog.papers} >= SEED_PAPERS | LATER_PAPERS
    assert [p.sort_date for p in catalog.papers] == sorted(p.sort_date for p in catalog.papers)
    # DreamCraft3D (arXiv:2310.16818, October 2023) comes before DeepSeek LLM (models 2023-11-29).
    assert [p.id for p in catalog.papers[:2]] == ["dreamcraft3d", "deepseek-llm"]
    assert len(catalog.deepseek_models) >= 50


def test_wrong_type_names_file_line_and_field(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    line = edit(paper, "      layers: 60\n", "      layers: sixty\n")
    (msg,) = problems(project)
    assert msg.startswith(f"data/papers/deepseek-v2.yaml:{line}: models[0].config.layers")
    assert "integer" in msg and "'sixty'" in msg


def test_activated_above_total_is_rejected(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    edit(
        paper,
        "      activated_params: 21_000_000_000\n",
        "      activated_params: 921_000_000_000\n",
    )
    (msg,) = problems(project)
    assert "models[0].config" in msg and "larger than total_params" in msg


def test_missing_field_and_missing_translation(project):
    paper = project / "data/papers/deepseek-vl.yaml"
    text = paper.read_text(encoding="utf-8")
    text = re.sub(r"^coverage:\n(  .*\n)+", "", text, count=1, flags=re.M)
    paper.write_text(text, encoding="utf-8")
    summary = re.search(r"^summary:\n  zh-Hant: .*\n", text, flags=re.M).group(0)
    paper.write_text(text.replace(summary, "summary:\n"), encoding="utf-8")
    found = problems(project)
    assert any(
        m.startswith("data/papers/deepseek-vl.yaml:") and " coverage: is required" in m
        for m in found
    )
    assert any("summary.zh-Hant: is required" in m for m in found)


def _strip_to_abstract(text: str) -> str:
    """A paper cut down to a catalogue entry: no models, tables, claims or citation."""
    for key in (
        "models",
        "claims",
        "comparisons",
        "bibtex",
        "scaling_laws",
        "flops_per_token_definition",
        "allocation_exponents",
        "kv_cache",
    ):
        text = re.sub(rf"^{key}:\n(?:(?:  |\n|#).*\n?)*", "", text, count=1, flags=re.M)
    abstract = (
        "coverage:\n  holds: abstract\n  why: {zh-Hant: 只讀到摘要。, en: Only the abstract.}\n"
    )
    return re.sub(r"^coverage:\n(?:  .*\n)+", abstract, text, count=1, flags=re.M)


def test_a_catalogue_entry_needs_no_models_tables_or_citation(project):
    paper = project / "data/papers/janus-pro.yaml"  # no later paper names its models
    paper.write_text(_strip_to_abstract(paper.read_text(encoding="utf-8")), encoding="utf-8")
    catalog = load_and_validate(project / "data", project)
    entry = next(p for p in catalog.papers if p.id == "janus-pro")
    assert entry.coverage.holds == "abstract" and not entry.models and entry.bibtex is None


def test_coverage_must_match_what_the_paper_holds(project):
    paper = project / "data/papers/deepseekmoe.yaml"
    line = edit(paper, "coverage:\n  holds: tables\n", "coverage:\n  holds: abstract\n")
    (msg,) = problems(project)
    assert msg.startswith(f"data/papers/deepseekmoe.yaml:{line}: coverage:") and "`why`" in msg
    edit(
        paper,
        "  holds: abstract\n",
        "  holds: abstract\n  why: {zh-Hant: 只有摘要。, en: Abstract only.}\n",
    )
    (msg,) = problems(project)
    assert msg.startswith(f"data/papers/deepseekmoe.yaml:{line + 1}: coverage.holds:")
    assert 'says "abstract" but the paper has comparisons' in msg
    edit(paper, "  holds: abstract\n", "  holds: model-card\n")
    found = problems(project)
    assert found and all("comparisons[" in m and "cite the model card" in m for m in found)


def test_a_paper_without_arxiv_needs_a_date_and_cites_its_repository(project):
    paper = project / "data/papers/deepseek-vl.yaml"
    text = paper.read_text(encoding="utf-8")
    text = re.sub(r"^arxiv: .*\n", "", text, count=1, flags=re.M)
    text = re.sub(r"^dates:\n(?:  .*\n)+", "dates: {}\n", text, count=1, flags=re.M)
    paper.write_text(text, encoding="utf-8")
    (msg,) = problems(project)
    assert msg.startswith("data/papers/deepseek-vl.yaml:") and "needs a date" in msg
    edit(paper, "dates: {}\n", "dates:\n  published: {value: 2024-03-08, source: pdf}\n")
    edit(
        paper,
        "sources:\n",
        'sources:\n  pdf: {kind: paper, ref: "deepseek-ai/DeepSeek-VL", where: "Title page"}\n',
    )
    catalog = load_and_validate(project / "data", project)
    entry = next(p for p in catalog.papers if p.id == "deepseek-vl")
    assert entry.arxiv is None and entry.arxiv_url is None
    assert entry.citation_ref == "deepseek-ai/DeepSeek-VL"
    assert entry.first_date.isoformat() == "2024-03-08"
    assert entry.sources["pdf"].link == "https://github.com/deepseek-ai/DeepSeek-VL"


def test_unknown_references_are_all_reported_together(project):
    paper = project / "data/papers/deepseek-llm.yaml"
    edit(paper, "benchmark: mmlu,", "benchmark: mmlu-typo,")
    edit(paper, "baseline: llama2-70b", "baseline: llama-9000")
    edit(paper, "source: t5", "source: t55")
    found = problems(project)
    assert len(found) == 3, found
    assert any('unknown benchmark "mmlu-typo"' in m for m in found)
    assert any('"llama-9000" is not one of the columns' in m for m in found)
    assert any('unknown source alias "t55"' in m for m in found)
    assert all(m.startswith("data/papers/deepseek-llm.yaml:") for m in found)


def test_duplicate_ids_across_files(project):
    baselines = project / "data/baselines.yaml"
    baselines.write_text(
        baselines.read_text(encoding="utf-8") + "- id: deepseek-v2\n  name: Copy\n  org: X\n",
        encoding="utf-8",
    )
    found = problems(project)
    assert any(
        "data/baselines.yaml:" in m and 'duplicate model id "deepseek-v2"' in m for m in found
    )
    assert any(
        "data/papers/deepseek-v2.yaml:" in m and 'duplicate model id "deepseek-v2"' in m
        for m in found
    )


def test_score_outside_benchmark_range(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    text = paper.read_text(encoding="utf-8")
    m = re.search(r"benchmark: mmlu, .*?deepseek-v2: ([0-9.]+)", text)
    assert m
    edit(paper, m.group(0), m.group(0)[: -len(m.group(1))] + "178.5")
    (msg,) = problems(project)
    assert "score 178.5 is outside MMLU's range [0, 100]" in msg


def test_yaml_syntax_error_has_line_and_column(project):
    paper = project / "data/papers/deepseek-prover.yaml"
    paper.write_text("id: deepseek-prover\nname: [unclosed\n", encoding="utf-8")
    found = problems(project)
    assert any(
        re.match(r"data/papers/deepseek-prover.yaml:\d+:\d+: YAML syntax error", m) for m in found
    )


def test_empty_and_non_utf8_files(project):
    (project / "data/papers/deepseek-prover.yaml").write_text("", encoding="utf-8")
    (project / "data/papers/deepseek-vl.yaml").write_bytes("id: x\nname: \xe9\n".encode("latin-1"))
    found = problems(project)
    assert "data/papers/deepseek-prover.yaml:1: the file is empty" in found
    assert any(m.startswith("data/papers/deepseek-vl.yaml:2:") and "not UTF-8" in m for m in found)


def test_non_http_link_is_rejected(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    edit(paper, 'where: "Abstract"}', 'where: "Abstract", url: "javascript:alert(1)"}')
    (msg,) = problems(project)
    assert "sources.abstract.url" in msg and "http" in msg


def test_duplicate_yaml_key_is_an_error(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    edit(paper, "name: DeepSeek-V2\n", "name: DeepSeek-V2\nname: Again\n")
    found = problems(project)
    assert any("appears twice" in m for m in found)


def test_future_dates_and_negative_sizes_are_impossible(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    edit(paper, "value: 2024-05-07", "value: 2999-05-07")
    edit(paper, "      layers: 60\n", "      layers: -60\n")
    found = problems(project)
    assert any("dates.arxiv_v1.value" in m and "2999-05-07 is in the future" in m for m in found)
    assert any("models[0].config.layers.value" in m and "greater than 0" in m for m in found)


def test_unbalanced_bibtex_braces(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    text = paper.read_text(encoding="utf-8")
    m = re.search(r'(\n\s+title: ")([^"]+)"', text[text.index("bibtex:") :])
    assert m
    edit(paper, m.group(0), m.group(1) + m.group(2) + ' }"')
    (msg,) = problems(project)
    assert "bibtex.fields.title" in msg and "balanced" in msg


def test_lines_count_the_schema_comments_at_the_top(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    assert paper.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    line = edit(paper, "\nname: DeepSeek-V2\n", "\nname: [DeepSeek-V2]\n") + 1
    assert line == 6  # two schema comments, %YAML 1.1 and ---, then id:, then name:
    (msg,) = problems(project)
    assert msg.startswith("data/papers/deepseek-v2.yaml:6: name: "), msg


def test_kept_parses_are_reused_only_while_a_file_is_unchanged(small_project):
    """A preview server parses a data file again only when its bytes changed; an edit that
    breaks it is reported at its line, and the mended file loads as a fresh load does."""
    from generators.load import ParsedFiles

    data = small_project / "data"
    parsed = ParsedFiles()
    first = load_and_validate(data, small_project, parsed)
    again = load_and_validate(data, small_project, parsed)
    assert again.documents.keys() == first.documents.keys()
    assert all(again.documents[name] is doc for name, doc in first.documents.items())

    paper = data / "papers" / "deepseek-v2.yaml"
    name = "data/papers/deepseek-v2.yaml"
    line = edit(paper, "deepseek-v2: 78.5", "deepseek-v2: not a score")
    with pytest.raises(DataValidationError) as info:
        load_and_validate(data, small_project, parsed)
    assert [(e.file, e.line) for e in info.value.errors] == [(name, line)]

    edit(paper, "deepseek-v2: not a score", "deepseek-v2: 79.7")
    mended = load_and_validate(data, small_project, parsed)
    assert mended.documents[name] is not first.documents[name]
    others = [n for n in first.documents if n != name]
    assert others and all(mended.documents[n] is first.documents[n] for n in others)
    assert mended == load_and_validate(data, small_project)
    assert "79.7" in repr(mended.papers)
