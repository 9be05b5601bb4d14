"""Trying hard to lose data: damaged files, odd paths, hostile input. (Concurrent writers,
SIGKILL mid-write and a full disk need real processes: tests/process/test_reliability.py.)

Each test backs a guarantee written in docs/reliability.md. The heaviest are marked `slow`;
`.ci/run` runs them all (`pytest -m "not slow"` skips them locally).
"""

import json
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from aousdctl.cli import app
from tests.support.files import leftovers
from tests.support.runner import NOW, add_claim, assert_refused

DAMAGED = {
    "truncated JSON": b'{"schema_version": 3, "claims": {"1": {"text": "Filming sta',
    "an empty file": b"",
    "JSON of the wrong shape": b'["a", "list"]',
    "another program's JSON": b'{"_default": {"1": {"x": 1}}}',
    "a newer schema": b'{"schema_version": 999, "claims": {}}',
    "tables that are not tables": b'{"schema_version": 3, "claims": [1, 2]}',
    "not UTF-8": b'{"schema_version": 3, "claims": {"1": "\xff\xfe"}}',
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
@pytest.mark.parametrize(
    "command", [["add", "x"], ["promote", "1"], ["list"], ["export"], ["import", "-"], ["undo"]]
)
def test_a_damaged_file_is_reported_and_left_untouched(db, db_path, content, command):
    db_path.write_bytes(content)
    result = db(*command, input="")
    assert_refused(result, 1, str(db_path))
    assert db_path.read_bytes() == content
    assert leftovers(db_path.parent) == []


def test_a_dangling_symlink_is_a_missing_database(cli, tmp_path):
    link = tmp_path / "db" / "claims.json"
    link.parent.mkdir()
    link.symlink_to(tmp_path / "nowhere.json")
    assert_refused(cli("add", "x"), 1, "no database", "init")
    assert not (tmp_path / "nowhere.json").exists()
    assert leftovers(link.parent) == []


def test_a_directory_at_the_path_is_refused(cli, db_path):
    db_path.mkdir(parents=True)
    for command in (["add", "x"], ["list"], ["init"]):
        assert_refused(cli(*command), 1, str(db_path))
    assert leftovers(db_path.parent) == []


@contextmanager
def read_only(folder: Path):
    """A folder nobody may change, root included: the immutable attribute (plain permissions
    don't stop root, who runs these tests here)."""
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_is_refused_and_nothing_is_left(db, db_path):
    add_claim(db, "one")
    before = db_path.read_bytes()
    with read_only(db_path.parent):
        assert_refused(db("add", "two"), 1, "can't lock")
        assert_refused(db("export", "--output", str(db_path.parent / "a.md")), 1, "a.md")
        assert db.json("list")[0]["text"] == "one"  # reading still works
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [
        ".claims.json.journal",
        ".gitignore",
        "claims.json",
    ]


def test_a_lock_file_left_by_a_killed_process_is_cleaned_up(db, db_path):
    (db_path.parent / "claims.json.lock").write_text("")
    stale = db_path.parent / ".claims.json.k3xq9m2a.tmp"  # as tempfile names them
    stale.write_text("half a file")
    add_claim(db, "after a crash")
    assert leftovers(db_path.parent) == []


# Hostile input: anything a user might paste. Either it is refused as bad input with nothing
# written, or it is stored and comes back exactly (outer whitespace trimmed) through show,
# the JSON export and an import into a fresh database, and it never leaves the article as
# HTML or as a link.
printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
hostile_text = st.one_of(
    st.text(alphabet=printable, min_size=1, max_size=120),
    st.text(alphabet=printable, min_size=1, max_size=120),
    st.text(max_size=80),
    st.sampled_from(
        [
            "청산이 하이브리드로 돌아온다",
            "\u202egnp.exe",
            "שלום עולם",
            "<script>alert(1)</script>",
            "[x](javascript:alert(1))",
            "[^1]: fake",
            "# Heading",
            "{{ 7 * 7 }}",
            "{% raw %}",
            "- - -",
            "1. item",
            "`code`",
            "![img](http://e.com/a.png)",
            "<https://evil.example>",
            "a\u0000b",
            "line\nbreak",
            "\ud800",
            " padded ",
            "www.evil.example",
            "me@evil.example",
        ]
    ),
)
hostile_url = st.one_of(
    st.sampled_from(
        [
            "https://example.com/a",
            "http://例え.jp/パス",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<b>x</b>",
            "https://example.com/<script>",
            'https://e.com/"><img>',
            "HTTPS://EXAMPLE.COM/x?y=1#z",
            "https://",
            "//example.com",
            "ftp://example.com/f",
        ]
    ),
    st.text(max_size=40).map(lambda s: "https://example.com/" + s),
)


def refused_or_stored(result) -> bool:
    """True if stored; asserts a clean refusal otherwise."""
    if result.exit_code == 0:
        return True
    assert_refused(result, 2)
    return False


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=hostile_text,
    topic=hostile_text,
    tag=hostile_text,
    note=hostile_text,
    outlet=hostile_text,
    url=hostile_url,
)
def test_hostile_input_is_refused_or_round_trips_inert(
    tmp_path_factory, text, topic, tag, note, outlet, url
):
    folder = tmp_path_factory.mktemp("hostile")
    runner = CliRunner()
    source_db, copy_db = folder / "a.json", folder / "b.json"
    for path in (source_db, copy_db):
        assert runner.invoke(app, ["--db", str(path), "init"]).exit_code == 0
    before = source_db.read_bytes()

    def run(path: Path, *args: str, input: str | None = None):
        return runner.invoke(
            app, ["--db", str(path), *args], input=input, env={"AOUSDCTL_NOW": NOW}
        )

    # Options first, then `--`: a text like "--help" is a claim, not an option.
    added = run(
        source_db, "add", "--topic", topic, "--tag", tag, "--note", note, "--json", "--", text
    )
    if not refused_or_stored(added):
        assert source_db.read_bytes() == before
        return
    claim = json.loads(added.stdout)
    assert (claim["text"], claim["topic"], claim["tags"]) == (
        text.strip(),
        topic.strip(),
        [tag.strip()],
    )
    assert claim["note"] == (note.strip() or None)
    claim_id = claim["id"]
    sourced = run(source_db, "source", "add", "--outlet", outlet, "--", claim_id, url)
    if refused_or_stored(sourced):
        claim = json.loads(run(source_db, "show", claim_id, "--json").stdout)
    assert json.loads(run(source_db, "show", claim_id, "--json").stdout) == claim

    exported = run(source_db, "export", "--format", "json").stdout
    assert run(copy_db, "import", "-", input=exported).exit_code == 0
    assert json.loads(run(copy_db, "show", claim_id, "--json").stdout) == claim

    article = run(source_db, "export").stdout
    html = MarkdownIt("commonmark").enable("strikethrough").render(article)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    hrefs = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert all(href.lower().startswith(("http://", "https://")) for href in hrefs)
    assert len(hrefs) <= len(claim["sources"])
    assert "49" not in article.replace(NOW, "") or "49" in json.dumps(claim)


