"""`dspapers verify`: numbers looked up in documents the tests make themselves.

The PDF is drawn with matplotlib from the fixture paper's own results table, with its
caption on the first page and the table running on to the second, footnote marks and a
value written as a fraction, so the verifier reads it as it reads a paper.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from conftest import CACHE
from golden import fixture_project

from generators.cli import main
from generators.verify import locate, numbers
from generators.verify.judge import judge
from generators.verify.reading import DocumentText
from generators.verify.targets import Target

PAPER = "data/papers/deepseek-v2.yaml"
DOC_ID = "fixture-report"


def _paper(project: Path) -> dict:
    text = (project / PAPER).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---\n", 1)[1])


def _table(project: Path) -> dict:
    return next(c for c in _paper(project)["comparisons"] if c["source"] == "t2")


def _cell(value: float | None, mark: str = "") -> str:
    return "-" if value is None else f"{value}{mark}"


def _draw_pdf(path: Path, table: dict, rows_on_first_page: int) -> None:
    """The table as a paper prints it: caption on page 1, the rest of its rows on page 2."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    models = [c["model"] for c in table["columns"]]
    rows = table["rows"]
    with PdfPages(path) as pdf:
        for page, chunk in enumerate((rows[:rows_on_first_page], rows[rows_on_first_page:])):
            fig = plt.figure(figsize=(8.5, 11))
            y = 0.95
            if page == 0:
                fig.text(0.05, y, f"Table 2 | {table['title']['en']}. Bold marks the best.")
                y -= 0.04
                fig.text(0.05, y, "Benchmark (Metric)")
                for i, col in enumerate(table["columns"]):
                    fig.text(0.42 + 0.1 * i, y, col["label"], fontsize=6)
                y -= 0.03
            for r, row in enumerate(chunk):
                fig.text(0.05, y, row["label"], fontsize=8)
                fig.text(0.30, y, str(row.get("setting", "")), fontsize=8)
                for i, model in enumerate(models):
                    mark = "*" if (page, r, i) == (0, 0, 0) else ""  # a footnote mark
                    fig.text(0.42 + 0.1 * i, y, _cell(row["scores"].get(model), mark), fontsize=8)
                y -= 0.025
            fig.text(0.05, 0.03, "Some prose after the table mentions 12.345 only.")
            pdf.savefig(fig)
            plt.close(fig)


def _register(project: Path, pdf: Path, sha256: str | None = None) -> None:
    digest = sha256 or hashlib.sha256(pdf.read_bytes()).hexdigest()
    (project / "data/documents.yaml").write_text(
        "%YAML 1.1\n---\ndocuments:\n"
        f"  - id: {DOC_ID}\n"
        '    title: "Fixture report"\n'
        "    format: pdf\n"
        f'    url: "http://127.0.0.1:9/{DOC_ID}.pdf"\n'
        f'    sha256: "{digest}"\n'
        "    backs:\n"
        "      deepseek-v2: [t2]\n",
        encoding="utf-8",
    )


