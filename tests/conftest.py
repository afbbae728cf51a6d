"""Shared fixtures: a real mockd on port 0 in a background thread, and a small HTTP helper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import settings

from mockd.embedded import EmbeddedServer, serve

# Property tests explore a fixed sequence of examples, so a run in CI is reproducible.
settings.register_profile("mockd", derandomize=True, print_blob=True)
settings.load_profile("mockd")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "__files").mkdir()
    return tmp_path


@pytest.fixture
def server(root: Path) -> Iterator[EmbeddedServer]:
    with serve(root) as s:
        yield s


@pytest.fixture
def http(server: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        yield client


Start = Callable[..., AbstractContextManager[tuple[EmbeddedServer, httpx.Client]]]


@pytest.fixture
def start(root: Path) -> Start:
    """`with start(**settings) as (server, http):` a mockd on `root` with these settings, on port 0."""

    @contextmanager
    def running(**settings: Any) -> Iterator[tuple[EmbeddedServer, httpx.Client]]:
        with serve(root, **settings) as server, httpx.Client(base_url=server.url, timeout=10.0) as http:
            yield server, http

    return running
