"""The registry of source documents (data/documents.yaml) and `dspapers documents`."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import dspapers, line_of

from generators import documents
from generators.catalog import Catalog
from generators.errors import DataValidationError
from generators.paths import ProjectPaths
from generators.validate import load_and_validate

REGISTRY = "data/documents.yaml"
FIXTURE_SHA = "0" * 64


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def problems(project: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_and_validate(project / "data", project)
    return [str(e) for e in info.value.errors]


def edit(path: Path, old: str, new: str) -> int:
    """Replace *old* by *new* once; the 1-based line where *old* started."""
    line = line_of(path, old)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return line


def second_entry(backs: str = "{}", id_: str = "deepseek-llm-report") -> str:
    return (
        f"  - id: {id_}\n"
        '    title: "DeepSeek LLM"\n'
        "    format: pdf\n"
        '    url: "https://example.org/deepseek-llm.pdf"\n'
        f'    sha256: "{"1" * 64}"\n'
        f"    backs: {backs}\n"
    )


# --- The registry: validated like every data file -------------------------------------------


def test_the_registry_is_read_into_the_catalog(small_project):
    catalog = Catalog.build(load_and_validate(small_project / "data", small_project))
    (doc,) = catalog.documents
    assert doc.id == "deepseek-v2-report" and doc.format == "pdf" and doc.sha256 == FIXTURE_SHA
    assert catalog.document_for("deepseek-v2", "t1") is doc
    assert catalog.document_for("deepseek-v2", "s1") is None
    assert catalog.document_for("deepseek-llm", "t1") is None
    line = line_of(small_project / REGISTRY, "  - id: deepseek-v2-report")
    assert catalog.documents.where(doc) == f"{REGISTRY}:{line}: documents[deepseek-v2-report]"


def test_a_project_without_a_registry_has_no_documents(small_project):
    (small_project / REGISTRY).unlink()
    catalog = Catalog.build(load_and_validate(small_project / "data", small_project))
    assert len(catalog.documents) == 0
    assert catalog.document_for("deepseek-v2", "t1") is None


BAD_FIELDS = {
    "url": ('    url: "https://example.org/', '    url: "ftp://example.org/', "http://"),
    "sha256": (f'    sha256: "{FIXTURE_SHA}"', f'    sha256: "{"A" * 64}"', "SHA-256"),
    "commit": (
        '    commit: "0123456789abcdef0123456789abcdef01234567"',
        '    commit: "0123abc"',
        "commit id",
    ),
    "format": ("    format: pdf", "    format: docx", "'pdf' or 'markdown'"),
}


@pytest.mark.parametrize("field", BAD_FIELDS)
def test_a_wrong_field_names_file_line_and_field(small_project, field):
    old, new, words = BAD_FIELDS[field]
    line = edit(small_project / REGISTRY, old, new)
    (message,) = problems(small_project)
    assert message.startswith(f"{REGISTRY}:{line}: documents[0].{field}: "), message
    assert words in message


def test_ids_are_unique(small_project):
    path = small_project / REGISTRY
    path.write_text(
        path.read_text(encoding="utf-8") + second_entry(id_="deepseek-v2-report"), encoding="utf-8"
    )
    found = problems(small_project)
    first, second = (
        line_of(path, "  - id: deepseek-v2-report"),
        len(path.read_text(encoding="utf-8").splitlines()) - 5,
    )
    assert found == [
        f'{REGISTRY}:{n}: documents[{i}].id: duplicate document id "deepseek-v2-report" '
        f"(also in {REGISTRY})"
        for i, n in ((0, first), (1, second))
    ]


def test_backs_names_existing_papers_and_their_aliases(small_project):
    path = small_project / REGISTRY
    line = edit(path, "      deepseek-v2: [abstract, t1]", "      deepseek-v9: [abstract]")
    assert problems(small_project) == [
        f'{REGISTRY}:{line}: documents[0].backs.deepseek-v9: unknown paper "deepseek-v9"'
    ]
    edit(path, "      deepseek-v9: [abstract]", "      deepseek-v2: [abstract, t99]")
    (message,) = problems(small_project)
    assert message.startswith(
        f'{REGISTRY}:{line}: documents[0].backs.deepseek-v2[1]: "t99" is not a source alias '
        "of deepseek-v2 (known: abstract, appb1,"
    ), message


def test_an_alias_is_backed_by_one_document_at_most(small_project):
    path = small_project / REGISTRY
    path.write_text(
        path.read_text(encoding="utf-8") + second_entry("{deepseek-v2: [t1]}"), encoding="utf-8"
    )
    first = line_of(path, "      deepseek-v2: [abstract, t1]")
    second = line_of(path, "    backs: {deepseek-v2: [t1]}")
    message = (
        'deepseek-v2\'s source "t1" is backed by more than one document '
        "(deepseek-v2-report, deepseek-llm-report); one document backs an alias"
    )
    assert problems(small_project) == [
        f"{REGISTRY}:{first}: documents[0].backs.deepseek-v2[1]: {message}",
        f"{REGISTRY}:{second}: documents[1].backs.deepseek-v2[0]: {message}",
    ]


def test_check_reports_a_registry_problem_and_exits_2(small_project, capsys):
    line = edit(small_project / REGISTRY, "      deepseek-v2: [abstract, t1]", "      nope: [t1]")
    assert dspapers("--root", str(small_project), "check") == 2
    assert f'{REGISTRY}:{line}: documents[0].backs.nope: unknown paper "nope"' in (
        capsys.readouterr().err
    )


def test_the_registry_is_bookkeeping_not_site_data():
    from generators import changes
    from generators.exports import schema_downloads

    assert "documents.yaml" in changes.IGNORED
    assert not any(name.endswith("documents.schema.json") for name in schema_downloads())


# --- The files: path, hash, status, verified path ---------------------------------------------


def read_registry(project: Path) -> documents.Registry:
    return documents.read_registry(ProjectPaths.at(project))


def test_status_and_verified_path(small_project, tmp_path, monkeypatch):
    monkeypatch.chdir(small_project)
    content = b"%PDF-1.5 a report\n"
    path = small_project / REGISTRY
    edit(path, FIXTURE_SHA, sha(content))
    registry = read_registry(small_project)
    (doc,) = registry
    sources = small_project / ".sources"
    line = line_of(path, "  - id: deepseek-v2-report")
    where = f"{REGISTRY}:{line}: documents[deepseek-v2-report]"
    assert documents.path_of(doc, sources) == sources / "deepseek-v2-report.pdf"
    assert documents.status(doc, sources) == "missing"
    with pytest.raises(documents.DocumentError) as missing:
        documents.verified_path(registry, doc, sources)
    assert str(missing.value) == (
        f'{where}: .sources/deepseek-v2-report.pdf is missing; run "dspapers documents fetch"'
    )
    sources.mkdir()
    (sources / "deepseek-v2-report.pdf").write_bytes(b"another file")
    assert documents.status(doc, sources) == "wrong-hash"
    with pytest.raises(documents.DocumentError) as wrong:
        documents.verified_path(registry, doc, sources)
    assert str(wrong.value).startswith(
        f"{where}: .sources/deepseek-v2-report.pdf has SHA-256 {sha(b'another file')[:12]}… "
        f"but the registry expects {sha(content)[:12]}…"
    )
    assert "\n" not in str(wrong.value)
    (sources / "deepseek-v2-report.pdf").write_bytes(content)
    assert documents.sha256_of(sources / "deepseek-v2-report.pdf") == sha(content)
    assert documents.status(doc, sources) == "present"
    assert documents.verified_path(registry, doc, sources) == sources / "deepseek-v2-report.pdf"


# --- add ---------------------------------------------------------------------------------------


def test_add_writes_the_hash_into_its_entry_only_and_keeps_comments(small_project, tmp_path):
    path = small_project / REGISTRY
    edit(path, "    title:", "    # the report as published\n    title:")
    before = path.read_text(encoding="utf-8").splitlines()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.5 the report\n")
    sources = tmp_path / "sources"
    status = dspapers(
        "--root",
        str(small_project),
        "--sources-dir",
        str(sources),
        "documents",
        "add",
        str(pdf),
        "--as",
        "deepseek-v2-report",
    )
    assert status == 0
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [(f'    sha256: "{FIXTURE_SHA}"', f'    sha256: "{sha(pdf.read_bytes())}"')]
    assert (sources / "deepseek-v2-report.pdf").read_bytes() == pdf.read_bytes()
    assert sorted(p.name for p in sources.iterdir()) == ["deepseek-v2-report.pdf"]
    registry = read_registry(small_project)
    (doc,) = registry
    assert documents.status(doc, sources) == "present"


def test_add_inserts_a_missing_sha256_line(small_project, tmp_path):
    path = small_project / REGISTRY
    edit(path, f'    sha256: "{FIXTURE_SHA}"\n', "")
    notes = tmp_path / "notes.md"
    notes.write_text("# README\n", encoding="utf-8")
    edit(path, "    format: pdf", "    format: markdown")
    added = documents.add(
        notes,
        "deepseek-v2-report",
        registry_file=path,
        sources_dir=tmp_path / "sources",
    )
    assert not added.created and added.path == tmp_path / "sources" / "deepseek-v2-report.md"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))["documents"][0]
    assert entry["sha256"] == sha(notes.read_bytes())
    assert list(entry)[list(entry).index("sha256") + 1] == "backs"
    load_and_validate(small_project / "data", small_project)


def test_add_creates_a_new_entry_with_url(small_project, tmp_path):
    path = small_project / REGISTRY
    before = path.read_text(encoding="utf-8")
    pdf = tmp_path / "llm.pdf"
    pdf.write_bytes(b"%PDF-1.5 deepseek llm\n")
    added = documents.add(
        pdf,
        "deepseek-llm-report",
        registry_file=path,
        sources_dir=tmp_path / "sources",
        url="https://example.org/deepseek-llm.pdf",
    )
    assert added.created
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before), "the entries before it are kept as they were"
    entry = yaml.safe_load(text)["documents"][-1]
    assert entry == {
        "id": "deepseek-llm-report",
        "title": "deepseek-llm-report",
        "format": "pdf",
        "url": "https://example.org/deepseek-llm.pdf",
        "sha256": sha(pdf.read_bytes()),
        "backs": {},
    }
    data = load_and_validate(small_project / "data", small_project)
    assert [d.id for d in data.document_registry.documents] == [
        "deepseek-v2-report",
        "deepseek-llm-report",
    ]


def test_add_creates_the_registry_file_when_there_is_none(small_project, tmp_path):
    from generators.json_schema import DATA_FILES, SCHEMA_DIR

    path = small_project / REGISTRY
    path.unlink()
    notes = tmp_path / "README.md"
    notes.write_text("# DeepSeek LLM\n", encoding="utf-8")
    documents.add(
        notes,
        "deepseek-llm-readme",
        registry_file=path,
        sources_dir=tmp_path / "sources",
        url="https://example.org/README.md",
    )
    kind = next(k for k in DATA_FILES if k.path == "documents.yaml")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert tuple(lines[:4]) == kind.header(path, path.parent / SCHEMA_DIR)
    data = load_and_validate(small_project / "data", small_project)
    (doc,) = data.document_registry.documents
    assert doc.format == "markdown" and doc.sha256 == sha(notes.read_bytes())


def test_add_refuses_a_new_entry_without_url(small_project, tmp_path, capsys):
    path = small_project / REGISTRY
    before = path.read_bytes()
    pdf = tmp_path / "llm.pdf"
    pdf.write_bytes(b"%PDF-1.5\n")
    sources = tmp_path / "sources"
    status = dspapers(
        "--root",
        str(small_project),
        "--sources-dir",
        str(sources),
        "documents",
        "add",
        str(pdf),
        "--as",
        "deepseek-llm-report",
    )
    out = capsys.readouterr()
    assert status == 2
    (line,) = out.err.splitlines()
    assert line.startswith("error: ") and "--url URL" in line and "deepseek-llm-report" in line
    assert "Traceback" not in out.err
    assert path.read_bytes() == before
    assert not sources.exists()


# --- fetch against a local server --------------------------------------------------------------

GOOD = b"%PDF-1.5 " + bytes(range(256)) * 400  # larger than one read
OTHER = b"%PDF-1.5 not the file the registry names\n"
PARTIAL = GOOD[:1000]


class _Handler(http.server.BaseHTTPRequestHandler):
    """good.pdf; wrong.pdf (other bytes); dropped.pdf (promises more than it sends); else 404."""

    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        if name in ("good.pdf", "wrong.pdf"):
            body = GOOD if name == "good.pdf" else OTHER
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif name == "dropped.pdf":
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(PARTIAL)
            self.wfile.flush()
            self.close_connection = True
        else:
            self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the test's output stays the command's


@pytest.fixture
def server(monkeypatch) -> Iterator[str]:
    """A local HTTP server on an ephemeral port, stopped when the test ends."""
    monkeypatch.setenv("no_proxy", "*")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port bound but not listening: a connection to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def registry_of(project: Path, entries: dict[str, tuple[str, str]]) -> Path:
    """Write the project's registry: id -> (url, sha256), each a PDF backing nothing."""
    path = project / REGISTRY
    head = path.read_text(encoding="utf-8").split("documents:", 1)[0]
    body = "".join(
        f'  - id: {name}\n    title: "{name}"\n    format: pdf\n    url: "{url}"\n'
        f'    sha256: "{digest}"\n'
        for name, (url, digest) in entries.items()
    )
    path.write_text(f"{head}documents:\n{body}", encoding="utf-8")
    return path


