"""Chinese text takes full-width punctuation; Latin text inside it keeps its own.

`dspapers check` rejects a half-width , : ; ( ) ! ? touching a Chinese character in the
data's Chinese fields, the zh-Hant prose and the interface strings, naming file, line and
field; the rules themselves are pinned on sentences of the kind the site writes.
"""

from __future__ import annotations

import pytest
from test_validation import problems

from generators import typography
from generators.errors import DataValidationError
from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.pipeline import generate


@pytest.mark.parametrize(
    "text",
    [
        "在這之前,DeepSeek 已經開源",
        "DeepSeek-V3:主要模型",
        "混合專家(MoE)模型",
        "保留幾個共享專家;路由專家",
        "模型總參數 21B, 並支援 128K 上下文",
        "**架構**:DeepSeek",
        "[關於資料](about.md),請見",
    ],
)
def test_half_width_mark_touching_chinese_is_found(text):
    found = typography.findings(text)
    assert found
    for finding in found:
        assert text[finding.offset] == finding.mark
        assert f'write "{typography.FULL_WIDTH[finding.mark]}"' in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "在這之前，DeepSeek 已經開源",
        "以 pass@1, greedy 評測",
        "見 arXiv:2401.02954 的表 2",
        "「DeepSeekMath-V2 (Heavy)」的分數",
        "DeepSeek-V2 Chat (SFT)，在 MMLU 上",
        "共 1,000 題",
        "公式 `f(x), g(y)` 與 $O(L^2)$ 皆不讀",
        "複雜度 O(L²) 的注意力",
    ],
)
def test_latin_text_code_and_math_keep_their_own_marks(text):
    assert typography.findings(text) == []


def test_check_names_file_line_and_field_of_a_data_value(project):
    paper = project / "data/papers/deepseek-v2.yaml"
    text = paper.read_text(encoding="utf-8")
    # The summary is a folded scalar: its text starts on the line after the key.
    key = text.index("zh-Hant: >-\n", text.index("summary:"))
    value_start = text.index("\n", key) + 1
    indent = len(text[value_start:]) - len(text[value_start:].lstrip(" "))
    line = text[:value_start].count("\n") + 1
    at = value_start + indent
    paper.write_text(text[:at] + "在這之前,DeepSeek " + text[at:], encoding="utf-8")
    messages = [m for m in problems(project) if "half-width" in m]
    assert len(messages) == 1
    assert messages[0].startswith(f"data/papers/deepseek-v2.yaml:{line}: summary.zh-Hant")
    assert '"，"' in messages[0]


def test_check_names_the_line_of_zh_hant_prose(project):
    prose = next(p for p in sorted((project / "content").rglob("*.zh-Hant.md")))
    lines = prose.read_text(encoding="utf-8").splitlines()
    lines.append("")
    lines.append("最後一段:加上半形冒號。")
    prose.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        generate(BuildOptions(paths=ProjectPaths.at(project), charts=False))
    found = [str(e) for e in info.value.errors if "half-width" in str(e)]
    rel = prose.relative_to(project).as_posix()
    assert found == [found[0]] and found[0].startswith(f"{rel}:{len(lines)}: ")


def test_the_interface_strings_are_checked_by_their_key_line(tmp_path):
    table = tmp_path / "strings.py"
    table.write_text('UI = {\n    "ok": ("好。", "OK."),\n    "bad": ("壞,的", "bad"),\n}\n')
    ui = {"ok": ("好。", "OK."), "bad": ("壞,的", "bad")}
    (problem,) = typography.check_strings(table, {"UI": ui}, "strings.py")
    assert str(problem).startswith("strings.py:3: UI['bad'].zh-Hant")


# What a reader reads on a page: its article's blocks, without code, math, pictures, or
# values quoted from the data's history (the What changed page shows them as they were).
_NOT_PROSE = ("pre", "code", "script", "style", "svg", "math")
_QUOTED = ("arithmatex", "dsp-history-value")


def _blocks(page):
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    for element in tree.xpath("//*[self::pre or self::code or self::script or self::style]"):
        element.drop_tree()
    for cls in _QUOTED:
        for element in tree.xpath(f'//*[contains(concat(" ", @class, " "), " {cls} ")]'):
            element.drop_tree()
    for block in tree.xpath(
        "//article//*[self::p or self::li or self::td or self::th or self::h1 or self::h2"
        " or self::h3 or self::h4 or self::figcaption or self::caption or self::summary]"
    ):
        if not block.xpath(".//p|.//li|.//td|.//th"):  # the innermost blocks only
            yield block.text_content()


def test_no_half_width_punctuation_touches_chinese_on_the_built_pages(built_site):
    found: dict[str, str] = {}
    read = 0
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        if rel.startswith("en/"):
            continue
        for text in _blocks(page):
            read += 1
            for finding in typography.findings(text):
                found.setdefault(finding.excerpt, f"{rel}: {finding.message}")
    assert read, "no Chinese page was read"
    assert not found, f"{len(found)} places:\n" + "\n".join(list(found.values())[:40])


def test_the_page_walk_reads_what_a_reader_reads(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(
        "<html><body><article><p>之前,DeepSeek</p><pre>之前,code</pre>"
        '<p><span class="dsp-history-value">舊值,照舊</span>新值</p></article></body></html>',
        encoding="utf-8",
    )
    assert [typography.findings(t) != [] for t in _blocks(page)] == [True, False]
