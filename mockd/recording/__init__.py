"""Recording: proxied ServeEvents -> StubMappings (+ `__files` bodies). Framework-free.

The names are imported on first use: the server needs only the Recorder's serving path, and the
spec parser, stub generation and content decoding load with the first recording.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockd.recording.basics import OutputFormat
    from mockd.recording.legacy import LegacyRecorder
    from mockd.recording.recorder import (
        Recorder,
        RecordingStatus,
        SnapshotResult,
        proxy_all_stub,
        proxy_stub,
    )
    from mockd.recording.spec import RecordSpec, parse_size, record_spec_from_json

_WHERE = {
    "LegacyRecorder": "legacy",
    "OutputFormat": "basics",
    "RecordSpec": "spec",
    "Recorder": "recorder",
    "RecordingStatus": "recorder",
    "SnapshotResult": "recorder",
    "parse_size": "spec",
    "proxy_all_stub": "recorder",
    "proxy_stub": "recorder",
    "record_spec_from_json": "spec",
}

__all__ = [
    "LegacyRecorder",
    "OutputFormat",
    "RecordSpec",
    "Recorder",
    "RecordingStatus",
    "SnapshotResult",
    "parse_size",
    "proxy_all_stub",
    "proxy_stub",
    "record_spec_from_json",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mockd.recording' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"mockd.recording.{module}"), name)
    globals()[name] = value
    return value
