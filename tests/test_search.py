"""Search that knows the field's words: the segmenter's dictionary, Traditional text cut
as its Simplified twin, and each language's index settings. (Reader queries run through
the real search in Chromium in test_browser.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generators import strings
from generators.i18n import LANGUAGES, HansConverter
from generators.search import INDEX_SETTINGS, SimplifiedTwin, TraditionalSegmenter, field_words

HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
HAN = re.compile(r"[\u4e00-\u9fff]")
ZWSP = "\u200b"  # Material's mark between the words jieba cut


@pytest.fixture(scope="module")
def hans(catalog) -> HansConverter:
    return HansConverter(catalog.overrides)


def _index(site, lang: str) -> dict:
    prefix = next(language.prefix for language in LANGUAGES if language.code == lang)
    return json.loads((site / prefix / "search" / "search_index.json").read_text("utf-8"))


def test_field_words_hold_every_glossary_term_in_both_scripts(catalog, hans):
    words = set(field_words(catalog, hans))
    for term in catalog.glossary:
        for run in HAN_RUN.findall(term.term.zh_Hant):
            assert run in words, run
            assert hans.convert(run) in words, hans.convert(run)
    for zh_hant, _ in strings.DOMAINS.values():
        assert set(HAN_RUN.findall(zh_hant)) <= words, zh_hant


def test_traditional_text_is_cut_where_its_simplified_twin_is(catalog):
    import jieba

    segmenter = TraditionalSegmenter(jieba)
    twin = SimplifiedTwin()
    texts = [paper.summary.zh_Hant for paper in catalog.papers]
    assert texts
    for text in texts:
        for run in HAN_RUN.findall(text):
            words = list(segmenter.cut(run.encode("utf-8")))  # as Material calls it
            assert "".join(words) == run
            assert [len(w) for w in words] == [len(w) for w in jieba.cut(twin(run))]


def test_each_language_index_has_its_own_settings(built_site):
    for lang in LANGUAGES:
        config = _index(built_site, lang.code)["config"]
        assert config["lang"] == INDEX_SETTINGS[lang.code]["lang"], lang.code
        assert config["pipeline"] == INDEX_SETTINGS[lang.code]["pipeline"], lang.code
        # The search worker loads lunr's support of each language but English from the
        # site's own files (hosted and offline).
        for code in config["lang"]:
            if code != "en":
                support = built_site / "assets/javascripts/lunr/min" / f"lunr.{code}.min.js"
                assert support.is_file(), support
    # Chinese pages are not indexed with English stemming.
    for lang in ("zh-Hant", "zh-Hans"):
        config = _index(built_site, lang)["config"]
        assert "en" not in config["lang"] or "stemmer" not in config["pipeline"]


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_the_chinese_index_holds_the_field_words_whole(built_site, catalog, hans, lang):
    """A term of the glossary or a benchmark domain is one word of the index: where it
    stands alone (a table cell, a term beside Latin letters) always, and at least once
    wherever it occurs (inside a longer phrase the dictionary may cut elsewhere, as in
    自然語言|理解). The reader's query is cut along the words the index holds."""
    terms = [term.term.zh_Hant for term in catalog.glossary]
    terms += [zh_hant for zh_hant, _ in strings.DOMAINS.values()]
    words = {run for term in terms for run in HAN_RUN.findall(term)}
    if lang == "zh-Hans":
        words = {hans.convert(word) for word in words}
    texts = [doc["title"] + " " + doc["text"] for doc in _index(built_site, lang)["docs"]]
    cut_alone: set[str] = set()
    whole: dict[str, bool] = {}
    for word in sorted(words):
        # The word, with or without Material's word marks between its characters.
        spelled = re.compile(f"{ZWSP}?".join(re.escape(c) for c in word))
        for text in texts:
            for match in spelled.finditer(text):
                unbroken = ZWSP not in match.group(0)
                whole[word] = whole.get(word, False) or unbroken
                before = text[: match.start()].rstrip(ZWSP)[-1:]
                after = text[match.end() :].lstrip(ZWSP)[:1]
                if not unbroken and not HAN.match(before) and not HAN.match(after):
                    cut_alone.add(match.group(0).replace(ZWSP, "|"))
    assert whole, "no term occurs in the index"
    assert all(whole.values()), sorted(word for word, ok in whole.items() if not ok)
    assert not cut_alone, sorted(cut_alone)


_DICTIONARY_STATE = """
import hashlib, json, sys, jieba
jieba.setLogLevel(60)
jieba.initialize()  # writes the cache when there is none
jieba.dt.initialized = False
if sys.argv[1] == "ours":
    from generators.search import load_jieba_dictionary
    jieba.initialize = lambda *args: sys.exit("read by jieba, not in one piece")
    load_jieba_dictionary(jieba)
else:
    jieba.initialize()
frequencies = json.dumps(sorted(jieba.dt.FREQ.items()), ensure_ascii=False).encode()
words = list(jieba.cut("混合專家模型的多頭潛在注意力與稀疏注意力"))
print(json.dumps([hashlib.sha256(frequencies).hexdigest(), jieba.dt.total, words]))
"""


def test_jiebas_dictionary_read_in_one_piece_is_the_one_jieba_reads():
    """`load_jieba_dictionary` reads jieba's cache from its bytes: the same frequencies,
    total and cuts as jieba's own reading, each in a fresh interpreter."""
    states = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _DICTIONARY_STATE, how],
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parents[1],
            ).stdout
        )
        for how in ("ours", "jieba's")
    ]
    assert states[0] == states[1]
    assert states[0][1] > 0 and len(states[0][2]) > 1
