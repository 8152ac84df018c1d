"""The Compare page's explorer in a real browser, served and opened from disk: its filters
show exactly the models the data says, pinned models show their fields and shared scores as
the downloads have them, the address reopens the same view, and without JavaScript the page
is the full table. Expectations come from the catalog and the site's CSV downloads."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
import test_browser as shared

from generators import evidence, vocabulary
from generators.i18n import foreign_script

# The browser tests' fixtures (pytest finds them by name in this module) and helpers; the
# browser itself is conftest's, shared by both modules.
served_site, watch = shared.served_site, shared.watch
mode, site_url, ui = shared.mode, shared.site_url, shared.ui
LANGS, TIMEOUT_MS, playwright_api = shared.LANGS, shared.TIMEOUT_MS, shared.playwright_api
serious_violations, url_for = shared.serious_violations, shared.url_for

pytestmark = pytest.mark.browser
expect = playwright_api.expect

EXPLORER = "#dsp-explorer"
READY = "#dsp-explorer[data-ready]"
VISIBLE_ROWS = "els => els.filter(r => !r.hidden).map(r => r.dataset.model)"
PAIR = ("deepseek-v2", "deepseek-v3-base")  # two models that share many scores


def open_compare(watch, site_url, lang: str, query: str = ""):
    url, allowed = site_url(lang, "compare")
    w = watch(url + query, allowed)
    w.page.wait_for_selector(READY)
    return w


def visible_models(page) -> list[str]:
    return page.locator("#all-models tbody tr").evaluate_all(VISIBLE_ROWS)


def pin(page, model_id: str) -> None:
    """Pin a model as a keyboard user does: focus its box, press Space."""
    box = page.locator(f'#all-models tr[data-model="{model_id}"] input.dsp-pin')
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def pinned_view(page, models: tuple[str, ...]):
    view = page.locator(".dsp-explorer__comparison")
    expect(view).to_have_attribute("data-pins", " ".join(models))
    return view


@pytest.fixture(scope="module")
def downloads(built_site):
    def rows(name: str) -> list[dict[str, str]]:
        with (built_site / "downloads" / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    return {"models": rows("models.csv"), "results": rows("results.csv")}


def _attention(entry) -> str:
    attention = entry.card.config.attention
    return attention.value if attention else "none"


def _count(entry, field: str) -> int | None:
    value = getattr(entry.card.config, field)
    return None if value is None else value.value


# --- Filters ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_filters_show_exactly_the_models_the_data_says(watch, site_url, catalog, lang, ui):
    w = open_compare(watch, site_url, lang)
    page, models = w.page, catalog.deepseek_models
    everyone = [m.id for m in models]
    assert sorted(visible_models(page)) == sorted(everyone)

    def check(expected: list[str]) -> None:
        page.wait_for_function(
            "n => [...document.querySelectorAll('#all-models tbody tr')].filter(r => !r.hidden).length === n",
            arg=len(expected),
        )
        assert sorted(visible_models(page)) == sorted(expected)
        shown = ui("explore_shown", lang).format(shown=len(expected), total=len(everyone))
        expect(page.locator(".dsp-explorer__count")).to_have_text(shown)

    controls = page.locator(EXPLORER)
    # A research line, then MLA within it, then at least 10 billion parameters.
    line = next(m.paper.line for m in models if _attention(m) == "MLA")
    controls.locator("select[name=line]").select_option(line)
    check([m.id for m in models if m.paper.line == line])
    controls.locator("select[name=attn]").select_option("MLA")
    check([m.id for m in models if m.paper.line == line and _attention(m) == "MLA"])
    controls.locator("input[name=tmin]").fill("10")
    check(
        [
            m.id
            for m in models
            if m.paper.line == line
            and _attention(m) == "MLA"
            and (_count(m, "total_params") or 0) >= 10 * 10**9
        ]
    )
    # Cleared, then: chat or instruct models of one paper, named with a given word.
    controls.locator("button.dsp-explorer__reset").click()
    check(everyone)
    paper = next(m.paper.id for m in models if m.card.variant == "instruct")
    controls.locator("select[name=paper]").select_option(paper)
    controls.locator("select[name=kind]").select_option("chat")
    chat = [m for m in models if m.paper.id == paper and m.card.variant in ("chat", "instruct")]
    check([m.id for m in chat])
    word = chat[0].name.split()[-1].lower()
    controls.locator("input[name=q]").fill(word.upper())
    check([m.id for m in chat if word in m.name.lower()])
    # Cleared, then: a date range (the middle of the papers' dates) and the dense models
    # whose sources state no attention, and a range of activated parameters.
    controls.locator("button.dsp-explorer__reset").click()
    dates = sorted({m.paper.first_date for m in models})
    start, end = dates[len(dates) // 4], dates[3 * len(dates) // 4]
    controls.locator("input[name=from]").fill(start.isoformat())
    controls.locator("input[name=to]").fill(end.isoformat())
    in_range = [m for m in models if start <= m.paper.first_date <= end]
    check([m.id for m in in_range])
    controls.locator("select[name=arch]").select_option("moe")
    controls.locator("input[name=amax]").fill("3")
    check(
        [
            m.id
            for m in in_range
            if m.card.architecture == "moe"
            and _count(m, "activated_params") is not None
            and _count(m, "activated_params") <= 3 * 10**9
        ]
    )
    w.check_clean()


# --- Pinned models ----------------------------------------------------------------------

CONFIG_COLUMNS = (
    "total_params",
    "activated_params",
    "training_tokens",
    "context_length",
    "layers",
    "hidden_size",
    "attention",
    "attention_heads",
    "kv_heads",
    "shared_experts",
    "routed_experts",
    "activated_experts",
    "vocab_size",
)


def expected_shared_scores(results: list[dict[str, str]], models: tuple[str, ...]):
    """(benchmark, sub-task, metric, setting) -> per model the set of (score, source), for
    the keys every model has; a benchmark some table splits into rows for one model is
    compared per row label (its sub-task)."""
    per_table = Counter((r["paper"], r["table"], r["benchmark_id"], r["model_id"]) for r in results)
    split = {benchmark for (_, _, benchmark, _), n in per_table.items() if n > 1}
    found: dict[tuple[str, ...], dict[str, set[tuple[str, str]]]] = {}
    for r in results:
        if r["model_id"] in models:
            subtask = r["benchmark"] if r["benchmark_id"] in split else ""
            key = (r["benchmark_id"], subtask, r["metric"], r["setting"])
            found.setdefault(key, {}).setdefault(r["model_id"], set()).add(
                (r["score"], r["source"], r["checked"] == "true")
            )
    return {key: by_model for key, by_model in found.items() if len(by_model) == len(models)}


SHOWN_SCORES = """rows => rows.map(row => ({
  key: [row.dataset.benchmark, row.dataset.subtask, row.dataset.metric, row.dataset.setting],
  cells: [...row.querySelectorAll("td")].slice(2).map(td => [...td.querySelectorAll("[data-score]")]
    .map(s => [s.dataset.score, document.querySelector(s.querySelector("sup a").getAttribute("href")).textContent,
      s.querySelector(".dsp-ev").textContent.includes("✓")]))
}))"""


@pytest.mark.parametrize("lang", LANGS)
def test_pinning_two_models_shows_their_fields_and_shared_scores(
    watch, site_url, lang, downloads, catalog
):
    w = open_compare(watch, site_url, lang)
    page = w.page
    for model_id in PAIR:
        pin(page, model_id)
    view = pinned_view(page, PAIR)
    # The columns: each model, linked to its paper's page.
    heads = view.locator(".dsp-explorer__fields thead th a")
    expect(heads).to_have_text([catalog.models[m].name for m in PAIR])
    for i, model_id in enumerate(PAIR):
        href = heads.nth(i).get_attribute("href")
        assert f"papers/{catalog.models[model_id].paper.id}" in href, href
    # Every configuration value as models.csv has it, marked where the models differ.
    rows = {r["model_id"]: r for r in downloads["models"]}
    for column in CONFIG_COLUMNS:
        values = [rows[m][column] for m in PAIR]
        row = view.locator(f'.dsp-explorer__fields tr[data-field="{column}"]')
        if not any(values):
            expect(row).to_have_count(0)
            continue
        shown = row.locator("td").evaluate_all("tds => tds.map(td => td.dataset.value ?? '')")
        assert shown == values, column
        assert (row.get_attribute("class") == "dsp-differs") == (len(set(values)) > 1), column
        cells = row.locator("td")
        for i, value in enumerate(values):
            # Each value with its source: a footnote to the list of sources.
            expect(cells.nth(i).locator("sup a")).to_have_count(1 if value else 0)
    # Every shared score, each with its source, as results.csv has them.
    expected = expected_shared_scores(downloads["results"], PAIR)
    assert expected, "the pair shares no score: choose another pair"
    shown = view.locator(".dsp-explorer__scores tbody tr").evaluate_all(SHOWN_SCORES)
    got = {
        tuple(row["key"]): {
            m: {tuple(v) for v in cell} for m, cell in zip(PAIR, row["cells"], strict=True)
        }
        for row in shown
    }
    assert len(got) == len(shown)  # one row per comparable benchmark
    assert got == expected
    # Each row's setting and metric in the page's language, as the results tables show them.
    if lang in ("zh-Hant", "en"):
        words = view.locator(".dsp-explorer__scores tbody tr").evaluate_all(
            "rows => rows.map(r => [r.dataset.setting, r.dataset.metric,"
            " r.cells[1].textContent, r.cells[2].textContent])"
        )
        for setting, metric, setting_shown, metric_shown in words:
            assert metric_shown == vocabulary.localize(metric, lang)
            assert setting_shown == (vocabulary.localize(setting, lang) if setting else "–")
    # The sources link where the paper pages link them.
    links = view.locator(".dsp-explorer__sources a").evaluate_all(
        "els => els.map(a => [a.textContent, a.href])"
    )
    sources = {s.label: s.link for s in _sources(catalog, PAIR)}
    assert links and all(sources[text] == href for text, href in links), links
    w.check_clean()


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_pinned_facts_show_every_value_sources_give(watch, site_url, lang, ui, catalog):
    """DeepSeek-VL2-Small's activated parameters: 2.8B in the paper and the README's
    introduction, 2.4B in the README's demo section; each value with its sources and signs."""
    w = open_compare(watch, site_url, lang)
    page = w.page
    pair = ("deepseek-vl2-small", "deepseek-vl2")
    for model_id in pair:
        pin(page, model_id)
    view = pinned_view(page, pair)
    cell = view.locator('.dsp-explorer__fields tr[data-field="activated_params"] td').first
    expect(cell).to_have_attribute("data-value", "2800000000")
    expect(cell).to_contain_text("2.8B")
    expect(cell).to_contain_text("2.4B")
    expect(cell.locator("sup a")).to_have_count(3)
    signs = cell.locator(".dsp-ev").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    # Each reading's sign names its kind, and that it was checked where the record says so.
    value = catalog.models["deepseek-vl2-small"].card.config.activated_params
    readings = [(v, evidence.of_source(source)) for v, source in value.readings()]
    order = sorted(
        range(len(readings)), key=lambda i: [v for v, _ in readings].index(readings[i][0])
    )
    expected = []
    for i in order:
        name = ui(evidence.text_key(readings[i][1]), lang)
        if catalog.fact_checked("deepseek-vl2-small", "activated_params", i):
            name = ui("checked_evidence", lang).format(kind=name)
        expected.append(name)
    assert signs == expected
    w.check_clean()


