"""Client tests run against a real mockd (port 0, in-process): `client` is its MockdClient, `fetch` a
plain HTTP call for the system under test's side."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable

import pytest

from mockd.client import MockdClient
from mockd.embedded import EmbeddedServer

TIMEOUT = 5.0

Fetch = Callable[..., tuple[int, bytes]]


@pytest.fixture
def client(server: EmbeddedServer) -> MockdClient:
    return server.client


def fetch_url(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """One HTTP call (no proxies): the status and body; error statuses are returned, not raised."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


@pytest.fixture
def fetch() -> Fetch:
    return fetch_url
