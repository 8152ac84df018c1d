"""The Atom feed of each language, read as a feed reader reads it (feedparser).

A temporary repository holds the fixture catalogue in two commits, the second adding a
paper and changing values of another file; the feeds must list exactly the entries that
changes.json implies, newest first, in the reader's language, dated by the commits. A
build of it must announce each language's feed in every page's head and link it from the
What changed page; the offline export carries the feed files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from conftest import commit_data, dspapers
from golden import fixture_project

from generators import changes, feeds, strings
from generators.i18n import LANGUAGES, HansConverter, foreign_script
from generators.options import BuildOptions
from generators.paths import ProjectPaths, fill_addresses
from generators.pipeline import Generation, generate

FIRST, SECOND = 1_700_000_000, 1_700_100_000  # 14 and 16 November 2023, UTC
SITE = "https://papers.example.net/"
NEW_PAPER = "papers/deepseek-v2-copy.yaml"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """The fixture catalogue committed, then a paper added and benchmarks edited."""
    root = fixture_project(tmp_path_factory.mktemp("feeds") / "project")
    commit_data(root, "The fixture catalogue", FIRST)
    data = root / "data"
    paper = yaml.safe_load((data / "papers" / "deepseek-v2.yaml").read_text(encoding="utf-8"))
    text = (data / "papers" / "deepseek-v2.yaml").read_text(encoding="utf-8")
    (data / NEW_PAPER).write_text(
        re.sub(rf"\b{paper['id']}\b", "deepseek-v2-copy", text).replace(
            f"name: {paper['name']}\n", "name: DeepSeek-V2 Copy\n", 1
        ),
        encoding="utf-8",
    )
    benchmarks = yaml.safe_load((data / "benchmarks.yaml").read_text(encoding="utf-8"))
    mmlu = next(b for b in benchmarks if b["id"] == "mmlu")
    mmlu["description"]["en"] = "English multiple-choice test of 57 subjects."
    mmlu["description"]["zh-Hant"] = "涵蓋 57 個科目的英文選擇題。"
    mmlu["name"] = "MMLU (57 subjects)"
    (data / "benchmarks.yaml").write_text(
        yaml.safe_dump(benchmarks, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    commit_data(root, "A paper and a benchmark", SECOND)
    return root


@pytest.fixture(scope="module")
def generation(repository) -> Generation:
    return generate(BuildOptions(paths=ProjectPaths.at(repository), charts=False))


@pytest.fixture(scope="module")
def catalog_names(generation) -> set[str]:
    """The Latin words a Chinese feed may hold: the papers' names and the site's,"""
    catalog = generation.catalog
    # and git, a program's name, as the What changed page writes it.
    texts = [paper.name for paper in catalog.papers] + ["DeepSeek-V2 Copy", "DeepSeek", "git"]
    return {w.casefold() for text in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9.-]*", text)}


def _feed(generation: Generation, lang: str) -> feedparser.FeedParserDict:
    text = generation.files[feeds.source_name(lang)].decode("utf-8")
    return feedparser.parse(fill_addresses(text, site_url=SITE, repository=SITE))


def _expected(generation: Generation, lang: str) -> list[tuple[str, str, int, bool]]:
    """(commit, file, number of changes, whether a new paper) per entry, from changes.json:
    newest commit first, papers before the other files, text in the other written language
    left out."""
    document = json.loads(generation.files["downloads/changes.json"])
    other = ".zh-Hant" if lang == "en" else ".en"
    groups: dict[tuple[str, str], list[dict[str, object]]] = {}
    for change in document["changes"]:
        if not change["path"].endswith(other):
            groups.setdefault((change["commit"], change["file"]), []).append(change)
    commits = list(dict.fromkeys(commit for commit, _ in groups))
    order = sorted(
        groups,
        key=lambda k: (commits.index(k[0]), not k[1].startswith("papers/"), k[1]),
    )
    return [
        (commit, file, len(groups[(commit, file)]), _new_paper(file, groups[(commit, file)]))
        for commit, file in order
    ]


def _new_paper(file: str, changes: list[dict[str, object]]) -> bool:
    whole = len(changes) == 1 and changes[0]["path"] == "" and changes[0]["change"] == "added"
    return whole and file.startswith("papers/")


@pytest.mark.parametrize("lang", [lang.code for lang in LANGUAGES])
def test_each_feed_lists_the_changes_of_changes_json(generation, lang):
    parsed = _feed(generation, lang)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    prefix = next(language.prefix for language in LANGUAGES if language.code == lang)
    assert parsed.feed.id == f"{SITE}{prefix}feed.xml"
    assert {(link.rel, link.href) for link in parsed.feed.links} == {
        ("self", f"{SITE}{prefix}feed.xml"),
        ("alternate", f"{SITE}{prefix}changes/"),
    }
    document = json.loads(generation.files["downloads/changes.json"])
    dates = {(c["commit"], c["file"]): c["date"] for c in document["changes"]}
    expected = _expected(generation, lang)
    assert len(parsed.entries) == len(expected) <= feeds.ENTRIES
    for entry, (commit, file, count, new) in zip(parsed.entries, expected, strict=True):
        assert entry.id == f"{SITE}{prefix}changes/#{commit}/{file}"
        day = dt.date(*entry.updated_parsed[:3]).isoformat()
        assert day == dates[(commit, file)]
        items = entry.content[0].value.count("<li>")
        assert items == min(count, feeds.LISTED)
        if new:
            paper = file.removeprefix("papers/").removesuffix(".yaml")
            assert entry.link == f"{SITE}{prefix}papers/{paper}/"
        else:
            assert entry.link == f"{SITE}{prefix}changes/#changes-{day}"
    # The feed is as new as its newest entry: a commit's time, not the build's.
    assert parsed.feed.updated == feeds.timestamp(SECOND)
    assert parsed.entries[0].updated == feeds.timestamp(SECOND)
    assert (expected[0][1], expected[0][3]) == (NEW_PAPER, True)


def test_every_word_of_a_feed_is_in_the_readers_language(generation, catalog_names):
    hans = HansConverter()
    for lang in ("zh-Hant", "zh-Hans", "en"):
        parsed = _feed(generation, lang)
        titles = [parsed.feed.title, parsed.feed.subtitle, parsed.feed.author]
        titles += [entry.title for entry in parsed.entries]
        for text in titles:
            if lang == "en":
                assert not HAN.search(text), (lang, text)
                continue
            assert HAN.search(text), (lang, text)
            assert not foreign_script(text, lang), (lang, text)
            latin = {w.casefold() for w in re.findall(r"[A-Za-z][A-Za-z0-9.-]*", text)}
            assert latin <= catalog_names, (lang, text, latin - catalog_names)
    zh_hant, en = strings.UI["feed_new_paper"]
    titles = {
        lang: [e.title for e in _feed(generation, lang).entries]
        for lang in ("zh-Hant", "zh-Hans", "en")
    }
    assert en.format(name="DeepSeek-V2 Copy") in titles["en"]
    assert zh_hant.format(name="DeepSeek-V2 Copy") in titles["zh-Hant"]
    assert hans.convert(zh_hant.format(name="DeepSeek-V2 Copy")) in titles["zh-Hans"]
    # The benchmark's English description is an English-page change only.
    english = "English multiple-choice test of 57 subjects."
    assert english in _feed(generation, "en").entries[1].content[0].value
    assert english not in str(_feed(generation, "zh-Hant").entries)


def test_a_feed_holds_the_newest_entries_only(repository):
    log = changes.read(repository / "data")
    every = feeds.entries(log, "en", limit=1000)
    assert len(every) > 2
    assert feeds.entries(log, "en", limit=2) == every[:2]


def test_two_checkouts_of_one_commit_write_the_same_feeds(repository, generation, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", str(repository), str(clone)], check=True, capture_output=True
    )
    for linked in ("generators", "node_modules", "content"):
        (clone / linked).symlink_to(repository / linked, target_is_directory=True)
    (clone / "mkdocs.yml").symlink_to(repository / "mkdocs.yml")
    again = generate(BuildOptions(paths=ProjectPaths.at(clone), charts=False))
    for lang in LANGUAGES:
        name = feeds.source_name(lang.code)
        assert again.files[name] == generation.files[name], name


class _Heads(HTMLParser):
    """The feed links of a page's head, and every link of its body."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.feeds: list[dict[str, str | None]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if tag == "link" and found.get("type") == feeds.MEDIA_TYPE:
            self.feeds.append(found)
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))


