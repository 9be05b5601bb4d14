"""Formats: the article and the JSON export document, functions of a read-only snapshot,
never of the file."""
