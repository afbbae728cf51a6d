"""The WireMock-compatible admin API under /__admin."""

from __future__ import annotations

from mockd.admin.handle import handle_admin

__all__ = ["handle_admin"]
