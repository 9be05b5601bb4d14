"""Sharing through real git with events as the truth: `git revert` of a confirmation, `undo`
after a push, `pull --rebase` and cherry-pick, each ending with a valid claim, `doctor`
clean and every command working on every claim."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.git import GIT_ENV, Clone

BIN = Path(sys.executable).parent
needs_git = pytest.mark.skipif(
    shutil.which("git") is None or not (BIN / "aousdctl").exists(),
    reason="needs git and the installed command",
)


def shown(clone: Clone, claim_id: str) -> dict[str, Any]:
    return dict(clone.cli.json("show", claim_id))


def assert_sound(clone: Clone) -> None:
    """`doctor` is clean, and every command works on every claim."""
    assert clone.cli("doctor").exit_code == 0, clone.cli("doctor").stdout
    for claim in clone.cli.json("list"):
        clone.cli.ok("edit", claim["id"], "--tag", "checked")


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Clone, Clone, str]:
    """A shared bare repository and two clones of it with the driver set up, holding a claim
    (returned by id) that was promoted to confirmed with its source in a commit of its own."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")
    bare = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    first = Clone(tmp_path / "laptop")
    subprocess.run(["git", "clone", "-q", str(bare), str(first.folder)], check=True)
    first.cli.ok("init", "--title", "Season 2")
    claim_id = first.cli.add("Season 2 is confirmed")
    first.cli.add("Cheong-san returns")
    first.cli.ok("git-setup")
    first.commit("The record")
    first.cli.ok("promote", claim_id, "--to", "confirmed", "--source", "https://example.com/tudum")
    first.commit("Confirmed")
    first.git("push", "-q", "origin", "HEAD:main")
    second = Clone(tmp_path / "server")
    subprocess.run(["git", "clone", "-q", str(bare), str(second.folder)], check=True)
    second.cli.ok("git-setup")
    return first, second, claim_id


@needs_git
def test_git_revert_of_a_confirmation_takes_back_the_status_and_its_source(team):
    laptop, _, claim_id = team
    laptop.cli.ok("edit", claim_id, "--tag", "official")  # a later change to the same claim
    laptop.commit("Tagged")
    confirmed = laptop.git("rev-parse", "HEAD~1").stdout.strip()
    laptop.git("revert", "--no-edit", confirmed)
    claim = shown(laptop, claim_id)
    assert (claim["status"], claim["sources"], claim["tags"]) == ("rumor", [], ["official"])
    assert "promoted" not in [event["action"] for event in claim["history"]]
    assert_sound(laptop)


@needs_git
def test_undo_after_a_push_reaches_the_other_clone_through_a_pull(team):
    laptop, server, claim_id = team
    server.git("pull", "-q", "--no-rebase", "--no-edit")
    server.cli.ok("edit", claim_id, "--note", "Seen on the server")
    server.commit("A note")
    laptop.cli.ok("undo")  # the pushed promotion, undone where it was made
    laptop.commit("Undone")
    laptop.git("push", "-q")
    server.git("pull", "-q", "--no-rebase", "--no-edit")
    claim = shown(server, claim_id)
    assert (claim["status"], claim["sources"], claim["note"]) == ("rumor", [], "Seen on the server")
    tombstones = json.loads(server.cli.db_path.read_text())["tombstones"]
    holders = {record.get("claim") or record["source"] for record in tombstones.values()}
    assert holders == {claim_id, "https://example.com/tudum"}  # the promotion and its source
    assert_sound(server)


@needs_git
def test_pull_with_rebase_of_diverging_status_changes_ends_valid_and_flagged(team):
    laptop, server, claim_id = team
    server.git("pull", "-q", "--no-rebase", "--no-edit")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T09:00:00Z")
        server.cli.ok("demote", claim_id, "--why", "only one outlet")
    server.commit("Demoted")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T10:00:00Z")
        laptop.cli.ok("debunk", claim_id, "--why", "denied by the studio")
    laptop.commit("Debunked")
    laptop.git("push", "-q")
    rebased = server.git("pull", "-q", "--rebase")
    assert "CONFLICT" not in rebased.stdout + rebased.stderr
    assert server.git("status", "--porcelain").stdout == ""
    claim = shown(server, claim_id)
    assert [event["action"] for event in claim["history"]][-3:] == ["demoted", "debunked", "merged"]
    assert claim["status"] == "debunked"
    review = server.cli("review", "--check")
    assert review.exit_code == 1 and claim_id in review.stdout
    assert_sound(server)


@needs_git
def test_a_cherry_picked_change_lands_beside_the_branch_own_changes(team):
    laptop, _, claim_id = team
    laptop.git("checkout", "-q", "-b", "drafts")
    laptop.cli.ok("edit", claim_id, "--text", "Netflix confirmed Season 2")
    laptop.commit("Reworded")
    laptop.cli.add("A draft nobody should see")
    laptop.commit("Draft")
    reworded = laptop.git("rev-parse", "HEAD~1").stdout.strip()
    laptop.git("checkout", "-q", "main")
    laptop.cli.ok("demote", claim_id, "--why", "the source was a rumor mill")
    laptop.commit("Demoted")
    laptop.git("cherry-pick", reworded)
    claim = shown(laptop, claim_id)
    assert (claim["text"], claim["status"]) == ("Netflix confirmed Season 2", "reported")
    texts = {claim["text"] for claim in laptop.cli.json("list")}
    assert "A draft nobody should see" not in texts
    assert_sound(laptop)


@needs_git
def test_two_clones_describing_one_source_keep_both_changes_through_a_pull(team):
    laptop, server, claim_id = team
    source = "https://example.com/tudum"
    server.git("pull", "-q", "--no-rebase", "--no-edit")
    server.cli.ok("source", "edit", source, "--publisher", "Netflix")
    server.commit("Publisher")
    server.git("push", "-q", "origin", "HEAD:main")
    laptop.cli.ok("source", "edit", source, "--title", "Season 2 is happening")
    laptop.cli.ok("source", "add", claim_id, "https://example.com/denial", "--refutes")
    laptop.commit("Title and a denial")
    laptop.git("pull", "-q", "--no-rebase", "--no-edit")
    [record] = [s for s in laptop.cli.json("source", "list") if s["url"] == source]
    assert (record["publisher"], record["title"]) == ("Netflix", "Season 2 is happening")
    stances = {s["url"]: s["stance"] for s in shown(laptop, claim_id)["sources"]}
    assert stances == {source: "supports", "https://example.com/denial": "refutes"}
    assert_sound(laptop)
    laptop.commit("Checked")
    edited = laptop.git("log", "--format=%H", "-1", "--grep", "Title and a denial").stdout.strip()
    laptop.git("revert", "--no-edit", edited)
    [record] = [s for s in laptop.cli.json("source", "list") if s["url"] == source]
    assert (record["publisher"], record["title"]) == ("Netflix", None)
    assert [s["url"] for s in shown(laptop, claim_id)["sources"]] == [source]
    assert_sound(laptop)
