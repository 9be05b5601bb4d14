"""Three versions of the database file merged record by record, reading as little as it can.

Git's merge driver gets three whole files; most of their records are the same bytes in all
three, or changed on one side only. Those need no parsing: a record is found by the file's
own layout (`codec.stored` writes every record on lines of its own, at a fixed indent), and
taken as the bytes of the side that changed it. Only the claims and source records both
sides changed (and the few that the tombstones, or a claim that gave up its id, tie to them)
are parsed and merged by `domain.merge`; the small tables are parsed whole. The result is
the same bytes as parsing all three files and merging them: it keeps the peak memory near
the size of the three files and the time near that of reading them.

A version this can't lay out (not written by this aousdctl's format, or of an older schema,
which must be migrated first) makes `merge_versions` return None: the caller merges the
parsed versions instead.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from aousdctl import codec
from aousdctl.domain import history, ids, merge, sources
from aousdctl.storage import migrations

CLAIM_TABLES = merge.CLAIM_TABLES
SOURCES = "sources"
_TABLE_KEY = re.compile(rb'\n  ("(?:[^"\\\n]|\\.)*"): ')
_EMPTY_TABLE = b"{}"


@dataclass
class Layout:
    """Where each record of one version lies in its bytes: table -> key -> (start, end)."""

    data: bytes
    records: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    version: Any = None

    def record(self, table: str, key: str) -> Any:
        """One record, parsed."""
        start, end = self.records[table][key]
        return codec.loads_laid_out(self.data[start:end], 2)

    def parsed(self, table: str) -> dict[str, Any]:
        """A whole table, parsed (for the small ones)."""
        return {key: self.record(table, key) for key in self.records.get(table, {})}

    def state(self, key: str) -> "Held | None":
        """Which claim table holds `key` here, and its record's bytes."""
        for table in CLAIM_TABLES:
            span = self.records[table].get(key)
            if span is not None:
                return Held(table, self.data, *span)
        return None

    def held(self, table: str, key: str) -> "Held | None":
        """A record of another table, if this version has it."""
        span = self.records.get(table, {}).get(key)
        return None if span is None else Held(table, self.data, *span)


class Held:
    """A record as one version holds it: equal to another when it is in the same table
    with the same bytes (compared only when their lengths agree)."""

    __slots__ = ("data", "end", "start", "table")

    def __init__(self, table: str, data: bytes, start: int, end: int) -> None:
        self.table, self.data, self.start, self.end = table, data, start, end

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Held):
            return NotImplemented
        return (
            self.table == other.table
            and self.end - self.start == other.end - other.start
            and self.data[self.start : self.end] == other.data[other.start : other.end]
        )

    __hash__ = None  # type: ignore[assignment]

    def raw(self) -> memoryview:
        return memoryview(self.data)[self.start : self.end]

    def holds(self, needle: bytes) -> bool:
        """Whether the record's bytes hold `needle` (an event id, say), without copying them."""
        return self.data.find(needle, self.start, self.end) != -1

    def parse(self) -> Any:
        return codec.loads_laid_out(self.data[self.start : self.end], 2)


def lay_out(data: bytes, *, ancestor: bool = False) -> Layout | None:
    """The records of a file as `codec.stored` lays it out, or None for any other layout.
    An empty `ancestor` (git's base when there is no common one) is an empty database; an
    empty side is not, and is left for the whole parse to refuse."""
    if ancestor and not data[:64].strip() and not data.strip():
        return Layout(data, {name: {} for name in CLAIM_TABLES}, migrations.SCHEMA_VERSION)
    if not (data.startswith(b'{\n  "') and data.endswith(b"\n}\n")):
        return None
    layout = Layout(data, {name: {} for name in CLAIM_TABLES})
    heads = list(_TABLE_KEY.finditer(data, 1, len(data) - 2))
    names = [codec.loads(head.group(1)) for head in heads]
    if names != sorted(set(names)):
        return None
    for number, head in enumerate(heads):
        end = heads[number + 1].start() - 1 if number + 1 < len(heads) else len(data) - 3
        if data[end : end + 1] != (b"," if number + 1 < len(heads) else b"\n"):
            return None
        if data[head.end() : head.end() + 2] == b"{\n":
            records = _records(data, head.end(), end)
            if records is None:
                return None
            if names[number] == migrations.SCHEMA_TABLE:
                layout.version = _version_in(data, records)
            else:
                layout.records[names[number]] = records
        elif names[number] == migrations.OLD_SCHEMA_KEY:
            layout.version = codec.loads(data[head.end() : end])
        elif data[head.end() : end] == _EMPTY_TABLE:
            layout.records[names[number]] = {}
        else:
            return None
    return layout


