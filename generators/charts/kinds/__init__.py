"""The chart kinds, one module each, found by listing this package.

A module ``<kind_name>.py`` (no leading underscore) defines one kind and exposes it as
``KIND``, named as its module with "-" for "_" (``charts/kind_names.py`` lists the names
without importing the kinds); adding a kind means adding its module and declaring a chart
of that kind in data/charts.yaml. Modules starting with ``_`` are helpers shared by
several kinds.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..base import ChartKind
from ..kind_names import kind_modules, kind_name


def _discover() -> dict[str, ChartKind[Any]]:
    found: dict[str, ChartKind[Any]] = {}
    for module_name in kind_modules():
        module = importlib.import_module(f"{__name__}.{module_name}")
        kind = getattr(module, "KIND", None)
        if not isinstance(kind, ChartKind):
            raise TypeError(f"{module.__name__} defines no KIND (a ChartKind)")
        # The data models know the kinds by their modules' names (kind_names.py); one
        # name per module also means no kind is defined twice.
        if kind.name != kind_name(module_name):
            raise ValueError(
                f"{module.__name__} names its kind {kind.name!r}, not {kind_name(module_name)!r}"
            )
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