def test_a_megabyte_of_text_round_trips(db, tmp_path):
    text = ("청산 " * 200_000)[:1_000_000].strip()
    record = {
        "text": text,
        "topic": "Long",
        "note": "n" * 1_000_000,
        "sources": [{"url": "https://example.com/" + "p" * 100_000, "outlet": "o" * 50_000}],
    }
    lines = tmp_path / "long.jsonl"
    lines.write_text(json.dumps(record, ensure_ascii=False) + "\n")
    assert db.ok("import", str(lines)).stdout == "1 added, 0 updated, 0 unchanged\n"
    (claim,) = db.json("list")
    assert (claim["text"], claim["note"]) == (text, record["note"])
    assert claim["sources"][0]["url"] == record["sources"][0]["url"]


def test_template_code_in_a_claim_comes_out_literally(db):
    add_claim(
        db,
        "{{ 7 * 7 }} {% for x in range(3) %}x{% endfor %} {# hidden #}",
        "--note",
        "{{ config }} {{ ''.__class__.__mro__ }}",
    )
    article = db.ok("export").stdout
    assert "{{ 7 \\* 7 }} {% for x in range(3) %}x{% endfor %} {\\# hidden \\#}" in article
    assert "{{ config }} {{ ''.\\_\\_class\\_\\_.\\_\\_mro\\_\\_ }}" in article
