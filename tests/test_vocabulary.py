"""Metrics and settings in the reader's language: names stay, words are translated, and
a data value whose words have no Chinese is rejected by `dspapers check`."""

from __future__ import annotations

import pytest
from test_validation import edit, problems

from generators import vocabulary


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("accuracy", "準確率"),
        ("temperature 0.7, averaged over 16 runs", "溫度 0.7，16 次執行的平均"),
        ("few-shot chain-of-thought", "少樣本思維鏈"),
        ("average over the 8 languages, greedy", "8 種語言的平均，貪婪解碼"),
        ("Easy (45 problems)", "簡單（45 題）"),
        ("greedy (DeepSeek-Coder-V2: 0-shot CoT)", "貪婪解碼（DeepSeek-Coder-V2：0-shot CoT）"),
        (
            "temperature 1.0, non-thinking, block size 7; target Qwen3-4B",
            "溫度 1.0，非思考模式，區塊大小 7；目標模型 Qwen3-4B",
        ),
        ("5-shot", "5-shot"),
        ("pass@1", "pass@1"),
    ],
)
def test_settings_read_in_chinese_with_names_kept(english, chinese):
    assert vocabulary.localize(english, "zh-Hant") == chinese
    assert vocabulary.localize(english, "en") == english
    assert vocabulary.untranslated(english) == []


def test_words_without_chinese_are_named():
    assert vocabulary.untranslated("nucleus sampling, 5-shot") == ["nucleus", "sampling"]
    assert vocabulary.untranslated("MMLU-Pro, CoT, Python") == []


def test_check_rejects_a_setting_without_chinese_words(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    line = edit(
        paper,
        'label: "BBH (EM)", setting: "3-shot"',
        'label: "BBH (EM)", setting: "nucleus sampling"',
    )
    (message,) = [m for m in problems(project) if "no Chinese" in m]
    assert message.startswith(f"data/papers/deepseek-v2.yaml:{line}: ")
    assert ".setting" in message and "'nucleus'" in message and "'sampling'" in message
