"""`export` and `import`: the explainer article, the JSON document and JSON Lines, and what two
clones exchanging exports end with."""

import json
import os
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.support.paths import GOLDEN_ARTICLE, GOLDEN_NOW, SHIPPED_DATABASE
from tests.support.records import IMPORT_LINES, jsonl
from tests.support.runner import NOW, Cli, add_claim, add_in_order, assert_refused

NETFLIX = "https://www.netflix.com/title/81237994"
HOSTILE_TEXT = "<script>alert(1)</script> [x](javascript:alert(1))"


# --- export: the article -----------------------------------------------------------------


@pytest.fixture
def shipped(cli, db_path, monkeypatch):
    """A copy of the shipped database, read at the golden file's moment."""
    db_path.parent.mkdir(parents=True)
    shutil.copy(SHIPPED_DATABASE, db_path)
    monkeypatch.setenv("AOUSDCTL_NOW", GOLDEN_NOW)
    return cli


def test_the_shipped_database_gives_the_golden_article(shipped):
    article = shipped.ok("export").stdout
    if os.environ.get("AOUSDCTL_UPDATE_GOLDEN"):
        GOLDEN_ARTICLE.write_text(article, encoding="utf-8")
    assert article == GOLDEN_ARTICLE.read_text(encoding="utf-8")


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
    # Logged in 2026 about October 2025: a claim about the past, never an overdue prediction.
    assert "  - Expected: October 2025.\n" in article and "**Overdue:**" not in article


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
    assert "- first[^1] (" in article
    assert "- second[^2],[^1] (" in article
    assert "- third (rumored since 23 November 2026; *unsourced*)" in article
    assert article.count(f"<{NETFLIX}>") == 1
    assert (
        "[^1]: Netflix, \u201cAll of Us Are Dead\u201d, published 28 January 2022, "
        f"accessed 23 November 2026. <{NETFLIX}>"
    ) in article
    assert "[^2]: example\\.com, accessed 23 November 2026. <https://example.com/a>" in article


def test_overdue_predictions_in_the_article_and_in_list(db, monkeypatch):
    predictions = [
        ("late 2025 release", "--expected", "2025-10"),
        ("reported for 2026", "--status", "reported", "--expected", "2026-11-22"),
        ("confirmed long ago", "--status", "confirmed", "--source", NETFLIX, "--expected", "2025"),
        ("not yet due", "--expected", "2026-11"),
        ("no date at all",),
    ]
    added = []
    for day, args in enumerate(predictions, start=1):
        # Logged in January 2025, before any of the windows ended: each was a prediction.
        monkeypatch.setenv("AOUSDCTL_NOW", f"2025-01-{day:02d}T12:00:00Z")
        added.append(add_claim(db, *args))
    monkeypatch.setenv("AOUSDCTL_NOW", NOW)
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
        "- 20 November 2026: \u201can old rumor\u201d (now reported, was a rumor)",
        "- 1 November 2026: \u201ca fresh rumor\u201d (new, a rumor)",
    ]  # newest first; the add of 1 September is outside the 30 days up to the last change
    since = db.ok("export", "--changes-since", "2026-08").stdout
    # One line per claim:
    assert "20 November 2026: \u201can old rumor\u201d (new, reported)" in since
    assert_refused(db("export", "--changes-since", "last week"), 2, "YYYY")


