"""Claims as CSV, for editors who keep their list in a spreadsheet: `list --csv` writes it,
`import` reads it back.

The CSV is RFC 4180: a header row, then one claim a row, fields separated by commas and
quoted when they hold a comma, a quote or a line break, rows ended by CRLF. A claim's
sources are their URLs joined by spaces (a URL holds none); its tags are joined by ", ", or
each ended by a line break when a tag holds a comma (a tag holds no line break), so every
field comes back as it went out. A source's outlet, title and date and a claim's history
don't fit in a cell: a claim read from CSV starts its history anew, as JSON Lines without
history do.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from aousdctl.domain.claims import Claim
from aousdctl.errors import BadInput
from aousdctl.formats.document import Parsed, claim_from_record, reported_at

# The columns `list --csv` writes, in order.
COLUMNS = ("id", "text", "status", "topic", "tags", "sources", "expected", "note")
WRITTEN = (*COLUMNS, "created", "updated")
# Written for the reader of the spreadsheet; a claim read back starts its history anew.
IGNORED = frozenset({"created", "updated"})
_TAG_SEPARATOR = ", "
_LARGEST_CELL = 2**31 - 1


def written(claims: Iterable[Claim]) -> bytes:
    """The claims as CSV, header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(WRITTEN)
    for claim in claims:
        writer.writerow(
            [
                claim["id"],
                claim["text"],
                claim["status"],
                claim["topic"],
                _joined_tags(claim["tags"]),
                " ".join(source["url"] for source in claim["sources"]),
                claim["expected"] or "",
                claim["note"] or "",
                claim["created"],
                claim["updated"],
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _joined_tags(tags: Sequence[str]) -> str:
    """Tags joined by ", ", or each ended by a line break when a tag holds a comma (so that
    even one such tag is read back whole)."""
    if any("," in tag for tag in tags):
        return "".join(f"{tag}\n" for tag in tags)
    return _TAG_SEPARATOR.join(tags)


def _split_tags(cell: str) -> list[str]:
    separator = "\n" if "\n" in cell else ","
    return [tag.strip() for tag in cell.split(separator) if tag.strip()]


def is_csv(content: bytes) -> bool:
    """Whether an input is CSV rather than JSON: its first line that isn't blank (after a
    byte order mark) doesn't open a JSON object or array."""
    for line in content.removeprefix(b"\xef\xbb\xbf").splitlines():
        if line.strip():
            return not line.lstrip().startswith((b"{", b"["))
    return False


def parse(content: bytes, at: str) -> Parsed:
    """Claims from CSV with a header row: `text` is required; `id`, `status`, `topic`,
    `tags`, `sources`, `expected` and `note` are optional (an empty cell is no value), and
    `created` and `updated` are ignored. Every row is checked as an imported JSON record is;
    a bad one refuses the whole input, named by the line it starts on."""
    try:
        text = content.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise BadInput(
            f"line {line}: not UTF-8 (save the spreadsheet as CSV UTF-8); nothing was imported"
        ) from None
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        return Parsed()  # nothing but empty cells: nothing to import
    header_line, header = first
    with reported_at(f"line {header_line}"):
        columns = _columns(header)
    parsed = Parsed()
    for line, cells in rows:
        with reported_at(f"line {line}"):
            parsed.claims.append(claim_from_record(_record(columns, cells), at))
    return parsed


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(the line a row starts on, its cells) for each row that isn't blank."""
    # A note may be longer than the csv module's default cap on a cell (128 kB); JSON Lines
    # have no such cap, and CSV must not have one either.
    csv.field_size_limit(max(csv.field_size_limit(), _LARGEST_CELL))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise BadInput(f"line {line}: not CSV ({error}); nothing was imported") from None
        if any(cell.strip() for cell in cells):
            yield line, cells
        line = reader.line_num + 1


def _columns(header: list[str]) -> list[str]:
    """The column names of a header row (any case), each known and given once."""
    columns = [name.strip().casefold() for name in header]
    if "text" not in columns:
        raise BadInput(
            "the first row must be a header naming the columns, text among them "
            f"(the columns are {', '.join(WRITTEN)})"
        )
    for name, column in zip(header, columns, strict=True):
        if column not in COLUMNS and column not in IGNORED:
            raise BadInput(
                f"the header names an unknown column {name.strip()!r} (the columns are "
                f"{', '.join(WRITTEN)})"
            )
        if columns.count(column) > 1:
            raise BadInput(f"the header names the column {column!r} twice")
    return columns


def _record(columns: list[str], cells: list[str]) -> dict[str, Any]:
    """A row as the JSON record `document.claim_from_record` checks: empty cells left out."""
    if len(cells) > len(columns):
        raise BadInput(f"{len(cells)} cells, but the header names {len(columns)} columns")
    record: dict[str, Any] = {}
    for name, cell in zip(columns, cells, strict=False):
        value = cell.strip()
        if name in IGNORED or not value:
            continue
        if name == "tags":
            record[name] = _split_tags(cell)
        elif name == "sources":
            record[name] = value.split()
        else:
            record[name] = value
    if "text" not in record:
        raise BadInput("the text is blank: every row needs one")
    return record
