"""The console command: clean errors, right exit codes, and a site that is never half-built."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DSPAPERS


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DSPAPERS, *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("which", ["project", "small_project"])
def test_check_passes_and_counts_the_papers(request, which):
    project = request.getfixturevalue(which)
    result = run("--root", str(project), "check")
    assert result.returncode == 0, result.stderr
    papers = len(list((project / "data/papers").glob("*.yaml")))
    assert re.match(
        rf"data OK: {papers} papers, \d+ models, \d+ benchmarks, \d+ scores", result.stdout
    )


def test_check_reports_every_problem_without_traceback(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("      layers: 60\n", "      layers: -60\n", 1), encoding="utf-8")
    (project / "data/benchmarks.yaml").write_text(
        (project / "data/benchmarks.yaml").read_text(encoding="utf-8") + "- id: broken\n",
        encoding="utf-8",
    )
    result = run("--root", str(project), "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # One for the paper, four for the benchmark entry (each required field it lacks).
    assert result.stderr.startswith("5 problems in the data:"), result.stderr
    assert "data/papers/deepseek-v2.yaml:" in result.stderr
    assert "models[0].config.layers" in result.stderr
    assert "data/benchmarks.yaml:" in result.stderr and "name: is required" in result.stderr


def test_missing_prose_is_reported(project):
    (project / "content/topics/multimodal.en.md").unlink()
    result = run("--root", str(project), "check")
    assert result.returncode == 2
    assert "content/topics/multimodal.en.md: the prose file is missing" in result.stderr


@pytest.fixture
def previous_site(project) -> Path:
    return _previous_site(project)


def _previous_site(project: Path) -> Path:
    """A site/ from an earlier good build, which a failed build must leave as it is."""
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous good site", encoding="utf-8")
    return site


def assert_kept(site: Path) -> None:
    assert (site / "index.html").read_text(encoding="utf-8") == "previous good site"
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.build
def test_failed_build_leaves_the_previous_site_untouched(project, previous_site):
    paper = project / "data/papers/deepseek-v2.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace("arxiv: ", "arxiv_id: ", 1), encoding="utf-8"
    )
    result = run("--root", str(project), "build")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert_kept(previous_site)


@pytest.mark.build
def test_plain_mkdocs_build_reports_data_errors_cleanly(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace("      layers: 60\n", "      layers: x\n", 1),
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-f", str(project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert (
        "data/papers/deepseek-v2.yaml:" in result.stderr
        and "models[0].config.layers" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


@pytest.mark.build
def test_one_failing_language_fails_the_build_and_keeps_the_site(small_project):
    """A strict-mode warning in one language's build (a broken link in English prose)."""
    project = small_project
    previous_site = _previous_site(project)
    prose = project / "content/about.en.md"
    prose.write_text(
        prose.read_text(encoding="utf-8") + "\n\nSee [the missing page](no-such-page.md).\n",
        encoding="utf-8",
    )
    result = run("--root", str(project), "build", "--jobs", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "build failed (en)" in result.stderr and "no-such-page.md" in result.stderr
    assert "build failed (zh-Hant)" not in result.stderr
    assert_kept(previous_site)
