"""Every path the generator reads or writes, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
THEME_DIR = PACKAGE_DIR / "theme"


@dataclass(frozen=True, kw_only=True)
class ProjectPaths:
    """Locations inside one project checkout (or a test's temporary copy)."""

    root: Path

    @classmethod
    def at(cls, root: Path | str) -> "ProjectPaths":
        return cls(root=Path(root).resolve())

    @property
    def data(self) -> Path:
        """Hand-edited YAML: papers, registries, overrides."""
        return self.root / "data"

    @property
    def papers(self) -> Path:
        return self.data / "papers"

    @property
    def content(self) -> Path:
        """Hand-written prose fragments (zh-Hant and en)."""
        return self.root / "content"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def docs(self) -> Path:
        """The assembled MkDocs docs tree: generated, git-ignored."""
        return self.build / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"


def find_root(start: Path | str | None = None) -> Path:
    """The nearest directory at or above *start* that holds ``mkdocs.yml``."""
    here = Path(start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "mkdocs.yml").is_file():
            return candidate
    raise FileNotFoundError(f"no mkdocs.yml found at or above {here}")
