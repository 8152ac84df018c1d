"""The data schema: one pydantic model per kind of record, a description on every field.

These models check what a single value can be checked for (types, units, ranges,
required translations). Checks that need more than one record (references, unique
ids across files) live in `validate`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from .charts.kind_names import KIND_NAMES

ID_PATTERN = r"^[a-z0-9][a-z0-9.\-]*[a-z0-9]$|^[a-z0-9]$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise ValueError("must be an http:// or https:// address")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]


def _not_in_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError(f"{value.isoformat()} is in the future")
    return value


PastDate = Annotated[dt.date, AfterValidator(_not_in_future)]


class Strict(BaseModel):
    """Base for every record: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class LocalizedText(Strict):
    """Prose written in Traditional Chinese and in English (Simplified is derived)."""

    zh_Hant: NonEmpty = Field(alias="zh-Hant", description="Traditional Chinese, Taiwan wording")
    en: NonEmpty = Field(description="English")

    def get(self, lang: str) -> str:
        return self.zh_Hant if lang == "zh-Hant" else self.en


# What kind of evidence stands behind a published number: the fixed set (see
# `generators/evidence.py` for how each value's kind is determined).
EvidenceKind = Literal["paper-table", "paper-text", "repository", "derived", "rescored"]
# The kinds a source may name itself; "derived" and "rescored" are never read from a
# source, they follow from how the site uses the value.
SourceEvidence = Literal["paper-table", "paper-text", "repository"]


_ARXIV_REF = re.compile(r"^arXiv:\d{4}\.\d{4,5}$")
_REPO = re.compile(r"^[\w.\-]+/[\w.\-]+$")


class Source(Strict):
    """Where a value was read: a paper's table or section, or an official repository file."""

    kind: Literal["paper", "readme", "model-card"] = Field(
        description="paper (arXiv), readme (official GitHub repo) or model-card (official Hugging Face card)"
    )
    ref: NonEmpty = Field(
        description=(
            '"arXiv:2405.04434" or "deepseek-ai/DeepSeek-V2"; a paper with no arXiv identifier '
            "is cited by the repository that publishes it (its `url` the PDF at a commit)"
        )
    )
    where: NonEmpty = Field(
        description="table, figure or section, precise enough to find in a minute"
    )
    url: HttpUrl | None = Field(
        default=None, description="explicit link; derived from ref if absent"
    )
    evidence: SourceEvidence | None = Field(
        default=None,
        description=(
            "the kind of evidence, only where the rule would be wrong: paper-table "
            "(a paper's table or figure), paper-text (a paper's prose) or repository "
            "(README or model card); by default a paper source whose `where` starts "
            "with a table or figure is paper-table, another paper source paper-text, "
            "a readme or model-card source repository"
        ),
    )

    @model_validator(mode="after")
    def _ref_matches_kind(self) -> "Source":
        if self.kind == "paper" and not (_ARXIV_REF.match(self.ref) or _REPO.match(self.ref)):
            raise ValueError('a paper source needs ref "arXiv:NNNN.NNNNN" or "owner/repository"')
        if self.kind != "paper" and not _REPO.match(self.ref):
            raise ValueError('a readme source needs ref "owner/repository"')
        if self.kind != "paper" and self.evidence in {"paper-table", "paper-text"}:
            raise ValueError(f'a {self.kind} source cannot be evidence "{self.evidence}"')
        if self.kind == "paper" and self.evidence == "repository":
            raise ValueError('a paper source cannot be evidence "repository"')
        return self

    @property
    def link(self) -> str:
        if self.url:
            return self.url
        if self.kind == "paper" and _ARXIV_REF.match(self.ref):
            return f"https://arxiv.org/abs/{self.ref.removeprefix('arXiv:')}"
        if self.kind == "model-card":
            return f"https://huggingface.co/{self.ref}"
        return f"https://github.com/{self.ref}"

    @property
    def label(self) -> str:
        return f"{self.ref}, {self.where}"


