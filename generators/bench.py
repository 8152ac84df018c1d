"""`make bench`: build-speed and page-weight figures, measured on this machine.

Every scenario runs in a throwaway copy of the project (data and prose copied, code
linked) with its own chart cache, as separate processes, so caches and imports are as
a user meets them. Prints medians and ratios to the plain-MkDocs baseline.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import psutil
import yaml
from mkdocs.utils.yaml import yaml_load

from .options import BuildOptions
from .paths import ProjectPaths, offline_export
from .plugin import page_cache
from .write import atomic_write

DSPAPERS = [sys.executable, "-m", "generators.cli"]
CORES = os.cpu_count() or 1


def _copy_project(root: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("data", "content"):
        shutil.copytree(root / name, dest / name)
    shutil.copy(root / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("generators", "node_modules"):
        (dest / name).symlink_to(root / name, target_is_directory=True)
    return dest


def _process_tree_pss_kb(root_pid: int) -> int:
    """Memory in use by a process and all its descendants (PSS: shared pages split fairly)."""
    try:
        root = psutil.Process(root_pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in tree:
        try:
            total += process.memory_full_info().pss // 1024
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def _run(
    args: list[str], env: dict[str, str], cwd: Path, *, memory: bool = False
) -> tuple[float, str]:
    """Wall time and output of one command; with *memory*, the output ends with its peak PSS."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        process = subprocess.Popen(
            args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, text=True
        )
        peak = 0
        while process.poll() is None:
            if memory:
                peak = max(peak, _process_tree_pss_kb(process.pid))
            time.sleep(0.5 if memory else 0.02)
        elapsed = time.perf_counter() - start
        out.seek(0)
        output = out.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{output[-2000:]}")
    return elapsed, output + (f"\npeak-pss-kb {peak}\n" if memory else "")


def _charts_drawn(output: str) -> tuple[int, list[str]]:
    match = re.search(r"charts: (\d+) drawn .*?\((.*)\)", output)
    return (int(match.group(1)), match.group(2).split(", ")) if match else (0, [])


def _decks_built(output: str) -> tuple[int, float]:
    """Decks built and the seconds they took, from the build's log line."""
    match = re.search(r"slides: (\d+) decks built in ([\d.]+) s", output)
    return (int(match.group(1)), float(match.group(2))) if match else (0, 0.0)


def _generated_written(output: str) -> int:
    if "site is up to date" in output:
        return 0
    match = re.search(r"generated tree: (\d+) written", output)
    return int(match.group(1)) if match else -1


class _LoadedAssets(HTMLParser):
    """The scripts and stylesheets a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        ref = found.get("src") if tag == "script" else found.get("href") if tag == "link" else None
        if ref and ref.split("#")[0].split("?")[0].endswith((".js", ".css")):
            self.refs.append(ref.split("#")[0].split("?")[0])


def _page_weight(site: Path, page: str, zipped: dict[Path, int] | None = None) -> int:
    """gzip bytes of a page's HTML and the CSS/JS it loads (charts and images aside);
    *zipped* keeps each asset's gzip size for the next page."""
    zipped = {} if zipped is None else zipped
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    total = len(gzip.compress(html.encode("utf-8")))
    parser = _LoadedAssets()
    parser.feed(html)
    for ref in parser.refs:
        asset = (html_path.parent / ref).resolve()
        if asset not in zipped and asset.is_file():
            zipped[asset] = len(gzip.compress(asset.read_bytes()))
        total += zipped.get(asset, 0)
    return total


PAGE_TARGET_KB = 100.0  # every page's first load: its HTML, CSS and JS, gzip


def _first_loads(site: Path) -> dict[str, Any]:
    """Every page's first-load weight: the heaviest, and how many exceed the target."""
    zipped: dict[Path, int] = {}
    weights = {
        page.relative_to(site).as_posix(): _page_weight(
            site, page.relative_to(site).as_posix(), zipped
        )
        for page in sorted(site.rglob("*.html"))
    }
    heaviest = max(weights, key=weights.__getitem__)
    over = sum(1 for w in weights.values() if w > PAGE_TARGET_KB * 1000)
    return {"pages": len(weights), "heaviest": (heaviest, weights[heaviest]), "over": over}


