"""Creating a database: `init`."""

from pathlib import Path

from aousdctl.domain.text import clean_line
from aousdctl.storage.database import create_database


def init(path: Path, title: str | None) -> None:
    """`init`: a new, empty database (and its folder); never touches an existing one."""
    create_database(path, clean_line(title, "title") if title is not None else None)