@pytest.fixture
def verified(tmp_path: Path) -> Path:
    """A fixture project whose Table 2 is backed by a PDF drawn from its own rows."""
    project = fixture_project(tmp_path / "p")
    sources = project / ".sources"
    sources.mkdir()
    pdf = sources / f"{DOC_ID}.pdf"
    rows = _table(project)["rows"]
    _draw_pdf(pdf, _table(project), rows_on_first_page=max(1, len(rows) // 2))
    _register(project, pdf)
    return project


def _verify(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(project), "--cache-dir", str(CACHE), "verify", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _set_score(project: Path, row_label: str, model: str, value: str) -> int:
    """Rewrite one score of the t2 table in the paper file; its line."""
    path = project / PAPER
    text = path.read_text(encoding="utf-8")
    start = text.index(f"label: {row_label}\n")
    scores = text.index("scores:", start)
    key = re.compile(rf"^(\s+{re.escape(model)}: )(\S+)$", re.M)
    m = key.search(text, scores)
    assert m is not None
    path.write_text(text[: m.start(2)] + value + text[m.end(2) :], encoding="utf-8")
    return text[: m.start(2)].count("\n") + 1


def test_every_number_of_the_drawn_table_is_confirmed(verified, capsys):
    code, out, err = _verify(verified, capsys)
    table = _table(verified)
    numbers_in_table = sum(v is not None for row in table["rows"] for v in row["scores"].values())
    assert code == 0, out + err
    assert f"{numbers_in_table} confirmed" in out
    assert "0 not found" in out


def test_a_changed_value_is_reported_at_its_file_and_line(verified, capsys):
    table = _table(verified)
    row = table["rows"][-1]  # on the second page: the table continues there
    model = next(m for m, v in row["scores"].items() if v is not None)
    line = _set_score(verified, row["label"], model, "12.5")
    code, out, _err = _verify(verified, capsys)
    assert code == 1
    expected = f"{PAPER}:{line}: comparisons[base-models].rows[{row['label']}"
    found = [x.strip() for x in out.splitlines() if x.strip().startswith(expected)]
    assert found, out
    assert found[0].endswith(f'scores.{model}: value 12.5 not in Table 2 row "{row["label"]}"')
    assert "1 not found" in out


def test_a_value_in_the_wrong_row_is_page_only(verified, capsys):
    table = _table(verified)
    first, second = table["rows"][0], table["rows"][1]
    model = next(m for m, v in first["scores"].items() if v is not None)
    # The first row's score, written into the second row: printed on the page, not in its row.
    elsewhere = next(
        v for v in first["scores"].values() if v is not None and v not in second["scores"].values()
    )
    target = next(m for m, v in second["scores"].items() if v is not None and m != model)
    _set_score(verified, second["label"], target, str(elsewhere))
    code, out, _err = _verify(verified, capsys)
    assert "1 page only" in out, out
    assert code == 0  # page only is not a failure: nothing is "not found"


def test_two_swapped_columns_are_reported(verified, capsys):
    table = _table(verified)
    first, second = (c["model"] for c in table["columns"][:2])
    path = verified / PAPER
    text = path.read_text(encoding="utf-8")
    # The two columns' scores exchanged in every row: each value is still in its row.
    swapped = re.sub(
        rf"^(\s+)({re.escape(first)}|{re.escape(second)}): ",
        lambda m: f"{m[1]}{second if m[2] == first else first}: ",
        text,
        flags=re.M,
    )
    path.write_text(swapped, encoding="utf-8")
    code, out, _err = _verify(verified, capsys)
    assert code == 1
    flagged = [x for x in out.splitlines() if x.endswith("in another column's place")]
    # The header is printed on the first page: the rows there are judged by it.
    first_page = table["rows"][: max(1, len(table["rows"]) // 2)]
    rows_with_both = sum(
        1
        for row in first_page
        if row["scores"].get(first) is not None
        and row["scores"].get(second) is not None
        and row["scores"][first] != row["scores"][second]
    )
    assert rows_with_both >= 2
    assert len(flagged) == 2 * rows_with_both, out
    assert all(f"scores.{first}:" in x or f"scores.{second}:" in x for x in flagged)


def test_a_missing_document_says_so_in_one_line(verified, capsys):
    (verified / ".sources" / f"{DOC_ID}.pdf").unlink()
    code, out, err = _verify(verified, capsys)
    assert code != 0
    assert f"documents[{DOC_ID}]" in err and 'is missing; run "dspapers documents fetch"' in err
    assert "Traceback" not in err


def test_a_document_with_another_hash_is_refused(verified, capsys):
    pdf = verified / ".sources" / f"{DOC_ID}.pdf"
    _register(verified, pdf, sha256="0" * 64)
    code, _out, err = _verify(verified, capsys)
    assert code != 0
    assert "has SHA-256" in err and "the registry expects 000000000000" in err


def test_record_then_edit_makes_the_number_unchecked(verified, capsys):
    from generators.catalog import Catalog
    from generators.validate import load_and_validate

    code, out, _err = _verify(verified, capsys, "--record")
    assert code == 0 and "recorded in data/checks/deepseek-v2.yaml" in out

    def checked() -> set[tuple[str, str, str]]:
        data = load_and_validate(verified / "data", verified)
        return {
            (s.benchmark_label, s.setting, s.model) for s in Catalog.build(data).scores if s.checked
        }

    before = checked()
    row = _table(verified)["rows"][0]
    model = next(m for m, v in row["scores"].items() if v is not None)
    assert (row["label"], row.get("setting", ""), model) in before
    _set_score(verified, row["label"], model, "12.5")
    after = checked()
    assert (row["label"], row.get("setting", ""), model) not in after
    assert len(after) == len(before) - 1
    # `dspapers check` names it; the data stays valid.
    assert main(["--root", str(verified), "--cache-dir", str(CACHE), "check"]) == 0
    err = capsys.readouterr().err
    assert f"scores.{model}: changed since it was checked" in err


def _target(value: float, label: str, *, siblings: tuple[float, ...] = ()) -> Target:
    return Target(
        name="n",
        kind="score",
        value=value,
        alias="a",
        line=1,
        field="f",
        row_labels=(label, "Model"),
        siblings=siblings,
    )


README = DocumentText(
    pages=(
        (
            "## Evaluation",
            "| Benchmark | Shots | DeepSeek-V2 | Other |",
            "|---|---|---|---|",
            "| MMLU (Acc.) | 5-shot | **78.5** | 77.6 |",
            "| GSM8K | 8-shot | 79.2<sup>†</sup> | 65.3 ± 0.4 |",
            "| Solved | - | 12/20 | - |",
        ),
    )
)


@pytest.mark.parametrize(
    ("value", "label", "outcome"),
    [
        (78.5, "MMLU", "confirmed"),  # bold markers
        (79.2, "GSM8K", "confirmed"),  # a footnote mark
        (65.3, "GSM8K", "confirmed"),  # mean ± spread
        (60.0, "Solved", "confirmed"),  # a fraction read as its share
        (77.6, "GSM8K", "page-only"),  # printed, in another row
        (71.0, "MMLU", "not-found"),
    ],
)
def test_a_readme_table_is_read_through_its_marks(value, label, outcome):
    (place,) = locate.find_all(README, "README.md, Evaluation", "markdown")
    assert judge(_target(value, label), README, place).outcome == outcome


def test_a_row_is_not_confused_with_a_longer_label():
    text = DocumentText(
        pages=(("Table 1 | x", "CMMLU (Acc.)   5-shot   84.0", "MMLU (Acc.)  5-shot  78.5"),)
    )
    (place,) = locate.find_all(text, "Table 1", "pdf")
    assert judge(_target(84.0, "MMLU"), text, place).outcome == "page-only"


def test_a_section_holds_its_own_lines_only():
    text = DocumentText(
        pages=(
            (
                "Contents",
                "3.1 Setup . . . . . . . . . . 2",
                "3.1 Setup",
                "We train on 8.1T tokens with 60 layers.",
                "3.2 Results",
                "The model has 236B parameters.",
            ),
        )
    )
    places = locate.find_all(text, "Section 3.1 (Setup)", "pdf")
    assert [p.label for p in places] == ["Section 3.1"]
    fact = Target(name="n", kind="fact", value=8.1e12, alias="a", line=1, field="f", row_labels=())
    assert judge(fact, text, places[0]).outcome == "confirmed"
    other = Target(name="n", kind="fact", value=236e9, alias="a", line=1, field="f", row_labels=())
    assert judge(other, text, places[0]).outcome == "page-only"


def test_a_numbered_list_inside_a_section_does_not_end_it():
    text = DocumentText(
        pages=(
            (
                "2.3 Training",
                "We train two models:",
                "1. High-efficiency mode, with short answers.",
                "2. High-precision mode, with a context of 32,768 tokens.",
                "2.4 Evaluation",
                "Scores reach 61.5.",
            ),
        )
    )
    (place,) = locate.find_all(text, "Section 2.3 (Training)", "pdf")
    context = Target(
        name="n", kind="fact", value=32768, alias="a", line=1, field="f", row_labels=()
    )
    assert judge(context, text, place).outcome == "confirmed"
    later = Target(name="n", kind="claim", value=61.5, alias="a", line=1, field="f", row_labels=())
    assert judge(later, text, place).outcome == "page-only"  # Section 2.4's, not 2.3's


def test_numbers_as_papers_print_them():
    assert numbers.in_line(74.9, "GPT-4   -   -74.9%   16.8%")  # a '-' cell before it
    assert numbers.in_line(49.6, "Aider  45.3   16.049.6")  # two cells run together
    assert numbers.in_line(131072, "context length of 128K")
    assert numbers.in_line(6e12, "an additional 6 trillion tokens")
    assert numbers.in_line(4.2e-4, "a learning rate of 4.2 × 10−4")
    assert not numbers.in_line(2.5, "Qwen2.5 72B")  # part of a name, not a cell
    assert numbers.in_line(88.9, "reaching88.9%pass rate")  # a percentage run into words
    assert not numbers.in_line(78.4, "78.5 77.6")


def test_a_readme_section_ends_at_its_next_heading_not_at_a_code_comment():
    text = DocumentText(
        pages=(
            (
                "## 3. Model Downloads",
                "| Model | Sequence Length |",
                "| Tiny | 4096 |",
                "## 4. Quick Start",
                "```python",
                "# vl2-small, 16.1B-MoE in total",
                "```",
                "### Gradio Demo",
                "runs on 2048 tokens",
            ),
        )
    )
    (quick,) = locate.find_all(text, "README.md, section 4. Quick Start, Gradio Demo", "markdown")
    assert quick.lines == frozenset((0, i) for i in range(3, 9))  # the code comment is no heading
    fact = Target(name="n", kind="fact", value=16.1e9, alias="a", line=1, field="f", row_labels=())
    assert judge(fact, text, quick).outcome == "confirmed"
    (downloads,) = locate.find_all(
        text, "README.md, section '3. Model Downloads' (table)", "markdown"
    )
    elsewhere = Target(
        name="n", kind="fact", value=2048, alias="a", line=1, field="f", row_labels=()
    )
    assert judge(elsewhere, text, downloads).outcome == "page-only"


def test_a_table_with_models_as_rows_is_read_by_its_columns_numbers():
    text = DocumentText(
        pages=(
            ("Table 4 | GenEval", "Method   Single  Two  Counting", "LWM [28]   0.93  0.41  0.46"),
        )
    )
    (place,) = locate.find_all(text, "Table 4", "pdf")

    def score(column: tuple[float, ...]) -> Target:
        # The column's label as the data writes it ("LWM 7B") is not what the table prints.
        return Target(
            name="n",
            kind="score",
            value=0.93,
            alias="a",
            line=1,
            field="f",
            row_labels=("Single Obj.", "LWM 7B"),
            column=column,
        )

    assert judge(score((0.41, 0.46)), text, place).outcome == "confirmed"
    assert judge(score((0.52, 0.46)), text, place).outcome == "page-only"


def test_a_record_reads_back_as_written_even_with_a_hash_of_digits():
    from generators import checks, schema

    doc = schema.Document(
        id="d", title="D", format="pdf", url="https://example.org/d.pdf", sha256="1" * 64
    )
    entry = checks.CheckEntry(
        number="claims[x]",
        value=1.5,
        source="a",
        cites="0" * 12,
        outcome="confirmed",
        place="Table 1",
        page=2,
        line=3,
    )
    text = checks.render("p", [(doc, [entry])])
    record = checks.CheckRecord.model_validate(yaml.safe_load(text))
    assert record.documents[0].sha256 == "1" * 64
    assert record.documents[0].checks == [entry]


def test_a_broken_record_is_reported_at_its_file_line_and_field(verified, capsys):
    assert _verify(verified, capsys, "--record")[0] == 0
    record = verified / "data/checks/deepseek-v2.yaml"
    lines = record.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if '"outcome": "confirmed"' in line)
    lines[at] = lines[at].replace('"outcome": "confirmed"', '"outcome": "maybe"')
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["--root", str(verified), "--cache-dir", str(CACHE), "check"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"data/checks/deepseek-v2.yaml:{at + 1}: documents[0].checks[0].outcome:" in err, err
    assert "Traceback" not in err


def test_a_number_run_into_a_word_is_read_where_no_name_is_written_so():
    # A cell run into its row's label (two decimals), three digits or more between words.
    assert numbers.in_line(6.11, "DSpark6.11          5.70           4.89")
    assert numbers.in_line(15000, "both the main model and the indexer for15000steps, with")
    # Names keep their digits: a version with one decimal, a GPU, a tokenizer, a benchmark.
    assert not numbers.in_line(2.5, "Qwen2.5-Math 7B   80.1")
    assert not numbers.in_line(800, "trained on H800 GPUs for 2 months")
    assert not numbers.in_line(100, "A100 and cl100k_base")
    assert not numbers.in_line(4, "GPT4 and V3")
    assert not numbers.in_line(3, "Qwen3-4B")
    assert not numbers.in_line(8, "GSM8K (EM)")
    assert not numbers.in_line(11, "MT-Bench    Alpaca    Arena-Hard11")


def _fact(value: float, *words: str) -> Target:
    return Target(
        name="n",
        kind="fact",
        value=value,
        alias="a",
        line=1,
        field="layers",
        row_labels=("DSpark-5", *words),
    )


def test_a_count_written_as_a_word_is_read_in_prose_before_what_it_counts():
    text = DocumentText(
        pages=(
            (
                "5.1 Deployment",
                "The parallel backbone comprises three MoE layers (Dai",
                "and is trained in two stages over four weeks.",
                "5.2 Results",
            ),
        )
    )
    (place,) = locate.find_all(text, "Section 5.1", "pdf")
    assert judge(_fact(3, "layer"), text, place).outcome == "confirmed"
    # A count of something else ("two stages" for 2 layers) is not the field's.
    assert judge(_fact(2, "layer"), text, place).outcome == "not-found"
    assert judge(_fact(4, "layer"), text, place).outcome == "not-found"
    assert judge(_fact(3), text, place).outcome == "not-found"  # no field's words to find
    # Not in a table: a word there is no cell.
    table = DocumentText(pages=(("Table 7 | Drafters", "DSpark-5   three MoE layers   2.1"),))
    (place,) = locate.find_all(table, "Table 7", "pdf")
    assert judge(_fact(3, "layer"), table, place).outcome == "not-found"


# A row group printed one setting a line, its model's name once in the middle of its block,
# its sizes once in the middle of theirs (DeepSeek-Prover-V2's Table 1, as pypdf reads it).
STACKED = DocumentText(
    pages=(
        (
            "Method                   Model size     Sample budget     miniF2F-test",
            "                                             1              55.5%±1.4%",
            "                            7B               32             68.0%±0.5%",
            "                                             1024           73.2%±0.5%",
            "DeepSeek-Prover-V2    (non-CoT)              8192           75.0%",
            "                                             1              58.6%±1.1%",
            "                            7B               32             75.6%±0.5%",
            "                                             1024           79.9%±0.3%",
            "DeepSeek-Prover-V2    (CoT)                  8192           82.0%",
            "                                             1              61.9%±1.6%",
            "                           671B              32             82.4%±0.6%",
            "                                             1024           86.6%±0.3%",
            "                                             8192           88.9%",
            "",
            "Table 1 | Comparison with state-of-the-art models on the miniF2F-test dataset.",
        ),
    )
)
BUDGETS = (1, 32, 1024, 8192)


def _stacked(column: str, budget: int, values: tuple[float, ...]) -> Target:
    """A score of the DeepSeek-Prover-V2 (CoT) table at one budget; *values* by budget."""
    at = BUDGETS.index(budget)
    return Target(
        name="n",
        kind="score",
        value=values[at],
        alias="a",
        line=1,
        field="f",
        row_labels=("miniF2F-test", column),
        setting=f"sample budget {budget}",
        peers=("DeepSeek-Prover-V2 (CoT) 671B", "DeepSeek-Prover-V2 (CoT) 7B"),
        stack=tuple(
            (f"sample budget {b}", v) for b, v in zip(BUDGETS, values, strict=True) if b != budget
        ),
    )


def test_a_row_group_printed_one_setting_a_line_is_read_by_its_column():
    (place,) = locate.find_all(STACKED, "Table 1", "pdf")
    cot_7b = (58.6, 75.6, 79.9, 82.0)
    cot_671b = (61.9, 82.4, 86.6, 88.9)
    for budget in BUDGETS:
        found = judge(_stacked("DeepSeek-Prover-V2 (CoT) 7B", budget, cot_7b), STACKED, place)
        assert (found.outcome, found.line) == ("confirmed", 6 + BUDGETS.index(budget))
        found = judge(_stacked("DeepSeek-Prover-V2 (CoT) 671B", budget, cot_671b), STACKED, place)
        assert (found.outcome, found.line) == ("confirmed", 10 + BUDGETS.index(budget))
    # The two sizes' columns swapped: the block prints the other size.
    assert judge(_stacked("DeepSeek-Prover-V2 (CoT) 7B", 1, cot_671b), STACKED, place).outcome == (
        "page-only"
    )
    # The non-CoT block's numbers given to CoT: the block names the other mode.
    non_cot = (55.5, 68.0, 73.2, 75.0)
    assert judge(_stacked("DeepSeek-Prover-V2 (CoT) 7B", 1, non_cot), STACKED, place).outcome == (
        "page-only"
    )
    # Two settings' numbers exchanged: each is on another setting's line.
    shuffled = (58.6, 79.9, 75.6, 82.0)
    assert judge(_stacked("DeepSeek-Prover-V2 (CoT) 7B", 1, shuffled), STACKED, place).outcome == (
        "page-only"
    )


def test_a_score_knows_its_columns_numbers_at_the_other_settings_of_its_row():
    from generators.verify.targets import of_paper

    class Paper:
        data = {
            "comparisons": [
                {
                    "id": "t",
                    "source": "t1",
                    "columns": [{"model": "a", "label": "A"}, {"model": "b", "label": "B"}],
                    "rows": [
                        {"label": "X", "setting": "budget 1", "scores": {"a": 1.0, "b": 2.0}},
                        {"label": "X", "setting": "budget 32", "scores": {"a": 3.0}},
                        {"label": "Y", "setting": "budget 1", "scores": {"a": 5.0}},
                    ],
                }
            ]
        }

        def locate(self, path):
            return (None,)

    stacks = {t.name: t.stack for t in of_paper(Paper())}
    assert stacks["comparisons[t].rows[X, budget 1].scores.a"] == (("budget 32", 3.0),)
    assert stacks["comparisons[t].rows[X, budget 1].scores.b"] == ()
    assert stacks["comparisons[t].rows[Y, budget 1].scores.a"] == ()  # another row's label
