"""Pages converted section by section (generators/plugin/page_sections.py and the section
stores of generators/plugin/page_cache.py): the same HTML, table of contents, title and
anchors as the whole page converted at once, and an edit converts only its section."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generators.plugin import page_sections
from generators.plugin.page_cache import PageCache, PreviewSections

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_PAGES = sorted((ROOT / "tests" / "golden" / "pages").rglob("*.md"))


@functools.cache
def _config():
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))


@pytest.fixture(autouse=True)
def _quiet_links(caplog):
    """The pages' links lead to pages these tests leave out: not reported, so that a page is
    assembled from its sections (a section that reports is converted with its whole page)."""
    caplog.set_level(logging.ERROR, logger="mkdocs")


def _page(markdown: str, src_uri: str = "charts.en.md") -> tuple[Page, Files, list[str]]:
    """A page of *markdown*, its site's files, and the Markdown of each conversion made."""
    config = _config()
    file = File(
        src_uri, src_dir=str(ROOT / "build" / "docs"), dest_dir="site", use_directory_urls=True
    )
    page = Page(None, file, config)
    page.markdown = markdown
    conversions: list[str] = []
    convert = page.render

    def counted(config, files):
        conversions.append(page.markdown)
        convert(config, files)

    page.render = counted
    return page, Files([file]), conversions


def _toc_shape(items) -> list:
    return [
        (item.title, item.id, item.level, getattr(item, "active", False), _toc_shape(item.children))
        for item in items
    ]


def _converted(page: Page) -> dict:
    return {
        "html": page.content,
        "toc": _toc_shape(page.toc),
        "title": page._title_from_render,
        "anchors": page.present_anchor_ids,
        "links": None
        if page.links_to_anchors is None
        else {file.src_uri: anchors for file, anchors in page.links_to_anchors.items()},
    }


def _whole(markdown: str) -> dict:
    page, files, _ = _page(markdown)
    page.render(_config(), files)
    return _converted(page)


def _by_sections(markdown: str, store: PreviewSections | None = None) -> tuple[dict, list[str]]:
    """The page converted through a preview's section store, and the conversions made."""
    page, files, conversions = _page(markdown)
    store = store or PreviewSections()
    store.start(_config(), files)
    store.watch(page)
    page.render(_config(), files)
    return _converted(page), conversions


def _body(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


@pytest.mark.parametrize(
    "path", GOLDEN_PAGES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "golden" / "pages"))
)
def test_a_generated_page_converts_by_sections_as_a_whole(path):
    markdown = _body(path)
    sections = page_sections.split(markdown)
    converted, conversions = _by_sections(markdown)
    assert converted == _whole(markdown)
    if sections is not None:  # assembled from its sections, not converted again whole
        assert conversions == page_sections.to_convert(sections)


def test_the_real_charts_page_converts_by_sections_as_a_whole(generated):
    for lang in ("zh-Hant", "zh-Hans", "en"):
        markdown = generated.files[f"charts.{lang}.md"].decode()
        markdown = _body_of(markdown)
        sections = page_sections.split(markdown)
        assert sections is not None and len(sections) > 2
        converted, conversions = _by_sections(markdown)
        assert conversions == page_sections.to_convert(sections)
        assert converted == _whole(markdown)


def _body_of(text: str) -> str:
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


SECTION = "## {title} {{ #{id} }}\n\nSome text with [a link](#{id}).\n"


def _document(*titles: str) -> str:
    return "# Page\n\nIntroduction.\n\n" + "\n".join(
        SECTION.format(title=title, id=title.lower()) for title in titles
    )


def test_an_edit_converts_only_its_section_again():
    store = PreviewSections()
    before = _document("Alpha", "Beta", "Gamma")
    _by_sections(before, store)
    after = before.replace("## Beta { #beta }\n\nSome text", "## Beta { #beta }\n\nOther text")
    converted, conversions = _by_sections(after, store)
    assert len(conversions) == 1 and "Other text" in conversions[0]
    assert converted == _whole(after)


