"""`make bench`: build-speed and page-weight figures, measured on this machine.

Every scenario runs in a throwaway copy of the project (data and prose copied, code
linked) with its own chart cache, as separate processes, so caches and imports are as
a user meets them. Prints medians and ratios to the plain-MkDocs baseline.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .paths import ProjectPaths


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
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid and child not in tree]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1))
        except (OSError, AttributeError):
            continue
    return total


def _run(args: list[str], env: dict[str, str], cwd: Path, *, memory: bool = False) -> tuple[float, str]:
    """Wall time and output of one command; with *memory*, the output ends with its peak PSS."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, text=True)
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


def _generated_written(output: str) -> int:
    match = re.search(r"generated tree: (\d+) written", output)
    return int(match.group(1)) if match else -1


def _page_weight(site: Path, page: str) -> int:
    """gzip bytes of a page's HTML and the CSS/JS it loads (charts and images aside)."""
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    total = len(gzip.compress(html.encode("utf-8")))
    for ref in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"#?]+\.(?:js|css))', html):
        asset = (html_path.parent / ref).resolve()
        if asset.is_file():
            total += len(gzip.compress(asset.read_bytes()))
    return total


def _synthetic(project: Path, papers: int) -> None:
    """Grow the data to *papers* papers by cloning real ones under new ids (bench only).

    A clone compares its own models against baselines only: keeping other papers' DeepSeek
    models would make every clone re-score them, a catalogue no real one resembles.
    """
    sources = sorted((project / "data" / "papers").glob("*.yaml"))
    own_models = {
        path.stem: {m["id"] for m in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]} for path in sources
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
        data["comparisons"] = [t for t in data.get("comparisons", [])
                               if {t["headline"], t["baseline"]} <= {c["model"] for c in t["columns"]}]
        for claim in data.get("claims", []):
            if claim.get("versus") in foreign:
                claim.pop("versus")
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        suffix = f"-synthetic-{n}"
        ids = [data["id"]] + [m["id"] for m in data["models"]]
        for ident in sorted(ids, key=len, reverse=True):
            text = re.sub(rf"(?<![\w.-]){re.escape(ident)}(?![\w.-])", ident + suffix, text)
        (project / "data" / "papers" / f"{data['id']}{suffix}.yaml").write_text(text, encoding="utf-8")


PREVIEW_ROW = "llama3-70b: 49.8, deepseek-v2: 51.2}"  # AGIEval, DeepSeek-V2 Table 2


