"""The generated Markdown: every page in three languages, with the structure readers need."""

from __future__ import annotations

import re

import pytest

from generators.i18n import LANGUAGE_CODES


def page(generated, path: str, lang: str) -> str:
    return generated.files[f"{path}.{lang}.md"].decode("utf-8")


def test_every_page_exists_in_every_language(generated):
    for spec in generated.pages:
        for lang in LANGUAGE_CODES:
            assert f"{spec.path}.{lang}.md" in generated.files


def test_one_page_per_paper_and_the_fixed_pages(generated):
    paths = {p.path for p in generated.pages}
    for paper in generated.catalog.papers:
        assert f"papers/{paper.id}" in paths
    expected = {"index", "compare", "glossary", "about", "changes", "downloads", "papers/index"}
    assert expected <= paths
    topics = {p for p in paths if p.startswith("topics/")}
    assert topics == {f"topics/{line.topic}" for line in generated.catalog.lines}
    assert {"topics/scaling-laws", "topics/mixture-of-experts", "topics/multimodal"} <= topics


def test_paper_page_sections(generated):
    for lang, headings in {
        "zh-Hant": [
            "## 摘要",
            "## 核心想法",
            "## 模型設定",
            "## 重點數字",
            "## 評測結果",
            "## 引用本文",
        ],
        "en": [
            "## Summary",
            "## Key ideas",
            "## Model configurations",
            "## Headline claims",
            "## Results",
            "## Cite this paper",
        ],
        "zh-Hans": [
            "## 摘要",
            "## 核心想法",
            "## 模型设置",
            "## 重点数字",
            "## 评测结果",
            "## 引用本文",
        ],
    }.items():
        text = page(generated, "papers/deepseek-v2", lang)
        positions = [text.index(h) for h in headings]
        assert positions == sorted(positions), lang


def test_numbers_carry_footnotes_that_link_to_the_source(generated):
    text = page(generated, "papers/deepseek-v2", "en")
    total = re.search(r"^\| Total parameters \|(.*)$", text, re.M).group(1)
    assert "236B[^" in total
    note = re.search(r"\[\^(\d+)\]", total).group(1)
    definition = re.search(rf"^\[\^{note}\]: \[(.+?)\]\((.+?)\)$", text, re.M)
    assert definition and definition.group(2) == "https://arxiv.org/abs/2405.04434"


def test_results_table_shows_the_difference_against_the_baseline(generated, catalog):
    text = page(generated, "papers/deepseek-llm", "en")
    table = catalog.paper("deepseek-llm").comparisons[0]
    row = next(r for r in table.rows if r.benchmark == "gsm8k")
    expected = row.scores[table.headline] - row.scores[table.baseline]
    line = next(
        ln
        for ln in text.splitlines()
        if ln.startswith(f"| [{row.label}](../benchmarks/{row.benchmark}.md) |")
        and row.setting in ln
    )
    sign = "+" if expected > 0 else "−"
    assert line.rstrip(" |").endswith(("▲", "▼")) and f"{sign}{abs(expected):.4g}" in line
    labels = {column.model: column.label for column in table.columns}
    assert f"“Difference” is {labels[table.headline]} minus {labels[table.baseline]}" in text


def test_bibtex_block_is_the_official_citation(generated):
    text = page(generated, "papers/deepseek-v2", "zh-Hant")
    block = re.search(r"```bibtex\n(.*?)```", text, re.S).group(1)
    assert block.startswith("@misc{deepseekv2,")
    assert (
        "title = {DeepSeek-V2: A Strong, Economical, and Efficient Mixture-of-Experts Language Model}"
        in block
    )


def test_home_page_has_thesis_lines_and_timeline_in_date_order(generated, catalog):
    text = page(generated, "index", "en")
    assert "Open source" in text and "Longtermism" in text
    timeline = text[text.index("## Timeline of the papers") :]
    order = [timeline.index(f"(papers/{p.id}.md)") for p in catalog.papers]
    assert order == sorted(order)
    dates = [p.sort_date for p in catalog.papers]
    assert dates == sorted(dates)


def test_scaling_law_formulas_are_math(generated):
    text = page(generated, "topics/scaling-laws", "en")
    assert "$$\nB_{opt} = 0.2920 \\cdot C^{0.3271}\n$$" in text
    assert "\\eta_{opt} = 0.3118 \\cdot C^{-0.1250}" in text


def test_moe_topic_compares_expert_layouts_from_data(generated, catalog):
    text = page(generated, "topics/mixture-of-experts", "en")
    section = text[text.index("## Expert layouts compared") :]
    for model_id in ("deepseekmoe-16b-base", "deepseek-v2", "gshard-2b"):
        assert catalog.models[model_id].name in section


