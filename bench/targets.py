"""The targets mockd must reach, as ratios mockd/WireMock (both with default flags, same machine, same load).

A PROPOSAL from the first measurements (see NOTES.md); the lead confirms or changes the numbers.
`higher`: the ratio must be at least the value (throughput); `lower`: at most the value (latency,
memory, start time). Figures without a target are reported but not judged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    ratio: float
    better: str  # "higher" | "lower"

    def met(self, ratio: float | None) -> bool | None:
        if ratio is None:
            return None
        return ratio >= self.ratio if self.better == "higher" else ratio <= self.ratio

    def __str__(self) -> str:
        return f"{'>=' if self.better == 'higher' else '<='}{self.ratio:g}"


TARGETS: dict[str, Target] = {
    # one process; WireMock's cold JVM is slow, its warm JIT is fast
    "static.cold.rps": Target(1.0, "higher"),
    "static.warm.rps": Target(0.5, "higher"),
    "static.warm.p99_ms": Target(1.0, "lower"),
    "template.cold.rps": Target(1.0, "higher"),
    "template.warm.rps": Target(0.5, "higher"),
    # the indexed store must beat WireMock's scan outright
    "stubs5k.warm.rps": Target(5.0, "higher"),
    "stubs10k.warm.rps": Target(5.0, "higher"),
    "unmatched10k.warm.rps": Target(5.0, "higher"),
    # fast start and bounded memory are selling points
    "start.1 file.s": Target(0.5, "lower"),
    "start.5,000 files.s": Target(1.0, "lower"),
    "rss.idle.mib": Target(0.5, "lower"),
    "rss.after.mib": Target(0.25, "lower"),
}