def test_whats_new_has_one_line_per_claim_for_the_period(db, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-09-01T00:00:00Z")
    climbed = db.add("climbed the ladder")
    back = db.add("went up and back down")
    early = db.add("added and promoted in the period")
    false = db.add("shown false")
    db.ok("promote", early)  # before the period
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-02T00:00:00Z")
    db.ok("promote", climbed)
    db.ok("promote", back)
    db.ok("debunk", false, "--why", "Netflix denied it")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-10T00:00:00Z")
    db.ok("promote", climbed, "--to", "confirmed", "--source", NETFLIX)
    db.ok("demote", back, "--why", "Retracted")
    db.ok("edit", climbed, "--text", "Climbed the whole ladder")
    new = db.add("brand new", "--status", "reported", "--source", NETFLIX)
    db.ok("promote", new)
    news = db.ok("export", "--changes-since", "2026-10").stdout
    news = news.split("## What's new")[1].split("\n## ")[0]
    assert [line for line in news.splitlines() if line.startswith("- ")] == [
        "- 10 November 2026: \u201cbrand new\u201d (new, confirmed)",
        "- 10 November 2026: \u201cClimbed the whole ladder\u201d (now confirmed, was a rumor)",
        "- 2 November 2026: \u201cshown false\u201d (debunked, was a rumor)",
    ]  # claim 2 ends where it began; claim 3 moved before the period


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


# --- export --format json, and import ----------------------------------------------------


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


def test_import_reads_what_list_json_prints(two, tmp_path):
    listed = two.ok("list", "--json").stdout
    other = Cli(tmp_path / "other.json")
    other.ok("init")
    assert other.ok("import", "-", input=listed).stdout == "2 added, 0 updated, 0 unchanged\n"
    assert [c["text"] for c in other.json("list")] == [c["text"] for c in json.loads(listed)]
    assert other.ok("import", "-", input=listed).stdout == "0 added, 0 updated, 2 unchanged\n"


def test_list_json_into_import_keeps_the_ids(two, tmp_path):
    other = Cli(tmp_path / "copy.json")
    other.ok("init")
    other.ok("import", "-", input=two.ok("list", "--json").stdout)
    assert {c["id"] for c in other.json("list")} == set(two.ids)


def test_a_bad_record_in_an_array_is_named_and_nothing_is_imported(db):
    result = db("import", "-", input='[{"text": "fine"}, {"text": ""}]')
    assert_refused(result, 2, "claim 2")
    assert db.json("list") == []


@pytest.mark.parametrize("flag", ["--jsonl", "--nl"])
def test_list_prints_json_lines_that_import_reads(two, flag):
    output = two.ok("list", flag).stdout
    lines = output.splitlines()
    assert [json.loads(line)["text"] for line in lines] == [
        "Filming started in 2023",
        "Cheong-san returns as a hybrid",
    ]
    assert two.ok("import", "-", input=output).stdout == "0 added, 0 updated, 2 unchanged\n"
    assert_refused(two("list", "--json", flag), 2, "--jsonl")


def test_json_lines_with_a_byte_order_mark_are_accepted(db, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "first"}\n{"text": "second"}\n')
    assert db.ok("import", str(path)).stdout == "2 added, 0 updated, 0 unchanged\n"
    assert sorted(c["text"] for c in db.json("list")) == ["first", "second"]


def test_json_lines_import_adds_then_changes_nothing(db, db_path, tmp_path):
    path = jsonl(tmp_path, *IMPORT_LINES)
    assert db.ok("import", str(path)).stdout == "3 added, 0 updated, 0 unchanged\n"
    # One import, one moment: the claims come oldest first, then by id.
    claims = db.json("list")
    assert [c["id"] for c in claims] == sorted(c["id"] for c in claims)
    claims.sort(key=lambda claim: claim["text"])
    assert [(c["status"], c["topic"]) for c in claims] == [
        ("reported", "Production"),
        ("confirmed", "General"),
        ("rumor", "Release"),
    ]
    assert claims[0]["sources"][0] == {
        "url": "https://example.com/f",
        "stance": "supports",
        "outlet": "Example",
        "publisher": None,
        "accessed": NOW[:10],
        "archive": None,
        "title": None,
        "published": None,
    }
    assert claims[1]["history"][0]["at"] == NOW
    before = db_path.stat()
    assert db.ok("import", str(path)).stdout == "0 added, 0 updated, 3 unchanged\n"
    assert db_path.stat().st_mtime_ns == before.st_mtime_ns


def test_import_matches_like_add_and_reports_as_json(db, tmp_path):
    add_claim(db, "filming started in 2023", "--topic", "production")
    path = jsonl(
        tmp_path,
        IMPORT_LINES[0],
        IMPORT_LINES[1],
        {"text": "Season 2 premieres in LATE 2025", "topic": "release", "tags": ["guess"]},
    )
    summary = json.loads(db.ok("import", str(path), "--json").stdout)
    assert summary == {"added": 1, "updated": 1, "unchanged": 1}
    claims = db.json("list", "--topic", "release")
    assert [claim["tags"] for claim in claims] == [["guess"]]
    assert len(db.json("list")) == 2


def test_import_from_stdin(db):
    result = db.ok("import", "-", input=json.dumps({"text": "From a pipe"}) + "\n")
    assert result.stdout == "1 added, 0 updated, 0 unchanged\n"
    assert db.ok("import", "-", "--quiet", input="").stdout == ""


@pytest.mark.parametrize(
    "bad, words",
    [
        ("{not json", ["line 2", "not JSON"]),
        (json.dumps({"text": "x", "status": "likely"}), ["line 2", "status"]),
        (json.dumps({"text": "x", "sources": ["javascript:alert(1)"]}), ["line 2", "http"]),
        (json.dumps({"text": "   "}), ["line 2", "blank"]),
        (json.dumps({"topic": "no text"}), ["line 2", "text"]),
        (json.dumps({"text": "x", "expected": "soon"}), ["line 2", "YYYY"]),
        (json.dumps(["a", "list"]), ["line 2", "object"]),
        (json.dumps({"text": "x", "status": "confirmed"}), ["line 2", "source"]),
    ],
)
def test_one_bad_line_refuses_the_whole_file(db, db_path, tmp_path, bad, words):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps(IMPORT_LINES[0]) + "\n" + bad + "\n" + json.dumps(IMPORT_LINES[1]) + "\n"
    )
    before = db_path.read_bytes()
    assert_refused(db("import", str(path)), 2, *words, "nothing was imported")
    assert db_path.read_bytes() == before


