"""The command line: the program and its errors (`program`), what every command shares
(`common`, `options`, `completion`), how results are shown (`render`), and one module per
command group in `commands`.

`main` is the console script. It imports the program only when it runs a command, so that
`aousdctl --version` prints without loading Typer at all; `app` (the Typer app, with every
command registered) is loaded on first use."""

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aousdctl.cli.program import app as app

__all__ = ["app", "main"]


def main() -> None:
    """The console script: `aousdctl`."""
    if sys.argv[1:] == ["--version"] and sys.stdout is not None:
        from aousdctl import __version__

        sys.stdout.write(f"aousdctl {__version__}\n")
        return
    from aousdctl.cli import program

    _register_commands()
    program.main()


def __getattr__(name: str) -> Any:
    if name == "app":
        from aousdctl.cli import program

        _register_commands()
        return program.app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _register_commands() -> None:
    from aousdctl.cli.commands import (  # noqa: F401  (each registers its commands)
        claims,
        config,
        exchange,
        inbox,
        maintenance,
        reports,
        sharing,
        topics,
    )
