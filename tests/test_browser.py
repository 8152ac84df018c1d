"""The site in a real browser (Debian's Chromium driven by Playwright): served on localhost
and opened from disk as the offline export. No request may leave the page's own files.

Waiting: a page load waits for the "load" event, then for the state the test checks
(formulas typeset, sortable tables ready, search index loaded, chart images decoded, a
search result shown), never for network silence or a fixed time. Playwright's
"networkidle" is not used: in the offline export Material's search worker runs in a hidden
iframe (assets/vendor/iframe-worker/shim.js) whose only request, the worker script, can
come more than 500 ms after the iframe is attached on a busy machine; Playwright then marks
the iframe idle before the request, cannot re-arm its idle timer when the request ends, and
the page never reaches "networkidle" although nothing is loading.

Every timeout is generous (TIMEOUT_MS): a slow machine only makes a test slower.
BROWSER_CPU_THROTTLE=<rate> (e.g. 4) slows every page's CPU that many times through the
DevTools protocol, to check that the tests do not depend on the machine's speed."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 120_000  # for every wait and action: a slow machine makes a test slower, never failed
CPU_THROTTLE = float(os.environ.get("BROWSER_CPU_THROTTLE") or 1)
LANGS = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}
SEARCHES = {"zh-Hant": "共享專家", "zh-Hans": "共享专家", "en": "shared expert"}


# --- Fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def served_site(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Watched:
    """A page plus everything it logged and requested."""

    def __init__(self, page, allowed: tuple[str, ...]):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.allowed = allowed
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))

    def check_clean(self):
        assert not self.errors, self.errors
        outside = [u for u in self.requests if not u.startswith(self.allowed)]
        assert not outside, f"requests outside the site: {outside}"


# True once everything a page loads by itself has arrived and run: the load event, KaTeX
# on every formula and its fonts, Tablesort on every sortable table, and the search index
# (served: the search worker has answered its first query, which fills the result line
# with the placeholder text; offline: the index script and the worker's frame are loaded).
SETTLED = """() => {
  if (document.readyState !== "complete") return false;
  if (document.querySelector(".arithmatex:not(:has(.katex, .katex-error))")) return false;
  if (document.querySelector("table.dsp-sortable:not([data-sort-ready])")) return false;
  if (location.protocol === "file:") {
    if (typeof __index === "undefined") return false;
    const frames = [...document.querySelectorAll("iframe")];  // the search worker's
    const loaded = f => f.contentDocument && f.contentDocument.readyState === "complete";
    if (!frames.length || !frames.every(loaded)) return false;
  } else {
    const meta = document.querySelector(".md-search-result__meta");
    const config = JSON.parse(document.getElementById("__config").textContent);
    const placeholder = config.translations["search.result.placeholder"];
    if (!meta || meta.textContent.trim() !== placeholder) return false;
  }
  void document.body.offsetHeight;  // lay out, so that fonts the page needs start loading
  return document.fonts.status === "loaded";
}"""


# The search's "type to start searching" text in the page's language (Material's config).
PLACEHOLDER = """() => JSON.parse(document.getElementById("__config").textContent)
  .translations["search.result.placeholder"]"""


def settle(page) -> None:
    page.wait_for_function(SETTLED)


def throttle(context, page) -> None:
    if CPU_THROTTLE > 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})


def draw_charts(page, selector: str = "figure.dsp-chart img[src*='#only-light']"):
    """Scroll each chart (lazily loaded) into view as a reader would and wait until it has
    loaded and decoded; returns the images' natural widths (0 for an image that is broken)."""
    images = page.locator(selector)
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        image.evaluate("img => img.naturalWidth ? img.decode() : null")
    return images.evaluate_all("els => els.map(e => e.naturalWidth)")


