"""Turn loaded YAML into validated records, collecting every problem before failing once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import schema
from .errors import DataError, DataValidationError, ErrorList
from .load import KeyPath, SourceDocument, load_directory, load_file

T = TypeVar("T", bound=BaseModel)

LINEAGE_FILE = "lineage.yaml"

REGISTRY_FILES = {
    "benchmarks": "benchmarks.yaml",
    "baselines": "baselines.yaml",
    "glossary": "glossary.yaml",
    "lines": "research-lines.yaml",
    "overrides": "zh-hans-overrides.yaml",
    "charts": "charts.yaml",
}


@dataclass(frozen=True, kw_only=True)
class ValidatedData:
    """Every record, validated one by one and against each other."""

    papers: tuple[schema.Paper, ...]
    benchmarks: tuple[schema.Benchmark, ...]
    baselines: tuple[schema.Baseline, ...]
    glossary: tuple[schema.GlossaryTerm, ...]
    lines: tuple[schema.ResearchLine, ...]
    overrides: tuple[schema.Override, ...]
    charts: tuple[schema.ChartDecl, ...]
    lineage: schema.Lineage | None
    documents: dict[str, SourceDocument]  # by file name, for locating records


# --- Pydantic errors, in a maintainer's words -----------------------------------------

_BRANCH_TAGS = {"str", "int", "float", "bool", "none", "dict", "list"}


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field (check the spelling; see CONTRIBUTING.md for the format)"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if "input" in err and kind not in {"model_type", "dict_type", "list_type"}:
        value = err["input"]
        shown = value.isoformat() if hasattr(value, "isoformat") else repr(value)
        if shown in msg:
            return msg
        if len(shown) <= 60 and not isinstance(err["input"], (dict, list)):
            msg += f" (got {shown})"
    return msg


def _clean_loc(loc: tuple, data: Any) -> KeyPath | None:
    """Drop pydantic's internal loc parts (union branches, validator names).

    Returns None when the error belongs to a union branch that does not match the
    value's shape, so each problem is reported once.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(part, str) and (part in _BRANCH_TAGS or "[" in part or part[:1].isupper()):
            continue  # a branch or validator tag, not a key in the file
        else:
            path.append(part)
            current = None
    return tuple(path)


def _validate(
    adapter: TypeAdapter, raw: Any, doc: SourceDocument, prefix: KeyPath, errors: ErrorList,
    skip: set[KeyPath] = frozenset(),
) -> Any | None:
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        seen: set[tuple[KeyPath, str]] = set()
        for err in exc.errors():
            path = _clean_loc(err["loc"], raw)
            if path is None:
                continue
            full = (*prefix, *path)
            if any(full[: len(s)] == s for s in skip):
                continue
            message = _message(err)
            if (full, message) in seen:
                continue
            seen.add((full, message))
            errors.add(doc.error(full, message))
        return None


# --- Source aliases -------------------------------------------------------------------


def _resolve_aliases(raw: dict, doc: SourceDocument, errors: ErrorList) -> set[KeyPath]:
    """Replace every ``source: <alias>`` with the paper's ``sources[alias]`` (in place).

    Returns the key paths where an alias was substituted: problems inside them belong
    to the `sources:` entry itself (reported there once) or to the bad alias (reported
    here), never again at each use.
    """
    sources = raw.get("sources") if isinstance(raw.get("sources"), dict) else {}
    bad: set[KeyPath] = set()

    def walk(node: Any, path: KeyPath) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                child = (*path, key)
                if key == "source" and isinstance(value, str):
                    bad.add(child)
                    if value in sources and isinstance(sources[value], dict):
                        node[key] = dict(sources[value])
                    else:
                        # Reported here; a placeholder lets the rest of the record be checked.
                        node[key] = {"kind": "paper", "ref": "arXiv:0000.00000", "where": "?"}
                        known = ", ".join(sorted(map(str, sources))) or "none"
                        errors.add(
                            doc.error(child, f'unknown source alias "{value}" (known: {known})')
                        )
                else:
                    walk(value, child)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, (*path, index))

    for key, value in raw.items():
        if key != "sources":
            walk(value, (key,))
    return bad


# --- Loading each kind of file --------------------------------------------------------


def _load_list(doc: SourceDocument, model: type[T], errors: ErrorList) -> list[tuple[T, int]]:
    """Valid records of a registry file, each with its index in the file."""
    if not isinstance(doc.data, list):
        errors.add(doc.error((), f"must be a YAML list of {model.__name__} records"))
        return []
    adapter = _adapter(model)
    out = []
    for index, item in enumerate(doc.data):
        record = _validate(adapter, item, doc, (index,), errors)
        if record is not None:
            out.append((record, index))
    return out


_ADAPTERS: dict[type, TypeAdapter] = {}


