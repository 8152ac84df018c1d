"""The words of the results tables in Chinese: metrics and evaluation settings.

The data writes a metric ("accuracy") and a setting ("few-shot chain-of-thought",
"temperature 0.7, averaged over 16 runs") once, in English, as the papers print them; a
Chinese page shows them in Chinese. A setting is read as clauses ("; "), parts (", ") and
a trailing parenthesis, each part translated whole (TERMS) or by its shape (PATTERNS);
names (MMLU, pass@1, CoT, 5-shot, Python) stay as they are. zh-Simplified pages convert
the zh-Hant words like the rest of the page.

`untranslated` names the English words a Chinese page would still show: `dspapers check`
rejects a data value that has any, so that a new paper's settings come with their words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .errors import DataError
from .load import SourceDocument, format_path, string_values

# Whole phrases, as the data writes them (lower or title case as printed).
TERMS: dict[str, str] = {
    # Metrics.
    "accuracy": "準確率",
    "accepted length": "接受長度",
    "score": "分數",
    "overall score": "總分",
    "exact-match": "完全匹配",
    "rating": "評分",
    "elo": "Elo 分數",
    "edit distance": "編輯距離",
    "resolved rate": "解決率",
    "problems proved (count)": "證出題數",
    "problems solved (of 30)": "解出題數（共 30 題）",
    "length-controlled win rate": "長度控制勝率",
    "win-rate": "勝率",
    "loss": "損失",
    "prompt-level strict accuracy": "提示層級嚴格準確率",
    "prompt-level loose accuracy": "提示層級寬鬆準確率",
    "prompt-level loose": "提示層級寬鬆",
    "percentile": "百分位數",
    "bits-per-byte": "每位元組位元數",
    "human-graded proof score (%)": "人工評分的證明分數（%）",
    "mean proof score (0 to 1)": "平均證明分數（0 至 1）",
    "pass rate": "通過率",
    "repair rate": "修復率",
    "repetition rate (%)": "重複率（%）",
    # Decoding and prompting.
    "greedy": "貪婪解碼",
    "greedy decoding": "貪婪解碼",
    "generation": "生成式",
    "perplexity-based": "基於困惑度",
    "few-shot": "少樣本",
    "chain-of-thought": "思維鏈",
    "few-shot chain-of-thought": "少樣本思維鏈",
    "with chain-of-thought prompt": "使用思維鏈提示詞",
    "few-shot program-of-thought": "少樣本程式思維",
    "few-shot informal-to-formal proving": "少樣本非形式化到形式化證明",
    "tool-integrated reasoning": "工具整合推理",
    "non-CoT": "非 CoT",
    "CoT + non-CoT mixture": "CoT 與非 CoT 混合",
    "Non-think": "非思考模式",
    "non-thinking": "非思考模式",
    "Think High": "思考模式 High",
    "Think Max": "思考模式 Max",
    "with tools": "使用工具",
    "completion mode": "補全模式",
    "agent mode": "代理模式",
    "code agent": "程式碼代理",
    "search agent": "搜尋代理",
    "Agentless framework": "Agentless 框架",
    "agentless framework": "Agentless 框架",
    "diff format": "diff 格式",
    "whole format": "whole 格式",
    "final summary only": "僅最終摘要",
    "human-annotated scoring": "人工標註評分",
    "cumulative": "累計",
    "sum": "總和",
    "non-English languages": "非英語語言",
    "sample budget not printed": "取樣預算未列出",
    "OpenDevin CodeAct agent v1.3": "OpenDevin CodeAct 代理 v1.3",
    # Splits and subsets.
    "test": "測試集",
    "val": "驗證集",
    "dev": "開發集",
    "en test": "英文測試集",
    "cn test": "中文測試集",
    "overall": "整體",
    "Overall": "整體",
    "Average": "平均",
    "Easy": "簡單",
    "Medium": "中等",
    "Hard": "困難",
    "July-Nov 2023": "2023 年 7 至 11 月",
    # OmniDocBench's page kinds.
    "Academic Paper": "學術論文",
    "Book": "書籍",
    "Colorful Textbook": "彩色教科書",
    "Exam Paper": "試卷",
    "Magazine": "雜誌",
    "Newspaper": "報紙",
    "Note": "筆記",
    "Research Report": "研究報告",
    "online-user-logs": "線上使用者紀錄",
    "pretrain-data": "預訓練資料",
    "image": "圖片",
    # MT-Bench's categories.
    "Humanities": "人文",
    "Reasoning": "推理",
    "Coding": "程式設計",
    "Math": "數學",
    "Extraction": "資訊擷取",
    "Roleplay": "角色扮演",
    "Writing": "寫作",
    # Image-generation benchmarks' categories (GenEval, DPG-Bench).
    "single object": "單一物件",
    "two objects": "兩個物件",
    "counting": "計數",
    "colors": "顏色",
    "position": "位置",
    "color attribution": "顏色屬性",
    "global": "整體",
    "entity": "實體",
    "attribute": "屬性",
    "relation": "關係",
    "other": "其他",
    "perception": "感知",
}

_N = r"(\d[\d.,]*(?: × \d[\d.,]*)*)"  # a number, or a product of numbers
# Parts by their shape: the pattern's groups go into the Chinese text in order.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (rf"sample budget {_N}", "取樣預算 {0}"),
        (rf"generation times {_N}", "生成次數 {0}"),
        (rf"temperature {_N}", "溫度 {0}"),
        (rf"block size {_N}", "區塊大小 {0}"),
        (rf"max length {_N}", "最大長度 {0}"),
        (rf"max input {_N} / output {_N}", "最長輸入 {0} / 輸出 {1}"),
        (rf"averaged over {_N} runs", "{0} 次執行的平均"),
        (rf"average over the {_N} languages", "{0} 種語言的平均"),
        (rf"majority vote over {_N} (?:candidates|samples)", "{0} 個取樣的多數決"),
        (rf"mean of all {_N} columns", "全部 {0} 欄的平均"),
        (rf"all {_N} problems", "全部 {0} 題"),
        (rf"{_N} problems", "{0} 題"),
        (rf"{_N} issues", "{0} 個問題"),
        (rf"{_N} languages", "{0} 種語言"),
        (rf"{_N} single-method bugs", "{0} 個單一方法錯誤"),
        (rf"{_N} Python editing tasks", "{0} 個 Python 編輯任務"),
        (rf"{_N} Div\.(\d) contests", "{0} 場 Div.{1} 競賽"),
        (rf"problems solved out of {_N}", "{0} 題中解出的題數"),
        (r"problems (\S+) to (\S+)", "{0} 至 {1} 的題目"),
        (r"questions (\S+) to (\S+)", "{0} 至 {1} 的題目"),
        (r"problems (\S+)", "{0} 的題目"),
        (r"subset (\S+)", "子集 {0}"),
        (r"target (\S+)", "目標模型 {0}"),
        (r"(\S+) context", "{0} 上下文"),
        (r"([^,;()]+) framework", "{0} 框架"),
        (r"([^,;()]+) prompt format", "{0} 提示詞格式"),
        (r"([^,;()]+) prompt", "{0} 提示詞"),
        (r"([^,;()]+?) (?:as )?judge", "{0} 評審"),
        (
            r"Weekly Contest (\S+) and Bi-Weekly Contest (\S+)",
            "週賽 {0} 與雙週賽 {1}",
        ),
        (r"HumanEval in (\d+) languages and MBPP\+", "{0} 種語言的 HumanEval 與 MBPP+"),
    )
)

# Words that are names though they are plain words: languages, libraries, tools, splits.
NAME_WORDS = frozenset(
    {
        "Bash",
        "Java",
        "Julia",
        "Python",
        "Racket",
        "Rust",
        "Swift",
        "Isabelle",
        "Lean",
        "Matplotlib",
        "Pandas",
        "Agentless",
        "Terminus",
        "OpenAI",
        "simple-evals",
        "testmini",
        "diff",
        "whole",
        "bpb",
        "High",
        "Max",
        "Elo",
        "Schema",  # JSON Schema, a standard's name
    }
)
# A word as a reader sees one: "0-shot", "pass@1" and "C++" are one word each.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9@+#.'_/-]*")


def localize(text: str, lang: str) -> str:
    """*text* (a metric or a setting, as the data writes it) in *lang*."""
    if lang == "en" or not text.strip():
        return text
    return _phrase(text)


@functools.cache
def _phrase(text: str) -> str:
    whole = _translated(text)
    if whole is not None:
        return whole
    clauses = _split(text, ";")
    if len(clauses) > 1:
        return "；".join(_phrase(c) for c in clauses)
    parts = _split(text, ",")
    if len(parts) > 1:
        return "，".join(_phrase(p) for p in parts)
    return _part(text)


def _part(text: str) -> str:
    """One part: translated whole, by shape, a name with a translated parenthesis, or a
    name and a colon ("DeepSeek-Coder-V2: 0-shot CoT")."""
    inner = re.fullmatch(r"(.*\S) \((.+)\)", text)
    if inner:
        return f"{_phrase(inner[1])}（{_phrase(inner[2])}）"
    head, colon, rest = text.partition(": ")
    if colon and _translated(text) is None:
        return f"{head}：{_phrase(rest)}"
    return _translated(text) or text


def _translated(text: str) -> str | None:
    if text in TERMS:
        return TERMS[text]
    for pattern, zh in PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return zh.format(*(_phrase(g) if not g[0].isdigit() else g for g in match.groups()))
    return None


def _split(text: str, mark: str) -> list[str]:
    """*text* split at each *mark* followed by a space, outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == mark and depth == 0 and text[i + 1 : i + 2] == " ":
            parts.append(text[start:i].strip())
            start = i + 2
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def is_name(word: str) -> bool:
    """A word that stays as written: with a digit or a sign (pass@1, 5-shot, C++, MBPP+),
    capitals after its first letter (MMLU, CoT, NumPy, TEDS-S), one letter (R, D, a
    formula's exponent), or one of NAME_WORDS."""
    if word in NAME_WORDS or any(c.isdigit() or c in "@+#" for c in word):
        return True
    return len(word) == 1 or any(c.isupper() for c in word[1:])


