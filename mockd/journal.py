"""The request journal: a bounded ring of ServeEvents (newest last internally, served newest first).

Request ids are made lazily (`LoggedRequest.id` on first read), so the journal keeps no index by id:
an id can only be asked for once it was handed out, and `get` / `remove` look among those events."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from mockd.http import LoggedRequest
from mockd.stubs.model import ResponseSnapshot, ServeEvent


@dataclass(frozen=True)
class JournalPage:
    """Events for `GET /requests`: `total` counts them after the filters, before `since` and `limit`."""

    events: list[ServeEvent]
    total: int


class Journal:
    def __init__(
        self, max_entries: int | None = 10_000, enabled: bool = True, response_body_limit: int | None = None
    ) -> None:
        self.enabled = enabled
        self.max_entries = max_entries
        self.response_body_limit = response_body_limit
        self._events: deque[ServeEvent] = deque(maxlen=max_entries)

    def __len__(self) -> int:
        return len(self._events)

    def record(self, event: ServeEvent) -> None:
        if not self.enabled:
            return
        self._events.append(event)  # a full ring drops its oldest event (maxlen 0 keeps none)

    def complete(self, event: ServeEvent, response: ResponseSnapshot) -> None:
        """Attach what was sent, its body cut to `response_body_limit` bytes (the rest is not kept)."""
        limit = self.response_body_limit
        if limit is not None and len(response.body) > limit:
            response = replace(response, body=response.body[:limit])
        event.response = response
        event.request.drop_derived()  # kept for long: no cached header maps, query dicts ...

    def page(
        self,
        *,
        unmatched_only: bool = False,
        stub_id: str | None = None,
        since_ms: int | None = None,
        limit: int | None = None,
    ) -> JournalPage:
        """Newest first, filtered by `unmatched_only` / `stub_id`, then cut by `since_ms` and `limit`.

        `since_ms` (epoch milliseconds) keeps events logged strictly after it, compared at millisecond
        precision as WireMock does."""
        events = [
            e
            for e in reversed(self._events)
            if not (unmatched_only and e.was_matched)
            and (stub_id is None or (e.stub is not None and e.stub.id == stub_id))
        ]
        total = len(events)
        if since_ms is not None:
            events = [e for e in events if int(e.request.logged_at * 1000) > since_ms]
        if limit is not None:
            events = events[:limit]
        return JournalPage(events, total)

    def newest_first(self) -> Iterator[ServeEvent]:
        return reversed(self._events)

    def oldest_first(self) -> Iterator[ServeEvent]:
        return iter(self._events)

    def get(self, event_id: str) -> ServeEvent | None:
        for e in reversed(self._events):
            if e.request.id_if_read() == event_id:
                return e
        return None

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
        return removed

    def remove(self, event_id: str) -> ServeEvent | None:
        removed = self.remove_where(lambda e: e.request.id_if_read() == event_id)
        return removed[0] if removed else None

    def clear(self) -> None:
        self._events.clear()
