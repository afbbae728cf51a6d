"""Unmatched means explained: near misses and WireMock's plain-text "Request was not matched" report.

The near-miss search is bounded. A store of up to FULL_SCAN stubs is scored whole (WireMock scores
every stub). A larger one scores: the stubs that could match the request (its own url and path
buckets and the scanned pattern stubs, up to half the budget), and the stubs of the few indexed urls
and paths most like the request's (`StubStore.url_keys(kind).closest(...)`: neighbours in text order
and reversed text order ranked by edit distance). The url weighs most in a near miss's distance, so
the closest stub is among those in practice; the work per request no longer grows with the stubs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mockd.http import LoggedRequest
from mockd.matching.multi import MultiValuePattern
from mockd.matching.request import RequestPattern, method_matches
from mockd.matching.result import MatchResult
from mockd.matching.url import UrlKind
from mockd.matching.values import EqualTo, StringPattern
from mockd.scenarios import STARTED, Scenarios
from mockd.stubs.model import StubMapping
from mockd.stubs.store import StubStore

NO_STUBS = "No response could be served as there are no stub mappings in this WireMock instance."
NEAR_MISS_COUNT = 3
NEAR_MISS_BUDGET = 500
FULL_SCAN = 100  # stores this small are scored whole
BUCKET_CAP = 32  # stubs scored per close url / path key
REPORT_CACHE = 256  # unmatched reports kept per store (see report)
WIDTH = 119


@dataclass(frozen=True)
class NearMiss:
    stub: StubMapping
    result: MatchResult


def near_misses(
    req: LoggedRequest, store: StubStore, count: int = NEAR_MISS_COUNT, budget: int = NEAR_MISS_BUDGET
) -> list[NearMiss]:
    """The `count` closest stubs, from a bounded set of candidates."""
    seen: set[str] = set()
    pool: list[StubMapping] = []
    for stub in _pool(req, store, budget):
        if stub.id not in seen:
            seen.add(stub.id)
            pool.append(stub)
    scored = [NearMiss(s, s.request.match(req)) for s in pool]
    scored.sort(key=lambda n: (n.result.distance, n.stub.sort_key))
    return scored[:count]


def _pool(req: LoggedRequest, store: StubStore, budget: int) -> Iterable[StubMapping]:
    if len(store) <= min(FULL_SCAN, budget):
        yield from store.all()
        return
    yield from itertools.islice(store.candidates(req), budget // 2)
    for kind, subject in ((UrlKind.URL, req.url), (UrlKind.URL_PATH, req.path)):
        keys = store.url_keys(kind)
        if len(keys):
            for key in keys.closest(subject):
                yield from store.bucket(kind, key)[:BUCKET_CAP]


def rank_requests(
    pattern: RequestPattern, requests: Iterable[LoggedRequest], count: int
) -> list[tuple[LoggedRequest, MatchResult]]:
    scored = [(r, pattern.match(r)) for r in requests]
    scored.sort(key=lambda p: p[1].distance)
    return scored[:count]


# -- the plain-text report -------------------------------------------------------------------------


def report(req: LoggedRequest, store: StubStore, scenarios: Scenarios, width: int = WIDTH) -> str:
    if len(store) == 0:
        return NO_STUBS
    # When no stub could match the url, every stub's distance comes from the request line alone; when
    # the closest stub checks nothing else either (no headers, body ..., no scenario), neither does
    # the report: it is kept per request line until the stubs change.
    key = None
    if not store.has_candidates(req):
        key = (req.method, req.url, req.scheme, req.host, req.port, req.client_ip, width)
        found = store.reports.get(key)
        if found is not None:
            store.reports.move_to_end(key)
            return found
    closest = near_misses(req, store, 1)
    if not closest:
        return NO_STUBS
    stub = closest[0].stub
    text = render_diff(req, stub, scenarios, width)
    if key is not None and stub.scenario_name is None and stub.request.is_url_and_method_only:
        store.reports[key] = text
        if len(store.reports) > REPORT_CACHE:
            store.reports.popitem(last=False)
    return text


def render_diff(req: LoggedRequest, stub: StubMapping, scenarios: Scenarios, width: int = WIDTH) -> str:
    width = max(60, min(width, 400))
    col = (width - 1) // 2
    rows: list[tuple[str, str, str]] = []  # (expected, actual, message)
    pattern = stub.request

    def blank() -> None:
        rows.append(("", "", ""))

    blank()
    if stub.name:
        rows.append((stub.name, "", ""))
        blank()
    rows.append(
        (
            pattern.method,
            req.method,
            "" if method_matches(pattern.method, req.method) else "HTTP method does not match",
        )
    )
    url = pattern.url
    if url.kind is not UrlKind.ANY:
        actual = url.subject(req)
        ok = url.match(req).exact
        label = {UrlKind.URL: "", UrlKind.URL_PATTERN: "[regex] "}.get(url.kind, f"[{url.kind.value}] ")
        rows.append((label + url.value, actual, "" if ok else "URL does not match" + url.hint))
    else:
        rows.append(("[any URL]", req.url, ""))
    _stage1_extras(rows, pattern, req)
    blank()
    _path_params(rows, pattern, req)
    _headers(rows, pattern, req)
    _multi_rows(rows, "Query", pattern.query, req.query_params)
    _multi_rows(rows, "Form", pattern.form, req.form_params)
    _cookies(rows, pattern, req)
    _body(rows, pattern, req)
    if pattern.multipart_patterns:
        ok = all(mp.match(req).exact for mp in pattern.multipart_patterns) and req.is_multipart
        rows.append(
            (
                "[multipart]",
                "multipart" if req.is_multipart else "(not multipart)",
                "" if ok else "Multipart does not match",
            )
        )
    if stub.scenario_name is not None and stub.required_scenario_state is not None:
        current = scenarios.state(stub.scenario_name) or STARTED
        rows.append(
            (
                f"[Scenario '{stub.scenario_name}' state: {stub.required_scenario_state}]",
                f"[Scenario '{stub.scenario_name}' state: {current}]",
                "" if current == stub.required_scenario_state else "Scenario does not match",
            )
        )
    blank()
    return _layout(rows, width, col)


def _stage1_extras(rows: list[tuple[str, str, str]], p: RequestPattern, req: LoggedRequest) -> None:
    if p.scheme is not None:
        rows.append(
            (f"Scheme: {p.scheme}", req.scheme, "" if p.scheme == req.scheme else "Scheme does not match")
        )
    if p.host is not None:
        rows.append(_string_row("Host", p.host, req.host))
    if p.port is not None:
        rows.append((f"Port: {p.port}", str(req.port), "" if p.port == req.port else "Port does not match"))
    if p.client_ip is not None:
        rows.append(_string_row("ClientIp", p.client_ip, req.client_ip))


def _string_row(label: str, pattern: StringPattern, actual: str | None) -> tuple[str, str, str]:
    ok = pattern.match(actual).exact
    return (
        f"{label}{_op(pattern)}: {pattern.expected}",
        actual or "",
        "" if ok else f"{label} does not match",
    )


def _op(pattern: StringPattern | MultiValuePattern) -> str:
    return "" if isinstance(pattern, EqualTo) or pattern.operator == "equalTo" else f" [{pattern.operator}]"


def _path_params(rows: list[tuple[str, str, str]], p: RequestPattern, req: LoggedRequest) -> None:
    if not p.path_parameters:
        return
    params = p.url.path_params(req)
    for name, pattern in p.path_parameters.items():
        actual = params.get(name)
        ok = pattern.match(actual).exact
        rows.append(
            (f"Path parameter: {name}{_op(pattern)} {pattern.expected}", f"{name}: {actual or ''}",
             "" if ok else "Path parameter does not match")
        )  # fmt: skip


def _headers(rows: list[tuple[str, str, str]], p: RequestPattern, req: LoggedRequest) -> None:
    for name, pattern in p.headers.items():
        values = req.header_values(name)
        ok = pattern.match(values).exact
        actual = f"{req.header_names.get(name.lower(), name)}: {', '.join(values)}" if values else ""
        message = "" if ok else ("Header does not match" if values else "Header is not present")
        rows.append((f"{name}{_op(pattern)}: {pattern.expected}", actual, message))
    if p.basic_auth is not None:
        value = req.header("Authorization")
        ok = p.basic_auth.match(value).exact
        message = "" if ok else ("Header does not match" if value else "Header is not present")
        rows.append(
            (f"Authorization: {p.basic_auth.expected}", f"Authorization: {value}" if value else "", message)
        )


def _multi_rows(
    rows: list[tuple[str, str, str]],
    label: str,
    patterns: Mapping[str, MultiValuePattern],
    actual: dict[str, list[str]],
) -> None:
    for name, pattern in patterns.items():
        values = actual.get(name)
        ok = pattern.match(values).exact
        shown = f"{name}: {', '.join(values)}" if values else ""
        message = "" if ok else (f"{label} does not match" if values else f"{label} is not present")
        rows.append((f"{label}: {name}{_op(pattern)} {pattern.expected}", shown, message))


def _cookies(rows: list[tuple[str, str, str]], p: RequestPattern, req: LoggedRequest) -> None:
    for name, pattern in p.cookies.items():
        values = req.cookies.get(name)
        ok = any(pattern.match(v).exact for v in values) if values else pattern.match(None).exact
        shown = f"{name}: {', '.join(values)}" if values else ""
        message = "" if ok else ("Cookie does not match" if values else "Cookie is not present")
        rows.append((f"Cookie: {name}{_op(pattern)} {pattern.expected}", shown, message))


def _body(rows: list[tuple[str, str, str]], p: RequestPattern, req: LoggedRequest) -> None:
    for pattern in p.body_patterns:
        ok = pattern.match_body(req.body or None, req.body_text).exact
        if ok:
            continue
        rows.append((f"[{pattern.operator}]", "", "Body does not match"))
        expected = pattern.expected.splitlines() or [""]
        actual = (req.body_text or "").splitlines() or [""]
        for i in range(max(len(expected), len(actual))):
            rows.append((expected[i] if i < len(expected) else "", actual[i] if i < len(actual) else "", ""))


def _layout(rows: Sequence[tuple[str, str, str]], width: int, col: int) -> str:
    title = "Request was not matched"
    out = [
        "",
        title.center(width).rstrip(),
        ("=" * len(title)).center(width).rstrip(),
        "",
        "-" * width,
        "| " + "Closest stub".ljust(col - 2) + "| " + "Request".ljust(width - col - 3) + "|",
        "-" * width,
    ]
    right_width = width - col - 2 - 6
    for expected, actual, message in rows:
        e_lines = _wrap(expected, col - 1)
        a_lines = _wrap(actual, right_width)
        for i in range(max(len(e_lines), len(a_lines))):
            left = e_lines[i] if i < len(e_lines) else ""
            right = a_lines[i] if i < len(a_lines) else ""
            line = left.ljust(col) + "|"
            if right or (message and i == 0):
                line += " " + right.ljust(right_width)
            if message and i == 0:
                line += "<<<<< " + message
            out.append(line.rstrip() if not message else line)
    out.append("-" * width)
    return "\n".join(out) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    if not text:
        return [""]
    lines: list[str] = []
    for raw in text.splitlines() or [""]:
        while len(raw) > width:
            lines.append(raw[:width])
            raw = raw[width:]
        lines.append(raw)
    return lines
