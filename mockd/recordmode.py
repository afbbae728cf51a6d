"""`mockd record`: a recording proxy run from the command line.

Starts a mockd on --root-dir that proxies everything to the target and records it. Ctrl-C, SIGTERM,
`POST /__admin/recordings/stop` or `POST /__admin/shutdown` ends the session: the recorded stubs are
written under mappings/ (bodies above the thresholds under __files/) and the process exits. While it
runs, one line on stderr counts the captured exchanges.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from typing import TextIO

from mockd.config import Settings
from mockd.errors import MockdError
from mockd.recording import RecordingStatus, RecordSpec, SnapshotResult
from mockd.server import MockdServer

STOP_GRACE_S = 0.05


class Progress:
    """One updating line: `\\r` rewrites it in place on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def update(self, count: int) -> None:
        self.stream.write(f"\rmockd: {count} exchange{'s' if count != 1 else ''} captured")
        self.stream.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


async def record(
    settings: Settings, spec: RecordSpec, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    server = MockdServer(settings)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    server._shutdown_hook = done.set
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, done.set)
    try:
        await server.start()
    except MockdError as exc:
        print(f"mockd: {exc}", file=err)
        return 1
    except OSError as exc:
        print(f"mockd: cannot listen on {settings.bind_address}:{settings.port}: {exc.strerror}", file=err)
        return 1
    recorder = server.core.recorder
    progress = Progress(err)
    results: list[SnapshotResult] = []

    def stopped(result: SnapshotResult) -> None:
        results.append(result)
        loop.call_later(STOP_GRACE_S, done.set)  # let the stop endpoint answer first

    recorder.on_capture.append(progress.update)
    recorder.on_stop.append(stopped)
    try:
        recorder.start(spec)
        print(
            f"mockd recording {spec.target_base_url} on {server.url} (Ctrl-C to stop)", file=out, flush=True
        )
        progress.update(0)
        await done.wait()
        if recorder.status is RecordingStatus.RECORDING:
            recorder.stop()
    except (MockdError, OSError) as exc:
        progress.end()
        print(f"mockd: cannot write the recording: {exc}", file=err)
        return 1
    finally:
        progress.end()
        await server.stop()
    count = len(results[0].stubs) if results else 0
    print(f"mockd recorded {count} stub{'s' if count != 1 else ''} into {settings.mappings_dir}", file=out)
    return 0


def run_recording(settings: Settings, spec: RecordSpec) -> int:
    return asyncio.run(record(settings, spec))
