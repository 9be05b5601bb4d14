"""The explainer article, the JSON document, import, topics and settings."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import assert_refused
from helpers import add_claim, add_in_order

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "db" / "claims.json"
GOLDEN = Path(__file__).resolve().parent / "golden" / "season2.md"
GOLDEN_NOW = "2026-11-24T00:00:00Z"
NETFLIX = "https://www.netflix.com/title/81237994"


@pytest.fixture
def shipped(cli, db_path, monkeypatch):
    """A copy of the shipped database, read at the golden file's moment."""
    db_path.parent.mkdir(parents=True)
    shutil.copy(SHIPPED, db_path)
    monkeypatch.setenv("AOUSDCTL_NOW", GOLDEN_NOW)
    return cli


def test_the_shipped_database_gives_the_golden_article(shipped):
    article = shipped.ok("export").stdout
    if os.environ.get("AOUSDCTL_UPDATE_GOLDEN"):
        GOLDEN.write_text(article, encoding="utf-8")
    assert article == GOLDEN.read_text(encoding="utf-8")


def test_the_article_reads_as_an_explainer(shipped):
    article = shipped.ok("export").stdout
    headings = [line for line in article.splitlines() if line.startswith("#")]
    assert headings[:4] == [
        "# All of Us Are Dead Season 2: what we know so far",
        "## What's new",
        "## Is Season 2 confirmed?",
        "## What is Season 2 about?",
    ]
    assert "## When will it release?" in headings and headings[-1] == "## Sources"
    assert "Last updated: 20 November 2026" in article
    assert "expected by October 2025 — that date has passed without confirmation" in article


def test_the_article_is_the_same_bytes_across_runs_and_time(shipped, monkeypatch):
    first = shipped.ok("export").stdout
    assert shipped.ok("export").stdout == first
    monkeypatch.setenv("AOUSDCTL_NOW", "2027-06-01T08:00:00Z")
    assert shipped.ok("export").stdout == first


def test_output_is_left_alone_when_unchanged_and_check_reports_changes(shipped, tmp_path):
    output = tmp_path / "site" / "season2.md"
    output.parent.mkdir()
    assert shipped.ok("export", "--output", str(output)).stdout == f"Wrote {output}\n"
    written = output.stat()
    assert shipped.ok("export", "--output", str(output)).stdout == f"{output} unchanged\n"
    assert shipped.ok("export", "--output", str(output), "--check").exit_code == 0
    assert output.stat().st_mtime_ns == written.st_mtime_ns
    assert output.stat().st_ino == written.st_ino

    add_claim(shipped, "Season 2 has a teaser trailer")
    before = output.read_bytes()
    result = shipped("export", "--output", str(output), "--check")
    assert result.exit_code == 1
    assert "would change" in result.stdout
    assert output.read_bytes() == before
    shipped.ok("export", "--output", str(output))
    assert "Season 2 has a teaser trailer" in output.read_text()
    assert [p.name for p in output.parent.iterdir()] == ["season2.md"]


def test_check_needs_an_output_file(shipped):
    assert_refused(shipped("export", "--check"), 2, "--output")


def test_topics_follow_their_order_then_the_alphabet(db):
    for topic in ("Zebra", "apple", "Middle", "First"):
        add_claim(db, f"A claim about {topic}", "--topic", topic)
    db.ok("topic", "set", "first", "--order", "1", "--heading", "Is it first?")
    db.ok("topic", "set", "Zebra", "--order", "2")
    headings = [line for line in db.ok("export").stdout.splitlines() if line.startswith("## ")]
    assert headings == [
        "## What's new",
        "## Is it first?",
        "## Zebra",
        "## apple",
        "## Middle",
        "## Sources",
    ]
    listed = db.json("topic", "list")
    assert [(t["name"], t["order"], t["claims"]) for t in listed] == [
        ("First", 1, 1),
        ("Zebra", 2, 1),
        ("apple", None, 1),
        ("Middle", None, 1),
    ]


def test_statuses_are_grouped_confirmed_reported_rumored_then_debunked(db):
    add_claim(db, "a rumor")
    debunked = add_claim(db, "a debunked one")
    add_claim(db, "a report", "--status", "reported")
    add_claim(db, "a fact", "--status", "confirmed", "--source", NETFLIX)
    db.ok("debunk", debunked, "--note", "Netflix denied it")
    article = db.ok("export").stdout.split("## General")[1]
    positions = [
        article.index(text)
        for text in (
            "**Confirmed**",
            "a fact",
            "**Reported",
            "a report",
            "**Rumored",
            "a rumor",
            "**Debunked**",
            "~~a debunked one~~",
            "Why: Netflix denied it",
        )
    ]
    assert positions == sorted(positions)


