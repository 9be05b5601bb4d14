"""The one place that reaches into the Click that Typer bundles (`typer._click`, private).

Typer 0.28 re-exports `BadParameter`, `Abort` and `Exit`, but not Click's base exception
(the class of every usage error), the "no arguments: show the help" signal, Click's
`Context` (the type overridden command methods receive), or the registration of completion for
shells other than bash (which `typer.Typer(add_completion=False)` skips). They are imported
here and nowhere else; `tests/cli/test_typer_click.py` fails first if an upgrade of Typer
moves them.
"""

from typer._click import Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._completion_classes import completion_init

__all__ = ["ClickException", "Context", "NoArgsIsHelpError", "completion_init"]
