"""Find the claims we know in a piece of clinic marketing text.

A pure module (stdlib + snowballstemmer): no Django, no ORM. The view and the JSON API load
treatments and claims from the database, build one `ClaimIndex` and reuse it for many texts.

Matching rules
--------------
* Text is split into word tokens with a regex that keeps each token's character span in the
  original text; hyphens and other punctuation separate tokens, apostrophes inside a word are
  dropped ("clinic's" -> "clinics"), and digits are tokens of their own.
* Each token is normalised: case-folded, accents removed, number words zero..twelve mapped to
  digits ("two" == "2"), then stemmed with the Snowball English stemmer.
* A phrase is reduced to its content stems: stop-words ("the", "a", "of", "your", "away" ...)
  are ignored, unless the phrase has nothing else. A phrase with a hyphenated compound
  ("anti-aging") also gets a joined variant ("antiaging").
* A phrase matches when all of its content stems (with multiplicity) occur, in any order, in a
  run of at most ``len(phrase tokens) + 2`` consecutive tokens inside one sentence (sentences end
  at . ! ? and line breaks; a point between two digits, as in "1.5", does not end a sentence).
  The reported span runs from the first to the last matched token of the tightest such run.
* Phrases are indexed by their rarest stem, so only phrases whose anchor stem occurs in the text
  are ever examined; each is then located from the occurrences of its stem rarest in the text.
* Treatment names and aliases are found the same way. A claim occurrence is attributed to the
  nearest named treatment at or before it (else the first named after it) among the treatments
  that have a claim with that phrase; if none of them is named, to all of them.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

__all__ = ["CheckResult", "ClaimIndex", "ClaimTerms", "Match", "TreatmentTerms", "tokenize"]


@dataclass(frozen=True)
class TreatmentTerms:
    slug: str
    names: tuple[str, ...]  # treatment name + aliases


@dataclass(frozen=True)
class ClaimTerms:
    claim_id: int
    treatment_slug: str
    phrases: tuple[str, ...]  # the claim statement + its alternative wordings


@dataclass(frozen=True)
class Match:
    claim_id: int
    treatment_slug: str
    start: int  # character offsets in the original text: text[start:end] == matched_text
    end: int
    matched_text: str


@dataclass(frozen=True)
class CheckResult:
    matches: tuple[Match, ...]  # ordered by start offset
    treatments_named: tuple[str, ...]  # slugs, in order of first mention
    no_treatment_named: bool


# --------------------------------------------------------------------------- tokenising

# A word: letters/digits, possibly with combining marks (decomposed accents), possibly joined by
# an apostrophe ("don't", "clinic\u2019s"). Hyphens, dashes and all other punctuation split words.
_LETTER = r"[^\W_]"
_MARK = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_PART = rf"{_LETTER}(?:{_LETTER}|{_MARK})*"
_APOSTROPHE_CHARS = "'\u2019\u02bc"  # ASCII, right single quote, modifier letter
_TOKEN_RE = re.compile(rf"{_PART}(?:[{_APOSTROPHE_CHARS}]{_PART})*")
_APOSTROPHES = str.maketrans("", "", _APOSTROPHE_CHARS)

# Sentence ends: . ! ? (and their full-width / ellipsis forms) and every kind of line break.
# A point between two digits ("1.5 sessions") is a decimal point, not a sentence end.
_SENTENCE_END_RE = re.compile(
    r"(?<!\d)\.|\.(?!\d)"
    "|[!?\u2026\u203c\u2047-\u2049\u3002\uff01\uff1f\uff61"
    "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]"
)

# A hyphen between two letters inside a phrase, for the joined variant ("anti-aging").
_COMPOUND_HYPHEN_RE = re.compile(r"(?<=[^\W_])[-\u2010\u2011](?=[^\W_])")

STOP_WORDS = frozenset(
    """
    a an the this that these those it its it's
    of to in into on onto at by for from with as than about
    and or but so
    is are be been being was were will would can could may might do does
    you your yours youre my our ours their his her
    away just very really only also even too some any up off out
    """.replace("'", "").split()
)

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}

_local = threading.local()


def _stemmer():
    # Snowball stemmer objects keep state while stemming: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def _fold(word: str) -> str:
    """Case-fold, strip accents and apostrophes."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    return word.translate(_APOSTROPHES)


