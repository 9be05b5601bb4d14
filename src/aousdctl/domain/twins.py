"""Near twins: a new claim that says nearly what a claim already says.

`add` takes the same text in the same topic for the claim that exists (see
`claims.match_key`), but a full stop, another word order, another topic or one word more
would get past that. A near twin is named, so the user can see the claim they may have
meant; one that was debunked stops the rumor from coming back in other words (`--force`
adds it all the same).

Two texts are near twins when, compared as words (case and punctuation ignored):

- they have the same words, in any order; or
- rapidfuzz's token set ratio of the two is at least `THRESHOLD` (90 of 100): the words
  they share, set against each one's whole, are nearly all of it. A text whose words are
  all among the other's scores 100 ("Netflix cancelled Season 2" and "Netflix cancelled
  Season 2 after the long silence");

and, either way, the numbers of one (its words with a digit: "2026", "12", "S2") are all
among the other's and both or neither deny:
"Season 2 has 8 episodes" is no twin of "Season 2 has 12 episodes", nor "Netflix has not
cancelled Season 2" of "Netflix cancelled Season 2", however many words they share (but
"Season 2 premieres in 2026" is one of "Season 2 premieres").
"""

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, NamedTuple

from aousdctl.domain.claims import Claim, as_claim

THRESHOLD = 90
# The most twins one new claim names: the closest ones.
LIMIT = 3
# Words that turn a statement into its denial; "t" is what is left of "n't" ("doesn't")
# once punctuation is gone.
_DIGIT = re.compile("[0-9]")
_DENIALS = frozenset({"not", "no", "never", "neither", "nor", "nobody", "nothing", "none", "t"})


class Twin(NamedTuple):
    """A claim close to a new text: how close (0-100), and whether it has the same words."""

    claim: Claim
    score: int
    same_words: bool


def near_twins(text: str, claims: Mapping[str, Mapping[str, Any]]) -> list[Twin]:
    """The claims (id -> stored record) that say nearly what `text` says, closest first, at
    most `LIMIT` of them (see the module's docstring for what "nearly" is).

    rapidfuzz scores every claim in one pass; only the closest are looked at word by word,
    in order, until `LIMIT` of them pass, so a short text that many claims contain ("Season
    2") costs no more than any other."""
    if not claims:
        return []
    from rapidfuzz import fuzz, process, utils

    wanted = _Words(utils.default_process(text))
    if not wanted.words:
        return []
    close = process.extract(
        wanted.processed,
        {claim_id: record["text"] for claim_id, record in claims.items()},
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=THRESHOLD,
        limit=None,
    )
    # A text inside a longer one scores 100 too: among those, the same words come first.
    whole = {claim_id: other for other, score, claim_id in close if score == 100}
    ranked = process.extract(
        wanted.processed,
        whole,
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        limit=None,
    )
    candidates = [(other, 100.0, claim_id) for other, _, claim_id in ranked]
    candidates += [entry for entry in close if entry[1] < 100]
    twins: list[Twin] = []
    for other_text, score, claim_id in candidates:
        other = _Words(utils.default_process(other_text))
        if other.denies == wanted.denies and _within(other.numbers, wanted.numbers):
            same = other.sorted_words == wanted.sorted_words
            twins.append(Twin(as_claim(claims[claim_id], claim_id, {}), round(score), same))
            if len(twins) == LIMIT:
                break
    return twins


class _Words:
    """A text as the comparison sees it: lower case, punctuation turned into spaces."""

    def __init__(self, processed: str) -> None:
        self.processed = processed
        self.words = processed.split()
        self.sorted_words = sorted(self.words)
        self.numbers = Counter(word for word in self.words if _DIGIT.search(word))
        self.denies = not _DENIALS.isdisjoint(self.words)


def _within(some: Counter[str], others: Counter[str]) -> bool:
    """Whether the numbers of one text are all among the other's (each as often)."""
    return some <= others or others <= some
