"""The modules of generators/ import one another without a circle.

The graph is read from the source with `ast`, so it sees every import statement: at module
level, inside functions and under `if TYPE_CHECKING:` (a type-only import still ties the
two modules together, and a function-level import only hides a circle until it runs).
Importing `a.b.c` also runs the packages `a` and `a.b` first, so those count as well,
except the importing module's own packages (a package importing its own submodules is no
circle). Imports made by name at run time (`importlib.import_module`) are not seen.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "generators"

Graph = Mapping[str, frozenset[str]]


def _modules(package: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (source file, whether it is a package's __init__)."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def _imported(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The dotted names an import statement in *module* loads (modules or packages)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        # A relative import counts from the module's package (a package's own __init__
        # is its package).
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    yield target
    # `from package import name` loads the submodule `package.name` when there is one.
    yield from (f"{target}.{alias.name}" for alias in node.names)


def _with_packages(name: str) -> Iterator[str]:
    """*name* and the packages Python imports before it (`a`, `a.b` for `a.b.c`)."""
    parts = name.split(".")
    yield from (".".join(parts[:end]) for end in range(1, len(parts) + 1))


def import_graph(package: Path = PACKAGE) -> dict[str, frozenset[str]]:
    """Module -> the package's modules it imports, anywhere in its source."""
    modules = _modules(package)
    graph: dict[str, frozenset[str]] = {}
    for module, (path, is_package) in modules.items():
        own = set(_with_packages(module))  # the importer's own packages are already running
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _imported(module, is_package, node):
                    targets.update(_with_packages(name))
        graph[module] = frozenset(t for t in targets if t in modules and t not in own)
    return graph


def strongly_connected(graph: Graph) -> list[list[str]]:
    """The groups of modules that reach one another (Tarjan), each of two or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def shortest_cycle(graph: Graph, start: str) -> list[str]:
    """The shortest import chain from *start* back to itself (breadth first)."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node]):
            if nxt == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return [*reversed(chain), start]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return []


def cycles(graph: Graph) -> list[str]:
    """One readable chain per circle of modules: `a -> b -> a  (circle: a, b)`."""
    found = []
    for group in strongly_connected(graph):
        chain = shortest_cycle(graph, group[0])
        found.append(f"{' -> '.join(chain)}  (circle of {len(group)}: {', '.join(group)})")
    return found


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    # Module level, relative, and `from package import submodule`.
    assert "generators.schema" in graph["generators.validate"]
    assert "generators.charts.kinds" in graph["generators.charts.plan"]
    # Inside a function: cli imports the pipeline only when a command runs.
    assert "generators.pipeline" in graph["generators.cli"]
    # A package's own submodules are no circle.
    assert "generators.slides" not in graph["generators.slides.plan"]


def test_a_circle_is_named() -> None:
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert cycles(graph) == ["a -> b -> c -> a  (circle of 3: a, b, c)"]


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "modules of generators/ import one another in a circle:\n" + "\n".join(found)
