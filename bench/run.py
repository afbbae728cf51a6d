"""mockd vs the real WireMock: same stub sets, same load, one table of ratios mockd/WireMock.

    python -m bench --quick                      # a smoke run: ~1 s load phases, 10,000-request long phase
    python -m bench --out results.json           # the full run (~15-25 min; needs an otherwise idle machine)
    python -m bench --soak --soak-requests 200000   # mockd's memory under a matched/unmatched/malformed mix
    python -m bench --compare before.json after.json

Per server and scenario a FRESH process is started, then loaded: `cold` = the first --cold-seconds of
load after start; then load continues until --warm-after seconds in total; `warm` = the next
--warm-seconds. The long phase loads a fresh 1-stub server with --long-requests requests (default
1,000,000) and reads RSS before (idle) and after. Start time = spawn to the first correct answer.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

from bench import servers, soak, stubsets
from bench.load import Load, LoadResult
from bench.report import Figure, by_key, compare, table
from bench.servers import BenchError, Server

KINDS = ("mockd", "wiremock")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark mockd against the real WireMock (see bench/NOTES.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--quick", action="store_true", help="smoke run: 1 s phases, small counts, 1 start each")
    p.add_argument(
        "--out", type=Path, default=None, help="write the results JSON here (default: a temp file)"
    )
    p.add_argument("--servers", default="mockd,wiremock", help="comma-separated: mockd, wiremock")
    p.add_argument("--scenarios", default=",".join(stubsets.SCENARIOS), help="comma-separated scenario names")
    p.add_argument("--no-startup", action="store_true", help="skip the start-time measurements")
    p.add_argument("--no-long", action="store_true", help="skip the long (RSS after N requests) phase")
    p.add_argument("--cold-seconds", type=float, default=10.0, help="measured load right after start")
    p.add_argument("--warm-after", type=float, default=30.0, help="seconds of load before the warm phase")
    p.add_argument("--warm-seconds", type=float, default=10.0, help="measured load once warm")
    p.add_argument("--long-requests", type=int, default=1_000_000, help="requests in the long phase")
    p.add_argument("--long-max-seconds", type=float, default=900.0, help="time bound of the long phase")
    p.add_argument("--idle-settle", type=float, default=2.0, help="seconds between start and idle RSS")
    p.add_argument("--start-repeats", type=int, default=3, help="starts per start-time figure (median)")
    p.add_argument("--threads", type=int, default=2, help="wrk -t")
    p.add_argument("--connections", type=int, default=50, help="wrk -c")
    p.add_argument("--timeout", type=float, default=10.0, help="per-request timeout (s)")
    p.add_argument("--load", choices=("auto", "wrk", "python"), default="auto", help="load generator")
    p.add_argument(
        "--journal",
        choices=("default", "bounded", "off"),
        default="default",
        help="request journal of both servers: each one's default (WireMock: unbounded, mockd: 10,000), "
        "both bounded at 10,000, or both off",
    )
    p.add_argument("--mockd-workers", type=int, default=1, help="mockd serve --workers")
    p.add_argument("--bytecode", choices=("cached", "environment"), default="cached",
                   help="mockd's modules compiled to bytecode once, as installed packages are (cached), or "
                   "as this shell's environment says (PYTHONDONTWRITEBYTECODE=1: compiled at every start)")  # fmt: skip
    p.add_argument("--many-kind", choices=("url", "pattern"), default="url",
                   help="many-stub sets: exact urls (mockd indexes them) or url regexes (every stub scanned)")  # fmt: skip
    p.add_argument(
        "--mockd-arg",
        action="append",
        default=[],
        help="extra mockd serve flag, e.g. --mockd-arg=--verbose (repeatable)",
    )
    p.add_argument(
        "--wiremock-arg",
        action="append",
        default=[],
        help="extra WireMock flag, e.g. --wiremock-arg=--no-request-journal (repeatable)",
    )
    p.add_argument("--keep", action="store_true", help="keep the generated root dirs and logs")
    p.add_argument("--soak", action="store_true", help="run the memory soak (mockd only) instead")
    p.add_argument("--soak-requests", type=int, default=200_000, help="requests in the soak")
    p.add_argument("--soak-concurrency", type=int, default=16, help="concurrent connections in the soak")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("A.json", "B.json"),
                   help="print mockd's figures of two result files side by side and exit")  # fmt: skip
    args = p.parse_args(argv)
    if args.quick:
        args.cold_seconds, args.warm_after, args.warm_seconds = 1.0, 2.0, 1.0
        args.long_requests = min(args.long_requests, 10_000)
        args.long_max_seconds = min(args.long_max_seconds, 20.0)
        args.idle_settle = min(args.idle_settle, 0.5)
        args.start_repeats = 1
        args.soak_requests = min(args.soak_requests, 5_000)
    return args


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass
class Bench:
    args: argparse.Namespace
    work: Path
    roots: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    running: list[Server] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.load = Load(self.args.threads, self.args.connections, self.args.timeout, self.args.load)
        self.logs = self.work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    # -- servers ---------------------------------------------------------------------------------
    def server_args(self, kind: str, workers: int | None = None) -> list[str]:
        journal = {
            "default": [],
            "bounded": ["--max-request-journal-entries", "10000"],
            "off": ["--no-request-journal"],
        }[self.args.journal]
        if kind == "mockd":
            n = workers or self.args.mockd_workers
            return [*journal, *(["--workers", str(n)] if n > 1 else []), *self.args.mockd_arg]
        return [*journal, *self.args.wiremock_arg]

    def start(
        self,
        kind: str,
        root: str,
        first: tuple[str, tuple[tuple[str, str], ...], int],
        workers: int | None = None,
    ) -> Server:
        starter = servers.start_mockd if kind == "mockd" else servers.start_wiremock
        server = starter(self.roots[root], self.logs, first, self.server_args(kind, workers))
        self.running.append(server)
        return server

    def stop(self, server: Server) -> None:
        server.stop()
        if server in self.running:
            self.running.remove(server)

    def stop_all(self) -> None:
        for server in list(self.running):
            self.stop(server)

    # -- phases ----------------------------------------------------------------------------------
    def startup(self, kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for label, root in stubsets.STARTUP_ROOTS.items():
            first = "/static" if root == "one" else "/items/00000"
            times = []
            for _ in range(self.args.start_repeats):
                server = self.start(kind, root, (first, (), 200))
                times.append(server.start_s)
                self.stop(server)
            out[label] = {
                "median_s": round(statistics.median(times), 4),
                "all_s": [round(t, 4) for t in times],
            }
            say(f"{kind} start, {label}: {out[label]['median_s']:.3f} s")
        return out

    def scenario(self, kind: str, sc: stubsets.Scenario) -> dict[str, Any]:
        first = (sc.path or "/items/00000", sc.headers, sc.status)
        server = self.start(kind, sc.root, first, sc.mockd_workers)
        try:
            path = sc.path or servers.oldest_url(server)
            answer = servers.get(server.url, path, sc.headers)
            ok = answer.status == sc.status and all(s.encode() in answer.body for s in sc.body_contains)
            result: dict[str, Any] = {
                "path": path,
                "verified": ok,
                "sample": answer.body[:160].decode("utf-8", "replace"),
                "rss_start_mib": _r(server.rss_mib()),
            }
            if not ok:
                self.notes.append(
                    f"{kind} {sc.name}: wrong answer {answer.status} {answer.body[:120]!r}; not loaded"
                )
                return result
            url = server.url + path
            result["cold"] = self._phase(kind, sc, url, self.args.cold_seconds, "cold")
            left = self.args.warm_after - self.args.cold_seconds
            if left > 0:
                warmup = self.load.run(url, sc.headers, left, self.work)
                result["warmup"] = {"seconds": warmup.seconds, "rps": warmup.rps}
            self._drain(server, path, sc.headers)
            result["warm"] = self._phase(kind, sc, url, self.args.warm_seconds, "warm")
            result["rss_end_mib"] = _r(server.rss_mib())
            if not server.alive():
                self.notes.append(f"{kind} {sc.name}: the server died under load (see {server.log})")
            return result
        finally:
            self.stop(server)

    def _phase(
        self, kind: str, sc: stubsets.Scenario, url: str, seconds: float, regime: str
    ) -> dict[str, Any]:
        res = self.load.run(url, sc.headers, seconds, self.work)
        self._check_errors(f"{kind} {sc.name} {regime}", res, expect_error_status=sc.status >= 400)
        say(
            f"{kind} {sc.name} {regime}: {res.rps:,.0f} req/s p50 {res.p50_ms:.2f} ms p99 {res.p99_ms:.2f} ms"
        )
        out = res.as_dict()
        if res.requests == 0:
            self.notes.append(
                f"{kind} {sc.name} {regime}: no request completed in {seconds:g} s (figures left empty)"
            )
            out.update(rps=None, p50_ms=None, p90_ms=None, p99_ms=None, max_ms=None, mean_ms=None)
        return out

    def _drain(self, server: Server, path: str, headers: tuple[tuple[str, str], ...]) -> None:
        """Let the requests still queued from the last load run finish (one probe answered, bounded)."""
        with contextlib.suppress(OSError):
            servers.get(server.url, path, headers, timeout=self.args.timeout)

    def _check_errors(self, what: str, res: LoadResult, expect_error_status: bool) -> None:
        errors = dict(res.errors)
        if expect_error_status:
            errors.pop("status", None)
        if errors:
            self.notes.append(f"{what}: errors {errors} in {res.requests:,} requests")

    def long(self, kind: str) -> dict[str, Any]:
        server = self.start(kind, "one", ("/static", (), 200))
        try:
            time.sleep(self.args.idle_settle)
            idle = server.rss_mib()
            n = self.args.long_requests
            say(f"{kind} long phase: {n:,} requests (bound {self.args.long_max_seconds:.0f} s)")
            res = self.load.run_count(server.url + "/static", (), n, self.args.long_max_seconds, self.work)
            self._check_errors(f"{kind} long", res, expect_error_status=False)
            after = server.rss_mib()
            self.notes.append(
                f"{kind} long phase: {res.requests:,} requests in {res.seconds:.1f} s (asked: {n:,})"
            )
            if res.requests < n * 0.99:
                self.notes.append(
                    f"{kind} long phase: only {res.requests:,} of {n:,} requests in the time bound"
                )
            say(f"{kind} long: {res.requests:,} requests, RSS {idle or 0:.0f} -> {after or 0:.0f} MiB")
            return {"rss_idle_mib": _r(idle), "rss_after_mib": _r(after), "load": res.as_dict()}
        finally:
            self.stop(server)

    def run_soak(self) -> dict[str, Any]:
        root = soak.write_root(self.work / "soak")
        self.roots["soak"] = root
        server = self.start("mockd", "soak", ("/static", (), 200))
        try:
            n = self.args.soak_requests
            say(f"mockd soak: {n:,} requests, {self.args.soak_concurrency} connections")
            journal = 0 if self.args.journal == "off" else 10_000
            res = soak.run_soak(
                server.url, n, self.args.soak_concurrency, server.rss_mib, self.args.timeout, journal
            )
            if not server.alive():
                self.notes.append(f"mockd died during the soak (see {server.log})")
            return res.as_dict()
        finally:
            self.stop(server)


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


# -- machine, versions, figures --------------------------------------------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "hostname": platform.node(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            (ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")), None
        )
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["mem_total_mib"] = int(mem) // 1024
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["loadavg_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


def versions() -> dict[str, Any]:
    out: dict[str, Any] = {"python": platform.python_version()}
    for pkg in ("mockd", "aiohttp", "uvloop"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    jar = servers.wiremock_jar()
    out["wiremock_jar"] = jar.name if jar else None
    out["java"] = servers.java_version()
    wrk = shutil.which("wrk")
    out["wrk"] = servers.first_line([wrk, "-v"]) if wrk else None
    return out


def journal_bound(settings: dict[str, Any]) -> int | None:
    """mockd's journal bound in the run (None: unbounded or off)."""
    if settings.get("journal") == "off":
        return None
    bound = 10_000  # mockd's default; --journal bounded sets the same
    extra = list(settings.get("mockd_arg") or [])
    for i, arg in enumerate(extra):
        if arg == "--no-request-journal":
            return None
        if arg.startswith("--max-request-journal-entries"):
            value = arg.partition("=")[2] or (extra[i + 1] if i + 1 < len(extra) else "")
            bound = int(value) if value.isdigit() else bound
    return bound


