"""The What changed page and changes.json, from the git history of a temporary repository.

The fixture catalogue is committed, then some values are changed, added and removed (and
the file rewritten in another layout, with a list reordered, which changes no value) and
committed again: the page and the download list exactly those values.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import commit_data, dspapers, git
from golden import fixture_project

from generators import changes
from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.pipeline import Generation, generate

FIRST, SECOND = 1_700_000_000, 1_700_100_000  # 14 and 16 November 2023, UTC
PAPER = "papers/deepseek-v2.yaml"


def _generate(root: Path) -> Generation:
    return generate(BuildOptions(paths=ProjectPaths.at(root), charts=False))


def _page(generation: Generation, lang: str) -> str:
    """The page's Markdown, each quoted value unwrapped from its mark."""
    text = generation.files[f"changes.{lang}.md"].decode("utf-8")
    return re.sub(r'<span class="dsp-history-value">(.*?)</span>', r"\1", text)


def _download(generation: Generation) -> dict[str, object]:
    document: dict[str, object] = json.loads(generation.files["downloads/changes.json"])
    return document


def _rewrite(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    # Another layout (flow style, other indentation): a layout is no change of value.
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=60, indent=4),
        encoding="utf-8",
    )


def _edit_paper(paper: dict) -> None:
    model = paper["models"][0]
    config = model["config"]
    config["layers"] = 61  # changed
    del config["q_lora_rank"]  # removed
    config["vocab_size"] = 102400  # added
    row = next(r for r in paper["comparisons"][0]["rows"] if r["benchmark"] == "mmlu")
    row["scores"]["deepseek-v2"] = 78.6  # changed
    paper["claims"].reverse()  # the same claims in another order: no change


def _edit_benchmarks(benchmarks: list) -> None:
    mmlu = next(b for b in benchmarks if b["id"] == "mmlu")
    mmlu["description"]["en"] = "English multiple-choice test of 57 subjects."  # changed


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> dict[str, object]:
    """A project with two commits of data; its ids and the comparison edited."""
    root = fixture_project(tmp_path_factory.mktemp("history") / "project")
    first = commit_data(root, "The fixture catalogue", FIRST)
    paper = yaml.safe_load((root / "data" / PAPER).read_text(encoding="utf-8"))
    _rewrite(root / "data" / PAPER, _edit_paper)
    _rewrite(root / "data" / "benchmarks.yaml", _edit_benchmarks)
    second = commit_data(root, "Edits", SECOND)
    return {
        "root": root,
        "first": first,
        "second": second,
        "table": paper["comparisons"][0]["id"],
    }


@pytest.fixture(scope="module")
def generation(repository) -> Generation:
    return _generate(repository["root"])


def test_the_download_lists_exactly_the_values_that_changed(repository, generation):
    document = _download(generation)
    assert document["history"] == "complete"
    entries = document["changes"]
    second = [e for e in entries if e["commit"] == repository["second"]]
    table = repository["table"]
    assert {(e["file"], e["path"], e["change"], e.get("old"), e.get("new")) for e in second} == {
        (PAPER, "models[deepseek-v2].config.layers", "changed", 60, 61),
        (PAPER, "models[deepseek-v2].config.q_lora_rank", "removed", 1536, None),
        (PAPER, "models[deepseek-v2].config.vocab_size", "added", None, 102400),
        (
            PAPER,
            f"comparisons[{table}].rows[MMLU (Acc.), 5-shot].scores.deepseek-v2",
            "changed",
            78.5,
            78.6,
        ),
        (
            "benchmarks.yaml",
            "[mmlu].description.en",
            "changed",
            "English multiple-choice knowledge test spanning 57 subjects.",
            "English multiple-choice test of 57 subjects.",
        ),
    }
    assert {e["date"] for e in second} == {"2023-11-16"}
    # Only the first commit's own entries remain: every data file it added, as a whole.
    first = [e for e in entries if e["commit"] != repository["second"]]
    assert {e["commit"] for e in first} == {repository["first"]}
    data = repository["root"] / "data"
    facts = {
        p.relative_to(data).as_posix()
        for p in data.rglob("*.yaml")
        if p.name not in changes.IGNORED and f"{p.parent.name}/" not in changes.IGNORED
    }
    assert {e["file"] for e in first} == facts
    assert all(e["path"] == "" and e["change"] == "added" and e["values"] > 0 for e in first)
    assert all(e["date"] == "2023-11-14" for e in first)
    assert entries.index(second[0]) < entries.index(first[0]), "newest first"


