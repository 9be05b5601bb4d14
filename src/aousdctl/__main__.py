"""Allow `python -m aousdctl`."""

from aousdctl.cli import main

main()
