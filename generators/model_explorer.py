"""The Compare page's explorer: what its script needs, from the catalog.

Two parts, so the page's first load stays small however many scores the site holds:

- the page's own data (`ModelExplorer.json`, embedded as a script element of type
  application/json, in the page's language): the interface strings and, per model, what
  the filters test and the facts the side-by-side view shows;
- one script file per model (`ModelExplorer.model_files`, the same in every language),
  loaded when the model is pinned: its configuration and its scores, each value with its
  source. A script file, not JSON to fetch(): the offline export opens from file://, where
  fetch() of a local file is refused and a <script> element is not.

Every value is formatted here as the tables format it; the script only filters, pins and
lays out what it is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from . import evidence, schema, strings, vocabulary
from .catalog import Catalog, ModelEntry, Score
from .render import SourcedValue, by_value_at, config_cell, config_value, score

# Where the per-model files go, beside compare.js; the script derives the path from its own.
MODEL_FILES_DIR = "assets/javascripts/explorer"
MODEL_CALLBACK = "dspExplorerModel"

# The three kinds the filter offers, from the model card's variant.
KINDS = ("base", "chat", "other")
KIND_OF_VARIANT = {"base": "base", "chat": "chat", "instruct": "chat"}
NOT_STATED = "none"  # the attention filter's value for models whose sources do not say

# Interface strings the script shows, by the name it knows them under.
SCRIPT_TEXTS = {
    "filters": "explore_filters",
    "any": "explore_any",
    "name": "explore_name",
    "namePlaceholder": "explore_name_placeholder",
    "line": "research_line",
    "paper": "paper",
    "kind": "explore_kind",
    "architecture": "architecture",
    "attention": "attention",
    "total": "explore_total",
    "activated": "explore_activated",
    "date": "explore_date",
    "min": "explore_min",
    "max": "explore_max",
    "from": "explore_from",
    "to": "explore_to",
    "reset": "explore_reset",
    "shown": "explore_shown",
    "linkNote": "explore_link_note",
    "pin": "explore_pin",
    "pinHelp": "explore_pin_help",
    "pinMore": "explore_pin_more",
    "pinLimit": "explore_pin_limit",
    "unpinAll": "explore_unpin_all",
    "pinned": "explore_pinned",
    "field": "field",
    "fields": "explore_fields",
    "differs": "explore_differs",
    "diffNote": "explore_diff_note",
    "shared": "explore_shared",
    "noShared": "explore_no_shared",
    "benchmark": "benchmark",
    "setting": "setting",
    "metric": "metric",
    "sources": "sources",
    "sourceN": "explore_source_n",
    "variant": "variant",
    "weights": "weights",
}


Item = TypeVar("Item")
BenchmarkKey = tuple[str, str, str, str, str]  # id, name, sub-task, metric, setting


def _text(key: str, lang: str) -> str:
    return strings.UI[key][0 if lang == "zh-Hant" else 1]


def _plain(sourced: SourcedValue, name: str) -> str:
    """A configuration value as the tables show it, without Markdown escapes."""
    return sourced.value if isinstance(sourced.value, str) else config_cell(sourced, name)


def _plain_value(value: object, name: str) -> str:
    """One of a fact's values as the tables show it, without Markdown escapes."""
    return value if isinstance(value, str) else config_value(value, name)


def _weights(released: bool | None, lang: str) -> str:
    if released is None:
        return "–"
    return _text("released" if released else "not_released", lang)


def _card(entry: ModelEntry) -> schema.ModelCard:
    assert isinstance(entry.card, schema.ModelCard), f"{entry.id} is a baseline"
    return entry.card


class _Numbered(Generic[Item]):
    """Each distinct item once, numbered in the order first used."""

    def __init__(self) -> None:
        self.index: dict[Item, int] = {}

    def number(self, item: Item) -> int:
        return self.index.setdefault(item, len(self.index))