# In YAML a source may be an alias into the paper's `sources:` map; `validate` resolves
# aliases before these models see the data, so here every source is a full `Source`.
SourceRef = Source


_OTHERS = (
    "further values of the same fact, each with its own source, in the order the YAML "
    "lists them (written there as a list of {value, source}); the first value is the one "
    "charts and derived figures use"
)


class _Several(Strict):
    """A model fact: its first value and source, and further sourced values if any."""

    if TYPE_CHECKING:  # each subclass declares the three fields with its value's type
        value: Any
        source: Source
        others: tuple[Any, ...]

    @model_validator(mode="after")
    def _others_are_flat(self) -> "_Several":
        for other in self.others:
            if other.others:
                raise ValueError("a further value cannot list further values of its own")
        return self

    def readings(self) -> list[tuple[Any, Source]]:
        """Every (value, source) of the fact, the first value first."""
        first: tuple[Any, Source] = (self.value, self.source)
        return [first, *((o.value, o.source) for o in self.others)]

    @property
    def disagrees(self) -> bool:
        """Sources give this fact more than one value."""
        return len({value for value, _ in self.readings()}) > 1


class SourcedInt(_Several):
    value: PositiveInt
    source: SourceRef
    others: tuple[SourcedInt, ...] = Field(default=(), description=_OTHERS)


class SourcedCount(_Several):
    value: NonNegativeInt
    source: SourceRef
    others: tuple[SourcedCount, ...] = Field(default=(), description=_OTHERS)


class SourcedFloat(_Several):
    value: PositiveFloat
    source: SourceRef
    others: tuple[SourcedFloat, ...] = Field(default=(), description=_OTHERS)


class SourcedAttention(_Several):
    value: Literal["MHA", "GQA", "MQA", "MLA"]
    source: SourceRef
    others: tuple[SourcedAttention, ...] = Field(default=(), description=_OTHERS)


class SourcedText(_Several):
    value: NonEmpty
    source: SourceRef
    others: tuple[SourcedText, ...] = Field(default=(), description=_OTHERS)


class SourcedDate(Strict):
    value: PastDate
    source: SourceRef


# Marks, in a model's JSON Schema, a block whose plain values take its ``source:`` (see
# ModelConfig._apply_block_source); generators/json_schema.py writes the format out from it.
BLOCK_SOURCE = "x-block-source"


