"""mockd: a WireMock-compatible mock HTTP server.

The public surface is what `__all__` lists (guarded by tests/test_public_api.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.config import VERSION, Settings
from mockd.errors import MockdError

if TYPE_CHECKING:
    from mockd.client import MockdClient, MockdClientError
    from mockd.embedded import serve

__version__ = VERSION

__all__ = ["MockdClient", "MockdClientError", "MockdError", "Settings", "__version__", "serve"]


def __getattr__(name: str) -> Any:
    """`serve` and the client are imported on first use: `import mockd` (the server, the CLI, the
    pytest plugin) stays light; the client alone pulls in urllib, http.client and email."""
    if name == "serve":
        from mockd.embedded import serve

        return serve
    if name in ("MockdClient", "MockdClientError"):
        from mockd import client

        return getattr(client, name)
    raise AttributeError(f"module 'mockd' has no attribute {name!r}")