@dataclass(frozen=True, kw_only=True)
class ModelExplorer:
    """The DeepSeek models of the catalog: filter facets, facts, configurations, scores."""

    catalog: Catalog

    @property
    def fields(self) -> list[str]:
        """Configuration fields some DeepSeek model reports, in the schema's order."""
        models = self.catalog.deepseek_models
        return [
            f
            for f in schema.ModelConfig.model_fields
            if any(getattr(m.card.config, f) is not None for m in models)
        ]

    def json(self, lang: str) -> str:
        """The page's data in *lang* (zh-Hant or en), safe inside a <script> element."""
        text = json.dumps(self.page_data(lang), ensure_ascii=False, separators=(",", ":"))
        # "</script>" or "<!--" in a value must not end or alter the element.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    def page_data(self, lang: str) -> dict[str, object]:
        catalog = self.catalog

        def text(key: str, **fields: str) -> str:
            return _text(key, lang).format(**fields) if fields else _text(key, lang)

        variants = {k: v[0 if lang == "zh-Hant" else 1] for k, v in strings.VARIANTS.items()}
        models: dict[str, dict[str, object]] = {}
        for entry in catalog.deepseek_models:
            card, paper, config = _card(entry), entry.paper, entry.card.config
            assert paper is not None
            models[entry.id] = {
                "name": entry.name,
                "line": paper.line,
                "paper": paper.id,
                "kind": KIND_OF_VARIANT.get(card.variant, "other"),
                "architecture": card.architecture,
                "attention": config.attention.value if config.attention else NOT_STATED,
                "total": config.total_params.value if config.total_params else None,
                "activated": config.activated_params.value if config.activated_params else None,
                "date": paper.first_date.isoformat(),
                "facts": [
                    variants[card.variant],
                    _text(card.architecture, lang),
                    _weights(card.released, lang),
                ],
            }
        stated = {str(m["attention"]) for m in models.values()} - {NOT_STATED}
        return {
            "text": {name: _text(key, lang) for name, key in SCRIPT_TEXTS.items()},
            # The scores' metrics and settings in the page's language, where they differ.
            "words": _words(catalog, lang),
            "lines": [[line.id, line.name.get(lang)] for line in catalog.lines],
            "papers": [[p.id, p.name] for p in catalog.papers],
            "kinds": [[kind, _text(f"explore_kind_{kind}", lang)] for kind in KINDS],
            "architectures": [[a, _text(a, lang)] for a in ("dense", "moe")],
            "attentions": [[a, a] for a in sorted(stated)]
            + [[NOT_STATED, _text("explore_not_stated", lang)]],
            "fields": [[f, _text(f, lang)] for f in self.fields],
            # Each evidence kind's mark and name, for the marker beside each value, and
            # the same for a value checked against its document (its mark and name joined).
            "evidence": {kind: list(evidence.sign(kind, False, text)) for kind in evidence.KINDS},
            # Only once some number is checked, as the legends: no record, no ✓ anywhere.
            "checked": {kind: list(evidence.sign(kind, True, text)) for kind in evidence.KINDS}
            if catalog.any_checked
            else {},
            "models": models,
        }

    def model_data(self, entry: ModelEntry, scores_of: list[Score]) -> dict[str, object]:
        """One model's configuration and its scores *scores_of*, each value with its
        source (no prose: the same file serves every language)."""
        sources: _Numbered[schema.Source] = _Numbered()
        benchmarks: _Numbered[BenchmarkKey] = _Numbered()
        # A field: its name, its (first) value for comparing, then each distinct value
        # as shown with the sources that give it (more than one where sources disagree).
        # Each source of a value with whether that reading was checked against its
        # document (1) or not (0), as the paper pages mark it.
        config = [
            [
                name,
                str(value.value),
                [
                    [
                        _plain_value(v, name),
                        [sources.number(s) for s, _at in given],
                        [int(self._fact_checked(entry, name, value, at)) for _s, at in given],
                    ]
                    for v, given in by_value_at(value)
                ],
            ]
            for name, value in entry.card.config.items()
        ]
        scores: list[list[object]] = []
        seen: set[tuple[int, float, int]] = set()
        for s in scores_of:
            key = (self._benchmark_key(s), sources.number(s.source))
            row = (benchmarks.number(key[0]), s.score, key[1])
            if row not in seen:  # one value from one source, once
                seen.add(row)
                scores.append([row[0], score(s.score), row[2], s.evidence, int(s.checked)])
        return {
            "config": config,
            "scores": scores,
            "benchmarks": [list(b) for b in benchmarks.index],
            "sources": [[s.label, s.link, evidence.of_source(s)] for s in sources.index],
        }

    def model_files(self) -> dict[str, bytes]:
        """Path under the docs tree -> the model's script, for every DeepSeek model."""
        by_model: dict[str, list[Score]] = {}
        for s in self.catalog.scores:
            by_model.setdefault(s.model, []).append(s)
        files: dict[str, bytes] = {}
        for entry in self.catalog.deepseek_models:
            data = self.model_data(entry, by_model.get(entry.id, []))
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            script = f"{MODEL_CALLBACK}({json.dumps(entry.id)},{text});\n"
            files[f"{MODEL_FILES_DIR}/{entry.id}.js"] = script.encode("utf-8")
        return files

    def _fact_checked(self, entry: ModelEntry, name: str, value: SourcedValue, at: int) -> bool:
        return self.catalog.fact_checked(entry.id, name, at if value.others else None)

    def _benchmark_key(self, s: Score) -> BenchmarkKey:
        """What makes two scores comparable: benchmark, sub-task, metric and setting (the
        benchmark's name rides along for display)."""
        name = self.catalog.benchmarks[s.benchmark].name
        return (s.benchmark, name, self.catalog.subtask(s), s.metric, s.setting)


def _words(catalog: Catalog, lang: str) -> dict[str, str]:
    """Each metric and setting of the scores -> in *lang*, where it reads otherwise."""
    terms = sorted({t for s in catalog.scores for t in (s.metric, s.setting) if t})
    return {t: w for t in terms if (w := vocabulary.localize(t, lang)) != t}