SEARCH_TARGET_S = 1.5  # from a page's load to the first search results
SEARCH_QUERIES = {  # a phrase in the language, and a name
    "zh-Hant": ("混合專家", "MLA"),
    "zh-Hans": ("混合专家", "MLA"),
    "en": ("mixture of experts", "MLA"),
}
SEARCH_PAGE = "papers/deepseek-v2/"
# Results listed, or the theme's "no results" line: the search has answered.
_SEARCH_ANSWERED = """() => {
  const none = JSON.parse(document.getElementById("__config").textContent)
    .translations["search.result.none"];
  const meta = document.querySelector(".md-search-result__meta");
  return document.querySelector(".md-search-result__item") !== null
    || (meta !== null && meta.textContent.trim() === none);
}"""
CHROMIUM = "/usr/bin/chromium"  # Debian's, as the browser tests use it


def _search_latency(site: Path) -> dict[str, list[float]]:
    """Seconds from a page's load to the first search results, in Chromium with an empty
    cache (the search index downloaded and read after the page loads), per language."""
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    found: dict[str, list[float]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for lang, queries in SEARCH_QUERIES.items():
                prefix = "" if lang == "zh-Hant" else f"{lang}/"
                found[lang] = []
                for query in queries:
                    context = browser.new_context()  # nothing cached
                    page = context.new_page()
                    page.goto(address + prefix + SEARCH_PAGE, wait_until="load")
                    start = time.perf_counter()
                    box = page.locator("input.md-search__input")
                    box.click()
                    box.fill(query)
                    page.wait_for_function(_SEARCH_ANSWERED, timeout=60_000)
                    found[lang].append(time.perf_counter() - start)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    return found


def _synthetic(project: Path, papers: int) -> None:
    """Grow the data to *papers* papers by cloning real ones under new ids (bench only).

    A clone compares its own models against baselines only: keeping other papers' DeepSeek
    models would make every clone re-score them, a catalogue no real one resembles.
    """
    sources = sorted((project / "data" / "papers").glob("*.yaml"))
    own_models = {
        path.stem: {m["id"] for m in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]}
        for path in sources
    }
    deepseek_models = set().union(*own_models.values())
    n = 0
    while len(list((project / "data" / "papers").glob("*.yaml"))) < papers:
        source = sources[n % len(sources)]
        n += 1
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        foreign = deepseek_models - own_models[source.stem]
        for table in data.get("comparisons", []):
            table["columns"] = [c for c in table["columns"] if c["model"] not in foreign]
            for row in table["rows"]:
                row["scores"] = {k: v for k, v in row["scores"].items() if k not in foreign}
        data["comparisons"] = [
            t
            for t in data.get("comparisons", [])
            if {t["headline"], t["baseline"]} <= {c["model"] for c in t["columns"]}
        ]
        if not data["comparisons"] and (data.get("coverage") or {}).get("holds") == "tables":
            continue  # its tables compare other papers' models only: no clone of it holds one
        for claim in data.get("claims", []):
            if claim.get("versus") in foreign:
                claim.pop("versus")
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        suffix = f"-synthetic-{n}"
        ids = [data["id"]] + [m["id"] for m in data["models"]]
        for ident in sorted(ids, key=len, reverse=True):
            text = re.sub(rf"(?<![\w.-]){re.escape(ident)}(?![\w.-])", ident + suffix, text)
        atomic_write(project / "data" / "papers" / f"{data['id']}{suffix}.yaml", text)


PREVIEW_ROW = "llama3-70b: 49.8, deepseek-v2: 51.2}"  # AGIEval, DeepSeek-V2 Table 2