def _preview_latency(dspapers: list[str], project: Path, env: dict[str, str], lang: str, edits: int) -> list[float]:
    """Seconds from saving a data file to the edited value being served by `dspapers serve`."""
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
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(text: str, limit: float = 300) -> None:
        deadline = time.monotonic() + limit
        while text not in page():
            if time.monotonic() > deadline:
                raise RuntimeError(f"preview never showed {text!r}")
            time.sleep(0.05)

    paper = project / "data" / "papers" / "deepseek-v2.yaml"
    original = paper.read_text(encoding="utf-8")
    if PREVIEW_ROW not in original:
        raise RuntimeError(f"the preview benchmark edits {PREVIEW_ROW!r}, which is no longer in {paper}")
    process = subprocess.Popen([*dspapers, "--root", str(project), "serve", "--lang", lang, "-a", f"127.0.0.1:{port}"],
                               env=env, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    latencies = []
    try:
        wait_for("DeepSeek-V2")
        for i in range(edits):
            value = f"{63 + i}.7"
            time.sleep(2)  # the server is idle again
            paper.write_text(original.replace(PREVIEW_ROW, PREVIEW_ROW.replace("51.2", value), 1), encoding="utf-8")
            saved = time.perf_counter()
            wait_for(value, limit=60)
            latencies.append(time.perf_counter() - saved)
    finally:
        paper.write_text(original, encoding="utf-8")
        process.terminate()
        process.wait(timeout=60)
    return latencies


def run(root: Path, runs: int = 3, papers: int = 300) -> int:
    dspapers = [sys.executable, "-m", "generators.cli"]
    cores = os.cpu_count() or 1
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="dspapers-bench-") as tmp:
        work = Path(tmp)
        project = _copy_project(root, work / "project")
        cache = work / "cache"
        env = {**os.environ, "DSPAPERS_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1",
               "SOURCE_DATE_EPOCH": "1700000000"}
        env.pop("DSPAPERS_JOBS", None)
        build = [*dspapers, "--root", str(project), "build", "-v"]

        def scenario(name: str, prepare=None, count: int = runs, extra: tuple[str, ...] = ()) -> None:
            times, drawn, charts, written, matplotlib = [], [], set(), [], []
            for i in range(count):
                if prepare:
                    prepare(i)
                seconds, output = _run([*build, *extra], env, project)
                times.append(seconds)
                n, ids = _charts_drawn(output)
                drawn.append(n)
                charts.update(ids)
                written.append(_generated_written(output))
                matplotlib.append("matplotlib imported: yes" in output)
            results[name] = {"median": statistics.median(times), "runs": times, "charts": drawn,
                             "chart_ids": sorted(charts), "written": written, "matplotlib": any(matplotlib)}
            print(f"  {name:<40} {statistics.median(times):6.2f} s  charts drawn {drawn}, "
                  f"generated files written {written}, matplotlib {'imported' if any(matplotlib) else 'not imported'}",
                  flush=True)

        print(f"deepseek-papers bench: {cores} cores, {runs} runs per scenario")

        def cold(_: int) -> None:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(project / "build", ignore_errors=True)
            shutil.rmtree(project / "site", ignore_errors=True)

        scenario("cold build (no caches)", cold, count=max(2, runs - 1))
        scenario("no-change rebuild", None)
        scenario("no-change rebuild, one process (--jobs 1)", None, extra=("--jobs", "1"))
        paper = project / "data" / "papers" / "deepseek-v2.yaml"
        original = paper.read_text(encoding="utf-8")

        def edit_paper(i: int) -> None:
            paper.write_text(original.replace("name: DeepSeek-V2\n", f"name: DeepSeek-V2 ({i})\n", 1), encoding="utf-8")

        scenario("rebuild after editing one paper", edit_paper)
        print(f"    charts redrawn: {', '.join(results['rebuild after editing one paper']['chart_ids'])}")
        paper.write_text(original, encoding="utf-8")
        _run(build, env, project)
        prose = project / "content" / "about.en.md"
        prose_original = prose.read_text(encoding="utf-8")

        def edit_prose(i: int) -> None:
            prose.write_text(prose_original + f"\n\nEdited {i}.\n", encoding="utf-8")

        scenario("rebuild after editing one page", edit_prose)
        prose.write_text(prose_original, encoding="utf-8")
        _run(build, env, project)

        # Plain MkDocs + static-i18n over exactly the pages just generated: the hook only
        # points MkDocs at them (DSPAPERS_GENERATE=off), no data, no charts, no post-build.
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                  "-d", str(project / "baseline-site")]
        plain_env = {**env, "DSPAPERS_GENERATE": "off"}
        times = [_run(mkdocs, plain_env, project)[0] for _ in range(runs)]
        results["baseline"] = {"median": statistics.median(times), "runs": times}
        print(f"  {'baseline: plain mkdocs build':<40} {statistics.median(times):6.2f} s", flush=True)

        # The edit-preview loop: `dspapers serve --lang L`, a score edited, time until served.
        preview = {}
        for lang in ("zh-Hant", "en"):
            preview[lang] = _preview_latency(dspapers, project, env, lang, edits=runs)
            print(f"  preview ({lang}): data edit shown after {[round(t, 2) for t in preview[lang]]} s", flush=True)
        results["preview"] = preview

        # Chart throughput, one worker against all cores, on the same stale charts.
        from .charts import render as chart_render
        from .charts.plan import plan as chart_plan_fn
        from .i18n import HansConverter
        from .pipeline import generate

        generated = generate(ProjectPaths.at(project), charts=False)
        jobs = chart_render.jobs(chart_plan_fn(generated.catalog, generated.catalog.charts)[:4],
                                 generated.catalog, HansConverter(generated.catalog.overrides))
        speed = {}
        for workers in sorted({1, cores}):
            target = work / f"cache-{workers}"
            start = time.perf_counter()
            chart_render.render_all(jobs, target, workers=workers)
            speed[workers] = time.perf_counter() - start
        results["charts"] = {"jobs": len(jobs), "seconds": speed, "per_second": len(jobs) / speed[cores]}

        site = project / "site"
        weight = _page_weight(site, "papers/deepseek-v2/index.html")
        svgs = sorted((p.stat().st_size, p.name) for p in (site / "assets" / "charts").rglob("*.svg"))
        results["weight"] = {"paper_page_gzip": weight, "largest_svg": svgs[-1]}

        # Scale: a synthetic catalogue, charts off, time per page against the real site
        # (each the second of two builds, so both meet warm template caches). Memory is
        # sampled in a third build: reading it costs CPU that would skew the timing.
        pages_env = {**env, "DSPAPERS_CHARTS": "off", "DSPAPERS_STRICT": "off"}
        scale_project = _copy_project(root, work / "scale")
        _synthetic(scale_project, papers)
        measured = {}
        for name, where in (("real", project), ("synthetic", scale_project)):
            command = [*dspapers, "--root", str(where), "build"]
            _run(command, pages_env, where)
            seconds, _ = _run(command, pages_env, where)
            _, output = _run(command, pages_env, where, memory=True)
            pages = len(list((where / "site").rglob("*.html")))
            peak_mb = int(re.search(r"peak-pss-kb (\d+)", output).group(1)) / 1024
            measured[name] = {"seconds": seconds, "pages": pages, "per_page_ms": 1000 * seconds / pages,
                              "peak_mb": peak_mb}
        results["scale"] = {"papers": papers, **measured}

    _print_summary(results, cores)
    return 0


