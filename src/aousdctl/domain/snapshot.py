"""A read-only view of a whole database: what the article, the export, `review` and the
track records are functions of, so they can be computed (and tested) without a file.

It wraps the tables as storage read them, without copying: claim objects are built only
for what a caller asks for. Nothing here changes a table.
"""

from collections.abc import Callable, Mapping
from typing import Any

from aousdctl.domain import ids
from aousdctl.domain.claims import Claim, as_claim
from aousdctl.domain.topics import Topic

Tables = Mapping[str, Mapping[str, Any]]
Pair = tuple[str, Mapping[str, Any]]

# The key of the one record of the `config` table, which holds every setting.
CONFIG_KEY = "1"

# Sorts after every old number: claims made since ids are random have none.
_NO_NUMBER = 1 << 62


class Snapshot:
    """Every table of one database, read once."""

    def __init__(self, tables: Tables) -> None:
        self._tables = tables
        self._number_by_id: dict[str, int] | None = None

    def table(self, name: str) -> Mapping[str, Any]:
        """A table's records by key, as stored (empty when the file has none)."""
        return self._tables.get(name, {})

    def stored_claims(self) -> list[Pair]:
        """(id, stored record) pairs oldest first, without copying anything: for code that
        only reads every claim, like the article."""
        return sorted(self.table("claims").items(), key=self.age)

    def claims(
        self, where: Callable[[Mapping[str, Any]], bool] | None = None, limit: int | None = None
    ) -> list[Claim]:
        """Every claim, or those whose stored record `where` accepts, oldest first; only the
        first `limit` of them when it is given.

        The hot path of every listing: claim objects are built only for the records kept.
        """
        kept = [
            (key, record)
            for key, record in self.table("claims").items()
            if where is None or where(record)
        ]
        kept.sort(key=self.age)
        details = self.source_records()
        return [as_claim(record, claim_id, details) for claim_id, record in kept[:limit]]

    def removed_claims(self) -> list[Claim]:
        records = sorted(self.table("removed").items(), key=self.age)
        details = self.source_records()
        return [as_claim(record, claim_id, details) for claim_id, record in records]

    def source_records(self) -> Mapping[str, Any]:
        """Each source's record by its URL (see `domain.sources`)."""
        return self.table("sources")

    def claim_of(self, record: Mapping[str, Any], claim_id: str) -> Claim:
        """A stored claim record as a claim object, its links shown with their sources."""
        return as_claim(record, claim_id, self.source_records())

    def age(self, pair: Pair) -> tuple[str, int, str]:
        """The order "oldest first" of an (id, record) pair: by creation time; claims created
        in the same second keep the order of their old numbers where they have them (so a
        database from before random ids lists as it did), then go by id."""
        claim_id, record = pair
        number = self._numbers_by_id().get(claim_id)
        return (record["created"], number if number is not None else _NO_NUMBER, claim_id)

    def tombstones(self) -> Mapping[str, Any]:
        """Ids of history events `undo` took back, each with its claim's id (see
        `history`): a merge or an import never brings them back."""
        return self.table("tombstones")

    def old_numbers(self) -> dict[str, str]:
        """Old number -> id, for claims made before ids were random (see m005_random_ids).
        An entry that isn't an old number and an id (a hand edit) is left out: `doctor`
        names it, and no command trips on it."""
        return {
            number: record["id"]
            for number, record in self.table("numbers").items()
            if ids.is_old_number(number) and ids.is_id(_field(record, "id"))
        }

    def _numbers_by_id(self) -> dict[str, int]:
        if self._number_by_id is None:
            self._number_by_id = {
                claim_id: int(number) for number, claim_id in self.old_numbers().items()
            }
        return self._number_by_id

    def setting(self, name: str) -> Any:
        """A setting as stored, or None when it was never set."""
        record = self.table("config").get(CONFIG_KEY)
        return None if record is None else record.get(name)

    def topics(self) -> list[Topic]:
        """Topic settings: name, heading, order and intro (topics without settings have none),
        in the order of their keys (their names, ignoring case)."""
        stored = self.table("topics")
        return [Topic(**stored[key]) for key in sorted(stored)]  # type: ignore[typeddict-item]


def _field(record: Any, name: str) -> Any:
    """A field of a record that may not even be an object (a hand edit)."""
    return record.get(name) if isinstance(record, dict) else None
