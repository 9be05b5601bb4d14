"""Real processes, git repositories, a local HTTP server and pseudo-terminals."""
