"""The command line: the program and its errors (`program`), what every command shares
(`common`, `options`, `completion`), how results are shown (`render`), and one module per
command group in `commands`."""

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
from aousdctl.cli.program import app, main

__all__ = ["app", "main"]
