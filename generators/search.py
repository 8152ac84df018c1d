"""Search that knows the field's words: the Chinese segmenter's dictionary and each
language's index settings.

Material's search plugin cuts every run of Chinese characters into words with jieba
before it indexes a page, and the reader's query is cut along the words the index holds.
jieba's own dictionary is Simplified and general: it splits Traditional text oddly
(官方程式庫 into 或官|方程式|庫) and the field's terms into pieces (蒙地卡羅 into 蒙地|卡羅).
So the segmenter is given the field's words, from the data in both scripts, as a user
dictionary, and Traditional text is cut as its Simplified twin is, character for
character. Each language's index then tells the browser's search worker its language.
"""

from __future__ import annotations

import marshal
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import strings
from .catalog import Catalog
from .i18n import HansConverter, opencc_converter

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# What Material hands jieba: runs of Han characters only (Latin names are split by the
# search separator), so only the Han runs of a term are words for it.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")

# Each language's settings for Material's search worker, written into its index: the
# lunr.js languages (the worker loads lunr.<lang>.js, shipped with Material, for any but
# "en") and the pipeline functions kept. Chinese: lunr's Chinese support, whose stemmer
# leaves words as they are and whose stop-word filter drops particles (的, 與, 和) that
# would otherwise match every page; not English stemming, which also stops a query's
# last word (searched as a prefix, unstemmed) from matching its stemmed form. English:
# Material's own English settings (stop words dropped, no stemming, for the same reason).
INDEX_SETTINGS: dict[str, dict[str, list[str]]] = {
    "zh-Hant": {"lang": ["zh"], "pipeline": ["stopWordFilter"]},
    "zh-Hans": {"lang": ["zh"], "pipeline": ["stopWordFilter"]},
    "en": {"lang": ["en"], "pipeline": ["stopWordFilter"]},
}


def index_config(config: dict[str, Any], lang: str) -> dict[str, Any]:
    """A search index's `config` block (separator, fields) with *lang*'s settings."""
    return {**config, **INDEX_SETTINGS[lang]}


# --- The field's words ----------------------------------------------------------------


def field_words(catalog: Catalog, hans: HansConverter) -> list[str]:
    """The field's Chinese words, from the data, in both scripts, sorted.

    The glossary's terms and the benchmark domains (定理證明, 程式碼): their zh-Hant form,
    the zh-Hans form the pages show, and the zh-Hant form converted character by
    character, which is what the Traditional text is cut as. Not the research lines'
    names: they are phrases (程式碼與定理證明), and a phrase kept whole would hide its
    words from a search.
    """
    terms = [term.term.zh_Hant for term in catalog.glossary]
    terms += [zh_hant for zh_hant, _ in strings.DOMAINS.values()]
    to_simplified = SimplifiedTwin()
    words: set[str] = set()
    for term in terms:
        for run in _HAN_RUN.findall(term):
            words.update((run, hans.convert(run), to_simplified(run)))
    return sorted(words)


def user_dictionary(words: Iterable[str]) -> str:
    """jieba's user dictionary format: one word a line. With no frequency given, jieba
    gives each word the frequency that keeps it whole against its own dictionary."""
    return "".join(f"{word}\n" for word in words)


# --- Cutting Traditional text ---------------------------------------------------------


def load_jieba_dictionary(jieba: Any) -> None:
    """`jieba.initialize()`, reading the dictionary's cache in one piece.

    jieba unmarshals the cache of its default dictionary from the open file, which reads it
    a few bytes at a time: 0.6-0.7 s of every build. From the file's bytes, the same
    dictionary takes 0.3 s. Only that cache, which jieba itself reads without any check
    (its path, its content: a dict of word frequencies and their total), is read here;
    any other dictionary, or a cache that does not read as that, goes to jieba's own
    `initialize`, which also writes the cache when there is none.
    """
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return
    if tokenizer.cache_file is None and tokenizer.dictionary == jieba.DEFAULT_DICT:
        cache = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / "jieba.cache"
        try:
            loaded = marshal.loads(cache.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            loaded = None
        if (
            isinstance(loaded, tuple)
            and len(loaded) == 2
            and isinstance(loaded[0], dict)
            and isinstance(loaded[1], int)
        ):
            with tokenizer.lock:
                if not tokenizer.initialized:
                    tokenizer.FREQ, tokenizer.total = loaded
                    tokenizer.initialized = True
            return
    jieba.initialize()


class _Jieba(Protocol):
    def cut(self, sentence: str) -> Iterator[str]: ...
    def load_userdict(self, f: str) -> None: ...


class SimplifiedTwin:
    """Traditional text in Simplified characters, one character for one (OpenCC t2s)."""

    def __init__(self) -> None:
        self._opencc = opencc_converter("t2s")

    def __call__(self, text: str) -> str:
        twin: str = self._opencc.convert(text)
        if len(twin) == len(text):
            return twin
        # A phrase converted to one of another length: convert character by character,
        # keeping a character whose conversion is not a single character.
        return "".join(c if len(s := self._opencc.convert(c)) != 1 else s for c in text)


class TraditionalSegmenter:
    """Cuts Traditional text where jieba cuts its Simplified twin (the same length), so
    Traditional pages are segmented with the whole dictionary, not its few Traditional words.

    Has the methods Material's search plugin calls on jieba: `cut`, and `load_userdict`
    for its `jieba_dict_user` setting.
    """

    def __init__(self, jieba: _Jieba) -> None:
        self._jieba = jieba
        self._twin = SimplifiedTwin()

    def load_userdict(self, f: str) -> None:
        self._jieba.load_userdict(f)

    def cut(self, sentence: str | bytes) -> Iterator[str]:
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        start = 0
        for word in self._jieba.cut(self._twin(text)):
            yield text[start : start + len(word)]
            start += len(word)


def configure_segmenter(config: MkDocsConfig, lang: str, dictionary: str) -> None:
    """Give this language build's Chinese segmentation the field's words (*dictionary*,
    a user dictionary file), and cut Traditional pages as their Simplified twin."""
    try:
        import jieba
    except ImportError:  # Material's search then indexes without segmentation
        return
    import material.plugins.search.plugin as material_search

    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return
    # Material's own setting: its search plugin loads the file into jieba.
    search.config.jieba_dict_user = dictionary
    # The search plugin calls `jieba.cut` through its module's name for jieba: for a
    # Traditional build that name is given the segmenter above, for any other jieba itself.
    material_search.jieba = TraditionalSegmenter(jieba) if lang == "zh-Hant" else jieba
