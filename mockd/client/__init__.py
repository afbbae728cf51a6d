"""A synchronous admin client for mockd or WireMock (stdlib HTTP only)."""

from __future__ import annotations

from mockd.client.api import MockdClient
from mockd.client.errors import MockdClientError

__all__ = ["MockdClient", "MockdClientError"]
