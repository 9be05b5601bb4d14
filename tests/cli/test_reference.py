"""docs/cli.md is generated from the program and must match it; README links every
document in docs/, and every link between them resolves."""

import re
from pathlib import Path

from aousdctl.cli.reference import reference
from tests.support.paths import README, ROOT

DOCS = ROOT / "docs"
# [text](target) links, not images.
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def test_the_committed_reference_is_what_the_program_generates():
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == reference(), (
        "docs/cli.md is out of date: run `python -m aousdctl.cli.reference > docs/cli.md`"
    )


def test_the_reference_names_every_command_option_and_default():
    text = reference()
    for heading in ("## aousdctl topic rename", "## aousdctl feed edit", "## aousdctl list"):
        assert heading in text
    assert "`--limit N`" in text and "`--since WHEN`" in text and "`--csv`" in text
    assert "`--status <rumor|reported|confirmed>`: Where it starts. [default: rumor]" in text
    assert "`--db PATH`" in text.split("## Contents")[0]
    assert text.count("`--db PATH`") == 1  # described once, not under every command


def test_the_contents_of_the_reference_lead_to_its_headings():
    text = reference()
    headings = {
        line.removeprefix("## ").replace(" ", "-")
        for line in text.splitlines()
        if line[:3] == "## "
    }
    anchors = re.findall(r"\]\(#([^)]+)\)", text)
    assert anchors and set(anchors) <= headings


def links(path: Path) -> list[str]:
    return LINK.findall(path.read_text(encoding="utf-8"))


def test_every_docs_link_in_the_readme_resolves():
    targets = [link.split("#")[0] for link in links(README) if "docs/" in link]
    assert targets
    for target in targets:
        assert (ROOT / target).is_file(), target


def test_the_readme_links_every_document_in_docs():
    linked = {link.split("#")[0] for link in links(README)}
    for document in DOCS.glob("*.md"):
        assert f"docs/{document.name}" in linked, document.name


def test_links_between_documents_resolve():
    for document in DOCS.glob("*.md"):
        for link in links(document):
            target = link.split("#")[0]
            if target and not re.match(r"[a-z]+:", target):
                assert (document.parent / target).resolve().exists(), (document.name, link)


def test_the_template_example_in_the_docs_renders(db, tmp_path):
    """docs/templates.md's small template, taken from its heredoc, renders a real article."""
    text = (DOCS / "templates.md").read_text(encoding="utf-8")
    template = text.split("<<'END'\n", 1)[1].split("\nEND\n", 1)[0] + "\n"
    (tmp_path / "my-layout.md.j2").write_text(template, encoding="utf-8")
    db.add("Filming started in 2023", "--topic", "Production")
    db.ok("topic", "set", "Production", "--heading", "Is it being made?")
    article = db.ok("export", "--template", str(tmp_path / "my-layout.md.j2")).stdout
    assert article.startswith("# Test tracker\n")
    assert "## Is it being made?" in article
    assert "- Filming started in 2023 (Rumored, unconfirmed)" in article
