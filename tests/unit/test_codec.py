"""The strict JSON reader: the quick way (orjson, checked by encoding back) reads exactly
what the standard parser reads, and a repeated key is refused whichever way it is read."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aousdctl import codec

keys = st.text(st.characters(codec="utf-8"), max_size=6)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8)
values = st.recursive(
    scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)
# The database's shape: tables of records, each a JSON value (usually an object).
records = st.dictionaries(keys, st.dictionaries(keys, values, max_size=4) | values, max_size=6)
documents = st.dictionaries(keys, records | scalars, max_size=4)


def stored(document: Any) -> bytes:
    return b"".join(codec.stored(document))


@given(documents)
def test_the_file_layout_reads_back_as_the_standard_parser_reads_it(document):
    data = stored(document)
    assert codec.loads_stored(data) == json.loads(data) == document
    assert codec.loads(data) == document


@given(documents)
def test_a_large_table_read_in_chunks_reads_back_whole(document):
    previous = codec._CHUNK
    codec._CHUNK = 40
    try:
        assert codec.loads_stored(stored(document)) == document
    finally:
        codec._CHUNK = previous


@given(values)
def test_compact_json_reads_back(value):
    assert codec.loads(codec.compact(value)) == json.loads(codec.compact(value))


DATABASE = {
    "_schema": {"1": {"version": 10}},
    "claims": {
        f"claim{n:03d}": {"note": None, "tags": ["a", "b"], "text": f"Claim {n}"} for n in range(30)
    },
    "config": {},
    "removed": {"gone0001": {"note": "x", "text": "Gone"}},
}


def insert_before(data: bytes, line: bytes, inserted: bytes) -> bytes:
    """`data` with `inserted` just before `line` (whole lines of it)."""
    assert data.count(line) == 1
    return data.replace(line, inserted + line, 1)


LAID_OUT_REPEATS = {
    # A field of a record, on a line of its own as the file lays it out.
    "a field": (b'      "text": "Claim 7"\n', b'      "text": "Claim seven",\n', "text"),
    # A whole record, key and all, as a second copy of its lines.
    "a record": (
        b'    "claim012": {\n      "note": null,\n      "tags": [\n        "a",\n        "b"\n'
        b'      ],\n      "text": "Claim 12"\n    },\n',
        b'    "claim012": {\n      "note": null,\n      "tags": [],\n      "text": "Claim 12"\n'
        b"    },\n",
        "claim012",
    ),
    "a table": (b'  "config": {},\n', b'  "config": {},\n', "config"),
}


@pytest.mark.parametrize("chunked", [False, True], ids=["whole", "in chunks"])
@pytest.mark.parametrize("kind", LAID_OUT_REPEATS)
def test_a_repeated_key_in_the_file_layout_is_refused(kind, chunked, monkeypatch):
    if chunked:
        monkeypatch.setattr(codec, "_CHUNK", 200)
    line, repeated, key = LAID_OUT_REPEATS[kind]
    data = insert_before(stored(DATABASE), line, repeated)
    assert json.loads(data)  # valid JSON: a parser keeps one of the two values
    with pytest.raises(codec.RepeatedKey) as refused:
        codec.loads_stored(data)
    assert refused.value.keys == [key]
    with pytest.raises(codec.RepeatedKey):
        codec.loads(data)


def test_a_record_key_repeated_far_from_the_first_is_refused(monkeypatch):
    """In another chunk than the first (and out of order): each chunk alone is as written."""
    monkeypatch.setattr(codec, "_CHUNK", 200)
    last = b'      "text": "Claim 29"\n    }\n  },'
    again = (
        b'    "claim000": {\n      "note": null,\n      "tags": [],\n      "text": "Claim 0"\n    }'
    )
    data = stored(DATABASE).replace(last, last[:-5] + b",\n" + again + b"\n  },")
    assert json.loads(data)["claims"]["claim000"]["tags"] == []
    with pytest.raises(codec.RepeatedKey) as refused:
        codec.loads_stored(data)
    assert refused.value.keys == ["claim000"]


def test_bytes_between_the_tables_are_checked_too():
    """Anything but what `stored` writes between its pieces takes the strict parser."""
    data = stored(DATABASE)
    spaced = data.replace(b'  },\n  "config"', b'  } ,\n  "config"')
    assert codec.loads_stored(spaced) == DATABASE
    with pytest.raises(ValueError):
        codec.loads_stored(data.replace(b'  },\n  "config"', b'  },\n  x"config"'))


def test_a_repeated_key_in_compact_json_is_refused():
    with pytest.raises(codec.RepeatedKey) as refused:
        codec.loads(b'{"a":1,"b":{"c":2,"c":3}}')
    assert refused.value.keys == ["c"]


@pytest.mark.parametrize(
    "data, error",
    [
        (b'{"a": "caf\xe9"}', UnicodeDecodeError),
        ('{"a": 1}'.encode("utf-16"), UnicodeDecodeError),
        (b'{\n  "a": {\n    "b": 1\n  }\n', ValueError),
        (b'{\n  "a": {\n    "b": 1,\n  }\n}\n', ValueError),
        (b"", ValueError),
    ],
    ids=["not UTF-8", "UTF-16", "cut short", "a trailing comma", "empty"],
)
def test_what_is_not_json_is_refused_as_before(data, error):
    with pytest.raises(error):
        codec.loads_stored(data)


def test_what_only_the_standard_parser_reads_is_still_read():
    # orjson refuses NaN and integers beyond 64 bits; the standard parser took them.
    assert codec.loads(b'{"a": 18446744073709551616}') == {"a": 2**64}
    assert codec.loads(b"[NaN]")[0] != codec.loads(b"[NaN]")[0]


@given(st.dictionaries(keys, values, max_size=4))
def test_a_record_as_the_file_lays_it_out_reads_back(record):
    laid_out = b"".join(codec.stored(record, 2))
    assert codec.loads_laid_out(laid_out, 2) == record == json.loads(laid_out)


def test_a_record_that_repeats_a_key_is_refused_the_quick_way_too():
    laid_out = b"".join(codec.stored({"note": None, "text": "x"}, 2))
    repeated = laid_out.replace(b'      "text"', b'      "text": "y",\n      "text"')
    with pytest.raises(codec.RepeatedKey):
        codec.loads_laid_out(repeated, 2)