def _preview_latency(bench: _Bench, lang: str, edits: int) -> dict[str, Any]:
    """Seconds from saving a data file to the edited value being served by `dspapers serve`
    (`edits`), and from starting the server to its first page (`first_build`: a one-language
    build, the yardstick for a machine of other speed)."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prefix = "" if lang == "zh-Hant" else f"{lang}/"
    url = f"http://127.0.0.1:{port}/{prefix}papers/deepseek-v2/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                body: bytes = response.read()
                return body.decode("utf-8")
        except OSError:
            return ""

    def wait_for(text: str, limit: float = 300) -> None:
        deadline = time.monotonic() + limit
        while text not in page():
            if time.monotonic() > deadline:
                raise RuntimeError(f"preview never showed {text!r}")
            time.sleep(0.05)

    project = bench.project
    paper = project / "data" / "papers" / "deepseek-v2.yaml"
    original = paper.read_text(encoding="utf-8")
    if PREVIEW_ROW not in original:
        raise RuntimeError(
            f"the preview benchmark edits {PREVIEW_ROW!r}, which is no longer in {paper}"
        )
    process = subprocess.Popen(
        bench.dspapers(project, "serve", "--lang", lang, "-a", f"127.0.0.1:{port}"),
        env=bench.env,
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    latencies = []
    try:
        wait_for("DeepSeek-V2")
        first_build = time.perf_counter() - started
        for i in range(edits):
            value = f"{63 + i}.7"
            time.sleep(2)  # the server is idle again
            paper.write_text(
                original.replace(PREVIEW_ROW, PREVIEW_ROW.replace("51.2", value), 1),
                encoding="utf-8",
            )
            saved = time.perf_counter()
            wait_for(value, limit=60)
            latencies.append(time.perf_counter() - saved)
        print(
            f"  preview ({lang}): first build {first_build:.2f} s; "
            f"data edit shown after {[round(t, 2) for t in latencies]} s",
            flush=True,
        )
    finally:
        paper.write_text(original, encoding="utf-8")
        process.terminate()
        process.wait(timeout=60)
    return {"first_build": first_build, "edits": latencies}


@dataclass
class _Bench:
    """One bench run: a throwaway project, its own chart cache, the figures gathered."""

    root: Path
    work: Path
    runs: int
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def project(self) -> Path:
        return self.work / "project"

    @property
    def cache(self) -> Path:
        return self.work / "cache"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}

    def dspapers(self, project: Path, *args: str) -> list[str]:
        """The command line of `dspapers` on *project*, with this run's chart cache."""
        return [*DSPAPERS, "--root", str(project), "--cache-dir", str(self.cache), *args]

    def scenario(
        self,
        name: str,
        prepare: Callable[[int], None] | None = None,
        count: int | None = None,
        extra: tuple[str, ...] = (),
    ) -> None:
        """Median wall time of `dspapers build`, with what each run drew and wrote."""
        times, drawn, written, charts, matplotlib = [], [], [], set(), False
        decks: list[tuple[int, float]] = []
        for i in range(self.runs if count is None else count):
            if prepare:
                prepare(i)
            seconds, output = _run(
                self.dspapers(self.project, "build", "-v", *extra), self.env, self.project
            )
            times.append(seconds)
            n, ids = _charts_drawn(output)
            drawn.append(n)
            charts.update(ids)
            written.append(_generated_written(output))
            decks.append(_decks_built(output))
            matplotlib = matplotlib or "matplotlib imported: yes" in output
        self.results[name] = {
            "median": statistics.median(times),
            "runs": times,
            "charts": drawn,
            "chart_ids": sorted(charts),
            "written": written,
            "matplotlib": matplotlib,
            "decks": decks,
        }
        print(
            f"  {name:<40} {statistics.median(times):6.2f} s  charts drawn {drawn}, "
            f"generated files written {written}, matplotlib {'imported' if matplotlib else 'not imported'}",
            flush=True,
        )

    def rebuild(self) -> None:
        _run(self.dspapers(self.project, "build"), self.env, self.project)


