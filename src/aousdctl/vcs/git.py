"""Git, as the database's sharing needs it: the merge driver's set-up, and the versions git
keeps of a file it could not merge.

Git is run as a subprocess (`git` on PATH); nothing here knows how records merge, which is
`domain.merge`'s business, or how a merge is finished (`service.sharing`).
"""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from aousdctl.errors import Conflict, StorageError
from aousdctl.storage.durable import write_atomically

DRIVER = "aousdctl"
ATTRIBUTES = ".gitattributes"


def run(folder: Path, *arguments: str, input_bytes: bytes | None = None) -> bytes:
    """Run git in `folder` and return its output; a failure is a StorageError with git's words."""
    try:
        completed = subprocess.run(
            ["git", *arguments],
            cwd=folder,
            input=input_bytes,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise StorageError("git is not installed (or not on PATH)") from None
    if completed.returncode != 0:
        said = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise StorageError(f"git {arguments[0]} failed: {said[-1] if said else 'no message'}")
    return completed.stdout


def repository_of(path: Path) -> tuple[Path, str]:
    """The top folder of the git repository holding `path`, and `path` relative to it (with
    forward slashes, as git names files)."""
    folder = path.resolve().parent
    try:
        top = Path(run(folder, "rev-parse", "--show-toplevel").decode().strip())
    except StorageError:
        raise Conflict(f"{path} is not inside a git repository") from None
    return top, path.resolve().relative_to(top.resolve()).as_posix()


def driver_command() -> str:
    """How git should start the merge driver: this very aousdctl, found by an absolute path
    so that a merge run from cron (with a bare PATH) finds it too."""
    found = shutil.which("aousdctl")
    if found:
        return f"{shlex.quote(os.path.abspath(found))} merge %O %A %B"
    return f"{shlex.quote(sys.executable)} -m aousdctl merge %O %A %B"


def set_up(path: Path) -> list[str]:
    """Register the merge driver for the database at `path` in its repository; returns what
    was changed (nothing on a second run)."""
    top, relative = repository_of(path)
    changed = []
    line = f"{_attribute_pattern(relative)} merge={DRIVER}"
    attributes = top / ATTRIBUTES
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if line not in existing.splitlines():
        text = existing if not existing or existing.endswith("\n") else existing + "\n"
        write_atomically(attributes, [(text + line + "\n").encode()])
        changed.append(f"{ATTRIBUTES}: {line}")
    wanted = {
        f"merge.{DRIVER}.name": "aousdctl: merge claim by claim",
        f"merge.{DRIVER}.driver": driver_command(),
    }
    for key, value in wanted.items():
        if _config(top, key) != value:
            run(top, "config", "--local", key, value)
            changed.append(f"git config {key}")
    return changed


def _attribute_pattern(relative: str) -> str:
    """A .gitattributes pattern naming exactly one file: glob characters escaped, and the
    whole pattern in C-style quotes when it holds a space or a quote (an unquoted space
    would end the pattern)."""
    pattern = "/" + "".join("\\" + c if c in "\\*?[]" else c for c in relative)
    if any(c in pattern for c in ' "#!') or not pattern.isascii():
        return '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pattern


def _config(top: Path, key: str) -> str | None:
    try:
        return run(top, "config", "--local", "--get", key).decode().rstrip("\n")
    except StorageError:
        return None


def conflicted_versions(path: Path) -> tuple[bytes | None, bytes, bytes]:
    """The three versions git keeps of a file it could not merge: base (None when both sides
    added it), ours and theirs. A file that is not in a conflicted merge is refused."""
    top, relative = repository_of(path)
    stages = run(top, "ls-files", "--unmerged", "--", relative).decode().splitlines()
    present = {line.split()[2] for line in stages if len(line.split()) >= 3}
    if not {"2", "3"} <= present:
        raise Conflict(
            f"{path} is not in a conflicted merge: there is nothing to resolve; nothing was changed"
        )
    base = run(top, "show", f":1:{relative}") if "1" in present else None
    return base, run(top, "show", f":2:{relative}"), run(top, "show", f":3:{relative}")


def stage(path: Path) -> None:
    """Mark the file resolved, so that `git commit` finishes the merge."""
    top, relative = repository_of(path)
    run(top, "add", "--", relative)
