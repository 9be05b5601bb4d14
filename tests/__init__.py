"""The tests, laid out by kind:

- `unit/`: the pure layers (domain, formats, feed parsing) called directly: no command
  line, no files, milliseconds each.
- `cli/`: the command line in-process through Typer's `CliRunner`: one file per command
  group (as in `src/aousdctl/cli/commands/`), and one per promise that spans the commands
  (conventions, storage, durable files, undo, ids, validation, reliability).
- `process/`: what only more than one process shows: real processes, git, a local HTTP
  server, a pseudo-terminal. The heaviest are marked `slow`.
- `support/`: the helpers all of them share. `conftest.py` holds only fixtures, and no test
  module imports another.
"""
