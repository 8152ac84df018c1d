"""Plan the site: which pages exist, which template renders each, and with what context.

Planning is separate from rendering so the page list (and the navigation built from
it) is known before anything is written.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from . import benchmarks, schema, strings
from .catalog import Catalog, Delta, ModelEntry
from .changes import ChangeLog
from .model_explorer import ModelExplorer
from .render import SourcedValue

CONFIG_FIELDS = tuple(schema.ModelConfig.model_fields)
MAX_CONFIG_COLUMNS = 5  # wider tables are split so they stay readable on a laptop


@dataclass(frozen=True, kw_only=True)
class PageSpec:
    """One page, in every language: ``<path>.<lang>.md`` under the docs tree."""

    path: str  # without suffix, e.g. "papers/deepseek-v2"
    template: str
    section: str | None  # nav section key (a UI string), None for top level
    subsection: schema.LocalizedText | None = None  # nav group inside the section
    context: dict[str, object] = field(default_factory=dict)  # template variables
    prose: str | None = None  # content/<prose>.<lang>.md, included by the template


@dataclass(frozen=True, kw_only=True)
class ResultRowView:
    benchmark: str  # id: the row links to the benchmark's page
    label: str
    setting: str
    scores: dict[str, float | None]
    evidence: dict[str, str]  # each score's evidence kind, by model
    delta: Delta | None
    lower_is_better: bool
    # The models whose score was checked against its document (generators/checks.py).
    checked: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class ComparisonView:
    comparison: schema.Comparison
    rows: list[ResultRowView]
    headline_label: str
    baseline_label: str

    @property
    def any_lower_is_better(self) -> bool:
        return any(r.lower_is_better for r in self.rows)


@dataclass(frozen=True, kw_only=True)
class ConfigTable:
    models: list[schema.ModelCard]
    fields: list[str]


def config_tables(cards: list[schema.ModelCard]) -> list[ConfigTable]:
    tables: list[ConfigTable] = []
    for start in range(0, len(cards), MAX_CONFIG_COLUMNS):
        group = cards[start : start + MAX_CONFIG_COLUMNS]
        fields = [f for f in CONFIG_FIELDS if any(getattr(c.config, f) for c in group)]
        tables.append(ConfigTable(models=group, fields=fields))
    return tables


def comparison_view(
    catalog: Catalog, paper: schema.Paper, table: schema.Comparison
) -> ComparisonView:
    deltas = {(d.label, d.setting): d for d in catalog.deltas(table)}
    labels = {c.model: c.label for c in table.columns}
    scores = {
        (s.model, s.benchmark, s.benchmark_label, s.setting): s
        for s in catalog.scores_by_table.get((paper.id, table.id), ())
    }
    rows: list[ResultRowView] = []
    for row in table.rows:
        bench = catalog.benchmarks[row.benchmark]
        rows.append(
            ResultRowView(
                benchmark=row.benchmark,
                label=row.label,
                setting=row.setting,
                scores=row.scores,
                evidence={
                    model: scores[(model, row.benchmark, row.label, row.setting)].evidence
                    for model, value in row.scores.items()
                    if value is not None
                },
                delta=deltas.get((row.label, row.setting)),
                lower_is_better=not bench.higher_is_better,
                checked=frozenset(
                    model
                    for model, value in row.scores.items()
                    if value is not None
                    and scores[(model, row.benchmark, row.label, row.setting)].checked
                ),
            )
        )
    return ComparisonView(
        comparison=table,
        rows=rows,
        headline_label=labels[table.headline],
        baseline_label=labels[table.baseline],
    )


def expert_models(catalog: Catalog, line_id: str) -> list[ModelEntry]:
    """MoE models the line's papers introduce or compare against, in paper order."""
    papers = catalog.papers_in_line(line_id)
    wanted: list[str] = []
    for paper in papers:
        wanted += [m.id for m in paper.models]
        wanted += [c.model for t in paper.comparisons for c in t.columns]
    seen: list[str] = []
    for model_id in wanted:
        entry = catalog.models[model_id]
        if model_id not in seen and entry.card.config.routed_experts:
            seen.append(model_id)
    return [catalog.models[i] for i in seen]


NEWEST_ON_HOME = 6


def bibtex(paper: schema.Paper) -> str:
    entry = paper.bibtex
    if entry is None:
        return ""
    lines = [f"@{entry.type}{{{entry.key},"]
    for name, value in entry.fields.items():
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def _paper_page(catalog: Catalog, paper: schema.Paper, common: dict[str, object]) -> PageSpec:
    return PageSpec(
        path=f"papers/{paper.id}",
        template="paper.md.j2",
        section="nav_papers",
        subsection=catalog.line(paper.line).name,
        context={
            **common,
            "paper": paper,
            "line": catalog.line(paper.line),
            "config_tables": config_tables(paper.models),
            "tables": [comparison_view(catalog, paper, t) for t in paper.comparisons],
            "disagreements": catalog.disagreements_for(paper.id),
            "fact_disagreements": catalog.fact_disagreements_for(paper.id),
            "bibtex": bibtex(paper),
            # What the record of checks against the paper's documents vouches for.
            "checks": catalog.paper_checks(paper.id),
            # The glossary's terms of this paper: its search tags (see the template).
            "terms": [term for term in catalog.glossary if paper.id in term.papers],
            # The terms this paper introduced: named in full on its page, tagged once more.
            "introduced": [
                term
                for term in catalog.glossary
                if term.introduced_by is not None and term.introduced_by.paper == paper.id
            ],
        },
    )