def test_a_missing_import_file_is_bad_input(db, tmp_path):
    assert_refused(db("import", str(tmp_path / "nope.jsonl")), 2, "nope.jsonl")


def test_import_stores_canonical_urls(db, tmp_path: Path) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text(
        json.dumps({"text": "A", "sources": ["https://Example.com/x?utm_medium=rss"]}) + "\n"
    )
    db.ok("import", str(lines))
    assert db.json("list")[0]["sources"][0]["url"] == "https://example.com/x"


# --- Two clones exchanging exports -------------------------------------------------------


def _copy_of(cli: Cli, path: Path) -> Cli:
    path.write_bytes(cli.db_path.read_bytes())
    return Cli(path)


def _exchange(one: Cli, other: Cli, tmp_path: Path) -> None:
    """Each clone imports the other's export, as two people sharing files would."""
    for source, target in ((one, other), (other, one)):
        exported = tmp_path / "exchange.json"
        exported.write_text(source.ok("export", "--format", "json").stdout, encoding="utf-8")
        target.ok("import", str(exported))


def test_import_applies_the_other_clones_status_changes_once(tmp_path: Path) -> None:
    here = Cli(tmp_path / "here.json")
    here.ok("init")
    first = here.add("Filming started in 2023", "--source", "https://example.com/a")
    second = here.add("Cheong-san returns")
    there = Cli(tmp_path / "there.json")
    shutil.copy(here.db_path, there.db_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:00Z")
        there.ok("promote", first, "--to", "confirmed")
        there.ok("debunk", second, "--note", "the actor denied it")
    exported = tmp_path / "there-export.json"
    exported.write_text(there.ok("export", "--format", "json").stdout, encoding="utf-8")
    summary = here.json("import", str(exported))
    assert summary == {"added": 0, "updated": 2, "unchanged": 0}
    claims = {str(claim["id"]): claim for claim in here.json("list")}
    assert claims[first]["status"] == "confirmed"
    assert claims[second]["status"] == "debunked"
    assert claims[second]["history"][-1]["note"] == "the actor denied it"
    before = here.db_path.read_bytes()
    assert here.json("import", str(exported)) == {"added": 0, "updated": 0, "unchanged": 2}
    assert here.db_path.read_bytes() == before
    assert here("doctor").exit_code == 0


def test_two_clones_importing_each_others_exports_end_the_same(tmp_path: Path) -> None:
    here = Cli(tmp_path / "here.json")
    here.ok("init")
    claim = here.add("Filming started in 2023", "--source", "https://example.com/a")
    there = _copy_of(here, tmp_path / "there.json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-12-01T10:00:05Z")
        there.ok("debunk", claim, "--why", "denied")
        patch.setenv("AOUSDCTL_NOW", "2026-12-01T10:00:09Z")
        here.ok("promote", claim)
        for _ in range(3):  # imported where it is as late: no change from the future
            _exchange(here, there, tmp_path)
    mine, theirs = here.json("show", claim), there.json("show", claim)
    assert mine == theirs
    assert mine["status"] == "reported"  # the later change
    assert [e["action"] for e in mine["history"]] == ["added", "debunked", "promoted", "merged"]
    assert here("doctor").exit_code == 0


def test_import_matches_a_claim_by_id_whatever_its_wording_and_keeps_removals(
    tmp_path: Path,
) -> None:
    here = Cli(tmp_path / "here.json")
    here.ok("init")
    reworded = here.add("Claim one")
    removed = here.add("Claim two")
    there = _copy_of(here, tmp_path / "there.json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-12-01T10:00:00Z")
        there.ok("edit", reworded, "--text", "Claim one, reworded", "--expected", "2027-03")
        there.ok("promote", reworded)
        here.ok("rm", removed, "--yes")
        exported = tmp_path / "there.json.export"
        exported.write_text(there.ok("export", "--format", "json").stdout, encoding="utf-8")
        assert here.json("import", str(exported)) == {"added": 0, "updated": 1, "unchanged": 1}
    listed = here.json("list")
    assert [(c["id"], c["text"], c["status"], c["expected"]) for c in listed] == [
        (reworded, "Claim one, reworded", "reported", "2027-03")
    ]
