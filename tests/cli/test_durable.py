"""Durable files: what `export --output` may replace, what the reader accepts, temporary
files, file modes, and exit codes that stay true when output can't be printed. (FIFOs,
devices and closed or full output need real processes: tests/process/test_durable.py.)

Each test backs a guarantee in docs/reliability.md.
"""

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.files import files_in, texts
from tests.support.runner import assert_refused

# --- export --output never replaces the database, a FIFO, a device or a folder -------------


@pytest.mark.parametrize(
    "output",
    [
        "db/claims.json",
        "db/../db/claims.json",
        "./db//claims.json",
        "db/claims.json.lock",
        "db/.claims.json.journal",
        "db/.claims.json.abcdefgh.tmp",
        "link-to-the-database",
        "hard-link-to-the-database",
    ],
)
def test_export_refuses_to_write_over_the_database_or_its_files(db, db_path, tmp_path, output):
    db.add("Filming started in 2023")
    (tmp_path / "link-to-the-database").symlink_to(db_path)
    os.link(db_path, tmp_path / "hard-link-to-the-database")
    before = db_path.read_bytes()
    folder_before = files_in(db_path.parent)
    for extra in ([], ["--format", "json"], ["--check"]):
        assert_refused(db("export", "--output", output, *extra), 2, "database")
    assert db_path.read_bytes() == before
    assert files_in(db_path.parent) == folder_before


def test_export_refuses_a_database_reached_through_a_symlinked_database_path(cli, tmp_path):
    real = tmp_path / "data" / "real.json"
    cli.db_path = real
    cli.ok("init")
    link = tmp_path / "claims.json"
    link.symlink_to(real)
    cli.db_path = link
    cli.add("one")
    before = real.read_bytes()
    for output in (str(real), str(link), str(real) + ".lock", str(tmp_path / ".claims.json.x")):
        assert_refused(cli("export", "--output", output), 2, "database")
    assert real.read_bytes() == before


def test_export_writes_through_a_symlink_and_keeps_the_link(db, tmp_path):
    db.add("Filming started in 2023")
    target = tmp_path / "site" / "explainer.md"
    target.parent.mkdir()
    target.write_text("old article\n")
    target.chmod(0o640)
    link = tmp_path / "explainer.md"
    link.symlink_to(target)
    assert db.ok("export", "--output", str(link)).stdout == f"Wrote {link}\n"
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == db.ok("export").stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert db.ok("export", "--output", str(link), "--check").stdout == f"{link} unchanged\n"
    assert files_in(target.parent) == ["explainer.md"]


def test_export_creates_missing_folders_of_its_output(db, tmp_path):
    db.add("Filming started in 2023")
    output = tmp_path / "site" / "docs" / "explainer.md"
    check = db("export", "--output", str(output), "--check")
    assert (check.exit_code, check.stdout) == (1, f"{output} would change\n")
    assert not output.parent.exists()  # --check writes nothing
    db.ok("export", "--output", str(output))
    assert output.read_text() == db.ok("export").stdout


# --- the reader refuses what it can't hold faithfully -------------------------------------

REPEATED_KEYS = {
    "a repeated table": '{"schema_version": 3, "claims": {}, "claims": {}}',
    "a repeated claim id": (
        '{"schema_version": 3, "claims": {"1": CLAIM, "1": CLAIM}, "meta": {}, "config": {}}'
    ),
    "a repeated field deep in a source": "SOURCE",
}


@pytest.fixture
def repeated_key_file(db, db_path) -> Iterator[dict[str, str]]:
    claim_id = db.add("Filming started in 2023", "--source", "https://example.com/a")
    text = db_path.read_text()
    claim = json.dumps(json.loads(text)["claims"][claim_id])
    return {
        name: text.replace('"outlet": "example.com"', '"outlet": "a", "outlet": "b"')
        if value == "SOURCE"
        else value.replace("CLAIM", claim)
        for name, value in REPEATED_KEYS.items()
    }


@pytest.mark.parametrize("kind", REPEATED_KEYS)
def test_a_repeated_key_at_any_level_is_refused_and_the_file_left_alone(
    db, db_path, repeated_key_file, kind
):
    content = repeated_key_file[kind].encode()
    assert json.loads(content)  # valid JSON, which keeps only the last of a repeated key
    db_path.write_bytes(content)
    folder_before = files_in(db_path.parent)
    for command in (["add", "x"], ["promote", "1"], ["list"], ["export"], ["undo"]):
        assert_refused(db(*command), 1, str(db_path), "repeats the key")
    assert db_path.read_bytes() == content
    assert files_in(db_path.parent) == folder_before


# --- temporary files: each kind matches only its own name ---------------------------------


def test_each_file_removes_only_its_own_leftover_temporary_files(db, db_path):
    folder = db_path.parent
    mine = folder / ".claims.json.abcdefgh.tmp"  # what a killed database write leaves
    article = folder / ".claims.json.md.ijklmnop.tmp"  # a killed `export -o claims.json.md`
    other = folder / ".claims.json.md.in-use.tmp"  # not a name this tool makes
    for path in (mine, article, other):
        path.write_text("half a file")
    db.add("one")
    beside = [".claims.json.journal", ".gitignore", "claims.json"]
    assert files_in(folder) == sorted([other.name, article.name, *beside])
    db.ok("export", "--output", str(folder / "claims.json.md"))
    assert files_in(folder) == sorted([other.name, *beside, "claims.json.md"])


# --- new files follow the umask; a replaced file keeps its mode ---------------------------


