"""Memory soak: N requests mixing matched, unmatched and malformed ones; RSS sampled as they go.

Flat means: RSS growth over the second half of the run stays under max(FLAT_MIB, FLAT_FRACTION of the
midpoint RSS). The journal (10,000 entries by default) grows until full, so the verdict is only given
when the midpoint is past it (>= 20,000 requests); shorter runs are "inconclusive".
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FLAT_MIB = 8.0
FLAT_FRACTION = 0.05
SAMPLES = 20

SOAK_STUBS: dict[str, dict[str, Any]] = {
    "static.json": {
        "request": {"method": "GET", "url": "/static"},
        "response": {"status": 200, "jsonBody": {"ok": True}},
    },
    "echo.json": {
        "request": {"method": "GET", "urlPath": "/echo"},
        "response": {
            "status": 200,
            "body": "{{request.query.name}} {{request.headers.X-Id}}",
            "transformers": ["response-template"],
        },
    },
    "json-body.json": {
        "request": {"method": "POST", "url": "/orders", "bodyPatterns": [{"equalToJson": {"id": 1}}]},
        "response": {"status": 201, "body": "created"},
    },
}


def write_root(root: Path) -> Path:
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    (root / "__files").mkdir(parents=True, exist_ok=True)
    for name, doc in SOAK_STUBS.items():
        (root / "mappings" / name).write_text(json.dumps(doc), encoding="utf-8")
    return root


def _get(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: bench\r\n{extra}\r\n".encode("latin-1")


def _post(path: str, body: bytes) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("latin-1") + body


# (kind, request bytes or a maker taking the request number); keep-alive requests first
KEEPALIVE: list[tuple[str, Callable[[int], bytes]]] = [
    ("matched", lambda i: _get("/static")),
    ("matched", lambda i: _get(f"/echo?name=n{i}", f"X-Id: {i}\r\n")),
    ("matched", lambda i: _post("/orders", b'{"id": 1}')),
    ("unmatched", lambda i: _get(f"/missing/{i}?q={i}")),
    ("unmatched", lambda i: _post("/orders", b'{"id": 2, "pad": "' + b"x" * 512 + b'"}')),
    ("malformed-body", lambda i: _post("/orders", b'{"id": 1,,, "broken')),
    ("malformed-url", lambda i: _get(f"/%zz%{i}/%")),
]
# sent on a fresh connection: the server may answer 400 and close
BROKEN: list[tuple[str, Callable[[int], bytes]]] = [
    ("malformed-http", lambda i: b"THIS IS NOT HTTP\r\n\r\n"),
    ("malformed-http", lambda i: _get("/static", "X-Big: " + "y" * 20_000 + "\r\n")),
    ("malformed-http", lambda i: b"POST /orders HTTP/1.1\r\nHost: b\r\nContent-Length: abc\r\n\r\n"),
    ("malformed-http", lambda i: b"GET /static HTTP/1.1\r\nHost: b\r\nBad Header Line\r\n\r\n"),
]


@dataclass
class SoakResult:
    requests: int
    seconds: float
    by_kind: dict[str, int]
    by_status: dict[str, int]
    errors: int
    samples: list[tuple[int, float]] = field(default_factory=list)  # (requests done, RSS MiB)
    rss_start_mib: float = 0.0
    rss_mid_mib: float = 0.0
    rss_end_mib: float = 0.0
    growth_second_half_mib: float = 0.0
    verdict: str = "inconclusive"  # flat | growing | inconclusive (journal still filling at the midpoint)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; returns (status, connection still usable)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip().lower()
    if "content-length" in hdrs:
        await reader.readexactly(int(hdrs["content-length"]))
    elif hdrs.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        return status, False
    return status, hdrs.get("connection") != "close"


async def _soak(
    host: str,
    port: int,
    total: int,
    concurrency: int,
    rss: Callable[[], float | None],
    timeout: float,
    journal_entries: int,
) -> SoakResult:
    counter = itertools.count()
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    errors = 0
    samples: list[tuple[int, float]] = []
    every = max(1, total // SAMPLES)
    done = [0]

    def finished(kind: str, status: int | None) -> None:
        nonlocal errors
        by_kind[kind] = by_kind.get(kind, 0) + 1
        if status is None:
            errors += 1
        else:
            by_status[str(status)] = by_status.get(str(status), 0) + 1
        done[0] += 1
        if done[0] % every == 0:
            value = rss()
            if value is not None:
                samples.append((done[0], round(value, 2)))

    async def broken(kind: str, data: bytes) -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            finished(kind, None)
            return
        try:
            writer.write(data)
            await writer.drain()
            status, _ = await asyncio.wait_for(_read_response(reader), timeout)
            finished(kind, status)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, TimeoutError):
            finished(kind, None)
        finally:
            writer.close()

    async def worker() -> None:
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        while (i := next(counter)) < total:
            if i % 10 == 9:
                kind, make = BROKEN[(i // 10) % len(BROKEN)]
                await broken(kind, make(i))
                continue
            kind, make = KEEPALIVE[i % len(KEEPALIVE)]
            try:
                if writer is None or reader is None:
                    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
                writer.write(make(i))
                await writer.drain()
                status, keep = await asyncio.wait_for(_read_response(reader), timeout)
                finished(kind, status)
            except (
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ValueError,
                TimeoutError,
            ):
                finished(kind, None)
                keep = False
            if not keep and writer is not None:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    start = time.perf_counter()
    first = rss()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    result = SoakResult(done[0], round(elapsed, 2), by_kind, by_status, errors, samples)
    result.rss_start_mib = round(first or 0.0, 2)
    if samples:
        mid = min(samples, key=lambda s: abs(s[0] - total // 2))[1]
        result.rss_mid_mib = mid
        result.rss_end_mib = samples[-1][1]
        result.growth_second_half_mib = round(samples[-1][1] - mid, 2)
        if total // 2 >= journal_entries:
            flat = result.growth_second_half_mib <= max(FLAT_MIB, FLAT_FRACTION * mid)
            result.verdict = "flat" if flat else "growing"
    return result


def run_soak(
    url: str,
    total: int,
    concurrency: int,
    rss: Callable[[], float | None],
    timeout: float = 30.0,
    journal_entries: int = 10_000,
) -> SoakResult:
    """`journal_entries`: the server's journal bound; the verdict needs the journal full at the midpoint."""
    host, _, port = url.removeprefix("http://").partition(":")
    return asyncio.run(_soak(host, int(port), total, concurrency, rss, timeout, journal_entries))
