"""Git, run as a subprocess."""