def _heads(page: Path) -> _Heads:
    parser = _Heads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.mark.build
def test_every_built_page_announces_its_languages_feed(repository):
    assert dspapers("--root", str(repository), "build", "--no-charts") == 0
    site = repository / "site"
    hans = HansConverter()
    titles = {
        "zh-Hant": strings.UI["feed_title"][0],
        "zh-Hans": hans.convert(strings.UI["feed_title"][0]),
        "en": strings.UI["feed_title"][1],
    }
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        heads = _heads(page)
        assert heads.lang in titles, page
        assert len(heads.feeds) == 1, page
        (link,) = heads.feeds
        assert link["rel"] == "alternate" and link["title"] == titles[heads.lang], page
        prefix = next(lang.prefix for lang in LANGUAGES if lang.code == heads.lang)
        href = str(link["href"])
        relative = page.parent.relative_to(site).as_posix()
        if page.name == "404.html":
            target = href.removeprefix("/")  # the 404 page's links start at the root
        else:
            target = urlsplit(urljoin(f"/{relative}/", href)).path.removeprefix("/")
        assert target == f"{prefix}feed.xml", (page, href)
    for lang in LANGUAGES:
        feed = site / lang.prefix / "feed.xml"
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo and parsed.version == "atom10"
        assert parsed.feed.id == f"https://deepseek-papers.example.org/{lang.prefix}feed.xml"
        changes_page = site / lang.prefix / "changes" / "index.html"
        assert "../feed.xml" in _heads(changes_page).hrefs, lang.code


@pytest.mark.build
def test_the_offline_export_carries_the_feeds_as_files(offline_export):
    for lang in LANGUAGES:
        parsed = feedparser.parse((offline_export / lang.prefix / "feed.xml").read_bytes())
        assert not parsed.bozo and parsed.version == "atom10", lang.code
    # From disk the theme cannot read the sitemap it looks for beside a head link.
    assert _heads(offline_export / "index.html").feeds == []