def _adapter(model: type) -> TypeAdapter:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def _load_paper(doc: SourceDocument, errors: ErrorList) -> schema.Paper | None:
    if not isinstance(doc.data, dict):
        errors.add(doc.error((), "a paper file must be a YAML mapping (id:, name:, ...)"))
        return None
    import copy

    raw = copy.deepcopy(doc.data)
    bad = _resolve_aliases(raw, doc, errors)
    paper = _validate(_adapter(schema.Paper), raw, doc, (), errors, skip=bad)
    if paper is not None and doc.path.stem != paper.id:
        errors.add(doc.error(("id",), f'must match the file name ("{doc.path.stem}")'))
    return paper


# --- Cross-references -----------------------------------------------------------------


def _check_references(
    papers: list[tuple[schema.Paper, SourceDocument]],
    registries: dict[str, list[tuple[Any, SourceDocument, int]]],
    raw_ids: dict[str, set[str]],
    errors: ErrorList,
) -> None:
    # Unique ids across files.
    def unique(kind: str, items: list[tuple[str, SourceDocument, KeyPath]]) -> None:
        counts = Counter(i for i, _, _ in items)
        for ident, doc, path in items:
            if counts[ident] > 1:
                others = sorted({d.name for i, d, _ in items if i == ident})
                errors.add(doc.error(path, f'duplicate {kind} id "{ident}" (also in {", ".join(others)})'))

    unique("paper", [(p.id, d, ("id",)) for p, d in papers])
    model_ids = [(m.id, d, ("models", i, "id")) for p, d in papers for i, m in enumerate(p.models)]
    model_ids += [(b.id, d, (i, "id")) for b, d, i in registries["baselines"]]
    unique("model", model_ids)
    for kind in ("benchmarks", "glossary", "lines"):
        unique(kind.rstrip("s"), [(r.id, d, (i, "id")) for r, d, i in registries[kind]])

    # References are checked against every id written in the files, valid record or not,
    # so that one broken record is reported once rather than again at each reference.
    known_models = {i for i, _, _ in model_ids} | raw_ids["models"]
    benchmarks = {b.id: b for b, _, _ in registries["benchmarks"]}
    known_benchmarks = set(benchmarks) | raw_ids["benchmarks"]
    lines = {r.id for r, _, _ in registries["lines"]} | raw_ids["lines"]
    paper_ids = {p.id for p, _ in papers} | raw_ids["papers"]

    for paper, doc in papers:
        if paper.line not in lines:
            errors.add(doc.error(("line",), f'unknown research line "{paper.line}" (known: {", ".join(sorted(lines))})'))
        for ci, claim in enumerate(paper.claims):
            for key in ("model", "versus"):
                ref = getattr(claim, key)
                if ref and ref not in known_models:
                    errors.add(doc.error(("claims", ci, key), f'unknown model "{ref}"'))
        for ti, table in enumerate(paper.comparisons):
            base = ("comparisons", ti)
            columns = [c.model for c in table.columns]
            for k, col in enumerate(table.columns):
                if col.model not in known_models:
                    errors.add(doc.error((*base, "columns", k, "model"), f'unknown model "{col.model}"'))
            for dup, n in Counter(columns).items():
                if n > 1:
                    errors.add(doc.error((*base, "columns"), f'model "{dup}" appears in {n} columns'))
            for key in ("headline", "baseline"):
                if getattr(table, key) not in columns:
                    errors.add(doc.error((*base, key), f'"{getattr(table, key)}" is not one of the columns'))
            for ri, row in enumerate(table.rows):
                bench = benchmarks.get(row.benchmark)
                if row.benchmark not in known_benchmarks:
                    errors.add(doc.error((*base, "rows", ri, "benchmark"), f'unknown benchmark "{row.benchmark}"'))
                for model_id, score in row.scores.items():
                    where = (*base, "rows", ri, "scores", model_id)
                    if model_id not in columns:
                        errors.add(doc.error(where, f'"{model_id}" is not one of the table\'s columns'))
                    if bench is not None and bench.range is not None and score is not None:
                        low, high = bench.range
                        if not low <= score <= high:
                            errors.add(doc.error(where, f"score {score} is outside {bench.name}'s range [{low:g}, {high:g}]"))
    unique("chart", [(r.id, d, (i, "id")) for r, d, i in registries["charts"]])
    for chart, doc, i in registries["charts"]:
        for k, ref in enumerate(chart.models):
            if ref not in known_models:
                errors.add(doc.error((i, "models", k), f'unknown model "{ref}"'))
        if chart.paper and chart.paper not in paper_ids:
            errors.add(doc.error((i, "paper"), f'unknown paper "{chart.paper}"'))
        if chart.each and not all("{paper}" in page for page in chart.pages):
            errors.add(doc.error((i, "pages"), 'with each: paper, every page must contain "{paper}"'))
    for term, doc, i in registries["glossary"]:
        for k, ref in enumerate(term.papers):
            if ref not in paper_ids:
                errors.add(doc.error((i, "papers", k), f'unknown paper "{ref}"'))


