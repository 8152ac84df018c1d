"""Simplified Chinese is derived from Traditional: OpenCC tw2sp plus reviewed overrides."""

from __future__ import annotations

import re

from generators import schema
from generators.i18n import HansConverter, foreign_script


def override(hant: str, hans: str) -> schema.Override:
    return schema.Override.model_validate({"zh-Hant": hant, "zh-Hans": hans, "reason": "test"})


def test_phrase_aware_conversion_uses_mainland_vocabulary():
    convert = HansConverter().convert
    # tw2sp converts vocabulary, not only characters.
    assert convert("程式碼與資料集") == "代码与数据集"
    assert convert("記憶體與軟體") == "内存与软件"
    assert convert("共享專家隔離") == "共享专家隔离"


def test_override_table_wins_over_opencc():
    convert = HansConverter((override("詞元", "令牌"),)).convert
    assert convert("每個詞元") == "每个令牌"


def test_longer_override_wins_over_shorter_inside_it():
    convert = HansConverter((override("專家", "X"), override("共享專家", "Y"))).convert
    assert convert("共享專家與路由專家") == "Y与路由X"


def test_code_and_comments_are_not_converted():
    convert = HansConverter().convert
    text = "資料 `資料` <!-- 資料 -->\n```\n資料\n```\n"
    assert convert(text) == "数据 `資料` <!-- 資料 -->\n```\n資料\n```\n"


def test_foreign_script_detection_is_phrase_aware():
    assert foreign_script("共享专家與資料", "zh-Hant") == [("专", "共享专家與資料")]
    assert foreign_script("共享專家与数据", "zh-Hans")[0][0] == "專"
    # Characters valid in both scripts are not flagged.
    assert foreign_script("著名的乾燥天氣", "zh-Hant") == []
    assert foreign_script("著名的干燥天气", "zh-Hans") == []
    assert foreign_script("anything", "en") == []


# Values the What changed page quotes as the data held them at a commit: an old value may
# be the very character a later commit fixed (污 -> 汙), so it is not the page's own text.
HISTORY_VALUE = re.compile(r'<span class="dsp-history-value">.*?</span>', re.S)


def test_generated_pages_are_in_the_right_script(generated):
    """No Simplified-only characters on zh-Hant pages, no Traditional-only on zh-Hans."""
    for name, content in generated.files.items():
        for lang in ("zh-Hant", "zh-Hans"):
            if name.endswith(f".{lang}.md"):
                text = HISTORY_VALUE.sub(" ", content.decode("utf-8"))
                found = foreign_script(text, lang)
                assert not found, f"{name}: {found[:5]}"


def _issue_texts_decoded(page: str) -> str:
    """The page with each report link's encoded issue text written out, so that what the
    conversion of the page would do to it shows (the link converts it before encoding)."""
    import html
    import json
    import re
    from urllib.parse import parse_qsl

    from generators.paths import REPOSITORY

    def written_out(match: re.Match[str]) -> str:
        fields = parse_qsl(html.unescape(match.group(1)), strict_parsing=True)
        return f'href="{REPOSITORY}/issues/new {json.dumps(fields, ensure_ascii=False)}"'

    return re.sub(rf'href="{re.escape(REPOSITORY)}/issues/new\?([^"]*)"', written_out, page)


def test_zh_hans_pages_are_derived_from_zh_hant(generated):
    """Each zh-Hans page is its zh-Hant page converted, except that it shows zh-Hans charts,
    links zh-Hans files (chart downloads, slide decks) and gives zh-Hans page addresses."""
    from generators.paths import SITE_URL

    converter = HansConverter(generated.catalog.overrides)
    with_charts = with_decks = 0
    for name, content in generated.files.items():
        if name.endswith(".zh-Hant.md"):
            hant = _issue_texts_decoded(content.decode("utf-8"))
            hans = generated.files[name.replace(".zh-Hant.md", ".zh-Hans.md")].decode("utf-8")
            hans = _issue_texts_decoded(hans)
            assert "/zh-Hant/" not in hans
            in_hans = (
                hant.replace("/charts/zh-Hant/", "/charts/zh-Hans/")
                .replace("/slides/zh-Hant/", "/slides/zh-Hans/")
                .replace(SITE_URL, f"{SITE_URL}zh-Hans/")
            )
            assert hans == converter.convert(in_hans), name
            with_charts += "/charts/zh-Hant/" in hant
            with_decks += "/slides/zh-Hant/" in hant
    # The paths were checked on at least one page of each kind.
    assert with_charts > 0 and with_decks > 0


def test_zh_hans_snapshot_of_key_phrases(generated):
    """Spot-check the conversion of the home page (OpenCC is pinned; changes show here)."""
    home = generated.files["index.zh-Hans.md"].decode("utf-8")
    assert "开源与长期主义" in home
    assert "混合专家架构" in home
    assert "程式码" not in home and "代码" in home


def test_zh_hans_pages_use_mainland_terms_for_tree_search(generated):
    """Taiwan transliterations OpenCC keeps are overridden (data/zh-hans-overrides.yaml)."""
    page = generated.files["papers/deepseek-prover-v1.5.zh-Hans.md"].decode("utf-8")
    assert "蒙特卡洛树搜索" in page and "上置信界" in page
    assert "蒙地卡" not in page and "信赖界" not in page


def test_english_pages_are_english(generated):
    import re

    for name, content in generated.files.items():
        if name.endswith(".en.md"):
            text = content.decode("utf-8")
            # Chinese may appear only in language names and quoted titles; prose is English.
            han = re.findall(r"[\u4e00-\u9fff]", text)
            assert len(han) <= 12, f"{name} has {len(han)} Han characters"
