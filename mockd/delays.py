"""Response delays: a stub's fixed delay and its distribution (uniform, lognormal), with the global ones."""

from __future__ import annotations

import math
import random

from mockd.stubs.model import DelayKind, DelaySpec, GlobalSettings, ResponseDefinition


def sample(spec: DelaySpec, rng: random.Random | None = None) -> float:
    """One delay in whole milliseconds. Uniform bounds are inclusive; a lognormal value above `maxValue`
    is drawn again, up to 10 times, then capped (WireMock 3.13)."""
    r = rng or random
    if spec.kind is DelayKind.FIXED:
        return float(spec.milliseconds)
    if spec.kind is DelayKind.UNIFORM:
        return float(r.randint(spec.lower, spec.upper))
    value = spec.median * math.exp(spec.sigma * r.gauss(0.0, 1.0))
    if spec.max_value is not None:
        for _ in range(10):
            if value <= spec.max_value:
                break
            value = spec.median * math.exp(spec.sigma * r.gauss(0.0, 1.0))
        value = min(value, spec.max_value)
    return float(round(value))


def delay_for(rd: ResponseDefinition, gs: GlobalSettings, rng: random.Random | None = None) -> float:
    """A stub's fixed delay replaces the global one, its distribution the global one; the two add up."""
    fixed = rd.fixed_delay_ms if rd.fixed_delay_ms is not None else (gs.fixed_delay_ms or 0)
    dist = rd.delay_distribution or gs.delay_distribution
    return float(fixed) + (sample(dist, rng) if dist is not None else 0.0)
