"""Sharing with events as the truth: three clones changing claims with clocks apart and
syncing through the merge driver and through import (a stateful property); imports checked
like local changes; a claim is its id with its creation, feeds are kept by URL and leads by
story. (Real git repositories: tests/process/test_git_events.py.)"""

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from typer.testing import CliRunner

from aousdctl import codec
from aousdctl.cli import app
from aousdctl.domain import merge
from aousdctl.service import doctor
from aousdctl.storage import filemerge
from aousdctl.storage.fileformat import encoded, parse_tables
from tests.support.runner import Cli, assert_refused

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CLONES = ("a", "b", "c")
PAIRS = (("a", "b"), ("a", "c"), ("b", "c"))
TEXTS = ("Filming started in 2023", "Cheong-san returns", "Nam-ra is a hybrid", "A new school")
URLS = [f"https://example.com/story/{n}" for n in range(4)]


def events_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Event id -> event, of every claim, removed claim and source record of a database
    document."""
    return {
        event["id"]: event
        for table in ("claims", "removed", "sources")
        for record in document.get(table, {}).values()
        for event in record["history"]
    }


class Clones(RuleBasedStateMachine):
    """Three clones of one database, each with its own clock (up to an hour apart), changing
    claims through the command line and syncing in pairs: through the merge driver with the
    true base (the version the pair last agreed on), or by importing each other's export."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="clones-"))
        self.runner = CliRunner()
        self.minute = 0
        self.skew: dict[str, int] = {}
        # Event ids each clone made and did not undo: none may be missing after a sync.
        self.made: dict[str, set[str]] = {clone: set() for clone in CLONES}
        self.bases: dict[tuple[str, str], bytes] = {}

    def teardown(self) -> None:
        if self.skew:
            self.full_sync()
        shutil.rmtree(self.folder, ignore_errors=True)

    # Helpers

    def path(self, clone: str) -> Path:
        return self.folder / clone / "claims.json"

    def now(self, clone: str) -> str:
        moment = START + timedelta(minutes=self.minute, seconds=self.skew[clone])
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def run(self, clone: str, *args: str) -> Any:
        self.minute += 1
        result = self.runner.invoke(
            app,
            ["--db", str(self.path(clone)), *args],
            env={"AOUSDCTL_NOW": self.now(clone)},
            catch_exceptions=False,
        )
        # Every command works on every claim: it does what was asked, or refuses a request
        # that can't be done (exit 1); it never trips on a record (exit 2) or crashes.
        assert result.exit_code in (0, 1), (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    def document(self, clone: str) -> dict[str, Any]:
        return json.loads(self.path(clone).read_bytes())

    def changed_by(self, clone: str, *args: str) -> None:
        """Run a command and remember the events it made."""
        before = events_of(self.document(clone)).keys()
        self.run(clone, *args)
        self.made[clone] |= events_of(self.document(clone)).keys() - before

    def claim_ids(self, clone: str) -> list[str]:
        return sorted(self.document(clone)["claims"])

    def pick(self, clone: str, index: int) -> str | None:
        known = self.claim_ids(clone)
        return known[index % len(known)] if known else None

    # Setting up

    @initialize(skews=st.lists(st.integers(0, 3600), min_size=3, max_size=3))
    def start(self, skews: list[int]) -> None:
        self.skew = dict(zip(CLONES, skews, strict=True))
        first = self.path("a")
        first.parent.mkdir(parents=True)
        self.run("a", "init", "--title", "Season 2")
        self.run("a", "add", TEXTS[0], "--source", URLS[0])
        self.run("a", "add", TEXTS[1])
        for clone in CLONES[1:]:
            self.path(clone).parent.mkdir(parents=True)
            shutil.copy(first, self.path(clone))
        for pair in PAIRS:
            self.bases[pair] = first.read_bytes()

    # Changes

    @rule(clone=st.sampled_from(CLONES), text=st.sampled_from(TEXTS), source=st.booleans())
    def add(self, clone: str, text: str, source: bool) -> None:
        extra = ["--source", URLS[len(text) % len(URLS)]] if source else []
        self.changed_by(clone, "add", text, *extra)

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9), source=st.booleans())
    def promote(self, clone: str, index: int, source: bool) -> None:
        if (claim := self.pick(clone, index)) is not None:
            extra = ["--source", URLS[index % len(URLS)]] if source else []
            self.changed_by(clone, "promote", claim, *extra)

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9))
    def demote(self, clone: str, index: int) -> None:
        if (claim := self.pick(clone, index)) is not None:
            self.changed_by(clone, "demote", claim, "--why", "retracted")

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9))
    def debunk(self, clone: str, index: int) -> None:
        if (claim := self.pick(clone, index)) is not None:
            self.changed_by(clone, "debunk", claim, "--why", "denied")

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9), what=st.integers(0, 2))
    def edit(self, clone: str, index: int, what: int) -> None:
        if (claim := self.pick(clone, index)) is not None:
            change = [
                ["--text", f"Reworded {self.minute}"],
                ["--tag", f"tag{index % 3}", "--untag", f"tag{(index + 1) % 3}"],
                ["--note", f"Note {self.minute}"],
            ][what]
            self.changed_by(clone, "edit", claim, *change)

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9))
    def cite(self, clone: str, index: int) -> None:
        if (claim := self.pick(clone, index)) is not None:
            self.changed_by(clone, "source", "add", claim, URLS[index % len(URLS)])

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9), refutes=st.booleans())
    def take_a_side(self, clone: str, index: int, refutes: bool) -> None:
        """Cite a source as a denial, or turn a link back to support (refused, exit 1, when
        it would leave a confirmed claim without support)."""
        claim = self.pick(clone, index)
        record = self.document(clone)["claims"].get(claim or "")
        # A confirmed claim's last support can't turn: bad input (exit 2), never given here.
        if record and not (refutes and record["status"] == "confirmed"):
            stance = "--refutes" if refutes else "--supports"
            self.changed_by(clone, "source", "add", claim, URLS[index % len(URLS)], stance)

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9))
    def describe(self, clone: str, index: int) -> None:
        """Change a source's record, for every claim citing it (exit 1 if none does yet)."""
        title = f"Headline {self.minute}"
        self.changed_by(clone, "source", "edit", URLS[index % len(URLS)], "--title", title)

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9))
    def unlink(self, clone: str, index: int) -> None:
        """Take a source off a claim that isn't confirmed (a confirmed claim's last support
        is refused as bad input, which these rules never give)."""
        claim = self.pick(clone, index)
        record = self.document(clone)["claims"].get(claim or "")
        if record and record["sources"] and record["status"] != "confirmed":
            self.changed_by(clone, "source", "rm", claim, record["sources"][0]["url"])

    @rule(clone=st.sampled_from(CLONES), index=st.integers(0, 9))
    def remove(self, clone: str, index: int) -> None:
        if (claim := self.pick(clone, index)) is not None:
            self.changed_by(clone, "rm", claim, "--yes")

    @rule(clone=st.sampled_from(CLONES))
    def undo(self, clone: str) -> None:
        """Undo takes back the clone's latest change. That may be an import, with the other
        clones' changes it brought: undone after its result was shared, they go for everyone
        at the next merge, as a `git revert` of a merge takes a branch's changes back."""
        before = events_of(self.document(clone)).keys()
        self.run(clone, "undo")
        taken = before - events_of(self.document(clone)).keys()
        for made in self.made.values():
            made -= taken

    # Syncing

    @precondition(lambda self: bool(self.skew))
    @rule(pair=st.sampled_from(PAIRS), swap=st.booleans())
    def sync_by_merge(self, pair: tuple[str, str], swap: bool) -> None:
        ours, theirs = reversed(pair) if swap else pair
        self.merge(pair, ours, theirs)

    @precondition(lambda self: bool(self.skew))
    @rule(pair=st.sampled_from(PAIRS))
    def sync_by_import(self, pair: tuple[str, str]) -> None:
        one, other = pair
        for source, target in ((one, other), (other, one)):
            exported = self.folder / f"{source}.export.json"
            exported.write_text(self.run(source, "export", "--format", "json").stdout)
            self.run(target, "import", str(exported))
        # Two clones that import each other's exports end the same, to the byte.
        assert self.path(one).read_bytes() == self.path(other).read_bytes()

    def merge(self, pair: tuple[str, str], ours: str, theirs: str) -> bytes:
        """What `git merge` does with the driver: the result goes to both clones."""
        base = self.folder / "base.json"
        base.write_bytes(self.bases[pair])
        work = self.folder / "ours.json"
        work.write_bytes(self.path(ours).read_bytes())
        result = self.runner.invoke(
            app,
            ["merge", str(base), str(work), str(self.path(theirs))],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        merged = work.read_bytes()
        # The driver reads records from the bytes; the same merge of the parsed versions,
        # with the sides swapped, writes the same bytes.
        versions = [self.bases[pair], self.path(theirs).read_bytes(), self.path(ours).read_bytes()]
        tables = [parse_tables(content.decode(), "version") for content in versions]
        assert b"".join(encoded(merge.merge_tables(*tables))) == merged
        for clone in pair:
            self.path(clone).write_bytes(merged)
        self.bases[pair] = merged
        return merged

    @precondition(lambda self: bool(self.skew))
    @rule()
    def full_sync(self) -> None:
        """Merge around until every clone has everything: then they are the same bytes,
        their articles are the same, and nothing any clone did and kept is missing."""
        for pair in (("a", "b"), ("b", "c"), ("a", "b"), ("a", "c")):
            self.merge(pair, *pair)
        contents = {self.path(clone).read_bytes() for clone in CLONES}
        assert len(contents) == 1
        articles = {self.run(clone, "export").stdout for clone in CLONES}
        assert len(articles) == 1
        document = self.document("a")
        present = events_of(document)
        overruled = {
            event_id
            for event_id in document["tombstones"]
            if any("removed on one clone" in (e.get("note") or "") for e in present.values())
        }
        for clone in CLONES:
            missing = self.made[clone] - present.keys() - overruled
            assert not missing, (clone, missing)

    # After every step

    @invariant()
    def every_clone_is_valid(self) -> None:
        for clone in CLONES if self.skew else ():
            _, problems, _ = doctor.examine(self.path(clone))
            assert problems == [], (clone, problems)


Clones.TestCase.settings = settings(
    max_examples=int(os.environ.get("AOUSDCTL_CLONE_EXAMPLES", "4")),
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_three_clones_sync_without_a_claim_the_tool_rejects = Clones.TestCase


class ManyClones(Clones):
    """The same, longer and more often: `pytest -m slow`."""


ManyClones.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_three_clones_sync_many_times = pytest.mark.slow(ManyClones.TestCase)


# Imports are checked like local changes -------------------------------------------------


def exported(cli: Cli) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(cli.ok("export", "--format", "json").stdout)
    return document


@pytest.fixture
def other(db: Cli, tmp_path: Path) -> Cli:
    """A second database to import into, and one claim in `db` promoted with a source."""
    db.claim_id = db.add("Filming started in 2023", "--source", "https://example.com/a")
    db.ok("promote", db.claim_id)
    other = Cli(tmp_path / "other" / "claims.json")
    other.ok("init")
    return other


@pytest.mark.parametrize(
    "change, words",
    [
        # An `attached` event that moves a rumor to confirmed: only status actions move one.
        (
            lambda h: h.append({**h[-1], "action": "attached", "from": None, "to": "confirmed"}),
            "is not a change of status",
        ),
        # A promotion that goes down the ladder.
        (lambda h: h[-1].update({"from": "confirmed", "to": "rumor"}), "moves from confirmed"),
        # A claim added as debunked.
        (lambda h: h[0].update({"to": "debunked"}), "moves from None to debunked"),
    ],
)
def test_an_import_whose_history_contradicts_itself_is_refused_whole(other, db, change, words):
    document = exported(db)
    change(document["claims"][0]["history"])
    document["claims"].append({"text": "A fine claim"})
    path = other.db_path.parent / "in.json"
    path.write_text(json.dumps(document))
    before = other.db_path.read_bytes()
    assert_refused(other("import", str(path)), 2, words, "nothing was imported")
    assert other.db_path.read_bytes() == before


def test_an_import_of_a_change_more_than_a_day_ahead_is_refused_naming_the_claim(other, db):
    document = exported(db)
    document["claims"][0]["history"][-1]["at"] = "2099-01-01T00:00:00Z"
    path = other.db_path.parent / "in.json"
    path.write_text(json.dumps(document))
    assert_refused(other("import", str(path)), 2, "2099-01-01T00:00:00Z", db.claim_id)
    within = exported(db)  # an hour ahead is another machine's clock: fine
    within["claims"][0]["history"][-1]["at"] = "2026-11-23T13:00:00Z"
    within["claims"][0]["updated"] = "2026-11-23T13:00:00Z"
    path.write_text(json.dumps(within))
    other.ok("import", str(path))


def test_an_undone_change_is_not_brought_back_by_an_import_of_an_older_copy(other, db):
    path = other.db_path.parent / "copy.json"
    path.write_text(json.dumps(exported(db)))
    other.ok("import", str(path))  # the other clone has the promotion now
    db.ok("undo")  # this clone takes it back
    db.ok("import", str(path))  # the other clone's copy still holds it
    assert db.json("show", db.claim_id)["status"] == "rumor"
    mine = db.db_path.parent / "mine.json"
    mine.write_text(json.dumps(exported(db)))
    other.ok("import", str(mine))  # and the undo reaches the other clone
    assert other.json("show", db.claim_id)["status"] == "rumor"
    assert other.ok("doctor").stdout.endswith("no problems in 1 claims\n")


def test_two_claims_sharing_an_id_are_both_kept_by_import_and_the_moved_one_says_so(other, db):
    theirs = other.add("Something else entirely")
    document = exported(db)
    document["claims"][0]["id"] = theirs  # another clone's claim under the same id
    path = other.db_path.parent / "in.json"
    path.write_text(json.dumps(document))
    other.ok("import", str(path))
    listed = {claim["text"]: claim for claim in other.json("list")}
    assert listed["Something else entirely"]["id"] == theirs
    moved = listed["Filming started in 2023"]
    assert moved["id"] != theirs
    assert f"it had the id {theirs}" in moved["history"][-1]["note"]
    assert other.ok("doctor").exit_code == 0


# Identity: a claim is its id with its creation; feeds by URL; leads by story ---------------


def driven_merge(base: Path, ours: Path, theirs: Path, result: Path) -> Any:
    """The merge driver on copies of three versions; the merged bytes land in `result`."""
    result.write_bytes(ours.read_bytes())
    outcome = CliRunner().invoke(
        app, ["merge", str(base), str(result), str(theirs)], catch_exceptions=False
    )
    assert outcome.exit_code == 0, outcome.stderr
    return outcome


def versions(tmp_path: Path) -> tuple[Cli, Cli, Cli]:
    """Three copies of one database: the base, and two clones that change it."""
    base = Cli(tmp_path / "base.json")
    base.ok("init")
    clones = []
    for name in ("ours", "theirs"):
        clone = Cli(tmp_path / f"{name}.json")
        shutil.copy(base.db_path, clone.db_path)
        clones.append(clone)
    return base, clones[0], clones[1]


def test_two_claims_sharing_an_id_are_both_kept_by_the_driver_the_same_either_way(tmp_path):
    base, ours, theirs = versions(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-23T11:00:00Z")
        first = ours.add("Made first, on one clone")
    second = theirs.add("Made later, on the other")
    document = json.loads(theirs.db_path.read_text())
    document["claims"][first] = document["claims"].pop(second)  # the same id, by chance
    theirs.db_path.write_text(json.dumps(document))
    results = []
    for one, other in ((ours, theirs), (theirs, ours)):
        out = tmp_path / f"merged-{len(results)}.json"
        flagged = driven_merge(base.db_path, one.db_path, other.db_path, out)
        results.append(out.read_bytes())
    assert results[0] == results[1]
    merged = Cli(out)
    listed = {claim["text"]: claim for claim in merged.json("list")}
    assert listed["Made first, on one clone"]["id"] == first
    moved = listed["Made later, on the other"]
    assert moved["id"] != first and f"it had the id {first}" in moved["history"][-1]["note"]
    assert moved["id"] in flagged.stderr
    assert merged("doctor").exit_code == 0


def test_two_subscriptions_of_one_site_stay_two_after_a_merge(tmp_path):
    base, ours, theirs = versions(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AOUSDCTL_NOW", "2026-11-23T11:00:00Z")
        ours.ok("feed", "add", "--no-check", "https://news.example/rss")  # the first keeps the name
    theirs.ok("feed", "add", "--no-check", "https://news.example/korea.xml")
    out = tmp_path / "merged.json"
    driven_merge(base.db_path, ours.db_path, theirs.db_path, out)
    feeds = {feed["url"]: feed["name"] for feed in Cli(out).json("feed", "list")}
    assert feeds == {
        "https://news.example/korea.xml": "news.example (2)",
        "https://news.example/rss": "news.example",
    }


def lead(lead_id: str, state: str, fetched: str) -> dict[str, Any]:
    return {
        "id": lead_id,
        "title": "Season 2 wraps filming",
        "summary": "",
        "link": "https://news.example/story/1",
        "outlet": "news.example",
        "published": None,
        "feed": "news.example",
        "guid": lead_id,
        "fetched": fetched,
        "state": state,
        "claim": None,
        "note": None,
        "decided": None if state == "waiting" else fetched,
    }


@pytest.mark.parametrize("decided", ["dismissed", "waiting"])
def test_a_story_both_clones_fetched_is_one_lead_after_a_merge(tmp_path, decided):
    base, ours, theirs = versions(tmp_path)
    for clone, record in (
        (ours, lead("aaaaaaaa", "waiting", "2026-11-23T10:00:00Z")),
        (theirs, lead("bbbbbbbb", decided, "2026-11-23T11:00:00Z")),
    ):
        document = json.loads(clone.db_path.read_text())
        document["leads"][record["id"]] = record
        clone.db_path.write_text(json.dumps(document))
    out = tmp_path / "merged.json"
    driven_merge(base.db_path, ours.db_path, theirs.db_path, out)
    leads = json.loads(out.read_text())["leads"]
    expected = "bbbbbbbb" if decided == "dismissed" else "aaaaaaaa"  # a decision, else the first
    assert list(leads) == [expected]
    inbox = Cli(out).json("inbox")
    assert len(inbox) == (0 if decided == "dismissed" else 1)


def test_an_import_names_the_claims_it_flagged_on_stderr(tmp_path):
    here = Cli(tmp_path / "here.json")
    here.ok("init")
    claim = here.add("Season 2 has eight episodes")
    there = Cli(tmp_path / "there.json")
    shutil.copy(here.db_path, there.db_path)
    there.ok("promote", claim)
    here.ok("debunk", claim, "--why", "denied")
    exported = tmp_path / "there.export.json"
    exported.write_text(there.ok("export", "--format", "json").stdout)
    imported = here.ok("import", str(exported))
    assert f"merged for review: {claim}: its status moved on two clones" in imported.stderr
    assert here("review", "--check").exit_code == 1


def test_a_side_whose_changed_record_is_not_json_is_refused_and_nothing_is_written(tmp_path):
    base, ours, theirs = versions(tmp_path)
    claim = ours.add("Season 2 has eight episodes")
    theirs.add("Cheong-san returns")
    broken = ours.db_path.read_text().replace(
        '"text": "Season 2 has eight episodes"', '"text": Season 2 has eight episodes"'
    )
    assert claim in broken
    ours.db_path.write_text(broken)
    out = tmp_path / "merged.json"
    out.write_text(broken)
    result = CliRunner().invoke(
        app, ["merge", str(base.db_path), str(out), str(theirs.db_path)], catch_exceptions=False
    )
    assert_refused(result, 1, "not valid JSON")
    assert out.read_text() == broken  # git keeps every version as it was


def test_a_shared_promotion_undone_and_made_again_merges_with_an_edit_into_one_chain(tmp_path):
    """The history stays one chain: the undone promotion is dropped, the new one and the
    other clone's edit are kept, and every command works on the claim."""
    base, ours, theirs = versions(tmp_path)
    claim = base.add("Season 2 has eight episodes")
    base.ok("promote", claim)  # shared: both clones have the promotion
    for clone in (ours, theirs):
        shutil.copy(base.db_path, clone.db_path)
    shutil.copy(
        base.db_path.parent / ".base.json.journal", ours.db_path.parent / ".ours.json.journal"
    )
    ours.ok("undo")
    ours.ok("promote", claim, "--remark", "now for real")
    theirs.ok("edit", claim, "--tag", "episodes")
    out = tmp_path / "merged.json"
    driven_merge(base.db_path, ours.db_path, theirs.db_path, out)
    merged = Cli(out)
    shown = merged.json("show", claim)
    assert [event["action"] for event in shown["history"]] == ["added", "promoted", "edited"]
    assert shown["history"][1]["note"] == "now for real"
    assert (shown["status"], shown["tags"]) == ("reported", ["episodes"])
    assert merged("doctor").exit_code == 0
    for command in (
        ["demote", claim, "--why", "one outlet"],
        ["edit", claim, "--note", "checked"],
        ["source", "add", claim, "https://example.com/a"],
        ["debunk", claim, "--why", "denied"],
    ):
        merged.ok(*command)


# The driver takes source records as bytes, parsing those both sides changed -----------------

URL = "https://news.example/story/1"


def shared_source(tmp_path: Path, *changes: list[str]) -> tuple[Cli, Cli, Cli, str]:
    """Three versions of a database whose claim cites URL (its record titled by a second
    event), after `changes` made in BASE (CLAIM standing for its id); ours is the clone that
    made them (it can undo)."""
    base, ours, theirs = versions(tmp_path)
    claim = base.add("Season 2 has eight episodes", "--source", URL)
    base.ok("source", "edit", URL, "--title", "Eight episodes")
    for change in changes:
        base.ok(*(claim if word == "CLAIM" else word for word in change))
    for clone in (ours, theirs):
        shutil.copy(base.db_path, clone.db_path)
    shutil.copy(
        base.db_path.parent / ".base.json.journal", ours.db_path.parent / ".ours.json.journal"
    )
    return base, ours, theirs, claim


def laid_out_merge(base: Cli, ours: Cli, theirs: Cli) -> dict[str, Any]:
    """The driver's merge from the files' bytes, either side ours, checked to be the bytes
    of the merge of the parsed versions; the merged document."""
    contents = [clone.db_path.read_bytes() for clone in (base, ours, theirs)]
    results = []
    for one, other in ((1, 2), (2, 1)):
        laid_out = filemerge.merge_versions(contents[0], contents[one], contents[other])
        assert laid_out is not None
        results.append(b"".join(laid_out[0]))
    tables = [parse_tables(content, "version") for content in contents]
    assert results[0] == results[1] == b"".join(encoded(merge.merge_tables(*tables)))
    merged: dict[str, Any] = json.loads(results[0])
    return merged


def source_of(clone: Cli, url: str = URL) -> Any:
    return json.loads(clone.db_path.read_text())["sources"].get(url)


def test_a_source_one_side_edited_is_that_side_s_record(tmp_path):
    base, ours, theirs, claim = shared_source(tmp_path)
    ours.ok("source", "edit", URL, "--publisher", "News Example")
    theirs.ok("edit", claim, "--tag", "episodes")
    merged = laid_out_merge(base, ours, theirs)
    assert merged["sources"][URL] == source_of(ours)
    assert merged["claims"][claim]["tags"] == ["episodes"]


def test_a_source_both_sides_edited_keeps_the_events_of_both(tmp_path):
    base, ours, theirs, _ = shared_source(tmp_path)
    ours.ok("source", "edit", URL, "--publisher", "News Example")
    theirs.ok("source", "edit", URL, "--title", "Eight episodes, confirmed")
    record = laid_out_merge(base, ours, theirs)["sources"][URL]
    assert (record["publisher"], record["title"]) == ("News Example", "Eight episodes, confirmed")
    assert len(record["history"]) == 4


def test_a_shared_source_edit_undone_on_one_side_is_dropped_from_the_other_s_edit(tmp_path):
    base, ours, theirs, _ = shared_source(tmp_path)
    undone = source_of(base)["history"][-1]["id"]
    ours.ok("undo")
    theirs.ok("source", "edit", URL, "--publisher", "News Example")
    merged = laid_out_merge(base, ours, theirs)
    record = merged["sources"][URL]
    assert (record["publisher"], record["title"]) == ("News Example", None)
    assert undone in merged["tombstones"]
    assert undone not in {event["id"] for event in record["history"]}


def test_an_edit_undone_after_the_other_clone_took_it_is_dropped_from_its_record(tmp_path):
    """The other clone holds the edit (it took it since BASE) and changed nothing else of
    the record: its bytes, the only change, still lose the event ours undid."""
    base, ours, theirs, _ = shared_source(tmp_path)
    ours.ok("source", "edit", URL, "--publisher", "News Example")
    shutil.copy(ours.db_path, theirs.db_path)
    ours.ok("undo")
    assert source_of(ours) == source_of(base) != source_of(theirs)
    merged = laid_out_merge(base, ours, theirs)
    assert merged["sources"][URL] == source_of(base)


def test_a_record_one_side_added_stays_and_one_a_side_took_back_goes(tmp_path):
    other = "https://news.example/story/2"
    base, ours, theirs, _ = shared_source(tmp_path, ["source", "add", "CLAIM", other])
    ours.ok("undo")
    assert source_of(ours, other) is None
    added = "https://news.example/story/3"
    theirs.add("Cheong-san returns", "--source", added)
    sources = laid_out_merge(base, ours, theirs)["sources"]
    assert sorted(sources) == [URL, added]
    assert sources[added] == source_of(theirs, added)


def test_a_damaged_source_record_both_sides_changed_merges_as_the_parsed_versions_do(tmp_path):
    base, ours, theirs, _ = shared_source(tmp_path)
    tables = parse_tables(ours.db_path.read_bytes(), "ours")
    tables["sources"][URL]["history"] = "lost by hand"
    ours.db_path.write_bytes(b"".join(encoded(tables)))
    theirs.ok("source", "edit", URL, "--publisher", "News Example")
    assert laid_out_merge(base, ours, theirs)["sources"][URL]["publisher"] == "News Example"


def test_a_source_record_one_side_left_not_json_is_refused_and_nothing_is_written(tmp_path):
    base, ours, theirs, claim = shared_source(tmp_path)
    theirs.ok("edit", claim, "--tag", "episodes")
    broken = ours.db_path.read_text().replace('"title": "Eight episodes"', '"title": Eight"', 1)
    ours.db_path.write_text(broken)
    contents = [clone.db_path.read_bytes() for clone in (base, ours, theirs)]
    assert filemerge.merge_versions(*contents) is None
    out = tmp_path / "merged.json"
    out.write_text(broken)
    result = CliRunner().invoke(
        app, ["merge", str(base.db_path), str(out), str(theirs.db_path)], catch_exceptions=False
    )
    assert_refused(result, 1, "not valid JSON")
    assert out.read_text() == broken


def test_a_link_whose_record_another_clone_undid_keeps_a_record_made_again(tmp_path):
    """A record's events come from the claim that first cited its link. When that claim's
    addition is undone on one clone while another clone's claim cites the link too, the
    merge and the imports both give the link a record again, the same one."""
    base, ours, theirs, first = shared_source(tmp_path)
    ours.ok("undo")  # the title given to the source
    ours.ok("undo")  # the claim that first cited it, and the record's first event
    second = theirs.add("Filming ended in May", "--source", URL)
    merged = laid_out_merge(base, ours, theirs)
    assert first not in merged["claims"] and second in merged["claims"]
    cited_at = next(e["at"] for e in merged["claims"][second]["history"] if URL in e["sources"])
    record = merged["sources"][URL]
    assert (record["accessed"], record["title"]) == (cited_at[:10], None)
    result = Cli(tmp_path / "merged.json")
    result.db_path.write_text(json.dumps(merged))
    assert result.ok("doctor").stdout.endswith("no problems in 1 claims\n")
    for one, other in ((ours, theirs), (theirs, ours)):
        copy = tmp_path / "copy.json"
        copy.write_text(json.dumps(exported(one)))
        other.ok("import", str(copy))
    assert ours.db_path.read_bytes() == theirs.db_path.read_bytes()
    assert source_of(ours) == record
    assert ours.ok("doctor").stdout.endswith("no problems in 1 claims\n")


def test_an_import_drops_a_record_whose_only_event_the_other_clone_undid(tmp_path):
    _, ours, theirs, claim = shared_source(tmp_path)
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps(exported(ours)))
    theirs.ok("import", str(copy))  # the same as it is
    ours.ok("undo")
    ours.ok("undo")  # the claim and its source: undone after they were shared
    copy.write_text(json.dumps(exported(ours)))
    theirs.ok("import", str(copy))
    assert claim not in json.loads(theirs.db_path.read_text())["claims"]
    assert source_of(theirs) is None
    assert theirs.ok("doctor").stdout.endswith("no problems in 0 claims\n")


@pytest.mark.parametrize("emptied", [b"", b"\n"])
@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_a_side_emptied_by_accident_is_refused_and_nothing_is_lost(tmp_path, emptied, side):
    """Only git's base may be empty (no common ancestor): an emptied side is not an empty
    database, or the merge would drop every record of the other side."""
    base, ours, theirs, claim = shared_source(tmp_path)
    ours.add("A second claim")
    emptied_side, kept_side = (ours, theirs) if side == "ours" else (theirs, ours)
    emptied_side.db_path.write_bytes(emptied)
    before = ours.db_path.read_bytes()
    outcome = CliRunner().invoke(
        app, ["merge", str(base.db_path), str(ours.db_path), str(theirs.db_path)]
    )
    assert outcome.exit_code == 1, outcome.stdout
    assert "not valid JSON" in outcome.stderr and "Traceback" not in outcome.stderr
    assert ours.db_path.read_bytes() == before
    assert claim in json.loads(kept_side.db_path.read_text())["claims"]


def test_an_empty_base_is_two_sides_with_nothing_in_common(tmp_path):
    base, ours, theirs, claim = shared_source(tmp_path)
    theirs.add("A claim of the other side")
    base.db_path.write_bytes(b"")
    driven_merge(base.db_path, ours.db_path, theirs.db_path, tmp_path / "merged.json")
    merged = json.loads((tmp_path / "merged.json").read_text())
    assert claim in merged["claims"] and len(merged["claims"]) == 2


@pytest.mark.parametrize(
    "spoil",
    [
        lambda record: record["history"][0].update(clock="one"),
        lambda record: record["history"][0]["change"].update(cited="x"),
    ],
)
@pytest.mark.parametrize("spoiled_is_ours", [True, False])
def test_a_claim_both_sides_changed_and_a_hand_edit_spoiled_is_not_merged(
    tmp_path, spoil, spoiled_is_ours
):
    """Its events can't be weighed one by one, and one side's record kept whole would lose
    the other side's change: the driver refuses (git reports a conflict), naming the claim,
    and writes nothing."""
    base, ours, theirs, claim = shared_source(tmp_path)
    theirs.ok("promote", claim)
    ours.ok("edit", claim, "--note", "checked by hand")
    spoiled = ours if spoiled_is_ours else theirs
    document = json.loads(spoiled.db_path.read_text())
    spoil(document["claims"][claim])
    spoiled.db_path.write_bytes(b"".join(codec.stored(document)))
    before = ours.db_path.read_bytes()
    outcome = CliRunner().invoke(
        app, ["merge", str(base.db_path), str(ours.db_path), str(theirs.db_path)]
    )
    assert outcome.exit_code == 1
    assert f"claim {claim} can't be merged" in outcome.stderr
    assert "unexpected" not in outcome.stderr
    assert ours.db_path.read_bytes() == before