@pytest.fixture
def watch(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    playwright_api.expect.set_options(timeout=TIMEOUT_MS)
    pages = []

    def open_page(url: str, allowed: tuple[str, ...], color_scheme: str = "light") -> Watched:
        page = context.new_page()
        throttle(context, page)
        page.emulate_media(color_scheme=color_scheme)  # the reader's preference
        watched = Watched(page, allowed + ("data:", "blob:", "about:"))
        pages.append(page)
        page.goto(url, wait_until="load")
        settle(page)
        return watched

    yield open_page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, page in enumerate(pages):
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
    context.close()


def url_for(
    mode: str, served: str, offline: Path, lang: str, page: str
) -> tuple[str, tuple[str, ...]]:
    """The address of *page* ("" for home, "papers/deepseek-v2") in one language and mode."""
    prefix = LANGS[lang]
    if mode == "http":
        return served + prefix + (page + "/" if page else ""), (served,)
    target = offline / prefix / ((page or "index") + ".html")
    return target.as_uri(), (offline.as_uri(),)


@pytest.fixture(params=["http", "file"])
def mode(request):
    return request.param


@pytest.fixture
def site_url(mode, request):
    served = request.getfixturevalue("served_site") if mode == "http" else ""
    offline = request.getfixturevalue("offline_export") if mode == "file" else Path("/")
    return lambda lang, page="": url_for(mode, served, offline, lang, page)


# --- Scenarios --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_home_page(watch, site_url, lang):
    w = watch(*site_url(lang))
    assert w.page.locator("html").get_attribute("lang") == lang
    assert w.page.locator("h1").first.inner_text()
    assert w.page.locator("figure.dsp-chart img").count() >= 2  # the timeline charts
    widths = draw_charts(w.page)
    assert widths and all(width > 0 for width in widths), widths
    w.check_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_paper_page_draws_its_charts_math_and_tables(watch, site_url, lang):
    w = watch(*site_url(lang, "papers/deepseek-v2"))
    assert w.page.locator("figure.dsp-chart img[src*='#only-light']").count() >= 2
    widths = draw_charts(w.page)
    assert all(width > 0 for width in widths), widths
    assert w.page.locator("table").count() >= 4
    assert w.page.locator("pre code").count() >= 1  # BibTeX
    w.check_clean()


def test_math_is_typeset(watch, site_url):
    w = watch(*site_url("en", "topics/scaling-laws"))
    assert w.page.locator(".arithmatex .katex").count() >= 4
    w.check_clean()


def test_comparison_table_sorts(watch, site_url):
    w = watch(*site_url("en", "compare"))
    header = w.page.locator("#all-models thead th").nth(4)  # total parameters
    header.click()
    header.click()
    expect = playwright_api.expect
    expect(header).to_have_attribute("aria-sort", re.compile(r"^(ascending|descending)$"))
    direction = header.get_attribute("aria-sort")
    # The rows in the order of their sort keys (a missing value, -1, is never first when
    # descending): the largest model first when descending, the smallest when ascending.
    keys = [
        float(k)
        for k in w.page.locator("#all-models tbody tr").evaluate_all(
            "rows => rows.map(r => r.cells[4].dataset.sort)"
        )
    ]
    assert len(keys) > 1
    assert keys == sorted(keys, reverse=direction == "descending")
    w.check_clean()


@pytest.mark.parametrize(
    "lang,target", [("zh-Hant", "en"), ("en", "zh-Hans"), ("zh-Hans", "zh-Hant")]
)
def test_language_switch_keeps_the_page(watch, site_url, mode, lang, target):
    url, allowed = site_url(lang, "papers/deepseekmoe")
    w = watch(url, allowed)
    # As a reader does: open the language menu, pick the language.
    w.page.locator(".md-header__option .md-select").first.hover()
    with w.page.expect_navigation(wait_until="load"):
        w.page.locator(f'.md-select__link[hreflang="{target}"]').first.click()
    settle(w.page)
    expected, _ = site_url(target, "papers/deepseekmoe")
    assert w.page.url.split("?")[0] == expected
    assert w.page.locator("html").get_attribute("lang") == target
    w.check_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_the_deepseekmoe_page_in_the_readers_language(watch, site_url, lang):
    w = watch(*site_url(lang))
    box = w.page.locator("input.md-search__input")
    box.click()
    # The worker has built its index (offline it starts when the search opens) once it
    # has answered the empty query: the result line then shows the placeholder text.
    placeholder = w.page.evaluate(PLACEHOLDER)
    playwright_api.expect(w.page.locator(".md-search-result__meta")).to_have_text(placeholder)
    box.fill(SEARCHES[lang])
    w.page.keyboard.press("End")
    w.page.wait_for_selector(".md-search-result__item")
    links = w.page.locator(".md-search-result__item > a").evaluate_all(
        "els => els.map(e => e.href)"
    )
    assert any("papers/deepseekmoe" in link for link in links), links[:5]
    others = [p for code, p in LANGS.items() if code != lang and p]
    own = LANGS[lang]
    for link in links:
        path = link.split("://", 1)[1]
        if own:
            assert f"/{own}" in path, link  # results stay in the reader's language
        assert not any(f"/{p}" in path for p in others), link
    w.check_clean()


# What a reader types for a key idea of a paper, in zh-Hant and in English (the zh-Hans
# query is the zh-Hant one as the zh-Hans pages word it), and the paper whose page must be
# among the first SEARCH_TOP pages the search lists.
READER_QUERIES = [
    ("子目標分解", "subgoal decomposition", "deepseek-prover-v2"),
    ("多頭潛在注意力", "multi-head latent attention", "deepseek-v2"),
    ("混合專家", "mixture of experts", "deepseekmoe"),
    ("縮放定律", "scaling laws", "deepseek-llm"),
    ("共享專家隔離", "shared expert isolation", "deepseekmoe"),
    ("細粒度專家切分", "fine-grained expert segmentation", "deepseekmoe"),
    ("儲存庫層級資料", "repository-level data", "deepseek-coder"),
    ("中間填充", "fill-in-the-middle", "deepseek-coder"),
    ("自動形式化", "autoformalization", "deepseek-prover"),
    ("混合視覺編碼器", "hybrid vision encoder", "deepseek-vl"),
    ("冷啟動", "cold start", "deepseek-r1"),
    ("規則式獎勵", "rule-based rewards", "deepseek-r1"),
    ("動態切圖", "dynamic tiling", "deepseek-vl2"),
    ("蒙地卡羅樹搜尋", "Monte-Carlo tree search", "deepseek-prover-v1.5"),
    ("輔助損失", "auxiliary loss", "deepseek-v3"),
    ("數學語料", "math corpus", "deepseekmath"),
    ("理解與生成", "understanding and generation", "janus-pro"),
    # Each glossary term a paper introduced (its introduced_by), by its name, finds that paper
    # (see test_every_introduced_term_has_its_reader_query); GRPO by its abbreviation too.
    ("群組相對策略最佳化", "group relative policy optimization", "deepseekmath"),
    ("GRPO", "GRPO", "deepseekmath"),
    ("無輔助損失負載平衡", "auxiliary-loss-free load balancing", "loss-free-balancing"),
    ("專家專精微調", "expert-specialized fine-tuning", "esft"),
    ("原生稀疏注意力", "native sparse attention", "nsa"),
    ("DeepSeek 稀疏注意力", "DeepSeek Sparse Attention", "deepseek-v3.2-exp"),
    ("閃電索引器", "lightning indexer", "deepseek-v3.2-exp"),
    ("壓縮稀疏注意力", "compressed sparse attention", "deepseek-v4"),
    ("重度壓縮注意力", "heavily compressed attention", "deepseek-v4"),
    ("流形約束超連接", "manifold-constrained hyper-connections", "mhc"),
    ("條件記憶", "conditional memory", "engram"),
    ("Engram", "Engram", "engram"),
    ("信心排程驗證", "confidence-scheduled verification", "dspark"),
    ("光學上下文壓縮", "optical context compression", "deepseek-ocr"),
    ("因果流查詢", "causal flow query", "deepseek-ocr-2"),
    ("自我原則化評論微調", "self-principled critique tuning", "deepseek-grm"),
    ("解耦視覺編碼", "decoupled visual encoding", "janus"),
    ("RMaxTS", "RMaxTS", "deepseek-prover-v1.5"),
    ("後設驗證", "meta-verification", "deepseekmath-v2"),
]
SEARCH_TOP = 5


def test_every_introduced_term_has_its_reader_query(catalog):
    """A glossary term with the paper that introduced it is a reader query, by its name in
    both written languages (zh-Hans is derived), finding that paper."""

    def words(en: str) -> str:  # "Shared-expert isolation" is typed "shared expert isolation"
        return en.lower().replace("-", " ")

    queries = {(zh_hant, words(en), paper) for zh_hant, en, paper in READER_QUERIES}
    missing = [
        term.id
        for term in catalog.glossary
        if term.introduced_by is not None
        and (term.term.zh_Hant, words(term.term.en), term.introduced_by.paper) not in queries
    ]
    assert not missing, missing


# The search has answered the query in the box: the result line has left the placeholder,
# and lists results or says there are none.
SEARCH_ANSWERED = """placeholder => {
  const meta = document.querySelector(".md-search-result__meta");
  if (!meta || meta.textContent.trim() === placeholder) return false;
  const config = JSON.parse(document.getElementById("__config").textContent);
  return document.querySelector(".md-search-result__item") !== null
    || meta.textContent.trim() === config.translations["search.result.none"];
}"""


def search_results(page, query: str) -> list[str]:
    """The pages the search lists for *query*, in order, each once (without anchor or
    highlight parameter), typed into the search box as a reader does."""
    placeholder = page.evaluate(PLACEHOLDER)
    box = page.locator("input.md-search__input")
    box.fill("")
    playwright_api.expect(page.locator(".md-search-result__meta")).to_have_text(placeholder)
    box.fill(query)
    page.keyboard.press("End")
    page.wait_for_function(SEARCH_ANSWERED, arg=placeholder)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    pages: list[str] = []
    for href in hrefs:
        address = href.split("#", 1)[0].split("?", 1)[0]
        if address not in pages:
            pages.append(address)
    return pages


@pytest.mark.parametrize("lang", LANGS)
def test_reader_queries_find_their_paper_among_the_first_results(watch, site_url, lang, catalog):
    from generators.i18n import HansConverter

    hans = HansConverter(catalog.overrides)
    papers = {paper.id for paper in catalog.papers}
    w = watch(*site_url(lang))
    w.page.locator("input.md-search__input").click()
    misses = []
    for zh_hant, en, paper in READER_QUERIES:
        assert paper in papers, paper
        query = {"zh-Hant": zh_hant, "zh-Hans": hans.convert(zh_hant), "en": en}[lang]
        expected, _ = site_url(lang, f"papers/{paper}")
        found = search_results(w.page, query)
        if expected not in found[:SEARCH_TOP]:
            misses.append(f"{query} -> {paper}: {found[:SEARCH_TOP]}")
    assert len(READER_QUERIES) >= 10
    assert not misses, "\n".join(misses)
    w.check_clean()


def test_download_links_resolve(watch, site_url, mode, hosted):
    w = watch(*site_url("en", "downloads"))
    hrefs = w.page.locator("article a[href*='downloads/']").evaluate_all(
        "els => els.map(e => e.href)"
    )
    assert len(hrefs) >= 4
    for href in hrefs:
        if mode == "file" and href.startswith(hosted):
            # The offline export leaves the decks on the hosted site (test_offline.py).
            assert re.fullmatch(r"downloads/slides/en/[^/]+\.pptx", href.removeprefix(hosted))
            continue
        if mode == "http":
            response = w.page.request.get(href, timeout=TIMEOUT_MS)
            assert response.status == 200, href
        else:
            assert Path(href.removeprefix("file://")).is_file(), href
    w.check_clean()


def test_not_found_page_per_language(watch, served_site):
    for lang, prefix in LANGS.items():
        w = watch(served_site + prefix + "404.html", (served_site,))
        assert w.page.locator("html").get_attribute("lang") == lang


# --- Chart download menus -----------------------------------------------------------------

MENU = "figure.dsp-chart details.dsp-chart-menu"
MENU_FILES = (".png", "-dark.png", ".svg", "-dark.svg", ".pptx", ".csv")


def fetch(page, mode: str, href: str) -> bytes:
    """The bytes behind a link of the page: over HTTP (status 200), or the file on disk."""
    if mode == "http":
        response = page.request.get(href, timeout=TIMEOUT_MS)
        assert response.status == 200, href
        return response.body()
    path = Path(unquote(urlsplit(href).path))
    assert path.is_file(), href
    return path.read_bytes()


@pytest.fixture(scope="session")
def hosted() -> str:
    """The hosted site's address the site was built with (SITE_URL, or mkdocs.yml's
    default): where the offline export's slide downloads lead."""
    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.plugin.settings import load_mkdocs_config

    return str(load_mkdocs_config(BuildOptions(paths=ProjectPaths.at(ROOT))).site_url)


@pytest.fixture(scope="module")
def ui(catalog):
    """An interface string in a site language, as the pages word it."""
    from generators import strings
    from generators.i18n import HansConverter

    hans = HansConverter(catalog.overrides)

    def text(key: str, lang: str) -> str:
        zh_hant, en = strings.UI[key]
        return {"zh-Hant": zh_hant, "zh-Hans": hans.convert(zh_hant), "en": en}[lang]

    return text


@pytest.mark.parametrize("page", ["papers/deepseek-v2", "charts"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_menu_link_resolves(watch, site_url, mode, lang, page, hosted):
    w = watch(*site_url(lang, page))
    links = w.page.locator(f"{MENU} a[href]").evaluate_all(
        "els => els.map(e => [e.closest('figure').id, e.getAttribute('href'), e.href])"
    )
    files: dict[str, set[str]] = {}
    for figure, raw, href in links:
        if raw.startswith("#"):  # the link to the chart itself
            assert raw == f"#{figure}" and w.page.locator(f"[id='{figure}']").count() == 1, raw
            continue
        name = urlsplit(href).path.rsplit("/", 2)
        assert name[1] == lang, href  # the files of the page's language
        files.setdefault(figure, set()).add(name[2].removeprefix(figure.removeprefix("chart-")))
        if href.startswith(hosted):
            # The offline export's slide files are the hosted site's (test_offline.py);
            # the chart's data is its own.
            assert mode == "file" and not href.endswith(".csv"), href
            continue
        fetch(w.page, mode, href)
    figures = w.page.locator("figure.dsp-chart").evaluate_all("els => els.map(e => e.id)")
    assert figures and files == {figure: set(MENU_FILES) for figure in figures}
    # The address to copy is the hosted page's, in either mode: the canonical address,
    # which the offline export writes with the .html form of the page.
    canonical = w.page.locator("link[rel=canonical]").get_attribute("href")
    hosted = re.sub(r"(index)?\.html$", "", canonical)
    hosted += "" if hosted.endswith("/") else "/"
    for field in w.page.locator(f"{MENU} input[id$='-link']").all():
        figure = field.evaluate("e => e.closest('figure').id")
        assert field.input_value() == f"{hosted}#{figure}"
    w.check_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_chart_menu_opens_and_closes_with_the_keyboard_in_the_pages_language(
    watch, site_url, mode, lang, ui
):
    w = watch(*site_url(lang, "papers/deepseek-v2"))
    draw_charts(w.page)  # lazily loaded images in place: nothing moves under a click
    expect = playwright_api.expect
    menus = w.page.locator(MENU)
    menu, other = menus.nth(0), menus.nth(1)
    summary, panel = menu.locator("summary"), menu.locator(".dsp-chart-menu__panel")
    expect(summary).to_have_accessible_name(ui("chart_menu", lang))
    expect(summary).to_have_attribute("title", ui("chart_menu", lang))
    expect(panel).to_be_hidden()

    summary.focus()
    w.page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(menu).to_have_js_property("open", True)
    w.page.keyboard.press("Tab")  # into the menu: its first file
    expect(menu.locator("a").first).to_be_focused()
    w.page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(summary).to_be_focused()
    w.page.keyboard.press(" ")
    expect(panel).to_be_visible()
    w.page.keyboard.press(" ")
    expect(panel).to_be_hidden()

    # Opening another menu closes this one; so does a click elsewhere.
    summary.click()
    expect(panel).to_be_visible()
    other.locator("summary").click()
    expect(other.locator(".dsp-chart-menu__panel")).to_be_visible()
    expect(panel).to_be_hidden()
    w.page.locator("h1").click()
    expect(other.locator(".dsp-chart-menu__panel")).to_be_hidden()

    # Every label in the page's language; from disk, the slide files say they are the
    # hosted site's.
    def slide(label: str) -> str:
        return label if mode == "http" else ui("on_hosted_site", lang).format(name=label)

    summary.click()
    expect(menu.locator(".dsp-chart-menu__title")).to_have_text(ui("chart_download", lang))
    expect(menu.locator("a")).to_have_text(
        [
            slide("PNG"),
            slide(f"PNG{ui('comma', lang)}{ui('dark_background', lang)}"),
            slide("SVG"),
            slide(f"SVG{ui('comma', lang)}{ui('dark_background', lang)}"),
            slide(ui("pptx_one_slide", lang)),
            ui("csv_chart_data", lang),
            ui("chart_link", lang),
        ]
    )
    expect(menu.locator("input")).to_have_accessible_name(ui("chart_link", lang))
    expect(menu.locator("textarea")).to_have_accessible_name(ui("chart_citation", lang))
    copy_link, copy_citation = menu.locator("button.dsp-copy").all()
    for button, key in ((copy_link, "copy_link"), (copy_citation, "copy_citation")):
        expect(button).to_be_visible()  # shown by the script
        expect(button).to_have_text(ui("copy", lang))
        expect(button).to_have_accessible_name(ui(key, lang))

    # Copying says so in the page's language, and puts the address on the clipboard.
    if mode == "http":
        w.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy_link.click()
    status = menu.locator(".dsp-chart-menu__status")
    expect(status).to_have_text(
        re.compile(f"^({re.escape(ui('copied', lang))}|{re.escape(ui('copy_by_hand', lang))})$")
    )
    if mode == "http":
        expect(status).to_have_text(ui("copied", lang))
        copied = w.page.evaluate("() => navigator.clipboard.readText()")
        assert copied == menu.locator("input").input_value()
    w.check_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_chart_csv_holds_the_rows_of_its_data_table(watch, site_url, mode, lang, ui):
    w = watch(*site_url(lang, "papers/deepseek-v2"))
    figures = w.page.locator("figure.dsp-chart").all()
    assert figures
    for figure in figures:
        shown = figure.evaluate(
            """fig => {
              let block = fig.nextElementSibling;
              while (block && block.tagName !== "DETAILS") block = block.nextElementSibling;
              const cells = row => [...row.cells].map(c => c.textContent.trim());
              return {
                rows: [...block.querySelector("table").rows].map(cells),
                sources: [...fig.querySelectorAll("figcaption a")].map(a => a.textContent).join("; "),
              };
            }"""
        )
        href = figure.locator("details.dsp-chart-menu a[href$='.csv']").evaluate("a => a.href")
        content = fetch(w.page, mode, href)
        assert content.startswith("\ufeff".encode())
        table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        head, *rows = table
        assert head == [*shown["rows"][0], ui("source", lang)]
        assert [row[:-1] for row in rows] == shown["rows"][1:]
        assert {row[-1] for row in rows} == {shown["sources"]}
    w.check_clean()


@pytest.fixture(scope="session")
def repository():
    """The repository's address the site was built with (REPO_URL, or mkdocs.yml's default)."""
    from generators.options import BuildOptions
    from generators.paths import ProjectPaths, repository_address
    from generators.plugin.settings import load_mkdocs_config

    config = load_mkdocs_config(BuildOptions(paths=ProjectPaths.at(ROOT)))
    return repository_address(config.extra["repository_url"])


@pytest.mark.parametrize("lang", LANGS)
def test_report_links_open_the_repositorys_issue_form_hosted_and_from_disk(
    watch, site_url, mode, lang, ui, repository
):
    """Under every table of a paper page, in the page's language; from disk as hosted."""
    w = watch(*site_url(lang, "papers/deepseek-v2"))
    links = w.page.locator("article p.dsp-correction a")
    tables = w.page.locator("article table").count()
    assert links.count() >= 2 and tables >= links.count()
    for i in range(links.count()):
        link = links.nth(i)
        playwright_api.expect(link).to_be_visible()
        playwright_api.expect(link).to_have_text(ui("correction", lang))
        href = link.evaluate("a => a.href")  # as the browser resolves it
        assert href.startswith(f"{repository}/issues/new?title="), href[:120]
        assert "&body=" in href
    w.check_clean()


# --- Accessibility ----------------------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["", "papers/deepseek-v2", "compare", "charts"])
def test_no_serious_accessibility_violations(watch, served_site, lang, page):
    url, allowed = url_for("http", served_site, Path("/"), lang, page)
    w = watch(url, allowed)
    serious = serious_violations(w.page)
    assert not serious, serious


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_accessibility_violations_with_a_chart_menu_open(
    watch, served_site, lang, scheme
):
    url, allowed = url_for("http", served_site, Path("/"), lang, "papers/deepseek-v2")
    # A reader who prefers dark gets Material's dark scheme ("slate") on a first visit.
    w = watch(url, allowed, "dark" if scheme == "slate" else "light")
    w.page.wait_for_function(
        "scheme => document.body.getAttribute('data-md-color-scheme') === scheme", arg=scheme
    )
    menu = w.page.locator(MENU).first
    menu.locator("summary").focus()
    w.page.keyboard.press("Enter")
    playwright_api.expect(menu.locator("button.dsp-copy").first).to_be_visible()
    serious = serious_violations(w.page)
    assert not serious, serious


# axe's rules whose findings fail a test whatever impact axe gives them: an empty table
# header is "minor" to axe, but a screen reader then reads the cells under no header.
ALWAYS_CHECKED = ("empty-table-header",)


def serious_violations(page) -> list[str]:
    """axe's serious and critical findings on *page*, and those of `ALWAYS_CHECKED`."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in ALWAYS_CHECKED
    ]