def test_the_page_lists_each_change_with_old_and_new_value_in_each_language(repository, generation):
    short = repository["second"][:7]
    table = repository["table"]
    mmlu_path = f"comparisons\\[{table}\\].rows\\[MMLU (Acc.), 5-shot\\].scores.deepseek-v2"
    expected = {
        "en": [
            "## 16 November 2023",
            "## 14 November 2023",
            "### [DeepSeek-V2](papers/deepseek-v2.md)",
            f"| models\\[deepseek-v2\\].config.layers | changed | 60 | 61 | {short} |",
            f"| models\\[deepseek-v2\\].config.q\\_lora\\_rank | removed | 1536 | – | {short} |",
            f"| models\\[deepseek-v2\\].config.vocab\\_size | added | – | 102,400 | {short} |",
            f"| {mmlu_path} | changed | 78.5 | 78.6 | {short} |",
            "### [Benchmarks](benchmarks/index.md)",
            "| \\[mmlu\\].description.en | changed | English multiple-choice knowledge test "
            f"spanning 57 subjects. | English multiple-choice test of 57 subjects. | {short} |",
            "| the whole file | added | – |",
        ],
        "zh-Hant": [
            "## 2023 年 11 月 16 日",
            "## 2023 年 11 月 14 日",
            f"| models\\[deepseek-v2\\].config.layers | 修改 | 60 | 61 | {short} |",
            f"| models\\[deepseek-v2\\].config.q\\_lora\\_rank | 移除 | 1536 | – | {short} |",
            f"| {mmlu_path} | 修改 | 78.5 | 78.6 | {short} |",
            "| 整個檔案 | 新增 | – |",
        ],
        "zh-Hans": [
            "## 2023 年 11 月 16 日",
            "| models\\[deepseek-v2\\].config.layers | 修改 | 60 | 61 |",
        ],
    }
    for lang, lines in expected.items():
        page = _page(generation, lang)
        for line in lines:
            assert line in page, (lang, line)
    raw = generation.files["changes.en.md"].decode("utf-8")
    assert (
        '| <span class="dsp-history-value">60</span> | <span class="dsp-history-value">61</span> |'
        in raw
    )
    # A text in one written language is listed on that language's pages only.
    assert "description.en" not in _page(generation, "zh-Hant")
    assert "claims" not in _page(generation, "en"), "a reordered list is no change"
    # The page holds the two days and nothing else.
    assert _page(generation, "en").count("\n## ") == 2


def test_a_second_checkout_of_one_commit_gives_identical_changes(repository, generation, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", str(repository["root"]), str(clone)], check=True, capture_output=True
    )
    for linked in ("generators", "node_modules"):
        (clone / linked).symlink_to(repository["root"] / linked, target_is_directory=True)
    (clone / "content").symlink_to(repository["root"] / "content", target_is_directory=True)
    (clone / "mkdocs.yml").symlink_to(repository["root"] / "mkdocs.yml")
    again = _generate(clone)
    for name in ("downloads/changes.json", "changes.en.md", "changes.zh-Hant.md"):
        assert again.files[name] == generation.files[name], name


def test_uncommitted_edits_are_not_changes(repository, generation, tmp_path):
    """The page lists committed history only: what the commit holds, on every machine."""
    paper = repository["root"] / "data" / PAPER
    before = paper.read_text(encoding="utf-8")
    try:
        paper.write_text(before.replace("layers: 61", "layers: 62"), encoding="utf-8")
        assert (
            _generate(repository["root"]).files["downloads/changes.json"]
            == (generation.files["downloads/changes.json"])
        )
    finally:
        paper.write_text(before, encoding="utf-8")