def test_comparison_page_lists_every_model_sortably(generated, catalog):
    text = page(generated, "compare", "en")
    assert 'class="dsp-sortable"' in text
    for entry in catalog.deepseek_models:
        assert f"[{entry.name}](papers/{entry.paper.id}.md#models)".replace("_", "\\_") in text
    # Raw counts drive sorting, formatted values are shown.
    assert 'data-sort="236000000000">236B<span class="dsp-ev dsp-ev--paper-text"' in text


def test_glossary_has_an_anchor_per_term(generated, catalog):
    text = page(generated, "glossary", "zh-Hant")
    for term in catalog.glossary:
        assert f"{{ #{term.id} }}" in text


def test_downloads_page_describes_every_column(generated):
    from generators.exports import EXPORTS

    text = page(generated, "downloads", "en")
    for export in EXPORTS:
        assert f"[{export.name}](downloads/{export.name})" in text
        for column in export.columns:
            assert f"| `{column.name}` |" in text


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_downloads_page_lists_every_data_schema(generated, lang):
    from generators.json_schema import PUBLISHED

    text = page(generated, "downloads", lang)
    assert "{ #schema }" in text
    for kind in PUBLISHED:
        link = f"[{kind.schema_file}](downloads/schema/{kind.schema_file}) | `data/{kind.path}` |"
        assert link in text, kind.schema_file
        assert generated.files[f"downloads/schema/{kind.schema_file}"]


def test_data_text_is_escaped(generated):
    """Titles with Markdown-significant characters appear escaped, not as syntax."""
    text = page(generated, "papers/deepseek-coder", "en")
    assert (
        "*DeepSeek-Coder: When the Large Language Model Meets Programming -- The Rise of Code Intelligence*"
        in text
    )


def test_disagreeing_sources_are_shown_side_by_side(generated, catalog):
    """DeepSeek 67B's HumanEval score differs between its own paper and the V2 paper: both show."""
    found = [
        d
        for d in catalog.disagreements
        if d.model == "deepseek-llm-67b-base" and d.benchmark == "humaneval"
    ]
    assert len(found) == 1
    scores = {(s.paper, s.score) for s in found[0].scores}
    assert {p for p, _ in scores} == {"deepseek-llm", "deepseek-v2"}
    for paper in ("deepseek-llm", "deepseek-v2"):
        text = page(generated, f"papers/{paper}", "en")
        section = text[text.index("## Where sources disagree") :]
        for _, score in scores:
            # The score, then the sign of its kind of evidence.
            assert f'| {score:g}<span class="dsp-ev ' in section
        assert "arXiv:2401.02954" in section and "arXiv:2405.04434" in section


def test_readme_and_paper_disagreement_is_kept(catalog):
    """The Coder README and paper print different HumanEval scores for Instruct 6.7B."""
    found = [d for d in catalog.disagreements if d.model == "deepseek-coder-6.7b-instruct"]
    kinds = {s.source.kind for d in found for s in d.scores}
    assert kinds == {"paper", "readme"}


def test_lineage_page_lists_every_link_with_its_source(generated, catalog):
    text = page(generated, "lineage", "en")
    assert catalog.lineage and catalog.lineage.links
    for i, link in enumerate(catalog.lineage.links, start=1):
        row = next(ln for ln in text.splitlines() if ln.startswith(f"| {i} |"))
        assert f"(papers/{link.from_}.md)" in row and f"(papers/{link.to}.md)" in row
        assert link.source.ref in row
    # The threads the issue names are all backed by a stated link.
    pairs = {(link.from_, link.to) for link in catalog.lineage.links}
    assert {
        ("deepseekmoe", "deepseek-v2"),
        ("deepseek-v2", "deepseek-v3"),
        ("deepseekmath", "deepseek-r1"),
        ("deepseek-coder", "deepseek-coder-v2"),
        ("deepseek-coder-v2", "deepseek-v3"),
        ("deepseek-vl", "deepseek-vl2"),
        ("deepseek-vl2", "janus-pro"),
    } <= pairs
    generations = text[text.index("## Architecture across generations") :]
    for model_id in catalog.lineage.generations:
        assert catalog.models[model_id].name in generations


