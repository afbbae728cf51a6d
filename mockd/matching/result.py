"""MatchResult: a graded answer (distance 0..1), never a bare bool."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MatchResult:
    """`exact` is whether it matched; `distance` how far off it is (0 = same, 1 = nothing alike)."""

    exact: bool
    distance: float

    @staticmethod
    def of(matched: bool) -> MatchResult:
        return EXACT if matched else NO_MATCH

    @staticmethod
    def partial(distance: float) -> MatchResult:
        """A non-match with a distance, clamped to (0, 1]."""
        return MatchResult(False, min(1.0, max(distance, 1e-9)))

    def invert(self) -> MatchResult:
        return NO_MATCH if self.exact else EXACT


EXACT = MatchResult(True, 0.0)
NO_MATCH = MatchResult(False, 1.0)


def average(results: Iterable[MatchResult]) -> MatchResult:
    """All must be exact; the distance is the mean. An empty set is an exact match."""
    total = 0.0
    count = 0
    exact = True
    for r in results:
        total += r.distance
        count += 1
        exact = exact and r.exact
    if count == 0:
        return EXACT
    return MatchResult(exact, total / count)


def best(results: Iterable[MatchResult]) -> MatchResult:
    """The first exact result, else the closest one (NO_MATCH for none): "any of these matches"."""
    found = NO_MATCH
    for r in results:
        if r.exact:
            return r
        if r.distance < found.distance:
            found = r
    return found


def weighted(results: Iterable[tuple[MatchResult, float]]) -> MatchResult:
    """WireMock's request distance: sum(weight x distance) / sum(weight); exact when all are."""
    total = 0.0
    weights = 0.0
    exact = True
    for r, w in results:
        total += r.distance * w
        weights += w
        exact = exact and r.exact
    if weights == 0:
        return EXACT
    return MatchResult(exact, total / weights)


def levenshtein_distance(a: str, b: str, limit: int = 200) -> float:
    """Normalised Levenshtein distance in [0, 1]. Long strings are compared on a bounded prefix."""
    if a == b:
        return 0.0
    if not a or not b:
        return 1.0
    a2, b2 = a[:limit], b[:limit]
    return min(1.0, edit_distance(a2, b2) / max(len(a2), len(b2)))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein edit distance, bit-parallel (Myers 1999 / Hyyrö 2003): one pass over `b` with a
    few integer operations per character, each on len(a)-bit integers, instead of a len(a) x len(b)
    table of Python operations."""
    if len(a) < len(b):
        a, b = b, a  # the longer string is the bit vector: fewer loop turns
    m = len(a)
    if m == 0:
        return len(b)
    peq: dict[str, int] = {}
    bit = 1
    for ch in a:
        peq[ch] = peq.get(ch, 0) | bit
        bit <<= 1
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score
