"""Golden outputs of a small fixture catalogue: generated pages, downloads, chart tables.

`make golden` (this file run as a script) rewrites tests/golden/ from the current code;
test_golden.py compares byte for byte. Review the diff in the commit that changes them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURE = TESTS / "fixtures" / "catalogue"
GOLDEN = TESTS / "golden"
LANGS = ("zh-Hant", "zh-Hans", "en")


def fixture_project(dest: Path) -> Path:
    """A buildable project around the fixture catalogue (code and browser assets linked)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("data", "content"):
        shutil.copytree(FIXTURE / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for linked in ("generators", "node_modules"):
        (dest / linked).symlink_to(ROOT / linked, target_is_directory=True)
    return dest


def golden_outputs(project: Path) -> dict[str, bytes]:
    """Relative golden path -> bytes, for everything the fixture generates but charts."""
    from generators.charts.plan import data_table
    from generators.exports import EXPORT_DIR
    from generators.i18n import HansConverter
    from generators.json_schema import SCHEMA_DIR
    from generators.options import BuildOptions
    from generators.paths import ProjectPaths
    from generators.pipeline import generate

    generation = generate(BuildOptions(paths=ProjectPaths.at(project), charts=False))
    outputs: dict[str, bytes] = {}
    for name, content in generation.files.items():
        if name.endswith(".md"):
            outputs[f"pages/{name}"] = content
        elif name.startswith(f"{EXPORT_DIR}/{SCHEMA_DIR}/"):
            continue  # their golden copy is data/schema/, checked by test_json_schema.py
        elif name.startswith(f"{EXPORT_DIR}/"):
            outputs[f"exports/{name.removeprefix(EXPORT_DIR + '/')}"] = content
    hans = HansConverter(generation.catalog.overrides)
    for spec in generation.charts:
        for lang in LANGS:
            head, rows = data_table(spec, lang, hans, generation.catalog)
            table = "\n".join("\t".join(cells) for cells in [head, *rows]) + "\n"
            outputs[f"charts/{spec.id}.{lang}.tsv"] = table.encode("utf-8")
    return outputs


def update() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        outputs = golden_outputs(fixture_project(Path(tmp) / "project"))
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, content in sorted(outputs.items()):
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    print(f"{len(outputs)} golden files written to {GOLDEN.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(update())