def _version_in(data: bytes, schema: dict[str, tuple[int, int]]) -> Any:
    """The version the schema table holds, None if it holds anything else (the versions
    parsed whole then say what is wrong)."""
    if set(schema) != {migrations.SCHEMA_RECORD}:
        return None
    start, end = schema[migrations.SCHEMA_RECORD]
    record = codec.loads(data[start:end])
    return record.get("version") if isinstance(record, dict) and len(record) == 1 else None


# Between two records of a table: the end of one (`}` on a line of its own, or `{}` for an
# empty record, as the settings of a database without a title are), the start of the next
# one's key. A regular expression of nothing but these literal bytes finds them faster than
# `bytes.find` (one with a choice of the two ends took ten times as long); what comes
# before is checked on each.
_BETWEEN = re.compile(re.escape(b'},\n    "'))
_RECORD_ENDS = (b"\n    }", b"{}")


def _records(data: bytes, start: int, end: int) -> dict[str, tuple[int, int]] | None:
    """The records of one table whose value is data[start:end]: `{`, then each record as
    `"key": {...}` on lines of its own (its inner lines indented further), then `}`."""
    if not (
        data.startswith(b'{\n    "', start)
        and (data.endswith(b"\n    }\n  }", start, end) or data.endswith(b"{}\n  }", start, end))
    ):
        return None
    key_starts = [start + 7]
    stops = []
    for between in _BETWEEN.finditer(data, start, end):
        stop = between.start() + 1
        if not data.endswith(_RECORD_ENDS, start, stop):
            return None
        stops.append(stop)
        key_starts.append(between.end())
    stops.append(end - 4)
    records: dict[str, tuple[int, int]] = {}
    previous = None
    for key_start, stop in zip(key_starts, stops, strict=True):
        key_end = data.find(b'": {', key_start, stop)
        key = _key(data[key_start - 1 : key_end + 1]) if key_end != -1 else None
        if key is None or (previous is not None and key <= previous):
            return None
        records[key] = (key_end + 3, stop)
        previous = key
    return records


def _key(quoted: bytes) -> str | None:
    """A record's key as written (a JSON string), or None if it isn't one."""
    if b"\\" not in quoted and b'"' not in quoted[1:-1] and b"\n" not in quoted:
        return quoted[1:-1].decode("utf-8", "replace")
    match = _JSON_STRING.fullmatch(quoted)
    return codec.loads(match.group(0)) if match else None


_JSON_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')


