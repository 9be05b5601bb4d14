"""`topic set` refuses a topic nothing uses (unless --new); `topic rename OLD NEW`;
`topic rm NAME [--to OTHER]`."""

import pytest

from tests.support.runner import assert_refused


@pytest.fixture
def filed(db, monkeypatch):
    """Two claims about the release (spelled two ways), one about the cast, added a minute
    apart; settings for the release, and a feed filing its claims under Release."""
    db.ids = []
    for minute, (text, topic) in enumerate(
        [
            ("Season 2 in 2026", "Release"),
            ("A trailer in spring", "release"),
            ("Lomon returns", "Cast"),
        ]
    ):
        monkeypatch.setenv("AOUSDCTL_NOW", f"2026-11-23T11:5{minute}:00Z")
        db.ids.append(db.add(text, "--topic", topic))
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T12:00:00Z")
    db.ok("topic", "set", "Release", "--heading", "When will it release?", "--order", "1")
    db.ok(
        "feed",
        "add",
        "--no-check",
        "https://example.com/rss",
        "--name",
        "herald",
        "--topic",
        "Release",
    )
    return db


def topic_of(db, claim_id: str) -> str:
    return db.json("show", claim_id)["topic"]


def settings(db) -> dict:
    return {topic["name"]: topic for topic in db.json("topic", "list")}


def test_topic_set_of_a_typo_is_refused_with_what_was_meant(filed, db_path):
    before = db_path.read_bytes()
    assert_refused(
        filed("topic", "set", "Relase", "--order", "2"),
        2,
        "'Relase'",
        "did you mean Release?",
        "--new",
    )
    assert db_path.read_bytes() == before


def test_topic_set_with_new_starts_a_topic(filed):
    assert filed.ok("topic", "set", "Soundtrack", "--order", "3", "--new").stdout == (
        "Topic Soundtrack updated\n"
    )
    assert settings(filed)["Soundtrack"]["claims"] == 0


def test_topic_set_of_a_topic_only_a_feed_names_needs_no_new(filed):
    filed.ok(
        "feed",
        "add",
        "--no-check",
        "https://example.org/rss",
        "--name",
        "other",
        "--topic",
        "Filming",
    )
    filed.ok("topic", "set", "filming", "--heading", "Where are they filming?")


def test_rename_moves_claims_settings_and_feeds_in_one_change(filed, db_path):
    result = filed.ok("topic", "rename", "RELEASE", "Release date")
    assert result.stdout == (
        "Renamed topic Release to Release date; moved 2 claims and 1 feed to Release date\n"
    )
    assert [topic_of(filed, claim_id) for claim_id in filed.ids] == [
        "Release date",
        "Release date",
        "Cast",
    ]
    shown = settings(filed)
    assert "Release" not in shown
    assert shown["Release date"] == {
        "name": "Release date",
        "heading": "When will it release?",
        "order": 1,
        "intro": None,
        "claims": 2,
    }
    assert filed.json("feed", "list")[0]["topic"] == "Release date"
    history = filed.json("show", filed.ids[1])["history"]
    assert history[-1]["action"] == "edited"
    assert history[-1]["note"] == "topic: release → Release date"
    assert "Undid `topic rename`" in filed.ok("undo").stdout
    assert [topic_of(filed, claim_id) for claim_id in filed.ids[:2]] == ["Release", "release"]
    assert settings(filed)["Release"]["heading"] == "When will it release?"
    assert filed.json("feed", "list")[0]["topic"] == "Release"


def test_rename_can_respell_a_topic(filed):
    filed.ok("topic", "rename", "release", "RELEASE")
    assert [topic_of(filed, claim_id) for claim_id in filed.ids[:2]] == ["RELEASE", "RELEASE"]
    assert settings(filed)["RELEASE"]["order"] == 1


def test_rename_json_says_what_moved(filed):
    moved = filed.json("topic", "rename", "Release", "Dates")
    assert moved == {
        "topic": "Release",
        "to": "Dates",
        "claims": filed.ids[:2],
        "feeds": ["herald"],
        "settings": True,
    }


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["Relase", "Dates"], 2, ["did you mean Release?"]),
        (["Release", "cast"], 1, ["'Cast' exists already", "topic rm Release --to Cast"]),
        (["Release", "two\nlines"], 2, ["topic"]),
        (["Release", "Dates", "--json", "--quiet"], 2, ["--json", "--quiet"]),
    ],
)
def test_bad_renames_change_nothing(filed, db_path, args, code, words):
    before = db_path.read_bytes()
    assert_refused(filed("topic", "rename", *args), code, *words)
    assert db_path.read_bytes() == before


