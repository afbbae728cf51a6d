"""The `mockd` command, run as a real process: serve (port 0, signals, MOCKD_* variables), validate,
--strict-loading. Every wait is bounded."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from mockd.cli import main

STUBS = Path(__file__).resolve().parent.parent / "stubs"
START_S = 20.0  # a cold start on a busy CI machine imports aiohttp, jinja2, watchdog ...
STOP_S = 10.0
URL = re.compile(r"listening on (http://\S+)")
BAD_JSON = '{\n  "request": {"url": "/x"},\n  "response": {"status": 200,}\n}\n'


class Mockd:
    """`python -m mockd <args>` with its output read on a thread, so that every wait can be bounded."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mockd", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def url(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=START_S)
            except queue.Empty:
                raise AssertionError(f"no URL within {START_S} s: {''.join(self.output)}") from None
            if line is None:
                raise AssertionError(f"mockd exited {self.proc.wait()}: {''.join(self.output)}")
            found = URL.search(line)
            if found:
                return found.group(1)

    def stop(self, sig: signal.Signals) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(STOP_S)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(STOP_S)
        self._reader.join(STOP_S)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "hello.json").write_text(
        '{"request": {"url": "/hello"}, "response": {"status": 200, "body": "hi"}}'
    )
    return tmp_path


@pytest.fixture
def procs() -> Iterator[list[Mockd]]:
    started: list[Mockd] = []
    yield started
    for p in started:
        p.close()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_on_port_0_prints_its_url_serves_and_stops_on_a_signal(
    root: Path, procs: list[Mockd], sig: signal.Signals
) -> None:
    mockd = Mockd("serve", "--port", "0", "--bind-address", "127.0.0.1", "--root-dir", str(root))
    procs.append(mockd)
    url = mockd.url()
    assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
    assert httpx.get(url + "/hello", timeout=5).text == "hi"
    assert httpx.get(url + "/__admin/health", timeout=5).json()["status"] == "healthy"
    assert mockd.stop(sig) == 0
    assert "Traceback" not in "".join(mockd.output)


@pytest.mark.slow
def test_settings_come_from_mockd_variables_and_flags_win(root: Path, procs: list[Mockd]) -> None:
    env = {
        "MOCKD_PORT": "0",
        "MOCKD_BIND_ADDRESS": "127.0.0.1",
        "MOCKD_ROOT_DIR": str(root),
        "MOCKD_ADMIN_PREFIX": "/ops",
        "MOCKD_NO_WATCH": "true",
    }
    mockd = Mockd("serve", "--admin-prefix", "/control", env=env)
    procs.append(mockd)
    url = mockd.url()
    assert httpx.get(url + "/hello", timeout=5).text == "hi"  # MOCKD_ROOT_DIR
    assert (
        httpx.get(url + "/control/health", timeout=5).status_code == 200
    )  # the flag beats MOCKD_ADMIN_PREFIX
    assert httpx.get(url + "/ops/health", timeout=5).status_code == 404
    assert mockd.stop(signal.SIGTERM) == 0


@pytest.mark.slow
def test_a_bad_file_is_skipped_and_reported_but_strict_loading_refuses_to_start(
    root: Path, procs: list[Mockd]
) -> None:
    (root / "mappings" / "bad.json").write_text(BAD_JSON)
    lenient = Mockd("serve", "--port", "0", "--bind-address", "127.0.0.1", "--root-dir", str(root))
    procs.append(lenient)
    url = lenient.url()
    assert httpx.get(url + "/hello", timeout=5).text == "hi"
    [problem] = httpx.get(url + "/__admin/mappings/problems", timeout=5).json()["problems"]
    assert (problem["file"], problem["line"]) == ("mappings/bad.json", 3)
    assert lenient.stop(signal.SIGTERM) == 0
    assert "skipped 1 invalid stub file" in "".join(lenient.output)

    strict = subprocess.run(
        [sys.executable, "-m", "mockd", "serve", "--port", "0", "--root-dir", str(root), "--strict-loading"],
        capture_output=True,
        text=True,
        timeout=START_S,
    )
    assert strict.returncode == 1
    assert "listening" not in strict.stdout
    assert f"{root / 'mappings' / 'bad.json'}:3:" in strict.stderr


def test_validate_fails_with_a_located_error_and_passes_on_the_examples(tmp_path: Path) -> None:
    (tmp_path / "mappings").mkdir()
    bad = tmp_path / "mappings" / "bad.json"
    bad.write_text(BAD_JSON)
    (tmp_path / "mappings" / "odd.yaml").write_text("request: {url: /x, colour: red}\nresponse: {}\n")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.stderr
    assert "odd.yaml at /request/colour" in result.stderr
    assert "2 error(s)" in result.stderr

    result = CliRunner().invoke(main, ["validate", str(STUBS)])
    assert result.exit_code == 0, result.output
    assert "all valid" in result.stdout