def run(root: Path, runs: int = 3, papers: int = 300) -> int:
    """Every scenario, then the summary table; 0 when all ran."""
    with tempfile.TemporaryDirectory(prefix="dspapers-bench-") as tmp:
        bench = _Bench(root=root, work=Path(tmp), runs=runs)
        _copy_project(root, bench.project)
        reference = machine_reference()
        bench.results["machine"] = reference
        print(
            f"deepseek-papers bench: {CORES} cores, {runs} runs per scenario; "
            f"machine reference {reference:.0f} ms"
        )
        _builds(bench)
        _baseline(bench)
        bench.results["preview"] = {
            lang: _preview_latency(bench, lang, edits=runs) for lang in ("zh-Hant", "en")
        }
        _chart_throughput(bench)
        _weights(bench)
        _offline_sizes(bench)
        _verify_speed(bench)
        _scale(bench, papers)
    _print_summary(bench.results, CORES)
    return 0


def machine_reference() -> float:
    """Milliseconds a fixed CPU-bound loop takes here (best of 5): a machine's speed.

    Figures from two machines compare once each is divided by its machine's reference.
    """
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _builds(bench: _Bench) -> None:
    """`dspapers build`: cold, unchanged, one paper edited, one hand-written page edited."""

    def cold(_: int) -> None:
        for folder in (bench.cache, bench.project / "build", bench.project / "site"):
            shutil.rmtree(folder, ignore_errors=True)

    bench.scenario("cold build (no caches)", cold, count=max(2, bench.runs - 1))
    bench.scenario("up to date (nothing changed)")
    bench.scenario("no-change rebuild", extra=("--force",))
    bench.scenario("no-change rebuild, one process (--jobs 1)", extra=("--force", "--jobs", "1"))
    paper = bench.project / "data" / "papers" / "deepseek-v2.yaml"
    original = paper.read_text(encoding="utf-8")

    def edit_paper(i: int) -> None:
        paper.write_text(
            original.replace("name: DeepSeek-V2\n", f"name: DeepSeek-V2 ({i})\n", 1),
            encoding="utf-8",
        )

    bench.scenario("rebuild after editing one paper", edit_paper)
    print(
        f"    charts redrawn: {', '.join(bench.results['rebuild after editing one paper']['chart_ids'])}"
    )
    paper.write_text(original, encoding="utf-8")
    bench.rebuild()
    prose = bench.project / "content" / "about.en.md"
    prose_original = prose.read_text(encoding="utf-8")

    def edit_prose(i: int) -> None:
        prose.write_text(prose_original + f"\n\nEdited {i}.\n", encoding="utf-8")

    bench.scenario("rebuild after editing one page", edit_prose)
    prose.write_text(prose_original, encoding="utf-8")
    bench.rebuild()


def _baseline(bench: _Bench) -> None:
    """Plain MkDocs + static-i18n over exactly the pages just generated: no dspapers plugin.

    Its configuration inherits mkdocs.yml and replaces only what the plugin would set: the
    docs folder, the navigation and its translations, and the plugin list without dspapers.
    """
    from .pipeline import generate
    from .plugin.settings import PLUGIN

    generation = generate(_options(bench, bench.project, charts=False))
    with open(bench.project / "mkdocs.yml", encoding="utf-8") as handle:
        declared = yaml_load(handle)["plugins"]
    plugins = []
    for entry in declared:
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "i18n":
            for language in entry["i18n"]["languages"]:
                language["nav_translations"] = generation.shape.nav_translations.get(
                    language["locale"], {}
                )
        if name != PLUGIN:
            plugins.append(entry)
    config = {
        "INHERIT": "mkdocs.yml",
        "docs_dir": "build/docs",
        "nav": generation.shape.nav,
        "plugins": plugins,
    }
    baseline = bench.project / "baseline.yml"
    atomic_write(baseline, yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    mkdocs = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "-f",
        str(baseline),
        "-d",
        str(bench.project / "baseline-site"),
    ]
    times = [_run(mkdocs, bench.env, bench.project)[0] for _ in range(bench.runs)]
    bench.results["baseline"] = {"median": statistics.median(times), "runs": times}
    print(f"  {'baseline: plain mkdocs build':<40} {statistics.median(times):6.2f} s", flush=True)


def _options(bench: _Bench, project: Path, **flags: Any) -> BuildOptions:
    """The options `dspapers --root PROJECT --cache-dir CACHE build` would use."""
    paths = dataclasses.replace(ProjectPaths.at(project), cache=bench.cache)
    return BuildOptions(paths=paths, **flags)


