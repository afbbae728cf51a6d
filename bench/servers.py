"""Start and stop the servers under test, time their start, read their memory.

mockd runs as `python -m mockd serve --port 0 ... --no-watch`; its URL is read from stdout. WireMock runs
as the standalone jar the anchors install (`/work/shared/anchors/install.sh`); it is stopped with the
anchors' `stop.sh PID`. "Start time" is from spawning the process to the first correct answer to the
scenario's own request (polled every 5 ms), so both servers are timed the same way.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ANCHORS_DIR = Path(os.environ.get("MOCKD_ANCHORS_SCRIPTS", "/work/shared/anchors"))
ANCHORS_CACHE = Path(os.environ.get("ANCHORS", str(Path.home() / ".cache" / "mockd-anchors")))
READY_TIMEOUT = 180.0
URL_LINE = re.compile(r"listening on (http://\S+)")


class BenchError(RuntimeError):
    pass


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def get(url: str, path: str, headers: tuple[tuple[str, str], ...] = (), timeout: float = 30.0) -> Answer:
    """One request on a fresh connection (http.client: no dependency, no pooling)."""
    host, _, port = url.removeprefix("http://").partition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path, headers=dict(headers))
        resp = conn.getresponse()
        return Answer(resp.status, resp.read(), {k.lower(): v for k, v in resp.getheaders()})
    finally:
        conn.close()


@dataclass
class Server:
    kind: str  # "mockd" | "wiremock"
    proc: subprocess.Popen[bytes]
    url: str
    log: Path
    start_s: float = 0.0
    stopped: bool = False

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_mib(self) -> float | None:
        return tree_rss_mib(self.pid)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.proc.poll() is None:
            stop_sh = ANCHORS_DIR / "stop.sh"
            if self.kind == "wiremock" and stop_sh.is_file():
                subprocess.run(
                    ["bash", str(stop_sh), str(self.pid)], capture_output=True, timeout=60, check=False
                )
            else:
                self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


# -- memory ----------------------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree_rss_mib(pid: int) -> float | None:
    """RSS of `pid` and all its descendants (workers), in MiB; None where /proc is missing."""
    if not Path("/proc/self/status").exists():
        return None
    kids = _children()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kib(p)
        todo.extend(kids.get(p, []))
    return total / 1024


# -- starting --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _read_url(proc: subprocess.Popen[bytes], deadline: float) -> str:
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf = b""
    try:
        while time.monotonic() < deadline:
            if not sel.select(timeout=0.05):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            m = URL_LINE.search(buf.decode("utf-8", "replace"))
            if m:
                return m.group(1)
    finally:
        sel.close()
    raise BenchError(f"mockd printed no URL (exit code {proc.poll()}); output: {buf[-500:]!r}")


def wait_answer(
    server: Server, path: str, headers: tuple[tuple[str, str], ...], status: int, deadline: float
) -> Answer:
    last: str = "no answer"
    while time.monotonic() < deadline:
        if not server.alive():
            raise BenchError(f"{server.kind} exited with {server.proc.returncode}; see {server.log}")
        try:
            answer = get(server.url, path, headers, timeout=5.0)
            if answer.status == status:
                return answer
            last = f"status {answer.status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.005)
    raise BenchError(f"{server.kind} gave no {status} on {path} in time ({last}); see {server.log}")


# `mockd serve` runs with this environment (see `bytecode_env`); None: the bench's own
MOCKD_ENV: dict[str, str] | None = None


def bytecode_env() -> dict[str, str]:
    """The environment of an installed package: mockd's modules compiled to bytecode once (pip does
    that at install time; here into __pycache__ beside the sources, which .gitignore covers). Without
    it, a shell with PYTHONDONTWRITEBYTECODE=1 (this machine's) makes every start compile every mockd
    module from source again (~80 ms here). The package is compiled before any server starts, so no
    measured start pays for it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    where = subprocess.run(
        [sys.executable, "-c", "import mockd, os; print(os.path.dirname(mockd.__file__))"],
        capture_output=True, text=True, env=env, check=True, timeout=120,
    ).stdout.strip()  # fmt: skip
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], env=env, check=False, timeout=300)
    return env


def start_mockd(
    root: Path, log_dir: Path, first: tuple[str, tuple[tuple[str, str], ...], int], args: list[str]
) -> Server:
    log = log_dir / f"mockd-{root.name}-{time.monotonic_ns()}.log"
    cmd = [sys.executable, "-m", "mockd", "serve", "--port", "0", "--bind-address", "127.0.0.1"]
    cmd += ["--root-dir", str(root), "--no-watch", *args]
    deadline = time.monotonic() + READY_TIMEOUT
    t0 = time.perf_counter()
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=MOCKD_ENV
        )
    server = Server("mockd", proc, "", log)
    return _ready(server, first, deadline, t0, read_url=True)


def wiremock_jar() -> Path | None:
    env = os.environ.get("WIREMOCK_JAR")
    if env and Path(env).is_file():
        return Path(env)
    jars = sorted(
        (ANCHORS_CACHE / "node" / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar")
    )
    return jars[0] if jars and shutil.which("java") else None


def start_wiremock(
    root: Path, log_dir: Path, first: tuple[str, tuple[tuple[str, str], ...], int], args: list[str]
) -> Server:
    jar = wiremock_jar()
    if jar is None:
        raise BenchError("WireMock is not installed (bash /work/shared/anchors/install.sh)")
    port = _free_port()
    log = log_dir / f"wiremock-{root.name}-{port}.log"
    cmd = ["java", *os.environ.get("JAVA_OPTS", "").split(), "-jar", str(jar), "--port", str(port)]
    cmd += ["--bind-address", "127.0.0.1", "--root-dir", str(root), "--disable-banner", *args]
    deadline = time.monotonic() + READY_TIMEOUT
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server("wiremock", proc, f"http://127.0.0.1:{port}", log)
    return _ready(server, first, deadline, t0)


def _ready(
    server: Server,
    first: tuple[str, tuple[tuple[str, str], ...], int],
    deadline: float,
    t0: float,
    read_url: bool = False,
) -> Server:
    """Wait for the server's first correct answer (its URL first, printed by mockd); stopped on failure.
    `start_s` is spawn to that answer."""
    try:
        if read_url:
            server.url = _read_url(server.proc, deadline)
        wait_answer(server, *first, deadline=deadline)
    except BaseException:
        server.stop()
        raise
    server.start_s = time.perf_counter() - t0
    return server


def oldest_url(server: Server) -> str:
    """The url of the last stub in match order (= the oldest at equal priority), from the admin API."""
    meta = json.loads(get(server.url, "/__admin/mappings?limit=1").body)
    total = int(meta["meta"]["total"])
    page = json.loads(get(server.url, f"/__admin/mappings?offset={total - 1}&limit=1").body)
    request = page["mappings"][0]["request"]
    url = request.get("url") or request.get("urlPattern", "").removesuffix("(\\?.*)?")
    if not url:
        raise BenchError(f"cannot tell the oldest stub's url from {request!r}")
    return str(url)


# -- versions --------------------------------------------------------------------------------------


def first_line(cmd: list[str]) -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
        text = (out.stdout + out.stderr).strip()
        return text.splitlines()[0] if text else None
    return None


def java_version() -> str | None:
    return first_line(["java", "-version"]) if shutil.which("java") else None
