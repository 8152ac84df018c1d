"""Turn loaded YAML into validated records, collecting every problem before failing once."""

from __future__ import annotations

import copy
import functools
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from . import checks, schema, strings, typography, vocabulary
from .errors import DataError, DataValidationError, ErrorList
from .load import KeyPath, ParsedFiles, SourceDocument, derive, load_directory, load_file

T = TypeVar("T", bound=BaseModel)
V = TypeVar("V")

# A registry record, the file it was read from, and its index in that file's list.
Located = tuple[V, SourceDocument, int]

LINEAGE_FILE = "lineage.yaml"
# The registry of source documents: optional (a data folder without it has none).
DOCUMENTS_FILE = "documents.yaml"

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
    document_registry: schema.DocumentRegistry  # data/documents.yaml (empty when absent)
    document_file: SourceDocument | None  # that file, for locating its entries
    documents: dict[str, SourceDocument]  # by file name, for locating records
    # What data/checks/ still vouches for, by paper id (see generators/checks.py).
    checks: dict[str, checks.PaperChecks] = field(default_factory=dict)


# --- Pydantic errors, in a maintainer's words -----------------------------------------

_BRANCH_TAGS = {"str", "int", "float", "bool", "none", "dict", "list"}
_SEVERAL_PARTS = {"value", "source", "others"}


def _message(err: ErrorDetails) -> str:
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
        shown: str = value.isoformat() if hasattr(value, "isoformat") else repr(value)
        if shown in msg:
            return msg
        if len(shown) <= 60 and not isinstance(err["input"], (dict, list)):
            msg += f" (got {shown})"
    return msg


def _clean_loc(loc: tuple[int | str, ...], data: Any) -> KeyPath:
    """Drop pydantic's internal loc parts (union branches, validator names).

    What remains is the key path in the file, so the errors of several union branches
    about one value land on the same path (and `_validate` reports each message once).
    """
    path: list[str | int] = []
    current: Any = data
    shift = 0  # added to the next list index (a fact's `others` follow its first value)
    for part in loc:
        if isinstance(current, list) and part in _SEVERAL_PARTS:
            # A fact written as a list of values (schema.ModelConfig): pydantic names the
            # first item's `value`/`source` and the others `others[i]`; the file has items.
            if part == "others":
                shift = 1
                continue
            if current:
                path.append(0)
                current = current[0]
        if shift and isinstance(part, int):
            part, shift = part + shift, 0
        if _has_child(current, part):
            path.append(part)
            current = current[part]
        elif isinstance(part, str) and (part in _BRANCH_TAGS or "[" in part or part[:1].isupper()):
            continue  # a branch or validator tag, not a key in the file
        else:
            path.append(part)
            current = None
    return tuple(path)


def _has_child(node: Any, part: int | str) -> bool:
    """Whether *part* is a key of *node* (a mapping) or an index into it (a list)."""
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _validate(
    adapter: TypeAdapter[V],
    raw: Any,
    doc: SourceDocument,
    prefix: KeyPath,
    errors: ErrorList,
    skip: Collection[KeyPath] = frozenset(),
) -> V | None:
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        seen: set[tuple[KeyPath, str]] = set()
        for err in exc.errors():
            path = _clean_loc(err["loc"], raw)
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


def _resolve_aliases(raw: dict[str, Any], doc: SourceDocument, errors: ErrorList) -> set[KeyPath]:
    """Replace every ``source: <alias>`` with the paper's ``sources[alias]`` (in place).

    Returns the key paths where an alias was substituted: problems inside them belong
    to the `sources:` entry itself (reported there once) or to the bad alias (reported
    here), never again at each use.
    """
    declared = raw.get("sources")
    sources: dict[Any, Any] = declared if isinstance(declared, dict) else {}
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
    out: list[tuple[T, int]] = []
    for index, item in enumerate(doc.data):
        record = _validate(adapter, item, doc, (index,), errors)
        if record is not None:
            out.append((record, index))
    return out


