"""LoggedRequest -> (ServeEvent, Plan): candidates -> match -> scenario gate -> transition -> render | proxy.

Everything here is synchronous: between matching a stub and moving its scenario there is no `await`,
so scenario transitions are atomic on the event loop. The edge (server, faults, upstream) carries out
the returned Plan: waits the delay, proxies, writes the bytes or injects the fault.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from mockd import jsontext
from mockd.config import Settings
from mockd.delays import delay_for
from mockd.errors import MockdError
from mockd.http import LoggedRequest
from mockd.loader import resolve_under
from mockd.notmatched import report
from mockd.scenarios import Scenarios
from mockd.stubs.model import (
    ChunkedDribble,
    Fault,
    GlobalSettings,
    Headers,
    ResponseDefinition,
    ServeEvent,
    StubMapping,
)
from mockd.stubs.store import StubStore
from mockd.templating import Dialect

if TYPE_CHECKING:
    from mockd.templating import TemplateEngine

TEXT_PLAIN = "text/plain"


@dataclass(frozen=True)
class ProxyPlan:
    """Where and what to forward; the edge performs it with the shared upstream client."""

    url: str
    method: str
    headers: Headers  # the client's (minus removeProxyRequestHeaders)
    body: bytes
    stub_headers: Headers = ()  # the stub's response headers, added to the upstream's answer
    added: Headers = ()  # additionalProxyRequestHeaders, sent after the client's


@dataclass(slots=True)
class Plan:
    """What the edge does for one request. Not changed once made (a static stub's plan serves every
    request); not frozen only because a frozen dataclass is 3x slower to make, once per request."""

    status: int
    headers: Headers = ()
    body: bytes = b""
    reason: str | None = None
    delay_ms: float = 0.0
    dribble: ChunkedDribble | None = None
    fault: Fault | None = None
    proxy: ProxyPlan | None = None
    gzip: bool = True
    # Derived data of `headers` the edge may keep (faults.py: the prepared headers), shared by the plans
    # of one templated stub, whose headers are the same object request after request. What is kept
    # there names the headers object it was derived from, so a plan with other headers never uses it.
    header_memo: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # Derived data the edge may keep with a plan (faults.py: the prepared headers, the gzipped body).
    # A static stub's plan is made once and reused for every request, so what is kept here is too.
    # Not an init field: `dataclasses.replace` (other headers, a delay) starts with an empty one.
    memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)


class State(Protocol):
    """What dispatch reads from the core (the Mockd facade provides it)."""

    @property
    def store(self) -> StubStore: ...
    @property
    def scenarios(self) -> Scenarios: ...
    @property
    def engine(self) -> TemplateEngine: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def global_settings(self) -> GlobalSettings: ...


@dataclass
class Outcome:
    event: ServeEvent
    plan: Plan
    extra: dict[str, Any] = field(default_factory=dict)


def dispatch(state: State, req: LoggedRequest) -> Outcome:
    stub = select(state.store, state.scenarios, req)
    if stub is None:
        return _unmatched(state, req)
    state.scenarios.on_served(stub)  # no await between select() and here: atomic
    plan = render(state, stub, req)
    return Outcome(ServeEvent(req, stub, stub.response, True), plan)


def select(store: StubStore, scenarios: Scenarios, req: LoggedRequest) -> StubMapping | None:
    for stub in store.candidates(req):
        if stub.request.is_match(req) and scenarios.allows(stub):
            return stub
    return None


# -- rendering a matched stub ----------------------------------------------------------------------


def dialect_for(rd: ResponseDefinition, settings: Settings) -> Dialect | None:
    if settings.disable_response_templating:
        return None
    if "jinja2" in rd.transformers:
        return Dialect.JINJA2
    if "response-template" in rd.transformers or settings.global_response_templating:
        return Dialect.HANDLEBARS
    return None


def render(state: State, stub: StubMapping, req: LoggedRequest) -> Plan:
    rd = stub.response
    dialect = dialect_for(rd, state.settings)
    delay = delay_for(rd, state.global_settings)
    if rd.is_proxy:
        try:
            return _proxy_plan(state, stub, req, dialect, delay)
        except MockdError as exc:
            return _failed(exc, delay)
    if dialect is None and rd.body_file_name is None:
        plan = static_plan(state, stub)
        return plan if not delay else replace(plan, delay_ms=delay)
    return _answer(state, stub, req, dialect, delay)


def static_plan(state: State, stub: StubMapping) -> Plan:
    """The plan of a stub whose answer does not depend on the request (no templating, no proxy, no
    body file, which is read when served): made on first use and kept in the store for that stub
    object. An edited or reloaded stub is a new object, so it gets a new plan; so do new settings."""
    settings = state.settings
    kept = state.store.prepared.get(stub.id)
    if kept is not None and kept[0] is stub and kept[1] is settings and isinstance(kept[2], Plan):
        return kept[2]
    plan = _answer(state, stub, None, None, 0.0)
    state.store.prepared[stub.id] = (stub, settings, plan)
    return plan


def _failed(exc: MockdError, delay: float) -> Plan:
    return Plan(500, ((("Content-Type", TEXT_PLAIN),)), str(exc.detail).encode(), delay_ms=delay)


def _stub_ids(stub: StubMapping) -> Headers:
    if not stub.name:
        return (("Matched-Stub-Id", stub.id),)
    name = stub.name.encode("ascii", "replace").decode("ascii")
    return (("Matched-Stub-Id", stub.id), ("Matched-Stub-Name", name))


def _gzip_ok(rd: ResponseDefinition, settings: Settings) -> bool:
    return not settings.disable_gzip and not any(
        k.lower() == "content-encoding" and v.lower() == "none" for k, v in rd.headers
    )


@dataclass(frozen=True)
class _Recipe:
    """What the answer of a stub that is not static (templated, or with a body file) keeps from one
    request to the next: made on first use and kept in the store for that stub object and those
    settings, as a static plan is."""

    dialect: Dialect | None
    headers: Headers  # the answer's headers, Matched-Stub-* included, when no header value is a template
    templated_headers: bool  # else: the stub's headers are rendered per request, then `ids` added
    ids: Headers
    body: str | None  # `body`, or `jsonBody` serialised once; None: the body comes from elsewhere
    gzip: bool
    header_memo: dict[str, Any] = field(default_factory=dict, compare=False)


def _recipe(state: State, stub: StubMapping, dialect: Dialect | None) -> _Recipe:
    settings = state.settings
    kept = state.store.prepared.get(stub.id)
    recipe = kept[2] if kept is not None and kept[0] is stub and kept[1] is settings else None
    if isinstance(recipe, _Recipe) and recipe.dialect is dialect:
        return recipe
    rd = stub.response
    body = rd.body
    if body is None and rd.json_body is not None:
        body = jsontext.dumps_compact(rd.json_body)
    ids = _stub_ids(stub)
    templated = dialect is not None and any(is_template(v, dialect) for _, v in rd.headers)
    recipe = _Recipe(dialect, (*rd.headers, *ids), templated, ids, body, _gzip_ok(rd, settings))
    state.store.prepared[stub.id] = (stub, settings, recipe)
    return recipe


def _answer(
    state: State, stub: StubMapping, req: LoggedRequest | None, dialect: Dialect | None, delay: float
) -> Plan:
    """The answer of a stub that does not proxy, to `req` (None: a static stub's answer, made once)."""
    recipe = _recipe(state, stub, dialect)
    rd = stub.response
    try:
        model = None if dialect is None or req is None else _request_model(state, req, stub)
        headers = recipe.headers
        if recipe.templated_headers:
            headers = (*_headers(state, rd.headers, dialect, model), *recipe.ids)
        body = _body(state, rd, recipe.body, dialect, model)
        status = _status(state, rd, dialect, model)
    except MockdError as exc:
        return _failed(exc, delay)
    return Plan(
        status,
        headers,
        body,
        rd.status_message,
        delay,
        rd.chunked_dribble,
        rd.fault,
        gzip=recipe.gzip,
        header_memo=recipe.header_memo,
    )


def _request_model(state: State, req: LoggedRequest, stub: StubMapping) -> dict[str, Any]:
    params = stub.response.transformer_parameters or {}
    return state.engine.model(req, path_params=stub.request.url.path_params(req), parameters=params)


def _status(
    state: State, rd: ResponseDefinition, dialect: Dialect | None, model: Mapping[str, Any] | None
) -> int:
    """The stub's status; a templated one (mockd's addition) must render to an integer 100-599."""
    if rd.status_template is None:
        return rd.status
    if dialect is None or model is None:
        raise MockdError(f"status {rd.status_template!r} is a template, but templating is off for this stub")
    text = state.engine.render(rd.status_template, dialect, model).strip()
    if not text.isdigit() or not 100 <= int(text) <= 599:
        raise MockdError(f"templated status rendered {text[:40]!r}: expected an integer from 100 to 599")
    return int(text)


def is_template(text: str, dialect: Dialect) -> bool:
    """Whether `text` has anything to render: else it is served as it is, without the engine."""
    if "{{" in text:
        return True
    return dialect is Dialect.JINJA2 and ("{%" in text or "{#" in text)


def _headers(
    state: State, headers: Headers, dialect: Dialect | None, model: Mapping[str, Any] | None
) -> Headers:
    if dialect is None or model is None:
        return headers
    engine = state.engine
    return tuple(
        (k, _one_line(engine.render(v, dialect, model)) if is_template(v, dialect) else v) for k, v in headers
    )


_CONTROL = {c: " " for c in (*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F)}


def _one_line(value: str) -> str:
    """A rendered header value as one line: every control character but TAB becomes a space."""
    return value.translate(_CONTROL)


def _body(
    state: State,
    rd: ResponseDefinition,
    text: str | None,
    dialect: Dialect | None,
    model: Mapping[str, Any] | None,
) -> bytes:
    """`text`: `body`, or `jsonBody` as text (the recipe serialises it once); else base64 or a file."""
    if text is not None:
        return _template(state, text, dialect, model).encode("utf-8")
    if rd.base64_body is not None:
        return base64.b64decode(rd.base64_body)
    if rd.body_file_name is not None:
        name = _template(state, rd.body_file_name, dialect, model)
        path = resolve_under(state.settings.files_dir, name)
        if path is None or not path.is_file():
            raise MockdError(f"Body file {name!r} not found under __files")
        data = path.read_bytes()
        params = rd.transformer_parameters or {}
        if dialect is not None and not params.get("disableBodyFileTemplating"):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return data  # binary files are served as they are
            return _template(state, text, dialect, model).encode("utf-8")
        return data
    return b""


def _template(state: State, text: str, dialect: Dialect | None, model: Mapping[str, Any] | None) -> str:
    if dialect is None or model is None or not is_template(text, dialect):
        return text
    return state.engine.render(text, dialect, model)


def _proxy_plan(
    state: State, stub: StubMapping, req: LoggedRequest, dialect: Dialect | None, delay: float
) -> Plan:
    rd = stub.response
    model = None
    if dialect is not None:
        model = _request_model(state, req, stub)
    base = _template(state, rd.proxy_base_url or "", dialect, model).strip().rstrip("/")
    url = req.url
    prefix = rd.proxy_url_prefix_to_remove
    if prefix and url.startswith(prefix):
        url = url[len(prefix) :]
    removed = {h.lower() for h in rd.remove_proxy_request_headers}
    headers = [(k, v) for k, v in req.headers if k.lower() not in removed]
    extra = _headers(state, rd.additional_proxy_request_headers, dialect, model)
    return Plan(
        0,
        delay_ms=delay,
        dribble=rd.chunked_dribble,
        fault=rd.fault,
        proxy=ProxyPlan(base + url, req.method, tuple(headers), req.body, rd.headers, extra),
    )


# -- unmatched -------------------------------------------------------------------------------------

UNMATCHED_RESPONSE = ResponseDefinition(status=404, from_configured_stub=False)


def _unmatched(state: State, req: LoggedRequest) -> Outcome:
    if req.method == "GET":
        static = _static_file(state.settings, req)
        if static is not None:
            data, ctype = static
            rd = ResponseDefinition(status=200, from_configured_stub=False)
            return Outcome(ServeEvent(req, None, rd, False), Plan(200, (("Content-Type", ctype),), data))
    width = 119
    raw_width = req.header("X-WireMock-Console-Width")
    if raw_width and raw_width.isdigit():
        width = int(raw_width)
    text = report(req, state.store, state.scenarios, width)
    plan = Plan(404, (("Content-Type", TEXT_PLAIN),), text.encode("utf-8"))
    return Outcome(ServeEvent(req, None, UNMATCHED_RESPONSE, False), plan, {"report": text})


def _static_file(settings: Settings, req: LoggedRequest) -> tuple[bytes, str] | None:
    rel = req.decoded_path.lstrip("/")
    if ".." not in rel and not os.path.exists(os.path.join(settings.root_dir, "__files", rel)):
        return None  # the common case, one stat: nothing there (resolve_under would resolve every part)
    path = resolve_under(settings.files_dir, rel)
    if path is None or not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return data, ctype
