"""URL patterns see the raw path (+ raw query for url/urlPattern), as WireMock's do."""

from __future__ import annotations

import pytest

from mockd.errors import InvalidInput
from mockd.http import LoggedRequest
from mockd.matching.url import UrlKind, UrlPattern


def req(url: str) -> LoggedRequest:
    return LoggedRequest.create("GET", url)


def match(kind: UrlKind, value: str, url: str) -> bool:
    return UrlPattern.parse(kind, value, "/request").match(req(url)).exact


@pytest.mark.parametrize(
    ("kind", "value", "url", "expected"),
    [
        (UrlKind.URL, "/a?b=1", "/a?b=1", True),
        (UrlKind.URL, "/a", "/a?b=1", False),
        (UrlKind.URL, "/a", "/a?", True),  # an empty query still matches
        (UrlKind.URL, "/x%2520y", "/x%2520y", True),  # raw, never decoded twice
        (UrlKind.URL, "/x%2520y", "/x%20y", False),
        (UrlKind.URL_PATH, "/a", "/a?b=1", True),
        (UrlKind.URL_PATH, "/files/my%20doc", "/files/my%20doc", True),
        (UrlKind.URL_PATH, "/files/my doc", "/files/my%20doc", False),
        (UrlKind.URL_PATH, "/A", "/a", False),
        (UrlKind.URL_PATTERN, "/a/[0-9]+", "/a/12", True),
        (UrlKind.URL_PATTERN, "/a/[0-9]+", "/a/12?x=1", False),  # whole-string on path+query
        (UrlKind.URL_PATTERN, "/a", "/a/b", False),  # anchored
        (UrlKind.URL_PATH_PATTERN, "/enc/[^/]+", "/enc/a%2Fb", True),
        (UrlKind.URL_PATH_PATTERN, "/a/[0-9]+", "/a/12?x=1", True),
        (UrlKind.URL_PATH_TEMPLATE, "/c/{id}/a/{aid}", "/c/1/a/2", True),
        (UrlKind.URL_PATH_TEMPLATE, "/c/{id}/a/{aid}", "/c/1/a", False),
        (UrlKind.URL_PATH_TEMPLATE, "/c/{id}", "/c/1/2", False),
        (UrlKind.URL_PATH_TEMPLATE, "/c/{id}", "/c/1?q=2", True),
        (UrlKind.URL_PATH_TEMPLATE, "/files/**", "/files/a/b/c", True),
    ],
)
def test_url_kinds(kind: UrlKind, value: str, url: str, expected: bool) -> None:
    assert match(kind, value, url) is expected


def test_path_template_variables_are_decoded() -> None:
    p = UrlPattern.parse(UrlKind.URL_PATH_TEMPLATE, "/c/{name}/x/{id.}", "/request")
    assert p.path_params(req("/c/a%20b/x/7")) == {"name": "a b", "id": "7"}


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (UrlKind.URL_PATTERN, "/a/(unclosed"),
        (UrlKind.URL_PATH_TEMPLATE, "/a/{}"),
        (UrlKind.URL_PATH_TEMPLATE, "/a/{x}/{x}"),
        (UrlKind.URL_PATH_TEMPLATE, "/a/{x"),
    ],
)
def test_invalid_url_patterns_are_located(kind: UrlKind, value: str) -> None:
    with pytest.raises(InvalidInput) as info:
        UrlPattern.parse(kind, value, f"/request/{kind.value}")
    assert info.value.pointer == f"/request/{kind.value}"


def test_hints() -> None:
    assert '"?" should be "\\?"' in UrlPattern.parse(UrlKind.URL_PATTERN, "/h?x=1", "").hint
    assert "must start with a /" in UrlPattern.parse(UrlKind.URL, "h", "").hint
