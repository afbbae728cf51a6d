"""verify(): how many requests were expected, and the failure text WireMock users know: the pattern,
the requests received, and the near misses drawn as expected | actual tables."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockd.client.report import listing, near_miss_diff, served_line

NEAR_MISSES_SHOWN = 3


@dataclass(frozen=True)
class Expectation:
    at_least: int
    at_most: int | None

    @staticmethod
    def of(count: int | None, at_least: int | None, at_most: int | None) -> Expectation:
        if count is not None and (at_least is not None or at_most is not None):
            raise ValueError("give count, or at_least and/or at_most, not both")
        for label, value in (("count", count), ("at_least", at_least), ("at_most", at_most)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ValueError(f"{label} must be an integer >= 0, got {value!r}")
        if count is not None:
            return Expectation(count, count)
        if at_least is None and at_most is None:
            return Expectation(1, None)  # WireMock's verify(pattern): at least one
        low = at_least or 0
        if at_most is not None and at_most < low:
            raise ValueError(f"at_most ({at_most}) is below at_least ({low})")
        return Expectation(low, at_most)

    def met_by(self, count: int) -> bool:
        return count >= self.at_least and (self.at_most is None or count <= self.at_most)

    def describe(self) -> str:
        low, high = self.at_least, self.at_most
        if low == high:
            return f"exactly {_requests(low)}"
        if high is None:
            return f"at least {_requests(low)}"
        if low == 0:
            return f"at most {_requests(high)}"
        return f"between {low} and {_requests(high)}"


def _requests(n: int) -> str:
    return f"{n} request" + ("" if n == 1 else "s")


def failure_message(
    pattern: Mapping[str, Any],
    expectation: Expectation,
    count: int,
    events: Sequence[Mapping[str, Any]] | str,
    near_misses: Sequence[Mapping[str, Any]] | str,
) -> str:
    """`events`: ServeEvents oldest first (or why they could not be read); `near_misses`: the server's
    near misses for the pattern (or why not)."""
    parts = [
        f"Expected {expectation.describe()} matching the pattern below, but received {count}.",
        json.dumps(pattern, indent=2, default=str),
        "",
    ]
    if isinstance(events, str):
        parts.append(f"Requests received: unknown ({events})")
    else:
        parts.append(f"Requests received ({len(events)}, oldest first):")
        parts.append(listing([served_line(e) for e in events]))
    if count < expectation.at_least:
        parts.append("")
        if isinstance(near_misses, str):
            parts.append(f"Near misses: unknown ({near_misses})")
        else:
            close = [n for n in near_misses if _distance(n) > 0][:NEAR_MISSES_SHOWN]
            if close:
                parts.append("Closest requests to the pattern (near misses):")
                for miss in close:
                    parts.append(f"distance {_distance(miss):.3f}:")
                    parts.append(near_miss_diff(pattern, miss.get("request") or {}))
            else:
                parts.append("No near misses: no request came close to the pattern.")
    return "\n".join(parts).rstrip() + "\n"


def _distance(near_miss: Mapping[str, Any]) -> float:
    result = near_miss.get("matchResult") or {}
    value = result.get("distance", 1.0)
    return float(value) if isinstance(value, int | float) else 1.0