def test_one_footnote_per_source_shared_by_the_claims_citing_it(db, monkeypatch):
    first, _, _ = add_in_order(
        db,
        monkeypatch,
        ("first", "--status", "confirmed", "--source", NETFLIX),
        ("second", "--source", "https://example.com/a", "--source", NETFLIX),
        ("third",),
    )
    db.ok(
        "source",
        "add",
        first,
        NETFLIX,
        "--outlet",
        "Netflix",
        "--title",
        "All of Us Are Dead",
        "--published",
        "2022-01-28",
    )
    article = db.ok("export").stdout
    assert "- first[^1]\n" in article
    assert "- second[^2][^1]\n" in article
    assert "- third *(unsourced)*\n" in article
    assert article.count(f"<{NETFLIX}>") == 1
    assert f'[^1]: Netflix, "All of Us Are Dead", 28 January 2022. <{NETFLIX}>' in article
    assert "[^2]: example\\.com. <https://example.com/a>" in article


def test_overdue_predictions_in_the_article_and_in_list(db, monkeypatch):
    added = add_in_order(
        db,
        monkeypatch,
        ("late 2025 release", "--expected", "2025-10"),
        ("reported for 2026", "--status", "reported", "--expected", "2026-11-22"),
        ("confirmed long ago", "--status", "confirmed", "--source", NETFLIX, "--expected", "2025"),
        ("not yet due", "--expected", "2026-11"),
        ("no date at all",),
    )
    assert [c["id"] for c in db.json("list", "--overdue")] == added[:2]
    article = db.ok("export").stdout
    assert "expected by October 2025 — that date has passed without confirmation" in article
    assert "expected by 22 November 2026 — that date has passed" in article
    assert "Expected: November 2026." in article
    assert article.count("**Overdue:**") == 2