def _chart_throughput(bench: _Bench) -> None:
    """Drawing speed, one worker against all cores, on the same stale charts."""
    from .charts import render as chart_render
    from .charts.plan import plan as chart_plan
    from .i18n import HansConverter
    from .pipeline import generate

    catalog = generate(_options(bench, bench.project, charts=False)).catalog
    jobs = chart_render.jobs(
        chart_plan(catalog, catalog.charts)[:4], catalog, HansConverter(catalog.overrides)
    )
    speed = {}
    for workers in sorted({1, CORES}):
        start = time.perf_counter()
        chart_render.render_all(jobs, bench.work / f"cache-{workers}", workers=workers)
        speed[workers] = time.perf_counter() - start
    bench.results["charts"] = {
        "jobs": len(jobs),
        "seconds": speed,
        "per_second": len(jobs) / speed[CORES],
    }


def _verify_speed(bench: _Bench) -> None:
    """`dspapers verify` over the documents this checkout has (.sources/): every number
    looked up, first with an empty text cache, then with the one that run left."""
    sources = bench.root / ".sources"
    documents = sorted(p for p in sources.glob("*") if p.suffix in {".pdf", ".md"})
    if not documents:
        bench.results["verify"] = None
        print("  verify: no documents in .sources/ (dspapers documents fetch); not measured")
        return
    args = [
        *DSPAPERS,
        "--root", str(bench.project),
        "--cache-dir", str(bench.work / "verify-cache"),
        "--sources-dir", str(sources),
        "verify",
    ]  # fmt: skip
    seconds = {}
    for run in ("cold", "warm"):
        start = time.perf_counter()
        done = subprocess.run(args, env=bench.env, cwd=bench.project, capture_output=True)
        seconds[run] = time.perf_counter() - start
        if done.returncode not in (0, 1):  # 1: some number not found, still a full run
            raise RuntimeError(f"dspapers verify failed:\n{done.stderr.decode()[-2000:]}")
    bench.results["verify"] = {"documents": len(documents), **seconds}
    print(
        f"  verify: {len(documents)} documents, cold {seconds['cold']:.2f} s, "
        f"warm {seconds['warm']:.2f} s",
        flush=True,
    )


def _weights(bench: _Bench) -> None:
    site = bench.project / "site"
    weight = _page_weight(site, "papers/deepseek-v2/index.html")
    svgs = sorted((p.stat().st_size, p.name) for p in (site / "assets" / "charts").rglob("*.svg"))
    bench.results["weight"] = {
        "paper_page_gzip": weight,
        "largest_svg": svgs[-1],
        "first_loads": _first_loads(site),
    }
    bench.results["search"] = _search_latency(site)


OFFLINE_TARGET_MB = 15.0  # the light offline export's zip, all three languages


def _offline_zip(bench: _Bench, project: Path, *flags: str) -> tuple[int, float]:
    """`dspapers offline [FLAGS]` on *project*: the zip's size in bytes and the seconds."""
    dist = project / "dist"
    seconds, _ = _run(
        bench.dspapers(project, "offline", "--dist", str(dist), *flags), bench.env, project
    )
    _, archive = offline_export(dist, with_slides="--with-slides" in flags)
    return archive.stat().st_size, seconds


def _offline_sizes(bench: _Bench) -> None:
    """The offline export's zip: light (the default) and with the slide downloads; and how
    the light one grows, measured on a catalogue of twice the papers (each added paper a
    clone of a real one, with its pages, its charts and its scores on the benchmark pages)."""
    papers = len(list((bench.project / "data" / "papers").glob("*.yaml")))
    light, light_s = _offline_zip(bench, bench.project)
    full, full_s = _offline_zip(bench, bench.project, "--with-slides")
    grown_project = _copy_project(bench.root, bench.work / "offline-grown")
    _synthetic(grown_project, 2 * papers)
    grown, _ = _offline_zip(bench, grown_project)
    per_paper = (grown - light) / papers
    bench.results["offline"] = {
        "papers": papers,
        "light": light,
        "light_seconds": light_s,
        "full": full,
        "full_seconds": full_s,
        "grown": grown,
        "per_paper": per_paper,
        "papers_at_target": (
            papers + (OFFLINE_TARGET_MB * 1e6 - light) / per_paper if per_paper > 0 else None
        ),
    }
    print(
        f"  offline zip: light {light / 1e6:.1f} MB, with slides {full / 1e6:.1f} MB; "
        f"{2 * papers} papers: light {grown / 1e6:.1f} MB",
        flush=True,
    )


