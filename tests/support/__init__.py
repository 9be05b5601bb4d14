"""Helpers the tests share: the in-process runner, real processes, the feed server, git
clones, files beside a database, claim records and the scenarios several files build on."""
