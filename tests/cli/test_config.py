"""`config set` and `config show`: each setting, its default, and what it refuses."""

import pytest

from tests.support.runner import add_claim, assert_refused


def test_config_show_lists_the_settings_with_defaults(db):
    assert db.json("config", "show") == {
        "title": "Test tracker",
        "intro": None,
        "outlet-min-settled": 5,
        "article.track-record": False,
        "stale-after": "90d",
    }
    db.ok("config", "set", "outlet-min-settled", "3")
    assert db.ok("config", "set", "article.track-record", "ON").stdout == (
        "article.track-record set\n"
    )
    assert db.ok("config", "set", "article.track-record", "on").stdout == (
        "article.track-record unchanged\n"
    )
    assert db.ok("config", "show").stdout.splitlines() == [
        "title\tTest tracker",
        "intro\t",
        "outlet-min-settled\t3",
        "article.track-record\ton",
        "stale-after\t90d",
    ]


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


@pytest.mark.parametrize(
    "value", ["0", "-1", "2.5", "five", "", " ", "٣", "99999999999999999999", "1000001"]
)
def test_a_bad_minimum_is_refused_and_changes_nothing(db, db_path, value):
    before = db_path.read_bytes()
    given = ["--", value] if value.startswith("-") else [value]
    assert_refused(db("config", "set", "outlet-min-settled", *given), 2, "outlet-min-settled")
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("value", ["yes", "true", "1", ""])
def test_the_track_record_switch_is_on_or_off(db, db_path, value):
    before = db_path.read_bytes()
    assert_refused(db("config", "set", "article.track-record", value), 2, "on or off")
    assert db_path.read_bytes() == before
