"""`topic set` and `topic list`: a topic's settings, and its place in the article."""

import pytest

from tests.support.runner import add_claim, assert_refused


def test_topics_follow_their_order_then_the_alphabet(db):
    for topic in ("Zebra", "apple", "Middle", "First"):
        add_claim(db, f"A claim about {topic}", "--topic", topic)
    db.ok("topic", "set", "first", "--order", "1", "--heading", "Is it first?")
    db.ok("topic", "set", "Zebra", "--order", "2")
    headings = [line for line in db.ok("export").stdout.splitlines() if line.startswith("## ")]
    assert headings == [
        "## What's new",
        "## Is it first?",
        "## Zebra",
        "## apple",
        "## Middle",
        "## Sources",
    ]
    listed = db.json("topic", "list")
    assert [(t["name"], t["order"], t["claims"]) for t in listed] == [
        ("First", 1, 1),
        ("Zebra", 2, 1),
        ("apple", None, 1),
        ("Middle", None, 1),
    ]


@pytest.mark.parametrize("order", ["99999999999999999999999", "9007199254740992", "-1"])
def test_a_topic_order_out_of_range_is_bad_input(db, db_path, order):
    before = db_path.read_bytes()
    assert_refused(db("topic", "set", "Cast", "--order", order), 2, "--order")
    assert db_path.read_bytes() == before
    db.ok("add", "still writable")
