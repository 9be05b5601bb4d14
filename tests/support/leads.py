"""Leads written straight into a database file, as a fetch would have kept them, for tests
of the inbox that need no feed server; and the labelled leads of tests/data."""

import json
from pathlib import Path
from typing import Any

from tests.support.files import edit_file
from tests.support.paths import ROOT

# Leads labelled with the claim of the shipped database each belongs to (None: none).
LABELLED_LEADS = ROOT / "tests" / "data" / "suggestion-leads.json"


def labelled() -> list[dict[str, Any]]:
    return json.loads(LABELLED_LEADS.read_text(encoding="utf-8"))["leads"]


def lead_record(number: int, title: str, summary: str = "", **fields: Any) -> dict[str, Any]:
    """A waiting lead as the file keeps it; its id is `lead` and the number in letters."""
    lead_id = "lead" + "".join("abcdefghij"[int(digit)] for digit in f"{number:04d}")
    return {
        "id": lead_id,
        "title": title,
        "summary": summary,
        "link": f"https://www.soompi.com/article/{number}",
        "outlet": "soompi.com",
        "published": f"2026-11-{1 + number % 28:02d}T09:00:00Z",
        "feed": "soompi.com",
        "guid": f"soompi-{number}",
        "fetched": "2026-11-23T00:00:00Z",
        "state": "waiting",
        "claim": None,
        "note": None,
        "decided": None,
        **fields,
    }


def put_leads(db_path: Path, *records: dict[str, Any]) -> list[str]:
    """Keep `records` as leads in the database file; returns their ids."""

    def change(document: dict[str, Any]) -> None:
        leads = document.setdefault("leads", {})
        for record in records:
            leads[record["id"]] = record

    edit_file(db_path, change)
    return [record["id"] for record in records]
