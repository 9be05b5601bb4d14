"""A `.gitignore` beside the database, so git tracks the database and not this clone's own files.

The undo journal (`.claims.json.journal`) and the lock file (`claims.json.lock`) belong to one
clone; committed, they would make every write a change to share and every merge a conflict.
`init` writes the file and every write checks it, adding a missing line at the end and never
changing or removing the lines already there.
"""

from pathlib import Path

from aousdctl.storage.journal import path_for


def ignored_lines(database: Path) -> list[str]:
    """The lines that keep git away from `database`'s own files (anchored to its folder)."""
    return [f"/{_escaped(path_for(database).name)}", f"/{_escaped(database.name)}.lock"]


def _escaped(name: str) -> str:
    """A file name as a gitignore pattern that matches only that name."""
    escaped = "".join(f"\\{char}" if char in "*?[]\\!#" else char for char in name)
    return escaped[:-1] + "\\ " if escaped.endswith(" ") else escaped


def ensure(database: Path) -> None:
    """Add the lines `database` needs to the `.gitignore` beside it (creating it if missing)."""
    from aousdctl.storage.durable import read_regular_bytes, write_atomically

    path = database.parent / ".gitignore"
    try:
        existing = read_regular_bytes(path)
    except FileNotFoundError:
        existing = b""
    present = {line.strip() for line in existing.decode("utf-8", "replace").splitlines()}
    missing = [line for line in ignored_lines(database) if line not in present]
    if not missing:
        return
    separator = b"\n" if existing and not existing.endswith(b"\n") else b""
    addition = "".join(f"{line}\n" for line in missing).encode()
    write_atomically(path, [existing, separator, addition])
