"""Formats: the article, the JSON export document and CSV, functions of a read-only
snapshot, never of the file."""
