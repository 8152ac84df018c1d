"""Languages, Traditional -> Simplified derivation, and script checks.

zh-Hant is the source language of all Chinese prose; zh-Hans is derived from it with
OpenCC's phrase-aware Taiwan -> Mainland config plus a reviewed override table; en is
written by hand.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import opencc

from . import schema


@dataclass(frozen=True, kw_only=True)
class Language:
    code: str  # locale: URL prefix, <html lang>, hreflang
    name: str  # as shown in the language switcher
    default: bool = False

    @property
    def prefix(self) -> str:
        """URL prefix of this language's pages ("" for the default language)."""
        return "" if self.default else f"{self.code}/"


LANGUAGES = (
    Language(code="zh-Hant", name="繁體中文", default=True),
    Language(code="zh-Hans", name="简体中文"),
    Language(code="en", name="English"),
)
LANGUAGE_CODES = tuple(lang.code for lang in LANGUAGES)
WRITTEN = ("zh-Hant", "en")  # languages written by hand; zh-Hans is derived

# Fenced code blocks, inline code and HTML comments are copied through unconverted:
# they hold BibTeX, identifiers and URLs, never prose.
_PROTECTED = re.compile(r"(```.*?```|`[^`\n]+`|<!--.*?-->)", re.DOTALL)
_PLACEHOLDER = "\ue000{}\ue001"
_PLACEHOLDER_RE = re.compile("\ue000(\\d+)\ue001")


@functools.cache
def opencc_converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration for the whole process: loading one reads
    its dictionaries (over 0.1 s for ``s2tw``), converting a text takes microseconds."""
    return opencc.OpenCC(config)


class HansConverter:
    """zh-Hant -> zh-Hans: OpenCC ``tw2sp`` with reviewed overrides applied first."""

    def __init__(self, overrides: tuple[schema.Override, ...] = ()) -> None:
        # Longest first, so a longer reviewed phrase wins over a shorter one inside it.
        self._overrides = sorted(overrides, key=lambda o: -len(o.zh_Hant))
        self._opencc = opencc_converter("tw2sp")

    @property
    def overrides(self) -> tuple[schema.Override, ...]:
        """The reviewed overrides, longest first: with OpenCC's, all a conversion depends on."""
        return tuple(self._overrides)

    def convert(self, text: str) -> str:
        kept: list[str] = []

        def keep(value: str) -> str:
            kept.append(value)
            return _PLACEHOLDER.format(len(kept) - 1)

        text = _PROTECTED.sub(lambda m: keep(m.group(0)), text)
        for override in self._overrides:
            if override.zh_Hant in text:
                text = text.replace(override.zh_Hant, keep(override.zh_Hans))
        text = self._opencc.convert(text)
        # Placeholders may nest (an override inside nothing else), so resolve repeatedly.
        while _PLACEHOLDER_RE.search(text):
            text = _PLACEHOLDER_RE.sub(lambda m: kept[int(m.group(1))], text)
        return text


def foreign_script(text: str, lang: str) -> list[tuple[str, str]]:
    """Characters of the wrong script for *lang*, with the phrase around each.

    On zh-Hant text, what OpenCC's ``s2tw`` would change is Simplified-only; on zh-Hans
    text, what ``tw2s`` would change is Traditional-only. A character counts only when
    both the phrase-aware conversion of the whole text and the conversion of the single
    character change it: characters valid in both scripts (著名, 機制, 乾燥) are never
    flagged just because a phrase dictionary prefers a variant.
    """
    if lang not in ("zh-Hant", "zh-Hans"):
        return []
    converter = opencc_converter("s2tw" if lang == "zh-Hant" else "tw2s")
    converted = converter.convert(text)
    if len(converted) != len(text):  # phrase conversions of unequal length: per char
        converted = "".join(converter.convert(c) for c in text)
    found: list[tuple[str, str]] = []
    # A character that converts to several leaves the texts of unequal length: compare
    # the common start, as far as the shorter one goes.
    for i, (a, b) in enumerate(zip(text, converted, strict=False)):
        if a != b and converter.convert(a) != a and a not in SCRIPT_ALLOWLIST[lang]:
            found.append((a, text[max(0, i - 4) : i + 5]))
    return found


# OpenCC's s2tw prefers 臺, 分佈 and 遊標, but 台, 分布 and 游標 are standard Taiwan forms too;
# 干 is Traditional as written in 干擾 and 干預, which s2tw turns into 幹 after some words;
# 著 is Simplified as written in 显著 and 著作, which tw2s turns into 着 outside its phrases.
SCRIPT_ALLOWLIST: dict[str, frozenset[str]] = {
    "zh-Hant": frozenset("台布游干"),
    "zh-Hans": frozenset("著"),
}