def figures(results: dict[str, Any], long_requests: int) -> list[Figure]:
    figs: list[Figure] = []
    settings = results.get("settings", {})
    base = {
        "journal": settings.get("journal", "default"),
        "journal_bound": journal_bound(settings),
        "workers": settings.get("mockd_workers", 1),
    }

    def value(*path: str) -> float | None:
        node: Any = results
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return None if node is None else float(node)

    for name, sc in stubsets.SCENARIOS.items():
        if name not in results["scenarios"]:
            continue
        for regime in ("cold", "warm"):
            for metric, unit in (("rps", "req/s"), ("p50_ms", "p50 ms"), ("p99_ms", "p99 ms")):
                m = value("scenarios", name, "mockd", regime, metric)
                w = value("scenarios", name, "wiremock", regime, metric)
                cond = {**base, "workers": sc.mockd_workers or base["workers"]}
                figs.append(Figure(f"{name}.{regime}.{metric}", f"{sc.title}: {regime} {unit}", m, w, cond))
    for label in stubsets.STARTUP_ROOTS:
        m = value("startup", "mockd", label, "median_s")
        w = value("startup", "wiremock", label, "median_s")
        if m is not None or w is not None:
            figs.append(Figure(f"start.{label}.s", f"start to 1st answer, {label}: s", m, w, dict(base)))
    if results.get("long"):
        done = value("long", "mockd", "load", "requests")
        cond = {**base, "long_requests": None if done is None else int(done)}
        figs.append(
            Figure("rss.idle.mib", "RSS idle: MiB", value("long", "mockd", "rss_idle_mib"),
                   value("long", "wiremock", "rss_idle_mib"), dict(base))
        )  # fmt: skip
        figs.append(
            Figure("rss.after.mib", f"RSS after >={long_requests:,} requests: MiB",
                   value("long", "mockd", "rss_after_mib"), value("long", "wiremock", "rss_after_mib"), cond)
        )  # fmt: skip
        figs.append(
            Figure("long.rps", f"{long_requests:,}-request phase: req/s",
                   value("long", "mockd", "load", "rps"), value("long", "wiremock", "load", "rps"), cond)
        )  # fmt: skip
    return figs


