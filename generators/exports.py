"""Machine-readable downloads: JSON, CSV and BibTeX, with every column described once.

The same column specs drive the files and the Downloads page, so the page cannot
forget a column. Output is deterministic (sorted keys, fixed line endings).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from . import evidence, schema
from .catalog import Catalog, ModelEntry, Score
from .changes import Change, ChangeLog
from .json_schema import PUBLISHED, SCHEMA_DIR, schema_files
from .pages import bibtex

EXPORT_DIR = "downloads"

Row = TypeVar("Row")


@dataclass(frozen=True, kw_only=True)
class Column(Generic[Row]):
    name: str
    description: schema.LocalizedText
    value: Callable[[Row], object]  # the cell, as the csv module writes it


@dataclass(frozen=True, kw_only=True)
class ExportFile:
    name: str
    description: schema.LocalizedText
    columns: (
        tuple[Column[Score], ...] | tuple[Column[ModelEntry], ...] | tuple[Column[Change], ...]
    ) = ()

    @property
    def url(self) -> str:
        """Link target from a page at the docs root (static-i18n keeps one copy)."""
        return f"{EXPORT_DIR}/{self.name}"

    @property
    def anchor(self) -> str:
        return self.name.replace(".", "-")


def _t(zh: str, en: str) -> schema.LocalizedText:
    return schema.LocalizedText.model_validate({"zh-Hant": zh, "en": en})


def _source_text(source: schema.Source) -> str:
    return f"{source.ref}, {source.where}"


def _config(entry: ModelEntry, field: str) -> object:
    value = getattr(entry.card.config, field)
    return "" if value is None else value.value


def _config_source(entry: ModelEntry) -> str:
    """Every distinct source behind the model's row, in field order."""
    texts = [_source_text(value.source) for _, value in entry.card.config.items()]
    return " | ".join(dict.fromkeys(texts))


_KINDS_TEXT = ", ".join(evidence.KINDS)


def _config_evidence(entry: ModelEntry) -> str:
    """field=kind for every value the row shows, in column order."""
    config = entry.card.config
    shown = [(f, getattr(config, f)) for f in MODEL_FIELDS if getattr(config, f) is not None]
    return " | ".join(f"{name}={evidence.of_source(value.source)}" for name, value in shown)


def _other_values(entry: ModelEntry) -> str:
    """What other sources give for the row's fields where they disagree with its value."""
    config = entry.card.config
    parts = []
    for name in MODEL_FIELDS:
        value = getattr(config, name)
        if value is None or not value.disagrees:
            continue
        for other, source in value.readings()[1:]:
            if other != value.value:
                kind = evidence.of_source(source)
                parts.append(f"{name}={other} ({_source_text(source)}; {kind})")
    return " | ".join(parts)


def _checked_fields(catalog: Catalog) -> Callable[[ModelEntry], str]:
    """The row's fields whose value (the first listed) was checked against its document."""

    def fields(entry: ModelEntry) -> str:
        config = entry.card.config
        shown = [(f, getattr(config, f)) for f in MODEL_FIELDS if getattr(config, f) is not None]
        return " | ".join(
            name
            for name, value in shown
            if catalog.fact_checked(entry.id, name, 0 if value.others else None)
        )

    return fields


def _unbound(_entry: ModelEntry) -> str:
    raise AssertionError("models.csv's checked column reads the catalog: see build_exports")


def _card(entry: ModelEntry) -> schema.ModelCard:
    """The card of a model a paper introduces: models.csv never lists a baseline."""
    assert isinstance(entry.card, schema.ModelCard), f"{entry.id} is a baseline"
    return entry.card


def _paper_id(entry: ModelEntry) -> str:
    assert entry.paper is not None, f"{entry.id} is not introduced by a paper"
    return entry.paper.id


def _released(entry: ModelEntry) -> str:
    released = _card(entry).released
    return "" if released is None else str(released).lower()


