"""The history is the claim: the fold of its events, and the three-way merge of one claim's
events, as pure functions (the commands that use them are tested in test_sync_events.py)."""

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aousdctl.domain import claims, history
from aousdctl.domain.claims import Draft, Status

SOURCE = claims.make_source("https://www.netflix.com/tudum/season-2", title="Official")
OTHER = claims.make_source("https://www.soompi.com/article/1")


def at(minute: int) -> str:
    return f"2026-11-23T12:{minute:02d}:00Z"


def new(text: str = "Season 2 is coming", **fields: Any) -> claims.Claim:
    claim = claims.new_claim(Draft(text, **fields), at=at(0))
    claim["id"] = "k3xq9m2a"
    return claim


def folded_record(claim: Any) -> dict[str, Any]:
    """A claim's fields as its history alone makes them."""
    return {**history.fold(claim["history"]).fields(), "history": claim["history"]}


def stored(claim: Any) -> dict[str, Any]:
    """A claim as stored: no id, and its sources as links."""
    record = {name: value for name, value in claim.items() if name != "id"}
    record["sources"] = [claims.link_of(source) for source in claim["sources"]]
    return record


def merged_claim(base: Any, ours: Any, theirs: Any, tombstones: Any = ()) -> dict[str, Any]:
    """One claim merged from three versions (None: absent), as the merge keeps it."""
    result = history.merge_claim(
        base and base["history"], ours and ours["history"], theirs and theirs["history"], tombstones
    )
    events = history.with_reasons(result.events, result.reasons)
    return {**history.fold(events).fields(), "history": events, "reasons": result.reasons}


# The fold ---------------------------------------------------------------------------------


def test_every_change_is_an_event_that_says_what_it_changed():
    claim = new("Filming started", tags=["filming"], note="From a forum")
    claim = claims.promote(claim, at=at(1), sources=[SOURCE])
    claim = claims.edit(claim, at=at(2), text="Filming began", add_tags=["cast"], note="")
    claim = claims.add_source(claim, OTHER, at=at(3))
    events = claim["history"]
    assert [event["clock"] for event in events] == [1, 2, 3, 4]
    assert len({event["id"] for event in events}) == 4
    assert events[0]["change"]["text"] == "Filming started"
    assert events[1]["change"] == {"cited": [{"stance": "supports", "url": SOURCE["url"]}]}
    assert events[2]["change"] == {
        "note": None,
        "tags": ["cast"],
        "text": "Filming began",
        "untagged": [],
        "was": {"note": "From a forum", "text": "Filming started"},
    }
    assert folded_record(claim) == stored(claim)


def test_the_order_is_the_clock_whatever_the_machines_clocks_said():
    claim = new()
    late_clock = claims.promote(claim, at="2026-11-22T00:00:00Z")  # a clock a day behind
    assert late_clock["history"][-1]["clock"] == 2
    assert late_clock["status"] == "reported"
    assert late_clock["created"] == at(0) and late_clock["updated"] == at(0)
    assert claims.problems(late_clock) == []


def test_a_history_that_breaks_its_chain_is_refused_until_a_merge_says_so():
    claim = claims.promote(new(), at=at(1))
    broken = copy.deepcopy(stored(claim))
    broken["history"][1]["from"] = "debunked"  # a promotion from a status it never had
    broken["history"][1]["to"] = "reported"
    assert any("moves from debunked" in p for p in claims.problems(broken))
    marked = copy.deepcopy(broken)
    marked["history"].append(history.merged_event(marked["history"], ["a test"]))
    assert claims.problems({**marked, **history.fold(marked["history"]).fields()}) == []


def test_only_status_actions_move_a_status_each_its_own_way():
    claim = stored(claims.promote(new(sources=[SOURCE]), at=at(1)))
    for action, before, after, words in [
        ("attached", None, "confirmed", "is not a change of status"),
        ("promoted", "confirmed", "rumor", "moves from confirmed to rumor"),
        ("demoted", "rumor", "confirmed", "moves from rumor to confirmed"),
        ("added", None, "debunked", "moves from None to debunked"),
        ("removed", "rumor", "reported", "moves from rumor to reported"),
    ]:
        changed = copy.deepcopy(claim)
        changed["history"][-1].update({"action": action, "from": before, "to": after})
        found = claims.problems(changed)
        assert any(words in problem for problem in found), (action, found)


def test_fields_that_are_not_the_fold_are_a_problem():
    claim = stored(claims.promote(new(sources=[SOURCE]), at=at(1)))
    for name, value, words in [
        ("text", "Something else", "its history makes it 'Season 2 is coming'"),
        ("status", "rumor", "history ends at reported"),
        ("sources", [], "it"),
        ("updated", at(9), "the updated is"),
    ]:
        assert any(words in p for p in claims.problems({**claim, name: value})), name


