"""The recorder: `recordings/start|stop|status|snapshot` (WireMock's Recorder) and `--record-mappings`.

While recording, every served event is observed in arrival order and its full response (before the
journal trims it) is kept when the edge reports it complete. Stop and snapshot turn the events the
filters accept into stubs, newest first as WireMock does, and add them to the running server.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from mockd.config import Settings
from mockd.errors import MockdError, NotFound, NotRecording
from mockd.journal import Journal
from mockd.loader import atomic_write, resolve_under, stub_file_name
from mockd.matching.request import RequestPattern
from mockd.recording.basics import OutputFormat
from mockd.stubs.model import Format, ResponseDefinition, ResponseSnapshot, ServeEvent, Source, StubMapping

if TYPE_CHECKING:  # the recorder's machinery is imported when first used, not with the server
    from mockd.recording.legacy import LegacyRecorder
    from mockd.recording.spec import RecordSpec

log = logging.getLogger("mockd.recording")

PROXY_ALL_PRIORITY = 10


class RecordingStatus(StrEnum):
    NEVER_STARTED = "NeverStarted"
    RECORDING = "Recording"
    STOPPED = "Stopped"


@dataclass(frozen=True)
class SnapshotResult:
    stubs: tuple[StubMapping, ...]
    output_format: OutputFormat = OutputFormat.FULL


class Host(Protocol):
    """What the recorder needs from the core (the Mockd facade provides it)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def journal(self) -> Journal: ...
    def add_stub(self, stub: StubMapping) -> StubMapping: ...
    def remove_stub(self, stub_id: str) -> StubMapping: ...


def proxy_stub(base_url: str, priority: int | None = None, stub_id: str | None = None) -> StubMapping:
    """`ANY anyUrl` proxied to `base_url` (WireMock's proxyAllTo)."""
    return StubMapping(
        id=stub_id or str(uuid.uuid4()),
        request=RequestPattern(),
        response=ResponseDefinition(proxy_base_url=base_url),
        priority=priority,
    )


def proxy_all_stub(base_url: str) -> StubMapping:
    """The `--proxy-all` catch-all at priority 10, with an id stable for the URL."""
    stub_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"mockd-proxy-all:{base_url}"))
    return proxy_stub(base_url, PROXY_ALL_PRIORITY, stub_id)


class Recorder:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.status = RecordingStatus.NEVER_STARTED
        self._spec: RecordSpec | None = None
        self.captured = 0
        self.on_capture: list[Callable[[int], None]] = []
        self.on_stop: list[Callable[[SnapshotResult], None]] = []
        self.legacy: LegacyRecorder | None = None
        if host.settings.record_mappings:
            from mockd.recording.legacy import LegacyRecorder

            self.legacy = LegacyRecorder(host.settings)
        self._proxy_stub_id: str | None = None
        self._events: dict[str, ServeEvent] = {}
        self._sent: dict[str, ResponseSnapshot] = {}

    @property
    def spec(self) -> RecordSpec:
        """The current recording's spec (a default one before the first recording)."""
        if self._spec is None:
            from mockd.recording.spec import RecordSpec

            self._spec = RecordSpec()
        return self._spec

    @spec.setter
    def spec(self, spec: RecordSpec) -> None:
        self._spec = spec

    # -- the serving path ------------------------------------------------------------------------
    def observe(self, event: ServeEvent) -> None:
        """Called for every served request, in arrival order, before its answer is known."""
        if self.status is RecordingStatus.RECORDING:
            self._events[event.id] = event

    def completed(self, event: ServeEvent, response: ResponseSnapshot) -> None:
        """Called by the edge once the answer is complete, with the whole body."""
        event_id = event.request.id_if_read()  # an observed event's id was read; others need none
        if event_id is not None and event_id in self._events:
            from mockd.recording.generate import recordable

            self._sent[event_id] = response
            if recordable(response) and self.spec.filters.accepts(event):
                self.captured += 1
                for listener in self.on_capture:
                    listener(self.captured)
        if self.legacy is not None:
            self.legacy.record(event, response)

    # -- the admin API ---------------------------------------------------------------------------
    def start(self, spec: RecordSpec) -> None:
        if self.status is RecordingStatus.RECORDING:
            return
        self._proxy_stub_id = None
        if spec.target_base_url:
            self._proxy_stub_id = self.host.add_stub(proxy_stub(spec.target_base_url)).id
        self.spec = spec
        self.captured = 0
        self._events = {}
        self._sent = {}
        self.status = RecordingStatus.RECORDING
        log.info("started recording%s", f" to {spec.target_base_url}" if spec.target_base_url else "")

    def stop(self) -> SnapshotResult:
        if self.status is not RecordingStatus.RECORDING:
            raise NotRecording("Not currently recording.")
        self.status = RecordingStatus.STOPPED
        if self._proxy_stub_id is not None:
            with contextlib.suppress(NotFound):  # removed meanwhile (a reset)
                self.host.remove_stub(self._proxy_stub_id)
            self._proxy_stub_id = None
        events, sent = self._events, self._sent
        self._events, self._sent = {}, {}
        if not events and len(self.host.journal) == 0:
            result = SnapshotResult(())  # WireMock answers an empty FULL result then
        else:
            pairs = [(e, sent.get(e.id, e.response)) for e in reversed(events.values())]
            result = self.take(pairs, self.spec)
        log.info("stopped recording: %d stub(s)", len(result.stubs))
        for listener in self.on_stop:
            listener(result)
        return result

    def snapshot(self, spec: RecordSpec) -> SnapshotResult:
        """Stubs from the journal (newest first), as `recordings/snapshot` does."""
        return self.take([(e, e.response) for e in self.host.journal.newest_first()], spec)

    # -- generation ------------------------------------------------------------------------------
    def take(
        self, events: Iterable[tuple[ServeEvent, ResponseSnapshot | None]], spec: RecordSpec
    ) -> SnapshotResult:
        from mockd.recording.generate import recordable, stub_for
        from mockd.recording.process import process

        stubs = [
            stub_for(event, response, spec)
            for event, response in events
            if response is not None and recordable(response) and spec.filters.accepts(event)
        ]
        processed = process(stubs, spec)
        settings = self.host.settings
        for body in processed.files:
            path = resolve_under(settings.files_dir, body.name)
            if path is None:
                raise MockdError(f"refused body file name {body.name!r}")
            atomic_write(path, body.data)
        fmt = Format.YAML if settings.record_format == Format.YAML.value else Format.JSON
        added: list[StubMapping] = []
        for stub in processed.stubs:
            if spec.persist:
                stub = replace(stub, persistent=True)
                if fmt is not Format.JSON:
                    path = settings.mappings_dir / stub_file_name(stub, fmt, settings.filename_template)
                    stub = replace(stub, source=Source(path, fmt, False, True))
            added.append(self.host.add_stub(stub))
        return SnapshotResult(tuple(added), spec.output_format)
