"""Claim records as the file and `--json` hold them, for tests that check or build them."""

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
