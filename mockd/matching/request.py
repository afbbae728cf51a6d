"""RequestPattern: every part of a request matcher, matched in WireMock's stages with its weights.

Stage 1 (scheme, host, port, clientIp, url, method) is checked first; when it fails the rest is not
evaluated, which is what WireMock's distance does too. Stage 2 is path parameters, headers (and basic
auth), query, form, cookies, body and multipart, each weighted 1 and averaged over its keys.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from mockd.http import LoggedRequest
from mockd.matching.custom import matches as custom_matches
from mockd.matching.multi import MultiValuePattern
from mockd.matching.result import EXACT, NO_MATCH, MatchResult, average, weighted
from mockd.matching.url import ANY_URL, UrlPattern
from mockd.matching.values import StringPattern
from mockd.multipart import MultipartPart

ANY_METHOD = "ANY"
GET_OR_HEAD = "GET_OR_HEAD"


def method_matches(expected: str, actual: str) -> bool:
    if expected == ANY_METHOD:
        return True
    if expected == GET_OR_HEAD:
        return actual in ("GET", "HEAD")
    return expected == actual


@dataclass(frozen=True)
class BasicAuth(StringPattern):
    """`Authorization` equal to `Basic base64(user:pass)`; the scheme name is case-insensitive."""

    username: str
    password: str
    operator = "basicAuth"

    @property
    def token(self) -> str:
        return base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")

    def match(self, value: str | None) -> MatchResult:
        if value is None:
            return NO_MATCH
        scheme, _, token = value.partition(" ")
        return MatchResult.of(scheme.lower() == "basic" and token.strip() == self.token)

    def to_json(self) -> dict[str, Any]:
        return {"username": self.username, "password": self.password}

    @property
    def expected(self) -> str:
        return f"Basic {self.token}"


class MatchingType(StrEnum):
    ANY = "ANY"
    ALL = "ALL"


@dataclass(frozen=True)
class MultipartPattern:
    matching_type: MatchingType = MatchingType.ANY
    headers: Mapping[str, MultiValuePattern] = field(default_factory=dict)
    body_patterns: tuple[StringPattern, ...] = ()
    name: str | None = None
    file_name: StringPattern | None = None

    def match_part(self, part: MultipartPart) -> MatchResult:
        results: list[MatchResult] = []
        if self.name is not None:
            results.append(MatchResult.of(part.name == self.name))
        if self.file_name is not None:
            results.append(self.file_name.match(part.file_name))
        for hname, hpattern in self.headers.items():
            results.append(hpattern.match(part.header_values(hname)))
        for bp in self.body_patterns:
            results.append(bp.match_body(part.body or None, part.text))
        return average(results)

    def match(self, req: LoggedRequest) -> MatchResult:
        parts = req.parts
        if not parts:
            return NO_MATCH
        results = [self.match_part(p) for p in parts]
        if self.matching_type is MatchingType.ALL:
            return average(results)
        return min(results, key=lambda r: (not r.exact, r.distance))


@dataclass(frozen=True)
class RequestPattern:
    url: UrlPattern = ANY_URL
    method: str = ANY_METHOD
    scheme: str | None = None
    host: StringPattern | None = None
    port: int | None = None
    client_ip: StringPattern | None = None
    path_parameters: Mapping[str, StringPattern] = field(default_factory=dict)
    headers: Mapping[str, MultiValuePattern] = field(default_factory=dict)
    basic_auth: BasicAuth | None = None
    query: Mapping[str, MultiValuePattern] = field(default_factory=dict)
    form: Mapping[str, MultiValuePattern] = field(default_factory=dict)
    cookies: Mapping[str, StringPattern] = field(default_factory=dict)
    body_patterns: tuple[StringPattern, ...] = ()
    multipart_patterns: tuple[MultipartPattern, ...] = ()
    custom_matcher: Mapping[str, Any] | None = None

    # -- fast path: is it a match at all? ---------------------------------------------------------
    def is_match(self, req: LoggedRequest) -> bool:
        if not method_matches(self.method, req.method):
            return False
        if not self.url.match(req).exact:
            return False
        if self.is_url_and_method_only:
            return self.custom_matcher is None or custom_matches(self.custom_matcher, req)
        if not self._stage1_rest(req).exact:
            return False
        if not self._stage2(req).exact:
            return False
        return self.custom_matcher is None or custom_matches(self.custom_matcher, req)

    @cached_property
    def is_url_and_method_only(self) -> bool:
        """Nothing but url and method to check (most stubs): is_match skips the other stages, and an
        unmatched report against such a pattern shows only the request line."""
        return (
            self.scheme is None
            and self.host is None
            and self.port is None
            and self.client_ip is None
            and not self.path_parameters
            and not self.headers
            and self.basic_auth is None
            and not self.query
            and not self.form
            and not self.cookies
            and not self.body_patterns
            and not self.multipart_patterns
        )

    # -- graded result, for near misses and verification ------------------------------------------
    def match(self, req: LoggedRequest) -> MatchResult:
        stage1 = self._stage1(req)
        first = weighted(stage1)
        if not first.exact:
            return first
        stage2 = self._stage2_parts(req)
        result = weighted([*stage1, *((r, 1.0) for r in stage2)])
        if result.exact and self.custom_matcher is not None and not custom_matches(self.custom_matcher, req):
            return NO_MATCH
        return result

    def _stage1(self, req: LoggedRequest) -> list[tuple[MatchResult, float]]:
        results: list[tuple[MatchResult, float]] = [
            (self.url.match(req), 10.0),
            (MatchResult.of(method_matches(self.method, req.method)), 3.0),
        ]
        if self.scheme is not None:
            results.append((MatchResult.of(self.scheme == req.scheme), 3.0))
        if self.host is not None:
            results.append((self.host.match(req.host), 10.0))
        if self.port is not None:
            results.append((MatchResult.of(self.port == req.port), 10.0))
        if self.client_ip is not None:
            results.append((self.client_ip.match(req.client_ip), 3.0))
        return results

    def _stage1_rest(self, req: LoggedRequest) -> MatchResult:
        if self.scheme is not None and self.scheme != req.scheme:
            return NO_MATCH
        if self.host is not None and not self.host.match(req.host).exact:
            return NO_MATCH
        if self.port is not None and self.port != req.port:
            return NO_MATCH
        if self.client_ip is not None and not self.client_ip.match(req.client_ip).exact:
            return NO_MATCH
        return EXACT

    def _stage2(self, req: LoggedRequest) -> MatchResult:
        return average(self._stage2_parts(req))

    def _stage2_parts(self, req: LoggedRequest) -> list[MatchResult]:
        parts: list[MatchResult] = []
        if self.path_parameters:
            params = self.url.path_params(req)
            parts.append(average(p.match(params.get(k)) for k, p in self.path_parameters.items()))
        if self.headers or self.basic_auth is not None:
            results = [p.match(req.header_values(k)) for k, p in self.headers.items()]
            if self.basic_auth is not None:
                results.append(self.basic_auth.match(req.header("Authorization")))
            parts.append(average(results))
        if self.query:
            qp = req.query_params
            parts.append(average(p.match(qp.get(k)) for k, p in self.query.items()))
        if self.form:
            fp = req.form_params
            parts.append(average(p.match(fp.get(k)) for k, p in self.form.items()))
        if self.cookies:
            cookies = req.cookies
            parts.append(average(_best(p, cookies.get(k)) for k, p in self.cookies.items()))
        if self.body_patterns:
            data = req.body or None
            text = req.body_text
            parts.append(average(p.match_body(data, text) for p in self.body_patterns))
        if self.multipart_patterns:
            if not req.is_multipart:
                parts.append(NO_MATCH)
            else:
                parts.append(average(mp.match(req) for mp in self.multipart_patterns))
        return parts


def _best(pattern: StringPattern, values: list[str] | None) -> MatchResult:
    if not values:
        return pattern.match(None)
    return min((pattern.match(v) for v in values), key=lambda r: (not r.exact, r.distance))
