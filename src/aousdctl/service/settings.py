"""Requests about the settings `config` changes."""

from pathlib import Path

from aousdctl.domain import config
from aousdctl.service import session


def set_setting(path: Path, key: str, value: str) -> bool:
    """`config set`: the article's title (one line) or intro (a paragraph; "" clears either),
    the settled claims an outlet needs for a grade, whether the article shows outlets' track
    records, or review's stale-after age; each value is checked by `config.clean`. Returns
    whether it changed."""
    cleaned = config.clean(key, value)
    with session.writing(path, "config set") as database:
        if database.setting(key) == cleaned:
            return False
        database.set_setting(key, cleaned)
        return True


def effective(path: Path) -> config.Settings:
    """`config show`: every setting, defaults included."""
    with session.reading(path) as database:
        return config.effective(database.setting)
