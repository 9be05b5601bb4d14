"""Undo beside git: a checkout under the journal, and the ignore file that keeps the journal
out of commits."""

import subprocess
import time
from pathlib import Path

from tests.support.files import JOURNAL, document, journal_of
from tests.support.git import git_output
from tests.support.runner import assert_refused


def committed_repository(db, folder: Path) -> str:
    git_output(folder, "init", "--quiet")
    git_output(folder, "config", "user.email", "test@example.com")
    git_output(folder, "config", "user.name", "Test")
    first = db.add("Filming started in 2023")
    git_output(folder, "add", "-A")
    git_output(folder, "commit", "--quiet", "-m", "one claim")
    return first


def test_undo_refuses_after_git_checks_out_another_version(db, tmp_path):
    first = committed_repository(db, tmp_path)
    db.add("A second claim")
    git_output(tmp_path, "commit", "--quiet", "-am", "two claims")
    db.ok("promote", first)
    git_output(tmp_path, "checkout", "--quiet", "HEAD~1", "--", "db/claims.json")
    before = (tmp_path / "db" / "claims.json").read_bytes()
    assert_refused(db("undo"), 1, "nothing it can safely undo", "git pull")
    assert (tmp_path / "db" / "claims.json").read_bytes() == before
    assert [claim["text"] for claim in db.json("list")] == ["Filming started in 2023"]


def test_undo_goes_on_when_git_rewrites_the_same_content(db, tmp_path):
    """A new file with the very content this clone wrote (a checkout, a copy) is still its."""
    first = committed_repository(db, tmp_path)
    db.ok("promote", first)
    git_output(tmp_path, "commit", "--quiet", "-am", "promoted")
    (tmp_path / "db" / "claims.json").unlink()
    time.sleep(0.01)
    git_output(tmp_path, "checkout", "--quiet", "--", "db/claims.json")
    db.ok("undo")
    assert db.json("show", first)["status"] == "rumor"


def test_the_journal_lives_beside_the_database_and_git_ignores_it(db, db_path, tmp_path):
    first = committed_repository(db, tmp_path)
    assert "journal" not in document(db_path)
    assert journal_of(db_path).is_file()
    assert (db_path.parent / ".gitignore").read_text() == f"/{JOURNAL}\n/claims.json.lock\n"
    db.ok("promote", first)
    db.ok("undo")
    db.ok("promote", first)
    status = git_output(tmp_path, "status", "--porcelain", "--untracked-files=all")
    assert status == " M db/claims.json\n"
    assert git_output(tmp_path, "ls-files") == "db/.gitignore\ndb/claims.json\n"


def test_init_writes_the_ignore_file_beside_a_database_with_an_odd_name(cli, tmp_path):
    cli.db_path = tmp_path / "notes" / "my [s2] #1.json"
    cli.ok("init")
    assert (tmp_path / "notes" / ".gitignore").read_text() == (
        "/.my \\[s2\\] \\#1.json.journal\n/my \\[s2\\] \\#1.json.lock\n"
    )
    cli.ok("add", "Filming started in 2023")
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    status = git_output(tmp_path, "status", "--porcelain", "--untracked-files=all")
    assert sorted(status.splitlines()) == ['?? "notes/my [s2] #1.json"', "?? notes/.gitignore"]