class ModelConfig(Strict):
    """A model's architecture and training figures; every value carries its source.

    In YAML a plain value takes the block's ``source:``; ``{value, source}`` overrides it;
    a list of values (each plain or ``{value, source}``) records what several sources say,
    the first listed being the value charts and derived figures use.
    """

    model_config = ConfigDict(json_schema_extra={BLOCK_SOURCE: True})

    total_params: SourcedInt | None = Field(None, description="total parameters (count)")
    activated_params: SourcedInt | None = Field(None, description="parameters active per token")
    layers: SourcedInt | None = Field(None, description="transformer layers")
    hidden_size: SourcedInt | None = Field(None, description="model (hidden) dimension")
    attention_heads: SourcedInt | None = Field(None, description="attention (query) heads")
    kv_heads: SourcedInt | None = Field(None, description="key/value heads (GQA/MQA)")
    head_dim: SourcedInt | None = Field(None, description="per-head dimension d_h")
    kv_lora_rank: SourcedInt | None = Field(None, description="MLA KV compression dimension d_c")
    q_lora_rank: SourcedInt | None = Field(None, description="MLA query compression dimension d_c'")
    qk_rope_head_dim: SourcedInt | None = Field(None, description="MLA decoupled RoPE dim d_h^R")
    attention: SourcedAttention | None = Field(None, description="attention mechanism")
    shared_experts: SourcedCount | None = Field(None, description="MoE shared experts per layer")
    routed_experts: SourcedInt | None = Field(None, description="MoE routed experts per layer")
    activated_experts: SourcedInt | None = Field(
        None, description="routed experts chosen per token"
    )
    expert_hidden_size: SourcedInt | None = Field(None, description="hidden size of one expert")
    context_length: SourcedInt | None = Field(None, description="context window in tokens (K=1024)")
    training_tokens: SourcedInt | None = Field(None, description="pre-training tokens")
    vocab_size: SourcedInt | None = Field(None, description="vocabulary size")
    training_flops: SourcedFloat | None = Field(
        None, description="reported training compute, FLOPs"
    )
    flops_per_token: SourcedFloat | None = Field(None, description="reported FLOPs per token")
    gpu_hours_per_trillion_tokens: SourcedFloat | None = Field(
        None, description="reported GPU hours per trillion training tokens"
    )
    relative_expert_size: SourcedFloat | None = Field(
        None, description="one routed expert's size as a fraction of a standard FFN"
    )
    segmentation_factor: SourcedInt | None = Field(
        None, description="fine-grained segmentation: each FFN split into m experts"
    )
    total_expert_params: SourcedInt | None = Field(None, description="parameters in all experts")
    activated_expert_params: SourcedInt | None = Field(
        None, description="expert parameters active per token"
    )
    batch_size_sequences: SourcedInt | None = Field(None, description="batch size in sequences")
    learning_rate: SourcedFloat | None = Field(None, description="peak learning rate")
    kv_cache_bits: SourcedFloat | None = Field(
        None, description="average bits per KV-cache element as deployed"
    )
    vision_encoder: SourcedText | None = Field(None, description="vision encoder(s)")
    image_size: SourcedInt | None = Field(None, description="input image side, pixels")
    visual_tokens: SourcedInt | None = Field(None, description="visual tokens per image")

    @model_validator(mode="before")
    @classmethod
    def _apply_block_source(cls, data: Any) -> Any:
        """Wrap plain values as ``{value, source}`` using the block's default source."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        default = data.pop("source", None)

        def sourced(value: Any) -> Any:
            if isinstance(value, dict):
                return value
            if default is None:
                # Leave it to the field validator to complain about the missing source.
                return {"value": value}
            return {"value": value, "source": default}

        for key, value in list(data.items()):
            if value is None:
                continue
            if isinstance(value, list):
                # Several sourced values: the first is the fact's value, the rest its
                # `others` (validate maps error locations back to the list's items).
                if not value:
                    raise ValueError(f"{key}: a list of values needs at least one value")
                first, *rest = (sourced(item) for item in value)
                if isinstance(first, dict) and "others" not in first:
                    data[key] = {**first, "others": rest}
                else:
                    data[key] = first
                continue
            data[key] = sourced(value)
        return data

    @model_validator(mode="after")
    def _activated_within_total(self) -> "ModelConfig":
        if self.total_params and self.activated_params:
            if self.activated_params.value > self.total_params.value:
                raise ValueError(
                    "activated_params "
                    f"({self.activated_params.value:,}) is larger than total_params "
                    f"({self.total_params.value:,})"
                )
        if self.routed_experts and self.activated_experts:
            if self.activated_experts.value > self.routed_experts.value:
                raise ValueError("activated_experts is larger than routed_experts")
        return self

    def items(self) -> list[tuple[str, Any]]:
        """(field, sourced value) pairs that are present, in declaration order."""
        return [
            (name, getattr(self, name)) for name in type(self).model_fields if getattr(self, name)
        ]


class ModelCard(Strict):
    """A model a DeepSeek paper introduces (released or only studied)."""

    id: Id
    name: NonEmpty = Field(description="as the paper prints it")
    variant: Literal["base", "chat", "instruct", "math", "prover", "vision", "other"]
    released: bool | None = Field(None, description="weights published; omit when no source says")
    architecture: Literal["dense", "moe"]
    modality: Literal["text", "vision-language"] = "text"
    config: ModelConfig = Field(default_factory=ModelConfig)
    note: LocalizedText | None = None


class Baseline(Strict):
    """A model the papers compare against (not introduced by a paper on this site)."""

    id: Id
    name: NonEmpty
    org: NonEmpty
    architecture: Literal["dense", "moe", "unknown"] = "unknown"
    open_weights: bool | None = Field(None, description="weights published; omit if unknown")
    config: ModelConfig = Field(default_factory=ModelConfig)


class Benchmark(Strict):
    id: Id
    name: NonEmpty
    domain: Literal[
        "knowledge",
        "reasoning",
        "language",
        "reading",
        "math",
        "code",
        "chinese",
        "theorem-proving",
        "multimodal",
        "chat",
        "agentic",
        "long-context",
        "document",
    ]
    metric: NonEmpty = Field(description="accuracy, pass@1, exact-match, ...")
    range: tuple[float, float] | None = Field(
        None, description="valid score range; omit when the paper prints no scale"
    )
    higher_is_better: bool = True
    description: LocalizedText

    @model_validator(mode="after")
    def _range_ordered(self) -> "Benchmark":
        if self.range is not None and self.range[0] >= self.range[1]:
            raise ValueError("range must be [low, high] with low < high")
        return self


class Claim(Strict):
    id: Id
    label: LocalizedText
    value: PositiveFloat
    unit: Literal["percent", "times", "count", "tokens", "score", "params"]
    model: Id | None = None
    versus: Id | None = None
    source: SourceRef


class Column(Strict):
    model: Id
    label: NonEmpty = Field(description="the column header as printed")


class ResultRow(Strict):
    benchmark: Id
    label: NonEmpty = Field(description="the row label as printed")
    setting: str = Field("", description='e.g. "5-shot", "pass@1, greedy"')
    metric: NonEmpty | None = None
    scores: dict[Id, float | None]


class Comparison(Strict):
    """One results table of a paper, against its baselines."""

    id: Id
    title: LocalizedText
    source: SourceRef
    headline: Id = Field(description="the paper's headline model in this table")
    baseline: Id = Field(description="the main baseline, for deltas")
    columns: list[Column] = Field(min_length=2)
    rows: list[ResultRow] = Field(min_length=1)
    note: LocalizedText | None = None


class KeyIdea(Strict):
    title: LocalizedText
    text: LocalizedText


def _balanced_braces(value: str) -> str:
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        raise ValueError("braces { } must be balanced in a BibTeX value")
    return value


class BibTeX(Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_:\-.]+$")]
    type: Literal["misc", "article", "inproceedings"] = "misc"
    fields: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z]+$")],
        Annotated[NonEmpty, AfterValidator(_balanced_braces)],
    ]
    source: SourceRef


class PaperDates(Strict):
    arxiv_v1: SourcedDate | None = Field(None, description="arXiv v1 submission date")
    models_released: SourcedDate | None = Field(None, description="first public weights")
    published: SourcedDate | None = Field(
        None,
        description=(
            "when the paper's own document was published outside arXiv (the commit that put "
            "the PDF in the official repository, or a date printed on it)"
        ),
    )

    @property
    def known(self) -> list[SourcedDate]:
        return [d for d in (self.models_released, self.arxiv_v1, self.published) if d]


# What the site holds for a paper, from most to least.
CoverageLevel = Literal["tables", "model-card", "abstract"]


class Coverage(Strict):
    """What the site holds for a paper, and why not more: said on its page and in papers.json."""

    holds: CoverageLevel = Field(
        description=(
            "tables (the paper's main results tables), model-card (only what the official "
            "model card states) or abstract (what the abstract, README or first page states)"
        )
    )
    why: LocalizedText | None = Field(
        None, description="why the site holds this much; required unless it holds the tables"
    )

    @model_validator(mode="after")
    def _why_unless_tables(self) -> "Coverage":
        if self.holds != "tables" and self.why is None:
            raise ValueError(f'coverage "{self.holds}" needs `why`: say why no tables are here')
        return self


class ScalingLaw(Strict):
    id: Id
    quantity: LocalizedText
    formula_latex: NonEmpty
    coefficient: PositiveFloat
    exponent: float
    variable: NonEmpty = "C"
    source: SourceRef
    note: LocalizedText | None = None


class FormulaVariant(Strict):
    symbol: NonEmpty
    formula_latex: NonEmpty
    meaning: LocalizedText


class FlopsDefinition(Strict):
    """DeepSeek LLM's model-scale measure: non-embedding FLOPs per token."""

    symbol: NonEmpty
    meaning: LocalizedText
    formula_latex: NonEmpty
    compute_budget_latex: NonEmpty
    compared_with: list[FormulaVariant] = Field(default_factory=list)
    source: SourceRef


