"""Shared fixtures: the real project data, the small fixture catalogue, and throwaway
copies of either to break. Whole builds that several tests read are made once per run."""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from golden import fixture_project

from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.pipeline import Generation, generate

ROOT = Path(__file__).resolve().parents[1]
# Every build in the tests shares one chart cache (keyed by content hash, so sharing is
# safe): charts are drawn once per change, not once per temporary project.
CACHE = ROOT / ".cache"
DSPAPERS = [sys.executable, "-m", "generators.cli", "--cache-dir", str(CACHE)]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def copy_project(dest: Path) -> Path:
    """A buildable copy of the project: data and prose copied (to be edited), code linked."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for linked in ("generators", "node_modules"):
        (dest / linked).symlink_to(ROOT / linked, target_is_directory=True)
    return dest


def git(root: Path, *args: str, when: int = 1_700_000_000) -> str:
    """`git ARGS` in *root* as a fixed author at a fixed time (seconds since the epoch)."""
    import subprocess

    stamp = f"@{when} +0000"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    result = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def commit_data(root: Path, message: str, when: int) -> str:
    """Commit everything under data/ of the project *root* (a repository is made if need be)."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A", "data")
    git(root, "commit", "-q", "-m", message, when=when)
    return git(root, "rev-parse", "HEAD").strip()


def dspapers(*args: str) -> int:
    """`dspapers ARGS` in this process, with the shared chart cache."""
    from generators.cli import main

    return main(["--cache-dir", str(CACHE), *args])


def line_of(path: Path, text: str) -> int:
    """The 1-based line of *path* on which *text* starts."""
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


@pytest.fixture(scope="session")
def generated() -> Generation:
    return generate(BuildOptions(paths=ProjectPaths.at(ROOT, cache=CACHE)))


@pytest.fixture(scope="session")
def catalog(generated):
    return generated.catalog


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """A copy of the two-paper fixture catalogue: builds in a fraction of the real site's time."""
    return fixture_project(tmp_path / "small")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One full build of a copy of the project, shared by every test that reads a site."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    assert dspapers("--root", str(root), "build") == 0, "the site did not build"
    return root / "site"


CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium (Debian's, driven by Playwright) for every browser test of the run: the
    browser test files share it, as Playwright's sync API runs once per process."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def offline_export(tmp_path_factory) -> Path:
    """`dspapers offline` once per run, the zip unpacked elsewhere, as a reader would."""
    work = tmp_path_factory.mktemp("offline")
    root = copy_project(work / "project")
    assert dspapers("--root", str(root), "offline", "--dist", str(work / "dist")) == 0
    with zipfile.ZipFile(work / "dist" / "deepseek-papers-offline.zip") as archive:
        archive.extractall(work / "unpacked")
    return work / "unpacked" / "deepseek-papers"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome so fixtures can react to a failed test."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
