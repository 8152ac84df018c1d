"""The plain-text shortcut of the inline processor gives the HTML the inline patterns give."""

from __future__ import annotations

import functools
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators import plain_inline

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_PAGES = sorted((ROOT / "tests" / "golden" / "pages").rglob("*.md"))


@functools.cache
def _site_extensions() -> tuple[list[str], dict[str, object]]:
    """mkdocs.yml's Markdown extensions and their settings, as MkDocs reads them."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs)


def _converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    names, settings_of = _site_extensions()
    assert "generators.plain_inline" in names, "mkdocs.yml no longer loads the shortcut"
    without = [n for n in names if n != "generators.plain_inline"]
    return (
        markdown.Markdown(extensions=without, extension_configs=settings_of),
        markdown.Markdown(extensions=names, extension_configs=settings_of),
    )


def _convert(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


def _body(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def test_the_site_configuration_takes_the_shortcut():
    _, shortcut = _converters()
    handler = getattr(shortcut.treeprocessors["inline"], plain_inline.HANDLER)
    assert isinstance(handler, plain_inline.PlainTextShortcut)
    assert handler("671B") == "671B"
    # With the site's patterns known, the shortcut has a syntax to look for.
    assert plain_inline.syntax_pattern(frozenset(shortcut.inlinePatterns._data)) is not None


@pytest.mark.parametrize(
    "page", GOLDEN_PAGES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "golden" / "pages"))
)
def test_generated_pages_convert_to_the_same_html(page):
    plain, shortcut = _converters()
    text = _body(page)
    assert _convert(shortcut, text) == _convert(plain, text)


# Pieces of text without inline syntax, and pieces with some (or with block syntax).
PLAIN_PIECES = ["a", "B", "7", " ", "\n", "中文", "，", "(", ")", ":", "~", "^", "=", "+", "#"]
SYNTAX_PIECES = [
    "  \n", "\n\n", "| x | y |\n|---|---|\n| 1 | 2 |\n", "*", "**", "_", "__", "`", "\\",
    "[", "]", "!", "<", ">", "&", "&amp;", "$", "$x^2$", "\\(", "\\)", "[^1]", "\n\n[^1]: note\n",
    "<span>", "</span>", "<http://a.b>", "{", "}", "[x](y.md)", "![i](p.png)", "x@y.z",
    "# ", "- ", "1. ", "> ",
]  # fmt: skip


PLAIN_TEXT = st.lists(st.sampled_from(PLAIN_PIECES), max_size=6).map("".join)


@pytest.mark.parametrize("piece", SYNTAX_PIECES)
def test_each_syntax_amid_plain_text_converts_to_the_same_html(piece):
    plain, shortcut = _converters()
    for text in (
        f"a {piece} b",
        f"a{piece}b",
        f"{piece}b",
        f"a{piece}",
        f"| x |\n|---|\n| a{piece}b |",
    ):
        assert _convert(shortcut, text) == _convert(plain, text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PLAIN_TEXT, st.sampled_from(SYNTAX_PIECES)), max_size=3), PLAIN_TEXT)
def test_any_text_converts_to_the_same_html(parts, tail):
    plain, shortcut = _converters()
    text = "".join(p + s for p, s in parts) + tail
    assert _convert(shortcut, text) == _convert(plain, text)


NESTED = [
    "[**bold** link](x.md) and `code`",
    "*[a](b)* and _c_",
    "a  \nb [c](d) <span>e</span>",
    "[`x`](y) **[z](w)**",
    "![a *b*](c.png) &amp; $x$",
    'text[^1] <span title="a&#x27;b">c</span>\n\n[^1]: n',
]


@pytest.mark.parametrize("text", NESTED)
def test_nested_syntax_converts_to_the_same_html(text):
    plain, shortcut = _converters()
    assert _convert(shortcut, text) == _convert(plain, text)


def test_a_text_goes_only_through_the_patterns_its_characters_can_start():
    _, md = _converters()
    handler = getattr(md.treeprocessors["inline"], plain_inline.HANDLER)
    every = md.inlinePatterns
    links = handler._patterns_for(frozenset("["), every)
    names = sorted(links._data)
    assert "link" in names and "footnote" in names
    assert "em_strong" not in names and "backtick" not in names
    # In their own order.
    order = [n for n in sorted(every._data, key=every.get_index_for_name) if n in names]
    assert sorted(names, key=links.get_index_for_name) == order
    # Python-Markdown's placeholders: every pattern.
    assert handler._patterns_for(frozenset("\x02"), every) is every


def test_an_unknown_inline_pattern_turns_the_shortcut_off():
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    md = markdown.Markdown(extensions=["generators.plain_inline"])
    # A pattern the shortcut does not know (`~~strike~~`) would be skipped on a text
    # without the known syntax: the shortcut must step aside for every text.
    md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "del", 65)
    assert md.convert("a ~~b~~ c") == "<p>a <del>b</del> c</p>"


def test_a_known_pattern_is_still_applied_on_text_with_its_syntax():
    md = markdown.Markdown(extensions=["generators.plain_inline", "footnotes"])
    html = md.convert("see [it](x.md) and *this*[^1]\n\n[^1]: n")
    assert '<a href="x.md">it</a>' in html and "<em>this</em>" in html
    assert 'class="footnote-ref"' in html