def merge_versions(
    base: bytes, ours: bytes, theirs: bytes
) -> tuple[list[bytes | memoryview], dict[str, list[str]]] | None:
    """The merged file's pieces (to write as they are), and why each claim this merge
    flagged was flagged; None when a version can't be laid out (see the module)."""
    found = [lay_out(base, ancestor=True), lay_out(ours), lay_out(theirs)]
    layouts = [layout for layout in found if layout is not None]
    if len(layouts) < 3 or any(lay.version != migrations.SCHEMA_VERSION for lay in layouts):
        return None
    try:
        tombstone_tables = [layout.parsed(merge.TOMBSTONES) for layout in layouts]
        tombstones = merge.merge_table(merge.TOMBSTONES, *tombstone_tables)
        undone_by = _undone_by(tombstone_tables)
        taken, both = _decided(layouts, undone_by)
        claims = _merge_claims(layouts, both, taken, frozenset(tombstones))
        tables: dict[str, Any] = {merge.TOMBSTONES: merge.with_rules_applied(tombstones, claims)}
        laid = _claim_tables(taken, claims.placed)
        names = {name for layout in layouts for name in layout.records}
        if SOURCES in names:
            laid[SOURCES] = _sources(layouts, undone_by, frozenset(tombstones))
            laid[SOURCES] |= _made_again(layouts, laid[SOURCES], taken, claims.placed)
        for name in sorted(names - {*laid, merge.TOMBSTONES}):
            versions = [layout.parsed(name) for layout in layouts]
            tables[name] = merge.merge_table(name, *versions, undone=frozenset(tombstones))
    except ValueError:
        return None  # a record that isn't JSON: the versions parsed whole say where
    return list(_laid_out(laid, tables)), claims.reasons


def _undone_by(tombstone_tables: list[dict[str, Any]]) -> list[list[bytes]]:
    """The events each side undid since BASE (BASE's own: none), as their ids' bytes."""
    base_tombstones = tombstone_tables[0].keys()
    return [
        [event_id.encode() for event_id in table.keys() - base_tombstones]
        for table in tombstone_tables
    ]


def _chosen(states: list[Held | None], undone_by: list[list[bytes]]) -> Any:
    """The version of a record to take as one side's bytes, None when no side keeps it, or
    `merge.BOTH_CHANGED` when it must be parsed and merged: both sides changed it, or the
    side that changed it holds an event the other side undid (merged, to drop it). A record
    a side changed is parsed, so that a side that isn't JSON is refused (ValueError) as a
    whole parse would refuse it."""
    chosen = merge.three_way(*states)
    if chosen is None or chosen is merge.BOTH_CHANGED:
        return chosen
    side = 1 if chosen == states[1] else 2
    if any(chosen.holds(event) for event in undone_by[3 - side]):
        return merge.BOTH_CHANGED
    if chosen != states[0]:
        chosen.parse()  # a changed record must at least be JSON
    return chosen


def _decided(
    layouts: list[Layout], undone_by: list[list[bytes]]
) -> tuple[dict[str, tuple[str, memoryview]], set[str]]:
    """The claims whose record is one side's bytes as they are (key -> (table, bytes)), and
    those to parse and merge (see `_chosen`)."""
    keys = {key for layout in layouts for table in CLAIM_TABLES for key in layout.records[table]}
    taken: dict[str, tuple[str, memoryview]] = {}
    both: set[str] = set()
    for key in keys:
        chosen = _chosen([layout.state(key) for layout in layouts], undone_by)
        if chosen is merge.BOTH_CHANGED:
            both.add(key)
        elif chosen is not None:
            taken[key] = (chosen.table, chosen.raw())
    return taken, both


def _sources(
    layouts: list[Layout], undone_by: list[list[bytes]], tombstones: frozenset[str]
) -> dict[str, bytes | memoryview]:
    """The merged source records (URL -> bytes): one side's bytes where `_chosen` takes
    them, else the three versions parsed and merged by the table's own rule (which drops
    the undone events)."""
    urls = {url for layout in layouts for url in layout.records.get(SOURCES, {})}
    records: dict[str, bytes | memoryview] = {}
    versions: list[dict[str, Any]] = [{}, {}, {}]
    for url in urls:
        states = [layout.held(SOURCES, url) for layout in layouts]
        chosen = _chosen(states, undone_by)
        if chosen is merge.BOTH_CHANGED:
            for version, state in zip(versions, states, strict=True):
                if state is not None:
                    version[url] = state.parse()
        elif chosen is not None:
            records[url] = chosen.raw()
    merged = merge.merge_table(SOURCES, *versions, undone=tombstones)
    records.update((url, b"".join(codec.stored(record, 2))) for url, record in merged.items())
    return records