def test_rm_of_a_topic_with_only_settings_removes_them(filed):
    filed.ok("topic", "set", "Soundtrack", "--order", "3", "--new")
    assert filed.ok("topic", "rm", "soundtrack").stdout == "Removed topic Soundtrack\n"
    assert "Soundtrack" not in settings(filed)
    filed.ok("undo")
    assert settings(filed)["Soundtrack"]["order"] == 3


def test_rm_is_refused_while_claims_or_feeds_use_the_topic(filed, db_path):
    before = db_path.read_bytes()
    assert_refused(filed("topic", "rm", "Release"), 1, "2 claims use", "--to")
    assert_refused(filed("topic", "rm", "Cast"), 1, "1 claim uses", "--to")
    filed.ok(
        "feed",
        "add",
        "--no-check",
        "https://example.org/rss",
        "--name",
        "fan site",
        "--topic",
        "Fans",
    )
    before = db_path.read_bytes()
    assert_refused(filed("topic", "rm", "Fans"), 1, "'fan site'", "feed edit 'fan site'")
    assert db_path.read_bytes() == before


def test_rm_to_another_topic_moves_claims_and_feeds_and_drops_the_settings(filed):
    filed.ok("topic", "set", "Cast", "--heading", "Who is back?")
    result = filed.ok("topic", "rm", "Release", "--to", "cast")
    assert result.stdout == "Removed topic Release; moved 2 claims and 1 feed to Cast\n"
    assert [topic_of(filed, claim_id) for claim_id in filed.ids] == ["Cast"] * 3
    shown = settings(filed)
    assert list(shown) == ["Cast"]
    assert shown["Cast"]["heading"] == "Who is back?" and shown["Cast"]["claims"] == 3
    assert filed.json("feed", "list")[0]["topic"] == "Cast"
    filed.ok("undo")
    assert [topic_of(filed, claim_id) for claim_id in filed.ids] == ["Release", "release", "Cast"]


def test_rm_to_a_topic_that_already_says_the_same_changes_nothing(filed, db_path):
    filed.add("Season 2 in 2026", "--topic", "Cast")
    before = db_path.read_bytes()
    assert_refused(filed("topic", "rm", "Release", "--to", "Cast"), 1, "already says this")
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "args, words",
    [
        (["Relase", "--to", "Cast"], ["did you mean Release?"]),
        (["Release", "--to", "Csat"], ["'Csat'", "did you mean Cast?", "topic rename"]),
        (["Release", "--to", "RELEASE"], ["--to names the topic being removed"]),
    ],
)
def test_rm_names_only_topics_in_use(filed, db_path, args, words):
    before = db_path.read_bytes()
    assert_refused(filed("topic", "rm", *args), 2, *words)
    assert db_path.read_bytes() == before


def test_a_renamed_topic_keeps_matching_claims_like_add_does(filed, db_path):
    """The index that finds "the claim that already says this" follows a rename."""
    filed.ok("topic", "rename", "Release", "Dates")
    again = filed.ok("add", "season 2 in 2026", "--topic", "dates", "-s", "https://e.com/a")
    assert "already says this; attached 1 new source" in again.stdout
    assert len(filed.json("list")) == 3


def test_a_rename_to_the_same_spelling_changes_nothing_and_leaves_undo_alone(db, db_path):
    db.add("Cheong-san returns", "--topic", "Cast")
    db.ok("topic", "set", "Cast", "--heading", "Who is back?")
    db.ok("topic", "rename", "Cast", "cast")
    before = db_path.read_bytes()
    result = db.ok("topic", "rename", "cast", "cast")
    assert result.stdout == "Topic cast already has that name; nothing changed\n"
    assert db_path.read_bytes() == before
    assert "topic rename" in db.ok("undo").stdout  # the real rename, not a no-op
    assert [topic["name"] for topic in db.json("topic", "list")] == ["Cast"]
