"""The version of a piece of code, for the keys of the build caches (charts, decks,
converted pages): a hash of its source files and of the installed versions of the
libraries that shape what it makes. A change to either makes every entry a new one."""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path


def code_version(files: Iterable[tuple[str, Path]], packages: Iterable[str]) -> str:
    """A hash of each named source file (name, then bytes) and each package's version."""
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    for package in packages:
        digest.update(f"{package}={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()[:16]
