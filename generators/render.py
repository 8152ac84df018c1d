"""The Jinja environment: filters that format and escape, and nothing that computes."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from collections.abc import Mapping
from typing import Any

import jinja2

from . import changes, evidence, schema, strings, vocabulary
from .paths import SITE_URL, TEMPLATES_DIR, deck_path

# Characters that start Markdown syntax when they come from data, escaped so that a
# title such as "<img onerror=...>" or "*x*" shows as text. Parentheses stay as they
# are: "\(" would open inline math for arithmatex. "$" is escaped for the same reason.
_MD_ESCAPABLE = set("\\`*_{}[]#+!|$")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+\.)(\s)")
# One pass over the text (md_escape runs on every data string of every page): line breaks
# become spaces, HTML's special characters entities, Markdown's a backslash escape.
_MD_TABLE = str.maketrans(
    {"\r": " ", "\n": " "}
    | {ch: html.escape(ch, quote=True) for ch in '&<>"'}
    | {ch: "\\" + ch for ch in _MD_ESCAPABLE}
)

# A model configuration value, as `ModelConfig` holds it.
SourcedValue = (
    schema.SourcedInt
    | schema.SourcedCount
    | schema.SourcedFloat
    | schema.SourcedAttention
    | schema.SourcedText
)


def _escape_list_marker(match: re.Match[str]) -> str:
    indent, marker, space = match.group(1), match.group(2), match.group(3)
    return indent + marker.replace(".", "\\.").replace("-", "\\-").replace("+", "\\+") + space


def md_escape(value: object) -> str:
    """Escape data text for Markdown inline context (HTML entities, then Markdown)."""
    escaped = str(value).translate(_MD_TABLE)
    # A leading "- ", "+ " or "1. " would start a list.
    return _LINE_START.sub(_escape_list_marker, escaped)


def attr_escape(value: object) -> str:
    """Escape text for an HTML attribute value inside raw HTML blocks."""
    return html.escape(str(value), quote=True)


def front_matter(value: object) -> str:
    """A YAML front-matter scalar: HTML-escaped (themes print titles unescaped), JSON-quoted."""
    return json.dumps(html.escape(str(value), quote=False), ensure_ascii=False)


def front_matter_attribute(value: object) -> str:
    """A front-matter scalar that the theme prints inside an attribute unescaped (the
    page's description): its quotes escaped too."""
    return json.dumps(
        html.escape(str(value), quote=False).replace('"', "&quot;"), ensure_ascii=False
    )


def cell_escape(value: object) -> str:
    """Escape text for raw HTML table cells (no Markdown processing there)."""
    return html.escape(str(value), quote=False)


_SUFFIXES = ((10**12, "T"), (10**9, "B"), (10**6, "M"))


def human_count(value: float, *, binary_k: bool = False) -> str:
    """236_000_000_000 -> "236B"; 8.1e12 -> "8.1T"; 131072 -> "128K" with binary_k."""
    if binary_k and value >= 1024 and value % 1024 == 0 and value < 10**6 * 1.1:
        return f"{value // 1024:g}K"
    for factor, suffix in _SUFFIXES:
        if value >= factor:
            scaled = value / factor
            return f"{scaled:.4g}{suffix}" if scaled < 1000 else f"{scaled:,.0f}{suffix}"
    if value >= 10**4 and value % 1000 == 0:
        return f"{value / 1000:g}K"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def config_text(value: Any, name: str) -> str:
    """One configuration value as the pages show it, as plain text (not escaped)."""
    return _config_format(value, name)[0]


def config_cell(sourced: SourcedValue, name: str) -> str:
    """Format one configuration fact's (first) value by what it measures, for a Markdown cell."""
    return config_value(sourced.value, name)


def by_value(sourced: SourcedValue) -> list[tuple[object, list[schema.Source]]]:
    """A fact's distinct values, first listed first, each with every source that gives it."""
    grouped: dict[object, list[schema.Source]] = {}
    for value, source in sourced.readings():
        grouped.setdefault(value, []).append(source)
    return list(grouped.items())


def by_value_at(sourced: SourcedValue) -> list[tuple[object, list[tuple[schema.Source, int]]]]:
    """As `by_value`, each source with the position of its reading (0 the first value), by
    which a record of checks names it (`catalog.Catalog.fact_checked`)."""
    grouped: dict[object, list[tuple[schema.Source, int]]] = {}
    for index, (value, source) in enumerate(sourced.readings()):
        grouped.setdefault(value, []).append((source, index))
    return list(grouped.items())


def config_value(value: Any, name: str) -> str:
    """Format one configuration value by what it measures, for a Markdown table cell."""
    text, plain = _config_format(value, name)
    return md_escape(text) if plain else text


def _config_format(value: Any, name: str) -> tuple[str, bool]:
    """The value's text, and whether it is the value as written (it needs escaping)."""
    if isinstance(value, str):  # attention, vision_encoder: text
        return value, True
    if name in {
        "total_params",
        "activated_params",
        "training_tokens",
        "total_expert_params",
        "activated_expert_params",
    }:
        return human_count(value), False
    if name == "context_length":
        return human_count(value, binary_k=True), False
    if name in {"training_flops", "flops_per_token"}:
        return f"{value:.3g}", False
    if name == "relative_expert_size":
        return f"{value:g}×", False
    if name == "learning_rate":
        return f"{value:.2g}", False
    if isinstance(value, int):
        return f"{value:,}", False
    return str(value), True


def score(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}"


def change_value(value: changes.Leaf) -> str:
    """A value on the What changed page: as the data file has it, long counts grouped."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**4:
        return md_escape(f"{value:,}")
    return md_escape(changes.value_text(value))


def signed(value: float) -> str:
    text = f"{abs(value):.4g}"
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"  # a real minus sign, not a hyphen
    return "0"


def claim_value(claim: schema.Claim, lang: str) -> str:
    v = claim.value
    if claim.unit == "percent":
        return f"{v:g}%"
    if claim.unit == "times":
        return f"{v:g}×"
    if claim.unit in {"tokens", "params", "count"} and v >= 10**4:
        return human_count(int(v))
    if claim.unit == "count":
        return f"{v:,.0f}"
    return f"{v:g}"


def localized_date(value: dt.date, lang: str) -> str:
    if lang == "en":
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return f"{value.year} 年 {value.month} 月 {value.day} 日"


def localized_month(value: dt.date, lang: str) -> str:
    if lang == "en":
        return f"{value.strftime('%B')} {value.year}"
    return f"{value.year} 年 {value.month} 月"


class _Footnotes:
    """Numbers each distinct source once per page; the page lists them at its end."""

    def __init__(self) -> None:
        self._numbers: dict[schema.Source, int] = {}

    def mark(self, source: schema.Source) -> str:
        number = self._numbers.setdefault(source, len(self._numbers) + 1)
        return f"[^{number}]"

    def definitions(self) -> str:
        return "\n".join(
            f"[^{n}]: [{md_escape(s.ref)}, {md_escape(s.where)}]({s.link})"
            for s, n in self._numbers.items()
        )


@functools.cache
def _language_helpers(lang: str) -> Mapping[str, object]:
    """What templates call to word things in *lang* (zh-Hant or en); made once per language
    (every page of a build calls them)."""
    index = 0 if lang == "zh-Hant" else 1

    def t(key: str, **fmt: str) -> str:
        text = strings.UI[key][index]
        return text.format(**fmt) if fmt else text

    def loc(text: schema.LocalizedText | None) -> str:
        return "" if text is None else text.get(lang)

    def vocab(text: str) -> str:
        return vocabulary.localize(text, lang)

    def variant(key: str) -> str:
        return strings.VARIANTS[key][index]

    def domain(key: str) -> str:
        return strings.DOMAINS[key][index]

    def date(value: dt.date) -> str:
        return localized_date(value, lang)

    def timeline_date(paper: schema.Paper) -> str:
        if paper.has_exact_date:
            return localized_date(paper.first_date, lang)
        return localized_month(paper.arxiv_month, lang)

    def claim(value: schema.Claim) -> str:
        return claim_value(value, lang)

    def marker(kind: str, checked: bool) -> str:
        mark, name = evidence.sign(kind, checked, t)
        name = html.escape(name, quote=True)
        return (
            f'<span class="dsp-ev dsp-ev--{kind}" role="img" title="{name}" '
            f'aria-label="{name}">{mark}</span>'
        )

    markers = {(kind, ok): marker(kind, ok) for kind in evidence.KINDS for ok in (False, True)}

    def ev(kind: str, checked: bool = False) -> str:
        """The evidence marker: a glyph whose text alternative names the kind, and ✓ with
        its name after the kind's where the number was checked against its document."""
        return markers[kind, checked]

    def ev_legend(checked: bool = False) -> str:
        """Every marker with its name, in the legend's order (the name is its text); ✓
        last where the site shows numbers checked against their documents."""
        entries = [
            f'<span class="dsp-ev dsp-ev--{kind}" aria-hidden="true">{evidence.MARKS[kind]}</span>'
            f" {t(evidence.text_key(kind))}"
            for kind in evidence.KINDS
        ]
        if checked:
            entries.append(
                f'<span class="dsp-ev" aria-hidden="true">{evidence.CHECKED_MARK}</span>'
                f" {t('checked')}"
            )
        return " · ".join(entries)

    def ev_of(source: schema.Source, checked: bool = False) -> str:
        return ev(evidence.of_source(source), checked)

    return {
        "lang": lang,
        "t": t,
        "loc": loc,
        "variant": variant,
        "vocab": vocab,
        "domain": domain,
        "date": date,
        "timeline_date": timeline_date,
        "claim_value": claim,
        "ev": ev,
        "ev_of": ev_of,
        "ev_legend": ev_legend,
    }


class Renderer:
    """Renders templates for one written language (zh-Hant or en)."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # Markdown output: escaping is explicit, per context
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            md=md_escape,
            attr=attr_escape,
            fm=front_matter,
            fm_attr=front_matter_attribute,
            cell=cell_escape,
            count=human_count,
            score=score,
            signed=signed,
            change_value=change_value,
            config_cell=config_cell,
            config_value=config_value,
            by_value=by_value,
            by_value_at=by_value_at,
        )
        # The hosted site's address (put in place by the plugin), for the slide downloads
        # an export leaves out.
        self.env.globals.update(deck_path=deck_path, site_url=SITE_URL)

    def render(self, template: str, lang: str, **context: object) -> str:
        footnotes = _Footnotes()
        helpers = {
            "fn": footnotes.mark,
            "footnotes": footnotes.definitions,
            **_language_helpers(lang),
        }
        return self.env.get_template(template).render(**helpers, **context)
