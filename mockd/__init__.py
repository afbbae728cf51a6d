"""mockd: a WireMock-compatible mock HTTP server.

The public surface is what `__all__` lists (guarded by tests/test_public_api.py).
"""

from __future__ import annotations

from mockd.config import Settings
from mockd.errors import MockdError

__version__ = "0.1.0"

__all__ = ["MockdError", "Settings", "__version__"]
