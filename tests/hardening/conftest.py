"""Fixtures for the hardening tests: a mockd with chosen settings (raw-socket helpers: rawhttp.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockd.embedded import EmbeddedServer, serve

Start = Callable[..., AbstractContextManager[tuple[EmbeddedServer, httpx.Client]]]


@pytest.fixture
def start(root: Path) -> Start:
    """`with start(**settings) as (server, http):` a mockd on `root` with these settings, on port 0."""

    @contextmanager
    def running(**settings: Any) -> Iterator[tuple[EmbeddedServer, httpx.Client]]:
        with serve(root, **settings) as server, httpx.Client(base_url=server.url, timeout=10.0) as http:
            yield server, http

    return running