def fetch(project: Path, sources: Path, capsys, *args: str) -> tuple[int, str, str]:
    status = dspapers(
        "--root", str(project), "--sources-dir", str(sources), "documents", "fetch", *args
    )
    out = capsys.readouterr()
    return status, out.out, out.err


def test_fetch_downloads_each_document_and_reports_each_failure(
    small_project, tmp_path, server, refused_port, capsys
):
    path = registry_of(
        small_project,
        {
            "good": (f"{server}/good.pdf", sha(GOOD)),
            "wrong": (f"{server}/wrong.pdf", sha(GOOD)),
            "dropped": (f"{server}/dropped.pdf", sha(GOOD)),
            "gone": (f"{server}/gone.pdf", sha(GOOD)),
            "refused": (f"http://127.0.0.1:{refused_port}/good.pdf", sha(GOOD)),
        },
    )
    sources = tmp_path / "sources"
    status, out, err = fetch(small_project, sources, capsys)

    assert status == 2
    assert "Traceback" not in err
    # Only the good document is there, with its bytes; nothing else, temporary or partial.
    assert sorted(p.name for p in sources.iterdir()) == ["good.pdf"]
    assert (sources / "good.pdf").read_bytes() == GOOD
    assert f"good: fetched {sources / 'good.pdf'} ({len(GOOD):,} bytes)" in out
    lines = err.splitlines()
    assert len(lines) == 4, err

    def line_for(name: str) -> str:
        (found,) = [m for m in lines if f"documents[{name}]:" in m]
        start = f"{REGISTRY}:{line_of(path, f'  - id: {name}')}: documents[{name}]: "
        assert found.startswith(start), found
        assert found.endswith("; nothing written"), found
        return found

    assert f"has SHA-256 {sha(OTHER)[:12]}… but the registry expects {sha(GOOD)[:12]}…" in line_for(
        "wrong"
    )
    assert f"the connection closed after 1,000 of {len(GOOD):,} bytes" in line_for("dropped")
    assert "HTTP 404" in line_for("gone")
    assert "connection refused" in line_for("refused")
    assert "1 fetched, 0 already present, 4 failed" in out