def load_and_validate(data_dir: Path, root: Path) -> ValidatedData:
    """Load every data file under *data_dir*; raise `DataValidationError` listing all problems."""
    errors = ErrorList()
    # Load inputs.
    paper_docs = load_directory(data_dir / "papers", root, errors)
    registry_docs: dict[str, SourceDocument | None] = {}
    for kind, filename in REGISTRY_FILES.items():
        path = data_dir / filename
        if not path.exists():
            errors.add(DataError(file=f"{data_dir.name}/{filename}", message="the file is missing"))
            registry_docs[kind] = None
            continue
        registry_docs[kind] = load_file(path, root, errors)
    if not paper_docs and not any(d.path.suffix for d in paper_docs):
        if not (data_dir / "papers").is_dir() or not any((data_dir / "papers").glob("*.y*ml")):
            errors.add(DataError(file=f"{data_dir.name}/papers", message="no paper files found"))

    # Process data.
    models = {
        "benchmarks": schema.Benchmark,
        "baselines": schema.Baseline,
        "glossary": schema.GlossaryTerm,
        "lines": schema.ResearchLine,
        "overrides": schema.Override,
        "charts": schema.ChartDecl,
    }
    registries: dict[str, list[tuple[Any, SourceDocument, int]]] = {}
    for kind, doc in registry_docs.items():
        registries[kind] = []
        if doc is None:
            continue
        for record, index in _load_list(doc, models[kind], errors):
            registries[kind].append((record, doc, index))
    unreadable = len(errors)  # files that are not YAML at all (syntax, encoding, empty)
    papers = [(p, d) for d in paper_docs if (p := _load_paper(d, errors)) is not None]
    lineage_doc = load_file(data_dir / LINEAGE_FILE, root, errors) if (data_dir / LINEAGE_FILE).exists() else None
    lineage = None
    if lineage_doc is not None:
        lineage = _validate(_adapter(schema.Lineage), lineage_doc.data, lineage_doc, (), errors)
    stems = {p.stem for p in (data_dir / "papers").glob("*.y*ml")} if (data_dir / "papers").is_dir() else set()
    raw = _raw_ids(paper_docs, registry_docs, stems)
    # References into a file that cannot be read would all look broken: check them once
    # every file reads, so one syntax error is reported as one problem.
    if not unreadable:
        _check_references(papers, registries, raw, errors)
        if lineage is not None and lineage_doc is not None:
            _check_lineage(lineage, lineage_doc, raw, errors)

    if errors:
        raise DataValidationError(errors.errors)
    papers.sort(key=lambda pd: (pd[0].sort_date, pd[0].id))
    return ValidatedData(
        papers=tuple(p for p, _ in papers),
        benchmarks=tuple(r for r, _, _ in registries["benchmarks"]),
        baselines=tuple(r for r, _, _ in registries["baselines"]),
        glossary=tuple(r for r, _, _ in registries["glossary"]),
        lines=tuple(r for r, _, _ in registries["lines"]),
        overrides=tuple(r for r, _, _ in registries["overrides"]),
        charts=tuple(r for r, _, _ in registries["charts"]),
        lineage=lineage,
        documents={d.name: d for d in [*paper_docs, *(x for x in registry_docs.values() if x)]},
    )


def _check_lineage(lineage: schema.Lineage, doc: SourceDocument, raw: dict[str, set[str]], errors: ErrorList) -> None:
    for i, link in enumerate(lineage.links):
        for key, ref in (("from", link.from_), ("to", link.to)):
            if ref not in raw["papers"]:
                errors.add(doc.error(("links", i, key), f'unknown paper "{ref}"'))
        if link.from_ == link.to:
            errors.add(doc.error(("links", i), "a paper cannot lead to itself"))
    for i, ref in enumerate(lineage.generations):
        if ref not in raw["models"]:
            errors.add(doc.error(("generations", i), f'unknown model "{ref}"'))


def _raw_ids(
    paper_docs: list[SourceDocument], registry_docs: dict[str, SourceDocument | None],
    paper_stems: set[str] = frozenset(),
) -> dict[str, set[str]]:
    """Ids as written, whether or not their record validated."""

    def ids(items: Any) -> set[str]:
        if not isinstance(items, list):
            return set()
        return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}

    papers = [d.data for d in paper_docs if isinstance(d.data, dict)]
    models = set().union(*(ids(p.get("models")) for p in papers)) if papers else set()
    registry = {k: (d.data if d else None) for k, d in registry_docs.items()}
    # A paper file that does not parse is still known by its name (the name is the id),
    # so references to it are not reported a second time.
    stems = {d.path.stem for d in paper_docs}
    return {
        "papers": {p["id"] for p in papers if isinstance(p.get("id"), str)} | stems | paper_stems,
        "models": models | ids(registry["baselines"]),
        "benchmarks": ids(registry["benchmarks"]),
        "lines": ids(registry["lines"]),
    }