# -- main ------------------------------------------------------------------------------------------


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        print(compare(*args.compare))
        return 0
    signal.signal(signal.SIGTERM, _interrupt)
    kinds = [k.strip() for k in args.servers.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    scenario_names = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown += [s for s in scenario_names if s not in stubsets.SCENARIOS]
    if unknown:
        print(f"unknown server or scenario: {', '.join(unknown)}", file=sys.stderr)
        return 2
    notes: list[str] = []
    if "wiremock" in kinds and servers.wiremock_jar() is None:
        kinds.remove("wiremock")
        notes.append(
            "WireMock is not installed (run: bash /work/shared/anchors/install.sh): its columns are empty"
        )
    if Load(tool=args.load).resolved_tool() != "wrk":
        why = "--load python" if args.load == "python" else "wrk not found (apt-get install -y wrk)"
        notes.append(f"{why}: load from the Python aiohttp generator, which costs far more CPU on the same "
                     "2 cores; compare only runs made with the same tool")  # fmt: skip
    started = dt.datetime.now(dt.UTC)
    work = Path(tempfile.mkdtemp(prefix="mockd-bench-"))
    bench = Bench(args, work, notes=notes)
    results: dict[str, Any] = {
        "schema": 1,
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "load_tool": Load(tool=args.load).resolved_tool(),
        "servers": kinds,
        "startup": {},
        "scenarios": {},
        "long": {},
        "soak": None,
        "notes": notes,
    }
    say(f"work dir {work}; servers {', '.join(kinds)}; load {results['load_tool']}")
    if args.bytecode == "cached" and "mockd" in kinds:
        servers.MOCKD_ENV = servers.bytecode_env()
    results["settings"]["python_dont_write_bytecode"] = os.environ.get("PYTHONDONTWRITEBYTECODE")
    try:
        if args.soak:
            results["soak"] = bench.run_soak()
        else:
            wanted = {stubsets.SCENARIOS[s].root for s in scenario_names}
            if not args.no_startup:
                wanted |= set(stubsets.STARTUP_ROOTS.values())
            if not args.no_long:
                wanted.add("one")
            say(f"generating stub sets {sorted(wanted)}")
            bench.roots = stubsets.generate(work / "roots", wanted, args.many_kind)
            for kind in kinds:
                if not args.no_startup:
                    results["startup"][kind] = bench.startup(kind)
            for name in scenario_names:
                sc = stubsets.SCENARIOS[name]
                results["scenarios"][name] = {}
                for kind in kinds:
                    reuse = results["scenarios"].get(sc.wiremock_from or "", {}).get(kind)
                    if kind == "wiremock" and reuse is not None:
                        results["scenarios"][name][kind] = reuse  # the same WireMock run, not repeated
                        notes.append(f"wiremock {name}: the figures of {sc.wiremock_from} (same run)")
                        continue
                    try:
                        results["scenarios"][name][kind] = bench.scenario(kind, sc)
                    except BenchError as exc:
                        notes.append(f"{kind} {name}: {exc}")
            if not args.no_long:
                for kind in kinds:
                    results["long"][kind] = bench.long(kind)
    except KeyboardInterrupt:
        notes.append("interrupted: partial results")
    finally:
        bench.stop_all()
        if hasattr(os, "getloadavg"):
            results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        results["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    figs = figures(results, args.long_requests)
    keyed = by_key(figs)
    results["figures"] = [f.as_dict(keyed) for f in figs]
    out = args.out or Path(tempfile.gettempdir()) / f"mockd-bench-{started:%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _print(results, figs, out)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        say(f"kept {work}")
    return 0


def _print(results: dict[str, Any], figs: list[Figure], out: Path) -> None:
    s = results["settings"]
    if figs:
        print(
            f"\nmockd vs WireMock - load {results['load_tool']} -t{s['threads']} -c{s['connections']}; "
            f"cold = first {s['cold_seconds']:g} s, warm = {s['warm_seconds']:g} s after {s['warm_after']:g} s; "
            f"journal: {s['journal']}; mockd workers: {s['mockd_workers']}"
        )
        print(table(figs))
    if results["soak"]:
        r = results["soak"]
        print(
            f"\nsoak: {r['requests']:,} requests in {r['seconds']} s, by kind {r['by_kind']}, by status "
            f"{r['by_status']}, errors {r['errors']}\nRSS MiB: start {r['rss_start_mib']}, mid "
            f"{r['rss_mid_mib']}, end {r['rss_end_mib']}; second-half growth {r['growth_second_half_mib']} "
            f"MiB -> {r['verdict'].upper()}\nsamples (requests, MiB): {r['samples']}"
        )
    for note in results["notes"]:
        print(f"note: {note}")
    print(f"results: {out}")
