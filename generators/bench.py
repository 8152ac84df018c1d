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


def _run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return elapsed, result.stdout + result.stderr


def _charts_drawn(output: str) -> int:
    match = re.search(r"charts: (\d+) drawn", output)
    return int(match.group(1)) if match else 0


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


def run(root: Path, runs: int = 3, papers: int = 300) -> int:
    dspapers = [sys.executable, "-m", "generators.cli"]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="dspapers-bench-") as tmp:
        work = Path(tmp)
        project = _copy_project(root, work / "project")
        cache = work / "cache"
        env = {**os.environ, "DSPAPERS_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1",
               "SOURCE_DATE_EPOCH": "1700000000"}
        build = [*dspapers, "--root", str(project), "build", "-v"]

        def scenario(name: str, prepare=None, count: int = runs) -> None:
            times, drawn = [], []
            for i in range(count):
                if prepare:
                    prepare(i)
                seconds, output = _run(build, env, project)
                times.append(seconds)
                drawn.append(_charts_drawn(output))
            results[name] = {"median": statistics.median(times), "runs": times, "charts": drawn}
            print(f"  {name:<34} {statistics.median(times):6.2f} s  (charts drawn: {drawn})", flush=True)

        print(f"deepseek-papers bench: {os.cpu_count()} cores, {runs} runs per scenario")

        def cold(_: int) -> None:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(project / "build", ignore_errors=True)
            shutil.rmtree(project / "site", ignore_errors=True)

        scenario("cold build (no caches)", cold, count=max(2, runs - 1))
        scenario("no-change rebuild", None)
        paper = project / "data" / "papers" / "deepseek-v2.yaml"
        original = paper.read_text(encoding="utf-8")

        def edit_paper(i: int) -> None:
            paper.write_text(original.replace("name: DeepSeek-V2\n", f"name: DeepSeek-V2 ({i})\n", 1), encoding="utf-8")

        scenario("rebuild after editing one paper", edit_paper)
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
        print(f"  {'baseline: plain mkdocs build':<34} {statistics.median(times):6.2f} s", flush=True)

        # Chart throughput, one worker against all cores, on the same stale charts.
        from .charts import render as chart_render
        from .charts.plan import plan as chart_plan_fn
        from .i18n import HansConverter
        from .pipeline import generate

        generated = generate(ProjectPaths.at(project), charts=False)
        jobs = chart_render.jobs(chart_plan_fn(generated.catalog, generated.catalog.charts)[:4],
                                 generated.catalog, HansConverter(generated.catalog.overrides))
        speed = {}
        for workers in (1, os.cpu_count() or 1):
            target = work / f"cache-{workers}"
            start = time.perf_counter()
            chart_render.render_all(jobs, target, workers=workers)
            speed[workers] = time.perf_counter() - start
        per_second = len(jobs) / speed[os.cpu_count() or 1]
        results["charts"] = {"jobs": len(jobs), "seconds": speed, "per_second": per_second}

        site = project / "site"
        weight = _page_weight(site, "papers/deepseek-v2/index.html")
        svgs = sorted((p.stat().st_size, p.name) for p in (site / "assets" / "charts").rglob("*.svg"))
        results["weight"] = {"paper_page_gzip": weight, "largest_svg": svgs[-1]}

        # Scale: a synthetic catalogue, charts off, time per page against the real site.
        real_pages = len(list(site.rglob("*.html")))
        scale_project = _copy_project(root, work / "scale")
        _synthetic(scale_project, papers)
        scale_env = {**env, "DSPAPERS_CHARTS": "off", "DSPAPERS_STRICT": "off"}
        real_env = {**env, "DSPAPERS_CHARTS": "off", "DSPAPERS_STRICT": "off"}
        real_time = _run([*dspapers, "--root", str(project), "build"], real_env, project)[0]
        # Peak memory of this build alone: a wrapper process reports its child's maximum RSS.
        wrapper = (
            "import resource, subprocess, sys;"
            "r = subprocess.run(sys.argv[1:]);"
            "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
        )
        scale_time, output = _run([sys.executable, "-c", wrapper, *dspapers, "--root", str(scale_project), "build"],
                                  scale_env, scale_project)
        peak_mb = int(re.search(r"peak-kb (\d+)", output).group(1)) / 1024
        scale_pages = len(list((scale_project / "site").rglob("*.html")))
        results["scale"] = {"papers": papers, "pages": scale_pages, "seconds": scale_time,
                            "per_page_ms": 1000 * scale_time / scale_pages,
                            "real_per_page_ms": 1000 * real_time / real_pages, "peak_mb": peak_mb}

    base = results["baseline"]["median"]
    print()
    print("| scenario | median (s) | × baseline | charts drawn |")
    print("|---|--:|--:|--:|")
    for name in ("cold build (no caches)", "no-change rebuild", "rebuild after editing one paper",
                 "rebuild after editing one page"):
        r = results[name]
        print(f"| {name} | {r['median']:.2f} | {r['median'] / base:.2f} | {max(r['charts'])} |")
    print(f"| plain MkDocs, same pages (baseline) | {base:.2f} | 1.00 | – |")
    c = results["charts"]
    cores = os.cpu_count() or 1
    print()
    print(f"charts: {c['jobs']} drawing jobs in {c['seconds'][1]:.1f} s on 1 worker, {c['seconds'][cores]:.1f} s on "
          f"{cores} ({c['seconds'][1] / c['seconds'][cores]:.2f}× faster); {c['per_second']:.1f} jobs/s")
    w = results["weight"]
    print(f"paper page first load (HTML+CSS+JS, gzip): {w['paper_page_gzip'] / 1000:.1f} KB; "
          f"largest web chart SVG: {w['largest_svg'][0] / 1000:.1f} KB ({w['largest_svg'][1]})")
    s = results["scale"]
    print(f"scale: {s['papers']} papers, {s['pages']} pages in {s['seconds']:.1f} s = {s['per_page_ms']:.1f} ms/page "
          f"(real site {s['real_per_page_ms']:.1f} ms/page, ratio {s['per_page_ms'] / s['real_per_page_ms']:.2f}); "
          f"peak memory {s['peak_mb']:.0f} MB")
    return 0
