"""JSON in and out: the one strict reader (a repeated key is refused) and the one writer of
each shape the program prints or stores.

Every JSON the program reads (the database, a version git keeps, an import, the journal's
neighbours) goes through `loads`, so a repeated key, which any parser would resolve by
silently keeping one value, is refused the same way everywhere.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

import orjson

from aousdctl.errors import StorageError


class RepeatedKey(ValueError):
    """JSON that repeats a key in one object: a parser would keep one value and hide the
    other, so a rewrite (or an import) would lose it without a word. `str()` is the first
    repeated key as JSON; `keys` every key the object repeats."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(json.dumps(keys[0], ensure_ascii=False))
        self.keys = keys


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict, refusing a repeated key: the slow, sure check, for JSON
    that is not in a layout the program writes (see `loads`)."""
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _ in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        raise RepeatedKey(repeated)
    return mapping


def loads(text: str | bytes) -> Any:
    """Parse JSON, refusing an object that repeats a key (`RepeatedKey`); any other fault is
    a `ValueError` saying where.

    orjson parses, and can't see a repeated key: it keeps the last value. But JSON that
    encodes back to exactly its own bytes, in one of the layouts the program writes (`stored`
    or `compact`), can't repeat a key, since a dict has each key once. Only other JSON (a
    hand edit, another program's) takes the standard parser with a hook on every object,
    which costs about half again as much (measured on 10k claims: 126 ms against 72)."""
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _strictly(text)  # for its message (or what only it accepts: NaN, huge ints)
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if _writes_back(document, data):
        return document
    return _strictly(text)


def _strictly(text: str | bytes) -> Any:
    # Bytes are UTF-8 or refused: the standard parser would also take UTF-16 and UTF-32.
    decoded = text.decode("utf-8") if isinstance(text, bytes) else text
    try:
        return json.loads(decoded, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ValueError("values are nested too deeply to read") from None


def _writes_back(document: Any, data: bytes) -> bool:
    """Whether `document` is written as exactly `data` by `stored` or `compact` (keys in
    the order read: a file whose keys a person reordered repeats none either)."""
    if data[:2] == b"{\n":
        try:
            encoded = orjson.dumps(document, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:  # nested deeper than orjson writes
            return False
        # `startswith` compares in place, where `data[:-1]` would copy the file first.
        return len(encoded) + 1 == len(data) and data.endswith(b"\n") and data.startswith(encoded)
    try:
        return orjson.dumps(document) == data
    except orjson.JSONEncodeError:
        return False


def loads_stored(data: bytes) -> Any:
    """Parse what `stored` wrote (the database file), or any other JSON as `loads` does.

    `stored` lays out its two outer levels with a fixed indent, which finds the tables and
    the record boundaries without parsing. Each table is parsed a megabyte of records at a
    time and each piece encoded back and compared with its bytes (see `loads`: equal bytes
    can't repeat a key), and the bytes around the pieces are checked to be exactly what
    `stored` puts there. So orjson never builds its own tree of the whole file (half again
    the memory of the standard parser), nor is the whole file encoded again beside it. Any
    other text, whatever tripped the layout, is parsed by `loads`. At 10k claims (21 MB)
    this took about 100 ms where the standard parser with its check took 140, decoding
    included, at the same peak memory."""
    try:
        return _laid_out(data)
    except (_NotLaidOut, ValueError, StopIteration, IndexError):
        return loads(data)


def loads_laid_out(data: bytes, depth: int) -> Any:
    """Parse a value `stored` wrote at `depth` of the file (a record is at 2) the quick way
    (see `loads_stored`), or any other JSON as `loads` does: the merge driver parses the
    records it needs one by one, tens of thousands of them when sources are many."""
    try:
        return _exactly(data, depth)
    except (_NotLaidOut, ValueError):
        return loads(data)


class _NotLaidOut(Exception):
    """Bytes that are not exactly what `stored` writes for what they parse to."""


# The closing line of a table (the one line at an indent of two that starts with `}`), and
# the boundary between two records of a table (the end of one, the key of the next).
_TABLE_END = re.compile(rb"\n  }")
_RECORD_BOUNDARY = re.compile(rb'\n    },\n    "')
_CHUNK = 1 << 20


def _laid_out(data: bytes) -> dict[str, Any]:
    """The document `stored` laid out as `data`; `_NotLaidOut` (or a `ValueError`, ...)
    for any byte that is not where and what `stored` would have written."""
    if not (data.startswith(b'{\n  "') and data.endswith(b"\n}\n")):
        raise _NotLaidOut
    table_ends = [match.end() for match in _TABLE_END.finditer(data)]
    document: dict[str, Any] = {}
    head = 1  # the line break before a table's key
    tables = 0
    while True:
        if not data.startswith(b'\n  "', head):
            raise _NotLaidOut
        colon = data.find(b'": ', head + 4)
        key = _exactly(data[head + 3 : colon + 1], 0)
        start = colon + 3
        if data.startswith(b"{\n", start):
            end = next(end for end in table_ends if end > start)
            document[key] = _table(data, start, end)
        else:  # a value on one line: an empty table, or a version of an old schema
            end = data.index(b"\n", start)
            end -= data[end - 1] == 0x2C  # its comma
            document[key] = _exactly(data[start:end], 1)
        tables += 1
        if data[end] != 0x2C:  # no comma: the last table
            break
        head = end + 1
    if end != len(data) - 3 or len(document) != tables:
        raise _NotLaidOut  # something after the last table, or a table named twice
    return document


def _table(data: bytes, start: int, end: int) -> dict[str, Any]:
    """The table between `start` and `end`, parsed and checked a chunk of whole records at
    a time, each as its own table would be written."""
    if end - start <= _CHUNK:
        table: dict[str, Any] = _exactly(data[start:end], 1)
        return table
    table = {}
    records = 0
    first = start + 1  # the line break before a record's key
    while first < end - 4:
        boundary = _RECORD_BOUNDARY.search(data, min(first + _CHUNK, end), end)
        last = boundary.start() + 6 if boundary else end - 4  # just after a record's `}`
        chunk = _exactly(b"{" + data[first:last] + b"\n  }", 1)
        table.update(chunk)
        records += len(chunk)
        first = last + 1  # past the comma
    if len(table) != records:
        raise _NotLaidOut  # a record key in two chunks
    return table


def _exactly(text: bytes, depth: int) -> Any:
    """`text` parsed, if `stored` writes what it parses to as exactly `text` at `depth`
    (keys in the order read: a file whose keys a person reordered repeats none either)."""
    value = orjson.loads(text)
    try:
        encoded = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes
        raise _NotLaidOut from None
    if (encoded.replace(b"\n", b"\n" + b"  " * depth) if depth else encoded) != text:
        raise _NotLaidOut
    return value


_STORED_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def stored(document: Any, depth: int = 0) -> Iterator[bytes]:
    """The database's own layout: pretty-printed, key-sorted JSON, so it diffs and merges
    well in git; `depth` indents it as a value that deep in such a file (a record is at 2).

    Encoded whole, at once: orjson encodes 21 MB (10k claims) in about 27 ms, where laying
    out the two outer levels here and encoding each record on its own took 100 ms and as
    many writes; the encoded file is one more copy of it in memory while it is written,
    less than reading it takes (see `loads_stored`).
    """
    try:
        encoded = orjson.dumps(document, option=_STORED_OPTIONS)
    except orjson.JSONEncodeError as error:
        raise StorageError(f"the database can't be written as JSON: {error}") from None
    yield encoded.replace(b"\n", b"\n" + b"  " * depth) if depth else encoded
    if depth == 0:
        yield b"\n"


def compact(value: Any) -> bytes:
    """Compact JSON in the order given (a file no person reads, like the undo journal)."""
    return orjson.dumps(value)


def canonical(value: Any) -> bytes:
    """Compact, key-sorted JSON: one spelling per value, for comparing and ordering records."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def printed(data: Any) -> bytes:
    """Indented JSON with a final newline, fields in their documented order: `--json`."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def printed_lines(items: Any) -> bytes:
    """JSON Lines: one compact object a line (`--jsonl`)."""
    return b"".join(orjson.dumps(item) + b"\n" for item in items)