def _sources(catalog, models):
    for model_id in models:
        yield from (value.source for _, value in catalog.models[model_id].card.config.items())
    yield from (s.source for s in catalog.scores if s.model in models)


def test_at_most_four_models_pin(watch, site_url, catalog, ui):
    w = open_compare(watch, site_url, "en")
    page = w.page
    chosen = tuple(m.id for m in catalog.deepseek_models[:4])
    for model_id in chosen:
        pin(page, model_id)
    pinned_view(page, chosen)
    fifth = page.locator(f'#all-models tr[data-model="{catalog.deepseek_models[4].id}"] .dsp-pin')
    expect(fifth).to_be_disabled()
    expect(page.locator(".dsp-explorer__pin-status")).to_have_text(ui("explore_pin_limit", "en"))
    page.locator("button.dsp-explorer__unpin").click()
    expect(page.locator("#all-models input.dsp-pin:checked")).to_have_count(0)
    expect(fifth).to_be_enabled()
    w.check_clean()


# --- The view in the address ------------------------------------------------------------

VIEW = """() => ({
  controls: [...document.querySelectorAll("#dsp-explorer [name]")].map(c => [c.name, c.value]),
  rows: [...document.querySelectorAll("#all-models tbody tr")].filter(r => !r.hidden).map(r => r.dataset.model),
  sort: [...document.querySelectorAll("#all-models thead th")].map(th => th.getAttribute("aria-sort")),
  pinned: [...document.querySelectorAll("#all-models input.dsp-pin:checked")].map(b => b.closest("tr").dataset.model),
  comparison: document.querySelector(".dsp-explorer__comparison").innerText,
})"""


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_a_copied_link_reopens_the_same_view(watch, site_url, mode, catalog, lang):
    w = open_compare(watch, site_url, lang)
    page = w.page
    page.evaluate("() => { window.dspSamePage = true; }")  # gone if the page reloads
    controls = page.locator(EXPLORER)
    controls.locator("select[name=arch]").select_option("moe")
    controls.locator("input[name=tmin]").fill("1.5")
    header = page.locator("#all-models thead th").nth(4)  # total parameters
    header.click()
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    for model_id in PAIR:
        pin(page, model_id)
    pinned_view(page, PAIR)
    page.wait_for_function("() => /[?&]pin=.*&pin=/.test(location.search)")
    before = page.evaluate(VIEW)
    assert before["rows"] and before["comparison"]
    link = page.url
    assert page.evaluate("() => window.dspSamePage") is True  # replaceState, no reload

    fresh = watch(link, w.allowed)
    fresh.page.wait_for_selector(READY)
    pinned_view(fresh.page, PAIR)
    assert fresh.page.url == link
    assert fresh.page.evaluate(VIEW) == before
    w.check_clean()
    fresh.check_clean()


