"""The request model of spec §4.2 (`request.*`, `parameters.*`), as Handlebars and Jinja2 templates see it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mockd.http import LoggedRequest
from mockd.templating import Dialect, request_model
from mockd.templating.context import RequestModel

MULTIPART = (
    b'--XyZ\r\nContent-Disposition: form-data; name="note"\r\nContent-Type: text/plain\r\n\r\nhello parts\r\n'
    b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--XyZ--\r\n"
)


def test_the_model_is_lazy() -> None:
    req = LoggedRequest.create("GET", "/a?b=1", [("X", "1")], b"")
    model = request_model(req)
    assert set(model) == {"request", "parameters"}
    request = model["request"]
    assert isinstance(request, RequestModel)
    assert request._cache == {}
    assert "url" in request and request["url"] == "/a?b=1"
    assert set(request._cache) == {"url"}


def test_basics(render: Any) -> None:
    out = render(
        "{{request.url}}|{{request.path}}|{{request.method}}|{{request.scheme}}|{{request.host}}|{{request.port}}|"
        "{{request.baseUrl}}|{{request.clientIp}}",
        method="PUT",
        url="/t/basic/a/b?x=1&y=2",
        headers={"X-Forwarded-For": "10.0.0.9, 10.0.0.1"},
    )
    # clientIp shows the whole X-Forwarded-For value, as WireMock's template model does
    assert (
        out
        == "/t/basic/a/b?x=1&y=2|/t/basic/a/b|PUT|http|127.0.0.1|28931|http://127.0.0.1:28931|10.0.0.9, 10.0.0.1"
    )


def test_base_url_omits_default_ports(engine: Any) -> None:
    for scheme, port, expected in (
        ("http", 80, "http://h"),
        ("https", 443, "https://h"),
        ("https", 80, "https://h:80"),
    ):
        req = LoggedRequest.create("GET", "/", [], b"", scheme=scheme, host="h", port=port)
        assert engine.render("{{request.baseUrl}}", Dialect.HANDLEBARS, request_model(req)) == expected


def test_request_id_is_the_logged_request_id(request_for: Any, engine: Any) -> None:
    req = request_for()
    assert engine.render("{{request.id}}", Dialect.HANDLEBARS, request_model(req)) == req.id


def test_path_and_segments(render: Any) -> None:
    template = (
        "{{request.path}}|{{request.path.[0]}}|{{request.path.1}}|{{request.pathSegments.[2]}}|[{{request.path.[-1]}}]|"
        "{{size request.path}}|{{#each request.path}}{{this}},{{/each}}|{{request.requestLine.path}}"
    )
    assert (
        render(template, url="/seg1/seg%202/x?a=1")
        == "/seg1/seg 2/x|seg1|seg 2|x|[]|3|seg1,seg 2,x,|/seg1/seg 2/x"
    )
    assert render("{{#if request.path}}Y{{else}}N{{/if}}|{{size request.path}}", url="/") == "N|0"


def test_path_template_variables(render: Any) -> None:
    params = {"kind": "bo%20ok", "id": "977"}
    template = "{{request.path}}|{{request.path.kind}}|{{request.path.id}}|{{request.path.[1]}}|{{#each request.path}}{{this}},{{/each}}"
    # urlPathTemplate stubs see the raw path, and iterate over every segment (the empty first one too)
    assert (
        render(template, url="/o/bo%20ok/977", path_params=params)
        == "/o/bo%20ok/977|bo%20ok|977|bo%20ok|,o,bo%20ok,977,"
    )


def test_query(render: Any) -> None:
    template = (
        "{{request.query.name}}|{{request.query.id.[0]}}|{{request.query.id.[1]}}|{{request.query.id.first}}|"
        "{{request.query.id.last}}|{{request.query.id.[-1]}}|{{request.query.id.size}}|[{{request.query.nope}}]|"
        "{{#each request.query.id}}<{{this}}>{{/each}}|{{request.query.flag}}|{{lookup request.query 'a[]'}}"
    )
    # `.[-1]` is WireMock's ListOrSingle.get(-1): size - 2, the second last value
    out = render(template, url="/q?name=Jo+Ann&id=1&id=2&id=3&flag&a[]=x")
    assert out == "Jo Ann|1|2|1|3|2|3|[]|<1><2><3>||x"


def test_query_prints_as_a_java_map(render: Any) -> None:
    assert render("{{request.query}}", url="/q?a=1&a=2&b=x") == "{a=1, b=x}"


def test_headers(render: Any) -> None:
    headers = [("X-Request-Id", "rid-9"), ("X-Odd.Name", "odd"), ("X-Multi", "v1"), ("x-multi", "v2")]
    template = (
        "{{request.headers.X-Request-Id}}/{{request.headers.x-request-id}}/{{request.headers.[X-Odd.Name]}}/"
        "{{request.headers.X-Multi}}/{{request.headers.x-multi.[1]}}/{{size request.headers.X-MULTI}}/"
        "{{#each request.headers}}{{@key}};{{/each}}"
    )
    assert (
        render(template, headers=headers) == "rid-9/rid-9/odd/v1/v2/2/Host;X-Multi;X-Odd.Name;X-Request-Id;"
    )
    assert (
        render("{{request.headers}}", headers=[("B", "2"), ("a", "1")]) == "{a=1, B=2, Host=127.0.0.1:28931}"
    )


def test_cookies(render: Any) -> None:
    out = render(
        "{{request.cookies.session}}|{{request.cookies.c.[1]}}|{{request.cookies}}",
        headers={"Cookie": "session=s-1; c=1; c=2"},
    )
    assert out == "s-1|2|{session=s-1, c=1}"


def test_body(render: Any) -> None:
    assert (
        render("{{request.body}}|{{request.bodyAsBase64}}", method="POST", body="<b>&amp;</b>")
        == "<b>&amp;</b>|PGI+JmFtcDs8L2I+"
    )
    assert (
        render("[{{request.body}}]|{{size request.body}}|{{#if request.body}}Y{{else}}N{{/if}}") == "[]|0|N"
    )
    latin = "é".encode("latin-1")
    assert (
        render("{{request.body}}", body=latin, headers={"Content-Type": "text/plain; charset=ISO-8859-1"})
        == "é"
    )


def test_multipart_parts(render: Any) -> None:
    headers = {"Content-Type": "multipart/form-data; boundary=XyZ"}
    template = (
        "{{request.multipart}}|{{request.parts.note.body}}|{{request.parts.note.headers.content-type}}|"
        "{{request.parts.note.name}}|{{request.parts.file.bodyAsBase64}}|{{request.parts.file.binary}}|"
        "{{request.parts.note.binary}}"
    )
    assert (
        render(template, method="POST", body=MULTIPART, headers=headers)
        == "true|hello parts|text/plain|note|AAE=|true|false"
    )
    assert (
        render("{{request.multipart}}|{{size request.parts}}|{{request.binary}}") == "false|0|true"
    )  # no type: binary


def test_multipart_related_unnamed_parts(render: Any) -> None:
    body = b"--B\r\nContent-Type: text/plain\r\n\r\none\r\n--B\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--B--\r\n"
    headers = {"Content-Type": "multipart/related; boundary=B"}
    assert (
        render(
            "{{request.parts.part-0.body}}|{{request.parts.part-1.body}}",
            method="POST",
            body=body,
            headers=headers,
        )
        == "one|two"
    )


def test_request_line_alias(render: Any) -> None:
    out = render(
        "{{request.requestLine.method}}|{{request.requestLine.query.a}}|{{request.requestLine.pathSegments.[0]}}|"
        "{{request.requestLine.baseUrl}}",
        url="/o/x?a=1",
    )
    assert out == "GET|1|o|http://127.0.0.1:28931"


def test_parameters(render: Any) -> None:
    params = {
        "greeting": "Hola",
        "who": {"name": "Mundo"},
        "price": Decimal("1.10"),
        "list": [1, Decimal("2.5")],
    }
    out = render(
        "{{parameters.greeting}}, {{parameters.who.name}}! {{parameters.price}} {{parameters.list}}",
        parameters=params,
    )
    assert out == "Hola, Mundo! 1.1 [1, 2.5]"  # Jackson reads the decimals as doubles
    assert render("[{{parameters.missing}}]|{{parameters}}") == "[]|{}"
    assert params["price"] == Decimal("1.10")  # the stub's own parameters are not changed


def test_the_same_model_in_jinja2(render: Any) -> None:
    out = render(
        "{{ request.query.id }}|{{ request.query.id[1] }}|{{ request.query.id.last }}|{{ request.path[0] }}|"
        "{{ request.headers['x-a'] }}|{{ request.method == 'GET' }}|{{ parameters.p }}",
        url="/a/b?id=1&id=2",
        headers={"X-A": "h"},
        parameters={"p": 1},
        dialect=Dialect.JINJA2,
    )
    assert out == "1|2|2|a|h|true|1"


@pytest.mark.parametrize("key", ["_req", "__class__", "nope"])
def test_model_lookups_of_unknown_keys_give_nothing(key: str, render: Any) -> None:
    assert render("[{{request." + key + "}}]") == "[]"
