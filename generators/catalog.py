"""The read-only, indexed view of validated data that every renderer uses.

Derived figures (score deltas, disagreements between sources) are pure functions of
the validated records, computed here once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import evidence, schema
from .checks import PaperChecks
from .documents import Registry
from .validate import ValidatedData
from .verify.targets import claim_name, fact_name, score_name

Card = schema.ModelCard | schema.Baseline


@dataclass(frozen=True, kw_only=True)
class ModelEntry:
    """A model and, for DeepSeek models, the paper that introduces it."""

    card: Card
    paper: schema.Paper | None

    @property
    def id(self) -> str:
        return self.card.id

    @property
    def name(self) -> str:
        return self.card.name

    @property
    def is_deepseek(self) -> bool:
        return self.paper is not None


@dataclass(frozen=True, kw_only=True)
class Score:
    """One score in one results table: the long format of `results.csv`."""

    paper: str
    comparison: str
    model: str
    model_label: str  # as the paper prints it
    benchmark: str
    benchmark_label: str  # as the paper prints it
    setting: str
    metric: str
    score: float
    source: schema.Source
    # "rescored" for a later paper's score of a model an earlier paper introduced or
    # already scored on this benchmark, else the source's kind (typed: the fixed set only).
    evidence: schema.EvidenceKind
    # Found in its row of the source document, and unchanged since (generators/checks.py).
    checked: bool = False


@dataclass(frozen=True, kw_only=True)
class Delta:
    """Headline model minus main baseline on one row of a comparison table."""

    benchmark: schema.Benchmark
    label: str
    setting: str
    headline: float
    baseline: float

    @property
    def value(self) -> float:
        return round(self.headline - self.baseline, 4)

    @property
    def favours_headline(self) -> bool:
        if self.value == 0:
            return False
        return (self.value > 0) == self.benchmark.higher_is_better


@dataclass(frozen=True, kw_only=True)
class Disagreement:
    """The same model, benchmark and setting scored differently by different sources."""

    model: str
    benchmark: str
    setting: str
    scores: tuple[Score, ...]


@dataclass(frozen=True, kw_only=True)
class FactDisagreement:
    """One model fact (a configuration field) that sources give different values for."""

    model: ModelEntry
    field: str
    readings: tuple[tuple[Any, schema.Source], ...]  # the first is the value charts use


_SHOTS = re.compile(r"(\d+)-shot")


def _same_shots(a: Score, b: Score) -> bool:
    shots_a, shots_b = _SHOTS.search(a.setting), _SHOTS.search(b.setting)
    return shots_a is None or shots_b is None or shots_a.group(1) == shots_b.group(1)


def _conflicting(rows: list[Score]) -> list[Score]:
    """The scores another source contradicts, each source's value once."""
    involved: list[Score] = []
    evidence: set[tuple[schema.Source, float, str]] = set()  # one source, one value: once
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a.score != b.score and a.source != b.source and _same_shots(a, b):
                for r in (a, b):
                    if (r.source, r.score, r.setting) not in evidence:
                        evidence.add((r.source, r.score, r.setting))
                        involved.append(r)
    return involved


def _is_checked(data: ValidatedData, paper: str, name: str) -> bool:
    found = data.checks.get(paper)
    return found is not None and name in found.checked


def _scores(data: ValidatedData) -> tuple[Score, ...]:
    """Every score of every results table, in paper, table, row and column order."""
    scores: list[Score] = []
    # Papers are in date order: a model's own paper, and the first paper to score a model
    # on a benchmark, come before any paper that scores it again.
    order = {paper.id: i for i, paper in enumerate(data.papers)}
    introduced = {card.id: order[paper.id] for paper in data.papers for card in paper.models}
    first_scored: dict[tuple[str, str], str] = {}
    benchmarks = {b.id: b for b in data.benchmarks}
    for paper in data.papers:
        for table in paper.comparisons:
            labels = {c.model: c.label for c in table.columns}
            kind = evidence.of_source(table.source)
            for row in table.rows:
                bench = benchmarks[row.benchmark]
                for col in table.columns:
                    value = row.scores.get(col.model)
                    if value is None:
                        continue
                    first = first_scored.setdefault((col.model, row.benchmark), paper.id)
                    rescored = (
                        first != paper.id
                        or introduced.get(col.model, order[paper.id]) < (order[paper.id])
                    )
                    scores.append(
                        Score(
                            paper=paper.id,
                            comparison=table.id,
                            model=col.model,
                            model_label=labels[col.model],
                            benchmark=row.benchmark,
                            benchmark_label=row.label,
                            setting=row.setting,
                            metric=row.metric or bench.metric,
                            score=value,
                            source=table.source,
                            evidence="rescored" if rescored else kind,
                            checked=_is_checked(
                                data,
                                paper.id,
                                score_name(table.id, row.label, row.setting, col.model),
                            ),
                        )
                    )
    return tuple(scores)