def test_a_new_paper_file_alone_joins_the_site(project):
    """A maintainer adds one YAML file: its page, the timeline, the comparison table and the
    parameters-vs-compute chart all include it, with no code change."""
    import yaml

    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.pipeline import generate

    source = yaml.safe_load((project / "data/papers/deepseek-v2.yaml").read_text(encoding="utf-8"))
    source.update(id="deepseek-fixture", name="DeepSeek-Fixture", arxiv="2412.99999")
    source["models"] = [
        {
            "id": "deepseek-fixture-base",
            "name": "DeepSeek-Fixture Base",
            "variant": "base",
            "released": True,
            "architecture": "moe",
            "config": {
                "source": "abstract",
                "total_params": 500_000_000_000,
                "activated_params": 30_000_000_000,
                "training_tokens": 10_000_000_000_000,
                "routed_experts": 128,
                "shared_experts": 1,
                "activated_experts": 8,
            },
        },
    ]
    source["claims"], source["comparisons"] = [], []
    source["coverage"] = {
        "holds": "abstract",
        "why": {"zh-Hant": "只有摘要。", "en": "Abstract only."},
    }
    for date in source["dates"].values():
        date["value"] = "2024-12-30"
    (project / "data/papers/deepseek-fixture.yaml").write_text(
        yaml.safe_dump(source, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    generated = generate(BuildOptions(paths=ProjectPaths.at(project), charts=False))
    assert "papers/deepseek-fixture.en.md" in generated.files
    home = generated.files["index.en.md"].decode("utf-8")
    assert "[DeepSeek-Fixture](papers/deepseek-fixture.md)" in home[home.index("## Timeline") :]
    assert "DeepSeek-Fixture Base" in generated.files["compare.en.md"].decode("utf-8")
    specs = {s.id: s for s in generated.charts}
    assert any(
        p.model == "deepseek-fixture-base" for p in specs["params-vs-compute"].data.payload.points
    )
    assert any(e.paper == "deepseek-fixture" for e in specs["release-timeline"].data.payload.events)


def test_a_catalogue_entry_says_what_the_site_holds(project):
    """A paper known only by its abstract: no arXiv id, models, tables or citation; its page,
    the papers index and papers.json say what the site holds for it and why."""
    import json

    import yaml

    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.pipeline import generate

    source = yaml.safe_load((project / "data/papers/deepseek-v2.yaml").read_text(encoding="utf-8"))
    for key in ("arxiv", "bibtex", "kv_cache"):
        source.pop(key, None)
    source.update(id="deepseek-entry", name="DeepSeek-Entry", models=[], claims=[], comparisons=[])
    source["sources"]["pdf"] = {
        "kind": "paper",
        "ref": "deepseek-ai/DeepSeek-Entry",
        "where": "Title page",
    }
    source["dates"] = {"published": {"value": "2025-01-02", "source": "pdf"}}
    why = {
        "zh-Hant": "官方儲存庫沒有這篇論文的 PDF。",
        "en": "No official repository holds the PDF.",
    }
    source["coverage"] = {"holds": "abstract", "why": why}
    (project / "data/papers/deepseek-entry.yaml").write_text(
        yaml.safe_dump(source, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    generated = generate(BuildOptions(paths=ProjectPaths.at(project), charts=False))
    for lang, note, reason in (
        ("en", "only what its abstract, README or first page states", why["en"]),
        ("zh-Hant", "只收錄摘要、README 或首頁所陳述的內容", why["zh-Hant"]),
        ("zh-Hans", "只收录摘要、README 或首页所陈述的内容", "官方仓库没有这篇论文的 PDF。"),
    ):
        text = page(generated, "papers/deepseek-entry", lang)
        assert note in text and reason in text
        assert "#models }" not in text and "#cite }" not in text and "arxiv.org" not in text
        index = page(generated, "papers/index", lang)
        entry = index[index.index("(deepseek-entry.md)") :].split("\n## ")[0]
        assert "arXiv" not in entry
    en_index = page(generated, "papers/index", "en")
    assert "On this site: the abstract and README only" in en_index
    assert "On this site: the paper's main results tables" in en_index
    papers = json.loads(generated.files["downloads/papers.json"])["papers"]
    entry = next(p for p in papers if p["id"] == "deepseek-entry")
    assert entry["coverage"] == {"holds": "abstract", "why": why} and "arxiv" not in entry


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_home_page_is_a_landing_page(generated, catalog, lang):
    """Newest papers first, then the ways in, then the source article's story as the opening chapter."""
    text = page(generated, "index", lang)
    newest = text[text.index("{ #newest }") : text.index("{ #ways-in }")]
    shown = re.findall(r"^### \[[^\]]+\]\(papers/([^)]+)\.md\)", newest, flags=re.M)
    latest = sorted(catalog.papers, key=lambda p: p.sort_date, reverse=True)
    assert shown and shown == [p.id for p in latest[: len(shown)]]
    ways = text[text.index("{ #ways-in }") : text.index("{ #story }")]
    for target in ("papers/index.md", "compare.md", "benchmarks/index.md", "lineage.md", "#lines"):
        assert f"]({target})" in ways
    assert text.index("{ #story }") < text.index("{ #lines }") < text.index("{ #timeline }")
