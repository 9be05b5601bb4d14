"""Git, as the database's sharing needs it: the merge drivers' set-up, the versions git
keeps of a file it could not merge, and what git is in the middle of.

Git is run as a subprocess (`git` on PATH); nothing here knows how records merge, which is
`domain.merge`'s business, or how a merge is finished (`service.sharing`). Telling whether
a command meets a database git has not finished merging costs a few `stat` calls in the
repository's git folder; git itself is asked only when one of its marks is there.
"""

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aousdctl.errors import AousdctlError, BadInput, Conflict, StorageError
from aousdctl.storage.durable import write_atomically

DRIVER = "aousdctl"
# The exported article: a merge keeps this clone's version (the driver is `true`, which
# leaves git's %A, ours, as the result), and `export` makes it again from the merged database.
ARTICLE_DRIVER = "aousdctl-article"
ATTRIBUTES = ".gitattributes"
DEFAULT_DATABASE = Path("db") / "claims.json"


@dataclass(frozen=True)
class Operation:
    """What git is in the middle of, and the command that finishes it once the conflicts
    are resolved."""

    name: str
    next_step: str

    @property
    def advice(self) -> str:
        if not self.next_step:
            return "see `git status` for what comes next"
        return f"run `{self.next_step}` to finish the {self.name}"


MERGE = Operation("merge", "git commit")
REBASE = Operation("rebase", "git rebase --continue")
APPLYING = Operation("patch series", "git am --continue")
CHERRY_PICK = Operation("cherry-pick", "git cherry-pick --continue")
REVERT = Operation("revert", "git revert --continue")
STASH_POP = Operation("stash pop", "git stash drop")
UNKNOWN = Operation("operation", "")

# The marks git leaves in its folder while an operation waits for conflicts to be resolved,
# in the order they are told apart (a rebase may leave a cherry-pick's mark too). A `stash
# pop` leaves none of these; git 2.36 and later leave AUTO_MERGE after any merge with
# conflicts, that one included.
_MARKS = (
    ("rebase-apply/applying", APPLYING),
    ("rebase-merge", REBASE),
    ("rebase-apply", REBASE),
    ("CHERRY_PICK_HEAD", CHERRY_PICK),
    ("REVERT_HEAD", REVERT),
    ("MERGE_HEAD", MERGE),
)
_CONFLICT_MARKS = (*(name for name, _ in _MARKS), "AUTO_MERGE")


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


def set_up(path: Path, articles: Sequence[Path] = ()) -> list[str]:
    """Register the merge drivers in the repository holding the database at `path`: the
    database's, and the exported articles' (see `ARTICLE_DRIVER`) for each of `articles`.
    Returns what was changed (nothing on a second run). The article driver is configured
    in every clone, so that a clone whose `.gitattributes` came from another clone's
    `git-setup --article` merges the article too."""
    top, relative = repository_of(path)
    lines = [f"{_attribute_pattern(relative)} merge={DRIVER}"]
    for article in articles:
        lines.append(f"{_attribute_pattern(_inside(top, article))} merge={ARTICLE_DRIVER}")
    changed = _add_attributes(top / ATTRIBUTES, lines)
    wanted = {
        f"merge.{DRIVER}.name": "aousdctl: merge claim by claim",
        f"merge.{DRIVER}.driver": driver_command(),
        f"merge.{ARTICLE_DRIVER}.name": "aousdctl: keep this clone's article; export remakes it",
        f"merge.{ARTICLE_DRIVER}.driver": "true",
    }
    for key, value in wanted.items():
        if _config(top, key) != value:
            run(top, "config", "--local", key, value)
            changed.append(f"git config {key}")
    return changed


def _add_attributes(attributes: Path, lines: list[str]) -> list[str]:
    """Append the lines `.gitattributes` lacks; returns a note for each one added."""
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    missing = [line for line in dict.fromkeys(lines) if line not in existing.splitlines()]
    if missing:
        text = existing if not existing or existing.endswith("\n") else existing + "\n"
        write_atomically(attributes, [(text + "".join(f"{line}\n" for line in missing)).encode()])
    return [f"{ATTRIBUTES}: {line}" for line in missing]


def _inside(top: Path, path: Path) -> str:
    """`path` relative to the repository's top folder, as git names files; a file outside
    the repository is refused."""
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
    if relative == "." or relative.startswith(".." + os.sep) or relative == "..":
        raise BadInput(f"{path} is not a file inside the repository at {top}")
    return Path(relative).as_posix()


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


