"""A preview's rendered pages, kept from one rebuild to the next while what each page read
is unchanged.

A data edit changes a handful of pages, but every page's template reads from the whole
catalog: which pages an edit reaches cannot be told before rendering. So each page's
rendering is recorded: its template variables, and every value it read from the catalog
or obtained from a helper that reads the catalog (`model_name(id)`, `catalog.line(id)`,
`catalog.papers`). On the next rebuild a page is rendered again only when one of its
variables is no longer equal, or one of those reads gives a different value on the new
catalog; otherwise its last text is reused.

Everything compared is data: frozen dataclasses and pydantic models whose equality
covers every field. A value without such an equality compares by identity and simply
makes its page render again. A record never outlives its process (`Kept`).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from .catalog import Catalog

V = TypeVar("V")

# A read: (template variable, attribute or "" for the variable itself, call arguments or
# None for an attribute read, keyword arguments, the value obtained).
Read = tuple[str, str, tuple[Any, ...] | None, tuple[tuple[str, Any], ...], Any]


class _Recording:
    """Stands in for the catalog (or a helper) in one page's template variables and
    notes each value the template obtains through it."""

    def __init__(self, name: str, target: Any, reads: list[Read]) -> None:
        self._name = name
        self._target = target
        self._reads = reads

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(self._target, attribute)
        if isinstance(value, types.MethodType):
            return _RecordedCall(self._name, attribute, value, self._reads)
        self._reads.append((self._name, attribute, None, (), value))
        return value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        value = self._target(*args, **kwargs)
        self._reads.append((self._name, "", args, tuple(kwargs.items()), value))
        return value


class _RecordedCall:
    def __init__(self, name: str, attribute: str, method: Any, reads: list[Read]) -> None:
        self._name, self._attribute, self._method, self._reads = name, attribute, method, reads

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        value = self._method(*args, **kwargs)
        self._reads.append((self._name, self._attribute, args, tuple(kwargs.items()), value))
        return value


def _recorded(value: object) -> bool:
    """Whether a template variable is read through a `_Recording` (the catalog and the
    helper functions made of it) rather than compared as a value."""
    return isinstance(value, (Catalog, types.FunctionType, types.MethodType))


@dataclass
class _Rendered:
    values: dict[str, Any]  # the variables compared as values
    reads: list[Read]
    text: str


@dataclass
class RenderedPages:
    """Each page's last rendering, by template, language and page variables' identity."""

    _pages: dict[tuple[str, ...], _Rendered] = field(default_factory=dict)
    # This rebuild's comparisons already made, by the identities compared: many pages
    # share one variable (the chart list, the catalog's papers).
    _equal: dict[tuple[int, int], bool] = field(default_factory=dict)
    _held: list[object] = field(default_factory=list)  # keeps compared objects' ids valid
    _derived: dict[tuple[str, ...], tuple[tuple[object, ...], object]] = field(default_factory=dict)
    reused: int = 0
    rendered: int = 0

    def start(self) -> None:
        """Before a rebuild's pages."""
        self._equal.clear()
        self._held.clear()
        self.reused = self.rendered = 0

    def render(
        self,
        key: tuple[str, ...],
        context: Mapping[str, object],
        render: Callable[[Mapping[str, object]], str],
    ) -> str:
        """The page's text: its last one when nothing it read changed, else *render*'s."""
        kept = self._pages.get(key)
        reads = self._reads_again(kept, context) if kept is not None else None
        if kept is not None and reads is not None:
            # This rebuild's objects, equal to the last ones: compared by identity next time.
            kept.values = {k: v for k, v in context.items() if not _recorded(v)}
            kept.reads = reads
            self.reused += 1
            return kept.text
        reads = []
        shown = {k: _Recording(k, v, reads) if _recorded(v) else v for k, v in context.items()}
        text = render(shown)
        self._pages[key] = _Rendered(
            values={k: v for k, v in context.items() if not _recorded(v)}, reads=reads, text=text
        )
        self.rendered += 1
        return text

    def derive(self, key: tuple[str, ...], inputs: tuple[object, ...], make: Callable[[], V]) -> V:
        """What *make* made last time for *key*, while each of *inputs* is equal to its
        value then (a page made from another page's text, say)."""
        kept = self._derived.get(key)
        if kept is not None and all(self._same(a, b) for a, b in zip(inputs, kept[0], strict=True)):
            self._derived[key] = (inputs, kept[1])
            return cast("V", kept[1])
        made = make()
        self._derived[key] = (inputs, made)
        return made

    def _reads_again(self, kept: _Rendered, context: Mapping[str, object]) -> list[Read] | None:
        """The page's reads made again on this rebuild's variables, when every variable
        and every read is as it was; None as soon as one is not."""
        names = {k for k, v in context.items() if not _recorded(v)}
        if names != kept.values.keys():
            return None
        if not all(self._same(context[k], kept.values[k]) for k in names):
            return None
        again: list[Read] = []
        for name, attribute, args, kwargs, value in kept.reads:
            target = context.get(name)
            if target is None or not _recorded(target):
                return None
            now: Any = getattr(target, attribute) if attribute else target
            if args is not None:
                now = now(*args, **dict(kwargs))
            if not self._same(now, value):
                return None
            again.append((name, attribute, args, kwargs, now))
        return again

    def _same(self, new: object, old: object) -> bool:
        if new is old:
            return True
        pair = (id(new), id(old))
        known = self._equal.get(pair)
        if known is None:
            try:
                known = bool(new == old)
            except (TypeError, ValueError):  # an equality that is not a yes or no
                known = False
            self._equal[pair] = known
            self._held += [new, old]
        return known
