"""Profile one mockd scenario under wrk load with pyinstrument (not a dependency: `pip install pyinstrument`).

    python -m bench.profile unmatched10k --seconds 5
    python -m bench.profile static --top 25 --keep-session /tmp/static.pyisession

The server runs as `python -m pyinstrument -r session -o FILE -m mockd serve ...` on a generated stub
set, is loaded with `wrk -t2 -c50` for `--seconds`, then stopped with SIGINT. Printed: the share of the
time inside aiohttp's request handler (`_handle_request`) per function, inclusive and self, the
functions identified as `name (file:line)`. The event loop's own C time (HTTP parsing, epoll) is not in
those shares.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import servers, stubsets
from bench.load import Load

ROOT_FRAME = "_handle_request"


def _name(frame_id: str) -> str:
    parts = frame_id.split("\x00")
    func = parts[0]
    path = parts[1] if len(parts) > 1 else ""
    line = parts[2] if len(parts) > 2 else ""
    short = "/".join(Path(path).parts[-2:]) if path else "?"
    return f"{func} ({short}:{line})"


def _top(times: dict[str, float], n: int) -> list[tuple[str, float]]:
    return sorted(times.items(), key=lambda kv: kv[1], reverse=True)[:n]


def summarize(session_file: Path, top: int) -> str:
    from pyinstrument.session import Session  # type: ignore[import-not-found,unused-ignore]

    session = Session.load(session_file)
    inclusive: dict[str, float] = defaultdict(float)
    self_time: dict[str, float] = defaultdict(float)
    total = 0.0
    for stack, seconds in session.frame_records:
        names = [s.split("\x01")[0] for s in stack]
        start = next((i for i, s in enumerate(names) if s.split("\x00")[0] == ROOT_FRAME), None)
        if start is None:
            continue
        sub = names[start:]
        total += seconds
        for fid in set(sub):
            inclusive[_name(fid)] += seconds
        self_time[_name(sub[-1])] += seconds
    if total == 0:
        return f"no samples under {ROOT_FRAME} (session duration {session.duration:.1f} s)"
    lines = [
        f"{total:.2f} s under {ROOT_FRAME} of {session.duration:.1f} s profiled "
        f"({session.sample_count} samples)",
        "",
        "inclusive %  function",
    ]
    lines += [f"{100 * t / total:10.1f}  {n}" for n, t in _top(inclusive, top)]
    lines += ["", "self %  function"]
    lines += [f"{100 * t / total:6.1f}  {n}" for n, t in _top(self_time, top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    p.add_argument("scenario", choices=sorted(stubsets.SCENARIOS))
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--mockd-arg", action="append", default=[])
    p.add_argument("--many-kind", choices=("url", "pattern"), default="url")
    p.add_argument("--keep-session", type=Path, default=None)
    args = p.parse_args(argv)
    sc = stubsets.SCENARIOS[args.scenario]
    work = Path(tempfile.mkdtemp(prefix="mockd-profile-"))
    root = stubsets.generate(work / "roots", {sc.root}, args.many_kind)[sc.root]
    session_file = args.keep_session or work / "profile.pyisession"
    cmd = [sys.executable, "-m", "pyinstrument", "-r", "session", "-o", str(session_file), "-m", "mockd"]
    cmd += ["serve", "--port", "0", "--bind-address", "127.0.0.1", "--root-dir", str(root), "--no-watch"]
    cmd += args.mockd_arg
    log = open(work / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
    try:
        server = servers.Server("mockd", proc, "", work / "server.log")
        server.url = servers._read_url(proc, time.monotonic() + 120)
        path = sc.path or servers.oldest_url(server)
        servers.wait_answer(server, path, sc.headers, sc.status, time.monotonic() + 60)
        res = Load().run(server.url + path, sc.headers, args.seconds, work)
        print(f"{sc.name}: {res.rps:,.0f} req/s p50 {res.p50_ms:.2f} ms p99 {res.p99_ms:.2f} ms (profiled)")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    if not session_file.exists():
        print(f"no session written; see {work / 'server.log'}", file=sys.stderr)
        return 1
    print(summarize(session_file, args.top))
    if args.keep_session is None:
        os.unlink(session_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
