"""The journal is bounded: serving far more requests than --max-request-journal-entries keeps exactly
that many (the newest), so memory stays flat however long mockd runs."""

from __future__ import annotations

import socket
from typing import Any

import pytest

BOUND = 1000
TOTAL = 30_000
BATCH = 250


def _read_responses(sock: socket.socket, count: int, buf: bytearray) -> list[int]:
    """Read `count` HTTP/1.1 responses (Content-Length framed) and return their status codes."""
    statuses: list[int] = []
    while len(statuses) < count:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            head = bytes(buf[:end]).decode("latin-1").split("\r\n")
            length = next(int(h.split(":", 1)[1]) for h in head if h.lower().startswith("content-length:"))
            if len(buf) >= end + 4 + length:
                statuses.append(int(head[0].split()[1]))
                del buf[: end + 4 + length]
                continue
        data = sock.recv(1 << 20)
        assert data, "server closed the connection"
        buf += data
    return statuses


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_journal_keeps_only_the_newest_entries(start: Any) -> None:
    with start(max_request_journal_entries=BOUND) as (server, http):
        mapping = {"request": {"urlPathPattern": "/b/.*"}, "response": {"status": 200, "body": "ok"}}
        assert http.post("/__admin/mappings", json=mapping).status_code == 201
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            buf = bytearray()
            for first in range(0, TOTAL, BATCH):  # pipelined keep-alive requests, a batch at a time
                batch = b"".join(
                    f"GET /b/{i} HTTP/1.1\r\nHost: mockd\r\n\r\n".encode()
                    for i in range(first, first + BATCH)
                )
                sock.sendall(batch)
                assert _read_responses(sock, BATCH, buf) == [200] * BATCH
                assert len(server.core.journal) <= BOUND
        assert len(server.core.journal) == BOUND
        page = http.get("/__admin/requests", params={"limit": 1}).json()
        assert page["meta"]["total"] == BOUND
        assert page["requests"][0]["request"]["url"] == f"/b/{TOTAL - 1}"
        oldest_kept = http.post("/__admin/requests/find", json={"url": f"/b/{TOTAL - BOUND}"}).json()
        assert len(oldest_kept["requests"]) == 1
        evicted = http.post("/__admin/requests/count", json={"url": f"/b/{TOTAL - BOUND - 1}"}).json()
        assert evicted["count"] == 0


def test_zero_entries_keeps_nothing(start: Any) -> None:
    with start(max_request_journal_entries=0) as (server, http):
        http.get("/anything")
        assert len(server.core.journal) == 0
        assert http.get("/__admin/requests").json()["meta"]["total"] == 0
        assert http.post("/__admin/requests/count", json={}).json() == {
            "count": 0,
            "requestJournalDisabled": False,
        }
