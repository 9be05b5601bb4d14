"""The reliability doc and the README say what is true: about ids, and about the tests
that back each promise."""

import re

from tests.support.paths import README, ROOT

RELIABILITY = ROOT / "docs" / "reliability.md"
# A test the doc names: `folder/test_module.py::test_name`, or a bare `test_name` that
# follows one (of the same module, or of another the doc named before).
NAMED_TEST = re.compile(r"((?:\w+/)?test_\w+\.py)::(test_\w+)|(?<![\w:/])`(test_\w+)`")


def test_the_docs_say_what_an_id_is():
    readme = README.read_text(encoding="utf-8")
    reliability = RELIABILITY.read_text(encoding="utf-8")
    for text in (readme, reliability):
        assert "2^53" not in text.replace("`topic set --order` a whole number from 0 to 2^53", "")
        assert "Ids are whole numbers" not in text
    assert "8 random characters" in reliability


def test_every_test_the_reliability_doc_names_exists():
    sources = {
        path.relative_to(ROOT / "tests").as_posix(): path.read_text(encoding="utf-8")
        for path in (ROOT / "tests").rglob("test_*.py")
    }
    every_source = "\n".join(sources.values())
    missing = []
    for module, function, bare in NAMED_TEST.findall(RELIABILITY.read_text(encoding="utf-8")):
        if module and not defines(sources.get(module, ""), function):
            missing.append(f"{module}::{function}")
        elif bare and not defines(every_source, bare):
            missing.append(bare)
    assert missing == []


def defines(source: str, name: str) -> bool:
    """A test function, or a test made by assignment (a hypothesis state machine's TestCase)."""
    return f"def {name}(" in source or re.search(rf"^{name} = ", source, re.MULTILINE) is not None
