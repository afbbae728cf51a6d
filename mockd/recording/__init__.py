"""Recording: proxied ServeEvents -> StubMappings (+ `__files` bodies). Framework-free."""

from __future__ import annotations

from mockd.recording.legacy import LegacyRecorder
from mockd.recording.recorder import (
    Recorder,
    RecordingStatus,
    SnapshotResult,
    proxy_all_stub,
    proxy_stub,
)
from mockd.recording.spec import OutputFormat, RecordSpec, parse_size, record_spec_from_json

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