RESULT_COLUMNS: tuple[Column[Score], ...] = (
    Column(
        name="paper",
        description=_t(
            "論文 id（與網址中的 papers/<id>/ 相同）", "Paper id (as in the URL papers/<id>/)"
        ),
        value=lambda s: s.paper,
    ),
    Column(
        name="model",
        description=_t(
            "模型名稱，照論文表格原樣", "Model name exactly as the paper's table prints it"
        ),
        value=lambda s: s.model_label,
    ),
    Column(
        name="benchmark",
        description=_t(
            "評測名稱，照論文表格原樣", "Benchmark name exactly as the paper's table prints it"
        ),
        value=lambda s: s.benchmark_label,
    ),
    Column(
        name="setting",
        description=_t(
            "評測設定，例如 5-shot（照論文原樣；可能為空）",
            "Evaluation setting such as 5-shot, as printed (may be empty)",
        ),
        value=lambda s: s.setting,
    ),
    Column(
        name="metric",
        description=_t("指標，例如 accuracy、pass@1", "Metric, for example accuracy or pass@1"),
        value=lambda s: s.metric,
    ),
    Column(
        name="score",
        description=_t(
            "分數，照論文原樣（百分比以數字表示）",
            "Score as printed (percentages as plain numbers)",
        ),
        value=lambda s: f"{s.score:g}",
    ),
    Column(
        name="source",
        description=_t(
            "來源：arXiv 編號或官方程式庫，加上表格或章節",
            "Source: arXiv id or official repository, plus table or section",
        ),
        value=lambda s: _source_text(s.source),
    ),
    Column(
        name="model_id",
        description=_t("本站的模型 id", "The model's id on this site"),
        value=lambda s: s.model,
    ),
    Column(
        name="benchmark_id",
        description=_t("本站的評測 id", "The benchmark's id on this site"),
        value=lambda s: s.benchmark,
    ),
    Column(
        name="table",
        description=_t("論文內的比較表 id", "Id of the comparison table within the paper"),
        value=lambda s: s.comparison,
    ),
    Column(
        name="evidence",
        description=_t(
            f"證據種類，為下列之一：{_KINDS_TEXT}（rescored：較晚論文對較早模型的重新評測）",
            f"Kind of evidence, one of {_KINDS_TEXT} (rescored: a later paper's score of an earlier model)",
        ),
        value=lambda s: s.evidence,
    ),
    Column(
        name="checked",
        description=_t(
            "true：dspapers verify 在來源文件中該分數所在的那一橫列找到了這個分數，且之後分數與來源都沒有改動；"
            "其他情況為 false，包括來源不在本站的原始文件清單中而無法核對的分數（見「關於資料」頁）",
            "true where dspapers verify found the score in its row of the source document and "
            "neither the score nor its source has changed since; false otherwise, including scores "
            "whose source has no document on record and so cannot be checked (see the About page)",
        ),
        value=lambda s: str(s.checked).lower(),
    ),
)