@lru_cache(maxsize=65536)
def _normalise(word: str) -> tuple[str, str]:
    """Return (folded word, stem) for one raw token."""
    folded = _fold(word)
    if folded.isdecimal() and len(folded) <= 30:
        return folded, str(int(folded))  # "02" == "2", and other scripts' digits
    if folded in _NUMBER_WORDS:
        return folded, _NUMBER_WORDS[folded]
    return folded, _stemmer().stemWord(folded)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split text into (stem, start, end) tokens; text[start:end] is the raw token."""
    return [(_normalise(m.group())[1], m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


# --------------------------------------------------------------------------- phrases


@dataclass
class _Pattern:
    """One normalised phrase: content stems with counts, and the token window they may span."""

    need: tuple[tuple[str, int], ...]
    stems: frozenset[str]
    size: int  # number of content tokens
    window: int  # longest run of text tokens an occurrence may cover
    payload: set  # what a hit means (claim keys, or treatment slugs)


def _phrase_variants(phrase: str) -> list[tuple[list[str], int]]:
    """Content stems and full token count of a phrase, plus its joined-compound variant."""
    variants = [phrase]
    joined = _COMPOUND_HYPHEN_RE.sub("", phrase)
    if joined != phrase:
        variants.append(joined)
    result = []
    for variant in variants:
        words = [_normalise(m.group()) for m in _TOKEN_RE.finditer(variant)]
        if not words:
            continue
        content = [stem for folded, stem in words if folded not in STOP_WORDS]
        result.append((content or [stem for _, stem in words], len(words)))
    return result


class _PhraseSet:
    """Phrases indexed by their rarest stem, matched against a tokenised document."""

    def __init__(self, entries: Iterable[tuple[str, object]]):
        patterns: dict[tuple[str, ...], _Pattern] = {}
        for phrase, payload in entries:
            for content, length in _phrase_variants(phrase):
                key = tuple(sorted(content))
                pattern = patterns.get(key)
                if pattern is None:
                    counts = Counter(content)
                    pattern = patterns[key] = _Pattern(
                        need=tuple(sorted(counts.items())),
                        stems=frozenset(counts),
                        size=len(content),
                        window=length + 2,
                        payload=set(),
                    )
                pattern.window = max(pattern.window, length + 2)
                pattern.payload.add(payload)

        frequency = Counter(stem for p in patterns.values() for stem in p.stems)
        self._by_anchor: dict[str, list[_Pattern]] = defaultdict(list)
        for pattern in patterns.values():
            anchor = min(pattern.stems, key=lambda s: (frequency[s], -len(s), s))
            self._by_anchor[anchor].append(pattern)

    def find(self, doc: _Document) -> list[tuple[int, int, _Pattern]]:
        """All occurrences as (first token, last token, pattern)."""
        hits = []
        for anchor in doc.positions.keys() & self._by_anchor.keys():
            for pattern in self._by_anchor[anchor]:
                if not pattern.stems <= doc.stem_set:
                    continue
                # Walk the occurrences of whichever of its stems is rarest in this text.
                driver = min(pattern.stems, key=lambda stem: len(doc.positions[stem]))
                seen = set()
                for i in doc.positions[driver]:
                    span = _locate(doc, pattern, i)
                    if span is not None and span not in seen:
                        seen.add(span)
                        hits.append((span[0], span[1], pattern))
        return hits


class _Document:
    def __init__(self, text: str):
        tokens = tokenize(text)
        self.stems = [stem for stem, _, _ in tokens]
        self.starts = [start for _, start, _ in tokens]
        self.ends = [end for _, _, end in tokens]
        self.stem_set = frozenset(self.stems)
        self.positions: dict[str, list[int]] = defaultdict(list)
        for i, stem in enumerate(self.stems):
            self.positions[stem].append(i)

        # First and last token index of the sentence each token belongs to.
        breaks = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
        sentence = [bisect_right(breaks, start) for start in self.starts]
        self.sentence_first = [0] * len(tokens)
        self.sentence_last = [0] * len(tokens)
        i = 0
        while i < len(tokens):
            j = i
            while j + 1 < len(tokens) and sentence[j + 1] == sentence[i]:
                j += 1
            for k in range(i, j + 1):
                self.sentence_first[k] = i
                self.sentence_last[k] = j
            i = j + 1


def _locate(doc: _Document, pattern: _Pattern, i: int) -> tuple[int, int] | None:
    """The shortest run of tokens containing token i and every stem the pattern needs."""
    if pattern.size == 1:
        return (i, i)
    window = pattern.window
    lo = max(doc.sentence_first[i], i - window + 1)
    hi = min(doc.sentence_last[i], i + window - 1)
    near = []
    for stem, count in pattern.need:
        positions = doc.positions[stem]
        a, b = bisect_left(positions, lo), bisect_right(positions, hi)
        if b - a < count:
            return None
        near.extend((p, stem) for p in positions[a:b])
    near.sort()

    best = None
    for x, (first, _) in enumerate(near):
        if first > i:
            break
        missing = dict(pattern.need)
        remaining = pattern.size
        for last, stem in near[x:]:
            if last - first >= window:
                break
            if missing[stem]:
                missing[stem] -= 1
                remaining -= 1
            if not remaining and last >= i:
                if best is None or last - first < best[1] - best[0]:
                    best = (first, last)
                break
    return best


# --------------------------------------------------------------------------- the index


class ClaimIndex:
    """Built once from all treatments and claims, reused for many texts."""

    def __init__(self, treatments: Iterable[TreatmentTerms], claims: Iterable[ClaimTerms]):
        self._names = _PhraseSet(
            (name, treatment.slug) for treatment in treatments for name in treatment.names
        )
        self._claims = _PhraseSet(
            (phrase, (claim.claim_id, claim.treatment_slug))
            for claim in claims
            for phrase in claim.phrases
        )

    def check(self, text: str) -> CheckResult:
        if not isinstance(text, str) or not text.strip():
            return CheckResult(matches=(), treatments_named=(), no_treatment_named=True)
        doc = _Document(text)
        if not doc.stems:
            return CheckResult(matches=(), treatments_named=(), no_treatment_named=True)

        mentions = self._mentions(doc)  # [(char start, slug)] sorted by position
        named_order: list[str] = []
        mentioned_at: dict[str, list[int]] = defaultdict(list)
        for start, slug in mentions:
            if slug not in mentioned_at:
                named_order.append(slug)
            mentioned_at[slug].append(start)

        # Attribute each phrase occurrence to claims, then resolve overlaps claim by claim.
        candidates: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
        for first, last, pattern in self._claims.find(doc):
            start, end = doc.starts[first], doc.ends[last]
            for key in _attribute(pattern.payload, start, mentioned_at):
                candidates[key].append((start, end))

        matches = []
        for (claim_id, slug), spans in candidates.items():
            for start, end in _longest_non_overlapping(spans):
                matches.append(Match(claim_id, slug, start, end, text[start:end]))
        matches.sort(key=lambda m: (m.start, m.end, m.claim_id, m.treatment_slug))
        return CheckResult(
            matches=tuple(matches),
            treatments_named=tuple(named_order),
            no_treatment_named=not named_order,
        )

    def _mentions(self, doc: _Document) -> list[tuple[int, str]]:
        """Treatment mentions; a name inside a longer name of another treatment is dropped."""
        spans: dict[tuple[int, int], set[str]] = defaultdict(set)
        for first, last, pattern in self._names.find(doc):
            spans[(first, last)] |= pattern.payload
        ordered = sorted(spans, key=lambda span: (span[0], -span[1]))
        kept = []
        reach = -1  # furthest last token among earlier (hence longer or earlier) spans
        for span in ordered:
            if span[1] > reach:  # not inside a longer mention
                kept.extend((doc.starts[span[0]], slug) for slug in sorted(spans[span]))
            reach = max(reach, span[1])
        return kept


def _attribute(payload: set, start: int, mentioned_at: dict[str, list[int]]) -> list:
    """Which (claim_id, slug) pairs an occurrence at `start` is reported for."""
    named = [key for key in payload if key[1] in mentioned_at]
    if not named:
        # No treatment named, or none of the named ones has this phrase: report them all.
        return sorted(payload)
    best_slugs: set[str] = set()
    best_before = -1  # latest mention at or before the match
    best_after = None  # earliest mention after the match
    for slug in {key[1] for key in named}:
        starts = mentioned_at[slug]
        k = bisect_right(starts, start)
        if k:
            before = starts[k - 1]
            if before > best_before:
                best_before, best_slugs = before, {slug}
            elif before == best_before:
                best_slugs.add(slug)
        elif best_before < 0:
            after = starts[bisect_left(starts, start)]
            if best_after is None or after < best_after:
                best_after, best_slugs = after, {slug}
            elif after == best_after:
                best_slugs.add(slug)
    return sorted(key for key in named if key[1] in best_slugs)


def _longest_non_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the longest of overlapping spans (ties: the earliest)."""
    kept: list[tuple[int, int]] = []  # non-overlapping, sorted by start
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        k = bisect_left(kept, (start, end))
        if k and kept[k - 1][1] > start:
            continue
        if k < len(kept) and kept[k][0] < end:
            continue
        kept.insert(k, (start, end))
    return kept