SCORE_ROW = "<tr data-paper="  # one score in a benchmark page's table (templates/benchmark.md.j2)


def _page_kind(source: str) -> str:
    """A page's kind from its source path: paper, benchmark (a view or a part of one), listing."""
    path = re.sub(r"\.(zh-Hant|zh-Hans|en)\.md$|\.md$", "", source)
    if re.fullmatch(r"papers/[^/]+", path) and path != "papers/index":
        return "paper"
    if re.fullmatch(r"benchmarks/[^/]+(/\d+)?", path) and path != "benchmarks/index":
        return "benchmark"
    return "listing"


def page_costs_by_kind(costs: list[tuple[str, float, int]]) -> dict[str, Any]:
    """Per kind of page, what one page costs: (source path, CPU ms, score rows) in.

    Paper pages: the median. Benchmark pages grow with the scores they list, up to a
    fixed number a page: a line fitted to cost against rows (fixed part and cost per
    score). Listing pages (home, papers, compare, charts, ...) list the whole catalogue
    by design, one page each: their total only.
    """
    kinds: dict[str, list[tuple[float, int]]] = {"paper": [], "benchmark": [], "listing": []}
    for source, ms, rows in costs:
        kinds[_page_kind(source)].append((ms, rows))
    papers = [ms for ms, _ in kinds["paper"]]
    bench_ms = [ms for ms, _ in kinds["benchmark"]]
    bench_rows = [rows for _, rows in kinds["benchmark"]]
    fit = statistics.linear_regression(bench_rows, bench_ms) if len(set(bench_rows)) > 1 else None
    return {
        "paper": {"pages": len(papers), "median_ms": statistics.median(papers) if papers else 0.0},
        "benchmark": {
            "pages": len(bench_ms),
            "rows": sum(bench_rows),
            "fixed_ms": fit.intercept if fit else 0.0,
            "per_score_ms": fit.slope if fit else 0.0,
            "max_rows": max(bench_rows, default=0),
        },
        "listing": {
            "pages": len(kinds["listing"]),
            "total_ms": sum(ms for ms, _ in kinds["listing"]),
        },
    }


def _page_costs(project: Path) -> list[tuple[str, float, int]]:
    """What the page-cost hook recorded in *project*, with each page's score rows."""
    costs = []
    for log in sorted((project / "page-costs").glob("*.jsonl")):
        for line in log.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            markdown = project / "build" / "docs" / record["page"]
            rows = (
                markdown.read_text(encoding="utf-8").count(SCORE_ROW) if markdown.is_file() else 0
            )
            costs.append((record["page"], record["cpu_ms"], rows))
    return costs


