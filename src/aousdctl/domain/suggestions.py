"""Suggestions: the claims a lead may be about, and how well each matches, out of 100.

A lead's title and summary are compared with each claim's text, topic and tags as two
weighted vectors (TF-IDF, cosine similarity):

- **Features.** Every word, and every run of three letters inside a word (character
  trigrams), so that "hybrid" meets "hybrids" and "híbridos", and "Cheong-san" meets
  "이청산" once Hangul is spelled in Latin letters (Revised Romanization, syllable by
  syllable; Japanese kana likewise, in Hepburn). Han characters, which no alphabet spells,
  count in pairs. Case and accents are ignored, a hyphen or apostrophe inside a word
  joins it ("Su-hyeok" is "suhyeok"), and digits are words of their own ("시즌2" is
  "sijeun" and "2"). Common function words of a few languages don't count.
- **Weights.** A feature weighs its inverse document frequency over the claims (rarer
  is stronger), a word counts more than one of its trigrams, a claim's topic and tags half
  as much as its text, a lead's summary half as much as its title. A feature more than a
  tenth of the claims share (of a database of more than `COMMON_FLOOR` claims) can't tell
  them apart and is left out.
- **Score.** The cosine of the two vectors, out of 100. Only claims scoring at least
  `THRESHOLD` are suggested, up to `LIMIT` of them: open claims (rumor, reported) first,
  then settled ones (confirmed, debunked), each group best first. Removed claims are not
  in the database's claims, so they are never suggested.

The claims are indexed once per request (`Index`), and each lead is scored only against
the claims that share a feature with it, so a hundred leads against ten thousand claims
take well under a second.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

LIMIT = 3
THRESHOLD = 20
OPEN = frozenset({"rumor", "reported"})
COMMON_FLOOR = 50

TAG_WEIGHT = 0.5
UNSEEN_WEIGHT = 0.5

# Words too common in any text to say what it is about (English and the languages of the
# outlets most often followed; Korean particles are joined to their words, so the trigrams
# carry those).
STOP_WORDS = frozenset(
    """
    a an and are as at be been but by for from has have he her his how in into is it its
    new not of on or our she than that the their them there these they this to was we
    were what when where which who whom why will with would you your all about after can
    could may might more most now over says said up out just also than then very
    de del la las el los un una y o en con por para que se es al lo su sus
    le les des du et au aux dans pour sur est une ce qui
    da das do dos e em na no nos para com um uma os as ao
    der die das und ist im von mit den zu ein eine auf
    dan di ke yang dari untuk akan ini itu
    """.split()  # noqa: SIM905 (a list literal of 150 words reads worse)
)

# Han characters, letters of other scripts, and digits make separate words.
_HAN = "\u2e80-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[^\W\d_{_HAN}]+|\d+")
_JOINER = re.compile(r"(?<=\w)[-'\u2019\u2010\u2011](?=\w)")
_HANGUL = re.compile("[\uac00-\ud7a3]+")
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc]+")

_INITIALS = "g kk n d tt r m b pp s ss _ j jj ch k t p h".split()  # noqa: SIM905
_VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()  # noqa: SIM905
_FINALS = ["", *"k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()]  # noqa: SIM905

_KANA_SOUNDS = dict(
    zip(
        "アイウエオカキクケコガギグゲゴサシスセソザジズゼゾタチツテトダヂヅデドナニヌネノ"
        "ハヒフヘホバビブベボパピプペポマミムメモヤユヨラリルレロワヲンヴ",
        (  # noqa: SIM905
            "a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo ta chi "
            "tsu te to da ji zu de do na ni nu ne no ha hi fu he ho ba bi bu be bo pa pi pu "
            "pe po ma mi mu me mo ya yu yo ra ri ru re ro wa o n vu"
        ).split(),
        strict=True,
    )
)
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_SMALL_VOWELS = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}


def fold(text: str) -> str:
    """`text` as the scorer reads it: Latin letters without case or accents, Hangul and
    kana spelled in Latin letters, hyphens and apostrophes inside words dropped."""
    if text.isascii():
        text = text.lower()
        return _JOINER.sub("", text) if "-" in text or "'" in text else text
    # NFKC first: full-width letters are letters, and Hangul jamo make syllables.
    text = unicodedata.normalize("NFKC", text)
    text = _HANGUL.sub(lambda found: "".join(map(_syllable, found.group())), text)
    text = _KANA.sub(lambda found: _kana(found.group()), text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _JOINER.sub("", text)


def _syllable(char: str) -> str:
    index = ord(char) - 0xAC00
    initial, rest = divmod(index, 21 * 28)
    vowel, final = divmod(rest, 28)
    lead = _INITIALS[initial].strip("_")
    return f"{lead}{_VOWELS[vowel]}{_FINALS[final]}"


def _kana(run: str) -> str:
    """A run of kana in Hepburn (small ya/yu/yo, small vowels and the small tsu included;
    the long-vowel mark is dropped)."""
    spelled: list[str] = []
    double = False
    for char in run:
        if "\u3041" <= char <= "\u3096":
            char = chr(ord(char) + 0x60)  # hiragana to katakana
        if char == "ッ":
            double = True
            continue
        if char in _SMALL_Y and spelled and spelled[-1].endswith("i"):
            base = spelled[-1][:-1]
            spelled[-1] = base + ("" if base.endswith(("sh", "ch", "j")) else "y") + _SMALL_Y[char]
        elif char in _SMALL_VOWELS and spelled:
            spelled[-1] = spelled[-1][:-1] + _SMALL_VOWELS[char]
        elif char in _KANA_SOUNDS:
            sound = _KANA_SOUNDS[char]
            spelled.append(sound[0] + sound if double and sound[0] not in "aiueon" else sound)
            double = False
    return "".join(spelled)


def features(text: str) -> set[str]:
    """The words of `text` (each followed by a space, so that it is never one of the
    trigrams), the trigrams of their sounds, each word run into the next (so that "Nam
    On-jo" meets "남온조"), and pairs of characters for Han runs."""
    folded = fold(text)
    words = [
        word
        for word in _TOKEN.findall(folded)
        if word not in STOP_WORDS and (len(word) > 1 or word.isdigit() or word >= "\u2e80")
    ]
    found = {word + " " for word in words}
    if not folded.isascii():
        for word in [word for word in words if word[0] >= "\u2e80"]:
            words.remove(word)
            found.update(word[start : start + 2] for start in range(len(word) - 1))
    run = _sound("".join(words))
    found.update(run[start : start + 3] for start in range(len(run) - 2))
    return found


def _sound(letters: str) -> str:
    """Letters as they sound, roughly: the ways one Korean or Japanese name is spelled in
    Latin letters meet ("Yoon Chan-young" and the romanized "Yun Chan-yeong" are both
    "yunjanyong"). Only trigrams use it; words count as spelled."""
    for spelled, sound in _SOUNDS:
        if spelled in letters:
            letters = letters.replace(spelled, sound)
    return _Y_VOWEL.sub("i", letters) if "y" in letters else letters


_Y_VOWEL = re.compile("y(?![aeiou])")  # "hybrid" sounds as "híbrido" does
_SOUNDS = [
    ("eo", "o"), ("oo", "u"), ("ee", "i"), ("ou", "o"), ("sh", "s"), ("ch", "j"),
    ("ph", "p"), ("l", "r"), ("p", "b"), ("k", "g"), ("t", "d"), ("f", "b"), ("rr", "r"),
    ("gg", "g"), ("dd", "d"), ("bb", "b"), ("ss", "s"), ("jj", "j"),
]  # fmt: skip


@dataclass(frozen=True)
class Suggested:
    """A claim a lead may be about: its id, text, status and score (out of 100)."""

    claim: str
    text: str
    status: str
    score: int


def suggest(
    leads: Sequence[tuple[str, str]], claims: Mapping[str, Mapping[str, Any]]
) -> list[list[Suggested]]:
    """The claims each lead (its title and summary) may be about (see the module), of
    `claims`, stored claim records by id."""
    if not leads:
        return []
    wanted = [features(title) | features(summary) for title, summary in leads]
    index = _Index(claims, set().union(*wanted))
    return [index.suggested(lead) for lead in wanted]


class _Index:
    """The claims' vectors, built once for every lead of a request: their norms, and the
    claims holding each feature some lead has. A claim's feature weighs its IDF, or half
    of it when only the topic or a tag holds it."""

    def __init__(self, claims: Mapping[str, Mapping[str, Any]], wanted: set[str]) -> None:
        self.ids = list(claims)
        self.claims = list(claims.values())
        label_features = _Memo()
        texts = [features(claim["text"]) for claim in self.claims]
        labels = [
            label_features.of(_labels(claim)) - text
            for claim, text in zip(self.claims, texts, strict=True)
        ]
        count = len(self.claims)
        frequency = Counter(chain(chain.from_iterable(texts), chain.from_iterable(labels)))
        common = max(COMMON_FLOOR, count // 50)
        self.idf = {
            feature: math.log((count + 1) / (seen + 1)) + 1.0
            for feature, seen in frequency.items()
            if seen <= common
        }
        self.unseen = UNSEEN_WEIGHT * (math.log(count + 1) + 1.0)
        square = {feature: idf * idf for feature, idf in self.idf.items()}
        zeros = repeat(0.0)
        self.norms = [
            math.sqrt(
                sum(map(square.get, text, zeros))
                + TAG_WEIGHT**2 * sum(map(square.get, label, zeros))
            )
            for text, label in zip(texts, labels, strict=True)
        ]
        searched = wanted & square.keys()
        self.in_text: dict[str, list[int]] = {feature: [] for feature in searched}
        self.in_label: dict[str, list[int]] = {feature: [] for feature in searched}
        for position, (text, label) in enumerate(zip(texts, labels, strict=True)):
            for feature in text & searched:
                self.in_text[feature].append(position)
            for feature in label & searched:
                self.in_label[feature].append(position)

    def suggested(self, lead: set[str]) -> list[Suggested]:
        scores: dict[int, float] = {}
        known = lead & self.idf.keys()
        for feature in known:
            square = self.idf[feature] ** 2
            for position in self.in_text[feature]:
                scores[position] = scores.get(position, 0.0) + square
            half = square * TAG_WEIGHT
            for position in self.in_label[feature]:
                scores[position] = scores.get(position, 0.0) + half
        if not scores:
            return []
        norm = math.sqrt(
            sum(self.idf[feature] ** 2 for feature in known)
            + (len(lead) - len(known)) * self.unseen**2
        )
        found = []
        for position, dot in scores.items():
            score = round(100 * dot / (norm * self.norms[position]))
            if score >= THRESHOLD:
                claim = self.claims[position]
                found.append(Suggested(self.ids[position], claim["text"], claim["status"], score))
        found.sort(key=lambda item: (item.status not in OPEN, -item.score, item.claim))
        return found[:LIMIT]


class _Memo:
    """The features of topics and tags, which many claims share, worked out once each."""

    def __init__(self) -> None:
        self._known: dict[str, set[str]] = {}

    def of(self, parts: list[str]) -> set[str]:
        found: set[str] = set()
        for part in parts:
            if part not in self._known:
                self._known[part] = features(part)
            found |= self._known[part]
        return found


def _labels(claim: Mapping[str, Any]) -> list[str]:
    """A claim's topic and tags, a tag's hyphens as spaces ("release-date")."""
    return [claim["topic"], *(tag.replace("-", " ") for tag in claim.get("tags", ()))]