def test_a_confirmation_whose_source_was_taken_back_counts_as_reported():
    base = claims.add_source(new(), SOURCE, at=at(1))
    confirmed = claims.promote(base, at=at(2), to=Status.CONFIRMED)
    dropped = new()  # the other clone reverted the change that cited the source
    dropped["history"] = base["history"][:1]
    merged = merged_claim(base, confirmed, dropped)
    assert (merged["status"], merged["sources"]) == ("reported", [])
    assert merged["history"][-1]["action"] == "merged"
    assert history.UNSOURCED_CONFLICT in merged["reasons"]
    assert claims.problems({k: v for k, v in merged.items() if k != "reasons"}) == []


# The three-way merge of one claim's events -----------------------------------------------------


def test_an_event_one_side_dropped_is_dropped_and_one_either_side_added_is_kept():
    base = claims.promote(new(sources=[SOURCE]), at=at(1))
    reverted = copy.deepcopy(base)
    reverted["history"] = base["history"][:1]  # a `git revert` of the promotion
    edited = claims.edit(base, at=at(2), add_tags=["cast"])
    merged = merged_claim(base, reverted, edited)
    assert [event["action"] for event in merged["history"]] == ["added", "edited"]
    assert (merged["status"], merged["tags"]) == ("rumor", ["cast"])
    assert merged["reasons"] == []


def test_both_sides_moving_the_status_keeps_both_and_flags_the_claim():
    base = new()
    ours = claims.promote(base, at=at(2))
    theirs = claims.debunk(base, at=at(1), note="denied")
    merged = merged_claim(base, ours, theirs)
    assert [event["action"] for event in merged["history"]] == [
        "added",
        "debunked",
        "promoted",
        "merged",
    ]
    assert merged["status"] == "reported"  # same clock: the later time wins
    assert merged["reasons"] == [history.STATUS_CONFLICT]


def test_text_changed_on_both_sides_keeps_the_later_and_the_other_in_its_event():
    base = new()
    ours = claims.edit(base, at=at(1), text="Season 2 is filming")
    theirs = claims.edit(base, at=at(2), text="Season 2 is confirmed")
    merged = merged_claim(base, ours, theirs)
    assert merged["text"] == "Season 2 is confirmed"
    assert [e["change"].get("text") for e in merged["history"][1:3]] == [
        "Season 2 is filming",
        "Season 2 is confirmed",
    ]
    assert merged["reasons"] == [history.FIELD_CONFLICT.format("text")]


def test_removed_on_one_side_and_changed_on_the_other_stays_and_the_removal_is_undone():
    base = new()
    removed = claims.removal_event(base, at=at(1))
    changed = claims.edit(base, at=at(2), add_tags=["cast"])
    result = history.merge_claim(base["history"], removed["history"], changed["history"], ())
    assert result.undone == {removed["history"][-1]["id"]}
    events = history.with_reasons(result.events, result.reasons)
    assert not history.fold(events).removed
    assert "removed on one clone" in events[-1]["note"]


def test_a_clone_that_imports_the_resolution_of_its_removal_adds_nothing_to_it():
    base = new()
    removed = claims.removal_event(base, at=at(1))
    changed = claims.edit(base, at=at(2), note="seen elsewhere")
    resolved = history.merge_claim(None, changed["history"], removed["history"], ())
    resolution = history.with_reasons(resolved.events, resolved.reasons)
    again = history.merge_claim(None, removed["history"], resolution, resolved.undone)
    assert again.reasons == [] and again.events == resolution


def test_both_sides_removing_it_keep_it_removed():
    base = claims.promote(new(), at=at(1))
    ours = claims.removal_event(claims.promote(base, at=at(2), sources=[SOURCE]), at=at(3))
    theirs = claims.removal_event(base, at=at(2))
    merged = merged_claim(base, ours, theirs)
    assert history.fold(merged["history"]).removed


def test_an_undone_addition_changed_on_the_other_side_stays_and_its_tombstone_goes():
    base = new()
    changed = claims.promote(base, at=at(1))
    creation = base["history"][0]["id"]
    result = history.merge_claim(base["history"], None, changed["history"], {creation})
    assert result.lifted == {creation}
    assert [event["action"] for event in result.events] == ["added", "promoted"]
    alone = history.merge_claim(base["history"], None, base["history"], {creation})
    assert alone.events == []  # nobody changed it: the undo stands


def test_an_event_in_the_tombstones_never_comes_back():
    base = new()
    promoted = claims.promote(base, at=at(1))
    undone = promoted["history"][-1]["id"]
    merged = merged_claim(None, base, promoted, {undone})  # an import: no common ancestor
    assert [event["action"] for event in merged["history"]] == ["added"]


# Properties -------------------------------------------------------------------------------------