def _scale(bench: _Bench, papers: int) -> None:
    """A synthetic catalogue, charts off, time per page against the real site.

    Each timing is the second of two builds, so both meet warm template caches, and
    converts every page: the pages kept by the first build are let go first (what is
    measured is the work per page, not the cache). Memory is sampled in a third build:
    reading it costs CPU that would skew the timing. The second build also records each
    page's CPU time (the `page_costs` hook, added to these copies only), so each kind of
    page compares with its own kind: the synthetic catalogue's mix of pages is not the
    real site's.
    """
    hook = Path(__file__).with_name("page_costs.py")
    real_project = _copy_project(bench.root, bench.work / "scale-real")
    scale_project = _copy_project(bench.root, bench.work / "scale")
    _synthetic(scale_project, papers)
    measured = {}
    for name, where in (("real", real_project), ("synthetic", scale_project)):
        config = where / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8") + f"\nhooks:\n  - {json.dumps(str(hook))}\n",
            encoding="utf-8",
        )
        command = bench.dspapers(where, "build", "--no-charts", "--force")
        _run(command, bench.env, where)
        shutil.rmtree(where / "page-costs")
        shutil.rmtree(bench.cache / page_cache.FOLDER, ignore_errors=True)
        seconds, _ = _run(command, bench.env, where)
        by_kind = page_costs_by_kind(_page_costs(where))
        shutil.rmtree(bench.cache / page_cache.FOLDER, ignore_errors=True)
        _, output = _run(command, bench.env, where, memory=True)
        pages = len(list((where / "site").rglob("*.html")))
        match = re.search(r"peak-pss-kb (\d+)", output)
        peak_mb = int(match.group(1)) / 1024 if match else 0.0
        measured[name] = {
            "seconds": seconds,
            "pages": pages,
            "per_page_ms": 1000 * seconds / pages,
            "peak_mb": peak_mb,
            "by_kind": by_kind,
        }
    bench.results["scale"] = {"papers": papers, **measured}


def _print_loads_and_search(loads: dict[str, Any], search: dict[str, list[float]]) -> None:
    print(
        f"every page's first load: {loads['pages']} pages, heaviest {loads['heaviest'][0]} "
        f"{loads['heaviest'][1] / 1000:.1f} KB; {loads['over']} over {PAGE_TARGET_KB:.0f} KB"
    )
    for lang, seconds in search.items():
        print(
            f"search ({lang}, Chromium, empty cache): first results {max(seconds):.2f} s after "
            f"the page loads at most ({', '.join(f'{t:.2f}' for t in seconds)}; "
            f"target ≤ {SEARCH_TARGET_S} s)"
        )


def _print_summary(results: dict[str, Any], cores: int) -> None:
    base = results["baseline"]["median"]
    print()
    print("| scenario | median (s) | × baseline | charts drawn | generated files written |")
    print("|---|--:|--:|--:|--:|")
    for name in (
        "cold build (no caches)",
        "up to date (nothing changed)",
        "no-change rebuild",
        "no-change rebuild, one process (--jobs 1)",
        "rebuild after editing one paper",
        "rebuild after editing one page",
    ):
        r = results[name]
        print(
            f"| {name} | {r['median']:.2f} | {r['median'] / base:.2f} | {max(r['charts'])} | {max(r['written'])} |"
        )
    print(f"| plain MkDocs + static-i18n, same pages (baseline) | {base:.2f} | 1.00 | – | – |")
    print()
    print(
        f"machine reference: {results['machine']:.0f} ms for a fixed CPU-bound loop "
        f"(generators/bench.py machine_reference; divide a figure by it to compare machines)"
    )
    changed = results["rebuild after editing one paper"]
    print(
        f"editing one paper redrew {max(changed['charts'])} chart files of {len(changed['chart_ids'])} charts: "
        f"{', '.join(changed['chart_ids'])}"
    )
    cold_decks = results["cold build (no caches)"]["decks"]
    built, seconds = max(cold_decks) if cold_decks else (0, 0.0)
    unchanged = results["no-change rebuild"]["decks"]
    print(
        f"decks: the cold build built {built} in {seconds:.1f} s (part of its time); "
        f"the no-change rebuild built {max((n for n, _ in unchanged), default=0)}"
    )
    print(
        f"no-change rebuild: matplotlib {'imported' if results['no-change rebuild']['matplotlib'] else 'not imported'}"
    )
    for lang, preview in results["preview"].items():
        shown = statistics.median(preview["edits"])
        print(
            f"preview (dspapers serve --lang {lang}): data edit shown after {shown:.2f} s "
            f"(median of {len(preview['edits'])}), {shown / preview['first_build']:.2f} of the "
            f"server's first build ({preview['first_build']:.2f} s, one language)"
        )
    c = results["charts"]
    print(
        f"charts: {c['jobs']} drawing jobs in {c['seconds'][1]:.1f} s on 1 worker, {c['seconds'][cores]:.1f} s on "
        f"{cores} ({c['seconds'][1] / c['seconds'][cores]:.2f}× faster); {c['per_second']:.1f} jobs/s"
    )
    w = results["weight"]
    print(
        f"paper page first load (HTML+CSS+JS, gzip): {w['paper_page_gzip'] / 1000:.1f} KB; "
        f"largest web chart SVG: {w['largest_svg'][0] / 1000:.1f} KB ({w['largest_svg'][1]})"
    )
    _print_loads_and_search(w["first_loads"], results["search"])
    _print_offline(results["offline"])
    v = results.get("verify")
    if v:
        print(
            f"dspapers verify: {v['documents']} documents, every number looked up in "
            f"{v['cold']:.1f} s with an empty text cache, {v['warm']:.1f} s warm (target: under 30 s)"
        )
    s = results["scale"]
    real, synthetic = s["real"], s["synthetic"]
    print(
        f"scale: {s['papers']} papers, {synthetic['pages']} pages in {synthetic['seconds']:.1f} s = "
        f"{synthetic['per_page_ms']:.1f} ms/page (real site: {real['pages']} pages, {real['per_page_ms']:.1f} ms/page; "
        f"ratio {synthetic['per_page_ms'] / real['per_page_ms']:.2f}); peak memory {synthetic['peak_mb']:.0f} MB "
        f"(all build processes, PSS)"
    )
    _print_page_costs(real["by_kind"], synthetic["by_kind"])


