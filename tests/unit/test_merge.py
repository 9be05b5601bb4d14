"""The three-way merge of two clones' tables (`domain.merge`), called directly: what git's merge
driver does to the database, without git or files."""

import pytest

from aousdctl.domain import claims as rules
from aousdctl.domain import history
from aousdctl.domain.merge import flagged, is_flagged, merge_tables
from tests.support.records import claim, stored, tables

FIRST, SECOND, THIRD = "aaaa0000", "bbbb0000", "cccc0000"
EARLY, LATE = "2026-11-21T08:00:00Z", "2026-11-21T09:00:00Z"


@pytest.fixture
def start():
    """Two claims both clones began from: the first sourced and tagged, the second bare."""
    return {
        FIRST: claim("Filming started in 2023", tags=["filming"], sources=["https://a.example/1"]),
        SECOND: claim("Cheong-san returns"),
    }


def merged(base, ours, theirs):
    """The merge, checked to be the same whichever clone's side is ours."""
    result = merge_tables(base, ours, theirs)
    assert merge_tables(base, theirs, ours) == result
    return result


def test_claims_each_side_added_are_all_kept(start):
    base = tables(start)
    new_here, new_there = claim("Added here", at=EARLY), claim("Added there", at=LATE)
    result = merged(
        base, tables({**start, THIRD: new_here}), tables({**start, "dddd0000": new_there})
    )
    assert result["claims"] == {
        **base["claims"],
        THIRD: stored(new_here),
        "dddd0000": stored(new_there),
    }


def test_a_claim_only_one_side_changed_is_that_sides_version(start):
    promoted = rules.promote(start[FIRST], at=EARLY)
    result = merged(tables(start), tables({**start, FIRST: promoted}), tables(start))
    assert result["claims"][FIRST] == stored(promoted)
    assert not is_flagged(result["claims"][FIRST])


def test_the_same_change_on_both_sides_is_made_once(start):
    promoted = rules.promote(start[FIRST], at=EARLY)
    both = tables({**start, FIRST: promoted})
    result = merged(tables(start), both, both)
    assert result == both


def test_changes_to_different_fields_of_one_claim_are_both_kept(start):
    tagged = rules.edit(start[FIRST], at=EARLY, add_tags=["cast"])
    dated = rules.edit(start[FIRST], at=LATE, expected="2027")
    result = merged(
        tables(start), tables({**start, FIRST: tagged}), tables({**start, FIRST: dated})
    )
    record = result["claims"][FIRST]
    assert (record["tags"], record["expected"]) == (["filming", "cast"], "2027")
    assert [event["at"] for event in record["history"]] == [start[FIRST]["created"], EARLY, LATE]
    assert record["updated"] == LATE
    assert rules.problems(record) == []


def test_the_same_field_set_on_both_sides_keeps_the_later_and_notes_the_other(start):
    earlier = rules.edit(start[FIRST], at=EARLY, text="Filming started in mid-2023")
    later = rules.edit(start[FIRST], at=LATE, text="Filming began in June 2023")
    result = merged(
        tables(start), tables({**start, FIRST: earlier}), tables({**start, FIRST: later})
    )
    record = result["claims"][FIRST]
    assert record["text"] == "Filming began in June 2023"
    # The other value stays in its own event, and a person is asked to look.
    assert [event["change"].get("text") for event in record["history"][1:3]] == [
        "Filming started in mid-2023",
        "Filming began in June 2023",
    ]
    assert is_flagged(record) and "text was changed on two clones" in record["history"][-1]["note"]
    assert rules.problems(record) == []


def test_status_changed_on_both_sides_keeps_both_histories_and_flags_the_claim(start):
    promoted = rules.promote(start[FIRST], at=EARLY)
    debunked = rules.debunk(start[FIRST], at=LATE, note="The studio denied it")
    result = merged(
        tables(start), tables({**start, FIRST: promoted}), tables({**start, FIRST: debunked})
    )
    record = result["claims"][FIRST]
    assert [event["action"] for event in record["history"]] == [
        "added",
        "promoted",
        "debunked",
        "merged",
    ]
    assert record["status"] == "debunked"  # where the latest status change left it
    assert is_flagged(record) and list(flagged(result)) == [FIRST]
    assert rules.problems(record) == []  # a flagged history is still a valid one


def test_a_claim_removed_on_one_side_and_changed_on_the_other_is_kept_with_a_note(start):
    removed = rules.removal_event(start[FIRST], at=EARLY)
    promoted = rules.promote(start[FIRST], at=LATE)
    ours = tables({SECOND: start[SECOND]}, removed={FIRST: removed})
    result = merged(tables(start), ours, tables({**start, FIRST: promoted}))
    assert FIRST not in result["removed"]
    record = result["claims"][FIRST]
    assert record["status"] == "reported"
    assert "removed" not in [event["action"] for event in record["history"]]
    assert (
        f"it was removed on one clone at {EARLY} but changed on another: it stays"
        in (record["history"][-1]["note"])
    )
    assert removed["history"][-1]["id"] in result["tombstones"]  # the removal, undone
    assert rules.problems(record) == []


