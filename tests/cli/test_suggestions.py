"""The claims `inbox` suggests for each lead: the labelled leads of tests/data against the
shipped database, Korean headlines, open claims before settled ones, removed claims never."""

import shutil
from pathlib import Path

from aousdctl.domain.suggestions import THRESHOLD
from tests.support.leads import labelled, lead_record, put_leads
from tests.support.paths import SHIPPED_DATABASE


def suggested_ids(lead: dict) -> list[str]:
    return [suggestion["claim"] for suggestion in lead["suggestions"]]


def shipped(cli, db_path: Path):
    db_path.parent.mkdir()
    shutil.copy(SHIPPED_DATABASE, db_path)
    return cli


def test_labelled_leads_find_their_claims_in_the_shipped_database(cli, db_path: Path) -> None:
    shipped(cli, db_path)
    leads = labelled()
    ids = put_leads(
        db_path, *(lead_record(n, lead["title"], lead["summary"]) for n, lead in enumerate(leads))
    )
    shown = {lead["id"]: lead for lead in cli.json("inbox")}
    about = [
        (lead, suggested_ids(shown[lead_id])) for lead_id, lead in zip(ids, leads, strict=True)
    ]
    belonging = [(lead["claim"], found) for lead, found in about if lead["claim"]]
    first = sum(found[:1] == [claim] for claim, found in belonging) / len(belonging)
    in_three = sum(claim in found for claim, found in belonging) / len(belonging)
    strays = [found for lead, found in about if lead["claim"] is None]
    quiet = sum(not found for found in strays) / len(strays)
    assert len(leads) >= 40 and sum(lead["language"] != "en" for lead in leads) >= 10
    assert (first, in_three, quiet) >= (0.70, 0.0, 0.0), (first, in_three, quiet)
    assert in_three >= 0.85 and quiet >= 0.80, (first, in_three, quiet)
    korean = [(lead["claim"], found) for lead, found in about if lead["language"] == "ko"]
    assert sum(found[:1] == [claim] for claim, found in korean if claim) >= 4
    every = [s for lead in shown.values() for s in lead["suggestions"]]
    assert all(THRESHOLD <= s["score"] <= 100 for s in every) and every


def test_a_korean_headline_meets_the_claim_spelled_in_latin_letters(db, db_path: Path) -> None:
    lomon = db.add("Lomon returns as Lee Su-hyeok", "--topic", "Cast")
    db.add("Filming wrapped in November 2025", "--topic", "Production")
    put_leads(db_path, lead_record(1, "로몬, '지금 우리 학교는 2' 이수혁 역 확정"))
    [lead] = db.json("inbox")
    assert suggested_ids(lead) == [lomon]
    assert lead["suggestions"][0]["status"] == "rumor"
    assert f"maybe {lomon} (" in db.ok("inbox").stdout


def test_a_wraps_filming_story_finds_the_filming_claims_first(cli, db_path: Path) -> None:
    """The issue's case: "Netflix cancelled Season 2" (debunked) once came first for a
    "wraps filming" story, and "Filming wrapped in November 2025" was hidden."""
    db = shipped(cli, db_path)
    wrapped = db.add("Filming wrapped in November 2025", "--topic", "Production")
    put_leads(
        db_path,
        lead_record(1, "All of Us Are Dead Season 2 wraps filming", "The last day was in Seoul"),
    )
    [lead] = db.json("inbox")
    # the two claims about filming (the shipped one is 8wwbpqgf, tagged filming)
    assert set(suggested_ids(lead)[:2]) == {wrapped, "8wwbpqgf"}


def test_open_claims_come_before_settled_ones(db, db_path: Path) -> None:
    confirmed = db.add(
        "Netflix renewed All of Us Are Dead for Season 2",
        "--status",
        "confirmed",
        "--source",
        "https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2",
    )
    debunked = db.add("Netflix cancelled All of Us Are Dead Season 2")
    db.ok("debunk", debunked, "--why", "Never withdrawn")
    rumor = db.add("All of Us Are Dead Season 2 premieres on Netflix in October")
    put_leads(db_path, lead_record(1, "Netflix renews All of Us Are Dead for Season 2"))
    [lead] = db.json("inbox")
    assert suggested_ids(lead)[0] == rumor
    assert set(suggested_ids(lead)) == {rumor, confirmed, debunked}
    statuses = [suggestion["status"] for suggestion in lead["suggestions"]]
    assert statuses[0] == "rumor" and set(statuses[1:]) == {"confirmed", "debunked"}
    settled = lead["suggestions"][1:]
    assert settled == sorted(settled, key=lambda suggestion: -suggestion["score"])


def test_removed_and_undone_claims_are_never_suggested(db, db_path: Path) -> None:
    kept = db.add("Park Ji-hu returns as Nam On-jo", "--topic", "Cast")
    removed = db.add("Park Ji-hu returns as Nam On-jo in the finale", "--topic", "Story")
    put_leads(db_path, lead_record(1, "Park Ji-hu to return as Nam On-jo"))
    assert set(suggested_ids(db.json("inbox")[0])) == {kept, removed}
    db.ok("rm", removed, "--yes")
    assert suggested_ids(db.json("inbox")[0]) == [kept]
    db.ok("undo")
    assert set(suggested_ids(db.json("inbox")[0])) == {kept, removed}
    undone = db.add("Nam On-jo survives Season 2, Park Ji-hu says", "--topic", "Cast")
    assert undone in suggested_ids(db.json("inbox")[0])
    db.ok("undo")
    assert undone not in suggested_ids(db.json("inbox")[0])
