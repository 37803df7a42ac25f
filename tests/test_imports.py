"""The packages' seams: imports point one way (ingest -> retrieval -> app, eval on top), with no cycles, and
every module imports on its own in a fresh interpreter."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "retrieval", "app", "eval")
LAYER = {"ingest": 0, "retrieval": 1, "app": 2, "eval": 3}


def _modules() -> dict[str, Path]:
    return {f"{p.parent.name}.{p.stem}": p for pkg in PACKAGES for p in sorted((ROOT / pkg).glob("*.py"))
            if p.stem != "__init__"}


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (anywhere in the file, functions included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name.split(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom):
                base = f"{package}.{node.module}" if node.level == 1 and node.module else (
                    package if node.level == 1 else node.module or "")
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary cycle found by depth-first search (each reported once, by its smallest member)."""
    found, seen = [], set()

    def visit(node: str, stack: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in stack:
                cycle = stack[stack.index(nxt):]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle + [nxt])
            elif len(stack) < 12:
                visit(nxt, stack + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_the_import_graph_has_no_cycles():
    assert cycles(import_graph()) == []


def test_imports_point_one_way():
    wrong = [(a, b) for a, targets in import_graph().items() for b in targets
             if LAYER[b.split(".")[0]] > LAYER[a.split(".")[0]]]
    assert wrong == []


def test_every_module_imports_on_its_own():
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    out = subprocess.run([sys.executable, "-c", code, *_modules()], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]


if __name__ == "__main__":  # python tests/test_imports.py: print the graph's cycles (there should be none)
    for c in cycles(import_graph()) or [["no cycles"]]:
        print(" -> ".join(c))