def _adapter(model: type[V]) -> TypeAdapter[V]:
    """A validator for *model* (pydantic caches each model's schema on the class)."""
    return TypeAdapter(model)


def _load_paper(doc: SourceDocument, errors: ErrorList) -> schema.Paper | None:
    if not isinstance(doc.data, dict):
        errors.add(doc.error((), "a paper file must be a YAML mapping (id:, name:, ...)"))
        return None
    raw = copy.deepcopy(doc.data)
    bad = _resolve_aliases(raw, doc, errors)
    paper = _validate(_adapter(schema.Paper), raw, doc, (), errors, skip=bad)
    if paper is not None and doc.path.stem != paper.id:
        errors.add(doc.error(("id",), f'must match the file name ("{doc.path.stem}")'))
    return paper


@dataclass(frozen=True, kw_only=True)
class _Registries:
    """The valid records of each registry file, each located in its file."""

    benchmarks: list[Located[schema.Benchmark]]
    baselines: list[Located[schema.Baseline]]
    glossary: list[Located[schema.GlossaryTerm]]
    lines: list[Located[schema.ResearchLine]]
    overrides: list[Located[schema.Override]]
    charts: list[Located[schema.ChartDecl]]


def _load_registry(
    docs: dict[str, SourceDocument | None],
    kind: str,
    model: type[T],
    errors: ErrorList,
    parsed: ParsedFiles | None,
) -> list[Located[T]]:
    doc = docs[kind]
    if doc is None:
        return []

    def load(found: ErrorList) -> list[Located[T]]:
        return [(record, doc, index) for record, index in _load_list(doc, model, found)]

    return derive(parsed, ("registry", kind), (doc,), load, errors)


def _load_registries(
    docs: dict[str, SourceDocument | None], errors: ErrorList, parsed: ParsedFiles | None
) -> _Registries:
    # Keyword arguments are evaluated in order: files are checked in REGISTRY_FILES order.
    return _Registries(
        benchmarks=_load_registry(docs, "benchmarks", schema.Benchmark, errors, parsed),
        baselines=_load_registry(docs, "baselines", schema.Baseline, errors, parsed),
        glossary=_load_registry(docs, "glossary", schema.GlossaryTerm, errors, parsed),
        lines=_load_registry(docs, "lines", schema.ResearchLine, errors, parsed),
        overrides=_load_registry(docs, "overrides", schema.Override, errors, parsed),
        charts=_load_registry(docs, "charts", schema.ChartDecl, errors, parsed),
    )


def _records(located: list[Located[T]]) -> tuple[T, ...]:
    return tuple(record for record, _, _ in located)


# --- Cross-references -----------------------------------------------------------------

# An id as written, the file it is written in, and where in that file.
_IdAt = tuple[str, SourceDocument, KeyPath]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class _KnownIds:
    """What a reference may name.

    References are checked against every id written in the files, valid record or not,
    so that one broken record is reported once rather than again at each reference.
    """

    models: set[str]
    benchmarks: set[str]
    lines: set[str]
    papers: set[str]
    benchmark_records: dict[str, schema.Benchmark]  # the valid ones, whose ranges bound scores


def _registry_ids(located: Sequence[Located[_Identified]]) -> list[_IdAt]:
    return [(record.id, doc, (index, "id")) for record, doc, index in located]


def _model_ids(
    papers: list[tuple[schema.Paper, SourceDocument]],
    baselines: list[Located[schema.Baseline]],
) -> list[_IdAt]:
    """Every model id: those the papers introduce, then the baselines."""
    model_ids: list[_IdAt] = [
        (m.id, d, ("models", i, "id")) for p, d in papers for i, m in enumerate(p.models)
    ]
    return model_ids + _registry_ids(baselines)


def _report_duplicates(kind: str, items: list[_IdAt], errors: ErrorList) -> None:
    """Each id written more than once, at every place it is written."""
    counts = Counter(i for i, _, _ in items)
    for ident, doc, path in items:
        if counts[ident] > 1:
            others = ", ".join(sorted({d.name for i, d, _ in items if i == ident}))
            errors.add(doc.error(path, f'duplicate {kind} id "{ident}" (also in {others})'))


