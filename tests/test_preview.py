"""`dspapers serve`: one language previewed live, edits to data shown without a restart."""

from __future__ import annotations

import gc
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CACHE, DSPAPERS, line_of

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared at {url}")


@pytest.fixture
def preview(project, tmp_path):
    """A running `dspapers serve --lang LANG` on a copy of the project (output in serve.log)."""
    processes = []
    log = tmp_path / "serve.log"

    def start(lang: str) -> str:
        port = free_port()
        with open(log, "w", encoding="utf-8") as out:
            process = subprocess.Popen(
                [
                    *DSPAPERS,
                    "--root",
                    str(project),
                    "serve",
                    "--lang",
                    lang,
                    "-a",
                    f"127.0.0.1:{port}",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        processes.append(process)
        return f"http://127.0.0.1:{port}/"

    yield start
    for process in processes:
        process.terminate()
        assert process.wait(timeout=60) == 0
    output = log.read_text(encoding="utf-8")
    assert "Traceback" not in output, output[-3000:]


@pytest.mark.parametrize("lang, prefix", [("en", "en/"), ("zh-Hans", "zh-Hans/")])
def test_a_data_edit_shows_in_the_preview(project, preview, lang, prefix):
    base = preview(lang)
    page_url = f"{base}{prefix}papers/deepseek-v2/"
    wait_for(page_url, "DeepSeek-V2")
    chart_url = f"{base}assets/charts/{lang}/benchmark-deltas-deepseek-v2.svg"
    chart_before = fetch(chart_url)
    assert "<svg" in chart_before

    paper = project / "data/papers/deepseek-v2.yaml"
    text = paper.read_text(encoding="utf-8")
    row = "llama3-70b: 49.8, deepseek-v2: 51.2}"  # AGIEval in the paper's first table
    assert row in text and "63.7" not in fetch(page_url)
    paper.write_text(text.replace(row, row.replace("51.2", "63.7"), 1), encoding="utf-8")
    wait_for(page_url, "63.7")
    # The paper's delta chart plots that row: redrawn with the edit, in the same build.
    assert fetch(chart_url) != chart_before
    # The data downloads follow the pages.
    wait_for(f"{base}downloads/results.csv", "63.7")
    assert "63.7" in fetch(f"{base}downloads/papers.json")

    # Only the previewed language is built; its own search index is there.
    assert '"docs"' in fetch(f"{base}{prefix}search/search_index.json")
    other = "zh-Hans/" if lang == "en" else "en/"
    assert "DeepSeek-V2" not in fetch(f"{base}{other}papers/deepseek-v2/")


def test_a_broken_edit_is_reported_and_the_preview_recovers(project, preview, tmp_path):
    base = preview("en")
    page_url = f"{base}en/papers/deepseek-v2/"
    wait_for(page_url, "DeepSeek-V2")
    paper = project / "data/papers/deepseek-v2.yaml"
    good = paper.read_text(encoding="utf-8")
    paper.write_text(
        good.replace("      layers: 60\n", "      layers: sixty\n", 1), encoding="utf-8"
    )
    line = line_of(paper, "      layers: sixty\n")
    log = tmp_path / "serve.log"
    deadline = time.monotonic() + 60
    while "models[0].config.layers" not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
        time.sleep(0.2)
    assert f"data/papers/deepseek-v2.yaml:{line}:" in log.read_text(encoding="utf-8")
    row = "llama3-70b: 49.8, deepseek-v2: 51.2}"
    paper.write_text(good.replace(row, row.replace("51.2", "63.7"), 1), encoding="utf-8")
    wait_for(page_url, "63.7")


# --- Incremental rebuilds, in this process as `dspapers serve` runs them ------------------

MMLU_V2 = "      llama3-70b: 78.9\n      deepseek-v2: 78.5\n"  # the fixture's MMLU row


def preview_config(project: Path, lang: str, site: Path, cache: Path = CACHE):
    """The MkDocs configuration `dspapers serve --lang LANG` loads for each (re)build."""
    from mkdocs.config import load_config

    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.plugin.settings import plugin_settings, plugins_with

    options = BuildOptions(paths=ProjectPaths.at(project, cache=cache), preview=lang)
    plugins = plugins_with(options.paths.mkdocs_yml, plugin_settings(options))
    return load_config(
        config_file=str(options.paths.mkdocs_yml), site_dir=str(site), plugins=plugins
    )


@pytest.fixture
def server_process():
    """Plugin instances as a new `dspapers serve` process has them.

    MkDocs keeps one instance of each plugin with an `on_startup` hook per process (a
    server's rebuilds reuse it); the builds of earlier tests in this process would
    otherwise hand theirs over. A server sets its lasting objects aside from the garbage
    collector after its first build; the test process gets them back afterwards.
    """
    from mkdocs.config.defaults import MkDocsConfig

    cache = dict(MkDocsConfig._schema)["plugins"].plugin_cache
    saved = dict(cache)
    cache.clear()
    yield cache.clear  # call it to start another process's builds
    cache.clear()
    cache.update(saved)
    gc.unfreeze()


def build_times(site: Path) -> dict[str, int]:
    return {str(path.relative_to(site)): path.stat().st_mtime_ns for path in site.rglob("*.html")}


def tree(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def edit_and_rebuild(
    project: Path, lang: str, site: Path, old: str, new: str, cache: Path = CACHE
) -> tuple[dict[str, int], dict[str, int]]:
    """A preview server's first build, then *old* replaced by *new* in DeepSeek-V2's data
    file and its rebuild: each built page's time before and after."""
    from mkdocs.commands.build import build

    config = preview_config(project, lang, site, cache)
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        # The first edit after the server starts: with charts still to draw (a cold chart
        # cache), they land in the docs tree after the first build, and must not make the
        # next build convert every page.
        build(config, dirty=True)
        before = build_times(site)
        paper = project / "data/papers/deepseek-v2.yaml"
        text = paper.read_text(encoding="utf-8")
        assert text.count(old) == 1
        paper.write_text(text.replace(old, new), encoding="utf-8")
        build(preview_config(project, lang, site, cache), dirty=True)
        return before, build_times(site)
    finally:
        config.plugins.on_shutdown()


@pytest.mark.parametrize("lang, prefix", [("en", "en/"), ("zh-Hant", "")])
def test_a_rebuild_converts_only_the_changed_pages_and_equals_a_clean_build(
    small_project, tmp_path, lang, prefix, server_process
):
    from mkdocs.commands.build import build

    site = tmp_path / "incremental"
    edited = MMLU_V2.replace("78.5", "79.7")
    before, after = edit_and_rebuild(small_project, lang, site, MMLU_V2, edited)

    rebuilt = {page for page in after if after[page] != before.get(page)}
    paper_page = f"{prefix}papers/deepseek-v2/index.html"
    assert paper_page in rebuilt and f"{prefix}benchmarks/mmlu/index.html" in rebuilt
    assert "79.7" in (site / paper_page).read_text(encoding="utf-8")
    # the home page and the other paper do not show that score: not converted again
    assert f"{prefix}index.html" not in rebuilt
    assert f"{prefix}papers/deepseek-llm/index.html" not in rebuilt

    # Everything is as a clean build of the edited project has it: pages, navigation,
    # titles of the pages not converted again, the search index, sitemaps.
    clean = tmp_path / "clean"
    server_process()  # a build of its own, as `dspapers serve` would start it afresh
    config = preview_config(small_project, lang, clean)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    incremental, reference = tree(site), tree(clean)
    assert sorted(incremental) == sorted(reference)
    differing = [name for name in reference if incremental[name] != reference[name]]
    assert differing == []


def test_a_rebuild_converts_only_the_sections_an_edit_changed(
    small_project, tmp_path, server_process
):
    """The charts page shows the edited score in one of its sections: the rebuild converts
    that section and takes the others from the server's first build."""
    from mkdocs.config.defaults import MkDocsConfig

    from generators.plugin.plugin import DsPapersPlugin

    edited = MMLU_V2.replace("78.5", "79.7")
    edit_and_rebuild(small_project, "en", tmp_path / "incremental", MMLU_V2, edited)
    instances = dict(MkDocsConfig._schema)["plugins"].plugin_cache.values()
    plugin = next(p for p in instances if isinstance(p, DsPapersPlugin))
    assert plugin._incremental is not None
    converted, kept = plugin._incremental.sections.counts["charts.en.md"]
    assert 1 <= converted < kept


def test_the_first_edit_after_a_cold_start_converts_only_the_changed_pages(
    small_project, tmp_path, server_process
):
    """A server started with no chart drawn yet (a new checkout) draws them after its first
    build; the first edit still converts only the pages it changes."""
    site = tmp_path / "incremental"
    edited = MMLU_V2.replace("78.5", "79.7")
    cold = tmp_path / "cold-cache"
    before, after = edit_and_rebuild(small_project, "en", site, MMLU_V2, edited, cold)
    assert any((cold / "charts").rglob("*")), "the charts were drawn into the cold cache"
    rebuilt = {page for page in after if after[page] != before.get(page)}
    assert "en/papers/deepseek-v2/index.html" in rebuilt
    assert "en/index.html" not in rebuilt
    assert "en/papers/deepseek-llm/index.html" not in rebuilt


def test_a_change_to_the_navigation_rebuilds_every_page(small_project, tmp_path, server_process):
    site = tmp_path / "incremental"
    # the paper's name is its title in every page's navigation
    name = "\nname: DeepSeek-V2\n"
    edited = "\nname: DeepSeek-V2 (edited)\n"
    before, after = edit_and_rebuild(small_project, "en", site, name, edited)
    assert all(after[page] != before[page] for page in before)
    assert "DeepSeek-V2 (edited)" in (site / "en/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_a_preview_makes_its_languages_pages_and_chart_data_as_a_full_build(small_project, lang):
    """A preview renders only what its language shows (zh-Hans pages derive from zh-Hant),
    and that exactly as a full build does."""
    from generators.charts.render import ChartWorkers
    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.pipeline import Kept, generate

    paths = ProjectPaths.at(small_project, cache=CACHE)
    full = generate(BuildOptions(paths=paths)).files
    with ChartWorkers(workers=1) as workers:
        preview = generate(BuildOptions(paths=paths, preview=lang), kept=Kept(workers=workers))
        assert preview.pending_charts is not None
        workers.collect(preview.pending_charts)
    shown = {"zh-Hant", "zh-Hans"} if lang == "zh-Hans" else {lang}

    def language(path: str) -> str | None:
        if path.endswith(".md"):
            return path.rsplit(".", 2)[-2]
        if path.startswith("downloads/charts/") and path.endswith(".csv"):
            return path.split("/")[2]
        return None

    made = {path for path in preview.files if language(path) is not None}
    assert {language(path) for path in made} == shown
    assert made == {path for path in full if language(path) in shown}
    assert all(preview.files[path] == full[path] for path in made)


def test_a_previews_data_downloads_are_made_after_its_pages(small_project):
    """With the last downloads in the tree, a preview's generation keeps them and leaves the
    new ones to be made once the pages are built; those equal a full build's."""
    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.pipeline import DATA_DOWNLOADS, generate, write

    paths = ProjectPaths.at(small_project, cache=CACHE)
    preview = BuildOptions(paths=paths, preview="en", charts=False)
    first = generate(preview)
    assert first.downloads_later is None  # nothing in the tree yet: made at once
    write(first)
    paper = small_project / "data/papers/deepseek-v2.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace(MMLU_V2, MMLU_V2.replace("78.5", "79.7")),
        encoding="utf-8",
    )
    edited = generate(preview)
    assert edited.downloads_later is not None
    assert all(edited.files[path] == first.files[path] for path in DATA_DOWNLOADS)
    later = edited.downloads_later()
    full = generate(BuildOptions(paths=paths, charts=False)).files
    assert set(later) == set(DATA_DOWNLOADS)
    assert all(later[path] == full[path] for path in DATA_DOWNLOADS)
    assert b"79.7" in later["downloads/results.csv"]


def test_a_server_sets_its_lasting_objects_aside_once(small_project, tmp_path, server_process):
    """After its first build a preview server freezes what it keeps (so the collector's full
    collections during rebuilds skip it), once: later builds' objects are collected as usual."""
    from mkdocs.commands.build import build

    site = tmp_path / "site"
    config = preview_config(small_project, "en", site)
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        gc.unfreeze()
        build(config, dirty=True)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        build(preview_config(small_project, "en", site), dirty=True)
        # Not frozen again (which would add this build's objects); some frozen ones have
        # since been freed (what the first build held and the second replaced).
        assert gc.get_freeze_count() <= frozen
    finally:
        config.plugins.on_shutdown()


def test_the_preview_looks_for_edits_ten_times_as_often(tmp_path):
    """MkDocs' server polls every 0.5 s; a preview polls every 0.05 s, still watching the
    paths it watched before (and nothing it did not), and waits less after a change."""
    from mkdocs.livereload import LiveReloadServer

    from generators.plugin.preview import POLL_INTERVAL, SETTLE, poll_often

    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(config_file))
    assert server.observer.timeout == 0.5
    watched = [emitter.watch for emitter in server.observer.emitters]
    poll_often(server, [str(config_file), str(tmp_path / "theme"), None])
    assert server.observer.timeout == POLL_INTERVAL < 0.5
    assert server.build_delay == SETTLE < POLL_INTERVAL
    assert [emitter.watch for emitter in server.observer.emitters] == watched
    assert len(watched) == 1
    server.watch(str(tmp_path / "data"))  # mkdocs.yml's `watch:` paths come after
    assert len(server.observer.emitters) == 2


def test_the_pollers_rest_during_a_rebuild_and_then_find_what_was_saved_meanwhile(
    tmp_path, monkeypatch
):
    """A file saved while a rebuild runs is reported by the first look after it, not lost."""
    import threading

    from mkdocs.livereload import LiveReloadServer
    from watchdog.events import FileSystemEventHandler

    from generators.plugin import preview

    class Idle(threading.Event):
        """The rebuild's flag, telling the test when a poller waits on it."""

        def __init__(self) -> None:
            super().__init__()
            self.waited_on = threading.Event()

        def wait(self, timeout: float | None = None) -> bool:
            if not self.is_set():
                self.waited_on.set()
            return super().wait(timeout)

    class Seen(FileSystemEventHandler):
        def __init__(self) -> None:
            self.changed = threading.Event()

        def on_any_event(self, event) -> None:
            self.changed.set()

    idle = Idle()
    idle.set()
    monkeypatch.setattr(preview, "NOT_BUILDING", idle)
    watched = tmp_path / "data"
    watched.mkdir()
    (watched / "paper.yaml").write_text("a: 1\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    preview.poll_often(server, [])
    seen = Seen()
    server.observer.schedule(seen, str(watched))
    server.observer.start()
    try:
        idle.clear()  # a rebuild starts
        assert idle.waited_on.wait(timeout=60), "the poller never came to rest"
        (watched / "paper.yaml").write_text("a: 22\n", encoding="utf-8")
        assert not seen.changed.wait(timeout=10 * preview.POLL_INTERVAL), "it looked meanwhile"
        idle.set()  # the rebuild is over
        assert seen.changed.wait(timeout=60), "the change saved during the rebuild was lost"
    finally:
        idle.set()
        server.observer.stop()
        server.observer.join(timeout=60)


def test_the_work_after_a_rebuild_waits_for_the_readers_page(tmp_path):
    """A server answers the browser's reload first; a long poll for the next reload does not
    count, and a rebuild (or the shutdown) does not wait for a reader."""
    import threading
    from wsgiref.util import setup_testing_defaults

    from mkdocs.livereload import LiveReloadServer

    from generators.plugin.preview import AfterPages

    (tmp_path / "index.html").write_text("<html><body>page</body></html>", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    after = AfterPages()
    after.serve_pages_first(server)
    app = server.get_app()

    def request(path: str) -> None:
        environ: dict[str, object] = {"PATH_INFO": path}
        setup_testing_defaults(environ)
        b"".join(app(environ, lambda status, headers: None))

    done = threading.Event()
    after.start(done.set)
    request("/livereload/0/0")
    assert not done.wait(timeout=0.2), "the work started before the reader's page"
    request("/")
    assert done.wait(timeout=60), "the reader's page did not let the work start"
    after.wait()

    done.clear()
    after.start(done.set)
    after.wait()  # the next rebuild: no reader to wait for
    assert done.is_set()


def test_static_i18ns_language_files_are_made_once_and_handed_out_as_copies(tmp_path):
    """A rebuild's language files are the ones static-i18n would make, each build's its own."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File
    from mkdocs_static_i18n import suffix

    from generators.plugin.preview import keep_language_files

    keep_language_files()
    kept = suffix.create_i18n_file
    make = kept.__wrapped__
    root = Path(__file__).resolve().parents[1]
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    languages = ["zh-Hant", "zh-Hans", "en"]
    sources = ["index.zh-Hant.md", "papers/deepseek-v2.en.md", "assets/charts/en/lineage.svg"]

    def made(file: File) -> dict[str, object]:
        return {k: v for k, v in vars(file).items() if k != "alternates"}

    for lang in ("zh-Hant", "en"):
        for source in sources:
            file = File(source, config.docs_dir, config.site_dir, config.use_directory_urls)
            first = kept(file, lang, "zh-Hant", languages, config)
            assert made(first) == made(make(file, lang, "zh-Hant", languages, config))
            assert first.alternates == {lang: first}
            # What a build sets on its files stays with that build.
            first.alternates["zh-Hans"] = first
            first.page = object()
            again = kept(file, lang, "zh-Hant", languages, config)
            assert again is not first and again.alternates == {lang: again}
            assert again.page is None
            assert made(again) == made(make(file, lang, "zh-Hant", languages, config))


def test_a_rebuild_takes_over_the_work_left_after_the_last_one():
    """Steps not begun are left to the rebuild; a step that looks at `stopping` ends early."""
    import threading

    from generators.plugin.preview import AfterPages

    after = AfterPages()
    began, left = threading.Event(), threading.Event()

    def long_step() -> None:
        began.set()
        assert after.stopping.wait(timeout=60), "never interrupted"

    after.start(long_step, left.set)
    assert began.wait(timeout=60)
    after.interrupt()
    assert not left.is_set() and not after.stopping.is_set()
    after.start(left.set)  # the rebuild's own steps run
    after.wait()
    assert left.is_set()


def test_search_entries_an_interrupted_step_left_are_made_by_the_next(tmp_path):
    """The index is then what the two steps in turn would have made: every page once, in the
    order of the first build, each with its newest text."""
    import json
    import threading

    from generators.plugin.preview import IncrementalPreview, _PageText

    class Reader:
        def __init__(self) -> None:
            self.entries: list[dict[str, str]] = []

        def add_entry_from_context(self, page: _PageText) -> None:
            self.entries.append({"location": page.url, "text": page.content})

    def text(url: str, content: str) -> _PageText:
        return _PageText(url=url, title=url, meta={}, toc=[], content=content)

    def docs(interrupt: bool) -> list[dict[str, str]]:
        site = tmp_path / ("interrupted" if interrupt else "whole")
        (site / "search").mkdir(parents=True)
        index = site / "search" / "search_index.json"
        index.write_text(json.dumps({"config": {}, "docs": []}), encoding="utf-8")
        preview, stopping = IncrementalPreview(), threading.Event()
        preview.search = (Reader, {})
        preview.to_index = [text("a/", "A1"), text("b/", "B1"), text("c/", "C1")]
        first = preview.index_later(site, lambda: None, stopping)
        if interrupt:
            stopping.set()
        first()
        if interrupt:
            assert json.loads(index.read_text(encoding="utf-8"))["docs"] == []
            assert [page.url for page in preview.unindexed] == ["a/", "b/", "c/"]
        stopping.clear()
        preview.to_index = [text("b/", "B2")]
        preview.index_later(site, lambda: None, stopping)()
        assert preview.unindexed == []
        return json.loads(index.read_text(encoding="utf-8"))["docs"]

    expected = [
        {"location": "a/", "text": "A1"},
        {"location": "b/", "text": "B2"},
        {"location": "c/", "text": "C1"},
    ]
    assert docs(interrupt=False) == expected
    assert docs(interrupt=True) == expected
