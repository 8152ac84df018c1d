"""What readers see of the record of checks: the ✓ beside a checked number, the line per
document on a paper's page, and the `checked` columns of the downloads and chart tables.

Made from the fixture catalogue in memory (no MkDocs). Its record
(tests/fixtures/catalogue/data/checks/deepseek-v2.yaml) confirms four numbers of
DeepSeek-V2 that its made-up document backs (the abstract's), and finds one only on its
page; copies of the fixture edit a checked number, or its source, and lose the sign.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from golden import fixture_project

from generators import checks, strings
from generators.charts.plan import data_table
from generators.exports import MODEL_COLUMNS, RESULT_COLUMNS
from generators.i18n import LANGUAGE_CODES, HansConverter
from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.pipeline import Generation, generate
from generators.render import md_escape

PAPER = "data/papers/deepseek-v2.yaml"
RECORD = "data/checks/deepseek-v2.yaml"
REGISTRY = "data/documents.yaml"
DOC_LINE = {
    "en": (
        "{checked} of 5 numbers checked against [deepseek-v2-tech-report.pdf]"
        "(https://example.org/deepseek-v2/0123456789abcdef0123456789abcdef01234567/"
        "deepseek-v2-tech-report.pdf) (deepseek-ai/DeepSeek-V2 at commit 0123456, "
        "SHA-256 000000000000…).<br>"
    ),
    "zh-Hant": (
        "5 個數字中有 {checked} 個已與[deepseek-v2-tech-report.pdf]"
        "(https://example.org/deepseek-v2/0123456789abcdef0123456789abcdef01234567/"
        "deepseek-v2-tech-report.pdf)核對（deepseek-ai/DeepSeek-V2 的提交 0123456，"
        "SHA-256 000000000000…）。<br>"
    ),
}


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


def _text(key: str, lang: str, hans: HansConverter, **fmt: str) -> str:
    """An interface string as the page in *lang* shows it (zh-Hans derived, as the build does)."""
    zh_hant, en = strings.UI[key]
    text = (en if lang == "en" else zh_hant).format(**fmt)
    return hans.convert(text) if lang == "zh-Hans" else text


def _mark(kind_key: str, glyph: str, lang: str, hans: HansConverter, checked: bool) -> str:
    """The evidence sign of one number, as the page writes it."""
    kind = _text(kind_key, lang, hans)
    name = _text("checked_evidence", lang, hans, kind=kind) if checked else kind
    name = html.escape(name, quote=True)
    sign = glyph + ("✓" if checked else "")
    return f'role="img" title="{name}" aria-label="{name}">{sign}</span>'


def _row(page: str, label: str) -> str:
    """The line of a Markdown table whose first cell is *label*."""
    (line,) = [line for line in page.splitlines() if line.startswith(f"| {label} |")]
    return line


def _claim_label(generation: Generation, claim_id: str, lang: str, hans: HansConverter) -> str:
    claim = next(c for c in generation.catalog.paper("deepseek-v2").claims if c.id == claim_id)
    if lang == "en":
        return claim.label.en
    return hans.convert(claim.label.zh_Hant) if lang == "zh-Hans" else claim.label.zh_Hant


# --- The sign -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_a_confirmed_number_shows_the_sign_with_its_name(fixture_generation, hans, lang):
    page = _page(fixture_generation, "papers/deepseek-v2", lang)
    checked = _mark("evidence_paper_text", "¶", lang, hans, checked=True)
    plain = _mark("evidence_paper_text", "¶", lang, hans, checked=False)
    # Confirmed and unchanged: the training cost claim (the abstract).
    row = _row(page, _claim_label(fixture_generation, "training-cost", lang, hans))
    assert checked in row and plain not in row
    # Found on its page only: no sign.
    row = _row(page, _claim_label(fixture_generation, "generation-throughput", lang, hans))
    assert plain in row and "✓" not in row
    # A model fact: the context length is checked; of the total parameters' two sources,
    # only the abstract's (the second value) is.
    context = _row(page, _text("context_length", lang, hans))
    assert context.split(" | ")[1].endswith(checked)
    total = _row(page, _text("total_params", lang, hans)).split(" | ")[1]
    assert total.count("✓") == 1 and total.endswith(checked)
    # The sign's name says it in the page's language.
    name = _text("checked", lang, hans)
    assert name in checked
    if lang == "zh-Hans":
        assert name != strings.UI["checked"][0]  # derived, not the zh-Hant text


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_legend_names_the_sign_once_the_site_shows_one(fixture_generation, hans, lang):
    entry = f'<span class="dsp-ev" aria-hidden="true">✓</span> {_text("checked", lang, hans)}'
    for path in ("papers/deepseek-v2", "papers/deepseek-llm", "index", "compare"):
        (legend,) = [
            line
            for line in _page(fixture_generation, path, lang).splitlines()
            if line.startswith(_text("evidence_legend", lang, hans) + _text("colon", lang, hans))
        ]
        assert legend.endswith(entry), path


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_sign_shows_on_the_other_pages_of_a_checked_number(fixture_generation, hans, lang):
    checked = _mark("evidence_paper_text", "¶", lang, hans, checked=True)
    home = _page(fixture_generation, "index", lang)
    assert checked in home  # the timeline's claims
    topic = _page(fixture_generation, "topics/mixture-of-experts", lang)
    assert topic.count(checked) == 2  # the two checked claims of DeepSeek-V2's list
    compare = _page(fixture_generation, "compare", lang)
    assert compare.count(checked) == 1  # the context length (the total's first value is not)


# --- The line per document ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_the_paper_page_says_how_many_numbers_each_document_vouches_for(
    fixture_generation, hans, lang
):
    page = _page(fixture_generation, "papers/deepseek-v2", lang)
    assert DOC_LINE[lang].format(checked=4) in page
    unbacked = fixture_generation.catalog.paper_checks("deepseek-v2").unbacked
    assert unbacked > 1
    assert _text("checks_unbacked", lang, hans, count=str(unbacked)) + "<br>" in page
    other = _page(fixture_generation, "papers/deepseek-llm", lang)
    assert _text("checks_none", lang, hans) + "<br>" in other
    assert "checks_tally" not in other and DOC_LINE[lang][:8] not in other


def test_the_lines_in_zh_hans_are_derived(fixture_generation, hans):
    page = _page(fixture_generation, "papers/deepseek-v2", "zh-Hans")
    line = hans.convert(DOC_LINE["zh-Hant"].format(checked=4))
    assert line != DOC_LINE["zh-Hant"].format(checked=4) and line in page


# --- Edits take the sign away ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  value: 42.5\n", "  value: 42.6\n"),  # the claim's value
        ("    where: Abstract\n", "    where: Abstract, first paragraph\n"),  # its source
    ],
    ids=["value", "where"],
)
def test_an_edit_of_a_checked_number_or_its_source_takes_the_sign_away(
    tmp_path, fixture_generation, hans, old, new
):
    project = fixture_project(tmp_path / "project")
    _edit(project, PAPER, old, new)
    edited = _generate(project)
    for lang in LANGUAGE_CODES:
        label = _claim_label(edited, "training-cost", lang, hans)
        before = _row(_page(fixture_generation, "papers/deepseek-v2", lang), label)
        after = _row(_page(edited, "papers/deepseek-v2", lang), label)
        assert "✓" in before and "✓" not in after, lang
        assert _mark("evidence_paper_text", "¶", lang, hans, checked=False) in after
    # The count drops: one number for the value, all four of the abstract for its `where`.
    found = edited.catalog.paper_checks("deepseek-v2")
    checked = 3 if "value" in old else 0
    assert [t.checked for t in found.tallies] == [checked]
    for lang in ("zh-Hant", "en"):
        assert DOC_LINE[lang].format(checked=checked) in _page(edited, "papers/deepseek-v2", lang)


def test_without_a_record_no_number_is_signed_and_the_legend_is_as_before(tmp_path, hans):
    project = fixture_project(tmp_path / "project")
    (project / RECORD).unlink()
    generation = _generate(project)
    for name, content in generation.files.items():
        if name.endswith(".md"):
            assert "✓" not in content.decode("utf-8"), name
    for lang in LANGUAGE_CODES:
        page = _page(generation, "papers/deepseek-v2", lang)
        assert _text("checked", lang, hans) not in page
        # The legend ends with the last kind of evidence, as before there were checks.
        last = f'aria-hidden="true">↻</span> {_text("evidence_rescored", lang, hans)}\n'
        assert last in page
        # The line per document is still there: no number is checked against it.
        if lang != "zh-Hans":
            assert DOC_LINE[lang].format(checked=0) in page
    # The chart tables keep their columns as before.
    spec = next(s for s in generation.charts if s.id == "benchmark-deltas-deepseek-v2")
    head, _ = data_table(spec, "en", hans, generation.catalog)
    assert head[-1] == "Kind of evidence"
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
    which shows the first value, names the field, and the paper page signs both values."""
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
    for lang in LANGUAGE_CODES:
        page = _page(generation, "papers/deepseek-v2", lang)
        total = _row(page, _text("total_params", lang, hans)).split(" | ")[1]
        assert total.count(_mark("evidence_paper_text", "¶", lang, hans, checked=True)) == 2


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


