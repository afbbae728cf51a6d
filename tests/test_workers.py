"""`mockd serve --workers N`: one port (port 0 resolved once by the parent), N processes, clean stops."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="--workers uses SO_REUSEPORT and fork (Linux)"),
]

BOUND = 20.0  # seconds: start, stop, a report on stderr
STUB = {"request": {"method": "GET", "url": "/hello"}, "response": {"status": 200, "body": "hi"}}


@dataclass
class Running:
    proc: subprocess.Popen[bytes]
    url: str
    stdout: bytes

    def children(self) -> list[int]:
        kids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rpartition(")")[2].split()
            if int(fields[1]) == self.proc.pid and fields[0] != "Z":
                kids.append(int(entry))
        return sorted(kids)


def _read_until(proc: subprocess.Popen[bytes], stream: str, pattern: str, timeout: float = BOUND) -> bytes:
    pipe = proc.stdout if stream == "stdout" else proc.stderr
    assert pipe is not None
    sel = selectors.DefaultSelector()
    sel.register(pipe, selectors.EVENT_READ)
    buf = b""
    deadline = time.monotonic() + timeout
    try:
        while not re.search(pattern.encode(), buf):
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} on {stream} in {timeout} s; got {buf!r}"
            if sel.select(timeout=min(left, 0.1)):
                chunk = os.read(pipe.fileno(), 4096)
                assert chunk, f"{stream} closed before {pattern!r}; got {buf!r} (exit {proc.poll()})"
                buf += chunk
    finally:
        sel.close()
    return buf


@contextmanager
def workers(root: Path, n: int = 2) -> Iterator[Running]:
    (root / "mappings").mkdir(exist_ok=True)
    (root / "mappings" / "hello.json").write_text(json.dumps(STUB))
    cmd = [sys.executable, "-m", "mockd", "serve", "--workers", str(n), "--port", "0"]
    cmd += ["--bind-address", "127.0.0.1", "--root-dir", str(root), "--no-watch"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    running = Running(proc, "", b"")
    try:
        running.stdout = _read_until(proc, "stdout", r"listening on http://\S+ \(\d+ workers\)")
        m = re.search(rb"listening on (http://\S+)", running.stdout)
        assert m is not None
        running.url = m.group(1).decode()
        yield running
    finally:
        if proc.poll() is None:
            kids = running.children()
            proc.kill()
            for pid in kids:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        proc.wait(BOUND)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def _get_fresh(url: str) -> httpx.Response:
    with httpx.Client(timeout=10.0) as client:  # a fresh connection each time: spread over the workers
        return client.get(url + "/hello")


def _stop(running: Running, sig: signal.Signals = signal.SIGTERM) -> int:
    running.proc.send_signal(sig)
    return running.proc.wait(BOUND)


def test_workers_share_one_port_and_stop_on_sigterm(tmp_path: Path) -> None:
    with workers(tmp_path, 2) as running:
        assert running.stdout.count(b"listening on") == 1
        assert b"1 stubs" in running.stdout
        kids = running.children()
        assert len(kids) == 2
        for _ in range(20):
            r = _get_fresh(running.url)
            assert (r.status_code, r.text) == (200, "hi")
        with httpx.Client(timeout=10.0) as client:  # journals are per worker: each saw only its share
            seen = client.get(running.url + "/__admin/requests").json()["meta"]["total"]
        assert 0 < seen < 20
        started = time.monotonic()
        assert _stop(running) == 0
        assert time.monotonic() - started < BOUND
        for pid in kids:
            assert not Path(f"/proc/{pid}").exists(), f"worker {pid} outlived the parent"


def test_sigint_stops_all_workers(tmp_path: Path) -> None:
    with workers(tmp_path, 2) as running:
        kids = running.children()
        assert _stop(running, signal.SIGINT) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in kids)


def test_a_dead_worker_is_reported_and_the_others_serve(tmp_path: Path) -> None:
    with workers(tmp_path, 2) as running:
        victim = running.children()[0]
        os.kill(victim, signal.SIGKILL)
        err = _read_until(running.proc, "stderr", rf"worker \d \(pid {victim}\) was killed by SIGKILL")
        assert b"Traceback" not in err
        for _ in range(5):
            assert _get_fresh(running.url).status_code == 200
        assert running.children() != [] and victim not in running.children()
        assert _stop(running) == 0


def test_admin_shutdown_stops_every_worker(tmp_path: Path) -> None:
    with workers(tmp_path, 2) as running:
        kids = running.children()
        with httpx.Client(timeout=10.0) as client:
            assert client.post(running.url + "/__admin/shutdown").status_code == 200
        assert running.proc.wait(BOUND) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in kids)
