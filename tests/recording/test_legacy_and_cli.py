"""`mockd serve --record-mappings --proxy-all URL` (the legacy recorder) and `mockd record` in a
subprocess stopped with SIGTERM; both write files that load back and replay without the upstream."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from mockd.embedded import serve
from mockd.loader import load_mappings

TIMEOUT = 10.0
WAIT = 30.0


def test_record_mappings_writes_each_new_proxied_request_once(root: Path, upstream: Any) -> None:
    with (
        serve(root, proxy_all=upstream.url, record_mappings=True, match_headers=("X-Tenant",)) as s,
        httpx.Client(base_url=s.url, timeout=TIMEOUT) as c,
    ):
        first = c.get("/api/search?q=a", headers={"X-Tenant": "t1"}).json()
        assert c.get("/api/search?q=a", headers={"X-Tenant": "t1"}).json() == first
        gz = c.get("/api/gzip").json()
        c.post("/api/orders", json={"n": 1})
        c.post(
            "/__admin/mappings",
            json={"request": {"url": "/gone"}, "response": {"proxyBaseUrl": "http://127.0.0.1:1"}},
        )
        assert c.get("/gone").status_code == 500  # a network failure is not recorded (WireMock neither)
        assert c.get("/__admin/mappings").json()["meta"]["total"] == 2  # recordings are not added live
    mappings = sorted((root / "mappings").iterdir())
    names = [p.name for p in mappings]
    assert len(names) == 3, names
    assert all(re.fullmatch(r"mapping-api-(search|gzip|orders)-[A-Za-z0-9]{5}\.json", n) for n in names)
    search = json.loads(next(p for p in mappings if "search" in p.name).read_text())
    assert search["request"] == {
        "url": "/api/search?q=a",
        "method": "GET",
        "headers": {"X-Tenant": {"equalTo": "t1"}},
    }
    short = search["response"]["bodyFileName"].rsplit("-", 1)[1].split(".")[0]
    assert search["response"]["bodyFileName"] == f"body-api-search-{short}.json"
    assert (root / "__files" / search["response"]["bodyFileName"]).is_file()
    orders = json.loads(next(p for p in mappings if "orders" in p.name).read_text())
    assert orders["request"]["bodyPatterns"] == [
        {"equalToJson": '{"n":1}', "ignoreArrayOrder": True, "ignoreExtraElements": True}
    ]
    gz_stub = json.loads(next(p for p in mappings if "gzip" in p.name).read_text())
    assert "Content-Encoding" not in gz_stub["response"]["headers"]
    upstream.stop()
    with serve(root) as fresh, httpx.Client(base_url=fresh.url, timeout=TIMEOUT) as c:
        assert c.get("/api/search?q=a", headers={"X-Tenant": "t1"}).json() == first
        assert c.get("/api/gzip").json() == gz
        assert c.post("/api/orders", json={"n": 1}).status_code == 201


def _lines(stream: IO[str], out: queue.Queue[str]) -> None:
    for line in stream:
        out.put(line)


@pytest.mark.slow
def test_record_command_writes_stubs_on_sigterm(tmp_path: Path, upstream: Any) -> None:
    root = tmp_path / "rec"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "mockd", "record", "--target", upstream.url, "--root-dir", str(root)]
    proc = subprocess.Popen(
        [*cmd, "--port", "0", "--format", "yaml"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        stdout: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None and proc.stderr is not None
        threading.Thread(target=_lines, args=(proc.stdout, stdout), daemon=True).start()
        first = stdout.get(timeout=WAIT)
        url = re.search(r" on (http://127\.0\.0\.1:\d+)", first)
        assert url is not None, first
        with httpx.Client(base_url=url.group(1), timeout=TIMEOUT) as c:
            users = c.get("/api/users").json()
            counts = [c.get("/api/counter").text for _ in range(2)]
            image = c.get("/api/image").content
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=WAIT) == 0
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(WAIT)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert "\rmockd: 4 exchanges captured" in err.replace("\n", "\r")  # text mode turns \r into \n
    files = sorted(p.name for p in (root / "mappings").iterdir())
    assert len(files) == 4 and all(f.endswith(".yaml") for f in files)
    assert not load_mappings(root / "mappings", root).problems
    upstream.stop()
    with serve(root) as fresh, httpx.Client(base_url=fresh.url, timeout=TIMEOUT) as c:
        assert c.get("/api/users").json() == users
        assert [c.get("/api/counter").text for _ in range(2)] == counts
        assert c.get("/api/image").content == image


@pytest.mark.slow
@pytest.mark.parametrize("how", ["stop", "shutdown"])
def test_record_command_ends_through_the_admin_api(tmp_path: Path, upstream: Any, how: str) -> None:
    root = tmp_path / "rec"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockd",
            "record",
            "--target",
            upstream.url,
            "--root-dir",
            str(root),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
        url = re.search(r" on (http://127\.0\.0\.1:\d+)", lines.get(timeout=WAIT))
        assert url is not None
        with httpx.Client(base_url=url.group(1), timeout=TIMEOUT) as c:
            c.get("/api/text")
            r = c.post(f"/__admin/{'recordings/stop' if how == 'stop' else 'shutdown'}")
            assert r.status_code == 200
        assert proc.wait(timeout=WAIT) == 0
        assert "recorded 1 stub " in lines.get(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(WAIT)
        if proc.stdout is not None:
            proc.stdout.close()
    [written] = list((root / "mappings").iterdir())
    assert written.suffix == ".json"
