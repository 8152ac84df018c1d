"""Which slide decks exist and what every slide says, in one language: pure, no pptx.

A deck is planned completely before anything is written: every text already in the
deck's language, every native chart described (`charts.native`), every picture's bytes
at hand. The plan is what the deck cache is keyed by, so a deck is rebuilt exactly
when a word, a number or a picture on one of its slides changes.

Decks:

- the whole site (`deepseek-papers`): a title slide; an opening section of the charts
  that belong to no research line (the release timeline, the lineage); then a section
  per research line holding its charts. A chart belongs to the line of its paper (the
  per-paper charts); a site-wide chart to the line of the first topic page it is on,
  else of the first paper page it is on. A line without charts gets no section. The
  charts per benchmark are left out (one per benchmark would bury the rest).
- one per paper: a title slide, a slide per chart on the paper's page, its headline
  claims.
- one per chart: its one slide.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .. import schema, strings
from ..catalog import Catalog
from ..charts import kinds
from ..charts.language import localized, texts_for
from ..charts.native import NativeChart
from ..charts.plan import ChartSpec, data_table
from ..charts.render import footnote, sources_footnote
from ..i18n import HansConverter
from ..render import claim_value, localized_date, localized_month

SITE_NAME = "DeepSeek Papers"  # the footer of every slide, as on the charts' footnotes
CLAIMS_PER_SLIDE = 8  # rows of the claims table that fit one slide


@dataclass(frozen=True, kw_only=True)
class Picture:
    """A chart drawing for a slide: the slide PNG, and the same with text as paths (SVG)."""

    png: bytes
    svg: bytes

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.png + b"\0" + self.svg).hexdigest()


@dataclass(frozen=True, kw_only=True)
class TitleSlide:
    """The deck's opening slide."""

    title: str
    subtitle: str
    footer: str
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class SectionSlide:
    """A section header: a research line, or the charts across the papers."""

    title: str
    subtitle: str
    footer: str


@dataclass(frozen=True, kw_only=True)
class ChartSlide:
    """One chart: native (editable) when its kind has a mapping, else the drawing."""

    chart_id: str
    title: str
    footer: str  # the chart's footnote: sources, its note, and the site's name
    notes: str  # the chart's data table, then the citations of its papers
    native: NativeChart | None
    picture: Picture | None


@dataclass(frozen=True, kw_only=True)
class TableSlide:
    """A table of text (a paper's headline claims)."""

    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: str
    notes: str


Slide = TitleSlide | SectionSlide | ChartSlide | TableSlide


