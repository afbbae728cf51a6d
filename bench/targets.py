"""The targets of the performance issue, as the report judges them.

Each target bounds one figure (a `Figure.key` from run.py) in one of three ways:

- `vs="wiremock"`: mockd's value / WireMock's value, both measured in the same run (a ratio);
- `vs="absolute"`: mockd's own value, in the figure's unit (req/s, ms, s, MiB);
- `vs=<another figure key>`: mockd's value / mockd's value of that figure in the same run
  (e.g. 10,000 stubs against mockd's own one-stub throughput).

A target also says under which conditions it was set (`when`: mockd's `--workers`, the journal
setting, the length of the long phase). A figure measured under other conditions is still judged, but
the verdict is only indicative: the report prints it as `yes?` / `NO?` and the JSON marks it
`applies: false`. A figure can carry several targets; it is met when all of them are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MIB_PER_MB = 1_000_000 / 2**20  # the issue says MB (10^6 bytes); RSS is measured in MiB


@dataclass(frozen=True)
class Target:
    key: str  # the figure it bounds
    op: str  # ">=", "<=", "<"
    bound: float
    vs: str = "wiremock"  # "wiremock" | "absolute" | the key of another mockd figure
    when: Mapping[str, Any] = field(default_factory=dict)  # conditions the target was set under
    label: str = ""  # how to print the bound, when "op bound" is not clear enough
    why: str = ""

    def basis(self, figures: Mapping[str, Any]) -> float | None:
        """The value that is compared with `bound`: a ratio or mockd's own value; None if missing."""
        fig = figures.get(self.key)
        if fig is None or fig.mockd is None:
            return None
        if self.vs == "absolute":
            return float(fig.mockd)
        if self.vs == "wiremock":
            other = fig.wiremock
        else:
            ref = figures.get(self.vs)
            other = None if ref is None else ref.mockd
        if other is None or other == 0:
            return None
        return float(fig.mockd) / float(other)

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        if self.op == ">=":
            return value >= self.bound
        if self.op == "<=":
            return value <= self.bound
        if self.op == "<":
            return value < self.bound
        raise ValueError(f"unknown operator {self.op!r}")

    def applies(self, conditions: Mapping[str, Any]) -> bool:
        """Whether the figure was measured under this target's conditions (`min_` keys are lower bounds)."""
        for name, wanted in self.when.items():
            if name.startswith("min_"):
                have = conditions.get(name.removeprefix("min_"))
                if have is None or have < wanted:
                    return False
            elif conditions.get(name) != wanted:
                return False
        return True

    def __str__(self) -> str:
        bound = self.label or f"{self.bound:g}"
        if self.vs == "wiremock":
            return f"{self.op}{bound}x WM"
        if self.vs == "absolute":
            return f"{self.op}{bound}"
        return f"{self.op}{bound}x {self.vs}"


@dataclass(frozen=True)
class Verdict:
    target: Target
    value: float | None  # the compared value (ratio or absolute)
    met: bool | None
    applies: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": str(self.target),
            "vs": self.target.vs,
            "op": self.target.op,
            "bound": self.target.bound,
            "value": None if self.value is None else round(self.value, 4),
            "met": self.met,
            "applies": self.applies,
        }


# The defaults of both servers: WireMock's unbounded journal, mockd's 10,000 entries; one mockd process.
DEFAULTS: dict[str, Any] = {"journal": "default", "workers": 1}

TARGETS: list[Target] = [
    # static stub, journal on (defaults of both), cold
    Target("static.cold.rps", ">=", 2.0, when=DEFAULTS, why="WireMock's cold JVM is slow"),
    Target("static.cold.p99_ms", "<=", 0.5, when=DEFAULTS),
    # the same, warm: one process >= 0.6x, --workers 2 >= 1.0x (the static_w2 scenario)
    Target("static.warm.rps", ">=", 0.6, when=DEFAULTS, why="WireMock's warm JIT is fast"),
    Target("static.warm.p99_ms", "<=", 0.5, when=DEFAULTS),
    Target("static_w2.warm.rps", ">=", 1.0, when={"journal": "default", "workers": 2}),
    Target("static_w2.warm.p99_ms", "<=", 0.5, when={"journal": "default", "workers": 2}),
    # templating issue: a response echoing two request fields costs less than twice a static one
    Target("template.cold.rps", ">=", 0.5, vs="static.cold.rps", when=DEFAULTS),
    Target("template.warm.rps", ">=", 0.5, vs="static.warm.rps", when=DEFAULTS),
    # 10,000 stubs, the oldest hit: >= 0.8x mockd's own one-stub throughput, and >= 20x WireMock
    Target("stubs10k.cold.rps", ">=", 0.8, vs="static.cold.rps", when=DEFAULTS),
    Target("stubs10k.cold.rps", ">=", 20.0, when=DEFAULTS),
    Target("stubs10k.warm.rps", ">=", 0.8, vs="static.warm.rps", when=DEFAULTS),
    Target("stubs10k.warm.rps", ">=", 20.0, when=DEFAULTS),
    # unmatched with 10,000 stubs (absolute)
    Target("unmatched10k.cold.rps", ">=", 1000.0, vs="absolute", when=DEFAULTS),
    Target("unmatched10k.cold.p50_ms", "<", 10.0, vs="absolute", when=DEFAULTS),
    Target("unmatched10k.warm.rps", ">=", 1000.0, vs="absolute", when=DEFAULTS),
    Target("unmatched10k.warm.p50_ms", "<", 10.0, vs="absolute", when=DEFAULTS),
    # start to first answer (absolute, seconds)
    Target("start.1 file.s", "<=", 0.3, vs="absolute", when={"workers": 1}),
    Target("start.5,000 files.s", "<=", 1.5, vs="absolute", when={"workers": 1}),
    # memory: idle (absolute), and after 1,000,000 requests with the default journal bound (vs own idle)
    Target("rss.idle.mib", "<=", 50 * MIB_PER_MB, vs="absolute", when={"workers": 1}, label="50 MB"),
    Target(
        "rss.after.mib",
        "<=",
        1.5,
        vs="rss.idle.mib",
        when={"workers": 1, "journal_bound": 10_000, "min_long_requests": 1_000_000},
    ),
]


def targets_for(key: str) -> list[Target]:
    return [t for t in TARGETS if t.key == key]


def judge(key: str, figures: Mapping[str, Any], conditions: Mapping[str, Any]) -> list[Verdict]:
    """The verdicts of every target on figure `key` (`figures`: key -> an object with .mockd/.wiremock)."""
    out = []
    for t in targets_for(key):
        value = t.basis(figures)
        out.append(Verdict(t, value, t.met(value), t.applies(conditions)))
    return out
