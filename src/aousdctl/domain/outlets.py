"""Each outlet's track record, earned from how the claims it carried turned out.

An outlet is a source's `outlet` (its site's host unless given), compared ignoring case. An
outlet *carried* a claim when it attached a source to it while the claim was still open (a
rumor or reported) and before the claim was next confirmed or debunked: that is a
prediction. A source attached to a settled claim, or in the same second as the event that
settled it, is evidence, not a prediction. Several sources of one outlet on one claim count
once.

When a source was attached is read from the history: the time of the first event whose
`sources` list names its URL. Walking the history in time order, the claim's status before
each event says whether it was open. So for a claim confirmed, demoted and confirmed again,
a source attached before the first confirmation or while it was demoted is a prediction; one
attached while it stood confirmed is not. A source whose attachment the history doesn't
record is not a prediction: nothing shows it came first.

Each carried claim counts by its *current* status (confirmed, debunked or still open), and
the hit rate is confirmed / (confirmed + debunked). Everything here is derived from the
claims every time and never stored, so it can't drift from the history. Pure: no I/O.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final

from aousdctl.errors import BadInput

MIN_SETTLED_SETTING: Final = "outlet-min-settled"
DEFAULT_MIN_SETTLED = 5
MAX_MIN_SETTLED = 1_000_000  # far above any record, and well inside what the file can hold
SETTLED = frozenset({"confirmed", "debunked"})
# The lowest hit rate that earns each grade, best first; F is "cannot be judged".
GRADES = (("A", 0.9), ("B", 0.75), ("C", 0.5), ("D", 0.25), ("E", 0.0))
UNJUDGED = "F"

_BY_TIME = itemgetter("at")
_COLUMNS = {"confirmed": 2, "debunked": 3}  # in a row of counts; any other status is open


@dataclass(frozen=True)
class TrackRecord:
    """What one outlet's claims came to. `carried` = `confirmed` + `debunked` + `open`."""

    outlet: str
    cited: int
    carried: int
    confirmed: int
    debunked: int
    open: int
    hit_rate: float | None
    grade: str

    @property
    def settled(self) -> int:
        return self.confirmed + self.debunked

    @property
    def hit_rate_text(self) -> str:
        """The hit rate with the count beside it: "80% of 5", or "none settled"."""
        if self.settled == 0:
            return "none settled"
        # Whole percent rounded down, in integers, so the figure never reaches a grade's
        # threshold the hit rate itself falls short of (179 of 200 is 89%, a B, not 90%).
        percent = 100 * self.confirmed // self.settled
        return f"{percent}% of {self.settled}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "carried": self.carried,
            "confirmed": self.confirmed,
            "debunked": self.debunked,
            "open": self.open,
            "settled": self.settled,
            "hit_rate": self.hit_rate,
            "grade": self.grade,
            "cited": self.cited,
        }


def outlet_key(name: str) -> str:
    """What makes two outlet names the same outlet."""
    return name.strip().casefold()


def grade(confirmed: int, debunked: int, min_settled: int = DEFAULT_MIN_SETTLED) -> str:
    """A to E by hit rate once at least `min_settled` claims are settled; F below that."""
    settled = confirmed + debunked
    if settled == 0 or settled < min_settled:
        return UNJUDGED
    rate = confirmed / settled
    return next(letter for letter, lowest in GRADES if rate >= lowest)


def parse_min_settled(value: str) -> int:
    """The `outlet-min-settled` setting: a whole number of at least 1."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_MIN_SETTLED:
        raise BadInput(
            f"{MIN_SETTLED_SETTING} must be a whole number from 1 to {MAX_MIN_SETTLED:,}, "
            f"not {value!r}"
        )
    return int(text)


def predicted_urls(history: Sequence[Mapping[str, Any]]) -> set[str]:
    """The source URLs attached while the claim was open and before it next settled.

    Hot: run once per claim. Histories are appended in time order, so they are walked as
    they are; one out of order (a merge) is walked again sorted by time.
    """
    status: str | None = None
    latest = ""
    seen: set[str] = set()
    pending: list[tuple[str, str]] = []  # (url, when attached) while the claim is open
    predicted: set[str] = set()
    for event in history:
        at = event["at"]
        if at < latest:
            return predicted_urls(sorted(history, key=_BY_TIME))
        latest = at
        if urls := event["sources"]:
            if status in SETTLED:
                seen.update(urls)
            else:
                for url in urls:
                    if url not in seen:
                        seen.add(url)
                        pending.append((url, at))
        after = event["to"]
        if after is not None:
            if pending and after in SETTLED:
                predicted.update(url for url, attached in pending if attached < at)
                pending.clear()
            status = after
    predicted.update(url for url, _ in pending)
    return predicted


def track_records(
    claims: Iterable[Mapping[str, Any]],
    *,
    min_settled: int = DEFAULT_MIN_SETTLED,
    only: Collection[str] | None = None,
) -> list[TrackRecord]:
    """Every outlet cited by the claims (or only those whose `outlet_key` is in `only`),
    best first: by hit rate (outlets with nothing settled last), then by the number of
    settled claims, then by name."""
    keys: dict[str, str | None] = {}  # a spelling seen -> its key, None when not wanted
    spellings: dict[str, dict[str, int]] = {}
    counts: dict[str, list[int]] = {}  # cited, carried, confirmed, debunked, open
    for claim in claims:
        cited: set[str] = set()
        for source in claim["sources"]:
            name = source["outlet"]
            if name not in keys:
                key = outlet_key(name)
                keys[name] = key if only is None or key in only else None
            if (key_or_none := keys[name]) is not None:
                cited.add(key_or_none)
                seen = spellings.setdefault(key_or_none, {})
                seen[name] = seen.get(name, 0) + 1
        if not cited:
            continue
        predicted = predicted_urls(claim["history"])
        carried = {keys[s["outlet"]] for s in claim["sources"] if s["url"] in predicted}
        column = _COLUMNS.get(claim["status"], 4)
        for key in cited:
            row = counts.get(key)
            if row is None:
                row = counts[key] = [0, 0, 0, 0, 0]
            row[0] += 1
            if key in carried:
                row[1] += 1
                row[column] += 1
    records = [_record(_spelling(spellings[key]), row, min_settled) for key, row in counts.items()]
    records.sort(key=_rank)
    return records


def _record(name: str, row: list[int], min_settled: int) -> TrackRecord:
    cited, carried, confirmed, debunked, still_open = row
    settled = confirmed + debunked
    return TrackRecord(
        outlet=name,
        cited=cited,
        carried=carried,
        confirmed=confirmed,
        debunked=debunked,
        open=still_open,
        hit_rate=confirmed / settled if settled else None,
        grade=grade(confirmed, debunked, min_settled),
    )


def _spelling(seen: dict[str, int]) -> str:
    """The name an outlet is shown by: its most used spelling (the first alphabetically
    among equals), so the result doesn't depend on the order of the claims."""
    return min(seen.items(), key=lambda item: (-item[1], item[0]))[0]


def _rank(record: TrackRecord) -> tuple[bool, float, int, str, str]:
    rate = record.hit_rate
    return (rate is None, -(rate or 0.0), -record.settled, record.outlet.casefold(), record.outlet)
