"""Is the built site up to date? A manifest of every input that can change the output.

`dspapers build` hashes its inputs before doing anything else (no MkDocs, no matplotlib
imported) and compares them with the manifest the last successful build wrote beside the
site. Equal inputs and the same site folder: nothing to do. Any difference, a missing
site or manifest, or `--force`: a full build, after which the manifest is written again.

The inputs, each hashed as one group so a message can say which changed:
data and content (the project's files), history (the commits that changed data files,
which the What changed page lists), code (the generator package: Python, templates,
theme, own assets), config (mkdocs.yml), dependencies (the lock files and the installed
distributions' versions, the browser packages in node_modules), fonts (every font file
the system offers, by path, size and time), and the edge settings (the environment
variables mkdocs.yml reads, the build's date, the build's options, Python's version).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import changes, history
from .options import BuildOptions
from .paths import PACKAGE_DIR
from .write import atomic_write

MANIFEST_VERSION = 1
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local" / "share" / "fonts",
)
_ENV_TAG = re.compile(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)")
_SKIPPED_PARTS = frozenset({"__pycache__"})


def _files_digest(folder: Path) -> str:
    """Every file under *folder*: its relative path and its bytes."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not _SKIPPED_PARTS.intersection(path.parts):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _bytes_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(absent)")
    return digest.hexdigest()


def _stat_digest(folders: Iterable[Path]) -> str:
    """Files by path, size and modification time: cheap, and a changed font changes them."""
    digest = hashlib.sha256()
    for folder in folders:
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(base) / name
                try:
                    st = path.stat()
                except OSError:
                    continue
                digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _installed_distributions() -> list[str]:
    """The installed distributions, as their metadata folders name them (name and version)."""
    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    names: list[str] = []
    for folder in sorted(folders):
        try:
            names += [n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(names)


def environment_names(mkdocs_yml: Path) -> list[str]:
    """The environment variables mkdocs.yml reads (`!ENV`)."""
    return sorted(set(_ENV_TAG.findall(mkdocs_yml.read_text(encoding="utf-8"))))


def inputs(
    options: BuildOptions,
    *,
    site: Path,
    environ: Mapping[str, str],
) -> dict[str, str]:
    """A digest per group of inputs of building *site* with *options*.

    *environ* is the command's environment (the edge reads it, not this module).
    """
    paths = options.paths
    root = paths.root
    environment = {name: environ.get(name) for name in environment_names(paths.mkdocs_yml)}
    environment["SOURCE_DATE_EPOCH"] = environ.get("SOURCE_DATE_EPOCH")
    edge = {
        "environment": environment,
        "options": {
            "charts": options.charts,
            "offline": options.offline,
            "slide_files": options.slide_files,
        },
        "folders": [str(paths.data), str(paths.content), str(paths.cache), str(site)],
        "python": sys.version,
    }
    dependencies = hashlib.sha256()
    dependencies.update(
        _bytes_digest(
            [
                root / "requirements.lock",
                root / "pyproject.toml",
                root / "package-lock.json",
                root / "node_modules" / ".package-lock.json",
            ]
        ).encode()
    )
    dependencies.update("\n".join(_installed_distributions()).encode())
    return {
        "data": _files_digest(paths.data),
        "content": _files_digest(paths.content),
        "history": history.read(paths.data, ignored=changes.IGNORED).fingerprint,
        "code": _files_digest(PACKAGE_DIR),
        "config": _bytes_digest([paths.mkdocs_yml]),
        "dependencies": dependencies.hexdigest(),
        "fonts": _stat_digest(FONT_DIRS),
        "edge": hashlib.sha256(json.dumps(edge, sort_keys=True).encode()).hexdigest(),
    }


def manifest_path(options: BuildOptions, site: Path) -> Path:
    """Where the manifest of *site* lives: the build cache, one file per site folder."""
    key = hashlib.sha256(str(site).encode()).hexdigest()[:16]
    return options.paths.cache / "sites" / f"{key}.json"


def _site_identity(site: Path) -> list[int] | None:
    """The site folder as the swap left it: a new build, or a removed file, changes it."""
    try:
        st = site.stat()
    except OSError:
        return None
    return [st.st_ino, st.st_mtime_ns]


def changed(options: BuildOptions, site: Path, current: Mapping[str, str]) -> list[str]:
    """The groups of inputs that differ from the last build of *site* ([] if up to date)."""
    try:
        recorded = json.loads(manifest_path(options, site).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["no manifest"]
    if recorded.get("version") != MANIFEST_VERSION:
        return ["manifest version"]
    identity = _site_identity(site)
    if identity is None or recorded.get("site") != identity:
        return ["site folder"]
    before: dict[str, str] = recorded.get("inputs", {})
    return sorted(k for k in set(before) | set(current) if before.get(k) != current.get(k))


def record(options: BuildOptions, site: Path, current: Mapping[str, str]) -> None:
    """Write the manifest of the site just built from *current* inputs."""
    manifest = {
        "version": MANIFEST_VERSION,
        "site": _site_identity(site),
        "inputs": dict(current),
    }
    path = manifest_path(options, site)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
