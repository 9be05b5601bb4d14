"""Claim ids: short random strings that two clones of a database never both pick.

An id is 8 characters of Crockford's base32 alphabet in lower case (40 random bits from the
operating system's generator), so clones that add claims without talking to each other
don't collide, and a merged file has no counter to fight over. People type a unique prefix
of at least 4 characters; claims from a database made before random ids also answer to
their old number, which wins over a prefix so existing scripts and crontabs keep working.
Ids are printed bare (`k3xq9m2a`) so they paste into a shell, where `#` starts a comment;
one copied with a `#` in front (from an older output, a chat or a note) is read without it.
"""

import os
from collections.abc import Collection, Container, Iterable, Mapping

from aousdctl.errors import BadInput, NotFound

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
LENGTH = 8
MIN_PREFIX = 4
_LETTERS = frozenset(ALPHABET)
# Crockford's reading of look-alike letters, so an id copied by hand still works.
_LOOKALIKES = str.maketrans({"i": "1", "l": "1", "o": "0"})


def _encoded(number: int) -> str:
    return "".join(ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))


def random_number() -> int:
    """40 random bits from `os.urandom`, the source `secrets` draws from; importing `secrets`
    itself would load OpenSSL through `hmac`, 4 MB more for every write."""
    return int.from_bytes(os.urandom(5 * LENGTH // 8), "big")


def new_id(taken: Container[str]) -> str:
    """A fresh random id that is none of `taken` (every id in use, removed claims too)."""
    while True:
        candidate = _encoded(random_number())
        if candidate not in taken:
            return candidate


def derived_id(number: int, created: str, taken: Container[str] = ()) -> str:
    """The id a claim numbered `number`, created at `created`, gets when its database moves
    to random ids: the same in every clone that migrates the same file on its own."""
    return seeded_id(f"{number}:{created}", taken)


def seeded_id(seed: str, taken: Container[str] = ()) -> str:
    """An id every clone derives alike from `seed`, none of `taken`: for a claim that must
    give up the id it had to another claim (see `merge`), or an old numbered one."""
    import hashlib  # only for a merge's or an old file's ids: it loads OpenSSL

    attempt = 0
    while True:
        attempted = seed + (f":{attempt}" if attempt else "")
        digest = hashlib.sha256(attempted.encode()).digest()
        candidate = _encoded(int.from_bytes(digest[:5], "big"))
        if candidate not in taken:
            return candidate
        attempt += 1


def is_id(value: object) -> bool:
    """Whether `value` is a claim id as stored: 8 characters of the alphabet."""
    return isinstance(value, str) and len(value) == LENGTH and _LETTERS.issuperset(value)


def is_old_number(value: object) -> bool:
    """Whether `value` is an old claim number as a key: ASCII digits only. `str.isdigit`
    alone would take "²" or "٣", which `int` then refuses."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


def typed(reference: str) -> str:
    """An id (of a claim or a lead), prefix or old number as typed, without the spaces
    around it and without one leading `#` (`#k3xq9m2a`, `#5`)."""
    return reference.strip().removeprefix("#").strip()


def normalized(reference: str) -> str:
    """A claim id or prefix as typed: any case, Crockford's look-alikes (i, l, o) read as
    digits, a leading `#` dropped."""
    return _folded(typed(reference))


def _folded(given: str) -> str:
    return given.lower().translate(_LOOKALIKES)


def resolve(reference: str, known: Collection[str], numbers: Mapping[str, str]) -> str:
    """The id `reference` names among `known` (claims and removed claims).

    In order: an exact old number (from `numbers`, old number -> id), a whole id, then a
    unique prefix of at least MIN_PREFIX characters. An ambiguous prefix is bad input that
    names the candidates; anything else that matches nothing is not found.
    """
    given = typed(reference)
    if given in numbers:
        return numbers[given]
    wanted = _folded(given)
    if wanted in known:
        return wanted
    shown = shown_reference(given, quoted=False)
    if not wanted or not _LETTERS.issuperset(wanted) or len(wanted) > LENGTH:
        raise BadInput(
            f"{shown_reference(given, quoted=True)} is not a claim id "
            f"(ids are {LENGTH} letters and digits)"
        )
    if len(wanted) < MIN_PREFIX:
        raise NotFound(
            f"there is no claim {shown} (give at least {MIN_PREFIX} characters of an id)"
        )
    matches = by_prefix(wanted, known)
    if not matches:
        raise NotFound(f"there is no claim {shown}")
    if len(matches) > 1:
        listed = ", ".join(matches[:10]) + (", ..." if len(matches) > 10 else "")
        raise BadInput(f"{shown} is the start of {len(matches)} claim ids ({listed}); give more")
    return matches[0]


# The most of a reference a message repeats: enough to recognise it, never a screenful.
_SHOWN_LIMIT = 24


def shown_reference(given: str, *, quoted: bool) -> str:
    """An id or prefix as a message quotes it: whole when short, else its start and length
    (a pasted paragraph, or 100,000 characters from a script, must not fill the terminal)."""
    if len(given) <= _SHOWN_LIMIT:
        return repr(given) if quoted else given
    return f"{given[:_SHOWN_LIMIT] + '…'!r} ({len(given)} characters)"


def by_prefix(wanted: str, known: Iterable[str]) -> list[str]:
    """The ids `wanted` names: itself when it is a whole id, else every id that starts with
    it, sorted. The one matching rule for claim and lead ids; each caller says what none or
    several mean."""
    found = sorted(candidate for candidate in known if candidate.startswith(wanted))
    return [wanted] if wanted in found else found
