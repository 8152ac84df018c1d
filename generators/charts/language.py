"""A chart's words in one language: interface strings, domain and research-line names.

No matplotlib here: the main process builds `Texts` (converting zh-Hans once) and
sends them to the workers, which only format them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .. import schema, strings, vocabulary
from ..catalog import Catalog
from ..i18n import HansConverter

Localize = Callable[[schema.LocalizedText], str]


@dataclass(frozen=True, kw_only=True)
class Texts:
    """Interface strings (keys of `strings.UI`) and names, already in the chart's language."""

    lang: str
    strings: Mapping[str, str]  # key -> template, formatted by `t`
    domains: Mapping[str, str]  # benchmark domain id -> name
    lines: Mapping[str, str]  # research line id -> name
    # Metrics and settings as the data writes them -> in the chart's language (vocabulary).
    words: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def word(self, text: str) -> str:
        """A metric or setting of the chart's data in the chart's language."""
        return self.words.get(text, text)

    def t(self, key: str, **fmt: object) -> str:
        """The text for *key*, with ``{placeholders}`` filled from *fmt*."""
        try:
            template = self.strings[key]
        except KeyError:
            raise KeyError(f"text {key!r} is not among the chart kind's `texts`") from None
        return template.format(**fmt) if fmt else template


def localized(text: schema.LocalizedText, lang: str, hans: HansConverter) -> str:
    """Data prose (written in zh-Hant and en) in *lang*."""
    if lang == "zh-Hans":
        return hans.convert(text.zh_Hant)
    return text.get(lang)


def _interface(
    table: Mapping[str, tuple[str, str]], key: str, lang: str, hans: HansConverter
) -> str:
    value = table[key][1 if lang == "en" else 0]
    return hans.convert(value) if lang == "zh-Hans" else value


def texts_for(keys: Iterable[str], lang: str, hans: HansConverter, catalog: Catalog) -> Texts:
    """The interface strings *keys* and every domain and line name, in *lang*."""
    return Texts(
        lang=lang,
        strings={key: _interface(strings.UI, key, lang, hans) for key in sorted(keys)},
        domains={key: _interface(strings.DOMAINS, key, lang, hans) for key in strings.DOMAINS},
        lines={line.id: localized(line.name, lang, hans) for line in catalog.lines},
    )


def with_words(texts: Texts, terms: Iterable[str], hans: HansConverter) -> Texts:
    """*texts* with the metrics and settings *terms* in the chart's language."""
    written = "zh-Hant" if texts.lang == "zh-Hans" else texts.lang
    words = {}
    for term in terms:
        word = vocabulary.localize(term, written)
        words[term] = hans.convert(word) if texts.lang == "zh-Hans" else word
    return dataclasses.replace(texts, words=words)
