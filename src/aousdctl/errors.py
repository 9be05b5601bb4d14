"""The few failures a user can meet, each with the exit code scripts rely on.

The core raises these with a sentence meant for the user; `cli/program.py` turns each into one
`Error: ...` line on stderr and its exit code, in one place.
"""


class AousdctlError(Exception):
    """A request that could not be carried out; nothing was changed."""

    exit_code = 1


class BadInput(AousdctlError):
    """The request itself is malformed: fix the command line or the input file."""

    exit_code = 2


class NotFound(AousdctlError):
    """The request names a claim or topic that does not exist."""


class Conflict(AousdctlError):
    """A valid request that the claim's current state does not allow."""


class StorageError(AousdctlError):
    """The database is missing, unreadable, locked by another process, or can't be written."""


class Unavailable(AousdctlError):
    """Something the request needs from elsewhere (a feed's server) can't be read now."""