@pytest.fixture
def umask_077() -> Iterator[None]:
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_follow_the_umask(cli, db_path, tmp_path, umask_077):
    cli.ok("init")
    assert mode(db_path) == 0o600
    cli.add("one")
    assert mode(db_path) == 0o600
    article = tmp_path / "out" / "explainer.md"
    cli.ok("export", "--output", str(article))
    assert mode(article) == 0o600


def test_a_replaced_file_keeps_its_mode(db, db_path, tmp_path, umask_077):
    db_path.chmod(0o664)
    db.add("one")
    assert mode(db_path) == 0o664
    article = tmp_path / "explainer.md"
    article.write_text("old")
    article.chmod(0o644)
    db.ok("export", "--output", str(article))
    assert mode(article) == 0o644 and article.read_text() != "old"


# --- settings and numbers out of range are bad input --------------------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400", "-1", "-0.5"])
def test_a_lock_timeout_that_is_not_a_finite_non_negative_number_is_bad_input(db, db_path, value):
    before = db_path.read_bytes()
    result = db("add", "x", env={"AOUSDCTL_LOCK_TIMEOUT": value})
    assert_refused(result, 2, "AOUSDCTL_LOCK_TIMEOUT")
    assert db_path.read_bytes() == before


def test_a_zero_lock_timeout_is_allowed(db):
    db.ok("add", "x", env={"AOUSDCTL_LOCK_TIMEOUT": "0"})


# --- a custom template fails as bad input, with its line ---------------------------------

BROKEN_TEMPLATES = {
    "an unknown filter": (b"# {{ title }}\n{{ title | shout }}\n", 2),
    "an include": (b"# {{ title }}\n\n{% include 'other.j2' %}\n", 3),
    "an extends": (b"{% extends 'base.j2' %}\n", 1),
    "a runtime error": (b"# {{ title }}\n\n\n{{ 1 // 0 }}\n", 4),
    "an undefined name": (b"# {{ title }}\n{{ no_such_value }}\n", 2),
    "a wrong call": (b"line\n{{ title.upper(1, 2) }}\n", 2),
    "not UTF-8": (b"# {{ title }}\n\nok\ncaf\xe9\n", 4),
    "a syntax error": (b"# {{ title }}\n{% for %}\n", 2),
}


@pytest.mark.parametrize("template, line", BROKEN_TEMPLATES.values(), ids=BROKEN_TEMPLATES)
def test_every_way_a_template_fails_is_bad_input_with_its_line(db, tmp_path, template, line):
    db.add("Filming started in 2023")
    path = tmp_path / "layout.md.j2"
    path.write_bytes(template)
    output = tmp_path / "explainer.md"
    for extra in ([], ["--output", str(output)]):
        assert_refused(db("export", "--template", str(path), *extra), 2, f"(line {line})")
    assert not output.exists()
    assert files_in(tmp_path) == sorted(["db", "layout.md.j2"])


# --- exit codes stay true when the output can't be printed --------------------------------


def test_a_failure_after_the_change_was_saved_exits_0_and_says_so(db, db_path, monkeypatch):
    from aousdctl.cli import render

    def broken(data: object) -> bytes:
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(render, "json_bytes", broken)
    result = db("add", "saved before the renderer broke", "--json")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: the change was saved, but then: unexpected RuntimeError: the renderer broke\n"
    )
    assert texts(db_path) == ["saved before the renderer broke"]
    refused = db("list", "--json")  # nothing was saved: a plain failure
    assert_refused(refused, 1, "unexpected RuntimeError", "nothing was changed")


# --- holes found by trying to break it -------------------------------------------------------


def test_a_lock_file_that_is_not_ours_is_never_deleted(db, db_path, tmp_path):
    cargo = tmp_path / "Cargo.lock"
    cargo.write_text("keep\n")
    db.ok("export", "-o", str(tmp_path / "Cargo"))
    assert cargo.read_text() == "keep\n"
    notes = tmp_path / "notes.lock"
    notes.write_text("keep\n")
    type(db)(tmp_path / "notes").ok("init")
    assert notes.read_text() == "keep\n"
    assert not (db_path.parent / "claims.json.lock").exists()  # our own, empty, lock goes


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs /dev/shm")
def test_an_ordinary_file_in_dev_shm_is_a_fine_output(db, tmp_path):
    target = Path("/dev/shm") / f"aousdctl-test-{os.getpid()}.md"
    try:
        db.ok("export", "-o", str(target))
        assert target.read_text().startswith("# ")
    finally:
        target.unlink(missing_ok=True)


def test_the_gitignore_beside_the_database_is_not_an_output(db, db_path):
    before = (db_path.parent / ".gitignore").read_bytes()
    assert_refused(db("export", "-o", str(db_path.parent / ".gitignore")), 2, "database")
    assert (db_path.parent / ".gitignore").read_bytes() == before


def test_output_dash_is_stdout(db, tmp_path):
    assert db.ok("export", "-o", "-").stdout == db.ok("export").stdout
    assert not (tmp_path / "-").exists()


def test_an_empty_template_is_an_empty_article(db, tmp_path):
    (tmp_path / "empty.j2").write_text("")
    assert db.ok("export", "--template", str(tmp_path / "empty.j2")).stdout == ""


def test_a_failed_export_leaves_no_new_folders(db, tmp_path):
    (tmp_path / "broken.j2").write_text("{{ 1 / 0 }}")
    output = tmp_path / "new" / "deep" / "x.md"
    assert_refused(db("export", "--template", str(tmp_path / "broken.j2"), "-o", str(output)), 2)
    assert not (tmp_path / "new").exists()
