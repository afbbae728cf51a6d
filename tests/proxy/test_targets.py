"""What proxying may reach and send: --allow/deny-proxy-targets (proxies and webhooks), the User-Agent,
--supported-proxy-encodings; and WireMock's other command-line flags (accepted, ignored or refused).

Expected texts were observed on the real WireMock 3.13.2 (anchors): a denied proxy answers 500
"The target proxy address is denied in WireMock's configuration."; a denied webhook leaves an ERROR
sub-event naming its URL and stub; the client's User-Agent is replaced unless
--preserve-user-agent-proxy-header.
"""

from __future__ import annotations

import base64
import logging
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Start
from support import stub

from mockd.errors import InvalidInput
from mockd.netrules import NetworkRules, parse_address, rule
from mockd.upstream import USER_AGENT

DENIED = "The target proxy address is denied in WireMock's configuration."


def _addresses(*texts: str) -> list[Any]:
    return [parse_address(t) for t in texts]


def test_the_rules() -> None:
    rules = NetworkRules.of(["10.0.0.0-10.0.0.255", "*.example.com", "::1"], ["10.0.0.7", "bad.example.com"])
    assert rules.allows("10.0.0.3", _addresses("10.0.0.3"))
    assert not rules.allows("10.0.0.7", _addresses("10.0.0.7"))  # denied wins over allowed
    assert not rules.allows("10.0.1.1", _addresses("10.0.1.1"))  # outside the allow list
    assert rules.allows("api.example.com", _addresses("192.0.2.1"))  # the name is allowed ...
    assert not rules.allows(
        "api.example.com", _addresses("192.0.2.1", "10.0.0.7")
    )  # ... a denied address is not
    assert not rules.allows("other.org", _addresses("10.0.0.3", "192.0.2.1"))  # not every address is allowed
    assert rules.allows("other.org", _addresses("10.0.0.3"))
    assert not rules.allows("bad.example.com", _addresses("10.0.0.3"))
    assert rules.allows("::1", _addresses("::1"))
    assert not rules.allows("nowhere.example.com", [])  # does not resolve: not allowed
    deny_only = NetworkRules.of([], ["127.0.0.1", "10.*"])
    assert not deny_only.allows("localhost", _addresses("127.0.0.1"))  # an IP entry applies to names
    assert not deny_only.allows("10.1.2.3", _addresses("10.1.2.3"))  # a wildcard matches addresses as text
    assert deny_only.allows("example.org", _addresses("192.0.2.9"))
    for bad in ("", "999.1.1.1", "10.0.0.9-10.0.0.1"):
        with pytest.raises(InvalidInput):
            rule(bad, "--deny-proxy-targets")


def _proxy_stub(http: httpx.Client, base: str) -> None:
    stub(http, {"request": {"urlPathPattern": "/p/.*"}, "response": {"proxyBaseUrl": base}})


def test_a_denied_proxy_target_is_a_500(start: Start, upstream: Any) -> None:
    with start(deny_proxy_targets=("127.0.0.1",)) as (_, http):
        _proxy_stub(http, upstream.url)
        answer = http.get("/p/x")
        assert (answer.status_code, answer.text) == (500, DENIED)
        _proxy_stub(http, f"http://localhost:{upstream.port}")  # by name: its address is denied too
        assert http.get("/p/y").text == DENIED
    with start(allow_proxy_targets=("127.0.0.1",)) as (_, http):
        _proxy_stub(http, upstream.url)
        assert http.get("/p/x").json()["path"] == "/p/x"


def test_a_denied_webhook_target_is_an_error_sub_event(start: Start, upstream: Any) -> None:
    with start(allow_proxy_targets=("192.0.2.1",)) as (_, http):
        url = upstream.url + "/hook"
        stub(
            http,
            {
                "name": "hooked",
                "request": {"urlPath": "/w"},
                "response": {"status": 200},
                "serveEventListeners": [{"name": "webhook", "parameters": {"url": url}}],
            },
        )
        assert http.get("/w").status_code == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            subs = http.get("/__admin/requests").json()["requests"][0]["subEvents"]
            if len(subs) >= 2:
                break
            time.sleep(0.02)
    message = (
        f"The target webhook address {url} specified by stub hooked is denied in WireMock's configuration."
    )
    assert [s["type"] for s in subs] == ["WEBHOOK_REQUEST", "ERROR"]  # as WireMock 3.13.2 logs it
    assert subs[1] == {"type": "ERROR", "data": {"message": message}}


def test_the_user_agent_sent_upstream(start: Start, upstream: Any) -> None:
    with start() as (_, http):
        _proxy_stub(http, upstream.url)
        assert (
            http.get("/p/ua", headers={"User-Agent": "my-agent/1.0"}).json()["headers"]["user-agent"]
            == USER_AGENT
        )
    with start(preserve_user_agent=True) as (_, http):
        _proxy_stub(http, upstream.url)
        assert (
            http.get("/p/ua", headers={"User-Agent": "my-agent/1.0"}).json()["headers"]["user-agent"]
            == "my-agent/1.0"
        )


def test_supported_proxy_encodings_filter_accept_encoding(start: Start, upstream: Any) -> None:
    with start(supported_proxy_encodings=("gzip", "deflate")) as (_, http):
        _proxy_stub(http, upstream.url)
        sent = http.get("/p/e", headers={"Accept-Encoding": "br, gzip;q=0.8, zstd"}).json()["headers"]
        assert sent["accept-encoding"] == "gzip;q=0.8"
        assert "accept-encoding" not in http.get("/p/e", headers={"Accept-Encoding": "br"}).json()["headers"]
    with start() as (_, http):
        _proxy_stub(http, upstream.url)
        assert (
            http.get("/p/e", headers={"Accept-Encoding": "br, zstd"}).json()["headers"]["accept-encoding"]
            == "br, zstd"
        )