def _check_unique_ids(
    papers: list[tuple[schema.Paper, SourceDocument]],
    registries: _Registries,
    model_ids: list[_IdAt],
    errors: ErrorList,
) -> None:
    _report_duplicates("paper", [(p.id, d, ("id",)) for p, d in papers], errors)
    _report_duplicates("model", model_ids, errors)
    _report_duplicates("benchmark", _registry_ids(registries.benchmarks), errors)
    _report_duplicates("glossary", _registry_ids(registries.glossary), errors)
    _report_duplicates("line", _registry_ids(registries.lines), errors)


def _check_result_row(
    row: schema.ResultRow,
    at: KeyPath,
    columns: list[str],
    doc: SourceDocument,
    known: _KnownIds,
    errors: ErrorList,
) -> None:
    """A row names a known benchmark, scores only the table's columns, within range."""
    bench = known.benchmark_records.get(row.benchmark)
    if row.benchmark not in known.benchmarks:
        errors.add(doc.error((*at, "benchmark"), f'unknown benchmark "{row.benchmark}"'))
    for model_id, score in row.scores.items():
        where = (*at, "scores", model_id)
        if model_id not in columns:
            errors.add(doc.error(where, f'"{model_id}" is not one of the table\'s columns'))
        if bench is not None and bench.range is not None and score is not None:
            low, high = bench.range
            if not low <= score <= high:
                message = f"score {score} is outside {bench.name}'s range [{low:g}, {high:g}]"
                errors.add(doc.error(where, message))


def _check_comparison(
    table: schema.Comparison,
    at: KeyPath,
    doc: SourceDocument,
    known: _KnownIds,
    errors: ErrorList,
) -> None:
    """Columns name known models, once each; headline, baseline and scores name columns."""
    columns = [c.model for c in table.columns]
    for k, col in enumerate(table.columns):
        if col.model not in known.models:
            errors.add(doc.error((*at, "columns", k, "model"), f'unknown model "{col.model}"'))
    for dup, n in Counter(columns).items():
        if n > 1:
            errors.add(doc.error((*at, "columns"), f'model "{dup}" appears in {n} columns'))
    for key, ref in (("headline", table.headline), ("baseline", table.baseline)):
        if ref not in columns:
            errors.add(doc.error((*at, key), f'"{ref}" is not one of the columns'))
    for ri, row in enumerate(table.rows):
        _check_result_row(row, (*at, "rows", ri), columns, doc, known, errors)


def _check_paper(
    paper: schema.Paper, doc: SourceDocument, known: _KnownIds, errors: ErrorList
) -> None:
    if paper.line not in known.lines:
        lines = ", ".join(sorted(known.lines))
        errors.add(doc.error(("line",), f'unknown research line "{paper.line}" (known: {lines})'))
    for ci, claim in enumerate(paper.claims):
        for key, ref in (("model", claim.model), ("versus", claim.versus)):
            if ref and ref not in known.models:
                errors.add(doc.error(("claims", ci, key), f'unknown model "{ref}"'))
    for ti, table in enumerate(paper.comparisons):
        _check_comparison(table, ("comparisons", ti), doc, known, errors)
    for where, message in paper.coverage_problems():
        errors.add(doc.error(tuple(int(k) if k.isdigit() else k for k in where), message))


def _check_charts(
    charts: list[Located[schema.ChartDecl]], known: _KnownIds, errors: ErrorList
) -> None:
    for chart, doc, i in charts:
        for k, ref in enumerate(chart.models):
            if ref not in known.models:
                errors.add(doc.error((i, "models", k), f'unknown model "{ref}"'))
        if chart.paper and chart.paper not in known.papers:
            errors.add(doc.error((i, "paper"), f'unknown paper "{chart.paper}"'))
        placeholder = f"{{{chart.each}}}"
        if chart.each and not all(placeholder in page for page in chart.pages):
            message = f'with each: {chart.each}, every page must contain "{placeholder}"'
            errors.add(doc.error((i, "pages"), message))


