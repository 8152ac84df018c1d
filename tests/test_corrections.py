"""Report a correction: the link beside every table opens a new issue in the configured
repository, with the paper, the table, its models, benchmarks, values and source filled in,
in the page's language, every character escaped.

The built-site tests edit the fixture catalogue so that a table's title, a column, a row,
a setting and a source hold characters that break a careless address or attribute
(&, #, ", <, spaces, Chinese), build it with a repository and site address set, and read
each link back from the HTML: the decoded title and body must equal what the data says.
"""

from __future__ import annotations

import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import DSPAPERS

from generators import corrections, strings
from generators.catalog import Catalog
from generators.corrections import Corrections, issue_url
from generators.i18n import HansConverter
from generators.pages import comparison_view, config_tables
from generators.paths import REPOSITORY, SITE_URL, fill_addresses, repository_address
from generators.render import config_text
from generators.uptodate import environment_names
from generators.validate import load_and_validate

REPO = "https://github.com/example-org/fixture-papers"
SITE = "https://papers.example.net/mirror/"
PREFIX = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}
# Characters that break a careless URL, attribute or Markdown, and Chinese text.
TRICKY = {
    "title_en": 'Base & "open" models #1 <b>',
    "title_zh": '基礎模型 & "開放" #1 <比較>',
    "column": 'Mixtral 8x22B & <MoE> "#2"',
    "row": 'BBH & <EM> "#3" 推理',
    "setting": "3-shot, 思考 & #",
    "where": 'Table 2 & "#4" <見表> 第二表',
}
FACT = re.compile(r"^\*\*(.+?):\*\* (.*)$")
CELL = re.compile(r"(?<!\\)\|")


def words(key: str, lang: str, **fmt: str) -> str:
    """An interface string as a zh-Hant or en page writes it."""
    text = strings.UI[key][0 if lang == "zh-Hant" else 1]
    return text.format(**fmt) if fmt else text


def decoded(href: str) -> tuple[str, str, str]:
    """(address before the query, title, body) of a new-issue link."""
    parts = urlsplit(href)
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert sorted(query) == ["body", "title"] and all(len(v) == 1 for v in query.values())
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query["title"][0], query["body"][0]


def facts_and_table(body: str) -> tuple[dict[str, str], list[list[str]]]:
    """The body's `**Label:** value` lines, and its Markdown table's rows (head first)."""
    facts: dict[str, str] = {}
    rows: list[list[str]] = []
    for line in body.splitlines():
        if match := FACT.match(line):
            facts[match.group(1)] = match.group(2)
        elif line.startswith("|") and not line.startswith("|---"):
            cells = CELL.split(line)[1:-1]
            rows.append([c.strip().replace("\\|", "|") for c in cells])
    return facts, rows


# --- The address ------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*TRICKY.values(), "a+b=c&d%20e?f/g\nline two\t|x|", ""])
def test_every_character_of_title_and_body_round_trips(text):
    href = fill_addresses(issue_url(text, f"body: {text}"), site_url=SITE, repository=REPO)
    start, title, body = decoded(href)
    assert (start, title, body) == (f"{REPO}/issues/new", text, f"body: {text}")
    query = urlsplit(href).query
    assert re.fullmatch(r"[A-Za-z0-9%+._~=&-]*", query), query  # only encoded characters


def test_addresses_fill_the_page_encoded_in_a_query_and_escaped_elsewhere():
    page = f"{SITE_URL}en/papers/x/#t"
    markdown = f'<a href="{issue_url("t", page)}">x</a> <input value="{SITE_URL}en/">'
    site = "https://example.net/a&b/"
    filled = fill_addresses(markdown, site_url=site, repository=REPO)
    href = re.search(r'href="([^"]*)"', filled).group(1).replace("&amp;", "&")
    assert decoded(href)[2] == f"{site}en/papers/x/#t"
    assert 'value="https://example.net/a&amp;b/en/"' in filled
    assert REPOSITORY not in filled and SITE_URL not in filled


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://github.com/o/r/", "https://github.com/o/r"),
        ("http://git.example.org/o/r", "http://git.example.org/o/r"),
    ],
)
def test_a_repository_address_is_checked(value, expected):
    assert repository_address(value) == expected


@pytest.mark.parametrize("value", ["", None, "github.com/o/r", "ftp://h/o/r", "https://h/r?x=1"])
def test_a_wrong_repository_address_is_refused(value):
    with pytest.raises(ValueError):
        repository_address(value)


def test_the_repository_address_is_an_edge_setting_the_up_to_date_check_reads():
    from conftest import ROOT

    assert {"SITE_URL", "REPO_URL"} <= set(environment_names(ROOT / "mkdocs.yml"))