@dataclass(frozen=True, kw_only=True)
class Catalog:
    """Everything the site shows, indexed for the page, chart and export builders."""

    papers: tuple[schema.Paper, ...]
    benchmarks: dict[str, schema.Benchmark]
    models: dict[str, ModelEntry]
    lines: tuple[schema.ResearchLine, ...]
    glossary: tuple[schema.GlossaryTerm, ...]
    overrides: tuple[schema.Override, ...]
    charts: tuple[schema.ChartDecl, ...] = ()
    lineage: schema.Lineage | None = None
    scores: tuple[Score, ...] = field(default=())
    # The source documents the numbers are read from (data/documents.yaml; none without it).
    documents: Registry = field(default_factory=Registry)
    # What the record of checks against those documents still vouches for, by paper id.
    checks: dict[str, PaperChecks] = field(default_factory=dict)

    @classmethod
    def build(cls, data: ValidatedData) -> Catalog:
        models: dict[str, ModelEntry] = {}
        for paper in data.papers:
            for card in paper.models:
                models[card.id] = ModelEntry(card=card, paper=paper)
        for base in data.baselines:
            models[base.id] = ModelEntry(card=base, paper=None)
        return cls(
            papers=data.papers,
            benchmarks={b.id: b for b in data.benchmarks},
            models=models,
            lines=data.lines,
            glossary=data.glossary,
            overrides=data.overrides,
            charts=data.charts,
            lineage=data.lineage,
            scores=_scores(data),
            documents=Registry.of(data.document_registry, data.document_file),
            checks=data.checks,
        )

    # --- Look-ups ----------------------------------------------------------------

    def paper(self, paper_id: str) -> schema.Paper:
        return self.papers_by_id[paper_id]

    def line(self, line_id: str) -> schema.ResearchLine:
        return next(line for line in self.lines if line.id == line_id)

    def document_for(self, paper_id: str, alias: str) -> schema.Document | None:
        """The source document that backs source *alias* of paper *paper_id*, if any."""
        return self.documents.document_for(paper_id, alias)

    @cached_property
    def any_checked(self) -> bool:
        """Whether the site shows any number checked against its document: the legends'
        ✓ and the chart tables' column of checks appear only then."""
        return any(found.checked for found in self.checks.values())

    def paper_checks(self, paper_id: str) -> PaperChecks:
        """What the record of checks vouches for in one paper (nothing without a record)."""
        return self.checks.get(paper_id) or PaperChecks()

    def fact_checked(self, model_id: str, field_name: str, index: int | None = None) -> bool:
        """Whether a DeepSeek model's configuration value was found in its document;
        *index* numbers the values of a field with several (0 the first), else None."""
        entry = self.models.get(model_id)
        if entry is None or entry.paper is None:
            return False
        name = fact_name(model_id, field_name, index)
        return name in self.paper_checks(entry.paper.id).checked

    def claim_checked(self, paper_id: str, claim_id: str) -> bool:
        return claim_name(claim_id) in self.paper_checks(paper_id).checked

    @cached_property
    def papers_by_id(self) -> dict[str, schema.Paper]:
        return {p.id: p for p in self.papers}

    @cached_property
    def paper_dates(self) -> dict[str, tuple[dt.date, dt.date]]:
        """Each paper's (`sort_date`, `first_date`), worked out once: every benchmark view
        orders its scores by them."""
        return {p.id: (p.sort_date, p.first_date) for p in self.papers}

    @cached_property
    def comparisons_by_id(self) -> dict[tuple[str, str], schema.Comparison]:
        """Each results table by paper and table id."""
        return {(p.id, t.id): t for p in self.papers for t in p.comparisons}

    def papers_in_line(self, line_id: str) -> list[schema.Paper]:
        return [p for p in self.papers if p.line == line_id]

    @cached_property
    def deepseek_models(self) -> list[ModelEntry]:
        return [m for m in self.models.values() if m.is_deepseek]

    # --- Derived figures ---------------------------------------------------------

    def deltas(self, table: schema.Comparison) -> list[Delta]:
        """Headline minus baseline for every row where both have a score."""
        out: list[Delta] = []
        for row in table.rows:
            head = row.scores.get(table.headline)
            base = row.scores.get(table.baseline)
            if head is None or base is None:
                continue
            out.append(
                Delta(
                    benchmark=self.benchmarks[row.benchmark],
                    label=row.label,
                    setting=row.setting,
                    headline=head,
                    baseline=base,
                )
            )
        return out

    @cached_property
    def scores_by_benchmark(self) -> dict[str, tuple[Score, ...]]:
        """Every benchmark's scores across all papers, in `scores` order (none: empty)."""
        found: dict[str, list[Score]] = {b: [] for b in self.benchmarks}
        for s in self.scores:
            found[s.benchmark].append(s)
        return {b: tuple(rows) for b, rows in found.items()}

    @cached_property
    def scores_by_table(self) -> dict[tuple[str, str], tuple[Score, ...]]:
        """Each results table's scores (by paper and table id), in `scores` order."""
        found: dict[tuple[str, str], list[Score]] = defaultdict(list)
        for s in self.scores:
            found[s.paper, s.comparison].append(s)
        return {key: tuple(rows) for key, rows in found.items()}

    @cached_property
    def disagreeing_scores(self) -> frozenset[Score]:
        """Every score a disagreement between sources involves."""
        return frozenset(s for d in self.disagreements for s in d.scores)

    @cached_property
    def disagreements(self) -> tuple[Disagreement, ...]:
        """Scores of one model on one benchmark that differ between sources.

        Rows match on model, benchmark and metric (and the row label where a table splits
        one benchmark into sub-tasks, e.g. HumanEval per language). Settings are compared
        by their shot count only, since sources word the same setting differently; rows
        with different shot counts measure different things and are not a disagreement.
        """
        groups: dict[tuple[str, str, str, str], list[Score]] = defaultdict(list)
        for s in self.scores:
            groups[(s.model, s.benchmark, s.metric, self.subtask(s))].append(s)
        out: list[Disagreement] = []
        for (model, bench, _, _), rows in sorted(groups.items()):
            involved = _conflicting(rows)
            if involved:
                out.append(
                    Disagreement(
                        model=model,
                        benchmark=bench,
                        setting=involved[0].setting,
                        scores=tuple(involved),
                    )
                )
        return tuple(out)

    @cached_property
    def split_benchmarks(self) -> frozenset[str]:
        """Benchmarks some table splits into sub-tasks (several rows for one model)."""
        per_table = Counter((s.paper, s.comparison, s.benchmark, s.model) for s in self.scores)
        return frozenset(benchmark for (_, _, benchmark, _), n in per_table.items() if n > 1)

    def subtask(self, score: Score) -> str:
        """The row label where the benchmark is split into sub-tasks (e.g. HumanEval per
        language), else "": scores of different sub-tasks never measure the same thing."""
        return score.benchmark_label if score.benchmark in self.split_benchmarks else ""

    def disagreements_for(self, paper_id: str) -> list[Disagreement]:
        return [d for d in self.disagreements if any(s.paper == paper_id for s in d.scores)]

    @cached_property
    def fact_disagreements(self) -> tuple[FactDisagreement, ...]:
        """Model facts that sources give different values for, in model and field order."""
        return tuple(
            FactDisagreement(model=entry, field=name, readings=tuple(value.readings()))
            for entry in self.models.values()
            for name, value in entry.card.config.items()
            if value.disagrees
        )

    def fact_disagreements_for(self, paper_id: str) -> list[FactDisagreement]:
        """The disagreeing facts of the models *paper_id* introduces."""
        return [
            d
            for d in self.fact_disagreements
            if d.model.paper is not None and d.model.paper.id == paper_id
        ]
