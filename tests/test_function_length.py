"""No function or method in generators/ is longer than 80 lines.

A function's length is `end_lineno - lineno + 1` of its `def` as `ast` reads it: from the
`def` line to its last line, its docstring, comments and blank lines inside included and
its decorators excluded. Nested functions count on their own and inside the function that
holds them.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 80


def long_functions(package: Path = ROOT / "generators", limit: int = LIMIT) -> list[str]:
    """`path:line name (n lines)` for every function of *package* longer than *limit*."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    where = path.relative_to(package.parent)
                    found.append(f"{where}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_a_long_function_is_named(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(3))
    (tmp_path / "m.py").write_text(
        f"@one\n@two\n@three\ndef short():\n    pass\n\ndef long():\n{body}\n"
    )
    # The decorated function is 2 lines long however many decorators it has.
    assert long_functions(tmp_path, limit=3) == [f"{tmp_path.name}/m.py:7 long (4 lines)"]


def test_no_function_is_longer_than_the_limit() -> None:
    found = long_functions()
    assert not found, f"functions over {LIMIT} lines (split them):\n" + "\n".join(found)
