"""The `aousdctl` program: the Typer app and its command groups, and the one place that turns
every failure into an `Error: ...` line and its exit code.

This package is the only code that knows about exit codes, terminals and Rich; commands call
one `service` function each, imported inside the command so that `--version` and `--help`
start without loading the database machinery."""

import errno
import gc
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort
from typer.models import CommandFunctionType

from aousdctl import __version__
from aousdctl.cli import common, completion
from aousdctl.cli.typer_click import ClickException, Context, NoArgsIsHelpError
from aousdctl.errors import AousdctlError

DEBUG_VARIABLE = "AOUSDCTL_DEBUG"


class Command(TyperCommand):
    """Every command: the shared options, and usage lines that show `ID`, not `{ID}`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(common.shared_options(command_level=True))

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        # Typer wraps required arguments in braces; Click's convention is the bare name.
        return [
            piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece
            for piece in super().collect_usage_pieces(ctx)
        ]


class RunnableGroup(TyperGroup):
    """A group that also runs on its own (`inbox`), and so takes the shared options too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(common.shared_options(command_level=True))


class Tracker(typer.Typer):
    """A Typer app whose commands are all `Command`s, so each gets the shared options."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or Command, **kwargs)


class OutputFailed(Exception):
    """Standard output could not take what a command printed (closed, full, a closed pipe).

    Not an OSError: Click turns any EPIPE it sees into a silent exit 1."""

    def __init__(self, code: int | None, reason: str | None) -> None:
        super().__init__(reason)
        self.errno = code
        self.strerror = reason or "write error"


class CommandGroup(TyperGroup):
    """Turns every failure into one `Error: ...` line on stderr and its exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(common.shared_options(command_level=False))
        self.params.extend(completion.completion_options())

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        # The shell after --show-completion / --install-completion is optional: given last
        # without one, they mean the current shell (Typer's options are flags or need a value).
        if args and args[-1] in ("--show-completion", "--install-completion"):
            args = [*args, ""]
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> NoReturn:
        common.Run.committed = False
        common.Run.outcome = 0
        try:
            code = super().main(
                args=args,
                prog_name=prog_name or "aousdctl",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            if sys.stdout is not None:
                sys.stdout.flush()  # here, where a failure is reported, not at exit
        except OutputFailed as error:
            output_lost(error)
        except NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except ClickException as error:
            fail(error.format_message() + help_hint(error), error.exit_code)
        except Abort:
            unless_saved("interrupted")
            fail("aborted; nothing was changed", 1)
        except Stopped:
            unless_saved("stopped by SIGTERM")
            fail("stopped by SIGTERM; nothing was changed", STOPPED_EXIT)
        except AousdctlError as error:
            unless_saved(str(error))
            fail(str(error), error.exit_code)
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            unless_saved(f"unexpected {type(error).__name__}: {error}")
            fail(
                f"unexpected {type(error).__name__}: {error} (nothing was changed; "
                f"set {DEBUG_VARIABLE}=1 to see where)",
                1,
            )
        sys.exit(code if isinstance(code, int) else 0)


def help_hint(error: ClickException) -> str:
    context = getattr(error, "ctx", None)
    return f" (see '{context.command_path} --help')" if context is not None else ""


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"Error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def unless_saved(reason: str) -> None:
    """A failure after the command's change was saved is not the command's failure: a
    retry would make the change twice. Say what happened, and exit 0."""
    if common.Run.committed:
        typer.echo(f"Warning: the change was saved, but then: {' '.join(reason.split())}", err=True)
        sys.exit(0)


# The exit status of a program that a closed pipe's SIGPIPE ended, as shells report it.
CLOSED_PIPE_EXIT = 128 + 13


def output_lost(error: OutputFailed) -> NoReturn:
    """Standard output failed. A committed write still succeeded (exit 0, or the failure
    the command already knew of: a retry would change the record twice); a closed pipe
    ends quietly, as other Unix tools do."""
    StandardOutput.discard_all()  # so that flushing at exit can't fail again
    reason = error.strerror
    if common.Run.committed:
        if error.errno not in (errno.EPIPE, errno.EBADF):  # those were closed on purpose
            typer.echo(f"Warning: the change was saved, but not printed: {reason}", err=True)
        sys.exit(common.Run.outcome)
    if error.errno == errno.EPIPE:
        sys.exit(CLOSED_PIPE_EXIT)
    fail(f"can't print the output: {reason}; nothing was changed", 1)


class StandardOutput(io.RawIOBase):
    """File descriptor 1, raising `OutputFailed` for whatever goes wrong writing to it, so
    that the error is told apart from a file's; `None` stands for a closed stdout."""

    discarding = False

    def __init__(self, descriptor: int | None) -> None:
        super().__init__()
        self._descriptor = descriptor

    @classmethod
    def discard_all(cls) -> None:
        cls.discarding = True

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._descriptor is not None and os.isatty(self._descriptor)

    def fileno(self) -> int:
        if self._descriptor is None:
            raise OSError(errno.EBADF, "standard output is closed")
        return self._descriptor

    def write(self, data: Any) -> int:
        if self.discarding:
            return len(memoryview(data).cast("B"))
        if self._descriptor is None:
            raise OutputFailed(errno.EBADF, "standard output is closed")
        try:
            return os.write(self._descriptor, data)
        except OSError as error:
            raise OutputFailed(error.errno, error.strerror) from None


HELP = """Track facts and speculation about an upcoming release.

Log each claim you hear with its sources, move it up the ladder
rumor -> reported -> confirmed as evidence arrives (or debunk it),
and keep the record scriptable for cron.

\b
Examples:
  aousdctl init --title "All of Us Are Dead Season 2"
  aousdctl add "Filming started in 2023" --topic Production --status reported
  aousdctl promote k3xq --to confirmed --source https://example.com/report
  aousdctl list --status confirmed --json
  aousdctl export --output explainer.md

The database is db/claims.json under the current folder unless --db or
AOUSDCTL_DB says otherwise; --db and --color may also follow the command
name. Exit codes: 0 done, 1 could not be done, 2 bad input.

\b
Environment:
  AOUSDCTL_DB            the database file, as --db
  AOUSDCTL_NOW           the current time, e.g. 2026-11-23T12:00:00Z
  AOUSDCTL_LOCK_TIMEOUT  seconds a write waits for another's lock (10)
  AOUSDCTL_DEBUG         show the traceback of an unexpected failure
  NO_COLOR               no colour (a table stays a table)
  FORCE_COLOR            colour even off a terminal
"""


app = Tracker(
    cls=CommandGroup,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    # `--install-completion` and `--show-completion` are declared below, taking a shell name.
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


source_app = Tracker(help="Attach and describe the sources behind a claim.", no_args_is_help=True)


app.add_typer(source_app, name="source")


topic_app = Tracker(
    help="Give topics the reader's question as a heading, and a place in the article.",
    no_args_is_help=True,
)


app.add_typer(topic_app, name="topic")


config_app = Tracker(
    help="The article's title and intro, how outlets are graded, and review's stale-after age.",
    no_args_is_help=True,
)


app.add_typer(config_app, name="config")


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"aousdctl {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """The options before the command name (see `common.shared_options` for the others)."""


def main() -> None:
    """The console script (`aousdctl.cli.main` starts it, with every command registered)."""
    survive_file_size_limit()
    stop_cleanly_on_sigterm()
    guard_standard_streams()
    # One command reads the whole database into hundreds of thousands of objects and exits:
    # the cyclic garbage collector would scan them again and again for cycles that do not
    # matter in a process this short (measured: a fifth of `list` at 10k claims).
    gc.disable()
    try:
        app()
    except SystemExit as done:
        exit_at_once(done.code)


def exit_at_once(code: object) -> NoReturn:
    """End the process without freeing what it read, one object at a time, first: the
    operating system takes the memory back whole (at 100k claims, freeing the tree took a
    tenth of `list`). Standard output and error are flushed first; should that fail, or
    should the exit carry a message, Python's own exit takes over and reports it."""
    if code is not None and not isinstance(code, int):
        raise SystemExit(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:
        raise SystemExit(code) from None
    os._exit(code or 0)


def guard_standard_streams() -> None:
    """Keep descriptors 0-2 taken, and stdout's failures recognisable.

    A program started with stdout closed (`>&-`) would otherwise get descriptor 1 for the
    next file it opens (a lock, the database's temporary file), and whatever it printed
    would land there. /dev/null fills each closed one; Python already shows them as None,
    which is how commands tell that there is no stdin or stdout.
    """
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            filler = os.open(os.devnull, os.O_RDWR)
            if filler != descriptor:
                os.dup2(filler, descriptor)
                os.close(filler)
    current = sys.stdout
    raw = StandardOutput(None if current is None else 1)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw, 1 << 16),
        encoding=current.encoding if current is not None else "utf-8",
        errors=current.errors if current is not None else "strict",
        line_buffering=bool(current.line_buffering) if current is not None else False,
    )


class Stopped(BaseException):
    """SIGTERM arrived. A BaseException, so that no `except Exception` holds it up and every
    cleanup on the way out (temporary files, locks) runs, as for Ctrl-C."""


# The exit status of a process SIGTERM ended, as shells report it.
STOPPED_EXIT = 128 + 15


def stop_cleanly_on_sigterm() -> None:
    """SIGTERM (a `kill`, a service manager, git giving up on the merge driver) stops a
    command cleanly: its temporary files are removed and nothing is changed. Left to its
    default, the signal would end the process at once and leave them behind."""
    import signal

    def stop(signal_number: int, frame: object) -> NoReturn:
        from aousdctl.service.session import abandon_unfinished_writes

        abandon_unfinished_writes()
        raise Stopped

    signal.signal(signal.SIGTERM, stop)


def survive_file_size_limit() -> None:
    """Report a file-size limit (ulimit -f) as a failed write instead of dying by signal."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


feed_app = Tracker(
    help="Subscribe to the RSS and Atom feeds that `fetch` reads.", no_args_is_help=True
)


app.add_typer(feed_app, name="feed")


inbox_app = Tracker(
    cls=RunnableGroup,
    help="Leads from feeds waiting for a decision: accept, attach or dismiss them.",
    invoke_without_command=True,
)


app.add_typer(inbox_app, name="inbox")
