"""A templated header value can carry any request data: control characters never reach the wire."""

from __future__ import annotations

import httpx
from support import stub

from mockd.embedded import EmbeddedServer


def test_templated_header_with_control_characters(server: EmbeddedServer, http: httpx.Client) -> None:
    stub(
        http,
        {
            "request": {"method": "POST", "url": "/echo-header"},
            "response": {
                "headers": {"X-Echo": "{{request.body}}"},
                "body": "ok",
                "transformers": ["response-template"],
            },
        },
    )
    r = http.post("/echo-header", content=b"a\x00b\r\nInjected: 1\x7fc\td")
    assert r.status_code == 200 and r.text == "ok"
    assert r.headers["X-Echo"] == "a b  Injected: 1 c\td"
    assert "injected" not in r.headers
    assert http.get("/__admin/health").status_code == 200
