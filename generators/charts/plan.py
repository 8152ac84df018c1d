"""Which charts exist, and the numbers each one shows: pure, no matplotlib.

Every chart's numbers come from the catalog through these builders; drawing code only
reads the resulting `ChartData`. The same data feeds the accessible table on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .. import derived, schema, strings
from ..catalog import Catalog
from ..i18n import HansConverter
from ..render import human_count
from .texts import TEXTS

Text = Callable[..., str]


@dataclass(frozen=True, kw_only=True)
class ChartData:
    """Language-independent numbers of one chart, plus its sources."""

    kind: str
    payload: dict[str, Any]
    sources: tuple[schema.Source, ...]


@dataclass(frozen=True, kw_only=True)
class ChartSpec:
    id: str
    decl: schema.ChartDecl
    pages: tuple[str, ...]
    data: ChartData
    paper: schema.Paper | None = None

    def title(self, lang: str, convert: Callable[[str], str]) -> str:
        text = self.decl.title.get("zh-Hant" if lang == "zh-Hans" else lang)
        if self.paper is not None:
            text = f"{self.paper.name}: {text}" if lang == "en" else f"{self.paper.name}:{text}"
        return convert(text) if lang == "zh-Hans" else text


def text_for(lang: str, hans: HansConverter) -> Text:
    index = 0 if lang in ("zh-Hant", "zh-Hans") else 1

    def t(key: str, **fmt: Any) -> str:
        value = TEXTS[key][index].format(**fmt) if fmt else TEXTS[key][index]
        return hans.convert(value) if lang == "zh-Hans" else value

    return t


def localized(text: schema.LocalizedText, lang: str, hans: HansConverter) -> str:
    if lang == "zh-Hans":
        return hans.convert(text.zh_Hant)
    return text.get(lang)


# --- Builders: catalog slice -> ChartData ----------------------------------------------


def _params_vs_compute(catalog: Catalog, decl: schema.ChartDecl) -> ChartData:
    points, sources = [], []
    for entry in catalog.models.values():
        card = entry.card
        if getattr(card, "variant", "base") in ("chat", "instruct"):
            continue  # same pre-training as their base model
        config = card.config
        compute = derived.training_compute(config)
        total = config.total_params or config.activated_params
        if compute is None or total is None:
            continue
        activated = config.activated_params.value if config.activated_params else None
        points.append(
            dict(
                model=entry.id,
                label=entry.name,
                deepseek=entry.is_deepseek,
                total=total.value,
                activated=activated if activated and activated != total.value else None,
                compute=compute.flops,
                derived=compute.derived,
            )
        )
        sources += [v.source for _, v in config.items()][:1]
    points.sort(key=lambda p: p["compute"])
    law = _law(catalog, decl.paper, "model-scale")
    if law is not None:
        sources.append(law.source)
    return ChartData(
        kind=decl.kind,
        payload=dict(
            points=points,
            law=None if law is None else dict(coefficient=law.coefficient, exponent=law.exponent),
        ),
        sources=_unique(sources),
    )


def _law(catalog: Catalog, paper_id: str | None, law_id: str) -> schema.ScalingLaw | None:
    papers = [catalog.paper(paper_id)] if paper_id else catalog.papers
    for paper in papers:
        for law in paper.scaling_laws:
            if law.id == law_id:
                return law
    return None


def _benchmark_deltas(catalog: Catalog, decl: schema.ChartDecl, paper: schema.Paper) -> ChartData | None:
    if not paper.comparisons:
        return None
    table = paper.comparisons[0]
    labels = {c.model: c.label for c in table.columns}
    domain_order = list(strings.DOMAINS)
    rows = [
        dict(
            label=d.label if not d.setting else f"{d.label} ({d.setting})",
            short=d.label,
            domain=d.benchmark.domain,
            delta=d.value,
            favours=d.favours_headline,
            lower_better=not d.benchmark.higher_is_better,
            headline=d.headline,
            baseline=d.baseline,
        )
        for d in catalog.deltas(table)
    ]
    rows.sort(key=lambda r: domain_order.index(r["domain"]))
    return ChartData(
        kind=decl.kind,
        payload=dict(
            rows=rows,
            headline=labels[table.headline],
            baseline=labels[table.baseline],
            table=table.id,
        ),
        sources=(table.source,),
    )


def _release_timeline(catalog: Catalog, decl: schema.ChartDecl) -> ChartData:
    events, sources = [], []
    for paper in catalog.papers:
        if paper.dates.arxiv_v1:
            events.append(dict(paper=paper.id, name=paper.name, line=paper.line, kind="arxiv_v1", date=paper.dates.arxiv_v1.value))
            sources.append(paper.dates.arxiv_v1.source)
        if paper.dates.models_released:
            events.append(dict(paper=paper.id, name=paper.name, line=paper.line, kind="models_released", date=paper.dates.models_released.value))
            sources.append(paper.dates.models_released.source)
        if not paper.has_exact_date:
            events.append(dict(paper=paper.id, name=paper.name, line=paper.line, kind="month_only", date=paper.arxiv_month))
    return ChartData(
        kind=decl.kind,
        payload=dict(events=events, lines=[line.id for line in catalog.lines]),
        sources=_unique(sources),
    )


def _kv_cache(catalog: Catalog, decl: schema.ChartDecl) -> ChartData:
    bars, deployed, sources = [], [], []
    for model_id in decl.models:
        entry = catalog.models[model_id]
        config = entry.card.config
        actual = config.attention.value if config.attention else None
        mechanisms = ["MHA", "GQA", "MQA"] if actual != "MLA" else ["MHA", "MLA"]
        for mechanism in mechanisms:
            elements = derived.kv_elements_per_token(config, mechanism)
            if elements is not None:
                bars.append(dict(model=entry.name, mechanism=mechanism, elements=elements, actual=mechanism == actual))
        actual_elements = derived.kv_elements_per_token(config, actual) if actual else None
        if actual_elements is not None:
            bits = config.kv_cache_bits.value if config.kv_cache_bits else decl.assumptions.get("baseline-bits")
            deployed.append(
                dict(model=entry.name, mechanism=actual, elements=actual_elements, bits=bits,
                     bytes=actual_elements * bits / 8, assumed=not config.kv_cache_bits)
            )
            if config.kv_cache_bits:
                sources.append(config.kv_cache_bits.source)
        sources += [v.source for name, v in config.items() if name in ("layers", "kv_lora_rank", "kv_heads")]
    for paper in catalog.papers:
        if paper.kv_cache:
            sources.insert(0, paper.kv_cache.source)
    reduction = None
    if len(deployed) == 2:
        reduction = 1 - deployed[1]["bytes"] / deployed[0]["bytes"]
    return ChartData(
        kind=decl.kind,
        payload=dict(bars=bars, deployed=deployed, reduction=reduction),
        sources=_unique(sources),
    )


def _llm_points(catalog: Catalog, decl: schema.ChartDecl) -> tuple[list[dict], list[schema.Source]]:
    points, sources = [], []
    for model_id in decl.models:
        entry = catalog.models[model_id]
        config = entry.card.config
        m = derived.non_embedding_flops_per_token(config)
        if m is None or not config.training_tokens:
            continue
        point = dict(model=entry.name, M=m, D=config.training_tokens.value, C=m * config.training_tokens.value)
        if config.batch_size_sequences and config.context_length:
            point["batch_tokens"] = config.batch_size_sequences.value * config.context_length.value
            sources.append(config.batch_size_sequences.source)
        if config.learning_rate:
            point["lr"] = config.learning_rate.value
        points.append(point)
        sources.append(config.layers.source)
    return points, sources


def _scaling_laws(catalog: Catalog, decl: schema.ChartDecl, law_ids: tuple[str, str]) -> ChartData:
    laws = {}
    sources: list[schema.Source] = []
    for law_id in law_ids:
        law = _law(catalog, decl.paper, law_id)
        if law is not None:
            laws[law_id] = dict(coefficient=law.coefficient, exponent=law.exponent, latex=law.formula_latex)
            sources.append(law.source)
    points, more = _llm_points(catalog, decl)
    return ChartData(kind=decl.kind, payload=dict(laws=laws, points=points), sources=_unique(sources + more))


def _expert_layout(catalog: Catalog, decl: schema.ChartDecl) -> ChartData:
    rows, sources = [], []
    for model_id in decl.models:
        entry = catalog.models[model_id]
        c = entry.card.config
        if not c.routed_experts:
            continue
        rows.append(
            dict(
                model=entry.name,
                deepseek=entry.is_deepseek,
                shared=c.shared_experts.value if c.shared_experts else 0,
                routed=c.routed_experts.value,
                active=c.activated_experts.value if c.activated_experts else None,
                size=c.relative_expert_size.value if c.relative_expert_size else None,
            )
        )
        sources += [c.routed_experts.source] + ([c.relative_expert_size.source] if c.relative_expert_size else [])
    return ChartData(kind=decl.kind, payload=dict(rows=rows), sources=_unique(sources))


def _lineage(catalog: Catalog, decl: schema.ChartDecl) -> ChartData:
    lineage = catalog.lineage
    links = list(lineage.links) if lineage else []
    involved = {link.from_ for link in links} | {link.to for link in links}
    nodes = [
        dict(paper=p.id, name=p.name, line=p.line, date=p.sort_date, exact=p.has_exact_date)
        for p in catalog.papers if p.id in involved
    ]
    edges = [dict(number=i + 1, source=link.from_, target=link.to) for i, link in enumerate(links)]
    return ChartData(
        kind=decl.kind,
        payload=dict(nodes=nodes, edges=edges, lines=[line.id for line in catalog.lines]),
        sources=_unique([link.source for link in links]),
    )


def _unique(sources: list[schema.Source]) -> tuple[schema.Source, ...]:
    seen: list[schema.Source] = []
    for s in sources:
        if s not in seen:
            seen.append(s)
    return tuple(seen)


def plan(catalog: Catalog, decls: tuple[schema.ChartDecl, ...]) -> list[ChartSpec]:
    """Every chart of the site, with its data; per-paper declarations expand per paper."""
    specs: list[ChartSpec] = []
    for decl in decls:
        if decl.each == "paper":
            for paper in catalog.papers:
                data = _benchmark_deltas(catalog, decl, paper)
                if data is None or not data.payload["rows"]:
                    continue
                pages = tuple(p.replace("{paper}", paper.id) for p in decl.pages)
                specs.append(ChartSpec(id=f"{decl.id}-{paper.id}", decl=decl, pages=pages, data=data, paper=paper))
            continue
        builder = {
            "params-vs-compute": _params_vs_compute,
            "release-timeline": _release_timeline,
            "kv-cache-per-token": _kv_cache,
            "scaling-law-hyperparams": lambda c, d: _scaling_laws(c, d, ("batch-size", "learning-rate")),
            "scaling-law-allocation": lambda c, d: _scaling_laws(c, d, ("model-scale", "data-scale")),
            "moe-expert-layout": _expert_layout,
            "lineage": _lineage,
        }[decl.kind]
        specs.append(ChartSpec(id=decl.id, decl=decl, pages=tuple(decl.pages), data=builder(catalog, decl)))
    return specs


# --- The accessible table under each chart ----------------------------------------------


def data_table(spec: ChartSpec, lang: str, hans: HansConverter, catalog: Catalog) -> tuple[list[str], list[list[str]]]:
    """Header and rows, already formatted for *lang*, of the numbers the chart draws."""
    t = text_for(lang, hans)
    ui = strings.UI
    index = 0 if lang != "en" else 1

    def u(key: str) -> str:
        value = ui[key][index]
        return hans.convert(value) if lang == "zh-Hans" else value

    p = spec.data.payload
    kind = spec.data.kind
    if kind == "params-vs-compute":
        head = [u("model"), t("total"), t("activated"), t("compute_axis"), ""]
        rows = [
            [x["label"], human_count(x["total"]), human_count(x["activated"]) if x["activated"] else "–",
             f"{x['compute']:.2e}", t("derived") if x["derived"] else t("reported")]
            for x in p["points"]
        ]
    elif kind == "benchmark-deltas":
        head = [u("benchmark"), p["headline"], p["baseline"], u("difference")]
        rows = [
            [r["label"] + (" ↓" if r["lower_better"] else ""), f"{r['headline']:g}", f"{r['baseline']:g}",
             ("+" if r["delta"] > 0 else "") + f"{r['delta']:.4g}".replace("-", "−")]
            for r in p["rows"]
        ]
    elif kind == "release-timeline":
        names = {line.id: localized(line.name, lang, hans) for line in catalog.lines}
        head = [u("date"), u("paper"), u("research_line"), ""]
        rows = [
            [e["date"].isoformat()[:7] if e["kind"] == "month_only" else e["date"].isoformat(), e["name"], names[e["line"]], t(e["kind"])]
            for e in sorted(p["events"], key=lambda e: e["date"])
        ]
    elif kind == "kv-cache-per-token":
        head = [u("model"), u("attention"), t("kv_elements_table"), t("kv_bytes")]
        deployed = {(d["model"], d["mechanism"]): d for d in p["deployed"]}
        rows = []
        for b in p["bars"]:
            d = deployed.get((b["model"], b["mechanism"]))
            kb = f"{d['bytes'] / 1000:.1f} ({t('bits', bits=d['bits'])}{t('assumed') if d['assumed'] else ''})" if d else "–"
            rows.append([b["model"], b["mechanism"] + (f" ({t('actual')})" if b["actual"] else ""), f"{b['elements']:,}", kb])
    elif kind in ("scaling-law-hyperparams", "scaling-law-allocation"):
        if kind == "scaling-law-hyperparams":
            head = [u("model"), t("budget_axis"), t("batch_axis"), t("lr_axis")]
            rows = [[x["model"], f"{x['C']:.2e}", f"{x.get('batch_tokens', 0):,}", f"{x.get('lr', 0):.2g}"] for x in p["points"]]
        else:
            head = [u("model"), t("budget_axis"), "M", "D"]
            rows = [[x["model"], f"{x['C']:.2e}", f"{x['M']:.3e}", human_count(x["D"])] for x in p["points"]]
        for law in p["laws"].values():
            rows.append([t("fit"), "", law["latex"].replace("\\cdot", "·").replace("\\", ""), ""])
    elif kind == "lineage":
        names = {n["paper"]: n["name"] for n in p["nodes"]}
        ideas = {i + 1: localized(link.idea, lang, hans) for i, link in enumerate(catalog.lineage.links)}
        head = ["#", u("paper"), u("paper"), t("idea")]
        rows = [[str(e["number"]), names[e["source"]], names[e["target"]], ideas[e["number"]]] for e in p["edges"]]
    else:  # moe-expert-layout
        head = [u("model"), u("shared_experts"), u("routed_experts"), u("activated_experts"), u("relative_expert_size")]
        rows = [[r["model"], str(r["shared"]), str(r["routed"]), str(r["active"] or "–"), f"{r['size']:g}×" if r["size"] else "–"] for r in p["rows"]]
    return head, rows