class AllocationRow(Strict):
    approach: NonEmpty
    a: float = Field(gt=0, lt=1, description="exponent of optimal model scale in C")
    b: float = Field(gt=0, lt=1, description="exponent of optimal data scale in C")


class AllocationTable(Strict):
    source: SourceRef
    note: LocalizedText | None = None
    rows: list[AllocationRow] = Field(min_length=1)


class SourcedQuantity(Strict):
    value: PositiveFloat
    unit: NonEmpty
    source: SourceRef


class KVCacheTable(Strict):
    """The paper's table of KV-cache size per token for each attention mechanism."""

    source: SourceRef
    unit: NonEmpty
    formulas: dict[Literal["MHA", "GQA", "MQA", "MLA"], NonEmpty]
    capability: dict[Literal["MHA", "GQA", "MQA", "MLA"], NonEmpty] = Field(default_factory=dict)
    mla_settings: dict[str, NonEmpty] = Field(default_factory=dict)
    mla_equivalent: SourcedQuantity | None = None
    ablation: dict[str, Any] | None = None


class Paper(Strict):
    """One paper file: ``data/papers/<id>.yaml``."""

    id: Id
    name: NonEmpty
    title: NonEmpty
    arxiv: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{4,5}$")] | None = Field(
        None, description="omit when no source you read gives the paper an arXiv identifier"
    )
    line: Id = Field(description="research line id from data/research-lines.yaml")
    repository: Annotated[str, StringConstraints(pattern=r"^[\w.\-]+/[\w.\-]+$")] | None = None
    sources: dict[Id, Source] = Field(min_length=1)
    dates: PaperDates
    coverage: Coverage
    bibtex: BibTeX | None = Field(None, description="omit only where no source gives a citation")
    summary: LocalizedText
    key_ideas: list[KeyIdea] = Field(min_length=1)
    models: list[ModelCard] = Field(
        default_factory=list, description="empty only for a paper whose coverage is abstract"
    )
    claims: list[Claim] = Field(default_factory=list)
    comparisons: list[Comparison] = Field(default_factory=list)
    scaling_laws: list[ScalingLaw] = Field(default_factory=list)
    flops_per_token_definition: FlopsDefinition | None = None
    allocation_exponents: AllocationTable | None = None
    kv_cache: KVCacheTable | None = None

    @model_validator(mode="after")
    def _dated(self) -> "Paper":
        if self.arxiv is None and not self.dates.known:
            raise ValueError(
                "a paper without `arxiv` needs a date in `dates` (published or models_released)"
            )
        return self

    def coverage_problems(self) -> list[tuple[tuple[str, ...], str]]:
        """Where the paper's `coverage` says other than what it holds: (field path, message)."""
        holds = self.coverage.holds
        found: list[tuple[tuple[str, ...], str]] = []
        if holds == "abstract" and self.comparisons:
            found.append((("coverage", "holds"), 'says "abstract" but the paper has comparisons'))
        if holds != "abstract" and not self.comparisons:
            found.append((("coverage", "holds"), f'says "{holds}" but the paper has no comparison'))
        if holds != "abstract" and not self.models:
            found.append((("coverage", "holds"), f'says "{holds}" but the paper has no models'))
        for i, table in enumerate(self.comparisons):
            if holds == "model-card" and table.source.kind != "model-card":
                found.append(
                    (
                        ("comparisons", str(i), "source"),
                        'coverage "model-card": cite the model card',
                    )
                )
        return found

    @property
    def first_date(self) -> dt.date:
        """The earliest sourced date; else the month the arXiv identifier encodes (YYMM)."""
        dates = [d.value for d in self.dates.known]
        return min(dates) if dates else self.arxiv_month

    @property
    def first_date_source(self) -> Source | None:
        """The source of `first_date`; None where the arXiv identifier gives the month."""
        dates = self.dates.known
        return min(dates, key=lambda d: d.value).source if dates else None

    @property
    def sort_date(self) -> dt.date:
        """Timeline order: a month-only date sorts after the exact dates of its month."""
        if self.has_exact_date:
            return self.first_date
        month = self.arxiv_month
        following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def arxiv_month(self) -> dt.date:
        """arXiv identifiers start with the submission year and month: 2401.14196 -> 2024-01."""
        if self.arxiv is None:  # the validator makes such a paper carry an exact date
            return self.first_date.replace(day=1)
        return dt.date(2000 + int(self.arxiv[:2]), int(self.arxiv[2:4]), 1)

    @property
    def has_exact_date(self) -> bool:
        return bool(self.dates.known)

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def citation_ref(self) -> str:
        """How the paper is named in a citation line: its arXiv id, else its repository."""
        return f"arXiv:{self.arxiv}" if self.arxiv else (self.repository or self.name)


