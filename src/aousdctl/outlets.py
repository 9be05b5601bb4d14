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

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from aousdctl.errors import BadInput

MIN_SETTLED_SETTING = "outlet-min-settled"
DEFAULT_MIN_SETTLED = 5
SETTLED = frozenset({"confirmed", "debunked"})
# The lowest hit rate that earns each grade, best first; F is "cannot be judged".
GRADES = (("A", 0.9), ("B", 0.75), ("C", 0.5), ("D", 0.25), ("E", 0.0))
UNJUDGED = "F"

_BY_TIME = itemgetter("at")


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
        # Whole percent, halves rounded up, in integers so 2/3 is 67% on every machine.
        percent = (200 * self.confirmed + self.settled) // (2 * self.settled)
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
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise BadInput(f"{MIN_SETTLED_SETTING} must be a whole number of at least 1, not {value!r}")
    return int(text)


def predicted_urls(history: Sequence[Mapping[str, Any]]) -> set[str]:
    """The source URLs attached while the claim was open and before it next settled."""
    status: str | None = None
    seen: set[str] = set()
    pending: list[tuple[str, str]] = []  # (url, when attached) while the claim is open
    predicted: set[str] = set()
    for event in sorted(history, key=_BY_TIME):
        at = event["at"]
        was_open = status not in SETTLED
        for url in event["sources"]:
            if url not in seen:
                seen.add(url)
                if was_open:
                    pending.append((url, at))
        after = event["to"]
        if after is None:
            continue
        if after in SETTLED and pending:
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
    spellings: dict[str, Counter[str]] = {}
    counts: dict[str, list[int]] = {}  # cited, carried, confirmed, debunked, open
    for claim in claims:
        sources = claim["sources"]
        if not sources:
            continue
        cited: dict[str, str] = {}
        for source in sources:
            key = outlet_key(source["outlet"])
            if only is None or key in only:
                cited.setdefault(key, source["outlet"])
                spellings.setdefault(key, Counter())[source["outlet"]] += 1
        if not cited:
            continue
        predicted = predicted_urls(claim["history"])
        carried = {outlet_key(source["outlet"]) for source in sources if source["url"] in predicted}
        column = 2 if claim["status"] == "confirmed" else 3 if claim["status"] == "debunked" else 4
        for key in cited:
            row = counts.setdefault(key, [0, 0, 0, 0, 0])
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


def _spelling(seen: Counter[str]) -> str:
    """The name an outlet is shown by: its most used spelling (the first alphabetically
    among equals), so the result doesn't depend on the order of the claims."""
    return min(seen.items(), key=lambda item: (-item[1], item[0]))[0]


def _rank(record: TrackRecord) -> tuple[bool, float, int, str, str]:
    rate = record.hit_rate
    return (rate is None, -(rate or 0.0), -record.settled, record.outlet.casefold(), record.outlet)