STEPS = st.lists(
    st.sampled_from(["promote", "demote", "debunk", "edit", "retag", "source", "remove"]),
    max_size=4,
)


def applied(claim: Any, steps: list[str], minute: int) -> Any:
    """A clone's changes to a claim, each one a command would make (those refused skipped)."""
    for offset, step in enumerate(steps):
        moment = at(minute + offset)
        if history.fold(claim["history"]).removed:
            break
        try:
            if step == "promote":
                claim = claims.promote(claim, at=moment, sources=[SOURCE])
            elif step == "demote":
                claim = claims.demote(claim, at=moment, note="retracted")
            elif step == "debunk":
                claim = claims.debunk(claim, at=moment, note="denied")
            elif step == "edit":
                claim = claims.edit(claim, at=moment, text=f"Wording {minute + offset}") or claim
            elif step == "retag":
                tags = {"add_tags": [f"t{offset}"], "remove_tags": ["t0"]}
                claim = claims.edit(claim, at=moment, **tags) or claim
            elif step == "source":
                claim = claims.add_source(claim, OTHER, at=moment) or claim
            else:
                claim = claims.removal_event(claim, at=moment)
        except claims.BadInput:
            continue
        except Exception as error:  # a refusal (Conflict) is what the command would say
            if type(error).__name__ != "Conflict":
                raise
    return claim


@settings(max_examples=60, deadline=None)
@given(STEPS, STEPS, STEPS, st.integers(0, 30), st.integers(0, 30))
def test_any_two_clones_merge_to_one_valid_claim_whichever_side_is_ours(
    before, left, right, left_minute, right_minute
):
    base = applied(new(), before, 1)
    ours = applied(base, left, left_minute)
    theirs = applied(base, right, right_minute)
    one = merged_claim(base, ours, theirs)
    other = merged_claim(base, theirs, ours)
    assert json.dumps(one, sort_keys=True) == json.dumps(other, sort_keys=True)
    record = {name: value for name, value in one.items() if name != "reasons"}
    removed = history.fold(record["history"]).removed
    assert claims.problems(record, removed=removed) == []
    kept = {event["id"] for event in record["history"]}
    for side in (ours, theirs):  # what a side added is there, unless a rule undid a removal
        for event in side["history"]:
            assert event["id"] in kept or event["action"] == "removed"


@settings(max_examples=30, deadline=None)
@given(STEPS, STEPS)
def test_merging_a_claim_with_itself_or_its_ancestor_changes_nothing(before, after):
    base = applied(new(), before, 1)
    later = applied(base, after, 10)
    for ours, theirs in ((later, later), (later, base), (base, later)):
        merged = merged_claim(base, ours, theirs)
        assert merged["history"] == later["history"]
        assert merged["reasons"] == []


# Histories from before events had ids ----------------------------------------------------------


def legacy_record() -> dict[str, Any]:
    return {
        "text": "Old claim",
        "status": "reported",
        "topic": "Cast",
        "tags": ["cast"],
        "sources": [
            {"url": "https://x.example/a", "outlet": "X", "title": "A", "published": "2025"}
        ],
        "expected": None,
        "note": None,
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-02T00:00:00Z",
        "history": [
            {
                "at": "2026-01-01T00:00:00Z",
                "action": "added",
                "from": None,
                "to": "rumor",
                "note": None,
                "sources": ["https://x.example/a"],
            },
            {
                "at": "2026-01-02T00:00:00Z",
                "action": "promoted",
                "from": "rumor",
                "to": "reported",
                "note": None,
                "sources": [],
            },
        ],
    }


def test_an_old_history_upgrades_to_the_same_bytes_anywhere_and_keeps_its_fields():
    one, other = legacy_record(), legacy_record()
    history.upgrade_legacy(one, "k3xq9m2a")
    history.upgrade_legacy(other, "k3xq9m2a")
    assert json.dumps(one, sort_keys=True) == json.dumps(other, sort_keys=True)
    old = legacy_record()
    assert {name: one[name] for name in old if name not in ("history", "sources")} == {
        name: value for name, value in old.items() if name not in ("history", "sources")
    }
    assert one["sources"] == [{"stance": "supports", "url": old["sources"][0]["url"]}]
    assert claims.problems(one) == []
    assert [event["clock"] for event in one["history"]] == [1, 2]


def test_an_old_history_that_was_no_chain_is_upgraded_to_a_flagged_valid_claim():
    broken = legacy_record()
    broken["sources"] = []  # what `git revert` of a confirmation left before this version
    broken["status"] = "confirmed"
    broken["history"][1].update(to="confirmed", sources=[])
    broken["history"][0]["sources"] = []
    history.upgrade_legacy(broken, "k3xq9m2a")
    assert broken["status"] == "reported"
    assert broken["history"][-1]["action"] == "merged"
    assert claims.problems(broken) == []
