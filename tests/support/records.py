"""Claim records as the file and `--json` hold them, for tests that check or build them."""

import json
from pathlib import Path

# The fields of a claim object in the order `--json` prints them.
CLAIM_FIELDS = [
    "id",
    "text",
    "status",
    "topic",
    "tags",
    "sources",
    "expected",
    "note",
    "created",
    "updated",
    "history",
]

NETFLIX_TITLE = "https://www.netflix.com/title/81237994"

# Three claims as JSON Lines records, as a script feeding `import` writes them.
IMPORT_LINES = [
    {
        "text": "Filming started in 2023",
        "topic": "Production",
        "status": "reported",
        "tags": ["filming"],
        "sources": [{"url": "https://example.com/f", "outlet": "Example"}],
    },
    {"text": "Season 2 premieres in late 2025", "topic": "Release", "expected": "2025-10"},
    {
        "text": "Netflix renewed the show",
        "status": "confirmed",
        "sources": [{"url": NETFLIX_TITLE}],
        "note": "June 2022",
    },
]


def jsonl(tmp_path: Path, *records: object, name: str = "claims.jsonl") -> Path:
    """A JSON Lines file of `records` in `tmp_path`."""
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path