def test_a_merge_counts_on_the_day_it_lands(tmp_path):
    root = tmp_path / "merge"
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.yaml").write_text("- {id: x, value: 1}\n", encoding="utf-8")
    commit_data(root, "one", FIRST)
    git(root, "checkout", "-q", "-b", "side")
    (root / "data" / "a.yaml").write_text("- {id: x, value: 2}\n", encoding="utf-8")
    side = commit_data(root, "two, on a branch", FIRST + 100)
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "side", when=SECOND)
    merge = git(root, "rev-parse", "HEAD").strip()
    log = changes.read(root / "data")
    assert [(c.commit, c.path, c.kind, c.old, c.new) for c in log.changes][0] == (
        merge,
        "[x]",
        "changed",
        1,
        2,
    )
    assert side not in {c.commit for c in log.changes}


def test_a_file_that_is_not_yaml_at_one_commit_is_said_so(tmp_path):
    root = tmp_path / "broken"
    (root / "data").mkdir(parents=True)
    path = root / "data" / "a.yaml"
    path.write_text("id: a\nscore: 1\n", encoding="utf-8")
    commit_data(root, "one", FIRST)
    path.write_text("id: a\nscore: [1\n", encoding="utf-8")
    commit_data(root, "broken", FIRST + 10)
    path.write_text("id: a\nscore: 2\n", encoding="utf-8")
    commit_data(root, "fixed", FIRST + 20)
    log = changes.read(root / "data")
    assert [(c.path, c.kind) for c in log.changes] == [
        ("", "unreadable"),
        ("", "unreadable"),
        ("", "added"),
    ]


