"""Pure functions called directly: no command line, no files, no processes."""
