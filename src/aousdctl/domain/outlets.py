"""Each outlet's track record, earned from how the claims it took a side on turned out.

An outlet is a source's `outlet` (its site's host unless given), compared ignoring case. A
source cited on a claim either supports it or refutes it (see `sources`). An outlet
*predicted* a claim when it was cited while the claim was still open (a rumor or reported)
and before the claim was next confirmed or debunked: a supporting source predicts the claim
true, a refuting one predicts it false. A prediction is *right* when the claim ended the way
it said (confirmed for a supporting source, debunked for a refuting one), *wrong* when it
ended the other way, and still *open* while the claim is. A source attached to a settled
claim, or in the same second as the event that settled it, is evidence, not a prediction:
the Netflix announcement cited to debunk a rumor doesn't count against Netflix. Several
sources of one outlet on one claim count once (the first of them cited).

When a source was attached is read from the history: the time of the first event whose
`sources` list names its URL. Walking the history in time order, the claim's status before
each event says whether it was open. So for a claim confirmed, demoted and confirmed again,
a source attached before the first confirmation or while it was demoted is a prediction; one
attached while it stood confirmed is not. A source whose attachment the history doesn't
record is not a prediction: nothing shows it came first.

The hit rate is right / (right + wrong). Everything here is derived from the claims every
time and never stored, so it can't drift from the history. Pure: no I/O.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final

from aousdctl.domain.history import REFUTES, SUPPORTS, stance_of
from aousdctl.domain.urls import ascii_host
from aousdctl.errors import BadInput

MIN_SETTLED_SETTING: Final = "outlet-min-settled"
DEFAULT_MIN_SETTLED = 5
MAX_MIN_SETTLED = 1_000_000  # far above any record, and well inside what the file can hold
SETTLED = frozenset({"confirmed", "debunked"})
# The lowest hit rate that earns each grade, best first; F is "cannot be judged".
GRADES = (("A", 0.9), ("B", 0.75), ("C", 0.5), ("D", 0.25), ("E", 0.0))
UNJUDGED = "F"

_BY_TIME = itemgetter("at")


@dataclass(frozen=True)
class TrackRecord:
    """What one outlet's claims came to. `cited`: the claims citing it; `supported` and
    `refuted`: those it supports and refutes; `right` + `wrong` + `open`: its predictions."""

    outlet: str
    cited: int
    supported: int
    refuted: int
    right: int
    wrong: int
    open: int
    hit_rate: float | None
    grade: str
    min_settled: int = DEFAULT_MIN_SETTLED

    @property
    def settled(self) -> int:
        return self.right + self.wrong

    @property
    def hit_rate_text(self) -> str:
        """The hit rate with the count beside it: "80% of 5", or "none settled"."""
        if self.settled == 0:
            return "none settled"
        # Whole percent rounded down, in integers, so the figure never reaches a grade's
        # threshold the hit rate itself falls short of (179 of 200 is 89%, a B, not 90%).
        percent = 100 * self.right // self.settled
        return f"{percent}% of {self.settled}"

    @property
    def grade_text(self) -> str:
        """The grade as people read it: F ("cannot be judged") is written out, so a reader
        doesn't take an outlet nobody could judge yet for a failing one."""
        if self.grade != UNJUDGED:
            return self.grade
        return f"not yet judged ({self.settled} of {self.min_settled} settled)"

    def as_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "cited": self.cited,
            "supported": self.supported,
            "refuted": self.refuted,
            "right": self.right,
            "wrong": self.wrong,
            "open": self.open,
            "hit_rate": self.hit_rate,
            "grade": self.grade,
        }


def outlet_key(name: str) -> str:
    """What makes two outlet names the same outlet: case aside, and a host in its DNS
    spelling (an outlet stored as `한국.kr` is `xn--3e0b707e.kr`)."""
    return ascii_host(name.strip().casefold())


def grade(right: int, wrong: int, min_settled: int = DEFAULT_MIN_SETTLED) -> str:
    """A to E by hit rate once at least `min_settled` predictions are settled; F below that."""
    settled = right + wrong
    if settled == 0 or settled < min_settled:
        return UNJUDGED
    rate = right / settled
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