# --- Without JavaScript, keyboard, language, accessibility --------------------------------


def test_without_javascript_the_full_table_remains(browser, site_url, downloads, mode):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(site_url("en", "compare")[0], wait_until="load")
        rows = page.locator("#all-models tbody tr")
        ids = [r.get_attribute("data-model") for r in rows.all()]
        assert ids == [r["model_id"] for r in downloads["models"]]
        assert rows.locator(":scope:not([hidden])").count() == len(ids)
        expect(page.locator(f"{EXPLORER} *")).to_have_count(0)  # no control without the script
        expect(page.locator("input.dsp-pin")).to_have_count(0)
    finally:
        context.close()


def test_the_explorer_works_from_the_keyboard(watch, site_url, catalog):
    w = open_compare(watch, site_url, "en")
    page = w.page
    name = page.locator(f"{EXPLORER} input[name=q]")
    name.focus()
    word = catalog.deepseek_models[0].name.split()[0]
    page.keyboard.type(word)
    expected = [m.id for m in catalog.deepseek_models if word.lower() in m.name.lower()]
    page.wait_for_function(
        "n => [...document.querySelectorAll('#all-models tbody tr')].filter(r => !r.hidden).length === n",
        arg=len(expected),
    )
    # Tab moves through the filters in order; a select changes with the arrow keys.
    page.keyboard.press("Tab")
    expect(page.locator(f"{EXPLORER} select[name=line]")).to_be_focused()
    page.keyboard.press("ArrowDown")
    first_line = catalog.lines[0].id
    expect(page.locator(f"{EXPLORER} select[name=line]")).to_have_value(first_line)
    page.wait_for_function(f"() => location.search.includes('line={first_line}')")
    # The reset button is reached and pressed with the keyboard.
    reset = page.locator("button.dsp-explorer__reset")
    reset.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{EXPLORER} select[name=line]")).to_have_value("")
    # A column sorts with Enter; models pin with Space.
    header = page.locator("#all-models thead th").nth(4)
    header.focus()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "ascending")
    for model_id in PAIR:
        pin(page, model_id)
    pinned_view(page, PAIR)
    w.check_clean()