MODEL_COLUMNS: tuple[Column[ModelEntry], ...] = (
    Column(
        name="model",
        description=_t("模型名稱，照論文原樣", "Model name as the paper prints it"),
        value=lambda m: m.name,
    ),
    Column(
        name="model_id",
        description=_t("本站的模型 id", "The model's id on this site"),
        value=lambda m: m.id,
    ),
    Column(
        name="paper",
        description=_t("提出此模型的論文 id", "Id of the paper that introduces the model"),
        value=_paper_id,
    ),
    Column(
        name="variant",
        description=_t("base、chat、instruct 等", "base, chat, instruct, ..."),
        value=lambda m: _card(m).variant,
    ),
    Column(
        name="architecture",
        description=_t("dense（稠密）或 moe（混合專家）", "dense or moe"),
        value=lambda m: m.card.architecture,
    ),
    Column(
        name="released",
        description=_t(
            "是否公開權重：true、false 或空白（來源未說明）",
            "Weights published: true, false, or empty when no source says",
        ),
        value=_released,
    ),
    Column(
        name="total_params",
        description=_t(
            "總參數量，整數（例如 236000000000）",
            "Total parameters as a plain integer (e.g. 236000000000)",
        ),
        value=lambda m: _config(m, "total_params"),
    ),
    Column(
        name="activated_params",
        description=_t("每詞元啟用的參數量，整數", "Parameters activated per token, plain integer"),
        value=lambda m: _config(m, "activated_params"),
    ),
    Column(
        name="training_tokens",
        description=_t("預訓練詞元數，整數", "Pre-training tokens, plain integer"),
        value=lambda m: _config(m, "training_tokens"),
    ),
    Column(
        name="context_length",
        description=_t("上下文長度（詞元），整數", "Context length in tokens, plain integer"),
        value=lambda m: _config(m, "context_length"),
    ),
    Column(
        name="layers",
        description=_t("Transformer 層數", "Transformer layers"),
        value=lambda m: _config(m, "layers"),
    ),
    Column(
        name="hidden_size",
        description=_t("隱藏維度", "Hidden size"),
        value=lambda m: _config(m, "hidden_size"),
    ),
    Column(
        name="attention",
        description=_t("注意力機制：MHA、GQA、MQA 或 MLA", "Attention: MHA, GQA, MQA or MLA"),
        value=lambda m: _config(m, "attention"),
    ),
    Column(
        name="attention_heads",
        description=_t("注意力頭數", "Attention heads"),
        value=lambda m: _config(m, "attention_heads"),
    ),
    Column(
        name="kv_heads",
        description=_t("KV 頭數", "Key/value heads"),
        value=lambda m: _config(m, "kv_heads"),
    ),
    Column(
        name="shared_experts",
        description=_t("共享專家數（MoE）", "Shared experts (MoE)"),
        value=lambda m: _config(m, "shared_experts"),
    ),
    Column(
        name="routed_experts",
        description=_t("路由專家數（MoE）", "Routed experts (MoE)"),
        value=lambda m: _config(m, "routed_experts"),
    ),
    Column(
        name="activated_experts",
        description=_t("每詞元啟用的路由專家數", "Routed experts activated per token"),
        value=lambda m: _config(m, "activated_experts"),
    ),
    Column(
        name="vocab_size",
        description=_t("詞表大小", "Vocabulary size"),
        value=lambda m: _config(m, "vocab_size"),
    ),
    Column(
        name="source",
        description=_t(
            "此列數值的所有來源，以 | 分隔", "Every source behind the row's values, separated by |"
        ),
        value=_config_source,
    ),
    Column(
        name="evidence",
        description=_t(
            f"此列每個數值的證據種類，格式為 欄位=種類，以 | 分隔；種類為 {_KINDS_TEXT} 之一",
            f"Kind of evidence of each value in the row, as field=kind separated by |; a kind is one of {_KINDS_TEXT}",
        ),
        value=_config_evidence,
    ),
    Column(
        name="other_values",
        description=_t(
            "其他來源給出的不同數值，格式為 欄位=數值（來源；證據種類），以 | 分隔；各來源一致時留空。上方欄位取第一個列出的數值",
            "Different values other sources give, as field=value (source; evidence kind) separated by |; empty where sources agree. The columns above hold the first value listed",
        ),
        value=_other_values,
    ),
    Column(
        name="checked",
        description=_t(
            "此列中已與原始文件核對的欄位（第一個列出的數值在文件中對應的橫列或章節裡找到，且之後沒有改動），以 | 分隔；沒有則留空",
            "The row's fields whose value (the first listed) was found in its row or section of the "
            "source document and has not changed since, separated by |; empty where none was",
        ),
        value=_unbound,  # build_exports gives it the catalog's record of checks
    ),
)

# A field of changes.json that an entry does not have (an added value has no old value).
_ABSENT = object()
CHANGES_JSON = "changes.json"


def _whole(change: Change) -> bool:
    return change.path == "" and change.kind in ("added", "removed")


def _side(change: Change, side: str) -> object:
    """The old or new value of *change*: a whole element as a mapping of its values."""
    if _whole(change) or change.kind == "unreadable":
        return _ABSENT
    if side == "old" and change.kind == "added" or side == "new" and change.kind == "removed":
        return _ABSENT
    if change.record:
        return dict(change.record)
    return change.old if side == "old" else change.new


CHANGE_FIELDS: tuple[Column[Change], ...] = (
    Column(
        name="date",
        description=_t("提交日期（UTC），YYYY-MM-DD", "Date of the commit (UTC), YYYY-MM-DD"),
        value=lambda c: c.date.isoformat(),
    ),
    Column(
        name="commit",
        description=_t("提交的完整代號", "The commit's full id"),
        value=lambda c: c.commit,
    ),
    Column(
        name="file",
        description=_t(
            "資料檔案在 data/ 資料夾中的路徑，例如 papers/deepseek-v2.yaml",
            "The data file, relative to the data folder data/, e.g. papers/deepseek-v2.yaml",
        ),
        value=lambda c: c.file,
    ),
    Column(
        name="path",
        description=_t(
            "數值在檔案中的路徑，以 id 標示清單中的項目（models[deepseek-v2].config.layers）；空字串表示整個檔案",
            "The value's path in the file, list items named by their id (models[deepseek-v2].config.layers); empty for the whole file",
        ),
        value=lambda c: c.path,
    ),
    Column(
        name="change",
        description=_t(
            "added（新增）、changed（修改）、removed（移除）或 unreadable（提交前或提交後的檔案不是有效的 YAML，無法比較）",
            "added, changed, removed, or unreadable (the file before or after the commit is not valid YAML, so it cannot be compared)",
        ),
        value=lambda c: c.kind,
    ),
    Column(
        name="old",
        description=_t(
            "舊值（修改或移除時）；整個項目（例如一個模型）則為其所有數值",
            "The old value (changed or removed); for a whole item, such as a model, all its values",
        ),
        value=lambda c: _side(c, "old"),
    ),
    Column(
        name="new",
        description=_t(
            "新值（新增或修改時）；整個項目則為其所有數值",
            "The new value (added or changed); for a whole item, all its values",
        ),
        value=lambda c: _side(c, "new"),
    ),
    Column(
        name="values",
        description=_t(
            "整個檔案新增或移除時，檔案中的數值個數",
            "For a whole file added or removed: how many values it holds",
        ),
        value=lambda c: c.values if _whole(c) else _ABSENT,
    ),
)


