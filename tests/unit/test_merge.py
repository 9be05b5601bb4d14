"""The three-way merge of two clones' tables (`domain.merge`), called directly: what git's merge
driver does to the database, without git or files."""

import pytest

from aousdctl.domain import claims as rules
from aousdctl.domain.merge import (
    absorb_history,
    flagged,
    is_flagged,
    merge_histories,
    merge_tables,
    status_from_history,
)
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
    assert record["history"][-1]["action"] == "edited"
    assert (
        record["history"][-1]["note"] == "text on the other clone was: Filming started in mid-2023"
    )
    assert not is_flagged(record)


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
    assert record["history"][-1]["note"] == (
        f"kept: removed on another clone at {EARLY}, but changed on this one"
    )
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
    assert result["claims"][FIRST] == stored(promoted)
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
    """No command drops a source, but a hand-edited file can; the merge keeps the drop."""
    dropped = {**start[FIRST], "sources": [], "updated": EARLY}
    added = rules.add_source(start[FIRST], rules.make_source("https://b.example/2"), at=LATE)
    result = merged(
        tables(start), tables({**start, FIRST: dropped}), tables({**start, FIRST: added})
    )
    assert [s["url"] for s in result["claims"][FIRST]["sources"]] == ["https://b.example/2"]


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


def test_histories_merge_by_time_keeping_each_sides_order_and_shared_events_once():
    shared = {"at": "2026-01-01T00:00:00Z", "action": "added", "to": "rumor"}
    mine = [shared, {"at": "2026-01-03T00:00:00Z", "n": 1}, {"at": "2026-01-03T00:00:00Z", "n": 2}]
    yours = [shared, {"at": "2026-01-02T00:00:00Z", "n": 3}, {"at": "2026-01-04T00:00:00Z", "n": 4}]
    expected = [shared, yours[1], mine[1], mine[2], yours[2]]
    assert merge_histories(mine, yours) == expected
    assert merge_histories(yours, mine) == expected


def test_the_status_a_history_leaves_ignores_a_removal():
    history = [
        {"at": EARLY, "action": "added", "to": "rumor"},
        {"at": LATE, "action": "promoted", "to": "reported"},
        {"at": LATE, "action": "removed", "to": "reported"},
        {"at": LATE, "action": "edited", "to": None},
    ]
    assert status_from_history(history) == "reported"
    assert status_from_history([]) is None


def test_absorbing_another_copys_history_takes_only_what_is_new(start):
    promoted = rules.promote(start[FIRST], at=LATE)
    absorbed = absorb_history(start[FIRST], promoted)
    assert absorbed["status"] == "reported" and absorbed["updated"] == LATE
    assert absorbed["history"] == promoted["history"]
    assert absorb_history(promoted, promoted) is None
    assert absorb_history(promoted, start[FIRST]) is None  # its `added` event is no news
