"""The import structure docs/architecture.md describes: no cycles, modules that talk through a
small public face, imports at the top of the file, no import hidden behind a guard."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("core", "members", "certification", "tariffs", "reshoring")
# What a module may import of another module (the factory, portal/__init__.py, wires them all).
PUBLIC_FACES = {
    "members": {"models", "recipients", "identity", "validators", "demo", "invitations"},
    "certification": {"stats"},
    "tariffs": {"stats"},
    "reshoring": {"stats"},
    "core": set(),
}


def python_files(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def test_no_import_cycles():
    """Neither between modules (core, members, ...) nor between the files of one module."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def _module_of(name: str) -> tuple[str, str] | None:
    """("certification", "stats") for portal.certification.stats; None outside a module package."""
    parts = name.split(".")
    if len(parts) >= 2 and parts[1] in MODULES:
        return parts[1], parts[2] if len(parts) > 2 else ""
    return None


def test_modules_import_each_other_only_through_their_public_face():
    graph = grimp.build_graph("portal", exclude_type_checking_imports=True)
    reached_past = []
    for importer in sorted(graph.modules):
        source = _module_of(importer)
        if source is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            target = _module_of(imported)
            if target is not None and target[0] != source[0] and target[1] not in PUBLIC_FACES[target[0]]:
                reached_past.append(f"{importer} -> {imported}")
    assert reached_past == []


def _own_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
    return [name for name in names if name.split(".")[0] in ("portal", "tests")]


@pytest.mark.parametrize("folder", ["portal", "tests"])
def test_our_modules_are_imported_at_the_top_of_the_file(folder):
    """An import of our own code inside a function hides a cycle or a dependency (a heavy
    third-party library may still be imported where it is used)."""
    nested = [
        f"{path}:{node.lineno} {_own_modules(node)}"
        for path, tree in python_files(folder)
        for function in ast.walk(tree) if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom) and _own_modules(node)
    ]
    assert nested == []


@pytest.mark.parametrize("folder", ["portal", "tests"])
def test_no_import_is_hidden_behind_an_import_error_guard(folder):
    """`except ImportError` can only hide a real error in one of our own modules."""
    guards = [
        f"{path}:{handler.lineno}"
        for path, tree in python_files(folder)
        for handler in ast.walk(tree) if isinstance(handler, ast.ExceptHandler) and handler.type is not None
        if {"ImportError", "ModuleNotFoundError"} & {n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)}
    ]
    assert guards == []


def test_tests_use_no_private_name_of_the_portal():
    private = [
        f"{path}:{node.lineno} {node.module}.{alias.name}"
        for path, tree in python_files("tests")
        for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portal")
        for alias in node.names if alias.name.startswith("_")
    ]
    assert private == []
