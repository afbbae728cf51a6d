"""The request journal: a bounded ring of ServeEvents (newest last internally, served newest first)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

from mockd.http import LoggedRequest
from mockd.stubs.model import ServeEvent


class Journal:
    def __init__(self, max_entries: int | None = 10_000, enabled: bool = True) -> None:
        self.enabled = enabled
        self.max_entries = max_entries
        self._events: deque[ServeEvent] = deque(maxlen=max_entries)
        self._by_id: dict[str, ServeEvent] = {}

    def __len__(self) -> int:
        return len(self._events)

    def record(self, event: ServeEvent) -> None:
        if not self.enabled:
            return
        events = self._events
        if events.maxlen is not None and len(events) == events.maxlen:
            if events.maxlen == 0:
                return
            self._by_id.pop(events[0].id, None)
        events.append(event)
        self._by_id[event.id] = event

    def newest_first(self) -> Iterator[ServeEvent]:
        return reversed(self._events)

    def oldest_first(self) -> Iterator[ServeEvent]:
        return iter(self._events)

    def get(self, event_id: str) -> ServeEvent | None:
        return self._by_id.get(event_id)

    def find(self, predicate: Callable[[LoggedRequest], bool]) -> list[ServeEvent]:
        """Matching events, oldest first."""
        return [e for e in self._events if predicate(e.request)]

    def count(self, predicate: Callable[[LoggedRequest], bool]) -> int:
        return sum(1 for e in self._events if predicate(e.request))

    def remove_where(self, predicate: Callable[[ServeEvent], bool]) -> list[ServeEvent]:
        removed = [e for e in self._events if predicate(e)]
        if removed:
            gone = {id(e) for e in removed}
            kept = [e for e in self._events if id(e) not in gone]
            self._events = deque(kept, maxlen=self.max_entries)
            for e in removed:
                self._by_id.pop(e.id, None)
        return removed

    def remove(self, event_id: str) -> ServeEvent | None:
        removed = self.remove_where(lambda e: e.id == event_id)
        return removed[0] if removed else None

    def clear(self) -> None:
        self._events.clear()
        self._by_id.clear()
