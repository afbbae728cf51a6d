"""Fixtures for the delay and fault tests: a tiny raw-socket HTTP/1.1 client (`raw`) that observes what
really goes over the wire: when each byte arrives, whether the connection ended with FIN or RST, and
bytes no HTTP library would hand over."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest


@dataclass
class RawResult:
    data: bytes = b""
    arrivals: list[tuple[float, bytes]] = field(default_factory=list)  # (seconds after sending, bytes)
    error: OSError | None = None  # how the read ended, when not by a clean close (e.g. ConnectionResetError)
    elapsed: float = 0.0  # seconds from sending the request to the end of the connection

    @property
    def head(self) -> bytes:
        return self.data.partition(b"\r\n\r\n")[0]

    @property
    def status(self) -> int:
        return int(self.head.split(b" ", 2)[1])

    def body_chunks(self) -> list[tuple[float, bytes]]:
        """Decode a chunked body: each chunk with the arrival time of the packet that completed it."""
        end = self.data.index(b"\r\n\r\n") + 4
        ends: list[float] = []  # arrival time of each byte offset's packet, by cumulative length
        offsets: list[int] = []
        total = 0
        for t, piece in self.arrivals:
            total += len(piece)
            offsets.append(total)
            ends.append(t)
        chunks: list[tuple[float, bytes]] = []
        pos = end
        while True:
            line_end = self.data.index(b"\r\n", pos)
            size = int(self.data[pos:line_end].split(b";")[0], 16)
            start = line_end + 2
            if size == 0:
                return chunks
            stop = start + size
            arrived = next(t for t, off in zip(ends, offsets) if off >= stop)
            chunks.append((arrived, self.data[start:stop]))
            pos = stop + 2


def raw_request(
    base_url: str,
    path: str,
    method: str = "GET",
    body: bytes = b"",
    headers: tuple[tuple[str, str], ...] = (),
    timeout: float = 10.0,
) -> RawResult:
    """Send one request on a fresh connection and read until the server closes it (bounded by timeout)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    result = RawResult()
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sent = time.monotonic()
        sock.sendall(request)
        while True:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                piece = sock.recv(65536)
            except TimeoutError:
                raise AssertionError(
                    f"no end of response within {timeout} s: {result.data[:200]!r}"
                ) from None
            except OSError as exc:
                result.error = exc
                break
            if not piece:
                break
            result.arrivals.append((time.monotonic() - sent, piece))
            result.data += piece
        result.elapsed = time.monotonic() - sent
    return result


RawClient = Callable[..., RawResult]


@pytest.fixture
def raw() -> RawClient:
    return raw_request