class ResearchLine(Strict):
    id: Id
    name: LocalizedText
    summary: LocalizedText
    topic: Id = Field(description="slug of the topic page under topics/")


class Introduction(Strict):
    """The paper that introduced a glossary term, and where its own text says so."""

    paper: Id = Field(
        description=(
            "the paper whose own text introduces or proposes the term (one of the term's "
            "`papers`); only where it says so, not a paper that adopts the term from others"
        )
    )
    source: Source = Field(
        description=(
            "where that paper says it introduces the term: one of the paper's own documents "
            "(a `ref` of its `sources`), with the section and, briefly, its words"
        )
    )


class GlossaryTerm(Strict):
    id: Id = Field(description="the term's anchor on the glossary page")
    term: LocalizedText = Field(description="the term's name (zh-Hant, en)")
    abbreviation: str | None = Field(None, description='as the papers write it ("MLA")')
    definition: LocalizedText = Field(description="what the term means, from the papers' data")
    papers: list[Id] = Field(
        default_factory=list,
        description="the papers that use the term: their search finds them first for it",
    )
    introduced_by: Introduction | None = Field(
        None,
        description=(
            "the paper that introduced the term, with its source: its page names the term in "
            "full and ranks first in search for it"
        ),
    )


class Override(Strict):
    """A reviewed correction to OpenCC's zh-Hant -> zh-Hans output."""

    zh_Hant: NonEmpty = Field(alias="zh-Hant")
    zh_Hans: NonEmpty = Field(alias="zh-Hans")
    reason: NonEmpty


