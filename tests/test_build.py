"""A real MkDocs build of the whole site, checked as a reader would meet it."""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

import pytest

from generators.i18n import foreign_script

pytestmark = pytest.mark.build

LANG_PREFIX = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def visible_text(page: str) -> str:
    """Text a reader sees: scripts, styles, code blocks and tags removed."""
    page = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", page, flags=re.S)
    # Values the What changed page quotes as the data held them (see test_i18n).
    page = re.sub(r'<span class="dsp-history-value">.*?</span>', " ", page, flags=re.S)
    # The language switcher names each language in its own script, by design.
    page = re.sub(r'<div class="md-select">.*?</div>', " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("lang", LANG_PREFIX)
def test_pages_exist_per_language_with_html_lang(built_site, catalog, lang):
    prefix = LANG_PREFIX[lang]
    pages = [
        "index.html",
        "compare/index.html",
        "glossary/index.html",
        "about/index.html",
        "changes/index.html",
        "downloads/index.html",
        "papers/index.html",
    ]
    pages += [f"papers/{p.id}/index.html" for p in catalog.papers]
    pages += [
        f"topics/{t}/index.html"
        for t in ("scaling-laws", "mixture-of-experts", "reasoning", "multimodal")
    ]
    for rel in pages:
        page = read(built_site, prefix + rel)
        assert f'<html lang="{lang}"' in page, prefix + rel


def test_language_switcher_leads_to_the_same_page(built_site):
    page = read(built_site, "papers/deepseek-v2/index.html")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', page))
    targets = {lang: href for href, lang in links.items()}
    assert targets["zh-Hans"].endswith("zh-Hans/papers/deepseek-v2/")
    assert targets["en"].endswith("en/papers/deepseek-v2/")


def material_translations(page: str) -> dict[str, str]:
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(config.group(1))["translations"]


def test_taiwan_interface_wording_on_zh_hant(built_site):
    page = read(built_site, "papers/deepseek-v2/index.html")
    assert material_translations(page)["clipboard.copy"] == "複製"  # zh-TW, not 拷貝
    assert 'placeholder="搜尋"' in page
    hans = read(built_site, "zh-Hans/papers/deepseek-v2/index.html")
    assert material_translations(hans)["clipboard.copy"] == "复制"


def test_built_pages_are_in_the_right_script(built_site):
    checked = 0
    for lang in ("zh-Hant", "zh-Hans"):
        base = built_site / LANG_PREFIX[lang] if LANG_PREFIX[lang] else built_site
        for path in base.rglob("index.html"):
            rel = path.relative_to(built_site).as_posix()
            if lang == "zh-Hant" and rel.startswith(("zh-Hans/", "en/")):
                continue
            text = visible_text(path.read_text(encoding="utf-8"))
            found = foreign_script(text, lang)
            assert not found, f"{rel}: {found[:5]}"
            checked += 1
    assert checked >= 32


def test_english_pages_have_english_navigation(built_site):
    page = read(built_site, "en/papers/deepseek-v2/index.html")
    assert "Papers" in page and "Topics" in page
    assert "Model configurations" in page


def test_math_and_sortable_table_assets_are_served_locally(built_site):
    page = read(built_site, "en/topics/scaling-laws/index.html")
    assert 'class="arithmatex"' in page
    for src in re.findall(r'<script src="([^"]+)"', page):
        assert not src.startswith(("http://", "https://", "//")), src
    assert (built_site / "assets/vendor/katex/katex.min.js").is_file()
    assert (built_site / "assets/vendor/tablesort/tablesort.min.js").is_file()
    assert list((built_site / "assets/vendor/katex/fonts").glob("*.woff2"))


def test_no_request_to_font_or_script_cdns(built_site):
    for path in built_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path
        assert not re.search(r'<script[^>]+src="(https?:)?//', text), path
        assert not re.search(r'<link rel="stylesheet"[^>]+href="(https?:)?//', text), path


def test_downloads_are_at_their_permanent_urls(built_site, catalog):
    downloads = built_site / "downloads"
    assert {p.name for p in downloads.iterdir()} >= {
        "papers.json",
        "results.csv",
        "models.csv",
        "deepseek-papers.bib",
        "changes.json",
    }
    data = json.loads((downloads / "papers.json").read_text(encoding="utf-8"))
    assert len(data["papers"]) == len(catalog.papers)
    # Linked from every language's downloads page, to the one shared copy.
    page = read(built_site, "zh-Hans/downloads/index.html")
    assert 'href="../../downloads/results.csv"' in page


def test_data_schemas_are_published_as_committed(built_site):
    from generators.json_schema import PUBLISHED, SCHEMA_DIR, schema_files

    published = built_site / "downloads" / SCHEMA_DIR
    assert {p.name for p in published.iterdir()} == set(schema_files(PUBLISHED))
    committed = Path(__file__).resolve().parents[1] / "data" / SCHEMA_DIR
    for name in schema_files(PUBLISHED):
        assert (published / name).read_bytes() == (committed / name).read_bytes(), name
        json.loads((published / name).read_text(encoding="utf-8"))
    # Linked from every language's downloads page, to the one shared copy.
    for prefix in LANG_PREFIX.values():
        page = read(built_site, prefix + "downloads/index.html")
        for name in schema_files(PUBLISHED):
            (href,) = re.findall(rf'href="([^"]*/)?{re.escape(name)}"', page) or [None]
            assert href is not None, (prefix, name)
            target = posixpath.normpath(posixpath.join(prefix + "downloads/", href + name))
            assert target == f"downloads/{SCHEMA_DIR}/{name}", (prefix, href)


def test_each_language_has_its_own_segmented_search_index(built_site):
    indexes = {
        lang: json.loads(read(built_site, LANG_PREFIX[lang] + "search/search_index.json"))["docs"]
        for lang in LANG_PREFIX
    }
    for lang, docs in indexes.items():
        assert docs, lang
        # Locations are relative to the language's root: no other language's pages inside.
        assert not any(d["location"].startswith(("zh-Hans/", "en/")) for d in docs), lang
    moe = {
        lang: " ".join(d["text"] for d in docs if d["location"].startswith("papers/deepseekmoe/"))
        for lang, docs in indexes.items()
    }
    assert "\u200b" in moe["zh-Hant"]  # jieba's word boundaries
    assert "共享專家" in moe["zh-Hant"].replace("\u200b", "")
    assert "共享专家" in moe["zh-Hans"].replace("\u200b", "")
    assert "shared expert" in moe["en"].lower()


def test_each_language_has_its_404_page_and_sitemap(built_site):
    for lang, prefix in LANG_PREFIX.items():
        assert f'<html lang="{lang}"' in read(built_site, prefix + "404.html")
        sitemap = read(built_site, prefix + "sitemap.xml")
        assert sitemap.count("<url>") >= 70
        assert 'hreflang="zh-Hant"' in sitemap and 'hreflang="en"' in sitemap


def test_pages_carry_hreflang_and_open_graph_metadata(built_site):
    page = read(built_site, "en/papers/deepseek-v2/index.html")
    for lang in LANG_PREFIX:
        assert f'hreflang="{lang}"' in page
    assert '<meta property="og:title" content="DeepSeek-V2">' in page
    assert '<meta property="og:locale" content="en_US">' in page
    assert 'property="og:url" content="https://' in page


def test_internal_links_resolve(built_site):
    """Every relative link and anchor in every page points at something that exists."""
    problems = []
    ids_cache: dict[Path, set[str]] = {}
    for path in built_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#?][^"]*)"', text):
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            target_part, _, anchor = href.partition("#")
            base = built_site if target_part.startswith("/") else path.parent
            target = (base / target_part.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{path.relative_to(built_site)} -> {href}")
                continue
            if anchor and target.suffix == ".html":
                ids = ids_cache.setdefault(
                    target, set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
                )
                if html.unescape(anchor) not in ids and anchor not in ids:
                    problems.append(f"{path.relative_to(built_site)} -> {href} (no anchor)")
    assert not problems, problems[:20]