def test_verbose_logs_each_request_unless_request_logging_is_off(
    start: Start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mockd")
    with start(verbose=True) as (_, http):
        stub(http, {"name": "hello", "request": {"url": "/v"}, "response": {"status": 201}})
        assert http.get("/v").status_code == 201
    assert any("GET /v -> 201 (stub hello" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with start(verbose=True, disable_request_logging=True) as (_, http):
        stub(http, {"request": {"url": "/v"}, "response": {"status": 201}})
        assert http.get("/v").status_code == 201
        assert http.get("/nothing").status_code == 404
    assert not [r for r in caplog.records if "/v" in r.getMessage() or "/nothing" in r.getMessage()]


def _serve(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """`mockd serve` with `flags`, stopped at once through the admin API once it is up (or its failure)."""
    code = (
        "import subprocess, sys, re, urllib.request\n"
        "p = subprocess.Popen([sys.executable, '-m', 'mockd', 'serve', '--root-dir', sys.argv[1], '--port', '0',"
        " '--bind-address', '127.0.0.1', '--no-watch', *sys.argv[2:]], stdout=subprocess.PIPE,"
        " stderr=subprocess.PIPE, text=True)\n"
        "line = p.stdout.readline()\n"
        "m = re.search(r'http://\\S+', line)\n"
        "if m: urllib.request.urlopen(urllib.request.Request(m.group(0) + '/__admin/shutdown', method='POST'), timeout=10)\n"
        "out, err = p.communicate(timeout=30)\n"
        "print(line + out, end=''); print(err, end='', file=sys.stderr); sys.exit(p.returncode)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(root), *flags],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_wiremock_command_lines_run_unchanged(root: Path) -> None:
    ran = _serve(
        root,
        "--container-threads", "50", "--jetty-acceptor-threads=4", "--async-response-enabled", "true",
        "--disable-http2-plain", "--timeout", "1000", "--use-chunked-encoding", "never",
        "--extensions", "org.wiremock.webhooks.Webhooks", "--disable-request-logging",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "listening on http://127.0.0.1:" in ran.stdout and "warning" not in ran.stderr
    warned = _serve(root, "--extensions", "com.example.Custom,org.wiremock.webhooks.Webhooks")
    assert warned.returncode == 0
    assert "Java extensions cannot run in mockd; ignored: com.example.Custom" in warned.stderr


class ForwardProxy(socketserver.ThreadingTCPServer):
    """An HTTP forward proxy that answers every request itself and keeps the request heads it saw."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.heads: list[list[str]] = []
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        head: list[str] = []
        while True:
            line = self.rfile.readline(65536).decode("latin-1").rstrip("\r\n")
            if not line:
                break
            head.append(line)
        assert isinstance(self.server, ForwardProxy)
        self.server.heads.append(head)
        length = next((int(h.split(":", 1)[1]) for h in head if h.lower().startswith("content-length:")), 0)
        self.rfile.read(length)
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nvia proxy")


def test_proxy_via_sends_proxied_requests_and_webhooks_through_a_proxy(start: Start) -> None:
    proxy = ForwardProxy()
    threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with start(proxy_via=f"http://user:pa%20ss@127.0.0.1:{proxy.port}") as (_, http):
            _proxy_stub(http, "http://upstream.invalid:8081")
            answer = http.get("/p/thing?x=1")
            assert (answer.status_code, answer.text) == (200, "via proxy")
            stub(
                http,
                {
                    "request": {"urlPath": "/w"},
                    "response": {"status": 204},
                    "serveEventListeners": [
                        {
                            "name": "webhook",
                            "parameters": {"url": "http://hooks.invalid/cb", "method": "POST", "body": "b"},
                        }
                    ],
                },
            )
            assert http.get("/w").status_code == 204
            deadline = time.monotonic() + 10
            while len(proxy.heads) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
    finally:
        proxy.shutdown()
        proxy.server_close()
    first, second = proxy.heads
    assert first[0] == "GET http://upstream.invalid:8081/p/thing?x=1 HTTP/1.1"
    assert "Proxy-Authorization: Basic " + base64.b64encode(b"user:pa ss").decode() in first
    assert second[0] == "POST http://hooks.invalid/cb HTTP/1.1"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--enable-browser-proxying"], "browser proxying is not supported"),
        (["--proxy-via", "https://proxy.local:3128"], "the proxy is reached over plain HTTP"),
        (["--proxy-via", "proxy.local"], "expected host:port"),
        (["--filename-template", "{{{request.url}}}.json"], "'request.url' is not supported"),
        (["--deny-proxy-targets", "300.1.1.1"], "300.1.1.1 is not a valid IP address"),
    ],
)
def test_what_mockd_does_not_do_is_refused(root: Path, flags: list[str], message: str) -> None:
    ran = _serve(root, *flags)
    assert ran.returncode == 2 and message in ran.stderr


def test_the_serve_help_lists_no_ignored_flag() -> None:
    from click.testing import CliRunner

    from mockd.cli import main

    text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert (
        "--allow-proxy-targets" in text and "--container-threads" not in text and "--ca-keystore" not in text
    )