def test_a_table_too_long_for_an_address_lists_its_first_rows(catalog, monkeypatch):
    paper = next(p for p in catalog.papers if any(len(t.rows) > 20 for t in p.comparisons))
    table = next(t for t in paper.comparisons if len(t.rows) > 20)
    monkeypatch.setattr(corrections, "MAX_URL", 2500)
    link = Corrections(lang="en", page_lang="en", page_path=f"papers/{paper.id}").results(
        paper, comparison_view(catalog, paper, table)
    )
    assert len(link.href) <= 2500
    _, rows = facts_and_table(decoded(link.href)[2])
    shown = len(rows) - 1
    assert 0 < shown < len(table.rows)
    assert [r[0] for r in rows[1:]] == [row.label for row in table.rows[:shown]]
    more = words("correction_more_rows", "en", count=str(len(table.rows) - shown))
    assert more in decoded(link.href)[2]


def test_every_link_of_the_real_site_fits_an_address(generated):
    lengths = [
        len(match)
        for name, content in generated.files.items()
        if name.endswith(".md")
        for match in re.findall(r'href="(@@dsp-repository@@[^"]*)"', content.decode("utf-8"))
    ]
    assert lengths and max(lengths) <= corrections.MAX_URL


# --- Built pages ------------------------------------------------------------------------