# The configuration fields models.csv has a column for, in column order.
MODEL_FIELDS = tuple(c.name for c in MODEL_COLUMNS if c.name in schema.ModelConfig.model_fields)

EXPORTS = (
    ExportFile(
        name="papers.json",
        description=_t(
            "全部資料：論文、模型設定、主張、比較表、評測與對照模型，每個數值都附來源。結構與 data/ 中的 YAML 相同；另外每個來源都有 evidence（證據種類："
            + _KINDS_TEXT
            + "），比較表的每一列都有 evidence，依模型列出每個分數的證據種類（較晚論文的重新評測為 rescored）。同一事實有多個來源時，others 列出其他來源給出的數值。"
            "每篇論文的 checks 列出它的原始文件（documents：id、title、url、repository、commit、sha256，"
            "numbers 為來源由該文件支持的數字個數，checked 為其中已與文件核對的個數），"
            "unbacked 為來源不在原始文件清單中、因此無法核對的數字個數。"
            "每篇論文的 coverage 說明本站收錄了多少：holds 為 tables（論文的主要結果表格）、model-card（只有官方模型卡）"
            "或 abstract（只有摘要、README 或首頁所陳述的內容），why 說明原因。",
            "Everything: papers, model configurations, claims, result tables, benchmarks and baselines, every value with its source. The structure follows the YAML in data/; in addition every source has evidence (its kind of evidence: "
            + _KINDS_TEXT
            + "), and every row of a result table has evidence, each score's kind by model (a later paper's re-scoring is rescored). Where several sources give a fact, others lists the values the other sources give. "
            "Each paper's checks lists its source documents (documents: id, title, url, repository, commit, "
            "sha256; numbers: how many of its numbers cite a source the document holds; checked: how many of "
            "those were checked against it) and unbacked, how many numbers cite a source with no document on "
            "record and so cannot be checked. Each paper's coverage says what the site holds for it: holds is "
            "tables (the paper's main results tables), model-card (only what the official model card states) or "
            "abstract (only what the abstract, README or first page states), and why says why.",
        ),
    ),
    ExportFile(
        name="results.csv",
        description=_t("長格式：每列一個分數。", "Long format: one row per score."),
        columns=RESULT_COLUMNS,
    ),
    ExportFile(
        name="models.csv",
        description=_t(
            "每列一個模型；數量為純整數，未報告者留空。",
            "One row per model; counts are plain integers, empty where not reported.",
        ),
        columns=MODEL_COLUMNS,
    ),
    ExportFile(
        name="deepseek-papers.bib",
        description=_t(
            "所有論文的 BibTeX，取自官方引用格式。",
            "BibTeX for every paper, from the official citations.",
        ),
    ),
    ExportFile(
        name=CHANGES_JSON,
        description=_t(
            "資料的每一項變更，取自本專案的 git 歷史，由新到舊（與「資料變更」頁相同，並含兩種語言的文字）："
            "history 為 complete（完整）、shallow（淺層複製，只含 since 之後）或 absent（無歷史）；changes 中每一項的欄位如下。",
            "Every change to the data from the project's git history, newest first (as on the What changed page, "
            "text in both written languages): history is complete, shallow (a shallow clone: only after since) "
            "or absent (no history); each item of changes has these fields.",
        ),
        columns=CHANGE_FIELDS,
    ),
)


@dataclass(frozen=True, kw_only=True)
class SchemaDownload:
    """The JSON Schema of one kind of data file, as the site publishes it."""

    name: str  # the schema file's name
    describes: str  # the data files it describes, as a path pattern

    @property
    def url(self) -> str:
        """Link target from a page at the docs root, as `ExportFile.url`."""
        return f"{EXPORT_DIR}/{SCHEMA_DIR}/{self.name}"