def english_words(text: str) -> Iterator[str]:
    """The words of *text* that are English and not names."""
    for word in _WORD.findall(text):
        word = word.rstrip(".'-/")
        if any(c.isalpha() for c in word) and not is_name(word):
            yield word


def untranslated(text: str) -> list[str]:
    """The English words (not names) that *text* would still show on a Chinese page."""
    return list(english_words(localize(text, "zh-Hant")))


# --- Checking the data --------------------------------------------------------------------

VOCABULARY_KEYS = frozenset({"metric", "setting"})


def check_document(doc: SourceDocument) -> list[DataError]:
    """A data file's metrics and settings that a Chinese page would show with English
    words: each needs its words in TERMS or PATTERNS (or the word in NAME_WORDS)."""
    problems = []
    for path, value in string_values(doc.data, VOCABULARY_KEYS):
        left = untranslated(value)
        if left:
            line, _column = doc.locate(path)
            problems.append(
                DataError(
                    file=doc.name,
                    line=line,
                    field=format_path(path),
                    message=(
                        f"{value!r} has no Chinese for {', '.join(repr(w) for w in left)}: "
                        "add the words to generators/vocabulary.py (TERMS, PATTERNS, or "
                        "NAME_WORDS for a name)"
                    ),
                )
            )
    return problems
