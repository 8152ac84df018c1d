"""What every chart kind provides, and the data a built chart carries. No matplotlib.

A kind module (``kinds/<kind>.py``) defines a frozen `Payload` subclass with its numbers,
and registers one `ChartKind`: how to build that payload from the catalog, how to lay it
out as the accessible table, and how to draw it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from .. import evidence, schema
from ..catalog import Catalog
from ..render import SourcedValue
from .canvas import WEB_SIZE, Canvas
from .language import Localize, Texts
from .native import NativeChart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Table = tuple[list[str], list[list[str]]]  # header, rows: already formatted for a language

# The texts a kind needs to name evidence kinds in its data table (its "evidence" column).
EVIDENCE_TEXTS = frozenset(
    {"evidence_legend", "colon", *(evidence.text_key(k) for k in evidence.KINDS)}
)


def evidence_cell(texts: Texts, kinds: Iterable[str], formula: str = "") -> str:
    """The evidence column's cell: each distinct kind's name, a derived value's formula."""
    names = " / ".join(texts.t(evidence.text_key(k)) for k in dict.fromkeys(kinds))
    return f"{names}{texts.t('colon')}{formula}" if formula else names


# The texts of a data table's "checked" column (`checked_head`, `checked_cell`).
CHECKED_TEXTS = frozenset({"checked_column", "checked_column_of", "yes", "no"})


def checked_head(texts: Texts, numbers: Sequence[str] = ()) -> str:
    """The checked column's heading, naming the row's numbers it speaks of when several."""
    if not numbers:
        return texts.t("checked_column")
    return texts.t("checked_column_of", numbers=" / ".join(numbers))


def first_checked(
    catalog: Catalog, model_id: str, name: str, value: SourcedValue | None
) -> bool | None:
    """Whether the first value of a model's fact *name* was checked against its document;
    None where the model states no such fact."""
    if value is None:
        return None
    return catalog.fact_checked(model_id, name, 0 if value.others else None)


def checked_cell(texts: Texts, flags: Iterable[bool | None]) -> str:
    """The checked column's cell: for each of the row's sourced numbers, in the heading's
    order, "yes" where it was found in its source document and is unchanged since
    (generators/checks.py), else "no"; "–" where the row has no such number. Derived
    numbers are never checked and have no place in it."""
    return " / ".join("–" if flag is None else texts.t("yes" if flag else "no") for flag in flags)


@dataclass(frozen=True, kw_only=True)
class Payload:
    """Base of every kind's numbers: language-independent, immutable, picklable."""

    # Fields only the data table shows, as dotted paths ("points.paper_name" names that
    # field of every item of `points`): left out of `digest`, so editing them (a paper's
    # name, say) redraws nothing. tests/test_charts.py draws every kind with them changed
    # and checks that the files stay the same.
    TABLE_ONLY: ClassVar[frozenset[str]] = frozenset()

    @functools.cached_property
    def digest(self) -> str:
        """A hash of every value the drawing uses (one chart's many drawing jobs share it)."""
        drawn = _without(_plain(self), self.TABLE_ONLY)
        blob = json.dumps(drawn, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    """*value* as `dataclasses.asdict` gives it to JSON (dataclasses as dicts, tuples as
    lists), without its deep copy of every leaf: that copy was most of a preview's chart
    look-up."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


def _without(value: object, paths: frozenset[str], prefix: str = "") -> object:
    """*value* (dicts and lists, as `dataclasses.asdict` makes them) less the dotted *paths*."""
    if isinstance(value, dict):
        return {
            key: _without(item, paths, f"{prefix}{key}.")
            for key, item in value.items()
            if f"{prefix}{key}" not in paths
        }
    if isinstance(value, list | tuple):
        return [_without(item, paths, prefix) for item in value]
    return value


@dataclass(frozen=True, kw_only=True)
class ChartData:
    """Language-independent numbers of one chart, plus its sources."""

    kind: str
    payload: Payload
    sources: tuple[schema.Source, ...]


P = TypeVar("P", bound=Payload)

# catalog, declaration, and the paper for `each: paper` declarations (else None).
Builder = Callable[[Catalog, schema.ChartDecl, schema.Paper | None], ChartData | None]
# catalog, declaration and one benchmark, for `each: benchmark` declarations.
BenchmarkBuilder = Callable[[Catalog, schema.ChartDecl, schema.Benchmark], ChartData | None]


@dataclass(frozen=True, kw_only=True)
class ChartKind(Generic[P]):
    """One kind of chart, as named by ``kind:`` in data/charts.yaml."""

    name: str
    payload: type[P]
    # Keys of strings.UI that the table and the drawing use; only these travel to the
    # workers and into the cache key, so editing another string redraws nothing.
    texts: frozenset[str]
    build: Builder  # returns None when the catalog has nothing to show
    table: Callable[[P, Texts, Localize], Table]
    draw: Callable[[Canvas, P], Figure]
    web_size: Callable[[P], tuple[float, float]] | None = None  # None: WEB_SIZE
    # The chart as a slide program's own editable chart (charts/native.py); None: the
    # slide decks show the drawing as a picture.
    native: Callable[[P, Texts], NativeChart] | None = None
    # The chart of one benchmark, for `each: benchmark` declarations (None: the kind
    # draws no per-benchmark chart).
    build_for_benchmark: BenchmarkBuilder | None = None
    # The table's last column says whether each row's numbers were checked against their
    # documents (`checked_head`, `checked_cell`); a site without any number checked leaves
    # it out (`plan.data_table`).
    checked_column: bool = False

    def own(self, payload: Payload) -> P:
        """*payload*, checked to be this kind's."""
        if not isinstance(payload, self.payload):
            raise TypeError(f"chart kind {self.name} cannot use a {type(payload).__name__}")
        return payload

    def data_table(self, payload: Payload, texts: Texts, localize: Localize) -> Table:
        """Header and rows of the numbers the chart draws, in the language of *texts*."""
        return self.table(self.own(payload), texts, localize)

    def figure(self, canvas: Canvas, payload: Payload) -> Figure:
        """The drawn chart (imports matplotlib: workers only)."""
        return self.draw(canvas, self.own(payload))

    def native_chart(self, payload: Payload, texts: Texts) -> NativeChart | None:
        """The editable chart for a slide, in the language of *texts*; None without one."""
        return None if self.native is None else self.native(self.own(payload), texts)

    def page_size(self, payload: Payload) -> tuple[float, float]:
        """Size in inches of the page's SVG."""
        return WEB_SIZE if self.web_size is None else self.web_size(self.own(payload))


def unique(sources: Iterable[schema.Source]) -> tuple[schema.Source, ...]:
    """*sources* in first-seen order, each once."""
    seen: list[schema.Source] = []
    for source in sources:
        if source not in seen:
            seen.append(source)
    return tuple(seen)
