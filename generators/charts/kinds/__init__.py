"""The chart kinds, one module each, found by listing this package.

A module ``<kind_name>.py`` (no leading underscore) defines one kind and exposes it as
``KIND``; adding a kind means adding its module and declaring a chart of that kind in
data/charts.yaml. Modules starting with ``_`` are helpers shared by several kinds.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..base import ChartKind


def _discover() -> dict[str, ChartKind[Any]]:
    found: dict[str, ChartKind[Any]] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if not isinstance(kind, ChartKind):
            raise TypeError(f"{module.__name__} defines no KIND (a ChartKind)")
        if kind.name in found:
            raise ValueError(f"chart kind {kind.name} is defined twice (in {module.__name__})")
        found[kind.name] = kind
    return found


# Read-only after import: the kind modules are the registry.
KINDS: Mapping[str, ChartKind[Any]] = MappingProxyType(_discover())


def get(name: str) -> ChartKind[Any]:
    """The kind called *name* in data/charts.yaml."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown chart kind {name!r} (known: {', '.join(sorted(KINDS))})") from None


def names() -> list[str]:
    """Every known kind's name, sorted."""
    return sorted(KINDS)