def _deltas_mmlu(generation: Generation, lang: str, hans: HansConverter) -> list[str]:
    spec = next(s for s in generation.charts if s.id == "benchmark-deltas-deepseek-v2")
    head, rows = data_table(spec, lang, hans, generation.catalog)
    (row,) = [r for r in rows if r[0].startswith("MMLU")]
    return [head[-1], row[-1]]


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


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_a_checked_score_shows_the_sign_in_its_table_and_on_its_benchmark(scored, hans, lang):
    checked = _mark("evidence_paper_table", "▦", lang, hans, checked=True)
    page = _page(scored, "papers/deepseek-v2", lang)
    (row,) = [line for line in page.splitlines() if line.startswith("| [MMLU (Acc.)]")]
    assert row.count(checked) == 2 and row.count("✓") == 2
    bench = _page(scored, "benchmarks/mmlu", lang)
    scores = [line for line in bench.splitlines() if line.startswith('<td class="dsp-num">')]
    signed = [line for line in scores if "✓" in line]
    assert len(scores) > 2 and len(signed) == 2 and all(checked in line for line in signed)
    # The document's tally counts them: 4 + 2 of the 5 + 40 numbers it now backs.
    assert [(t.checked, t.backed) for t in scored.catalog.paper_checks("deepseek-v2").tallies] == [
        (6, 45)
    ]


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_chart_tables_say_which_numbers_were_checked(fixture_generation, scored, hans, lang):
    head, cell = _deltas_mmlu(scored, lang, hans)
    yes, no = _text("yes", lang, hans), _text("no", lang, hans)
    numbers = "DeepSeek-V2 / Mixtral 8x22B"
    assert head == _text("checked_column_of", lang, hans, numbers=numbers)
    assert cell == f"{yes} / {yes}"
    assert _deltas_mmlu(fixture_generation, lang, hans)[1] == f"{no} / {no}"
    trend = next(s for s in scored.charts if s.id == "benchmark-trend-mmlu")
    head, rows = data_table(trend, lang, hans, scored.catalog)
    assert head[-1] == _text("checked_column", lang, hans)
    v2 = [r for r in rows if r[2] == "DeepSeek-V2"]
    assert [r[-1] for r in v2] == [yes]


def test_an_edited_score_loses_its_sign_and_its_check(tmp_path, scored_project, hans):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(scored_project, project, symlinks=True)
    old = "      deepseek-v2: 78.5\n"
    _edit(project, PAPER, old, "      deepseek-v2: 78.4\n")
    edited = _generate(project)
    assert _mmlu(edited)["deepseek-v2"] == "false" and _mmlu(edited)["mixtral-8x22b"] == "true"
    page = _page(edited, "papers/deepseek-v2", "en")
    (row,) = [line for line in page.splitlines() if line.startswith("| [MMLU (Acc.)]")]
    assert row.count("✓") == 1
    assert re.search(r"78\.4<span[^>]*>▦</span>", row)
    assert _deltas_mmlu(edited, "en", hans)[1] == "no / yes"