def _print_summary(results: dict, cores: int) -> None:
    base = results["baseline"]["median"]
    print()
    print("| scenario | median (s) | × baseline | charts drawn | generated files written |")
    print("|---|--:|--:|--:|--:|")
    for name in ("cold build (no caches)", "no-change rebuild", "no-change rebuild, one process (--jobs 1)",
                 "rebuild after editing one paper", "rebuild after editing one page"):
        r = results[name]
        print(f"| {name} | {r['median']:.2f} | {r['median'] / base:.2f} | {max(r['charts'])} | {max(r['written'])} |")
    print(f"| plain MkDocs + static-i18n, same pages (baseline) | {base:.2f} | 1.00 | – | – |")
    print()
    changed = results["rebuild after editing one paper"]
    print(f"editing one paper redrew {max(changed['charts'])} chart files of {len(changed['chart_ids'])} charts: "
          f"{', '.join(changed['chart_ids'])}")
    print(f"no-change rebuild: matplotlib {'imported' if results['no-change rebuild']['matplotlib'] else 'not imported'}")
    for lang, times in results["preview"].items():
        print(f"preview (dspapers serve --lang {lang}): data edit shown after {statistics.median(times):.2f} s "
              f"(median of {len(times)})")
    c = results["charts"]
    print(f"charts: {c['jobs']} drawing jobs in {c['seconds'][1]:.1f} s on 1 worker, {c['seconds'][cores]:.1f} s on "
          f"{cores} ({c['seconds'][1] / c['seconds'][cores]:.2f}× faster); {c['per_second']:.1f} jobs/s")
    w = results["weight"]
    print(f"paper page first load (HTML+CSS+JS, gzip): {w['paper_page_gzip'] / 1000:.1f} KB; "
          f"largest web chart SVG: {w['largest_svg'][0] / 1000:.1f} KB ({w['largest_svg'][1]})")
    s = results["scale"]
    real, synthetic = s["real"], s["synthetic"]
    print(f"scale: {s['papers']} papers, {synthetic['pages']} pages in {synthetic['seconds']:.1f} s = "
          f"{synthetic['per_page_ms']:.1f} ms/page (real site: {real['pages']} pages, {real['per_page_ms']:.1f} ms/page; "
          f"ratio {synthetic['per_page_ms'] / real['per_page_ms']:.2f}); peak memory {synthetic['peak_mb']:.0f} MB "
          f"(all build processes, PSS)")
