"""The settings `config set` changes: their names, how a value is checked, and defaults.

A stored value is what `config set` checked; `effective` reads every setting with its
default filled in (and a hand-edited value that isn't valid read as the default).
"""

from collections.abc import Callable
from typing import Any, Final, TypedDict

from aousdctl.domain import dates, outlets, text
from aousdctl.errors import BadInput

TITLE: Final = "title"
INTRO: Final = "intro"
TRACK_RECORD: Final = "article.track-record"
# Review's threshold for a claim nobody has touched (kept here to spare review's imports).
STALE_AFTER: Final = "stale-after"
DEFAULT_STALE_AFTER = "90d"
NAMES = (TITLE, INTRO, outlets.MIN_SETTLED_SETTING, TRACK_RECORD, STALE_AFTER)
_SWITCH = {"on": True, "off": False}


def clean(name: str, value: str) -> Any:
    """The value to store for a setting, or BadInput saying what it may be."""
    if name == TITLE and value.strip():
        return text.clean_line(value, name)
    if name in (TITLE, INTRO):
        return text.clean_note(value, name)
    if name == outlets.MIN_SETTLED_SETTING:
        return outlets.parse_min_settled(value)
    if name == STALE_AFTER:
        return dates.normal_age(value, name) if value.strip() else None
    if name == TRACK_RECORD:
        switch = _SWITCH.get(value.strip().lower())
        if switch is None:
            raise BadInput(f"{TRACK_RECORD} must be on or off, not {value!r}")
        return switch
    raise BadInput(f"unknown setting {name!r} (choose from {', '.join(NAMES)})")


def from_document(name: str, value: Any) -> Any:
    """A setting's value as an export document holds it (what `clean` stored), checked."""
    if name in (TITLE, INTRO, STALE_AFTER):
        if name == STALE_AFTER and isinstance(value, str):
            return clean(name, value)
        if not isinstance(value, str):
            raise BadInput(f"{name} must be a string")
        return value
    if name == outlets.MIN_SETTLED_SETTING:
        if type(value) is not int or not 1 <= value <= outlets.MAX_MIN_SETTLED:
            raise BadInput(f"{name} must be a whole number from 1 to {outlets.MAX_MIN_SETTLED:,}")
        return value
    if type(value) is not bool:
        raise BadInput(f"{name} must be true or false")
    return value


# Every setting, defaults included, as `config show` lists them and the article reads them.
Settings = TypedDict(
    "Settings",
    {
        "title": str | None,
        "intro": str | None,
        "outlet-min-settled": int,
        "article.track-record": bool,
        "stale-after": str,
    },
)


def effective(stored: Callable[[str], Any]) -> Settings:
    """Every setting, by name, as it applies now: `stored(name)` or its default."""
    minimum = stored(outlets.MIN_SETTLED_SETTING)
    return {
        TITLE: stored(TITLE),
        INTRO: stored(INTRO),
        outlets.MIN_SETTLED_SETTING: (
            minimum if type(minimum) is int and minimum >= 1 else outlets.DEFAULT_MIN_SETTLED
        ),
        TRACK_RECORD: stored(TRACK_RECORD) is True,
        STALE_AFTER: stored(STALE_AFTER) or DEFAULT_STALE_AFTER,
    }


def shown(value: Any) -> str:
    """A setting's value as `config show` prints it as text."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return "" if value is None else str(value)