class _Links(HTMLParser):
    """Every report link of a page: (href, title, aria-label, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self._in_report = False
        self._link: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "p" and "dsp-correction" in values.get("class", "").split():
            self._in_report = True
        elif tag == "a" and self._in_report:
            self._link = {**values, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append(self._link)
            self._link = None
        elif tag == "p":
            self._in_report = False


def _edit_tricky(project: Path) -> None:
    path = project / "data" / "papers" / "deepseek-v2.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = next(t for t in data["comparisons"] if t["id"] == "base-models")
    table["title"] = {"zh-Hant": TRICKY["title_zh"], "en": TRICKY["title_en"]}
    column = next(c for c in table["columns"] if c["model"] == "mixtral-8x22b")
    column["label"] = TRICKY["column"]
    row = next(r for r in table["rows"] if r["benchmark"] == "bbh")
    row["label"], row["setting"] = TRICKY["row"], TRICKY["setting"]
    data["sources"]["t2"]["where"] = TRICKY["where"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory):
    """The fixture catalogue with tricky text, built with a repository and site address set."""
    from golden import fixture_project

    project = fixture_project(tmp_path_factory.mktemp("corrections") / "project")
    _edit_tricky(project)
    env = {**os.environ, "REPO_URL": REPO + "/", "SITE_URL": SITE}
    result = subprocess.run(
        [*DSPAPERS, "--root", str(project), "build"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    catalog = Catalog.build(load_and_validate(project / "data", project))
    return project / "site", catalog


def _links(site: Path, lang: str, page: str) -> tuple[list[dict[str, str]], str]:
    html = (site / PREFIX[lang] / page / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    return parser.links, html


@pytest.mark.build
@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_each_results_table_link_carries_its_facts_exactly(tricky_site, lang):
    site, catalog = tricky_site
    paper = next(p for p in catalog.papers if p.id == "deepseek-v2")
    links, _ = _links(site, lang, "papers/deepseek-v2")
    groups = config_tables(paper.models)
    assert len(links) == len(groups) + len(paper.comparisons)
    for link, table in zip(links[len(groups) :], paper.comparisons, strict=True):
        name = table.title.get(lang)
        start, title, body = decoded(link["href"])
        assert start == f"{REPO}/issues/new"
        assert title == words("correction_title", lang, paper=paper.name, table=name)
        facts, rows = facts_and_table(body)
        assert facts == {
            words("paper", lang): f"{paper.name} (arXiv:{paper.arxiv})",
            words("correction_table", lang): name,
            words("correction_page", lang): f"{SITE}{PREFIX[lang]}papers/deepseek-v2/"
            f"#table-{table.id}",
            words("source", lang): f"{table.source.ref}, {table.source.where}: {table.source.link}",
        }
        models = [c.model for c in table.columns]
        assert rows[0] == [words("benchmark", lang), words("setting", lang)] + [
            c.label for c in table.columns
        ]
        assert rows[1:] == [
            [r.label, r.setting]
            + [("–" if r.scores.get(m) is None else f"{r.scores[m]:g}") for m in models]
            for r in table.rows
        ]
        # The link's words, in the page's language.
        assert link["text"] == words("correction", lang)
        assert link["title"] == words("correction_hint", lang)
        assert link["aria-label"] == words("correction_label", lang, table=name)
    # The tricky text reached the issue exactly: title, column, row, setting, source.
    _, title, body = decoded(links[len(groups)]["href"])
    assert TRICKY["title_zh" if lang == "zh-Hant" else "title_en"] in title
    for key in ("column", "row", "setting", "where"):
        assert TRICKY[key] in body, key


@pytest.mark.build
@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_each_model_table_link_carries_every_value_with_its_source(tricky_site, lang):
    site, catalog = tricky_site
    paper = next(p for p in catalog.papers if p.id == "deepseek-v2")
    links, _ = _links(site, lang, "papers/deepseek-v2")
    groups = config_tables(paper.models)
    totals: list[int] = []
    for link, group in zip(links, groups, strict=False):
        _, title, body = decoded(link["href"])
        facts, rows = facts_and_table(body)
        assert facts[words("paper", lang)] == f"{paper.name} (arXiv:{paper.arxiv})"
        assert (
            facts[words("correction_page", lang)]
            == f"{SITE}{PREFIX[lang]}papers/deepseek-v2/#models"
        )
        sources = dict(re.findall(r"^(\d+)\. (.*)$", body, flags=re.MULTILINE))
        assert rows[0] == [words("field", lang)] + [card.name for card in group.models]
        assert [row[0] for row in rows[1:]] == [words(f, lang) for f in group.fields]
        checked = several = 0
        for row, field in zip(rows[1:], group.fields, strict=True):
            for cell, card in zip(row[1:], group.models, strict=True):
                value = getattr(card.config, field)
                if value is None:
                    assert cell == "–"
                    continue
                # every value its sources give, first the one that counts
                readings = cell.split(" / ")
                assert len(readings) == len(value.readings())
                for reading, (raw, s) in zip(readings, value.readings(), strict=True):
                    text, number = re.fullmatch(r"(.*) \[(\d+)\]", reading).groups()
                    assert text == config_text(raw, field)
                    assert sources[number] == f"{s.ref}, {s.where}: {s.link}"
                    several += len(readings) > 1
                checked += 1
        assert checked > 0
        totals.append(several)
        assert title == words(
            "correction_title", lang, paper=paper.name, table=words("models", lang)
        )
    assert sum(totals) > 0  # the fixture's DeepSeek-V2 total parameters: two sources


@pytest.mark.build
def test_the_zh_hans_link_is_the_zh_hant_one_converted(tricky_site):
    site, catalog = tricky_site
    hans = HansConverter(catalog.overrides)
    hant_links, _ = _links(site, "zh-Hant", "papers/deepseek-v2")
    hans_links, _ = _links(site, "zh-Hans", "papers/deepseek-v2")
    assert len(hans_links) == len(hant_links) > 1
    for hant, simplified in zip(hant_links, hans_links, strict=True):
        _, hant_title, hant_body = decoded(hant["href"])
        start, title, body = decoded(simplified["href"])
        assert start == f"{REPO}/issues/new"
        assert title == hans.convert(hant_title)
        assert body == hans.convert(hant_body.replace(SITE + "papers/", SITE + "zh-Hans/papers/"))
        assert f"{SITE}zh-Hans/papers/deepseek-v2/#" in body
        for attribute in ("text", "title", "aria-label"):
            assert simplified[attribute] == hans.convert(hant[attribute]), attribute
    assert hans_links[0]["text"] != hant_links[0]["text"]  # 回报 / 回報: it was converted


@pytest.mark.build
def test_the_address_is_escaped_in_the_html(tricky_site):
    site, _ = tricky_site
    _, html = _links(site, "en", "papers/deepseek-v2")
    hrefs = re.findall(r'href="(' + re.escape(REPO) + r'/issues/new\?[^"]*)"', html)
    assert hrefs
    for raw in hrefs:
        # Only percent-encoded text, and the one separator escaped for the attribute.
        assert re.fullmatch(r"[^\s\"<>&]*(&amp;[^\s\"<>&]*)*", raw), raw[:200]
        assert raw.count("&amp;") == 1


@pytest.mark.build
@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "en"])
def test_the_benchmark_view_links_a_form_for_its_scores(tricky_site, lang):
    site, catalog = tricky_site
    hans = HansConverter(catalog.overrides)
    written = "en" if lang == "en" else "zh-Hant"
    convert = hans.convert if lang == "zh-Hans" else str
    links, _ = _links(site, lang, "benchmarks/mmlu")
    assert len(links) == 1
    start, title, body = decoded(links[0]["href"])
    assert start == f"{REPO}/issues/new"
    table = words("benchmark_all_scores", written)
    assert title == convert(words("correction_title", written, paper="MMLU", table=table))
    facts, _ = facts_and_table(body)
    assert facts[convert(words("correction_page", written))] == (
        f"{SITE}{PREFIX[lang]}benchmarks/mmlu/#scores"
    )
    assert links[0]["text"] == convert(words("correction", written))


@pytest.mark.build
def test_a_wrong_repository_address_stops_the_build_with_a_clear_error(small_project):
    env = {**os.environ, "REPO_URL": "github.com/example-org/fixture-papers"}
    result = subprocess.run(
        [*DSPAPERS, "--root", str(small_project), "build", "--no-charts"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "extra: repository_url (REPO_URL): 'github.com/example-org/fixture-papers'" in (
        result.stderr
    ), result.stderr