def _made_again(
    layouts: list[Layout],
    kept: Mapping[str, object],
    taken: Mapping[str, tuple[str, memoryview]],
    placed: Mapping[str, tuple[str, dict[str, Any]]],
) -> dict[str, bytes]:
    """The records `sources.made_again` makes for links whose record this merge dropped and
    a claim still cites: the claims taken as bytes are parsed only if they hold the link."""
    dropped = {url for layout in layouts for url in layout.records.get(SOURCES, {})} - kept.keys()
    if not dropped:
        return {}
    needles = [codec.canonical(url) for url in dropped]
    citing = [record for _, record in placed.values()]
    for _, raw in taken.values():
        record = bytes(raw)  # a copy of each: this is rare (an undo on one clone)
        if any(needle in record for needle in needles):
            citing.append(codec.loads_laid_out(record, 2))
    return {
        url: b"".join(codec.stored(record, 2))
        for url, record in sources.made_again(dropped, citing).items()
    }


def _merge_claims(
    layouts: list[Layout],
    both: set[str],
    taken: dict[str, tuple[str, memoryview]],
    tombstones: frozenset[str],
) -> merge.ClaimsMerge:
    """The claims both sides changed, parsed and merged, with every record tied to them: a
    claim that gave up its id to another may sit under a derived id in one version."""
    versions: list[dict[str, tuple[str, dict[str, Any]]]] = [{}, {}, {}]
    pending = sorted(both)
    while pending:
        key = pending.pop()
        taken.pop(key, None)
        for version, layout in zip(versions, layouts, strict=True):
            for table in CLAIM_TABLES:
                if key in layout.records.get(table, {}):
                    record = layout.record(table, key)
                    version[key] = (table, record)
                    creation = history.creation_of(record)
                    derived = ids.seeded_id(f"{key}:{creation}")
                    if creation and derived not in both and _anywhere(layouts, derived):
                        both.add(derived)
                        pending.append(derived)
    base, ours, theirs = versions
    return merge.merge_claim_versions(base, ours, theirs, tombstones, set(taken))


def _anywhere(layouts: list[Layout], key: str) -> bool:
    return any(key in layout.records.get(table, {}) for layout in layouts for table in CLAIM_TABLES)


def _claim_tables(
    taken: Mapping[str, tuple[str, memoryview]], placed: Mapping[str, tuple[str, dict[str, Any]]]
) -> dict[str, dict[str, bytes | memoryview]]:
    """The claim tables' records as bytes: those taken as they are, and the merged ones."""
    claim_tables: dict[str, dict[str, bytes | memoryview]] = {name: {} for name in CLAIM_TABLES}
    for key, (table, raw) in taken.items():
        claim_tables[table][key] = raw
    for key, (table, record) in placed.items():
        claim_tables[table][key] = b"".join(codec.stored(record, 2))
    return claim_tables


def _laid_out(
    laid: Mapping[str, Mapping[str, bytes | memoryview]], tables: Mapping[str, Any]
) -> Iterator[bytes | memoryview]:
    """The file's bytes, exactly as `codec.stored` writes the same tables: those `laid` as
    their records' bytes, and the parsed `tables`."""
    names = sorted({*laid, *tables, migrations.SCHEMA_TABLE})
    for position, name in enumerate(names):
        yield (b"{\n" if position == 0 else b",\n") + b"  " + codec.canonical(name) + b": "
        if name == migrations.SCHEMA_TABLE:
            yield from codec.stored(migrations.versioned({})[name], 1)
        elif name in laid:
            yield from _table(laid[name])
        else:
            yield from codec.stored(tables[name], 1)
    yield b"\n}\n"


def _table(records: Mapping[str, bytes | memoryview]) -> Iterator[bytes | memoryview]:
    if not records:
        yield _EMPTY_TABLE
        return
    for position, key in enumerate(sorted(records)):
        yield (b"{\n" if position == 0 else b",\n") + b"    " + codec.canonical(key) + b": "
        yield records[key]
    yield b"\n  }"