def _topic_page(catalog: Catalog, line: schema.ResearchLine, common: dict[str, object]) -> PageSpec:
    return PageSpec(
        path=f"topics/{line.topic}",
        template="topic.md.j2",
        section="nav_topics",
        prose=f"topics/{line.topic}",
        context={
            **common,
            "line": line,
            "papers": catalog.papers_in_line(line.id),
            "expert_models": expert_models(catalog, line.id),
        },
    )


def _benchmark_pages(catalog: Catalog, common: dict[str, object]) -> list[PageSpec]:
    """The benchmarks' index, then one page per benchmark, grouped by domain in the nav."""
    grouped = benchmarks.by_domain(catalog)
    counts = {b: len(rows) for b, rows in catalog.scores_by_benchmark.items()}
    pages = [
        PageSpec(
            path="benchmarks/index",
            template="benchmarks_index.md.j2",
            section="nav_benchmarks",
            context={**common, "domains": grouped, "counts": counts},
        )
    ]
    for domain, members in grouped:
        zh_hant, en = strings.DOMAINS[domain]
        name = schema.LocalizedText.model_validate({"zh-Hant": zh_hant, "en": en})
        for bench in members:
            view = benchmarks.view(catalog, bench)
            parts = benchmarks.paginate(view.groups)
            pages += [
                PageSpec(
                    path=benchmark_path(bench.id, number),
                    template="benchmark.md.j2",
                    section="nav_benchmarks",
                    subsection=name,
                    context={
                        **common,
                        "view": view,
                        "groups": groups,
                        "part": number,
                        "parts": len(parts),
                        "pager": _pager(bench.id, number, len(parts)),
                    },
                )
                for number, groups in enumerate(parts, start=1)
            ]
    return pages


def benchmark_path(benchmark: str, part: int = 1) -> str:
    """A benchmark's page: its first part at benchmarks/<id>, the next at benchmarks/<id>/<n>."""
    return f"benchmarks/{benchmark}" if part == 1 else f"benchmarks/{benchmark}/{part}"


def _pager(benchmark: str, part: int, parts: int) -> list[tuple[int, str | None]]:
    """Every part's number and its link from part *part* (None for the part itself)."""
    if parts == 1:
        return []
    here = benchmark_path(benchmark, part).rsplit("/", 1)[0]
    links: list[tuple[int, str | None]] = []
    for number in range(1, parts + 1):
        target = benchmark_path(benchmark, number) + ".md"
        links.append((number, None if number == part else posixpath.relpath(target, here)))
    return links


# The data files other than papers, as the What changed page heads them: the title's
# interface string and the page that shows the file's content.
CHANGED_FILES: dict[str, tuple[str, str | None]] = {
    "baselines.yaml": ("changes_baselines", None),
    "benchmarks.yaml": ("nav_benchmarks", "benchmarks/index.md"),
    "glossary.yaml": ("nav_glossary", "glossary.md"),
    "lineage.yaml": ("nav_lineage", "lineage.md"),
    "research-lines.yaml": ("changes_research_lines", "index.md"),
}


def _changes_page(catalog: Catalog, changelog: ChangeLog, common: dict[str, object]) -> PageSpec:
    return PageSpec(
        path="changes",
        template="changes.md.j2",
        section=None,
        context={
            **common,
            "changelog": changelog,
            # zh-Hans lists what zh-Hant lists: its text derives from zh-Hant's.
            "days": {lang: changelog.days(lang) for lang in ("zh-Hant", "en")},
            "paper_ids": {paper.id for paper in catalog.papers},
            "changed_files": CHANGED_FILES,
        },
    )


def plan(catalog: Catalog, changelog: ChangeLog) -> list[PageSpec]:
    """Every page of the site, in navigation order."""

    def model_name(model_id: str) -> str:
        return catalog.models[model_id].name

    def fact_checked(model_id: str, name: str, sourced: SourcedValue, index: int = 0) -> bool:
        """Whether the value of reading *index* (0: the first) of a model's fact was
        checked against its document."""
        return catalog.fact_checked(model_id, name, index if sourced.others else None)

    common: dict[str, object] = {
        "catalog": catalog,
        "model_name": model_name,
        "fact_checked": fact_checked,
        "claim_checked": catalog.claim_checked,
        # The evidence legends name ✓ once the site shows a number checked.
        "checks_shown": catalog.any_checked,
    }
    pages = [
        PageSpec(
            path="index",
            template="home.md.j2",
            section=None,
            prose="home",
            # The landing page opens with the newest papers, newest first.
            context={**common, "newest": catalog.papers[::-1][:NEWEST_ON_HOME]},
        ),
        PageSpec(
            path="papers/index", template="papers_index.md.j2", section="nav_papers", context=common
        ),
    ]
    line_order = {line.id: i for i, line in enumerate(catalog.lines)}
    by_line = sorted(catalog.papers, key=lambda p: (line_order.get(p.line, 99), p.sort_date, p.id))
    pages += [_paper_page(catalog, paper, common) for paper in by_line]
    pages += [_topic_page(catalog, line, common) for line in catalog.lines]
    pages += [
        PageSpec(
            path="lineage", template="lineage.md.j2", section=None, prose="lineage", context=common
        ),
        PageSpec(
            path="compare",
            template="compare.md.j2",
            section=None,
            context={**common, "explorer": ModelExplorer(catalog=catalog)},
        ),
        *_benchmark_pages(catalog, common),
        PageSpec(path="charts", template="charts.md.j2", section=None, context=common),
        PageSpec(path="glossary", template="glossary.md.j2", section=None, context=common),
        PageSpec(path="about", template="about.md.j2", section=None, prose="about", context=common),
        _changes_page(catalog, changelog, common),
        PageSpec(path="downloads", template="downloads.md.j2", section=None, context=common),
    ]
    return pages
