"""The chart kinds' names, read from the file names in kinds/ without importing a kind.

The kind in `kinds/<module>.py` is called `<module>` with "-" for "_" (kinds/__init__.py
holds each kind to it). The data models (schema.py) check a chart's `kind:` against these
names and offer them in the JSON Schema: the kinds' code builds on those models, so the
models read the names here rather than import the kinds.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

KINDS_FOLDER = Path(__file__).with_name("kinds")


def kind_modules() -> list[str]:
    """The kinds' module names in kinds/, sorted (those starting with "_" are helpers)."""
    found = pkgutil.iter_modules([str(KINDS_FOLDER)])
    return sorted(module.name for module in found if not module.name.startswith("_"))


def kind_name(module: str) -> str:
    """The name of the kind defined in kinds/<module>.py, as data/charts.yaml writes it."""
    return module.replace("_", "-")


# Every known kind's name, sorted.
KIND_NAMES: tuple[str, ...] = tuple(sorted(kind_name(module) for module in kind_modules()))