def predictions(history: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The source URLs attached while the claim was open and before it next settled, each
    with the stance it took while the claim was open: a link turned round after the claim
    settled doesn't change what its outlet predicted.

    Hot: run once per claim. Histories are appended in time order, so they are walked as
    they are; one out of order (a merge) is walked again sorted by time.
    """
    status: str | None = None
    latest = ""
    seen: set[str] = set()
    pending: dict[str, tuple[str, str]] = {}  # url -> (stance, when attached), claim open
    predicted: dict[str, str] = {}
    for event in history:
        at = event["at"]
        if at < latest:
            return predictions(sorted(history, key=_BY_TIME))
        latest = at
        if urls := event["sources"]:
            stances = _stances(event)
            for url in urls:
                if url not in seen:
                    seen.add(url)
                    if status not in SETTLED:
                        pending[url] = (stances.get(url) or stance_of(event), at)
                elif url in pending and url in stances:
                    pending[url] = (stances[url], pending[url][1])
        after = event["to"]
        if after is not None:
            if pending and after in SETTLED:
                predicted.update(
                    (url, stance) for url, (stance, attached) in pending.items() if attached < at
                )
                pending.clear()
            status = after
    predicted.update((url, stance) for url, (stance, _) in pending.items())
    return predicted


def _stances(event: Mapping[str, Any]) -> dict[str, str]:
    """The stances an event gave the links it cites."""
    change = event.get("change") or {}
    return {
        cited["url"]: cited.get("stance") or stance_of(event) for cited in change.get("cited") or ()
    }


def track_records(
    claims: Iterable[Mapping[str, Any]],
    details: Mapping[str, Mapping[str, Any]],
    *,
    min_settled: int = DEFAULT_MIN_SETTLED,
    only: Collection[str] | None = None,
) -> list[TrackRecord]:
    """Every outlet cited by the claims as stored (their sources' records by URL in
    `details`), or only those whose `outlet_key` is in `only`, best first: by hit rate
    (outlets with nothing settled last), then by the number settled, then by name."""
    keys: dict[str, str | None] = {}  # a spelling seen -> its key, None when not wanted
    outlet_names: dict[str, str] = {}  # url -> its outlet
    spellings: dict[str, dict[str, int]] = {}
    counts: dict[str, list[int]] = {}  # cited, supported, refuted, right, wrong, open
    for claim in claims:
        sides: dict[str, list[tuple[str, str]]] = {}  # key -> [(url, stance)] in order
        for link in claim["sources"]:
            url = link["url"]
            name = outlet_names.get(url) or _outlet_name(url, details.get(url), outlet_names)
            if name not in keys:
                key = outlet_key(name)
                keys[name] = key if only is None or key in only else None
            if (key_or_none := keys[name]) is not None:
                sides.setdefault(key_or_none, []).append((url, link.get("stance")))
                seen = spellings.setdefault(key_or_none, {})
                seen[name] = seen.get(name, 0) + 1
        if not sides:
            continue
        predicted = predictions(claim["history"])
        status = claim["status"]
        for key, links in sides.items():
            row = counts.get(key)
            if row is None:
                row = counts[key] = [0, 0, 0, 0, 0, 0]
            row[0] += 1
            stances = {stance for _, stance in links}
            row[1] += SUPPORTS in stances
            row[2] += REFUTES in stances
            prediction = next((predicted[url] for url, _ in links if url in predicted), None)
            if prediction is not None:
                row[_outcome(prediction, status)] += 1
    records = [_record(_spelling(spellings[key]), row, min_settled) for key, row in counts.items()]
    records.sort(key=_rank)
    return records


def _outcome(stance: str, status: str) -> int:
    """The column of a prediction in a row of counts: right, wrong or open."""
    if status not in SETTLED:
        return 5
    return 3 if (status == "confirmed") == (stance == SUPPORTS) else 4


def _outlet_name(url: str, record: Any, known: dict[str, str]) -> str:
    """A link's outlet, as its source's record says (or its site), remembered by URL."""
    from aousdctl.domain.sources import details_of

    name = known[url] = str(details_of(url, record)["outlet"])
    return name


def _record(name: str, row: list[int], min_settled: int) -> TrackRecord:
    cited, supported, refuted, right, wrong, still_open = row
    settled = right + wrong
    return TrackRecord(
        outlet=name,
        cited=cited,
        supported=supported,
        refuted=refuted,
        right=right,
        wrong=wrong,
        open=still_open,
        hit_rate=right / settled if settled else None,
        grade=grade(right, wrong, min_settled),
        min_settled=min_settled,
    )


def _spelling(seen: dict[str, int]) -> str:
    """The name an outlet is shown by: its most used spelling (the first alphabetically
    among equals), so the result doesn't depend on the order of the claims."""
    return min(seen.items(), key=lambda item: (-item[1], item[0]))[0]


def _rank(record: TrackRecord) -> tuple[bool, float, int, str, str]:
    rate = record.hit_rate
    return (rate is None, -(rate or 0.0), -record.settled, record.outlet.casefold(), record.outlet)