DATA_SCHEMAS = tuple(
    SchemaDownload(name=kind.schema_file, describes=f"data/{kind.path}") for kind in PUBLISHED
)


@functools.cache  # made from the code's models alone: once per process (a preview server)
def schema_downloads() -> dict[str, str]:
    """Path under the docs root -> text of each data file's JSON Schema."""
    texts = schema_files()
    return {download.url: texts[download.name] for download in DATA_SCHEMAS}


def _csv(rows: Sequence[Row], columns: tuple[Column[Row], ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([c.value(row) for c in columns])
    return buffer.getvalue()


def _json(catalog: Catalog) -> str:
    def dump(model: BaseModel) -> dict[str, Any]:
        return model.model_dump(mode="json", by_alias=True, exclude_none=True)

    kinds = {
        (s.paper, s.comparison, s.model, s.benchmark, s.benchmark_label, s.setting): s.evidence
        for s in catalog.scores
    }

    def paper(record: schema.Paper) -> dict[str, Any]:
        """The paper as its YAML says, plus the evidence kind of every value."""
        out: dict[str, Any] = _with_source_evidence(dump(record))
        for table, raw in zip(record.comparisons, out.get("comparisons", []), strict=True):
            for row, raw_row in zip(table.rows, raw["rows"], strict=True):
                key = (record.id, table.id)
                raw_row["evidence"] = {
                    model: kinds[(*key, model, row.benchmark, row.label, row.setting)]
                    for model, value in row.scores.items()
                    if value is not None
                }
        return out

    def checks(paper_id: str) -> dict[str, Any]:
        """How many of the paper's numbers each document vouches for, and how many cite a
        source without a document."""
        found = catalog.paper_checks(paper_id)
        documents = [
            {
                "id": tally.document.id,
                "title": tally.document.title,
                "url": str(tally.document.url),
                "repository": tally.document.repository,
                "commit": tally.document.commit,
                "sha256": tally.document.sha256,
                "checked": tally.checked,
                "numbers": tally.backed,
            }
            for tally in found.tallies
        ]
        return {"documents": documents, "unbacked": found.unbacked}

    document = {
        "papers": [{**paper(p), "checks": checks(p.id)} for p in catalog.papers],
        "benchmarks": [dump(b) for b in catalog.benchmarks.values()],
        "baselines": [
            _with_source_evidence(dump(m.card))
            for m in catalog.models.values()
            if not m.is_deepseek
        ],
        "glossary": [_with_source_evidence(dump(g)) for g in catalog.glossary],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def changes_json(log: ChangeLog) -> str:
    """changes.json: the history's state and every change, fields as `CHANGE_FIELDS`."""
    entries = [
        {
            column.name: value
            for column in CHANGE_FIELDS
            if (value := column.value(change)) is not _ABSENT
        }
        for change in log.changes
    ]
    document = {
        "history": log.state,
        "since": None if log.horizon_date is None else log.horizon_date.isoformat(),
        "changes": entries,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _with_source_evidence(node: Any) -> Any:
    """Every source in a dumped record, given its evidence kind; a fact with one value
    without its empty `others` (in place)."""
    if isinstance(node, dict):
        if node.get("others") == []:
            del node["others"]
        if {"kind", "ref", "where"} <= node.keys():
            node["evidence"] = evidence.of_source(schema.Source.model_validate(node))
        for value in node.values():
            _with_source_evidence(value)
    elif isinstance(node, list):
        for item in node:
            _with_source_evidence(item)
    return node


def _model_columns(catalog: Catalog) -> tuple[Column[ModelEntry], ...]:
    """MODEL_COLUMNS, the `checked` column reading *catalog*'s record of checks."""
    fields = _checked_fields(catalog)
    return tuple(
        dataclasses.replace(c, value=fields) if c.name == "checked" else c for c in MODEL_COLUMNS
    )


def build_exports(catalog: Catalog) -> dict[str, str]:
    """File name (under downloads/) -> content."""
    scores: list[Score] = list(catalog.scores)
    models = catalog.deepseek_models
    return {
        "papers.json": _json(catalog),
        "results.csv": _csv(scores, RESULT_COLUMNS),
        "models.csv": _csv(models, _model_columns(catalog)),
        "deepseek-papers.bib": "\n\n".join(bibtex(p) for p in catalog.papers if p.bibtex) + "\n",
    }
