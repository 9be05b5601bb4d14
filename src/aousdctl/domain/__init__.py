"""The domain: pure rules and typed records. No files, no network, no Typer, Rich or TinyDB."""
