"""Delays (spec §3): fixedDelayMilliseconds, delayDistribution, global settings, chunkedDribbleDelay;
sampled with a seeded RNG, measured over real sockets, and never blocking the event loop."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import math
import random
import statistics
import time
from typing import Any

import aiohttp
import httpx
import pytest

from mockd.delays import delay_for, sample
from mockd.embedded import EmbeddedServer
from mockd.stubs.codec import delay_from_json, response_from_json, settings_from_json
from mockd.stubs.model import DelayKind, DelaySpec

# On a loaded 2-core box a request may take a while on top of its delay; these bounds stay generous
# while still telling "delayed" from "not delayed".
SLACK = 2.0


def stub(http: httpx.Client, mapping: dict[str, Any]) -> dict[str, Any]:
    r = http.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def timed_get(http: httpx.Client, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    r = http.get(path)
    return r, time.monotonic() - started


def added_delays(server: EmbeddedServer) -> list[int]:
    """timing.addedDelay of every journaled request, oldest first (read on the server's loop)."""
    events = server.call(lambda: list(server.core.journal.oldest_first()))
    return [e.timing.added_delay_ms for e in events]


# -- sampling (unit, seeded) -----------------------------------------------------------------------


def test_fixed_distribution() -> None:
    spec = delay_from_json({"type": "fixed", "milliseconds": 70}, "")
    assert sample(spec, random.Random(1)) == 70.0


def test_uniform_is_inclusive_and_flat() -> None:
    rng = random.Random(42)
    spec = delay_from_json({"type": "uniform", "lower": 10, "upper": 20}, "")
    values = [sample(spec, rng) for _ in range(5000)]
    assert set(values) == {float(v) for v in range(10, 21)}  # both bounds reached, whole ms
    assert abs(statistics.fmean(values) - 15.0) < 0.3
    counts = [values.count(float(v)) for v in range(10, 21)]
    assert min(counts) > 5000 / 11 * 0.75


def test_lognormal_median_and_spread() -> None:
    rng = random.Random(7)
    spec = delay_from_json({"type": "lognormal", "median": 90, "sigma": 0.4}, "")
    values = [sample(spec, rng) for _ in range(20_000)]
    assert all(v == int(v) and v > 0 for v in values)
    assert abs(statistics.median(values) - 90) < 90 * 0.03
    logs = [math.log(v) for v in values]
    assert abs(statistics.fmean(logs) - math.log(90)) < 0.02
    assert abs(statistics.stdev(logs) - 0.4) < 0.02
    # one sigma above the median in log space: P(Z > 1) = 15.9 %
    above = sum(v > 90 * math.exp(0.4) for v in values) / len(values)
    assert 0.14 < above < 0.18


def test_lognormal_max_value_resamples_then_caps() -> None:
    rng = random.Random(3)
    spec = delay_from_json({"type": "lognormal", "median": 100, "sigma": 1.0, "maxValue": 150}, "")
    values = [sample(spec, rng) for _ in range(20_000)]
    assert max(values) <= 150
    # a value above the cap is drawn again (P(above) = 0.34 each time), so hardly any end up capped:
    # a plain clamp would put about a third of them at exactly 150
    assert values.count(150.0) < len(values) * 0.01
    assert statistics.median(values) < 100  # the resampled distribution is the truncated one
    always_capped = DelaySpec(DelayKind.LOGNORMAL, median=1000, sigma=0.0001, max_value=1000)
    assert sample(always_capped, rng) <= 1000


def test_lognormal_sigma_zero_is_the_median() -> None:
    spec = delay_from_json({"type": "lognormal", "median": 250, "sigma": 0}, "")
    assert sample(spec, random.Random(0)) == 250.0


@pytest.mark.parametrize(
    ("response", "settings", "expected"),
    [
        ({}, {}, (0, 0)),
        ({"fixedDelayMilliseconds": 120}, {}, (120, 120)),
        ({}, {"fixedDelay": 300}, (300, 300)),
        # the stub's fixed delay replaces the global one (0 included); they do not add up
        ({"fixedDelayMilliseconds": 100}, {"fixedDelay": 1500}, (100, 100)),
        ({"fixedDelayMilliseconds": 0}, {"fixedDelay": 1500}, (0, 0)),
        # the stub's distribution replaces the global one
        (
            {"delayDistribution": {"type": "uniform", "lower": 10, "upper": 20}},
            {"delayDistribution": {"type": "fixed", "milliseconds": 5000}},
            (10, 20),
        ),
        # a fixed delay and a distribution add up, whichever level each comes from
        (
            {
                "fixedDelayMilliseconds": 250,
                "delayDistribution": {"type": "uniform", "lower": 250, "upper": 300},
            },
            {},
            (500, 550),
        ),
        (
            {"fixedDelayMilliseconds": 50},
            {"delayDistribution": {"type": "fixed", "milliseconds": 7}},
            (57, 57),
        ),
        ({"delayDistribution": {"type": "fixed", "milliseconds": 7}}, {"fixedDelay": 40}, (47, 47)),
        ({}, {"fixedDelay": 40, "delayDistribution": {"type": "uniform", "lower": 1, "upper": 3}}, (41, 43)),
    ],
)
def test_delay_for_override_and_add_up(
    response: dict[str, Any], settings: dict[str, Any], expected: tuple[int, int]
) -> None:
    rd = response_from_json({"status": 200, **response}, "/response")
    gs = settings_from_json(settings)
    rng = random.Random(11)
    values = {delay_for(rd, gs, rng) for _ in range(200)}
    lo, hi = expected
    assert all(lo <= v <= hi for v in values), values
    if lo != hi:
        assert len(values) > 1  # really sampled, not a constant


# -- measured over HTTP ----------------------------------------------------------------------------


def test_fixed_delay_is_measured_and_journaled(server: EmbeddedServer, http: httpx.Client) -> None:
    stub(http, {"request": {"url": "/slow"}, "response": {"body": "slow", "fixedDelayMilliseconds": 400}})
    stub(http, {"request": {"url": "/fast"}, "response": {"body": "fast"}})
    r, elapsed = timed_get(http, "/slow")
    assert r.text == "slow"
    assert 0.4 <= elapsed < 0.4 + SLACK
    r, fast = timed_get(http, "/fast")
    assert r.text == "fast"
    assert fast < 0.3
    assert added_delays(server) == [400, 0]


def test_global_fixed_delay_and_stub_override(server: EmbeddedServer, http: httpx.Client) -> None:
    assert http.post("/__admin/settings", json={"fixedDelay": 400}).status_code == 200
    stub(http, {"request": {"url": "/global"}, "response": {"body": "g"}})
    stub(http, {"request": {"url": "/own"}, "response": {"body": "o", "fixedDelayMilliseconds": 50}})
    _, elapsed = timed_get(http, "/global")
    assert 0.4 <= elapsed < 0.4 + SLACK
    _, own = timed_get(http, "/own")
    assert 0.05 <= own < 0.4  # its own 50 ms, not the global 400 ms, not both
    assert added_delays(server) == [400, 50]
    # settings are replaced as a whole: an empty object removes the global delay
    assert http.post("/__admin/settings", json={}).status_code == 200
    _, elapsed = timed_get(http, "/global")
    assert elapsed < 0.3
    assert added_delays(server)[-1] == 0


def test_global_distribution_adds_to_stub_fixed_delay(server: EmbeddedServer, http: httpx.Client) -> None:
    settings = {"settings": {"delayDistribution": {"type": "uniform", "lower": 150, "upper": 200}}}
    assert http.post("/__admin/settings", json=settings).status_code == 200
    assert http.get("/__admin/settings").json()["settings"]["delayDistribution"] == {
        "type": "uniform",
        "lower": 150,
        "upper": 200,
    }
    stub(http, {"request": {"url": "/both"}, "response": {"body": "b", "fixedDelayMilliseconds": 150}})
    _, elapsed = timed_get(http, "/both")
    (added,) = added_delays(server)
    assert 300 <= added <= 350
    assert added / 1000 <= elapsed < added / 1000 + SLACK


def test_stub_distributions_measured(server: EmbeddedServer, http: httpx.Client) -> None:
    stub(
        http,
        {
            "request": {"url": "/uniform"},
            "response": {"body": "u", "delayDistribution": {"type": "uniform", "lower": 200, "upper": 300}},
        },
    )
    lognormal = {"type": "lognormal", "median": 150, "sigma": 0.5, "maxValue": 250}
    stub(http, {"request": {"url": "/lognormal"}, "response": {"body": "l", "delayDistribution": lognormal}})
    elapsed = [timed_get(http, path)[1] for path in ("/uniform", "/lognormal", "/lognormal")]
    added = added_delays(server)
    assert 200 <= added[0] <= 300
    assert all(0 < a <= 250 for a in added[1:])
    for a, e in zip(added, elapsed):
        assert a / 1000 <= e < a / 1000 + SLACK


# -- chunked dribble -------------------------------------------------------------------------------


def test_dribble_sends_n_chunks_spread_over_the_duration(
    server: EmbeddedServer, http: httpx.Client, raw: Any
) -> None:
    body = "0123456789abcdefghij"
    dribble = {"numberOfChunks": 5, "totalDuration": 1000}
    stub(http, {"request": {"url": "/dribble"}, "response": {"body": body, "chunkedDribbleDelay": dribble}})
    result = raw(server.url, "/dribble")
    assert result.status == 200
    assert b"transfer-encoding: chunked" in result.head.lower()
    chunks = result.body_chunks()
    assert [c for _, c in chunks] == [b"0123", b"4567", b"89ab", b"cdef", b"ghij"]
    times = [t for t, _ in chunks]
    # WireMock sleeps totalDuration/n (200 ms) before each chunk: chunk i arrives at about i * 200 ms
    assert times[0] >= 0.15
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(g >= 0.15 for g in gaps), gaps
    assert 0.95 <= times[-1] < 1.0 + SLACK
    assert added_delays(server) == [0]  # dribbling is not an added delay


def test_dribble_after_delay_with_gzip_and_more_chunks_than_bytes(
    server: EmbeddedServer, http: httpx.Client, raw: Any
) -> None:
    short = {"numberOfChunks": 10, "totalDuration": 300}
    stub(http, {"request": {"url": "/short"}, "response": {"body": "abc", "chunkedDribbleDelay": short}})
    result = raw(server.url, "/short")
    chunks = result.body_chunks()
    assert [c for _, c in chunks] == [b"a", b"b", b"c"]  # n becomes the body length
    assert chunks[-1][0] >= 0.28  # still spread over the whole duration

    text = "x" * 5000
    slow = {"numberOfChunks": 4, "totalDuration": 400}
    response = {"body": text, "fixedDelayMilliseconds": 200, "chunkedDribbleDelay": slow}
    stub(http, {"request": {"url": "/zipped"}, "response": response})
    result = raw(server.url, "/zipped", headers=(("Accept-Encoding", "gzip"),))
    assert b"content-encoding: gzip" in result.head.lower()
    chunks = result.body_chunks()
    assert len(chunks) == 4
    assert gzip.decompress(b"".join(c for _, c in chunks)).decode() == text
    assert chunks[0][0] >= 0.2 + 0.09  # the delay first, then a pause before the first chunk
    assert chunks[-1][0] >= 0.58
    # ordinary clients get the whole body
    assert http.get("/zipped").text == text


# -- delays never block the event loop -------------------------------------------------------------


@pytest.mark.slow
def test_500_concurrent_delayed_requests_do_not_block(server: EmbeddedServer, http: httpx.Client) -> None:
    n, delay = 500, 1.0
    stub(http, {"request": {"url": "/sleepy"}, "response": {"body": "z", "fixedDelayMilliseconds": 1000}})
    stub(http, {"request": {"url": "/quick"}, "response": {"body": "q"}})
    journal = server.core.journal

    async def run() -> tuple[float, float, list[float], float]:
        connector = aiohttp.TCPConnector(limit=n + 1)
        timeout = aiohttp.ClientTimeout(total=20)
        async with aiohttp.ClientSession(server.url, connector=connector, timeout=timeout) as session:
            started = time.monotonic()

            async def slow() -> float:
                async with session.get("/sleepy") as r:
                    assert (r.status, await r.text()) == (200, "z")
                return time.monotonic() - started

            tasks = [asyncio.ensure_future(slow()) for _ in range(n)]
            # wait (bounded) until the server holds every delayed request, then ask for the quick one
            deadline = time.monotonic() + 10
            while len(journal) < n and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            arrived = time.monotonic() - started
            assert len(journal) == n, f"only {len(journal)} of {n} requests reached the server"
            quick_started = time.monotonic()
            async with session.get("/quick") as r:
                assert (r.status, await r.text()) == (200, "q")
            quick = time.monotonic() - quick_started
            done = await asyncio.gather(*tasks)
            return arrived, quick, done, time.monotonic() - started

    arrived, quick, done, total = asyncio.run(run())
    print(f"\n{n} x {delay} s: all arrived {arrived:.3f} s, quick answer {quick * 1000:.0f} ms, "
          f"first done {min(done):.3f} s, last done {max(done):.3f} s, total {total:.3f} s")  # fmt: skip
    assert total < 3.0
    assert min(done) >= delay
    assert quick < 0.25  # answered at once, while 500 requests sleep
    assert arrived + quick < min(done)  # ... and really during their delay
