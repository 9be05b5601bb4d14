"""docs/architecture.md says what each module owns: it lists every module, and only those."""

import re
from pathlib import Path

import aousdctl
from tests.support.paths import ROOT

PACKAGE = Path(aousdctl.__file__).parent
DOCUMENT = ROOT / "docs" / "architecture.md"


def modules_in_the_package() -> set[str]:
    """Every module file, except the `__init__.py` of a subpackage that only describes it
    (one that holds a function, like the console script in `cli`, is a module like any)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        describes = "\ndef " not in path.read_text(encoding="utf-8")
        if path.name == "__init__.py" and path.parent != PACKAGE and describes:
            continue
        found.add(relative)
    return found


def modules_in_the_document() -> set[str]:
    return set(re.findall(r"^\| `([\w/]+\.py)` \|", DOCUMENT.read_text(), flags=re.MULTILINE))


def test_every_module_is_described_in_the_architecture_document():
    missing = modules_in_the_package() - modules_in_the_document()
    assert not missing, f"docs/architecture.md doesn't describe {sorted(missing)}"


def test_every_module_the_architecture_document_names_exists():
    stale = modules_in_the_document() - modules_in_the_package()
    assert not stale, f"docs/architecture.md describes modules that don't exist: {sorted(stale)}"


def test_every_layer_of_the_contracts_is_drawn():
    pyproject = (ROOT / "pyproject.toml").read_text()
    layers = re.search(r"layers = \[(.*?)\]", pyproject, flags=re.DOTALL)
    assert layers is not None
    named = set(re.findall(r"aousdctl\.(\w+)", layers.group(1)))
    drawing = DOCUMENT.read_text().split("```")[1]
    drawn = set(drawing.split())
    assert named <= drawn, f"the drawing lacks {sorted(named - drawn)}"