def test_fetch_skips_a_present_document_and_leaves_a_wrong_one(
    small_project, tmp_path, server, capsys
):
    registry_of(
        small_project,
        {"good": (f"{server}/good.pdf", sha(GOOD)), "kept": (f"{server}/good.pdf", sha(GOOD))},
    )
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "good.pdf").write_bytes(GOOD)
    (sources / "kept.pdf").write_bytes(OTHER)
    status, out, err = fetch(small_project, sources, capsys)
    assert status == 2
    assert "0 fetched, 1 already present, 1 failed" in out
    (line,) = err.splitlines()
    assert "documents[kept]" in line and "left as it is" in line
    assert (sources / "kept.pdf").read_bytes() == OTHER, "a wrong copy is never overwritten"
    assert sorted(p.name for p in sources.iterdir()) == ["good.pdf", "kept.pdf"]


def test_fetch_only_the_named_documents(small_project, tmp_path, server, capsys):
    registry_of(
        small_project,
        {"good": (f"{server}/good.pdf", sha(GOOD)), "gone": (f"{server}/gone.pdf", sha(GOOD))},
    )
    sources = tmp_path / "sources"
    status, out, err = fetch(small_project, sources, capsys, "--only", "good")
    assert (status, err) == (0, "")
    assert sorted(p.name for p in sources.iterdir()) == ["good.pdf"]
    status, out, err = fetch(small_project, sources, capsys, "--only", "nothing-by-this-name")
    assert status == 2
    (line,) = err.splitlines()
    assert line.startswith("error: ") and "nothing-by-this-name" in line


def test_list_shows_each_document_with_its_status(small_project, tmp_path, capsys):
    registry_of(small_project, {"a": ("https://example.org/a.pdf", sha(GOOD))})
    sources = tmp_path / "sources"
    args = ("--root", str(small_project), "--sources-dir", str(sources), "documents", "list")
    assert dspapers(*args) == 0
    assert f"a  missing     {sources / 'a.pdf'}" in capsys.readouterr().out
    sources.mkdir()
    (sources / "a.pdf").write_bytes(GOOD)
    assert dspapers(*args) == 0
    assert f"a  present     {sources / 'a.pdf'}" in capsys.readouterr().out
