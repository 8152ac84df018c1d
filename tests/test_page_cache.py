"""Converted pages kept between builds (generators/plugin/page_cache.py): a build that
takes them from the cache makes the same site as one that converts every page, and what a
conversion reports is reported on every build."""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generators.plugin.page_cache import FOLDER, prune

COUNTS = re.compile(r"pages: (\d+) converted, (\d+) from earlier builds")
SECTIONS = re.compile(r"their sections: (\d+) converted, (\d+) from earlier builds")


def _build(root: Path, cache: Path, *extra: str) -> str:
    """`dspapers build` of the pages (verbose: MkDocs' reports shown); its output."""
    result = subprocess.run(
        [sys.executable, "-m", "generators.cli", "--cache-dir", str(cache), "--root", str(root)]
        + ["build", "--no-charts", "--force", "-v", *extra],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _counts(output: str) -> list[tuple[int, int]]:
    """(converted, reused) of each language build."""
    counts = [(int(a), int(b)) for a, b in COUNTS.findall(output)]
    assert len(counts) == 3, output
    return counts


def _site(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / FOLDER).glob("*/*.pickle"))


def _add_to_english_about(root: Path, text: str) -> None:
    page = root / "content" / "about.en.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{text}\n", encoding="utf-8")


@pytest.mark.build
def test_a_build_from_kept_pages_equals_one_that_converts_every_page(small_project, tmp_path):
    cache = tmp_path / "cache"
    first = _build(small_project, cache)
    assert all(converted > 0 and reused == 0 for converted, reused in _counts(first))
    converted_site = _site(small_project)
    second = _build(small_project, cache)
    assert all(converted == 0 and reused > 0 for converted, reused in _counts(second))
    assert _site(small_project) == converted_site


@pytest.mark.build
def test_a_kept_page_is_what_the_build_shows(small_project, tmp_path):
    cache = tmp_path / "cache"
    _build(small_project, cache)
    for path in _entries(cache):
        entry = pickle.loads(path.read_bytes())
        kept = dataclasses.replace(entry, content=entry.content + "<p>KEPT-MARK</p>")
        path.write_bytes(pickle.dumps(kept))
    _build(small_project, cache)
    pages = [p for p in (small_project / "site").rglob("index.html")]
    assert pages
    assert all("KEPT-MARK" in p.read_text(encoding="utf-8") for p in pages)


@pytest.mark.build
def test_an_edited_page_is_converted_again_and_its_old_version_let_go(small_project, tmp_path):
    """Of the edited page, only the section edited is converted: the sections of a page
    taken whole from the cache are kept too."""
    cache = tmp_path / "cache"
    _build(small_project, cache)
    kept = len(_entries(cache))
    _build(small_project, cache)  # every page from the cache
    _add_to_english_about(small_project, "A sentence added after the first build.")
    output = _build(small_project, cache)
    assert sorted(converted for converted, _ in _counts(output)) == [0, 0, 1]
    sections = [(int(a), int(b)) for a, b in SECTIONS.findall(output) if (a, b) != ("0", "0")]
    assert len(sections) == 1 and sections[0][0] == 1 and sections[0][1] >= 1, output
    about = small_project / "site" / "en" / "about" / "index.html"
    assert "A sentence added after the first build." in about.read_text(encoding="utf-8")
    assert len(_entries(cache)) == kept
    edited_site = _site(small_project)
    _build(small_project, tmp_path / "empty cache")
    assert _site(small_project) == edited_site


@pytest.mark.build
def test_what_a_conversion_reports_is_reported_on_every_build(small_project, tmp_path):
    cache = tmp_path / "cache"
    _add_to_english_about(small_project, "See [the root](/absolute/).")
    report = "contains an absolute link '/absolute/'"
    for _ in range(2):
        output = _build(small_project, cache)
        assert report in output, output
    assert sorted(converted for converted, _ in _counts(output)) == [0, 0, 1]


@pytest.mark.build
def test_a_link_to_a_missing_anchor_is_reported_from_a_kept_page(small_project, tmp_path):
    cache = tmp_path / "cache"
    _add_to_english_about(small_project, "See [nowhere](#no-such-anchor).")
    report = "contains a link '#no-such-anchor', but there is no such anchor on this page"
    assert report in _build(small_project, cache)
    output = _build(small_project, cache)
    assert all(converted == 0 for converted, _ in _counts(output))
    assert report in output, output


@pytest.mark.build
def test_a_damaged_entry_is_converted_again(small_project, tmp_path):
    cache = tmp_path / "cache"
    _build(small_project, cache)
    converted_site = _site(small_project)
    entries = _entries(cache)
    for path in entries:
        path.write_bytes(b"not a converted page")
    output = _build(small_project, cache)
    assert all(reused == 0 for _, reused in _counts(output))
    assert _site(small_project) == converted_site
    assert all(pickle.loads(path.read_bytes()).content for path in _entries(cache))


def test_a_build_lets_go_only_of_its_own_settings_unused_pages(tmp_path):
    cache = tmp_path / "cache"
    used, other = cache / FOLDER / "hosted", cache / FOLDER / "offline"
    for folder in (used, other):
        folder.mkdir(parents=True)
        for name in ("old", "kept"):
            (folder / f"{name}.pickle").write_bytes(b"entry")
    since = time.time_ns()
    future = since + 5_000_000_000  # as if written or used during the build
    os.utime(used / "kept.pickle", ns=(future, future))
    os.utime(used, ns=(future, future))
    past = since - 5_000_000_000
    for path in (used / "old.pickle", other / "old.pickle", other / "kept.pickle", other):
        os.utime(path, ns=(past, past))
    assert prune(cache, since) == 1
    assert sorted(p.relative_to(cache / FOLDER).as_posix() for p in _entries(cache)) == [
        "hosted/kept.pickle",
        "offline/kept.pickle",
        "offline/old.pickle",
    ]


def test_a_change_to_the_projects_own_markdown_extensions_changes_every_key(tmp_path, monkeypatch):
    """An entry holds HTML that the project's Markdown extensions helped make: a change to
    one of them must convert every page again, as a change to a library does."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generators.plugin import page_cache

    config = load_config(str(Path(__file__).resolve().parents[1] / "mkdocs.yml"))
    names = {name for name, _ in page_cache._own_extensions(config)}
    assert {"generators.plain_inline", "generators.html_blocks"} <= names

    source = tmp_path / "extension.py"
    monkeypatch.setattr(page_cache, "_own_extensions", lambda _: [("extension", source)])
    keys = []
    for text in ("A = 1\n", "A = 2\n", "A = 1\n"):
        source.write_text(text, encoding="utf-8")
        keys.append(page_cache.PageCache.start(tmp_path / "cache", config, Files([])).common)
    assert keys[0] != keys[1] and keys[0] == keys[2]