def _check_glossary(
    glossary: list[Located[schema.GlossaryTerm]],
    known: _KnownIds,
    own_refs: dict[str, set[str]],
    errors: ErrorList,
) -> None:
    """A term names known papers; the paper that introduced it is one of them, and its
    source is one of that paper's own documents (*own_refs*: each valid paper's refs)."""
    for term, doc, i in glossary:
        for k, ref in enumerate(term.papers):
            if ref not in known.papers:
                errors.add(doc.error((i, "papers", k), f'unknown paper "{ref}"'))
        intro = term.introduced_by
        if intro is None:
            continue
        at = (i, "introduced_by")
        if intro.paper not in known.papers:
            errors.add(doc.error((*at, "paper"), f'unknown paper "{intro.paper}"'))
            continue
        if intro.paper not in term.papers:
            message = f'"{intro.paper}" introduced the term but is not one of its papers'
            errors.add(doc.error((*at, "paper"), message))
        refs = own_refs.get(intro.paper)
        if refs is not None and intro.source.ref not in refs:
            message = (
                f'"{intro.source.ref}" is not a document of {intro.paper} '
                f"(its sources cite {', '.join(sorted(refs))})"
            )
            errors.add(doc.error((*at, "source", "ref"), message))


def _check_references(
    papers: list[tuple[schema.Paper, SourceDocument]],
    registries: _Registries,
    raw_ids: dict[str, set[str]],
    errors: ErrorList,
) -> None:
    model_ids = _model_ids(papers, registries.baselines)
    _check_unique_ids(papers, registries, model_ids, errors)
    benchmarks = {b.id: b for b, _, _ in registries.benchmarks}
    known = _KnownIds(
        models={i for i, _, _ in model_ids} | raw_ids["models"],
        benchmarks=set(benchmarks) | raw_ids["benchmarks"],
        lines={r.id for r, _, _ in registries.lines} | raw_ids["lines"],
        papers={p.id for p, _ in papers} | raw_ids["papers"],
        benchmark_records=benchmarks,
    )
    for paper, doc in papers:
        _check_paper(paper, doc, known, errors)
    _report_duplicates("chart", _registry_ids(registries.charts), errors)
    _check_charts(registries.charts, known, errors)
    own_refs = {
        paper.id: {source.ref for source in paper.sources.values()}
        | ({f"arXiv:{paper.arxiv}"} if paper.arxiv else set())
        for paper, _ in papers
    }
    _check_glossary(registries.glossary, known, own_refs, errors)


def _check_typography(
    docs: Sequence[SourceDocument | None], errors: ErrorList, parsed: ParsedFiles | None
) -> None:
    """Chinese text with full-width punctuation: the data's Chinese fields and the
    interface strings (the prose of content/ is checked as it is read); every metric and
    setting with its words in Chinese (generators/vocabulary.py)."""
    for doc in docs:
        if doc is not None:
            derive(parsed, ("typography", doc.path), (doc,), _document_typography(doc), errors)
    # The strings are this process's own module: checked once per process.
    derive(parsed, ("typography", "strings"), (), _strings_typography, errors)


def _document_typography(doc: SourceDocument) -> Callable[[ErrorList], None]:
    def check(found: ErrorList) -> None:
        for problem in (*typography.check_document(doc), *vocabulary.check_document(doc)):
            found.add(problem)

    return check


def _strings_typography(found: ErrorList) -> None:
    for problem in typography.check_strings(
        Path(strings.__file__),
        {"UI": strings.UI, "VARIANTS": strings.VARIANTS, "DOMAINS": strings.DOMAINS},
        "generators/strings.py",
    ):
        found.add(problem)


def _check_lineage(
    lineage: schema.Lineage, doc: SourceDocument, raw: dict[str, set[str]], errors: ErrorList
) -> None:
    for i, link in enumerate(lineage.links):
        for key, ref in (("from", link.from_), ("to", link.to)):
            if ref not in raw["papers"]:
                errors.add(doc.error(("links", i, key), f'unknown paper "{ref}"'))
        if link.from_ == link.to:
            errors.add(doc.error(("links", i), "a paper cannot lead to itself"))
    for i, ref in enumerate(lineage.generations):
        if ref not in raw["models"]:
            errors.add(doc.error(("generations", i), f'unknown model "{ref}"'))