def test_the_disk_cache_keeps_sections_between_builds(tmp_path):
    before = _document("Alpha", "Beta", "Gamma")
    after = before.replace("Gamma", "Delta")
    for markdown, expected in ((before, 4), (after, 1)):
        page, files, conversions = _page(markdown)
        cache = PageCache.start(tmp_path, _config(), files)
        cache.watch(page)
        page.render(_config(), files)
        assert len(conversions) == expected
        assert _converted(page) == _whole(markdown)
        assert cache.converted == 1


def test_sections_sharing_an_id_are_converted_whole():
    # Whole, the second "Notes" heading is made "notes_1"; apart, both would be "notes".
    markdown = "# Page\n\n## Notes\n\nOne.\n\n## Notes\n\nTwo.\n"
    assert page_sections.split(markdown) is not None
    converted, conversions = _by_sections(markdown)
    assert conversions[-1] == markdown  # given up on the sections
    assert converted == _whole(markdown)
    assert [item.id for item in _page_toc(converted)] == ["notes", "notes_1"]


def _page_toc(converted: dict) -> list:
    class Item:
        def __init__(self, shape):
            self.id, self.children = shape[1], shape[4]

    return [Item(child) for top in converted["toc"] for child in top[4]]


@pytest.mark.parametrize(
    "markdown",
    [
        "Text[^1].\n\n## Later\n\nMore.\n\n[^1]: A note.\n",  # footnotes
        "MLA here.\n\n## Later\n\nMLA.\n\n*[MLA]: Multi-head latent attention\n",  # abbreviations
        "See [it][ref].\n\n## Later\n\n[ref]: https://example.org\n",  # link definitions
        "A page without a second-level heading.\n\n### Third level\n\nText.\n",
        "## Only one section\n\nText.\n",
    ],
)
def test_a_page_with_page_wide_markdown_or_one_section_is_not_cut(markdown):
    assert page_sections.split(markdown) is None


@pytest.mark.parametrize(
    "markdown",
    [
        "Intro.\n\n```\n\n## In a fence\n\n```\n",
        "Intro.\n\n???+ note\n\n    ~~~~\n\n## In an indented fence\n\n    ~~~~\n",
        '<div class="x" markdown>\n\n## In raw HTML\n\n</div>\n',
        "<details><summary>S</summary>\n\n## In details\n\n</details>\n",
        "Intro. <!-- a comment\n\n## In a comment\n\n-->\n",
        "Intro.\n## Not after an empty line\n",
    ],
)
def test_no_cut_inside_fences_raw_html_or_comments(markdown):
    assert page_sections.split(markdown) is None


def test_cuts_fall_before_each_second_level_heading():
    markdown = _document("Alpha", "Beta")
    sections = page_sections.split(markdown)
    assert sections is not None
    assert [s.split("\n", 1)[0] for s in sections] == [
        "# Page",
        "## Alpha { #alpha }",
        "## Beta { #beta }",
    ]
    assert "\n".join(sections) == markdown


# Blocks of the kinds the generated pages hold, some of them open across lines.
BLOCKS = [
    "Plain text.", "Text with **bold**, *em* and `code`.", "- item\n- item two",
    "1. first\n2. second", "| a | b |\n|---|---|\n| 1 | 2 |", "> quoted",
    '<figure class="f" markdown="span">\n  ![alt](a.png)\n</figure>',
    '<div markdown="block">\n\nInside **div**.\n\n</div>', "```python\nx = 1\n```",
    '??? info "More"\n\n    | x | y |\n    |---|---|\n    | 1 | 2 |', "Term\n:   Definition",
    "!!! note\n    An admonition.", "### Sub heading", "#### Deeper { #deep }",
    "## Section", "## Section { #section }", "## Other", "<!-- a comment -->",
    '<p class="x">raw <span>html</span></p>', "Math $x^2$ inline.", "$$\ny = x\n$$",
    "Line with trailing spaces  \nand a break.", "<div>", "</div>", "```", "<!--", "-->",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=12))
def test_any_page_cut_into_sections_converts_as_a_whole(blocks):
    markdown = "# Title\n\n" + "\n\n".join(blocks) + "\n"
    converted, _ = _by_sections(markdown)
    assert converted == _whole(markdown)
