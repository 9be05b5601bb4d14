"""Review: one grouped list of what needs a human, and --check for cron."""

import json
import shutil
from pathlib import Path

from conftest import assert_refused

ROOT = Path(__file__).resolve().parent.parent
LATER = "2027-03-01T12:00:00Z"  # 98 days after the tests' NOW


def groups(db, *args: str, env: dict[str, str] | None = None) -> dict[str, list]:
    result = db("review", "--json", *args, env=env)
    return {group["group"]: group for group in json.loads(result.stdout)}


def test_nothing_to_review(db) -> None:
    assert db.ok("review").stdout == "Nothing needs a human.\n"
    assert db.ok("review", "--check").stdout == "Nothing needs a human.\n"
    found = db.json("review")
    assert [g["group"] for g in found] == ["leads", "merged", "overdue", "unsourced", "stale"]
    assert all(g["count"] == 0 and g["items"] == [] for g in found)


def test_each_group_and_check(db) -> None:
    overdue = db.add("Season 2 in October 2026", "--expected", "2026-10")
    db.add("Season 2 in 2027", "--expected", "2027")
    unsourced = db.add("Lomon returns", "--status", "reported")
    db.add("Netflix said so", "--status", "reported", "--source", "https://netflix.com/a")
    found = groups(db)
    assert [item["claim"] for item in found["overdue"]["items"]] == [overdue]
    assert [item["claim"] for item in found["unsourced"]["items"]] == [unsourced]
    assert found["stale"]["count"] == 0 and found["leads"]["count"] == 0
    result = db("review", "--check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Overdue predictions (1): ")
    assert f"  {overdue}  Season 2 in October 2026  (expected 2026-10, still rumor)" in lines
    assert any(line.startswith("Reported claims with no source (1)") for line in lines)


def test_stale_after_is_configurable(db) -> None:
    claim = db.add("An old rumor")
    db.add("A confirmed fact", "--status", "confirmed", "--source", "https://netflix.com/a")
    later = {"AOUSDCTL_NOW": LATER}
    stale = groups(db, env=later)["stale"]
    assert stale["title"] == "Open claims unchanged for more than 90d"
    assert [item["claim"] for item in stale["items"]] == [claim]
    db.ok("config", "set", "stale-after", "15W")
    assert db.json("config", "show")["stale-after"] == "15w"
    assert groups(db, env=later)["stale"]["count"] == 0
    db.ok("config", "set", "stale-after", "30d")
    assert groups(db, env=later)["stale"]["count"] == 1
    for bad in ("3 months", "0d", "5y", "90", "\uff11\u0662d"):
        assert_refused(db("config", "set", "stale-after", bad), 2, "stale-after")
    db.ok("config", "set", "stale-after", "")
    assert db.json("config", "show")["stale-after"] == "90d"  # the default again
    assert groups(db, env=later)["stale"]["title"].endswith("90d")


def test_leads_waiting_are_listed(db, db_path: Path) -> None:
    document = json.loads(db_path.read_text())
    document["leads"]["1"] = {
        "id": "k3xq9m2a",
        "title": "Season 2 teaser [exclusive]",
        "summary": "",
        "link": "https://www.soompi.com/a",
        "outlet": "soompi.com",
        "published": None,
        "feed": "Soompi",
        "guid": "g",
        "fetched": "2026-11-23T00:00:00Z",
        "state": "waiting",
        "claim": None,
        "note": None,
        "decided": None,
    }
    db_path.write_text(json.dumps(document))
    assert groups(db)["leads"]["items"] == [
        {
            "lead": "k3xq9m2a",
            "text": "Season 2 teaser [exclusive]",
            "detail": "soompi.com via Soompi",
        }
    ]
    text = db("review", "--check")
    assert text.exit_code == 1
    assert "  lead k3xq9m2a  Season 2 teaser [exclusive]  (soompi.com via Soompi)" in text.stdout


def test_the_shipped_database_gives_an_editor_something_to_do(cli, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copy(ROOT / "db" / "claims.json", db_path)
    before = db_path.read_bytes()
    result = cli("review", "--check")
    assert result.exit_code == 1
    assert "Overdue predictions (1)" in result.stdout
    assert "Season 2 premieres in late 2025" in result.stdout
    assert "Reported claims with no source" in result.stdout
    assert db_path.read_bytes() == before