def _check_documents(
    registry: schema.DocumentRegistry,
    doc: SourceDocument,
    paper_docs: list[SourceDocument],
    errors: ErrorList,
) -> None:
    """Ids are unique; `backs` names papers and aliases of their `sources:`, each alias
    backed by one document at most."""
    entries = registry.documents
    ids: list[_IdAt] = [(d.id, doc, ("documents", i, "id")) for i, d in enumerate(entries)]
    _report_duplicates("document", ids, errors)
    # Each paper's aliases as written, by its id (and by its file name, which is its id).
    aliases: dict[str, set[str]] = {}
    for paper_doc in paper_docs:
        raw = paper_doc.data if isinstance(paper_doc.data, dict) else {}
        sources = raw.get("sources")
        names = {str(k) for k in sources} if isinstance(sources, dict) else set()
        for key in (paper_doc.path.stem, raw.get("id")):
            if isinstance(key, str):
                aliases.setdefault(key, set()).update(names)
    backed: dict[tuple[str, str], list[tuple[str, KeyPath]]] = {}
    for i, entry in enumerate(entries):
        for paper, listed in entry.backs.items():
            at: KeyPath = ("documents", i, "backs", paper)
            if paper not in aliases:
                errors.add(doc.error(at, f'unknown paper "{paper}"'))
                continue
            for k, alias in enumerate(listed):
                if alias not in aliases[paper]:
                    known = ", ".join(sorted(aliases[paper])) or "none"
                    message = f'"{alias}" is not a source alias of {paper} (known: {known})'
                    errors.add(doc.error((*at, k), message))
                    continue
                backed.setdefault((paper, alias), []).append((entry.id, (*at, k)))
    for (paper, alias), places in backed.items():
        if len(places) < 2:
            continue
        owners = list(dict.fromkeys(owner for owner, _ in places))
        if len(owners) == 1:
            message = f'{paper}\'s source "{alias}" is listed more than once'
        else:
            message = (
                f'{paper}\'s source "{alias}" is backed by more than one document '
                f"({', '.join(owners)}); one document backs an alias"
            )
        for _, path in places:
            errors.add(doc.error(path, message))


def _raw_ids(
    paper_docs: list[SourceDocument],
    registry_docs: dict[str, SourceDocument | None],
    paper_stems: AbstractSet[str] = frozenset(),
) -> dict[str, set[str]]:
    """Ids as written, whether or not their record validated."""

    def ids(items: Any) -> set[str]:
        if not isinstance(items, list):
            return set()
        return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}

    papers = [d.data for d in paper_docs if isinstance(d.data, dict)]
    models: set[str] = set().union(*(ids(p.get("models")) for p in papers)) if papers else set()
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


# --- The whole data directory ---------------------------------------------------------


def _read_files(
    data_dir: Path, root: Path, errors: ErrorList, parsed: ParsedFiles | None
) -> tuple[list[SourceDocument], dict[str, SourceDocument | None]]:
    """Every paper file that reads, and each registry file (None when it does not read)."""
    paper_docs = load_directory(data_dir / "papers", root, errors, parsed)
    registry_docs: dict[str, SourceDocument | None] = {}
    for kind, filename in REGISTRY_FILES.items():
        path = data_dir / filename
        if not path.exists():
            errors.add(DataError(file=f"{data_dir.name}/{filename}", message="the file is missing"))
            registry_docs[kind] = None
            continue
        registry_docs[kind] = load_file(path, root, errors, parsed)
    papers_dir = data_dir / "papers"
    if not paper_docs and (not papers_dir.is_dir() or not any(papers_dir.glob("*.y*ml"))):
        errors.add(DataError(file=f"{data_dir.name}/papers", message="no paper files found"))
    return paper_docs, registry_docs


