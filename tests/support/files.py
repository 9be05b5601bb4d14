"""The database file and what sits beside it, read and changed as a person editing it would."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The undo journal a database at `claims.json` keeps beside it.
JOURNAL = ".claims.json.journal"


def document(path: Path) -> Any:
    """The whole database file as JSON."""
    return json.loads(path.read_bytes())


def edit_file(path: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    """Change the database file by hand: `change` edits its JSON in place."""
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(json.dumps(content), encoding="utf-8")


def texts(db_path: Path) -> list[str]:
    """The text of every claim in the file, in the file's order."""
    return [claim["text"] for claim in json.loads(db_path.read_text())["claims"].values()]


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def leftovers(folder: Path) -> list[str]:
    """Lock and temporary files beside a database."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".lock", ".tmp")))


def journal_of(db_path: Path) -> Path:
    return db_path.parent / JOURNAL
