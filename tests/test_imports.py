"""The package's import graph: no cycles, imports inside functions included, and the
stage folders importable only under their installed names (dhrplans.extract...).

A cycle hidden in a function-level import still ties two modules together (neither
can be read, moved or tested alone), so every `import` statement counts, wherever
it is in the module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def installed_packages(root: Path = ROOT) -> dict[str, Path]:
    """Installed package name -> its folder, as pyproject.toml's [tool.setuptools] says."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    folders = setuptools.get("package-dir", {})
    names = setuptools["packages"]
    return {name: root / folders.get(name, name.replace(".", "/")) for name in names}


def package_modules(packages: dict[str, Path]) -> dict[str, Path]:
    """Module name -> file, for every .py file directly in each package folder."""
    modules: dict[str, Path] = {}
    for name, folder in packages.items():
        for path in sorted(folder.glob("*.py")):
            modules[name if path.stem == "__init__" else f"{name}.{path.stem}"] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module an import of `name` loads: itself, or the nearest enclosing module
    (`from pkg import CONSTANT` loads pkg); None outside the package."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `module` imports, at any depth of its syntax tree."""
    is_package = path.stem == "__init__"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(t for t in (_resolve(n, modules) for n in names) if t and t != module)
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph (first module repeated at the end), or None."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        return list(reversed(exc.args[1]))  # graphlib lists it against the edges
    return None


def test_the_package_has_no_import_cycle():
    modules = package_modules(installed_packages())
    graph = import_graph(modules)
    assert "dhrplans.run.runner" in graph and "dhrplans.extract.document" in graph
    assert "dhrplans.run.document" in graph["dhrplans.run.runner"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_every_subpackage_is_installed():
    """A folder with an __init__.py missing from pyproject's `packages` would be left
    out of a (non-editable) install."""
    packages = installed_packages()
    listed = {folder.resolve() for folder in packages.values()}
    for folder in packages.values():
        for init in folder.rglob("__init__.py"):
            assert init.parent.resolve() in listed, f"{init.parent} is not in pyproject packages"


def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package_modules({"pkg": root / "pkg", "pkg.sub": root / "pkg" / "sub"})


def test_the_checker_finds_a_cycle_hidden_in_a_function(tmp_path):
    modules = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.sub import b\n",
            "pkg/sub/__init__.py": "VALUE = 1\n",
            "pkg/sub/b.py": "from . import c\n",
            "pkg/sub/c.py": "import os\n\ndef late():\n    from ..a import thing\n",
        },
    )
    graph = import_graph(modules)
    assert graph == {
        "pkg": set(),
        "pkg.a": {"pkg.sub.b"},
        "pkg.sub": set(),
        "pkg.sub.b": {"pkg.sub.c"},
        "pkg.sub.c": {"pkg.a"},
    }
    cycle = find_cycle(graph)
    assert cycle is not None and cycle[0] == cycle[-1]
    assert set(cycle) == {"pkg.a", "pkg.sub.b", "pkg.sub.c"}
    assert all(b in graph[a] for a, b in zip(cycle, cycle[1:]))  # each imports the next


def test_the_checker_passes_a_package_without_cycles(tmp_path):
    modules = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.sub import VALUE, b\nimport pkg.sub.c\n",
            "pkg/sub/__init__.py": "VALUE = 1\n",
            "pkg/sub/b.py": "def late():\n    from pkg.sub import VALUE\n",
            "pkg/sub/c.py": "from .b import late\n",
        },
    )
    graph = import_graph(modules)
    assert graph["pkg.a"] == {"pkg.sub", "pkg.sub.b", "pkg.sub.c"}
    assert find_cycle(graph) is None


@pytest.mark.parametrize("stage", ["extract", "normalise", "schemas"])
def test_stages_import_only_under_the_package(tmp_path, stage):
    """From outside the repository the stage folders are not top-level modules."""

    def run(code: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )

    bare = run(f"import {stage}")
    assert bare.returncode != 0 and "ModuleNotFoundError" in bare.stderr
    installed = run(f"import dhrplans.{stage}")
    assert installed.returncode == 0, installed.stderr
