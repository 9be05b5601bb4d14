"""Sharing the record as people do: a shared repository, a server clone running the nightly
recipe from cron, and an editor's clone changing claims by hand, ten rounds interleaved."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.git import git
from tests.support.paths import NIGHTLY
from tests.support.runner import Cli

BIN = Path(sys.executable).parent
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.skipif(not (BIN / "aousdctl").exists(), reason="needs the installed command"),
]


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """A bare shared repository holding a small database, and two clones of it, each with
    the merge driver set up: the server's and the editor's."""
    monkeypatch.setenv("HOME", str(tmp_path))  # no user's git settings
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")
    for name, value in (("NAME", "Editor"), ("EMAIL", "editor@example.com")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(bare), str(seed))
    cli = Cli(seed / "db" / "claims.json")
    cli.ok("init", "--title", "Season 2")
    for text in ("Filming started in 2023", "Cheong-san returns", "Nam-ra returns"):
        cli.add(text, "--source", "https://example.com/first")
    cli.ok("git-setup")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "The record")
    git(seed, "push", "-q", "origin", "HEAD:main")
    clones = []
    for name in ("server", "laptop"):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(bare), str(clone))
        Cli(clone / "db" / "claims.json").ok("git-setup")
        clones.append(clone)
    return bare, clones[0], clones[1]


def nightly(server: Path, claims: Path, now: str) -> None:
    """The recipe as cron starts it: a bare environment, stdin closed."""
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": os.environ["HOME"],
        "GIT_CONFIG_NOSYSTEM": "1",
        "AOUSDCTL_NOW": now,
    }
    result = subprocess.run(
        ["sh", str(NIGHTLY), str(server), str(claims)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # no conflict needed a human (or resolve)


def statuses(cli: Cli) -> dict[str, tuple[str, str]]:
    return {claim["text"]: (claim["id"], claim["status"]) for claim in cli.json("list")}


@pytest.mark.slow
def test_ten_interleaved_rounds_lose_nothing_and_agree(
    shared: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, server, laptop = shared
    editor = Cli(laptop / "db" / "claims.json")
    expected: dict[str, str] = {}  # claim text -> the status both clones must end with
    for round_number in range(10):
        now = f"2026-11-{10 + round_number:02d}T08:00:00Z"
        monkeypatch.setenv("AOUSDCTL_NOW", now)
        git(laptop, "pull", "-q", "--no-rebase", "--no-edit")
        # The editor: a new claim, and one step for an open claim (promote or debunk).
        text = f"Editor's claim {round_number}"
        editor.add(text, "--topic", "Cast")
        expected[text] = "rumor"
        known = statuses(editor)
        movable = sorted(
            t for t, (_, status) in known.items() if status in ("rumor", "reported") and t != text
        )
        target = movable[round_number % len(movable)]
        claim_id, status = known[target]
        if round_number % 3 == 2:
            editor.ok("debunk", claim_id, "--why", f"denied in round {round_number}")
            expected[target] = "debunked"
        else:
            editor.ok("promote", claim_id, "--source", f"https://example.com/r{round_number}")
            expected[target] = "reported" if status == "rumor" else "confirmed"
        git(laptop, "commit", "-q", "-am", f"Round {round_number} by hand")
        # The server's night, while the editor's change is not pushed yet: new claims arrive.
        lines = tmp_path / f"night{round_number}.jsonl"
        night = [f"Overnight claim {round_number}a", f"Overnight claim {round_number}b"]
        lines.write_text("".join(json.dumps({"text": t}) + "\n" for t in night))
        nightly(server, lines, f"2026-11-{10 + round_number:02d}T03:00:00Z")
        expected.update(dict.fromkeys(night, "rumor"))
        # The editor pulls the night's work (a real merge: both sides changed the file).
        git(laptop, "pull", "-q", "--no-rebase", "--no-edit")
        git(laptop, "push", "-q")
    nightly(server, tmp_path / "night0.jsonl", "2026-11-21T03:00:00Z")
    git(laptop, "pull", "-q", "--no-rebase", "--no-edit")
    readers = [Cli(clone / "db" / "claims.json") for clone in (server, laptop)]
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-21T12:00:00Z")
    for reader in readers:
        found = {text: status for text, (_, status) in statuses(reader).items()}
        assert {text: found.get(text) for text in expected} == expected
        assert reader.ok("doctor").stdout.endswith(" claims\n")
    articles = [reader.ok("export").stdout for reader in readers]
    assert articles[0] == articles[1]
    assert articles[0] == (server / "explainer.md").read_text(encoding="utf-8")
    assert "<<<<<<<" not in (server / "db" / "claims.json").read_text(encoding="utf-8")


def _claims_of(clone: Path) -> Any:
    return json.loads((clone / "db" / "claims.json").read_text(encoding="utf-8"))["claims"]


def test_the_recipe_finishes_a_merge_git_could_not_make_alone(
    shared: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """A server clone without the driver: the recipe merges with `resolve` and says so."""
    _, server, laptop = shared
    git(server, "config", "--remove-section", "merge.aousdctl")
    editor = Cli(laptop / "db" / "claims.json")
    first = next(k for k, r in _claims_of(laptop).items() if r["text"].startswith("Filming"))
    editor.ok("promote", first)
    editor.add("Added on the laptop")
    git(laptop, "commit", "-q", "-am", "by hand")
    git(laptop, "push", "-q")
    lines = tmp_path / "night.jsonl"
    lines.write_text(json.dumps({"text": "Added overnight"}) + "\n")
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": os.environ["HOME"],
        "AOUSDCTL_NOW": "2026-11-24T03:00:00Z",
    }
    Cli(server / "db" / "claims.json").ok("edit", first, "--tag", "server")
    git(server, "commit", "-q", "-am", "tagged on the server")
    result = subprocess.run(
        ["sh", str(NIGHTLY), str(server), str(lines)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "aousdctl resolve" in result.stderr
    claims = {record["text"]: record for record in _claims_of(server).values()}
    assert {"Added on the laptop", "Added overnight"} <= set(claims)
    assert claims["Filming started in 2023"]["status"] == "reported"
    assert claims["Filming started in 2023"]["tags"] == ["server"]
