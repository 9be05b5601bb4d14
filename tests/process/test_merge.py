"""Sharing the record through git: the merge driver, `git-setup` and `resolve`, each tried in
real git repositories."""

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.git import GIT_ENV, Clone, repository
from tests.support.paths import SHIPPED_DATABASE
from tests.support.runner import Cli, assert_refused

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(autouse=True)
def git_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commits need a name; the driver is found on PATH, as in a real installation."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def _ids(clone: Clone) -> list[str]:
    return sorted(clone.claims(), key=lambda key: clone.claims()[key]["created"])


def test_git_setup_writes_attributes_and_config_once(tmp_path: Path) -> None:
    clone = repository(tmp_path, driver=False)
    first = clone.cli.ok("git-setup").stdout
    assert ".gitattributes" in first and "merge.aousdctl.driver" in first
    attributes = (clone.folder / ".gitattributes").read_text()
    assert attributes == "/db/claims.json merge=aousdctl\n"
    driver = clone.git("config", "--get", "merge.aousdctl.driver").stdout
    assert driver.strip().endswith("merge %O %A %B")
    again = clone.cli.ok("git-setup").stdout
    assert "nothing changed" in again
    assert (clone.folder / ".gitattributes").read_text() == attributes


def test_changes_to_different_claims_and_fields_are_both_kept(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    first, second, third = _ids(clone)
    clone.git("checkout", "-q", "-b", "laptop")
    clone.cli.ok("promote", first, "--to", "confirmed")
    clone.cli.ok("edit", third, "--tag", "cast")
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    clone.cli.ok("debunk", second, "--note", "denied by the studio")
    clone.cli.ok("edit", third, "--expected", "2027")
    clone.commit("server")
    merged = clone.git("merge", "-q", "--no-edit", "laptop")
    assert "CONFLICT" not in merged.stdout + merged.stderr
    claims = clone.claims()
    assert claims[first]["status"] == "confirmed"
    assert claims[second]["status"] == "debunked"
    assert claims[third]["tags"] == ["cast"] and claims[third]["expected"] == "2027"
    assert clone.cli("doctor").exit_code == 0


def test_diverging_status_changes_union_histories_and_flag_the_claim(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    first = _ids(clone)[0]
    clone.git("checkout", "-q", "-b", "laptop")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:00Z")
        clone.cli.ok("promote", first, "--to", "confirmed")
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T09:00:00Z")
        clone.cli.ok("debunk", first, "--note", "the studio denied it")
    clone.commit("server")
    clone.git("merge", "-q", "--no-edit", "laptop")
    claim = clone.claims()[first]
    actions = [event["action"] for event in claim["history"]]
    assert actions == ["added", "promoted", "debunked", "merged"]
    assert claim["status"] == "debunked"  # the latest event
    doctor = clone.cli("doctor")
    assert doctor.exit_code == 0 and first in doctor.stdout and "merged" in doctor.stdout
    review = {group["group"]: group for group in clone.cli.json("review")}
    assert [item["claim"] for item in review["merged"]["items"]] == [first]
    clone.cli.ok("promote", first, "--remark", "Checked both histories")
    assert clone.cli.json("review")[1]["count"] == 0  # the next change clears the flag
    assert "notice" not in clone.cli.ok("doctor").stdout


def test_the_same_field_edited_on_both_sides_keeps_the_later_and_the_other_in_history(
    tmp_path: Path,
) -> None:
    clone = repository(tmp_path)
    first = _ids(clone)[0]
    clone.git("checkout", "-q", "-b", "laptop")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T10:00:00Z")
        clone.cli.ok("edit", first, "--text", "Filming began in June 2023")
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T09:00:00Z")
        clone.cli.ok("edit", first, "--text", "Filming started in mid-2023")
    clone.commit("server")
    clone.git("merge", "-q", "--no-edit", "laptop")
    claim = clone.claims()[first]
    assert claim["text"] == "Filming began in June 2023"
    kept = [event["change"].get("text") for event in claim["history"]]
    assert "Filming started in mid-2023" in kept  # the other clone's edit, still in its event
    assert claim["history"][-1]["action"] == "merged"
    assert "text was changed on two clones" in claim["history"][-1]["note"]
    assert clone.cli("doctor").exit_code == 0


def test_a_claim_removed_on_one_side_and_changed_on_the_other_stays(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    first = _ids(clone)[0]
    clone.git("checkout", "-q", "-b", "laptop")
    clone.cli.ok("promote", first)
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    clone.cli.ok("rm", first, "--yes")
    clone.commit("server")
    clone.git("merge", "-q", "--no-edit", "laptop")
    claim = clone.claims()[first]
    assert claim["status"] == "reported"
    assert "removed on one clone" in claim["history"][-1]["note"]
    assert "removed" not in [event["action"] for event in claim["history"]]
    assert clone.cli("doctor").exit_code == 0


def test_an_unreadable_side_is_a_conflict_and_nothing_is_lost(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    clone.git("checkout", "-q", "-b", "laptop")
    clone.cli.db_path.write_text("{ not json", encoding="utf-8")
    clone.commit("broken")
    clone.git("checkout", "-q", "main")
    clone.cli.add("Season 2 has eight episodes")
    clone.commit("server")
    ours = clone.cli.db_path.read_bytes()
    merged = clone.git("merge", "--no-edit", "laptop", check=False)
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout
    assert clone.cli.db_path.read_bytes() == ours  # git keeps our version, no markers
    assert b"<<<<<<<" not in clone.cli.db_path.read_bytes()


def test_resolve_finishes_a_merge_made_without_the_driver(tmp_path: Path) -> None:
    clone = repository(tmp_path, driver=False)
    first, second, _ = _ids(clone)
    clone.git("checkout", "-q", "-b", "laptop")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-23T13:00:00Z")
        clone.cli.ok("promote", first, "--to", "confirmed")
    clone.cli.add("Season 2 has eight episodes")
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-23T12:30:00Z")  # before the laptop's change
        clone.cli.ok("promote", first)
    clone.cli.add("A new school is the setting")
    clone.commit("server")
    merged = clone.git("merge", "--no-edit", "laptop", check=False)
    assert merged.returncode != 0
    assert "<<<<<<<" in clone.cli.db_path.read_text()
    resolved = clone.cli.ok("resolve")
    assert "git commit" in resolved.stdout
    clone.git("commit", "-q", "--no-edit")
    texts = {claim["text"] for claim in clone.claims().values()}
    assert {"Season 2 has eight episodes", "A new school is the setting"} <= texts
    assert clone.claims()[first]["status"] == "confirmed"
    assert clone.cli("doctor").exit_code == 0
    assert second in clone.claims()


def test_resolve_outside_a_conflicted_merge_changes_nothing(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    before = clone.cli.db_path.read_bytes()
    assert_refused(clone.cli("resolve"), 1, "nothing to resolve")
    assert clone.cli.db_path.read_bytes() == before


def test_the_driver_is_deterministic_whichever_side_is_ours(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    first, second, _ = _ids(clone)
    base = clone.cli.db_path.read_bytes()
    clone.cli.ok("promote", first, "--to", "confirmed")
    clone.cli.ok("edit", second, "--text", "Cheong-san is back as a hybrid")
    ours = clone.cli.db_path.read_bytes()
    clone.cli.db_path.write_bytes(base)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-23T13:00:00Z")
        clone.cli.ok("debunk", first, "--note", "no")
        clone.cli.ok("edit", second, "--text", "Cheong-san is back")
    theirs = clone.cli.db_path.read_bytes()
    results = []
    for left, right in ((ours, theirs), (theirs, ours)):
        paths = [tmp_path / name for name in ("base.json", "ours.json", "theirs.json")]
        for path, content in zip(paths, (base, left, right), strict=True):
            path.write_bytes(content)
        clone.cli.runner.invoke(
            __import__("aousdctl.cli").cli.app, ["merge", *map(str, paths)], catch_exceptions=False
        )
        results.append(paths[1].read_bytes())
    assert results[0] == results[1]


def _random_work(clone: Clone, rng: random.Random, label: str) -> dict[str, str]:
    """Add 1-5 claims and promote or debunk some existing ones; returns the statuses set."""
    for number in range(rng.randint(1, 5)):
        clone.cli.add(f"{label} claim {number}", "--topic", rng.choice(["Cast", "Plot"]))
    touched: dict[str, str] = {}
    open_claims = [c for c in clone.cli.json("list") if c["status"] in ("rumor", "reported")]
    for claim in rng.sample(open_claims, k=min(len(open_claims), rng.randint(1, 3))):
        key = str(claim["id"])
        if rng.random() < 0.5:
            clone.cli.ok("promote", key, "--source", f"https://example.com/{label}/{key}")
        else:
            clone.cli.ok("debunk", key, "--note", f"denied ({label})")
        touched[key] = clone.claims()[key]["status"]
    return touched


@pytest.mark.slow
def test_twenty_random_pairs_of_branches_merge_clean(tmp_path: Path) -> None:

    rng = random.Random(20261125)
    clone = Clone(tmp_path / "repo")
    clone.folder.mkdir()
    clone.git("init", "-q", "-b", "main")
    (clone.folder / "db").mkdir()
    shutil.copy(SHIPPED_DATABASE, clone.cli.db_path)
    clone.cli.ok("git-setup")
    clone.commit("shipped database")
    for round_number in range(20):
        clone.git("checkout", "-q", "-b", f"left{round_number}", "main")
        left = _random_work(clone, rng, f"left{round_number}")
        left_texts = {c["text"] for c in clone.cli.json("list")}
        clone.commit("left")
        clone.git("checkout", "-q", "-b", f"right{round_number}", "main")
        right = _random_work(clone, rng, f"right{round_number}")
        right_texts = {c["text"] for c in clone.cli.json("list")}
        clone.commit("right")
        merged = clone.git("merge", "--no-edit", f"left{round_number}", check=False)
        assert merged.returncode == 0, merged.stdout + merged.stderr
        assert b"<<<<<<<" not in clone.cli.db_path.read_bytes()
        claims = clone.claims()
        assert left_texts | right_texts == {c["text"] for c in claims.values()}
        for key, status in {**left, **right}.items():
            if key in left and key in right and left[key] != right[key]:
                assert claims[key]["history"][-1]["action"] == "merged"
            else:
                assert claims[key]["status"] == status
        doctor = clone.cli("doctor")
        assert doctor.exit_code == 0, doctor.stdout
        clone.git("checkout", "-q", "main")
        clone.git("merge", "-q", "--ff-only", f"right{round_number}")


def test_without_the_driver_changes_to_different_claims_merge_as_text(tmp_path: Path) -> None:
    """Plain git, no set-up: nothing in the file changes on every write, so two branches
    that change different existing claims touch different lines."""
    clone = repository(tmp_path, driver=False)
    first, _, third = sorted(clone.claims())  # the first and last records in the file
    clone.git("checkout", "-q", "-b", "laptop")
    clone.cli.ok("promote", first, "--to", "confirmed")
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    clone.cli.ok("debunk", third, "--why", "denied by the studio")
    clone.commit("server")
    merged = clone.git("merge", "--no-edit", "laptop", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    claims = clone.claims()
    assert (claims[first]["status"], claims[third]["status"]) == ("confirmed", "debunked")
    assert clone.cli("doctor").exit_code == 0


def test_the_same_claim_added_in_two_clones_can_still_be_changed(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    clone.git("checkout", "-q", "-b", "laptop")
    clone.cli.add("Season 2 has eight episodes")
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    clone.cli.add("Season 2 has eight episodes")
    clone.commit("server")
    clone.git("merge", "-q", "--no-edit", "laptop")
    twins = [c for c in clone.claims().values() if c["text"] == "Season 2 has eight episodes"]
    assert len(twins) == 2
    for twin in twins:  # neither is stuck: a change that keeps the wording is allowed
        clone.cli.ok("promote", twin["id"])
    other = clone.cli.add("Something else")  # a rewording into a twin is still refused
    assert_refused(clone.cli("edit", other, "--text", "Season 2 has eight episodes"), 1, "already")


def test_git_setup_quotes_a_path_with_a_space(tmp_path: Path) -> None:
    clone = repository(tmp_path, driver=False)
    spaced = Cli(clone.folder / "my db" / "claims.json")
    spaced.ok("init")
    spaced.ok("git-setup")
    attribute = clone.git("check-attr", "merge", "--", "my db/claims.json").stdout
    assert attribute.strip().endswith("merge: aousdctl"), attribute


def test_a_claim_removed_on_one_side_keeps_its_review_flag(tmp_path: Path) -> None:
    clone = repository(tmp_path)
    first = _ids(clone)[0]
    clone.git("checkout", "-q", "-b", "laptop")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:01Z")
        clone.cli.ok("promote", first)
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:03Z")
        clone.cli.ok("rm", first, "--yes")
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:02Z")
        clone.cli.ok("debunk", first, "--why", "denied")
    clone.commit("server")
    clone.git("merge", "-q", "--no-edit", "laptop")
    history = clone.claims()[first]["history"]
    assert history[-1]["action"] == "merged"
    assert "removed on one clone" in history[-1]["note"]
    assert "its status moved on two clones" in history[-1]["note"]
    assert "notice" in clone.cli.ok("doctor").stdout


def test_resolve_with_stdout_closed_still_exits_0(tmp_path: Path) -> None:
    """The merge is written and staged: failing to say so must not read as a failure."""
    clone = repository(tmp_path, driver=False)
    first = _ids(clone)[0]
    clone.git("checkout", "-q", "-b", "laptop")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-23T13:00:00Z")
        clone.cli.ok("promote", first)
    clone.commit("laptop")
    clone.git("checkout", "-q", "main")
    clone.cli.ok("debunk", first, "--why", "denied")
    clone.commit("server")
    assert clone.git("merge", "--no-edit", "laptop", check=False).returncode != 0
    resolved = subprocess.run(
        ["sh", "-c", f'"{Path(sys.executable).parent / "aousdctl"}" resolve >&-'],
        cwd=clone.folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert resolved.returncode == 0, resolved.stderr
    assert clone.git("diff", "--name-only", "--diff-filter=U").stdout == ""
