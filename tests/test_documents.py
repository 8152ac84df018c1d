"""The registry of source documents (data/documents.yaml) and `dspapers documents`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
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
