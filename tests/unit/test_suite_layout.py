"""The tests' own layout, read from their source: every test module in the folder of its kind,
none importing another or conftest, and the unit tests never driving the command line."""

import ast
from pathlib import Path

import pytest

from tests.support.paths import ROOT

TESTS = ROOT / "tests"
KINDS = ("unit", "cli", "process")


def python_files() -> list[Path]:
    return sorted(TESTS.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module `path` imports, by its full name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_every_test_module_is_in_the_folder_of_its_kind():
    misplaced = [
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("test_*.py")
        if path.parent.name not in KINDS or path.parent.parent != TESTS
    ]
    assert misplaced == [], "tests go in tests/unit, tests/cli or tests/process"


@pytest.mark.parametrize(
    "path", python_files(), ids=lambda path: path.relative_to(TESTS).as_posix()
)
def test_no_module_imports_a_test_module_or_conftest(path):
    wrong = {
        name
        for name in imported(path)
        if any(part.startswith("test_") or part == "conftest" for part in name.split("."))
    }
    assert wrong == set(), "helpers belong in tests.support, fixtures in conftest.py"


@pytest.mark.parametrize(
    "path", sorted((TESTS / "unit").glob("test_*.py")), ids=lambda path: path.name
)
def test_unit_tests_never_drive_the_command_line(path):
    driving = ("typer.testing", "aousdctl.cli", "tests.support.runner", "subprocess")
    found = {
        name
        for name in imported(path)
        if any(name == module or name.startswith(module + ".") for module in driving)
    }
    assert found == set(), "a test through the command line belongs in tests/cli"
