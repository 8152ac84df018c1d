"""Hostile input: clean errors for broken data, escaped text for hostile strings,
atomic and reproducible builds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CACHE, DSPAPERS, ROOT, copy_project, dspapers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.errors import DataValidationError
from generators.load import ParsedFiles
from generators.validate import load_and_validate

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1)) *bold* _it_ `code` | pipe |",
    "{{ jinja }} {% raw %} $x$ \\(y\\) {: #id } ---",
]
RAW_TAGS = ["<img src=x onerror", "<script>alert", "<svg onload", 'href="javascript:']
# A setting must have its words in Chinese (dspapers check): the hostile one is written in
# capitals, which are names, and HTML reads tags and attributes whatever their case.
HOSTILE_SETTING = "<IMG SRC=x ONERROR=ALERT(1)> [CLICK](JAVASCRIPT:ALERT(1)) | PIPE |"


def _hostile_project(root: Path) -> None:
    """Put hostile strings into every kind of text field of one paper and the registries."""
    paper_path = root / "data/papers/deepseek-v2.yaml"
    paper = yaml.safe_load(paper_path.read_text(encoding="utf-8"))
    h = iter(HOSTILE * 20)
    paper["title"] = next(h)
    paper["name"] = "DeepSeek-V2 " + next(h)
    paper["summary"] = {"zh-Hant": "摘要 " + next(h), "en": "Summary " + next(h)}
    for idea in paper["key_ideas"]:
        idea["title"] = {"zh-Hant": next(h), "en": next(h)}
        idea["text"] = {"zh-Hant": next(h), "en": next(h)}
    paper["models"][0]["name"] = "V2 " + next(h)
    paper["models"][0]["note"] = {"zh-Hant": next(h), "en": next(h)}
    paper["claims"][0]["label"] = {"zh-Hant": next(h), "en": next(h)}
    table = paper["comparisons"][0]
    table["title"] = {"zh-Hant": next(h), "en": next(h)}
    table["columns"][0]["label"] = next(h)
    table["rows"][0]["label"] = next(h)
    table["rows"][0]["setting"] = HOSTILE_SETTING
    paper["bibtex"]["fields"]["title"] = "<img src=x onerror=alert(1)> {braces}"
    paper_path.write_text(
        yaml.safe_dump(paper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    glossary_path = root / "data/glossary.yaml"
    glossary = yaml.safe_load(glossary_path.read_text(encoding="utf-8"))
    glossary[0]["term"] = {"zh-Hant": HOSTILE[0], "en": HOSTILE[1]}
    glossary[0]["definition"] = {"zh-Hant": HOSTILE[2], "en": HOSTILE[3]}
    glossary_path.write_text(
        yaml.safe_dump(glossary, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


@pytest.mark.build
def test_hostile_strings_show_as_text_everywhere(small_project):
    root = small_project
    _hostile_project(root)
    assert dspapers("--root", str(root), "build") == 0
    site = root / "site"
    for path in site.rglob("*"):
        if path.suffix in {".html", ".json", ".xml", ".svg", ".csv", ".bib"}:
            text = path.read_text(encoding="utf-8")
            if path.suffix in {".html", ".svg", ".xml"}:
                for tag in RAW_TAGS:
                    assert tag not in text.lower(), (
                        f"{path.relative_to(site)} contains live markup {tag!r}"
                    )
    for prefix in ("", "zh-Hans/", "en/"):
        page = (site / prefix / "papers/deepseek-v2/index.html").read_text(encoding="utf-8")
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, prefix
        assert "{{ jinja }}" in page and "$x$" in page
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert "onerror=alert(1)" in texts  # searchable as text ...
    assert "<img src=x onerror" not in texts  # ... and stored escaped, never as a tag


def _tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_reproducible_and_parallel_builds_are_identical(small_project, tmp_path):
    """Two clean builds, languages one at a time and all at once, are byte-identical."""
    root = small_project
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    outputs = []
    for name, jobs in (("serial", "1"), ("parallel", "3")):
        site = tmp_path / name
        result = subprocess.run(
            [*DSPAPERS, "--root", str(root), "build", "--jobs", jobs, "--site-dir", str(site)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(_tree(site))
    assert outputs[0].keys() == outputs[1].keys()
    different = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert not different, different[:10]
    assert "sitemap.xml.gz" in outputs[0]
    assert b"<lastmod>2023-11-14</lastmod>" in outputs[0]["sitemap.xml"]

    # Plain `mkdocs build` (static-i18n's one-process loop) writes the same files, except
    # where that loop is wrong for per-language output: it drops zh-Hans/en search entries
    # whose text equals a zh-Hant entry, and other languages' 404 pages inherit the
    # language-switcher links of the last page built before them.
    plain = tmp_path / "plain"
    # The plugin's settings in mkdocs.yml: this build draws from the tests' shared chart cache.
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("cache_dir: .cache", f"cache_dir: {CACHE}"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "mkdocs"),
            "build",
            "-q",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(plain),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    serial = _tree(plain)
    assert serial.keys() == outputs[1].keys()
    differ = {name for name in serial if serial[name] != outputs[1][name]}
    assert differ <= {
        "zh-Hans/404.html",
        "en/404.html",
        "zh-Hans/search/search_index.json",
        "en/search/search_index.json",
    }, sorted(differ)
    for lang in ("zh-Hans", "en"):
        ours = json.loads(outputs[1][f"{lang}/search/search_index.json"])["docs"]
        theirs = json.loads(serial[f"{lang}/search/search_index.json"])["docs"]
        assert all(doc in ours for doc in theirs)
        page_404 = outputs[1][f"{lang}/404.html"].decode("utf-8")
        assert f'<a href="/{lang}/" hreflang="{lang}" class="md-select__link">' in page_404


@pytest.mark.build
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_build_leaves_the_previous_site(tmp_path, sig):
    root = copy_project(tmp_path / "project")
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text("previous good site", encoding="utf-8")
    process = subprocess.Popen(
        [*DSPAPERS, "--root", str(root), "build", "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # As from a terminal: a runner started in the background (`cmd &` in a script)
        # hands its children SIGINT ignored, and Python then keeps ignoring it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Wait until MkDocs is writing pages (however long drawing the charts takes), then
    # interrupt.
    for line in process.stdout:
        if "Building documentation to directory" in line:
            break
    assert process.poll() is None, "the build ended before MkDocs wrote a page"
    process.send_signal(sig)
    rest = process.communicate(timeout=120)[0]
    assert process.returncode == 130, rest
    assert "Traceback" not in rest
    assert "site/ left as it was" in rest
    assert (site / "index.html").read_text(encoding="utf-8") == "previous good site"
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]


# --- Property-based: any input gives a valid model or a clean error -------------------

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates().map(lambda d: d.isoformat()),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "models",
                    "config",
                    "source",
                    "sources",
                    "value",
                    "zh-Hant",
                    "en",
                    "scores",
                    "rows",
                    "columns",
                    "title",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        ),
    ),
    max_leaves=25,
)
SLOW = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _loads_cleanly(data_dir: Path, root: Path, parsed: ParsedFiles | None = None) -> None:
    try:
        load_and_validate(data_dir, root, parsed)
    except DataValidationError as exc:
        assert exc.errors and all(e.file for e in exc.errors)
        exc.report()


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    import shutil

    shutil.copytree(ROOT / "data", root / "data")
    return root


@pytest.fixture(scope="module")
def parsed() -> ParsedFiles:
    """The unchanged files parsed and validated once, as a preview server keeps them: each
    example pays for the one file it broke (and the checks across files), not for all."""
    return ParsedFiles()


@SLOW
@given(document=yaml_values)
def test_random_documents_never_crash_the_loader(data_copy, parsed, document):
    target = data_copy / "data/papers/fuzz.yaml"
    target.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        _loads_cleanly(data_copy / "data", data_copy, parsed)
    finally:
        target.unlink()


REAL_FILES = sorted((ROOT / "data").rglob("*.yaml"))


@SLOW
@given(
    file_index=st.integers(min_value=0, max_value=len(REAL_FILES) - 1),
    operation=st.sampled_from(["delete", "duplicate", "replace", "truncate", "swap", "insert"]),
    position=st.floats(min_value=0, max_value=1),
    junk=st.text(min_size=1, max_size=6),
)
def test_mutated_real_files_never_crash_the_loader(
    data_copy, parsed, file_index, operation, position, junk
):
    source = REAL_FILES[file_index]
    target = data_copy / source.relative_to(ROOT)
    original = target.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    i = min(int(position * len(lines)), len(lines) - 1)
    if operation == "delete":
        del lines[i]
    elif operation == "duplicate":
        lines.insert(i, lines[i])
    elif operation == "replace":
        line = lines[i]
        j = int(position * max(len(line) - 1, 1))
        lines[i] = line[:j] + junk + line[j + 1 :]
    elif operation == "truncate":
        lines = lines[:i]
    elif operation == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    else:
        lines.insert(i, junk + "\n")
    target.write_text("".join(lines), encoding="utf-8")
    try:
        _loads_cleanly(data_copy / "data", data_copy, parsed)
    finally:
        target.write_bytes(original)
