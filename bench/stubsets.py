"""The stub sets both servers load, generated into temporary root dirs (mappings/ + __files/).

Every scenario names its root dir and its request. For the many-stub scenarios the request must hit
the OLDEST stub (the last one in match order); which stub that is depends on the order the server read
the files, so it is looked up after start through the admin API (`oldest_url` in servers.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATIC_BODY = {"id": 1, "name": "mockd", "tags": ["fast", "small"], "active": True}


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    root: str  # key into the generated roots
    path: str | None  # None: the oldest stub's url, looked up after start
    headers: tuple[tuple[str, str], ...] = ()
    status: int = 200
    body_contains: tuple[str, ...] = field(default=())
    mockd_workers: int | None = None  # overrides --mockd-workers for this scenario
    wiremock_from: str | None = None  # WireMock's figures are those of this scenario (same run)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("static", "1 JSON stub", "one", "/static", body_contains=('"mockd"',)),
        Scenario(
            "static_w2",
            "1 JSON stub, mockd --workers 2",
            "one",
            "/static",
            body_contains=('"mockd"',),
            mockd_workers=2,
            wiremock_from="static",
        ),
        Scenario(
            "template",
            "templated (2 request fields)",
            "template",
            "/echo?name=bench",
            headers=(("X-Id", "42"),),
            body_contains=('"name":"bench"', '"id":"42"'),
        ),
        Scenario("stubs5k", "5,000 stubs, oldest hit", "many5000", None, body_contains=('"item"',)),
        Scenario("stubs10k", "10,000 stubs, oldest hit", "many10000", None, body_contains=('"item"',)),
        Scenario(
            "unmatched10k",
            "unmatched, 10,000 stubs",
            "many10000",
            "/no/such/item?x=1",
            status=404,
        ),
    )
}

STARTUP_ROOTS = {"1 file": "one", "5,000 files": "many5000"}


def _write(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")


def _static() -> dict[str, Any]:
    return {
        "request": {"method": "GET", "url": "/static"},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "jsonBody": STATIC_BODY},
    }


def _template() -> dict[str, Any]:
    body = '{"name":"{{request.query.name}}","id":"{{request.headers.X-Id}}"}'
    return {
        "request": {"method": "GET", "urlPath": "/echo"},
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": body,
            "transformers": ["response-template"],
        },
    }


def _item(i: int, kind: str) -> dict[str, Any]:
    url = f"/items/{i:05d}"
    request: dict[str, Any] = {"method": "GET"}
    if kind == "pattern":
        request["urlPattern"] = url + "(\\?.*)?"  # a regex: every stub is scanned, no index helps
    else:
        request["url"] = url
    return {
        "request": request,
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "jsonBody": {"item": i}},
    }


def generate(base: Path, roots: set[str], many_kind: str = "url") -> dict[str, Path]:
    """Write the wanted roots under `base`; returns root key -> root dir."""
    out: dict[str, Path] = {}
    for key in sorted(roots):
        root = base / key
        (root / "__files").mkdir(parents=True, exist_ok=True)
        (root / "mappings").mkdir(parents=True, exist_ok=True)
        if key == "one":
            _write(root / "mappings" / "static.json", _static())
        elif key == "template":
            _write(root / "mappings" / "echo.json", _template())
        elif key.startswith("many"):
            count = int(key.removeprefix("many"))
            for i in range(count):
                _write(root / "mappings" / f"item-{i:05d}.json", _item(i, many_kind))
        else:
            raise ValueError(f"unknown stub set {key!r}")
        out[key] = root
    return out