def _load_lineage(
    data_dir: Path, root: Path, errors: ErrorList, parsed: ParsedFiles | None
) -> tuple[schema.Lineage | None, SourceDocument | None]:
    """The lineage file (optional), validated, and its document."""
    path = data_dir / LINEAGE_FILE
    doc = load_file(path, root, errors, parsed) if path.exists() else None
    if doc is None:
        return None, None

    def validate(found: ErrorList) -> schema.Lineage | None:
        return _validate(_adapter(schema.Lineage), doc.data, doc, (), found)

    return derive(parsed, ("lineage",), (doc,), validate, errors), doc


def _load_documents(
    data_dir: Path, root: Path, errors: ErrorList, parsed: ParsedFiles | None
) -> tuple[schema.DocumentRegistry | None, SourceDocument | None]:
    """The registry of source documents (optional: none when the file is absent)."""
    path = data_dir / DOCUMENTS_FILE
    doc = load_file(path, root, errors, parsed) if path.exists() else None
    if doc is None:
        return (None if path.exists() else schema.DocumentRegistry()), None

    def validate(found: ErrorList) -> schema.DocumentRegistry | None:
        return _validate(_adapter(schema.DocumentRegistry), doc.data, doc, (), found)

    return derive(parsed, ("documents",), (doc,), validate, errors), doc


def _paper_stems(data_dir: Path) -> set[str]:
    """The name of every paper file, readable or not."""
    papers_dir = data_dir / "papers"
    return {p.stem for p in papers_dir.glob("*.y*ml")} if papers_dir.is_dir() else set()


def load_and_validate(
    data_dir: Path, root: Path, parsed: ParsedFiles | None = None
) -> ValidatedData:
    """Load every data file under *data_dir*; raise `DataValidationError` listing all problems.

    *parsed* keeps the parsed files from one call to the next (see `ParsedFiles`).
    """
    errors = ErrorList()
    # Load inputs.
    paper_docs, registry_docs = _read_files(data_dir, root, errors, parsed)

    # Process data.
    registries = _load_registries(registry_docs, errors, parsed)
    # Problems so far: files that are not YAML at all (syntax, encoding, empty), and
    # registry records that fail their schema.
    unreadable = len(errors)
    papers = [
        (p, d)
        for d in paper_docs
        if (p := derive(parsed, ("paper", d.path), (d,), functools.partial(_load_paper, d), errors))
        is not None
    ]
    lineage, lineage_doc = _load_lineage(data_dir, root, errors, parsed)
    registry, registry_doc = _load_documents(data_dir, root, errors, parsed)
    raw = _raw_ids(paper_docs, registry_docs, _paper_stems(data_dir))
    # References into a file that cannot be read would all look broken: check them once
    # every file reads, so one syntax error is reported as one problem.
    if not unreadable:
        _check_references(papers, registries, raw, errors)
        if lineage is not None and lineage_doc is not None:
            _check_lineage(lineage, lineage_doc, raw, errors)
        if registry is not None and registry_doc is not None:
            _check_documents(registry, registry_doc, paper_docs, errors)
        every = [*paper_docs, *registry_docs.values(), lineage_doc, registry_doc]
        _check_typography(every, errors, parsed)

    if errors or registry is None:
        raise DataValidationError(errors.errors)
    found = checks.read(
        data_dir, root, {d.path.stem: d for _p, d in papers}, registry, errors, parsed
    )
    if errors:
        raise DataValidationError(errors.errors)
    papers.sort(key=lambda pd: (pd[0].sort_date, pd[0].id))
    return ValidatedData(
        papers=tuple(p for p, _ in papers),
        benchmarks=_records(registries.benchmarks),
        baselines=_records(registries.baselines),
        glossary=_records(registries.glossary),
        lines=_records(registries.lines),
        overrides=_records(registries.overrides),
        charts=_records(registries.charts),
        lineage=lineage,
        document_registry=registry,
        document_file=registry_doc,
        documents={d.name: d for d in [*paper_docs, *(x for x in registry_docs.values() if x)]},
        checks=found,
    )
