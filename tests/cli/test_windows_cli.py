"""Windows of time through the command line: add, edit, import, show, list --overdue, review
and the article, with `AOUSDCTL_NOW` stepping across the edges."""

import json

import pytest

from tests.support.runner import assert_refused

SPRING_2025 = "2025-04-01T09:00:00Z"  # when the predictions below are logged


def add_at(db, moment: str, text: str, *args: str) -> str:
    result = db("add", text, "--quiet", *args, env={"AOUSDCTL_NOW": moment})
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def overdue_ids(db, moment: str) -> list[str]:
    listed = db("list", "--overdue", "--json", env={"AOUSDCTL_NOW": moment})
    assert listed.exit_code == 0, listed.stderr
    return [claim["id"] for claim in json.loads(listed.stdout)]


def review_overdue(db, moment: str) -> list[dict]:
    result = db("review", "--json", env={"AOUSDCTL_NOW": moment})
    return next(g for g in json.loads(result.stdout) if g["group"] == "overdue")["items"]


def article(db, moment: str) -> str:
    result = db("export", env={"AOUSDCTL_NOW": moment})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "written, edtf, words",
    [
        ("late 2025", "2025-39", "late 2025"),
        ("2025-Q4", "2025-36", "the fourth quarter of 2025"),
        ("Q4 2025", "2025-36", "the fourth quarter of 2025"),
        ("H2 2026", "2026-41", "the second half of 2026"),
        ("spring 2025", "2025-21", "spring 2025"),
        ("March 2025", "2025-03", "March 2025"),
        ("2025-09/2025-12", "2025-09/2025-12", "September to December 2025"),
        ("2025-10-14", "2025-10-14", "14 October 2025"),
    ],
)
def test_add_stores_edtf_and_show_and_the_article_say_it_in_words(db, written, edtf, words):
    claim = db.json("add", "Season 2 premieres", "--expected", written)
    assert claim["expected"] == edtf
    assert db.json("show", claim["id"])["expected"] == edtf
    assert f"  Expected: {words} ({edtf})\n" in db.ok("show", claim["id"]).stdout
    assert f"  - Expected: {words}.\n" in db.ok("export").stdout


def test_edit_takes_a_window_and_the_history_keeps_the_old_one(db):
    claim_id = db.add("Season 2 premieres", "--expected", "2026-10")
    edited = db.json("edit", claim_id, "--expected", "H2 2027")
    assert edited["expected"] == "2027-41"
    assert edited["history"][-1]["note"] == "expected: 2026-10 → 2027-41"
    # The same window in other words is no change.
    again = db.ok("edit", claim_id, "--expected", "the second half of 2027").stdout
    assert again == f"Claim {claim_id} already reads that way; nothing changed\n"
    assert db.json("show", claim_id)["history"] == edited["history"]


def test_import_reads_a_window_in_words_and_an_export_round_trips_it(db, tmp_path):
    lines = [
        {"text": "Season 2 premieres", "expected": "late 2026"},
        {"text": "Filming wraps", "expected": "2026-21"},
    ]
    source = tmp_path / "claims.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    db.ok("import", str(source))
    assert sorted(c["expected"] for c in db.json("list")) == ["2026-21", "2026-39"]
    exported = tmp_path / "backup.json"
    exported.write_text(db.ok("export", "--format", "json").stdout, encoding="utf-8")
    assert db.json("import", str(exported)) == {"added": 0, "updated": 0, "unchanged": 2}


@pytest.mark.parametrize(
    "window, error",
    [
        ("soon", "late 2025"),
        ("2025-13", "real date"),
        ("Q5 2025", "4 quarters"),
        ("2025-12/2025-09", "ends before it starts"),
    ],
)
def test_a_bad_window_is_refused_with_exit_2_and_nothing_written(db, db_path, window, error):
    before = db_path.read_bytes()
    assert_refused(db("add", "x", "--expected", window), 2, "expected date", error)
    assert db_path.read_bytes() == before


def test_late_2025_is_overdue_the_day_after_it_ends_in_list_review_and_article(db):
    claim_id = add_at(db, SPRING_2025, "Season 2 premieres in late 2025", "--expected", "late 2025")
    last_second, next_day = "2025-12-31T23:59:59Z", "2026-01-01T00:00:00Z"
    assert overdue_ids(db, last_second) == [] and review_overdue(db, last_second) == []
    assert "  - Expected: late 2025.\n" in article(db, last_second)
    assert overdue_ids(db, next_day) == [claim_id]
    [item] = review_overdue(db, next_day)
    assert (item["claim"], item["detail"]) == (claim_id, "expected late 2025, still rumor")
    assert "  - **Overdue:** expected by late 2025 — that date has passed" in article(db, next_day)


def test_a_claim_logged_in_2026_about_november_2025_is_never_overdue(db):
    wrapped = add_at(
        db, "2026-01-15T10:00:00Z", "Filming wrapped in November 2025", "--expected", "2025-11"
    )
    predicted = add_at(db, SPRING_2025, "Filming wraps in November 2025", "--expected", "2025-11")
    for moment in ("2026-01-15T10:00:00Z", "2027-06-01T00:00:00Z"):
        assert overdue_ids(db, moment) == [predicted]
        assert [item["claim"] for item in review_overdue(db, moment)] == [predicted]
        shown = (
            "- Filming wrapped in November 2025 (rumored since 15 January 2026; *unsourced*)\n"
            "  - Expected: November 2025.\n"
        )
        assert shown in article(db, moment)
    assert wrapped not in overdue_ids(db, "2030-01-01T00:00:00Z")


def test_winter_is_overdue_only_after_february(db):
    claim_id = add_at(db, SPRING_2025, "Season 2 drops in winter", "--expected", "winter 2025")
    assert db.json("show", claim_id)["expected"] == "2025-24"
    assert overdue_ids(db, "2026-02-28T23:59:59Z") == []
    assert overdue_ids(db, "2026-03-01T00:00:00Z") == [claim_id]


def test_a_claim_settled_after_its_window_is_not_overdue(db):
    claim_id = add_at(db, SPRING_2025, "Season 2 premieres in 2025", "--expected", "2025")
    moment = "2026-06-01T00:00:00Z"
    assert overdue_ids(db, moment) == [claim_id]
    db.ok("debunk", claim_id, "--why", "It did not", env={"AOUSDCTL_NOW": moment})
    assert overdue_ids(db, moment) == []
