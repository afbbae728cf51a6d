"""Small helpers shared by tests (importable because pyproject sets pythonpath = ["tests"])."""

from __future__ import annotations

from typing import Any

import httpx


def stub(http: httpx.Client, mapping: dict[str, Any]) -> dict[str, Any]:
    """Create a stub through the admin API and return it as created (asserting a 201)."""
    r = http.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body