# Every control of the explorer, by its name in the address, and the string it is labelled with.
LABELS = {
    "q": "explore_name",
    "line": "research_line",
    "paper": "paper",
    "kind": "explore_kind",
    "arch": "architecture",
    "attn": "attention",
    "tmin": "explore_min",
    "tmax": "explore_max",
    "amin": "explore_min",
    "amax": "explore_max",
    "from": "explore_from",
    "to": "explore_to",
}
TEXTS = """root => [...root.querySelectorAll("label, legend, option, button, caption, th, h2, h3, p, [placeholder], [aria-label]")]
  .flatMap(e => [e.getAttribute("aria-label"), e.getAttribute("placeholder"), e.getAttribute("title"),
                 e.matches("[placeholder], [aria-label]") && !e.matches("a, button") ? null : e.textContent])
  .filter(Boolean)"""
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("lang", LANGS)
def test_every_control_is_labelled_in_the_pages_language(watch, site_url, lang, ui, catalog):
    w = open_compare(watch, site_url, lang, f"?pin={PAIR[0]}&pin={PAIR[1]}")
    page = w.page
    pinned_view(page, PAIR)
    root = page.locator(EXPLORER)
    for name, key in LABELS.items():
        expect(root.locator(f"[name={name}]")).to_have_accessible_name(ui(key, lang))
    expect(root.locator("[name=q]")).to_have_attribute(
        "placeholder", ui("explore_name_placeholder", lang)
    )
    expect(root.locator("button.dsp-explorer__reset")).to_have_accessible_name(
        ui("explore_reset", lang)
    )
    expect(root.locator("button.dsp-explorer__unpin")).to_have_accessible_name(
        ui("explore_unpin_all", lang)
    )
    for select in root.locator("select").all():
        expect(select.locator("option").first).to_have_text(ui("explore_any", lang))
    boxes = page.locator("#all-models input.dsp-pin")
    names = boxes.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    expect(boxes).to_have_count(len(catalog.deepseek_models))
    assert names == [ui("explore_pin", lang).format(name=m.name) for m in catalog.deepseek_models]
    # No text of the explorer in another language or the other script.
    texts = root.evaluate(TEXTS)
    assert texts
    if lang == "en":
        assert not [text for text in texts if CJK.search(text)]
    else:
        assert not foreign_script("\n".join(texts), lang)
    labels = [ui(key, lang) for key in LABELS.values()]
    if lang != "en":
        assert all(CJK.search(label) for label in labels), labels
    w.check_clean()


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_accessibility_violations_with_filters_and_pins(
    watch, served_site, lang, scheme
):
    url, allowed = url_for("http", served_site, Path("/"), lang, "compare")
    # A reader who prefers dark gets Material's dark scheme ("slate") on a first visit.
    w = watch(
        f"{url}?arch=moe&pin={PAIR[0]}&pin={PAIR[1]}",
        allowed,
        "dark" if scheme == "slate" else "light",
    )
    w.page.wait_for_function(
        "scheme => document.body.getAttribute('data-md-color-scheme') === scheme", arg=scheme
    )
    w.page.wait_for_selector(READY)
    pinned_view(w.page, PAIR)
    serious = serious_violations(w.page)
    assert not serious, serious