def test_whats_new_lists_recent_changes_newest_first(db, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-09-01T00:00:00Z")
    old = add_claim(db, "an old rumor")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-01T00:00:00Z")
    add_claim(db, "a fresh rumor")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-20T00:00:00Z")
    db.ok("promote", old)
    article = db.ok("export").stdout
    news = article.split("## What's new")[1].split("\n## ")[0]
    assert [line for line in news.splitlines() if line] == [
        "Since 21 October 2026:",
        '- 20 November 2026: "an old rumor" (now reported, was a rumor)',
        '- 1 November 2026: "a fresh rumor" (new, a rumor)',
    ]  # newest first; the add of 1 September is outside the 30 days up to the last change
    since = db.ok("export", "--changes-since", "2026-08").stdout
    assert '20 November 2026: "an old rumor" (new, reported)' in since  # one line per claim
    assert_refused(db("export", "--changes-since", "last week"), 2, "YYYY")


HOSTILE_TEXT = "<script>alert(1)</script> [x](javascript:alert(1))"


def test_hostile_user_text_comes_out_inert(db):
    add_claim(
        db,
        HOSTILE_TEXT,
        "--topic",
        "# Injected",
        "--note",
        "[^1]: fake",
        "--source",
        'https://example.com/a?<b>="x"',
        "--tag",
        "<img src=x>",
    )
    stars = add_claim(db, "* * *", "--topic", "# Injected")
    add_claim(
        db,
        "1. www.evil.example https://evil.example me@evil.example *bold* `code`",
        "--topic",
        "# Injected",
    )
    db.ok("debunk", stars, "--note", "<iframe src=javascript:alert(1)>")
    db.ok(
        "topic",
        "set",
        "# injected",
        "--heading",
        "## Heading # Another",
        "--intro",
        "[click](javascript:alert(1)) <b>bold</b>",
    )
    db.ok("config", "set", "title", "<h1>Title</h1> {{ 7 * 7 }} {% raw %}")
    db.ok("config", "set", "intro", "[^1]: fake footnote\n# Heading")
    article = db.ok("export").stdout
    html = MarkdownIt("commonmark").enable("strikethrough").render(article)
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert "<b>" not in html and "<h1>Title" not in html
    links = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert links == ["https://example.com/a?%3Cb%3E=%22x%22"]  # the one source, and nothing else
    assert html.count("<h1>") == 1 and html.count("<h3") == 0
    assert [part.split("</h2>")[0] for part in html.split("<h2>")[1:]] == [
        "What's new",
        "## Heading # Another",
        "Sources",
    ]
    assert "{{ 7 * 7 }}" in html and "49" not in html
    assert not any(line.startswith("[^1]: fake") for line in article.splitlines())
    assert article.count("[^1]:") == 1
    assert "<hr" not in html
    assert "<strong>bold</strong>" not in html and "<code>" not in html


def test_a_json_export_imports_into_an_empty_database_unchanged(shipped, tmp_path):
    document = shipped.ok("export", "--format", "json").stdout
    export_file = tmp_path / "export.json"
    export_file.write_text(document)
    target = tmp_path / "copy" / "claims.json"
    shipped.runner.invoke(shipped_app(), ["--db", str(target), "init"])
    result = shipped.runner.invoke(shipped_app(), ["--db", str(target), "import", str(export_file)])
    assert result.stdout == "25 added, 0 updated, 0 unchanged\n", result.stderr
    copied = shipped.runner.invoke(
        shipped_app(), ["--db", str(target), "export", "--format", "json"]
    )
    assert json.loads(copied.stdout) == json.loads(document)
    article = shipped.runner.invoke(shipped_app(), ["--db", str(target), "export"]).stdout
    assert article == shipped.ok("export").stdout
    before = target.read_bytes()
    again = shipped.runner.invoke(shipped_app(), ["--db", str(target), "import", str(export_file)])
    assert again.stdout == "0 added, 0 updated, 25 unchanged\n"
    assert target.read_bytes() == before


def shipped_app():
    from aousdctl.cli import app

    return app


def test_a_custom_template_gets_the_same_data(shipped, tmp_path):
    template = tmp_path / "short.md.j2"
    template.write_text(
        "{{ title | md }} ({{ counts.confirmed }} confirmed)\n"
        "{% for section in sections %}* {{ section.heading | md }}: "
        "{{ section.groups | map(attribute='claims') | map('length') | sum }}\n{% endfor %}"
        "{% for source in sources %}{{ source.number }} <{{ source.url | url }}>\n{% endfor %}"
    )
    article = shipped.ok("export", "--template", str(template)).stdout
    lines = article.splitlines()
    assert lines[0] == "All of Us Are Dead Season 2: what we know so far (3 confirmed)"
    assert lines[1] == "* Is Season 2 confirmed?: 1"
    assert lines[-1] == "2 <https://www.netflix.com/title/81237994>"


def test_a_broken_template_is_bad_input(shipped, tmp_path):
    template = tmp_path / "broken.j2"
    template.write_text("{% for x in %}")
    assert_refused(shipped("export", "--template", str(template)), 2, "template")
    template.write_text("{{ no_such_value }}")
    assert_refused(shipped("export", "--template", str(template)), 2, "no_such_value")
    assert_refused(shipped("export", "--template", str(tmp_path / "missing.j2")), 2, "missing")


def test_config_and_topic_settings(db):
    assert db.ok("config", "set", "title", "Season 2 tracker").stdout == "title set\n"
    assert db.ok("config", "set", "title", "Season 2 tracker").stdout == "title unchanged\n"
    db.ok("config", "set", "intro", "What we know.")
    shown = db.json("config", "show")
    assert {key: shown[key] for key in ("title", "intro")} == {
        "title": "Season 2 tracker",
        "intro": "What we know.",
    }
    assert db.ok("export").stdout.startswith("# Season 2 tracker\n\nWhat we know.\n")
    add_claim(db, "x", "--topic", "Release")
    settings = db.json("topic", "set", "release", "--heading", "When?", "--order", "3")
    assert settings == {"name": "Release", "heading": "When?", "order": 3, "intro": None}
    assert db.json("topic", "set", "RELEASE", "--heading", "")["heading"] is None
    assert_refused(db("topic", "set", "Release"), 2, "nothing to set")
    assert_refused(db("config", "set", "colour", "red"), 2, "KEY")


@pytest.mark.slow  # builds a wheel in a pip process
def test_the_default_template_ships_in_a_built_wheel(tmp_path):
    """A non-editable install must include the template, not only this source tree."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("aousdctl-*.whl"))
    assert "aousdctl/formats/templates/article.md.j2" in zipfile.ZipFile(wheel).namelist()


def test_the_readme_excerpt_is_real_output():
    """Every line the README shows of the shipped article is in the golden article."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("```markdown\n")[1].split("```")[0]
    article = GOLDEN.read_text(encoding="utf-8").splitlines()
    shown = [line for line in excerpt.splitlines() if line and not line.endswith("...")]
    assert shown and all(line in article for line in shown)
