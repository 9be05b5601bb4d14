"""Claim records as the file and `--json` hold them, for tests that check or build them:
factories for the unit tests (claims made by the domain's own functions, and the tables of a
database holding them), and JSON Lines for `import`."""

import json
from pathlib import Path
from typing import Any

from aousdctl.domain import claims as rules
from aousdctl.domain import sources
from aousdctl.domain.claims import Claim

# When records made without the command line were made (the CLI tests' clock is NOW).
MADE_AT = "2026-11-20T10:00:00Z"

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

# The keys of a source as `--json` shows it, in their order.
SOURCE_KEYS = [
    "url",
    "stance",
    "outlet",
    "publisher",
    "title",
    "published",
    "accessed",
    "archive",
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


def claim(text: str = "Filming started in 2023", *, at: str = MADE_AT, **fields: Any) -> Claim:
    """A new claim as `add` makes it, through `new_claim`: `fields` are a Draft's (status,
    topic, tags, sources, expected, note); a status may be its name and a source a URL."""
    if isinstance(fields.get("status"), str):
        fields["status"] = rules.Status(fields["status"])
    fields["sources"] = [
        rules.make_source(source) if isinstance(source, str) else source
        for source in fields.get("sources", ())
    ]
    return rules.new_claim(rules.Draft(text, **fields), at=at)


def stored(claim: Claim) -> dict[str, Any]:
    """A claim as its table keeps it: every field but the id, which is the record's key,
    and its sources as links (their details are the sources' records)."""
    record = {name: value for name, value in claim.items() if name != "id"}
    record["sources"] = [rules.link_of(source) for source in claim["sources"]]
    return record


def tables(
    claims: dict[str, Claim] | None = None,
    removed: dict[str, Claim] | None = None,
    **others: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """A database's tables: claims and removed claims by id, the records of the sources
    they cite (as first cited, at MADE_AT), the ids of events `undo` took back (none unless
    given), and any other table as given."""
    every = [*(claims or {}).values(), *(removed or {}).values()]
    cited: dict[str, Any] = {}
    for claim in every:
        for source in claim["sources"]:
            cited.setdefault(source["url"], source)
    return {
        "claims": {key: stored(value) for key, value in (claims or {}).items()},
        "removed": {key: stored(value) for key, value in (removed or {}).items()},
        "sources": {
            url: dict(sources.new_record(source, at=MADE_AT)) for url, source in cited.items()
        },
        "tombstones": {},
        **others,
    }
