"""Publishing: the explainer article's data, and writing an export to a file."""

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from aousdctl.formats import article as explainer
from aousdctl.service import session
from aousdctl.storage.durable import (
    folder_for_writing,
    holds,
    locked,
    replaceable_target,
    write_if_changed,
)


def article(
    path: Path, now: datetime, changes_since: str | None, template: str | None = None
) -> Iterator[bytes]:
    """`export`: the explainer article's bytes, through `template` (a Jinja2 template's
    text) or the default one. Its data is built with the database closed, so its memory is
    free for the rendering; the outlets' track records only when a template may show them."""
    with session.reading(path) as database:
        data = explainer.build(database, now, changes_since, with_outlets=template is not None)
    return explainer.render(data, template)


def would_change(database: Path, output: Path, content: Iterable[bytes]) -> bool:
    """`export --check`: whether writing `content` to `output` would change it."""
    return not holds(replaceable_target(output, protected=database), content)


def write_output(database: Path, output: Path, content: Iterable[bytes]) -> bool:
    """Replace `output` atomically (through a symlink), only when its content changes (so
    its mtime means something); returns whether it changed. Never the database's own files,
    and never a FIFO, device or folder.

    Locked, like the database: two exports of one file take turns, and the next one removes
    the temporary file a killed one left."""
    target = replaceable_target(output, protected=database)
    with folder_for_writing(target.parent), locked(target, lock_name=f".{target.name}.lock"):
        return write_if_changed(target, content)
