"""Shared fixtures: the real project data, and throwaway copies of the project to break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generators.paths import ProjectPaths
from generators.pipeline import Generated, generate

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Every build in the tests shares one chart cache (keyed by content hash, so sharing is
# safe): charts are drawn once per change, not once per temporary project.
os.environ.setdefault("DSPAPERS_CACHE_DIR", str(ROOT / ".cache"))


def copy_project(dest: Path) -> Path:
    """A buildable copy of the project: data and prose copied (to be edited), code linked."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for linked in ("generators", "node_modules"):
        (dest / linked).symlink_to(ROOT / linked, target_is_directory=True)
    return dest


@pytest.fixture(scope="session")
def generated() -> Generated:
    return generate(ProjectPaths.at(ROOT))


@pytest.fixture(scope="session")
def catalog(generated):
    return generated.catalog


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One full MkDocs build of a copy of the project, shared by the build tests."""
    from generators.cli import main

    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    status = main(["--root", str(root), "build"])
    assert status == 0, "the site did not build"
    return root / "site"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome so fixtures can react to a failed test."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