def _known_chart_kind(value: str) -> str:
    # The kinds are the modules of generators/charts/kinds/, known here by their file names
    # (charts/kind_names.py): the chart code itself builds on this schema.
    if value not in KIND_NAMES:
        raise ValueError(f"unknown chart kind {value!r} (known: {', '.join(KIND_NAMES)})")
    return value


def _chart_kind_choices(json_schema: dict[str, Any]) -> None:
    """The known kinds as the JSON Schema's choices, so editors offer them."""
    json_schema["enum"] = list(KIND_NAMES)


ChartKindName = Annotated[str, AfterValidator(_known_chart_kind)]


class ChartDecl(Strict):
    """One chart, declared in data/charts.yaml: what it shows and where it appears."""

    id: Id = Field(description="part of the public download URL")
    kind: ChartKindName = Field(
        description="a module of generators/charts/kinds/", json_schema_extra=_chart_kind_choices
    )
    title: LocalizedText
    caption: LocalizedText = Field(description="what the chart shows; sources are added")
    pages: list[NonEmpty] = Field(
        default_factory=list,
        description='pages that embed it; "{paper}" or "{benchmark}" expands with each',
    )
    each: Literal["paper", "benchmark"] | None = Field(
        None,
        description="one chart per paper (<id>-<paper-id>) or per benchmark (<id>-<benchmark-id>)",
    )
    models: list[Id] = Field(
        default_factory=list, description="models shown, where the kind needs a choice"
    )
    paper: Id | None = Field(None, description="the paper whose fits are drawn")
    assumptions: dict[Id, float] = Field(default_factory=dict)
    note: LocalizedText | None = Field(None, description="stated on the page and on the image")


