"""What a preview keeps from one build to the next (`Kept`): every rebuild's files are
those of a fresh generation, whatever was edited, and an edit pays for what it reaches."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import CACHE

from generators.errors import DataError, ErrorList
from generators.load import ParsedFiles
from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.pipeline import Kept, generate
from generators.render_memo import RenderedPages

# (file, text, replacement): one edit of each kind of input a page can show.
EDITS = [
    ("data/papers/deepseek-v2.yaml", "deepseek-v2: 78.5\n", "deepseek-v2: 79.7\n"),  # a score
    ("data/papers/deepseek-v2.yaml", "\nname: DeepSeek-V2\n", "\nname: DeepSeek-V2 X\n"),
    ("data/papers/deepseek-v2.yaml", "  name: DeepSeek-V2-Lite\n", "  name: V2-Lite X\n"),
    ("data/benchmarks.yaml", "  name: MMLU\n", "  name: MMLU X\n"),
    ("data/glossary.yaml", "    en: Scaling law\n", "    en: Scaling law X\n"),
    ("data/baselines.yaml", "  name: GPT-3.5-turbo-0613\n", "  name: GPT-3.5 X\n"),
    ("data/research-lines.yaml", "- id: scaling\n", "- id: scaling\n  # a comment\n"),
    ("data/checks/deepseek-v2.yaml", "value: 131072.0", "value: 131073.0"),  # now stale
    ("data/documents.yaml", '"0000000000', '"1000000000'),  # every check stale
    ("content/about.en.md", "\n", "\n\nOne more sentence.\n"),
    ("content/about.zh-Hant.md", "\n", "\n\n再一句。\n"),
]


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_a_kept_generation_equals_a_fresh_one_after_each_edit(small_project, lang):
    paths = ProjectPaths.at(small_project, cache=CACHE)
    options = BuildOptions(paths=paths, preview=lang, charts=False)
    kept = Kept()
    generate(options, kept=kept)
    for name, old, new in EDITS:
        path = small_project / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        again = generate(options, kept=kept).files
        fresh = generate(options).files
        assert sorted(again) == sorted(fresh), name
        assert [f for f in fresh if again[f] != fresh[f]] == [], name
        # Edits pile up: the next one starts from a kept state that has seen this one.


def test_a_score_edit_renders_again_the_pages_that_show_it_and_only_those(small_project):
    paths = ProjectPaths.at(small_project, cache=CACHE)
    options = BuildOptions(paths=paths, preview="en", charts=False)
    kept = Kept()
    first = generate(options, kept=kept)
    pages = len(first.pages)
    paper = small_project / "data/papers/deepseek-v2.yaml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("deepseek-v2: 78.5\n", "deepseek-v2: 79.7\n"), encoding="utf-8")
    again = generate(options, kept=kept)
    assert "79.7" in again.files["papers/deepseek-v2.en.md"].decode()
    assert 0 < kept.pages.rendered < pages
    assert kept.pages.rendered + kept.pages.reused == pages
    # The other paper's page does not show DeepSeek-V2's MMLU score.
    assert again.files["papers/deepseek-llm.en.md"] == first.files["papers/deepseek-llm.en.md"]


class _Shelf:
    """A stand-in catalogue owner: `RenderedPages` records what is read through a helper."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def name(self, key: str) -> str:
        return self.names[key]


def test_a_page_is_rendered_again_when_a_value_it_read_changes():
    memo = RenderedPages()
    rendered = []

    def render(context):
        rendered.append(context["title"])
        return f"{context['title']}: {context['name']('a')}"

    def build(names: dict[str, str], title: str) -> str:
        shelf = _Shelf(names)
        memo.start()
        return memo.render(("page",), {"title": title, "name": shelf.name}, render)

    assert build({"a": "Alpha", "b": "Beta"}, "T") == "T: Alpha"
    # "b" was never read by the page: a change to it keeps the page.
    assert build({"a": "Alpha", "b": "Bravo"}, "T") == "T: Alpha"
    assert rendered == ["T"]
    assert build({"a": "Apple", "b": "Bravo"}, "T") == "T: Apple"  # what it read changed
    assert build({"a": "Apple", "b": "Bravo"}, "U") == "U: Apple"  # a variable changed
    assert rendered == ["T", "T", "U"]
    assert (memo.rendered, memo.reused) == (1, 0)


def test_the_catalog_is_read_through_a_record(catalog):
    """The whole catalog as a variable: each attribute read is compared next time."""
    memo = RenderedPages()

    def render(context):
        return ",".join(p.id for p in context["catalog"].papers)

    memo.start()
    first = memo.render(("index",), {"catalog": catalog}, render)
    fewer = dataclasses.replace(catalog, papers=catalog.papers[:1])
    memo.start()
    assert memo.render(("index",), {"catalog": catalog}, render) == first
    assert memo.reused == 1
    memo.start()
    assert memo.render(("index",), {"catalog": fewer}, render) == catalog.papers[0].id


def test_what_one_document_makes_is_kept_while_it_is_the_same_document():
    parsed = ParsedFiles()
    made = []
    problem = DataError(file="data/papers/x.yaml", line=3, field="name", message="is wrong")
    first, second = object(), object()

    def make(found: ErrorList) -> str:
        made.append(1)
        found.add(problem)
        return "records"

    for document in (first, first, second):
        errors = ErrorList()
        assert parsed.derive(("paper", "x"), (document,), make, errors) == "records"
        assert errors.errors == [problem]  # reported again when kept
    assert len(made) == 2
