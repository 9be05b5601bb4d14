"""The database file's format: reading it (strictly, then migrated to the current schema)
and the bytes it is written as."""

from collections.abc import Iterator
from pathlib import Path

from aousdctl import codec
from aousdctl.errors import StorageError
from aousdctl.storage import migrations
from aousdctl.storage.durable import read_regular_bytes


def read_tables(path: Path) -> migrations.Tables:
    """Parse and migrate the database file, or explain why it can't be used."""
    return read_database(path)[0]


def read_database(path: Path) -> tuple[migrations.Tables, bool]:
    """The database file's tables, migrated, and whether it was of an older schema."""
    try:
        data = read_regular_bytes(path)
    except FileNotFoundError:
        raise missing_database(path) from None
    return parse_database(data, str(path), "; it was left untouched")


def parse_tables(text: str | bytes, where: str, untouched: str = "") -> migrations.Tables:
    """Parse and migrate a database's text (a file's, or a version git keeps), or explain
    why it can't be used; `untouched` ends each refusal. A repeated key is refused: the next
    write would drop the hidden value for good."""
    return parse_database(text, where, untouched)[0]


def parse_database(
    text: str | bytes, where: str, untouched: str = ""
) -> tuple[migrations.Tables, bool]:
    """`parse_tables`, also saying whether the text was of an older schema. Bytes are the
    file as written, parsed the quick way when `codec.stored` laid them out."""
    try:
        document = codec.loads_stored(text) if isinstance(text, bytes) else codec.loads(text)
    except codec.RepeatedKey as error:
        raise StorageError(
            f"{where} repeats the key {error} in one object, so one of its values is hidden "
            f"(see `aousdctl doctor`){untouched}"
        ) from None
    except UnicodeDecodeError as error:
        raise StorageError(f"{where} is not UTF-8 text ({error}){untouched}") from None
    except ValueError as error:
        raise StorageError(f"{where} is not valid JSON ({error}){untouched}") from None
    del text
    older = migrations.version_of(document) != migrations.SCHEMA_VERSION
    return migrations.upgrade(document, Path(where)), older


def encoded(tables: migrations.Tables) -> Iterator[bytes]:
    """The file's bytes for these tables, with their schema version."""
    return codec.stored(migrations.versioned(tables))


def missing_database(path: Path) -> StorageError:
    return StorageError(
        f"no database at {path}; create it with `aousdctl --db {path} init` "
        "(or fix the path: nothing was created)"
    )