class LineageLink(Strict):
    """An idea that a later paper says it takes from an earlier one."""

    from_: Id = Field(alias="from", description="the earlier paper")
    to: Id = Field(description="the later paper, which states the link")
    idea: LocalizedText
    source: SourceRef


class Lineage(Strict):
    """data/lineage.yaml: the links between papers and the models compared across generations."""

    links: list[LineageLink] = Field(min_length=1)
    generations: list[Id] = Field(default_factory=list)


# --- Source documents (data/documents.yaml) -----------------------------------------------


def _hex_digits(value: str, count: int, what: str) -> str:
    if not re.fullmatch(rf"[0-9a-f]{{{count}}}", value):
        raise ValueError(f"must be {what}: {count} lowercase hexadecimal digits")
    return value


def _sha256(value: str) -> str:
    return _hex_digits(value, 64, "a SHA-256 digest")


def _commit(value: str) -> str:
    return _hex_digits(value, 40, "a full git commit id")


# The checks give a maintainer's message; the JSON Schema states the same rule as a pattern.
Sha256 = Annotated[
    str, AfterValidator(_sha256), WithJsonSchema({"type": "string", "pattern": "^[0-9a-f]{64}$"})
]
CommitId = Annotated[
    str, AfterValidator(_commit), WithJsonSchema({"type": "string", "pattern": "^[0-9a-f]{40}$"})
]


class Document(Strict):
    """A source document the data's numbers are read from (a paper's PDF, a README), kept
    outside git: where to download it, its SHA-256, and the paper sources it backs."""

    id: Id = Field(
        description="the file's name in the sources folder (.sources/ by default): "
        "<id>.pdf or <id>.md"
    )
    title: NonEmpty = Field(description="what the document is, as a maintainer names it")
    format: Literal["pdf", "markdown"] = Field(
        description="pdf (kept as <id>.pdf) or markdown (kept as <id>.md)"
    )
    url: HttpUrl = Field(
        description="where `dspapers documents fetch` downloads it: an http(s) address, "
        "at a fixed repository commit where there is one"
    )
    repository: Annotated[str, StringConstraints(pattern=r"^[\w.\-]+/[\w.\-]+$")] | None = Field(
        None, description="the repository the file was taken from (owner/name)"
    )
    commit: CommitId | None = Field(
        None, description="the repository commit the file was taken at (40 hexadecimal digits)"
    )
    path: NonEmpty | None = Field(None, description="the file's path in the repository")
    sha256: Sha256 = Field(
        description="the file's SHA-256 (64 lowercase hexadecimal digits); "
        "`dspapers documents add` writes it"
    )
    backs: dict[Id, list[Id]] = Field(
        default_factory=dict,
        description="paper id -> the aliases of that paper's `sources:` whose values this "
        "document holds (each alias backed by one document at most)",
    )

    @property
    def suffix(self) -> str:
        """The file's extension in the sources folder."""
        return ".pdf" if self.format == "pdf" else ".md"


def backing(documents: Iterable[Document], paper_id: str, alias: str) -> Document | None:
    """The document among *documents* that backs source *alias* of paper *paper_id*."""
    return next((d for d in documents if alias in d.backs.get(paper_id, ())), None)


class DocumentRegistry(Strict):
    """data/documents.yaml: the source documents, each with where to download it and its
    SHA-256; the files themselves live in a git-ignored folder, never in git."""

    documents: list[Document] = Field(
        default_factory=list, description="every source document, each once"
    )

    def backing(self, paper_id: str, alias: str) -> Document | None:
        """The document that backs source *alias* of paper *paper_id*, if one does."""
        return backing(self.documents, paper_id, alias)