def test_a_claim_removed_on_one_side_and_left_alone_on_the_other_is_removed(start):
    removed = rules.removal_event(start[FIRST], at=EARLY)
    ours = tables({SECOND: start[SECOND]}, removed={FIRST: removed})
    result = merged(tables(start), ours, tables(start))
    assert FIRST not in result["claims"]
    assert result["removed"] == {FIRST: stored(removed)}


def test_an_add_undone_on_one_side_loses_to_a_change_on_the_other(start):
    """One side dropped the claim without a trace (an undone add); the other changed it."""
    promoted = rules.promote(start[FIRST], at=EARLY)
    result = merged(
        tables(start), tables({SECOND: start[SECOND]}), tables({**start, FIRST: promoted})
    )
    record = result["claims"][FIRST]
    assert record["history"][:-1] == promoted["history"] and is_flagged(record)
    assert (record["status"], record["sources"]) == (
        promoted["status"],
        stored(promoted)["sources"],
    )
    dropped = merged(tables(start), tables({SECOND: start[SECOND]}), tables(start))
    assert FIRST not in dropped["claims"] and FIRST not in dropped["removed"]


def test_tags_and_sources_are_what_either_side_added_less_what_either_dropped(start):
    base = {**start, FIRST: rules.edit(start[FIRST], at=EARLY, add_tags=["cast"])}
    here = rules.edit(base[FIRST], at=LATE, add_tags=["season 2"], remove_tags=["filming"])
    source = rules.make_source("https://b.example/2")
    there = rules.add_source(base[FIRST], source, at=LATE)
    result = merged(tables(base), tables({**base, FIRST: here}), tables({**base, FIRST: there}))
    record = result["claims"][FIRST]
    assert record["tags"] == ["cast", "season 2"]
    assert [s["url"] for s in record["sources"]] == ["https://a.example/1", "https://b.example/2"]


def test_a_source_one_side_dropped_stays_dropped_while_the_other_side_adds_one(start):
    """No command drops a source, but `git revert` of the change that cited it (or `undo`
    after it was shared) drops its event; the merge keeps the drop."""
    cited = rules.add_source(start[FIRST], rules.make_source("https://b.example/1"), at=EARLY)
    base = {**start, FIRST: cited}
    added = rules.add_source(cited, rules.make_source("https://b.example/2"), at=LATE)
    result = merged(tables(base), tables(start), tables({**start, FIRST: added}))
    assert [s["url"] for s in result["claims"][FIRST]["sources"]] == [
        "https://a.example/1",
        "https://b.example/2",
    ]


def test_fields_changed_by_hand_without_an_event_are_not_a_change(start):
    """The claim is its history: a field edited by hand (which `doctor` reports) is not
    merged; the merge makes the claim from the events."""
    by_hand = {**start[FIRST], "sources": [], "updated": EARLY}
    added = rules.add_source(start[FIRST], rules.make_source("https://b.example/2"), at=LATE)
    result = merged(
        tables(start), tables({**start, FIRST: by_hand}), tables({**start, FIRST: added})
    )
    assert result["claims"][FIRST] == stored(added)


def test_other_tables_merge_record_by_record():
    base = tables(config={"1": {"title": "Season 2"}}, topics={})
    cast = {"name": "Cast", "heading": "Who is back?", "order": 1, "intro": None}
    ours = tables(config={"1": {"title": "Season 2", "intro": "What we know."}}, topics={})
    theirs = tables(config={"1": {"title": "Season 2"}}, topics={"cast": cast})
    result = merged(base, ours, theirs)
    assert result["config"] == {"1": {"title": "Season 2", "intro": "What we know."}}
    assert result["topics"] == {"cast": cast}


def test_a_setting_both_sides_changed_ends_the_same_on_every_clone():
    base = tables(config={"1": {"title": "Season 2"}})
    ours = tables(config={"1": {"title": "Season 2: what we know"}})
    theirs = tables(config={"1": {"title": "The Season 2 tracker"}})
    result = merged(base, ours, theirs)
    assert result["config"]["1"]["title"] in ("Season 2: what we know", "The Season 2 tracker")


def test_histories_merge_in_clock_order_keeping_each_sides_order_and_shared_events_once(start):
    mine = rules.edit(rules.promote(start[FIRST], at=LATE), at=LATE, add_tags=["one"])
    yours = rules.edit(start[FIRST], at=EARLY, add_tags=["two"])
    result = merged(tables(start), tables({**start, FIRST: mine}), tables({**start, FIRST: yours}))
    events = result["claims"][FIRST]["history"]
    assert [(event["clock"], event["action"]) for event in events] == [
        (1, "added"),
        (2, "edited"),  # theirs: the same clock as our promotion, at an earlier time
        (2, "promoted"),
        (3, "edited"),
    ]


def test_the_status_a_history_leaves_ignores_a_removal(start):
    removed = rules.removal_event(rules.promote(start[FIRST], at=LATE), at=LATE)
    folded = history.fold(removed["history"])
    assert (folded.status, folded.removed) == ("reported", True)


def test_a_copy_of_a_claim_brings_only_what_is_new(start):
    promoted = rules.promote(start[FIRST], at=LATE)
    newer = history.merge_claim(None, start[FIRST]["history"], promoted["history"], ())
    assert newer.events == promoted["history"] and newer.reasons == []
    same = history.merge_claim(None, promoted["history"], start[FIRST]["history"], ())
    assert same.events == promoted["history"]  # its `added` event is no news
