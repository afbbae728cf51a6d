"""The stub model: frozen dataclasses, changed with `dataclasses.replace`. No wire names here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from mockd.config import DEFAULT_PRIORITY
from mockd.http import LoggedRequest
from mockd.matching.request import RequestPattern

Headers = tuple[tuple[str, str], ...]


class Fault(StrEnum):
    EMPTY_RESPONSE = "EMPTY_RESPONSE"
    MALFORMED_RESPONSE_CHUNK = "MALFORMED_RESPONSE_CHUNK"
    RANDOM_DATA_THEN_CLOSE = "RANDOM_DATA_THEN_CLOSE"
    CONNECTION_RESET_BY_PEER = "CONNECTION_RESET_BY_PEER"


class DelayKind(StrEnum):
    FIXED = "fixed"
    UNIFORM = "uniform"
    LOGNORMAL = "lognormal"


@dataclass(frozen=True)
class DelaySpec:
    """A delay distribution: fixed (milliseconds), uniform (lower..upper) or lognormal (median, sigma, max)."""

    kind: DelayKind
    milliseconds: int = 0
    lower: int = 0
    upper: int = 0
    median: float = 0.0
    sigma: float = 0.0
    max_value: float | None = None


@dataclass(frozen=True)
class ChunkedDribble:
    number_of_chunks: int
    total_duration_ms: int


@dataclass(frozen=True)
class ResponseDefinition:
    status: int = 200
    status_template: str | None = None  # mockd: "status": "{{...}}", rendered when templating is on
    status_message: str | None = None
    headers: Headers = ()
    body: str | None = None
    json_body: Any = None  # parsed JSON (Decimals keep their text); None when absent
    base64_body: str | None = None
    body_file_name: str | None = None
    fixed_delay_ms: int | None = None
    delay_distribution: DelaySpec | None = None
    chunked_dribble: ChunkedDribble | None = None
    fault: Fault | None = None
    proxy_base_url: str | None = None
    proxy_url_prefix_to_remove: str | None = None
    additional_proxy_request_headers: Headers = ()
    remove_proxy_request_headers: tuple[str, ...] = ()
    transformers: tuple[str, ...] = ()
    transformer_parameters: dict[str, Any] | None = None
    from_configured_stub: bool | None = None

    @property
    def is_proxy(self) -> bool:
        return bool(self.proxy_base_url)


class Format(StrEnum):
    JSON = "json"
    YAML = "yaml"


@dataclass(frozen=True)
class Source:
    """Where a stub came from on disk. `written_by_mockd` decides whether mockd may delete the file."""

    path: Path
    format: Format = Format.JSON
    multi: bool = False  # one of several stubs in the file: read-only
    written_by_mockd: bool = False


@dataclass(frozen=True)
class StubMapping:
    id: str
    request: RequestPattern = field(default_factory=RequestPattern)
    response: ResponseDefinition = field(default_factory=ResponseDefinition)
    name: str | None = None
    priority: int | None = None
    persistent: bool | None = None
    scenario_name: str | None = None
    required_scenario_state: str | None = None
    new_scenario_state: str | None = None
    metadata: dict[str, Any] | None = None
    post_serve_actions: Any = None
    serve_event_listeners: Any = None
    insertion_index: int = 0
    source: Source | None = field(default=None, compare=False)

    @property
    def effective_priority(self) -> int:
        return DEFAULT_PRIORITY if self.priority is None else self.priority

    @property
    def sort_key(self) -> tuple[int, int]:
        """Priority ascending, then newest (highest insertion index) first."""
        return (self.effective_priority, -self.insertion_index)


@dataclass(frozen=True)
class ResponseSnapshot:
    """What was sent: status, headers, body bytes (before gzip), and the fault if one was injected."""

    status: int
    headers: Headers = ()
    body: bytes = b""
    fault: Fault | None = None


@dataclass(frozen=True)
class Timing:
    added_delay_ms: int = 0
    process_time_ms: int = 0
    response_send_time_ms: int = 0
    serve_time_ms: int = 0
    total_time_ms: int = 0


@dataclass(frozen=True)
class SubEvent:
    type: str
    time_offset_nanos: int | None  # None: not shown (WireMock's ERROR sub-events have none)
    data: dict[str, Any]


@dataclass(eq=False)
class ServeEvent:
    """One served request. Journaled before the response is sent; `response` and `timing` are filled in
    when the serve completes (WireMock does the same), so this one class is not frozen."""

    request: LoggedRequest
    stub: StubMapping | None
    response_definition: ResponseDefinition
    was_matched: bool
    response: ResponseSnapshot | None = None
    timing: Timing = field(default_factory=Timing)
    sub_events: list[SubEvent] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.request.id


@dataclass(frozen=True)
class GlobalSettings:
    """What `POST /__admin/settings` replaces and `PATCH /__admin/settings/extended` merges into."""

    fixed_delay_ms: int | None = None
    delay_distribution: DelaySpec | None = None
    extended: dict[str, Any] = field(default_factory=dict)
    proxy_pass_through: bool = True
