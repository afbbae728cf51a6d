"""Drive load: wrk (Debian's package) when present, else a bounded aiohttp load generator.

Every run is bounded in time. `run_count` drives at least N requests (and stops at a time bound): wrk
runs in slices sized from the rate measured so far (wrk cannot stop at a count: its main thread always
sleeps the whole -d), the generator counts itself.
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SLICE_MAX_S = 30.0

WRK_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,"connect":%.0f,"read":%.0f,' ..
    '"write":%.0f,"status":%.0f,"timeout":%.0f,"p50_us":%.0f,"p90_us":%.0f,"p99_us":%.0f,' ..
    '"p999_us":%.0f,"max_us":%.0f,"mean_us":%.3f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
"""


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    errors: dict[str, int] = field(default_factory=dict)  # connect/read/write/timeout/status(non-2xx/3xx)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Load:
    threads: int = 2
    connections: int = 50
    timeout_s: float = 10.0
    tool: str = "auto"  # auto | wrk | python

    def resolved_tool(self) -> str:
        if self.tool == "auto":
            return "wrk" if shutil.which("wrk") else "python"
        return self.tool

    def run(
        self, url: str, headers: tuple[tuple[str, str], ...], seconds: float, scratch: Path
    ) -> LoadResult:
        if self.resolved_tool() == "wrk":
            return self._wrk(url, headers, seconds, scratch)
        return asyncio.run(_python_load(url, headers, self.connections, seconds, None, self.timeout_s))

    def run_count(
        self, url: str, headers: tuple[tuple[str, str], ...], requests: int, max_seconds: float, scratch: Path
    ) -> LoadResult:
        """At least `requests` requests (overshoot: ~1 s of load), unless `max_seconds` runs out."""
        if self.resolved_tool() != "wrk":
            return asyncio.run(
                _python_load(url, headers, self.connections, max_seconds, requests, self.timeout_s)
            )
        deadline = time.monotonic() + max_seconds
        slices: list[LoadResult] = []
        done, slice_s = 0, 1.0
        while done < requests and deadline - time.monotonic() >= 1.0:
            res = self._wrk(url, headers, min(slice_s, deadline - time.monotonic()), scratch)
            slices.append(res)
            done += res.requests
            rate = res.requests / res.seconds if res.seconds else 0.0
            # half of what is left at the rate seen, at most twice the last slice: a server that speeds
            # up (JIT) cannot overshoot much
            want = 0.5 * (requests - done) / rate if rate else 1.0
            slice_s = min(SLICE_MAX_S, 2 * slice_s, max(1.0, want))
        return merge(slices)

    def _wrk(
        self, url: str, headers: tuple[tuple[str, str], ...], seconds: float, scratch: Path
    ) -> LoadResult:
        script = scratch / "wrk-done.lua"
        if not script.exists():
            script.write_text(WRK_DONE, encoding="utf-8")
        secs = max(1, math.floor(seconds))
        cmd = ["wrk", f"-t{self.threads}", f"-c{self.connections}", f"-d{secs}s"]
        cmd += [f"--timeout={math.ceil(self.timeout_s)}s", "-s", str(script)]
        for k, v in headers:
            cmd += ["-H", f"{k}: {v}"]
        cmd.append(url)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=secs + 60, check=False)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
        if line is None:
            raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout[-400:]} {out.stderr[-400:]}")
        d = json.loads(line.removeprefix("BENCH_JSON "))
        secs_run = d["duration_us"] / 1e6
        return LoadResult(
            tool="wrk",
            requests=int(d["requests"]),
            seconds=round(secs_run, 3),
            rps=round(d["requests"] / secs_run, 1) if secs_run else 0.0,
            p50_ms=d["p50_us"] / 1000,
            p90_ms=d["p90_us"] / 1000,
            p99_ms=d["p99_us"] / 1000,
            max_ms=d["max_us"] / 1000,
            mean_ms=round(d["mean_us"] / 1000, 3),
            errors={k: int(d[k]) for k in ("connect", "read", "write", "timeout", "status") if d[k]},
        )


def merge(slices: list[LoadResult]) -> LoadResult:
    """Slices of one counted run: summed counts; p50 the median of the slices', p90/p99/max the worst."""
    if not slices:
        return LoadResult("wrk", 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    n = sum(s.requests for s in slices)
    secs = sum(s.seconds for s in slices)
    errors: dict[str, int] = {}
    for s in slices:
        for k, v in s.errors.items():
            errors[k] = errors.get(k, 0) + v
    return LoadResult(
        tool=slices[0].tool,
        requests=n,
        seconds=round(secs, 3),
        rps=round(n / secs, 1) if secs else 0.0,
        p50_ms=statistics.median(s.p50_ms for s in slices),
        p90_ms=max(s.p90_ms for s in slices),
        p99_ms=max(s.p99_ms for s in slices),
        max_ms=max(s.max_ms for s in slices),
        mean_ms=round(sum(s.mean_ms * s.requests for s in slices) / n, 3) if n else 0.0,
        errors=errors,
    )


# -- the fallback generator -----------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


async def _python_load(
    url: str,
    headers: tuple[tuple[str, str], ...],
    connections: int,
    seconds: float,
    max_requests: int | None,
    timeout_s: float,
) -> LoadResult:
    import aiohttp

    latencies: list[float] = []
    errors: dict[str, int] = {}
    budget = [max_requests if max_requests else math.inf]
    start = time.perf_counter()
    deadline = start + seconds

    async def one_connection(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            t = time.perf_counter()
            try:
                async with session.get(url, headers=dict(headers)) as resp:
                    await resp.read()
                    if resp.status >= 400:
                        errors["status"] = errors.get("status", 0) + 1
            except TimeoutError:
                errors["timeout"] = errors.get("timeout", 0) + 1
                continue
            except aiohttp.ClientError:
                errors["read"] = errors.get("read", 0) + 1
                continue
            latencies.append(time.perf_counter() - t)

    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(one_connection(session) for _ in range(connections)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    n = len(latencies) + errors.get("timeout", 0) + errors.get("read", 0)
    return LoadResult(
        tool="python-aiohttp",
        requests=n,
        seconds=round(elapsed, 3),
        rps=round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        p50_ms=percentile(latencies, 50) * 1000,
        p90_ms=percentile(latencies, 90) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        max_ms=(latencies[-1] * 1000) if latencies else 0.0,
        mean_ms=round(sum(latencies) / len(latencies) * 1000, 3) if latencies else 0.0,
        errors=errors,
    )
