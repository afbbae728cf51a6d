"""MockdClient: a small synchronous client for the admin API of mockd or WireMock (stdlib HTTP only).

    client = MockdClient("http://127.0.0.1:8080")
    client.stub_for({"request": {"method": "GET", "url": "/hi"}, "response": {"body": "hello"}})
    client.verify({"method": "GET", "url": "/hi"}, count=1)

Stubs and request patterns are dicts in WireMock's JSON shape (or YAML/JSON text for stubs). Every
failed admin call raises MockdClientError carrying WireMock's error envelope; `verify` raises
AssertionError with the requests received and the near misses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from mockd.client.errors import MockdClientError
from mockd.client.files import parse_stub_text, read_stub_file, stub_files, write_stubs
from mockd.client.transport import DEFAULT_TIMEOUT, AdminHttp, segment
from mockd.client.verify import Expectation, failure_message

T = TypeVar("T")
Json = dict[str, Any]


class MockdClient:
    """Admin client for the server at `base_url` (`http://host:port`). `url` is that base URL."""

    def __init__(
        self,
        base_url: str,
        *,
        admin_prefix: str = "/__admin",
        timeout: float = DEFAULT_TIMEOUT,
        auth: tuple[str, str] | None = None,
    ) -> None:
        self._http = AdminHttp(base_url, admin_prefix, timeout, auth)
        self.url: str = self._http.base_url

    def __repr__(self) -> str:
        return f"MockdClient({self.url!r})"

    # -- stubs -----------------------------------------------------------------------------------
    def stub_for(self, mapping: Mapping[str, Any] | str) -> Json:
        """Create one stub (a dict, or JSON/YAML text); returns it as the server stored it (with `id`)."""
        if isinstance(mapping, str):
            stubs = parse_stub_text(mapping)
            if len(stubs) != 1:
                raise ValueError(f"the text holds {len(stubs)} stubs; stub_for takes one (see load_mappings)")
            mapping = stubs[0]
        result: Json = self._http.json("POST", "/mappings", dict(mapping))
        return result

    def stubs(self) -> list[Json]:
        """Every stub, in match order (priority, then newest first)."""
        return list(self._http.json("GET", "/mappings")["mappings"])

    def get_stub(self, stub_id: str) -> Json:
        result: Json = self._http.json("GET", f"/mappings/{segment(stub_id)}")
        return result

    def edit_stub(self, mapping: Mapping[str, Any]) -> Json:
        """Replace the stub whose `id` the mapping carries; it keeps its place in the match order."""
        stub_id = _id_of(mapping)
        result: Json = self._http.json("PUT", f"/mappings/{segment(stub_id)}", dict(mapping))
        return result

    def remove_stub(self, stub: str | Mapping[str, Any]) -> None:
        """Remove one stub, by id or by the dict `stub_for` returned."""
        stub_id = stub if isinstance(stub, str) else _id_of(stub)
        self._http.call("DELETE", f"/mappings/{segment(stub_id)}")

    def reset(self) -> None:
        """Remove every stub made through the API, clear the journal and scenarios, reload stub files."""
        self._http.call("POST", "/reset")

    def reset_requests(self) -> None:
        """Clear the request journal only."""
        self._http.call("DELETE", "/requests")

    # -- scenarios -------------------------------------------------------------------------------
    def scenarios(self) -> list[Json]:
        return list(self._http.json("GET", "/scenarios")["scenarios"])

    def reset_scenarios(self) -> None:
        """Every scenario back to `Started`."""
        self._http.call("POST", "/scenarios/reset")

    def set_scenario_state(self, name: str, state: str) -> None:
        self._http.call("PUT", f"/scenarios/{segment(name)}/state", {"state": state})

    # -- the request journal ---------------------------------------------------------------------
    def requests(self) -> list[Json]:
        """Every ServeEvent in the journal (request, response, matched stub), newest first as WireMock."""
        return list(self._http.json("GET", "/requests")["requests"])

    def find_requests(self, pattern: Mapping[str, Any]) -> list[Json]:
        """The logged requests matching a RequestPattern, oldest first."""
        return list(self._http.json("POST", "/requests/find", dict(pattern))["requests"])

    def count_requests(self, pattern: Mapping[str, Any]) -> int:
        """How many requests match; -1 when the server keeps no journal."""
        return int(self._http.json("POST", "/requests/count", dict(pattern))["count"])

    def unmatched_requests(self) -> list[Json]:
        """The logged requests no stub matched."""
        return list(self._http.json("GET", "/requests/unmatched")["requests"])

    def near_misses(self, pattern: Mapping[str, Any]) -> list[Json]:
        """The journal's requests closest to a pattern: `[{request, requestPattern, matchResult}]`."""
        return list(self._http.json("POST", "/near-misses/request-pattern", dict(pattern))["nearMisses"])

    def near_misses_for_request(self, request: Mapping[str, Any]) -> list[Json]:
        """The stubs closest to a logged request (JSON as the journal gives it): `[{stubMapping, ...}]`."""
        return list(self._http.json("POST", "/near-misses/request", dict(request))["nearMisses"])

    def verify(
        self,
        pattern: Mapping[str, Any],
        count: int | None = None,
        *,
        at_least: int | None = None,
        at_most: int | None = None,
    ) -> int:
        """Assert how many requests matched `pattern` (default: at least one); returns the count.
        On failure the AssertionError shows the requests received and the near misses."""
        __tracebackhide__ = True
        expectation = Expectation.of(count, at_least, at_most)
        found = self.count_requests(pattern)
        if found < 0:
            raise AssertionError("cannot verify: the server keeps no request journal")
        if expectation.met_by(found):
            return found
        events = _or_reason(lambda: list(reversed(self.requests())))
        misses = _or_reason(lambda: self.near_misses(pattern)) if found < expectation.at_least else []
        raise AssertionError(failure_message(pattern, expectation, found, events, misses))

    # -- recording -------------------------------------------------------------------------------
    def start_recording(self, target_url: str, **spec: Any) -> None:
        """Proxy everything to `target_url` and record it. `spec`: RecordSpec fields, camelCase or
        snake_case (`persist=False`, `repeats_as_scenarios=False`, `capture_headers={...}`)."""
        self._http.call("POST", "/recordings/start", {"targetBaseUrl": target_url, **camel_keys(spec)})

    def stop_recording(self) -> list[Json]:
        """Stop recording; returns the stubs made (their ids with `output_format="IDS"`)."""
        return _recorded(self._http.json("POST", "/recordings/stop"))

    def snapshot_recording(self, **spec: Any) -> list[Json]:
        """Make stubs from the proxied requests already in the journal."""
        return _recorded(self._http.json("POST", "/recordings/snapshot", camel_keys(spec)))

    def recording_status(self) -> str:
        """`NeverStarted`, `Recording` or `Stopped`."""
        return str(self._http.json("GET", "/recordings/status")["status"])

    # -- stub files ------------------------------------------------------------------------------
    def save_mappings(self, folder: str | Path) -> list[Path]:
        """Write every stub the server has to its own JSON file in `folder`; returns the files."""
        return write_stubs(folder, self.stubs())

    def load_mappings(self, folder: str | Path) -> list[Json]:
        """Create every stub found in the JSON/YAML files under `folder` (or its `mappings/`), in file
        order; returns the created stubs. A failure names the file (`exc.location.file`)."""
        created: list[Json] = []
        for file in stub_files(folder):
            for doc in read_stub_file(file):
                try:
                    created.append(self.stub_for(doc.mapping))
                except MockdClientError as exc:
                    raise exc.at(doc.pointer, file=str(file)) from None
        return created

    # -- global settings -------------------------------------------------------------------------
    def settings(self, changes: Mapping[str, Any] | None = None, /, **kw: Any) -> Json:
        """The global settings; with arguments, first merge them in (`fixed_delay=100` or
        `{"fixedDelay": 100}`; None removes a key). Returns the settings now in force."""
        current: Json = dict(self._http.json("GET", "/settings")["settings"])
        if changes is None and not kw:
            return current
        merged = {**current, **camel_keys(dict(changes or {})), **camel_keys(kw)}
        merged = {k: v for k, v in merged.items() if v is not None}
        self.replace_settings(merged)
        return merged

    def replace_settings(self, settings: Mapping[str, Any]) -> None:
        """Replace the whole global settings object (WireMock's POST /settings semantics)."""
        self._http.call("POST", "/settings", dict(settings))

    # -- server ----------------------------------------------------------------------------------
    def wait_until_ready(self, timeout: float = 30.0) -> None:
        """Poll the admin API until it answers (a daemon that is still starting); bounded by `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._http.call("GET", "/mappings", query={"limit": "1"})
                return
            except MockdClientError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def shutdown(self) -> None:
        self._http.call("POST", "/shutdown")


def camel_keys(values: Mapping[str, Any]) -> Json:
    """`repeats_as_scenarios` -> `repeatsAsScenarios`; camelCase keys are kept."""
    out: Json = {}
    for key, value in values.items():
        head, *rest = key.split("_")
        out[head + "".join(p[:1].upper() + p[1:] for p in rest)] = value
    return out


def _id_of(stub: Mapping[str, Any]) -> str:
    value = stub.get("id") or stub.get("uuid")
    if not isinstance(value, str) or not value:
        raise ValueError("the stub has no id")
    return value


def _recorded(answer: Any) -> list[Json]:
    if not isinstance(answer, dict):
        return []
    if isinstance(answer.get("mappings"), list):
        return list(answer["mappings"])
    return [{"id": i} for i in answer.get("ids") or []]


def _or_reason(fetch: Callable[[], T]) -> T | str:
    try:
        return fetch()
    except (MockdClientError, KeyError, TypeError, ValueError) as exc:
        return str(exc).splitlines()[0]
