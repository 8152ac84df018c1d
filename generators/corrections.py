"""Report a correction: beside every table, a link that opens a new issue in the project's
repository with what a maintainer needs already filled in.

The issue's title and body are in the page's language: the paper, the table (its title and
its address on the site), the source with its link, and the table's rows as the site shows
them (models, benchmarks or fields, values), for the reader to keep the wrong row, correct
it and say where the source prints it. GitHub's new-issue form (Gitea's and Forgejo's too)
takes them from the address's query: `<repository>/issues/new?title=…&body=…`.

Every value is percent-encoded here; the template escapes the whole address for the HTML
attribute. The repository and the site's address are placeholders (`paths.REPOSITORY`,
`paths.SITE_URL`) that the plugin fills in from the configuration, so the generated pages
need no setting. A derived zh-Hans page converts the text before it is encoded: OpenCC,
run over the finished page, cannot read an encoded query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from . import schema, strings
from .i18n import LANGUAGES
from .paths import REPOSITORY, page_address
from .render import config_text, score

if TYPE_CHECKING:
    from .pages import ComparisonView, ConfigTable

# GitHub refuses much longer addresses (about 8 KB); this leaves room for the repository's
# own address. A table that does not fit lists its first rows and says how many follow.
MAX_URL = 6000


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, kw_only=True)
class Correction:
    """One report link: the table's name (for the link's accessible name) and the address."""

    table: str
    href: str


def issue_url(title: str, body: str) -> str:
    """The new-issue address with *title* and *body* filled in, every character encoded."""
    return f"{REPOSITORY}/issues/new?{urlencode({'title': title, 'body': body})}"


def _cell(text: str) -> str:
    """Text in a cell of the issue's Markdown table: one line, its pipes escaped."""
    return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(c) for c in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


@dataclass(frozen=True, kw_only=True)
class Corrections:
    """The report links of one rendered page.

    *lang* is the written language whose words the page uses (zh-Hant or en); *page_lang*
    the language of the page itself (zh-Hans for the page derived from zh-Hant), whose
    address the issue names and into whose script *convert* turns the text.
    """

    lang: str
    page_lang: str
    page_path: str
    convert: Callable[[str], str] = _same

    # --- Words ---------------------------------------------------------------------------

    def _t(self, key: str, **fmt: str) -> str:
        text = strings.UI[key][0 if self.lang == "zh-Hant" else 1]
        return text.format(**fmt) if fmt else text

    def _address(self, anchor: str) -> str:
        prefix = next(lang.prefix for lang in LANGUAGES if lang.code == self.page_lang)
        return f"{page_address(self.page_path, prefix)}#{anchor}"

    def _fact(self, key: str, value: str) -> str:
        return f"**{self._t(key)}:** {value}"

    @staticmethod
    def _source(source: schema.Source) -> str:
        return f"{source.ref}, {source.where}: {source.link}"

    def _paper(self, paper: schema.Paper) -> str:
        return self._fact("paper", f"{paper.name} ({paper.citation_ref})")

    def _table_facts(self, paper: schema.Paper, name: str, anchor: str) -> list[str]:
        """What every paper table's report opens with: the paper, the table, its address."""
        return [
            self._paper(paper),
            self._fact("correction_table", name),
            self._fact("correction_page", self._address(anchor)),
        ]

    # --- The link ------------------------------------------------------------------------

    def _link(
        self,
        *,
        title: str,
        table: str,
        facts: list[str],
        head: list[str],
        rows: list[list[str]],
        after: list[str],
    ) -> Correction:
        """The link; rows that would make the address too long are left to the page."""
        shown = len(rows)
        while True:
            lines = [*facts, "", self._t("correction_rows"), "", *_table(head, rows[:shown])]
            if shown < len(rows):
                lines.append(self._t("correction_more_rows", count=str(len(rows) - shown)))
            body = "\n".join([*lines, "", *after, ""])
            href = issue_url(self.convert(title), self.convert(body))
            if len(href) <= MAX_URL or shown == 0:
                return Correction(table=table, href=href)
            shown -= 1

    def results(self, paper: schema.Paper, view: ComparisonView) -> Correction:
        """A results table: its benchmarks and settings, every model's score, its source."""
        table = view.comparison
        name = table.title.get(self.lang)
        return self._link(
            title=self._t("correction_title", paper=paper.name, table=name),
            table=name,
            facts=[
                *self._table_facts(paper, name, f"table-{table.id}"),
                self._fact("source", self._source(table.source)),
            ],
            head=[self._t("benchmark"), self._t("setting"), *(c.label for c in table.columns)],
            rows=[
                [row.label, row.setting, *(score(row.scores.get(c.model)) for c in table.columns)]
                for row in view.rows
            ],
            after=[f"**{self._t('correction_evidence')}**", ""],
        )

    def config(self, paper: schema.Paper, group: ConfigTable, part: int, parts: int) -> Correction:
        """A model configuration table (*part* of the *parts* the models are split into):
        every field's value, numbered by its source."""
        name = self._t("models")
        if parts > 1:
            name = self._t("correction_config_part", part=str(part), parts=str(parts))
        numbers: dict[schema.Source, int] = {}
        rows = []
        for field in group.fields:
            cells = [self._t(field)]
            for card in group.models:
                value = getattr(card.config, field)
                if value is None:
                    cells.append("–")
                    continue
                # Every value its sources give, as the page lists them (the first counts).
                readings = []
                for reading, source in value.readings():
                    number = numbers.setdefault(source, len(numbers) + 1)
                    text = config_text(reading, field)
                    readings.append(f"{text} [{number}]")
                cells.append(" / ".join(readings))
            rows.append(cells)
        sources = [f"{n}. {self._source(s)}" for s, n in numbers.items()]
        return self._link(
            title=self._t("correction_title", paper=paper.name, table=name),
            table=name,
            facts=self._table_facts(paper, name, "models"),
            head=[self._t("field"), *(card.name for card in group.models)],
            rows=rows,
            after=[
                f"**{self._t('sources')}:**",
                "",
                *sources,
                "",
                f"**{self._t('correction_evidence')}**",
                "",
            ],
        )

    def benchmark(self, title: str) -> Correction:
        """A benchmark's scores across the papers: a form to fill in for the wrong score.

        The view lists up to a hundred scores from many tables, each with its source: too
        many to carry in an address. Each paper's table has its own link with its values.
        """
        name = self._t("benchmark_all_scores")
        fields = ["model", "paper", "setting", "correction_site_value", "correction_source_value"]
        body = [
            self._fact("benchmark", title),
            self._fact("correction_table", name),
            self._fact("correction_page", self._address("scores")),
            "",
            self._t("correction_per_table"),
            "",
            f"**{self._t('correction_fill')}**",
            "",
            *(f"- {self._t(key)}: " for key in fields),
            "",
        ]
        issue_title = self._t("correction_title", paper=title, table=name)
        href = issue_url(self.convert(issue_title), self.convert("\n".join(body)))
        return Correction(table=name, href=href)