def git_folder(path: Path) -> Path | None:
    """The git folder of the repository (or worktree) holding `path`, found without running
    git: the nearest `.git` above it, a folder or a `gitdir:` file; `GIT_DIR` when set."""
    if os.environ.get("GIT_DIR"):
        return Path(os.environ["GIT_DIR"]).absolute()
    folder = Path(os.path.realpath(path)).parent
    for candidate in (folder, *folder.parents):
        marker = candidate / ".git"
        if marker.is_dir():
            return marker
        if marker.is_file():
            with contextlib.suppress(OSError, UnicodeDecodeError):
                text = marker.read_text(encoding="utf-8").strip()
                if text.startswith("gitdir:"):
                    return candidate / text.removeprefix("gitdir:").strip()
            return None
    return None


def may_hold_conflicts(path: Path) -> bool:
    """Whether git left a mark of an operation with conflicts in the repository holding
    `path`: cheap (a few `stat` calls), and false for every healthy, quiet clone."""
    folder = git_folder(path)
    return folder is not None and any(os.path.lexists(folder / name) for name in _CONFLICT_MARKS)


def is_unmerged(path: Path) -> bool:
    """Whether git's index holds `path` unmerged (conflict stages); false outside a
    repository, or when git can't be run."""
    try:
        top, relative = repository_of(path)
        return bool(run(top, "ls-files", "--unmerged", "--", relative).strip())
    except AousdctlError:
        return False


def unfinished_merge(path: Path, *, damaged: bool) -> str | None:
    """Why `path` must not be used as it is, when git has not finished merging it (conflict
    markers in it, or our side alone with the other still in git's index); None otherwise.
    Git is asked only when the file could not be read (`damaged`) or git left a mark of an
    operation with conflicts, so a healthy file never costs a git process."""
    if not (damaged or may_hold_conflicts(path)) or not is_unmerged(path):
        return None
    command = "aousdctl resolve" if path == DEFAULT_DATABASE else f"aousdctl --db {path} resolve"
    also = "" if driver_ready(path) else " and aousdctl git-setup once in this clone"
    return f"{path} is in an unfinished git merge: run {command}{also}"


def driver_ready(path: Path) -> bool:
    """Whether git in this clone merges `path` with the driver: its command is configured
    (by `git-setup`), its program still exists, and `.gitattributes` names the file."""
    try:
        top, relative = repository_of(path)
        command = run(top, "config", "--get", f"merge.{DRIVER}.driver").decode().strip()
        attribute = run(top, "check-attr", "merge", "--", relative).decode().strip()
    except AousdctlError:
        return False
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return False
    return shutil.which(program) is not None and attribute.endswith(f": {DRIVER}")


def operation(path: Path) -> Operation:
    """What git is in the middle of in the repository holding `path` (see `_MARKS`); a
    conflict without any of those marks, when a stash exists, is a `stash pop`'s."""
    folder = git_folder(path)
    if folder is not None:
        for name, found in _MARKS:
            if os.path.lexists(folder / name):
                return found
    top, _ = repository_of(path)
    try:
        run(top, "rev-parse", "--quiet", "--verify", "refs/stash")
    except StorageError:
        return UNKNOWN
    return STASH_POP


def unmerged_paths(top: Path) -> list[str]:
    """Every file git's index holds unmerged, relative to the repository's top folder."""
    listing = run(top, "ls-files", "--unmerged", "-z").decode("utf-8", "surrogateescape")
    return sorted({entry.split("\t", 1)[1] for entry in listing.split("\0") if "\t" in entry})


def articles_among(top: Path, paths: list[str]) -> list[str]:
    """Those of `paths` that `.gitattributes` marks as an exported article (see
    `ARTICLE_DRIVER`)."""
    if not paths:
        return []
    answer = run(top, "check-attr", "-z", "merge", "--", *paths).decode("utf-8", "surrogateescape")
    fields = answer.split("\0")
    return [
        fields[index]
        for index in range(0, len(fields) - 2, 3)
        if fields[index + 2] == ARTICLE_DRIVER
    ]


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


def stage(*paths: Path) -> None:
    """Stage files (all in one repository): a conflicted one is then resolved, so that the
    operation can go on."""
    top, _ = repository_of(paths[0])
    run(top, "add", "--", *(repository_of(path)[1] for path in paths))


def unstaged(*paths: Path) -> list[str]:
    """Those of `paths` (relative to the top folder, as git names them) that differ from
    what git's index holds, or that git does not track yet."""
    top, _ = repository_of(paths[0])
    named = [repository_of(path)[1] for path in paths]
    listing = run(top, "status", "--porcelain", "-z", "--", *named).decode("utf-8", "replace")
    return sorted(entry[3:] for entry in listing.split("\0") if entry[3:] and entry[1] != " ")
