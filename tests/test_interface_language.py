"""Every control's words on every built page are in that page's language.

A screen reader or a tooltip reads what the page does not show: titles, aria-labels, alt
texts and placeholders. The theme, the Markdown extensions and our templates all write
them; this walks every page of the built site (built once, by the `built_site` fixture)
and reads each one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generators.i18n import LANGUAGES, foreign_script

ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


class _Attributes(HTMLParser):
    """The <html lang> of a page and every value of the attributes a reader hears."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.values: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        for name, value in attrs:
            if name in ATTRIBUTES and value and value.strip():
                self.values.append((tag, name, value))


def _language_of(page: Path, site: Path) -> str:
    relative = page.relative_to(site).as_posix()
    for lang in LANGUAGES:
        if not lang.default and relative.startswith(lang.prefix):
            return lang.code
    return next(lang.code for lang in LANGUAGES if lang.default)


@pytest.fixture(scope="module")
def names(catalog) -> frozenset[str]:
    """Words of the proper names the data defines: papers, models, benchmarks, baselines,
    the glossary's abbreviations and names, and the languages' own names."""
    from generators import strings

    texts = [paper.name for paper in catalog.papers]
    texts += [entry.name for entry in catalog.models.values()]
    texts += [benchmark.name for benchmark in catalog.benchmarks.values()]
    texts += [score.benchmark_label for score in catalog.scores]
    texts += [score.model_label for score in catalog.scores]
    texts += [term.abbreviation for term in catalog.glossary if term.abbreviation]
    # A glossary term written in Latin letters in its Chinese form is a name (GShard, Lean 4).
    texts += [term.term.zh_Hant for term in catalog.glossary]
    texts += [lang.name for lang in LANGUAGES]
    texts.append(strings.UI["site_name"][0])
    return frozenset(word.casefold() for text in texts for word in LATIN_WORD.findall(text))


def wrong_language(value: str, lang: str, names: frozenset[str]) -> str | None:
    """Why *value* is not in *lang*, or None when it is."""
    if lang == "en":
        # Chinese on an English page only as a language's own name (the language menu).
        rest = value
        for language in LANGUAGES:
            rest = rest.replace(language.name, "")
        return "Chinese characters on an English page" if HAN.search(rest) else None
    found = foreign_script(value, lang)
    if found:
        return f"characters of the other script: {found}"
    if not HAN.search(value):
        foreign = [w for w in LATIN_WORD.findall(value) if w.casefold() not in names]
        if foreign:
            return f"English words that are no name the data defines: {foreign}"
    return None


def test_the_check_fails_on_words_in_the_wrong_language(names):
    """The check itself: it fails on what a page must not say."""
    assert wrong_language("Dark mode", "zh-Hant", names)
    assert wrong_language("Permanent link", "zh-Hans", names)
    assert wrong_language("深色模式", "en", names)
    assert wrong_language("切换为深色模式", "zh-Hant", names)  # Simplified on zh-Hant
    assert wrong_language("切換為深色模式", "zh-Hans", names)  # Traditional on zh-Hans
    assert not wrong_language("DeepSeek-V2", "zh-Hant", names)  # a name
    assert not wrong_language("DeepSeek-V2:主要模型", "zh-Hant", names)
    assert not wrong_language("繁體中文", "en", names)  # a language's own name


def test_every_control_on_every_page_speaks_the_pages_language(built_site, names):
    checked = dict.fromkeys((lang.code for lang in LANGUAGES), 0)
    problems: dict[tuple[str, str], str] = {}  # (language, text) -> the first page with it
    verdicts: dict[tuple[str, str], str | None] = {}  # each text is judged once per language
    for page in sorted(built_site.rglob("*.html")):
        lang = _language_of(page, built_site)
        parser = _Attributes()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(built_site).as_posix()
        assert parser.lang == lang, f"{where}: <html lang={parser.lang!r}>, expected {lang}"
        for tag, attribute, value in parser.values:
            checked[lang] += 1
            key = (lang, value)
            if key not in verdicts:
                verdicts[key] = wrong_language(value, lang, names)
            if verdicts[key] and key not in problems:
                problems[key] = f"{where}: <{tag} {attribute}={value!r}>: {verdicts[key]}"
    # Every language's pages were read, and they have controls to read.
    assert all(checked.values()), checked
    assert not problems, "\n".join(problems.values())


def _table_words(page: Path, columns: frozenset[str]) -> list[tuple[str, str]]:
    """(header or column name, cell text) for every header cell of every table of the
    page's article, and every cell of its columns named in *columns*."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(page.read_bytes())
    out: list[tuple[str, str]] = []
    for table in tree.xpath("//article//table"):
        heads = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
        out += [("header", head) for head in heads]
        wanted = [i for i, head in enumerate(heads) if head in columns]
        for row in table.xpath("./tbody/tr"):
            cells = row.xpath("./th|./td")
            out += [(heads[i], cells[i].text_content().strip()) for i in wanted if i < len(cells)]
    return out


def test_tables_of_results_speak_the_pages_language(built_site, names, hans):
    """On Chinese pages, the tables' headers and their metric and setting cells hold no
    English word but names (MMLU, pass@1, CoT, 5-shot, Python)."""
    from generators import strings, vocabulary

    problems: dict[str, str] = {}
    read = 0
    for lang in ("zh-Hant", "zh-Hans"):
        convert = hans.convert if lang == "zh-Hans" else str
        columns = frozenset(convert(strings.UI[key][0]) for key in ("setting", "metric"))
        prefix = next(language.prefix for language in LANGUAGES if language.code == lang)
        for page in sorted(built_site.rglob("*.html")):
            if _language_of(page, built_site) != lang:
                continue
            for column, text in _table_words(page, columns):
                read += column != "header"
                english = [
                    w
                    for w in vocabulary.english_words(text)
                    if w.casefold() not in names
                    and not all(part.casefold() in names for part in LATIN_WORD.findall(w))
                ]
                if english and text not in problems:
                    where = page.relative_to(built_site).as_posix()
                    problems[text] = f"{where} ({prefix or lang}), {column}: {text!r}: {english}"
    assert read, "no metric or setting cell was read"
    assert not problems, "\n".join(list(problems.values())[:40])


def test_the_table_check_fails_on_english_words(names):
    from generators import vocabulary

    assert list(vocabulary.english_words("temperature 0.7, averaged over 16 runs"))
    assert not list(vocabulary.english_words(vocabulary.localize("accuracy", "zh-Hant")))
    assert not list(vocabulary.english_words("pass@1，5-shot，CoT，Python"))


@pytest.fixture(scope="module")
def hans(catalog):
    from generators.i18n import HansConverter

    return HansConverter(catalog.overrides)
