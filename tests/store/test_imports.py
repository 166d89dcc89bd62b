"""The store package imports one way: no cycle, no import inside a function to dodge one."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

STORE = Path(__file__).resolve().parents[2] / "src" / "newsharvest" / "store"


def imports(path: Path) -> tuple[set[str], list[str]]:
    """Store modules this module imports (at any level), and its function-level ones."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    nested: list[str] = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    inner = {id(n) for f in functions for n in ast.walk(f)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module] if node.module else [a.name for a in node.names]
            found.update(n.split(".")[0] for n in names)
            if id(node) in inner:
                nested.append(f"{path.name}:{node.lineno}")
    return found, nested


def test_store_import_graph_has_no_cycle_and_no_nested_store_import():
    graph: dict[str, set[str]] = {}
    nested: list[str] = []
    for path in sorted(STORE.glob("*.py")):
        deps, inner = imports(path)
        graph[path.stem] = deps - {path.stem}
        nested += inner
    assert not nested
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message is the point
        raise AssertionError(f"import cycle in store/: {exc.args[1]}") from exc
    assert {"writer", "search", "schema"} <= set(order)