def _slide_digest(slide: Slide) -> str:
    fields = {f.name: getattr(slide, f.name) for f in dataclasses.fields(slide)}
    if isinstance(slide, ChartSlide):
        fields["native"] = None if slide.native is None else dataclasses.asdict(slide.native)
        fields["picture"] = None if slide.picture is None else slide.picture.digest
    blob = json.dumps([type(slide).__name__, fields], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Deck:
    """One .pptx file: where it goes, its language and theme, and its slides."""

    path: str  # relative to the output folder (the docs tree, or the command's --out)
    lang: str
    theme: str
    title: str
    date: dt.date  # the newest paper it draws from: its created and modified dates
    slides: tuple[Slide, ...]

    def key(self, code_version: str) -> str:
        """Cache key: changes with any text, number or picture of any slide, or the code."""
        digests = [_slide_digest(slide) for slide in self.slides]
        head = [self.lang, self.theme, self.title, self.date.isoformat(), code_version]
        blob = json.dumps([head, digests], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


# --- Words -----------------------------------------------------------------------------


class _Words:
    """Interface strings and data prose in one language."""

    def __init__(self, lang: str, hans: HansConverter) -> None:
        self.lang = lang
        self.hans = hans

    def t(self, key: str) -> str:
        value = strings.UI[key][1 if self.lang == "en" else 0]
        return self.hans.convert(value) if self.lang == "zh-Hans" else value

    def loc(self, text: schema.LocalizedText) -> str:
        return localized(text, self.lang, self.hans)

    def sep(self) -> str:
        """Between a name and what follows it, as chart titles join them."""
        return ": " if self.lang == "en" else ":"


_BRACES = re.compile(r"[{}]")


def _authors(field: str) -> str:
    """BibTeX authors as read: "Last, First and ..." or "First Last, ..."; more than three
    shortened to the first and "et al."."""
    text = " ".join(_BRACES.sub("", field).split())
    names = [n.strip() for n in text.split(" and ")] if " and " in text else [text]
    if len(names) > 1:  # "Last, First" -> "First Last"
        names = [" ".join(reversed(n.split(", ", 1))) if ", " in n else n for n in names]
    if len(names) > 3:
        return f"{names[0]} et al."
    return ", ".join(names)


def citation(paper: schema.Paper) -> str:
    """The paper's BibTeX fields as one line: authors, title, arXiv id, year."""
    fields = paper.bibtex.fields if paper.bibtex else {}
    authors = _authors(fields["author"]) if "author" in fields else ""
    title = " ".join(_BRACES.sub("", fields.get("title", paper.title)).split())
    year = _BRACES.sub("", fields.get("year", str(paper.first_date.year)))
    parts = [authors, title, paper.citation_ref, year]
    return ". ".join(part.rstrip(".") for part in parts if part) + "."


def site_citation(words: _Words) -> str:
    """The site's own citation line, for a chart that draws on no catalogued paper."""
    return f"{words.t('site_name')}. {words.t('site_description')}."


def cited_papers(spec: ChartSpec, catalog: Catalog) -> list[schema.Paper]:
    """The papers a chart draws from: its own, else those its sources are read from."""
    if spec.paper is not None:
        return [spec.paper]
    by_ref: dict[str, schema.Paper] = {}
    for paper in catalog.papers:
        if paper.arxiv:
            by_ref[f"arXiv:{paper.arxiv}"] = paper
        if paper.repository:
            by_ref.setdefault(paper.repository, paper)
    found: list[schema.Paper] = []
    if spec.decl.paper:
        found.append(catalog.paper(spec.decl.paper))
    for source in spec.data.sources:
        cited = by_ref.get(source.ref)
        if cited is not None and cited not in found:
            found.append(cited)
    return found


def chart_line(spec: ChartSpec, catalog: Catalog) -> str | None:
    """The research line a chart belongs to (None: across the papers)."""
    if spec.paper is not None:
        return spec.paper.line
    topics = {f"topics/{line.topic}": line.id for line in catalog.lines}
    papers = {f"papers/{paper.id}": paper.line for paper in catalog.papers}
    for lookup in (topics, papers):
        for page in spec.pages:
            if page in lookup:
                return lookup[page]
    return None


def _newest(papers: Sequence[schema.Paper], catalog: Catalog) -> dt.date:
    return max(p.first_date for p in (papers or catalog.papers))


# --- Slides ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Planner:
    """Plans decks in one theme; each chart's slide is made once per language and shared."""

    catalog: Catalog
    charts: tuple[ChartSpec, ...]
    hans: HansConverter
    theme: str
    pictures: Mapping[tuple[str, str], Picture]  # (chart id, lang): for kinds drawn as pictures

    def chart_slide(self, spec: ChartSpec, lang: str) -> ChartSlide:
        """The chart's slide in *lang* (made on first use, then shared by every deck)."""
        key = (spec.id, lang)
        if key not in self._made:
            self._made[key] = self._make_chart_slide(spec, lang)
        return self._made[key]

    @functools.cached_property
    def _made(self) -> dict[tuple[str, str], ChartSlide]:
        return {}

    def _make_chart_slide(self, spec: ChartSpec, lang: str) -> ChartSlide:
        kind = kinds.get(spec.data.kind)
        texts = texts_for(kind.texts, lang, self.hans, self.catalog)
        native = kind.native_chart(spec.data.payload, texts)
        picture = None
        if native is None:
            picture = self.pictures.get((spec.id, lang))
            if picture is None:
                raise ValueError(f"chart {spec.id} ({lang}): the slide drawing is missing")
        head, rows = data_table(spec, lang, self.hans, self.catalog)
        words = _Words(lang, self.hans)
        papers = cited_papers(spec, self.catalog)
        cites = [citation(p) for p in papers] or [site_citation(words)]
        notes = "\n".join(
            [
                words.t("chart_data"),
                *("\t".join(cells) for cells in [head, *rows]),
                "",
                words.t("sources"),
                *cites,
            ]
        )
        return ChartSlide(
            chart_id=spec.id,
            title=spec.title(lang, self.hans.convert),
            footer=footnote(spec, lang, self.hans),
            notes=notes,
            native=native,
            picture=picture,
        )

    def _paper_title(self, paper: schema.Paper, words: _Words) -> TitleSlide:
        if paper.has_exact_date:
            when = localized_date(paper.first_date, words.lang)
        else:
            when = localized_month(paper.arxiv_month, words.lang)
        line = words.loc(self.catalog.line(paper.line).name)
        return TitleSlide(
            title=paper.title,
            subtitle=f"{paper.name}\n{paper.citation_ref} · {when}\n{line}",
            footer=SITE_NAME,
            notes=citation(paper),
        )

    def _claims(self, paper: schema.Paper, words: _Words) -> list[TableSlide]:
        """The headline claims as on the paper's page; a long list over several slides."""
        if not paper.claims:
            return []
        head = (words.t("claim"), words.t("value"), words.t("versus"), words.t("source"))
        rows = [
            (
                words.loc(c.label),
                claim_value(c, words.lang),
                self.catalog.models[c.versus].name if c.versus else "–",
                c.source.label,
            )
            for c in paper.claims
        ]
        footer = sources_footnote([c.source for c in paper.claims], words.lang, self.hans)
        title = f"{paper.name}{words.sep()}{words.t('claims')}"
        chunks = [rows[i : i + CLAIMS_PER_SLIDE] for i in range(0, len(rows), CLAIMS_PER_SLIDE)]
        notes_head = "\t".join(head)
        return [
            TableSlide(
                title=title if len(chunks) == 1 else f"{title} ({n}/{len(chunks)})",
                head=head,
                rows=tuple(chunk),
                footer=footer,
                notes="\n".join(
                    [
                        words.t("claims"),
                        notes_head,
                        *("\t".join(row) for row in chunk),
                        "",
                        words.t("sources"),
                        citation(paper),
                    ]
                ),
            )
            for n, chunk in enumerate(chunks, start=1)
        ]

    # --- Decks -----------------------------------------------------------------------

    def site_deck(self, lang: str, path: str) -> Deck:
        """Every chart: an opening section across the papers, then one per research line."""
        words = _Words(lang, self.hans)
        order = {p.id: (p.sort_date, i) for i, p in enumerate(self.catalog.papers)}

        def position(item: tuple[int, ChartSpec]) -> tuple[bool, dt.date, int, int]:
            index, spec = item
            if spec.paper is None:
                return (False, dt.date.min, 0, index)
            return (True, *order[spec.paper.id], index)

        # A chart per benchmark would bury the rest: those have their one-slide decks only.
        shown = [item for item in enumerate(self.charts) if item[1].benchmark is None]
        charts = [spec for _, spec in sorted(shown, key=position)]
        sections: list[tuple[str, str, list[ChartSpec]]] = []
        across = [spec for spec in charts if chart_line(spec, self.catalog) is None]
        if across:
            sections.append((words.t("across_papers"), words.t("across_papers_intro"), across))
        for line in self.catalog.lines:
            mine = [spec for spec in charts if chart_line(spec, self.catalog) == line.id]
            if mine:
                sections.append((words.loc(line.name), words.loc(line.summary), mine))
        slides: list[Slide] = [
            TitleSlide(
                title=words.t("site_name"),
                subtitle=words.t("site_description"),
                footer=SITE_NAME,
                notes=site_citation(words),
            )
        ]
        for title, subtitle, specs in sections:
            slides.append(SectionSlide(title=title, subtitle=subtitle, footer=SITE_NAME))
            slides += [self.chart_slide(spec, lang) for spec in specs]
        return Deck(
            path=path,
            lang=lang,
            theme=self.theme,
            title=words.t("site_name"),
            date=_newest(self.catalog.papers, self.catalog),
            slides=tuple(slides),
        )

    def paper_deck(self, paper: schema.Paper, lang: str, path: str) -> Deck:
        """The paper's title, the charts on its page, and its headline claims."""
        words = _Words(lang, self.hans)
        page = f"papers/{paper.id}"
        slides: list[Slide] = [self._paper_title(paper, words)]
        slides += [self.chart_slide(spec, lang) for spec in self.charts if page in spec.pages]
        slides += self._claims(paper, words)
        return Deck(
            path=path,
            lang=lang,
            theme=self.theme,
            title=paper.name,
            date=paper.first_date,
            slides=tuple(slides),
        )

    def chart_deck(self, spec: ChartSpec, lang: str, path: str) -> Deck:
        """The chart's one slide."""
        return Deck(
            path=path,
            lang=lang,
            theme=self.theme,
            title=spec.title(lang, self.hans.convert),
            date=_newest(cited_papers(spec, self.catalog), self.catalog),
            slides=(self.chart_slide(spec, lang),),
        )


def picture_charts(charts: Sequence[ChartSpec]) -> list[ChartSpec]:
    """The charts whose kinds have no native mapping: their slides show the drawing."""
    return [spec for spec in charts if kinds.get(spec.data.kind).native is None]
