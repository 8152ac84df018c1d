"""The up-to-date check: nothing changed, nothing built; any input changed, a clean result.

A copy of the fixture project with its own copy of the generator package (so code,
templates and theme can be edited), its own home folder (so a font can be installed) and
two chart caches: the tests' shared one for the builds under test, a new one for the clean
builds they must equal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CACHE, ROOT, commit_data, git
from golden import fixture_project

pytestmark = pytest.mark.build

UP_TO_DATE = "site is up to date"


class Project:
    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "HOME": str(home),
            "MPLCONFIGDIR": str(home / "matplotlib"),
            "SOURCE_DATE_EPOCH": "1700000000",
        }
        for name in ("SITE_URL", "REPO_URL"):
            self.env.pop(name, None)

    def dspapers(self, *args: str, cache: Path = CACHE) -> str:
        # Run from the project so that `generators` is its own copy of the package.
        result = subprocess.run(
            [sys.executable, "-m", "generators.cli", "--cache-dir", str(cache), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def edit(self, relative: str, change: Callable[[str], str]) -> None:
        path = self.root / relative
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        after = change(before)
        assert after != before, relative
        path.write_text(after, encoding="utf-8")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = fixture_project(tmp_path / "project")
    (root / "generators").unlink()
    shutil.copytree(
        ROOT / "generators", root / "generators", ignore=shutil.ignore_patterns("__pycache__")
    )
    home = tmp_path / "home"
    home.mkdir()
    return Project(root, home)


def _install_a_font(project: Project) -> None:
    fonts = Path(project.env["HOME"]) / ".fonts"
    fonts.mkdir()
    font = next(Path("/usr/share/fonts").rglob("*.ttf"))
    shutil.copy(font, fonts / font.name)


def _commit_the_data(project: Project) -> None:
    """The data as it is, now committed: the What changed page lists the commit."""
    commit_data(project.root, "The data", 1_700_000_000)


def _set_site_url(project: Project) -> None:
    project.env["SITE_URL"] = "https://papers.example.net/mirror/"


def _set_repo_url(project: Project) -> None:
    project.env["REPO_URL"] = "https://github.com/example-org/papers-mirror"


def _edit(relative: str, change: Callable[[str], str]) -> Callable[[Project], None]:
    return lambda project: project.edit(relative, change)


# input changed -> (the manifest group that names it, the change)
CHANGES: dict[str, tuple[str, Callable[[Project], None]]] = {
    "data": (
        "data",
        _edit("data/papers/deepseek-v2.yaml", lambda t: t.replace("layers: 60", "layers: 61", 1)),
    ),
    "content": ("content", _edit("content/about.en.md", lambda t: t + "\nOne more sentence.\n")),
    "template": (
        "code",
        _edit("generators/templates/about.md.j2", lambda t: t + "\n{# a template edit #}\n"),
    ),
    "theme": ("code", _edit("generators/theme/main.html", lambda t: t + "\n<!-- an edit -->\n")),
    "code": (
        "code",
        _edit(
            "generators/strings.py", lambda t: t.replace('"Compare models"', '"Compare them"', 1)
        ),
    ),
    "mkdocs.yml": (
        "config",
        _edit(
            "mkdocs.yml",
            lambda t: t.replace("fallback_to_default: true", "fallback_to_default: yes"),
        ),
    ),
    "locked dependencies": (
        "dependencies",
        _edit("requirements.lock", lambda t: t + "tqdm==4.67.1\n"),
    ),
    "fonts": ("fonts", _install_a_font),
    "SITE_URL": ("edge", _set_site_url),
    "REPO_URL": ("edge", _set_repo_url),
    "git history of the data": ("history", _commit_the_data),
}


def test_a_removed_site_file_is_rebuilt(project):
    project.dspapers("build")
    (project.root / "site" / "index.html").unlink()
    assert "site built" in project.dspapers("build")
    assert (project.root / "site" / "index.html").is_file()


def test_each_input_triggers_a_rebuild_equal_to_a_clean_build(project, tmp_path):
    assert "site built" in project.dspapers("build")
    page = project.root / "site" / "index.html"
    stamp = page.stat().st_mtime_ns
    assert UP_TO_DATE in project.dspapers("build")
    assert page.stat().st_mtime_ns == stamp, "an up-to-date site is left as it is"
    assert "site built" in project.dspapers("build", "--force")
    assert page.stat().st_mtime_ns != stamp
    for number, (kind, (group, change)) in enumerate(CHANGES.items()):
        change(project)
        out = project.dspapers("build", "-v")
        assert "site built" in out, f"changing {kind} did not rebuild"
        assert f"building: {group} changed" in out, (kind, out[:300])
        assert UP_TO_DATE in project.dspapers("build"), kind
        clean = tmp_path / f"clean-{number}"
        project.dspapers("build", "--site-dir", str(clean), cache=tmp_path / "clean-cache")
        ours, theirs = _tree(project.root / "site"), _tree(clean)
        assert ours.keys() == theirs.keys(), kind
        differ = sorted(name for name in ours if ours[name] != theirs[name])
        assert not differ, f"after changing {kind}: {differ[:5]}"


def test_a_commit_that_changes_data_rebuilds_and_another_commit_does_not(project):
    commit_data(project.root, "The data", 1_700_000_000)
    assert "site built" in project.dspapers("build")
    git(project.root, "commit", "-q", "--allow-empty", "-m", "No data", when=1_700_000_100)
    assert UP_TO_DATE in project.dspapers("build"), "the changes page lists data commits only"
    project.edit("data/papers/deepseek-v2.yaml", lambda t: t.replace("layers: 60", "layers: 61"))
    assert "site built" in project.dspapers("build")
    commit_data(project.root, "Layers", 1_700_000_200)
    out = project.dspapers("build", "-v")
    assert "building: history changed" in out, out[:300]
    document = json.loads((project.root / "site/downloads/changes.json").read_text("utf-8"))
    assert [(c["path"], c["old"], c["new"]) for c in document["changes"][:1]] == [
        ("models[deepseek-v2].config.layers", 60, 61)
    ]
