"""Hot reload: watchdog sees `mappings/` and `__files/` change; the event loop debounces and reloads.

    watchdog thread ── loop.call_soon_threadsafe ──▶ Watcher._note ── debounce ──▶ Mockd.load(changed)

`Mockd.load` re-reads only the changed files (and any that had problems), builds a new stub store
aside and swaps it in, so a request never sees half a reload; scenario states and the journal stay.
Hidden and editor temp files are ignored. A burst of events (an editor's save, a `git checkout`) is one
reload: it happens `DEBOUNCE_S` after the last event, and at most `MAX_WAIT_S` after the first.
`__files/` is read when a response is served, so a change there reloads nothing; it only counts as a
reload (`Mockd.reloads`, `Mockd.on_reload`) so that waiting for it works the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from mockd.core import Mockd
from mockd.loader import is_editor_temp_name, is_mapping_folder, is_mapping_path

log = logging.getLogger("mockd")

DEBOUNCE_S = 0.15
MAX_WAIT_S = 0.5
POLL_INTERVAL_S = 0.4
STOP_TIMEOUT_S = 5.0
# "opened" and "closed_no_write" are reads; a folder's "modified" only echoes a change inside it.
FILE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})
FOLDER_EVENTS = frozenset({"created", "deleted", "moved"})


class Watcher:
    """Watches one root directory for as long as the server runs: `start()`, then `await stop()`."""

    def __init__(self, core: Mockd, loop: asyncio.AbstractEventLoop, poll: bool = False) -> None:
        self.core = core
        self.loop = loop
        self.poll = poll
        self.mappings = core.settings.mappings_dir
        self._abs_mappings = Path(os.path.abspath(self.mappings))
        self._abs_files = Path(os.path.abspath(core.settings.files_dir))
        self._observer: BaseObserver | None = None
        self._pending: set[Path] = set()
        self._files_changed = False
        self._first_event: float | None = None
        self._timer: asyncio.TimerHandle | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> Watcher:
        try:
            self._observer = self._observe(_polling() if self.poll else Observer())
        except OSError as exc:  # e.g. the inotify watch limit: polling still works
            log.warning("cannot watch %s for changes (%s): polling instead", self.mappings.parent, exc)
            self._observer = self._observe(_polling())
        return self

    def _observe(self, observer: BaseObserver) -> BaseObserver:
        handler = _Handler(self)
        for folder in (self._abs_mappings, self._abs_files):
            if folder.is_dir():
                observer.schedule(handler, str(folder), recursive=True)
        observer.start()
        return observer

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            await asyncio.to_thread(observer.join, STOP_TIMEOUT_S)

    # -- the watchdog thread ---------------------------------------------------------------------
    def saw(self, raw_paths: Iterable[str], folder: bool) -> None:
        """Called on the watchdog thread: keep what matters and hand it to the event loop."""
        changed: list[Path] = []
        files = False
        for raw in raw_paths:
            path = Path(raw)
            if path.is_relative_to(self._abs_mappings):
                local = self.mappings / path.relative_to(self._abs_mappings)
                loaded = is_mapping_folder if folder else is_mapping_path
                if loaded(local, self.mappings):
                    changed.append(local)
            elif path.is_relative_to(self._abs_files) and not is_editor_temp_name(path.name):
                files = True
        if changed or files:
            with contextlib.suppress(RuntimeError):  # the loop is closed: the server is stopping
                self.loop.call_soon_threadsafe(self._note, changed, files)

    # -- the event loop --------------------------------------------------------------------------
    def _note(self, changed: list[Path], files: bool) -> None:
        if self._observer is None:
            return
        self._pending.update(changed)
        self._files_changed |= files
        now = self.loop.time()
        if self._first_event is None:
            self._first_event = now
        if self._timer is not None:
            self._timer.cancel()
        delay = min(DEBOUNCE_S, max(0.0, self._first_event + MAX_WAIT_S - now))
        self._timer = self.loop.call_later(delay, self._flush)

    def _flush(self) -> None:
        changed, files = self._pending, self._files_changed
        self._pending, self._files_changed, self._first_event, self._timer = set(), False, None, None
        try:
            if changed:
                result = self.core.load(changed)
                log.info("reloaded %s: %d stubs", _names(changed), len(result.stubs))
            elif files:
                self.core.files_changed()
        except Exception:  # a reload must never take the server down
            log.exception("reloading %s failed", _names(changed))


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        kinds = FOLDER_EVENTS if event.is_directory else FILE_EVENTS
        if event.event_type not in kinds:
            return
        paths = [os.fsdecode(event.src_path)]
        if event.dest_path:
            paths.append(os.fsdecode(event.dest_path))
        self.watcher.saw(paths, event.is_directory)


def _polling() -> BaseObserver:
    return PollingObserver(timeout=POLL_INTERVAL_S)


def _names(paths: Iterable[Path], limit: int = 5) -> str:
    names = sorted(str(p) for p in paths)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