def test_without_git_history_the_page_says_so_and_the_build_succeeds(small_project):
    generation = _generate(small_project)
    assert _download(generation) == {"history": "absent", "since": None, "changes": []}
    assert "This copy has no git history" in _page(generation, "en")
    assert "這份副本沒有 git 歷史" in _page(generation, "zh-Hant")
    assert "这份副本没有 git 历史" in _page(generation, "zh-Hans")
    assert dspapers("--root", str(small_project), "build", "--no-charts") == 0
    built = (small_project / "site" / "en" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "This copy has no git history" in built


def test_a_folder_git_does_not_track_has_no_history(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    assert changes.read(tmp_path / "data").state == "absent"


def test_a_shallow_clone_lists_what_it_holds_and_says_where_it_starts(repository, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repository['root']}", str(clone)],
        check=True,
        capture_output=True,
    )
    log = changes.read(clone / "data")
    assert log.state == "shallow"
    # The clone's one commit has no parent here: what it changed is unknown, not "everything".
    assert log.changes == ()
    assert str(log.horizon_date) == "2023-11-16"
    for linked in ("generators", "node_modules", "content"):
        (clone / linked).symlink_to(repository["root"] / linked, target_is_directory=True)
    (clone / "mkdocs.yml").symlink_to(repository["root"] / "mkdocs.yml")
    generation = _generate(clone)
    assert "only changes after 16 November 2023 are listed" in _page(generation, "en")
    assert _download(generation)["history"] == "shallow"
    assert _download(generation)["since"] == "2023-11-16"


# --- Flattening: a value is named by what it is, not where it sits ----------------------


def _flat(text: str) -> dict[str, changes.Leaf]:
    return {changes.path_text(k): v for k, v in changes.flatten(yaml.safe_load(text)).items()}


def test_one_value_keeps_its_path_whatever_form_holds_it():
    plain = _flat("config: {source: s1, layers: 60}")
    sourced = _flat("config: {layers: {value: 60, source: s2}}")
    several = _flat("config: {layers: [{value: 60, source: s2}, {value: 61, source: s3}]}")
    assert plain["config.layers"] == sourced["config.layers"] == 60
    assert sourced["config.layers.source"] == "s2"
    assert several["config.layers"] == (60, 61)
    assert several["config.layers[61].source"] == "s3"
    assert _flat("config: {layers: [{value: 60, source: s2}]}") == sourced


def test_list_items_are_named_by_their_identity():
    rows = _flat(
        "rows: [{benchmark: b, label: B, setting: 5-shot, scores: {m: 1}}, "
        "{benchmark: b, label: B, scores: {m: 2}}]"
    )
    assert {path: value for path, value in rows.items() if path.endswith(".m")} == {
        "rows[B, 5-shot].scores.m": 1,
        "rows[B].scores.m": 2,
    }
    links = _flat("links: [{from: a, to: b, idea: x}, {from: a, to: b, idea: y}]")
    assert links["links[a → b].idea"] == "x"
    assert links["links[a → b #2].idea"] == "y"
    assert _flat("ideas: [{title: t}, {title: u}]") == {
        "ideas[0].title": "t",
        "ideas[1].title": "u",
    }


def test_numbers_that_are_equal_are_no_change_but_true_is_not_one():
    before = changes.flatten({"a": 60, "b": True, "c": [1, 2]})
    assert changes.diff(before, changes.flatten({"a": 60.0, "b": True, "c": [1, 2]})) == []
    kinds = changes.diff(before, changes.flatten({"a": 60, "b": 1, "c": [2, 1]}))
    assert [(changes.path_text(d.path), d.kind) for d in kinds] == [
        ("b", "changed"),
        ("c", "changed"),
    ]


def test_a_whole_new_item_is_one_change_holding_its_values():
    before = changes.flatten({"models": [{"id": "a", "layers": 1}]})
    after = changes.flatten({"models": [{"id": "a", "layers": 1}, {"id": "b", "layers": 2}]})
    (added,) = changes.diff(before, after)
    assert changes.path_text(added.path) == "models[b]"
    assert added.kind == "added"
    assert added.record == (("id", "b"), ("layers", 2))


def test_a_whole_new_item_is_named_in_the_pages_language(tmp_path):
    root = tmp_path / "claims"
    (root / "data" / "papers").mkdir(parents=True)
    path = root / "data" / "papers" / "p.yaml"
    path.write_text("name: P\nclaims: []\n", encoding="utf-8")
    commit_data(root, "one", FIRST)
    path.write_text(
        "name: P\nclaims:\n- {id: c, value: 42.5, label: {zh-Hant: 節省, en: Saved}}\n",
        encoding="utf-8",
    )
    commit_data(root, "two", SECOND)
    (claim, _file) = changes.read(root / "data").changes
    assert (claim.path, claim.kind, claim.values) == ("claims[c]", "added", 4)
    assert (claim.name("en"), claim.name("zh-Hant"), claim.name("zh-Hans")) == (
        "Saved",
        "節省",
        "節省",
    )


def test_a_kept_change_log_is_read_again_only_when_the_history_changes(tmp_path):
    """A preview server keeps the log between saves; a new commit is read all the same."""
    root = tmp_path / "kept"
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.yaml").write_text("- {id: x, value: 1}\n", encoding="utf-8")
    commit_data(root, "one", FIRST)
    (root / "data" / "a.yaml").write_text("- {id: x, value: 2}\n", encoding="utf-8")
    commit_data(root, "two", FIRST + 86_400)
    known = changes.KnownChanges()
    first = changes.read(root / "data", known)
    assert [(c.kind, c.old, c.new) for c in first.changes if c.path] == [("changed", 1, 2)]
    # an unsaved edit, a saved one: the committed history is the same, the log is kept
    (root / "data" / "a.yaml").write_text("- {id: x, value: 3}\n", encoding="utf-8")
    assert changes.read(root / "data", known) is first
    commit_data(root, "three", FIRST + 2 * 86_400)
    third = changes.read(root / "data", known)
    assert third is not first
    assert third == changes.read(root / "data")  # as read without a kept log
    assert [c.new for c in third.changes if c.path][0] == 3


def test_the_record_of_checks_is_not_a_data_change():
    """data/checks/ is written by `dspapers verify --record`: a folder the history leaves out."""
    from generators.history import _ignored

    assert _ignored("checks/deepseek-v2.yaml", changes.IGNORED)
    assert not _ignored("papers/deepseek-v2.yaml", changes.IGNORED)
    assert not _ignored("checks.yaml", frozenset({"checks/"}))
