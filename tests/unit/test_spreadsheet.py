"""CSV out and in (`formats.spreadsheet`): RFC 4180, every field back as it went out,
bad rows named by their line."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aousdctl.domain import claims
from aousdctl.domain.claims import Draft, Status
from aousdctl.errors import BadInput
from aousdctl.formats import spreadsheet

AT = "2026-11-23T12:00:00Z"
HEADER = b"id,text,status,topic,tags,sources,expected,note,created,updated\r\n"


def claim(text: str = "Filming started", **fields) -> claims.Claim:
    made = claims.new_claim(Draft(text, **fields), at=AT)
    made["id"] = "k3xq9m2a"
    return made


def test_the_header_row_comes_first_and_rows_end_with_crlf():
    written = spreadsheet.written([claim(status=Status.RUMOR)])
    assert written.startswith(HEADER)
    assert written.endswith(b"\r\n") and written.count(b"\r\n") == 2
    assert written[len(HEADER) :] == (
        b"k3xq9m2a,Filming started,rumor,General,,,,," + AT.encode() + b"," + AT.encode() + b"\r\n"
    )


def test_fields_with_commas_quotes_and_line_breaks_are_quoted():
    row = spreadsheet.written([claim('Say "hi", all', note="two\nlines", tags=["a", "b"])])
    assert b'"Say ""hi"", all"' in row
    assert b'"two\nlines"' in row
    assert b'"a, b"' in row


def test_sources_are_urls_joined_by_spaces():
    sources = [claims.make_source("https://e.com/a"), claims.make_source("https://e.com/b")]
    (record,) = csv.DictReader(io.StringIO(spreadsheet.written([claim(sources=sources)]).decode()))
    assert record["sources"] == "https://e.com/a https://e.com/b"


@pytest.mark.parametrize(
    "tags",
    [["filming"], ["a", "b c"], ["one, two", "three"], ["a,b", "c,"], [","], ["x,y"], []],
)
def test_tags_come_back_as_they_went_out(tags):
    written = spreadsheet.written([claim(tags=tags)])
    (read,) = spreadsheet.parse(written, AT).claims
    assert read["tags"] == tags


@pytest.mark.parametrize(
    "content, csv",
    [
        (b"text\nA claim\n", True),
        (b"\xef\xbb\xbf\n\nid,text\n", True),
        (b'{"text": "x"}\n', False),
        (b'  [{"text": "x"}]', False),
        (b"\n\n", False),
        (b"", False),
    ],
)
def test_csv_is_told_from_json_by_its_first_line(content, csv):
    assert spreadsheet.is_csv(content) is csv


def test_only_text_is_required_and_empty_cells_are_no_value():
    content = b'Text,TOPIC,tags\nFilming started,,\nLomon returns,Cast,"returning, lead"\n'
    first, second = spreadsheet.parse(content, AT).claims
    assert (first["topic"], first["tags"], first["status"]) == ("General", [], "rumor")
    assert (second["topic"], second["tags"]) == ("Cast", ["returning", "lead"])
    assert first["id"] == "" and first["history"][0]["at"] == AT


def test_created_and_updated_are_read_as_nothing():
    content = b"text,created,updated\nA,1999-01-01T00:00:00Z,whenever\n"
    (read,) = spreadsheet.parse(content, AT).claims
    assert (read["created"], read["updated"]) == (AT, AT)


def test_short_rows_and_blank_rows_are_fine():
    content = b"text,topic,note\r\nA\r\n,,\r\n\r\nB,Cast\r\n"
    texts = [read["text"] for read in spreadsheet.parse(content, AT).claims]
    assert texts == ["A", "B"]


@pytest.mark.parametrize(
    "content, words",
    [
        (b"topic,status\nCast,rumor\n", ["line 1", "header", "text among them"]),
        (b"text,Sorce\nA,https://e.com\n", ["line 1", "unknown column 'Sorce'"]),
        (b"text,Text\nA,B\n", ["line 1", "'text' twice"]),
        (b"text\nA\nB,C\n", ["line 3", "2 cells", "1 columns"]),
        (b"text,status\nA,rumor\nB,likely\n", ["line 3", "unknown status 'likely'"]),
        (b'text,note\nA,"two\nlines"\nB,\nC,x\n"   ",y\n', ["line 6", "blank"]),
        (b"text,sources\nA,javascript:alert(1)\n", ["line 2", "http"]),
        (b"text,status\nA,confirmed\n", ["line 2", "source"]),
        (b"text,expected\nA,soon\n", ["line 2", "YYYY"]),
        (b"text,id\nA,not-an-id\n", ["line 2", "not a claim id"]),
        (b"text\nA\ncaf\xe9\n", ["line 3", "not UTF-8"]),
        (b'text\n"unclosed\n', ["not CSV"]),
    ],
)
def test_a_bad_row_refuses_the_whole_input_naming_its_line(content, words):
    with pytest.raises(BadInput) as refused:
        spreadsheet.parse(content, AT)
    message = str(refused.value)
    assert message.endswith("nothing was imported")
    for word in words:
        assert word in message, message


def test_a_cell_longer_than_the_csv_modules_default_cap_is_read():
    note = "n" * 200_000
    (read,) = spreadsheet.parse(spreadsheet.written([claim(note=note)]), AT).claims
    assert read["note"] == note


one_line = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u2028\u2029"
    ),
    min_size=1,
).filter(lambda value: value.strip() and value == value.strip())


@settings(max_examples=150, deadline=None)
@given(
    text=one_line,
    topic=one_line,
    tags=st.lists(one_line, max_size=4, unique_by=str.casefold),
    note=st.one_of(st.none(), one_line, st.builds(lambda a, b: f"{a}\n{b}", one_line, one_line)),
    expected=st.one_of(st.none(), st.sampled_from(["2025", "2025-10", "2026-02-28"])),
)
def test_every_field_survives_the_round_trip(text, topic, tags, note, expected):
    try:
        original = claim(text, topic=topic, tags=tags, note=note, expected=expected)
    except BadInput:
        return  # refused on the way in (a bidirectional control character, say)
    (read,) = spreadsheet.parse(spreadsheet.written([original]), AT).claims
    for field in ("id", "text", "status", "topic", "tags", "expected", "note"):
        assert read[field] == original[field], field
