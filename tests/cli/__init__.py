"""The command line in-process, through Typer's CliRunner."""