def _print_offline(o: dict[str, Any]) -> None:
    """Both offline exports' sizes, and how the light one grows."""
    print(
        f"offline export (all three languages, zip): light {o['light'] / 1e6:.1f} MB "
        f"(every page, chart, table, search and data download; target ≤ {OFFLINE_TARGET_MB:.0f} MB), "
        f"with slides (--with-slides) {o['full'] / 1e6:.1f} MB; the light one grows by "
        f"{o['per_paper'] / 1000:.0f} KB a paper ({o['papers']} → {2 * o['papers']} papers: "
        f"{o['grown'] / 1e6:.1f} MB)"
        + (
            f" and reaches {OFFLINE_TARGET_MB:.0f} MB at about {o['papers_at_target']:.0f} papers"
            if o["papers_at_target"] is not None
            else ""
        )
    )


def _print_page_costs(real: dict[str, Any], synthetic: dict[str, Any]) -> None:
    """One page of each kind, real site against the synthetic catalogue (CPU ms per page)."""
    from .benchmarks import ROWS_PER_PAGE

    def at_cap(kind: dict[str, Any]) -> float:
        return float(kind["fixed_ms"] + ROWS_PER_PAGE * kind["per_score_ms"])

    rp, sp = real["paper"]["median_ms"], synthetic["paper"]["median_ms"]
    rb, sb = real["benchmark"], synthetic["benchmark"]
    print("scale, per page of each kind (CPU ms in MkDocs; real site → synthetic catalogue):")
    print(
        f"  paper page, median: {rp:.1f} → {sp:.1f} ({sp / rp:.2f}×; "
        f"{real['paper']['pages']} → {synthetic['paper']['pages']} pages)"
    )
    print(
        f"  benchmark page: {rb['fixed_ms']:.1f} + {rb['per_score_ms']:.3f} per score → "
        f"{sb['fixed_ms']:.1f} + {sb['per_score_ms']:.3f} per score "
        f"({sb['per_score_ms'] / rb['per_score_ms']:.2f}× per score; "
        f"{rb['rows'] / max(rb['pages'], 1):.0f} → {sb['rows'] / max(sb['pages'], 1):.0f} scores a page on average); "
        f"at its cap of {ROWS_PER_PAGE} scores {at_cap(rb):.1f} → {at_cap(sb):.1f} ({at_cap(sb) / at_cap(rb):.2f}×)"
    )
    print(
        f"  listing pages (home, papers, compare, charts, …, one each, growing with the catalogue "
        f"by design): {real['listing']['total_ms'] / 1000:.1f} s → {synthetic['listing']['total_ms'] / 1000:.1f} s in all"
    )
