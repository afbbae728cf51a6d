"""The stub store: ordered by priority then newest, indexed so matching does not scan every stub.

Stubs with an exact `url` are indexed by that url, stubs with an exact `urlPath` by that path; only the
rest (patterns, templates, any-url) is scanned. `candidates(request)` merges the request's two buckets
with the scan list in the global order, so the first match is the same as a full scan would find.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import replace

from mockd.http import LoggedRequest
from mockd.matching.url import UrlKind
from mockd.stubs.model import StubMapping


def _key(stub: StubMapping) -> tuple[int, int]:
    return stub.sort_key


class StubStore:
    def __init__(self, stubs: Iterable[StubMapping] = ()) -> None:
        self._by_id: dict[str, StubMapping] = {}
        self._by_url: dict[str, list[StubMapping]] = {}
        self._by_path: dict[str, list[StubMapping]] = {}
        self._scan: list[StubMapping] = []
        self._ordered: list[StubMapping] | None = []
        self._next_index = 0
        self.add_all(stubs)

    # -- queries ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, stub_id: object) -> bool:
        return stub_id in self._by_id

    def get(self, stub_id: str) -> StubMapping | None:
        return self._by_id.get(stub_id)

    def all(self) -> list[StubMapping]:
        """Every stub in match order (priority ascending, newest first)."""
        if self._ordered is None:
            self._ordered = sorted(self._by_id.values(), key=_key)
        return self._ordered

    def candidates(self, req: LoggedRequest) -> Iterator[StubMapping]:
        """Stubs that could match `req`, in match order. Exact-url stubs of other urls are skipped."""
        by_url = self._by_url.get(req.url)
        by_path = self._by_path.get(req.path)
        if by_url is None and by_path is None:
            return iter(self._scan)
        lists = [lst for lst in (by_url, by_path) if lst]
        if self._scan:
            lists.append(self._scan)
        if len(lists) == 1:
            return iter(lists[0])
        return heapq.merge(*lists, key=_key)

    def bucket_heads(self, limit: int) -> list[StubMapping]:
        """Up to `limit` stubs spread over the buckets, for bounded near-miss searches."""
        out = list(self._scan[:limit])
        for bucket in (*self._by_url.values(), *self._by_path.values()):
            if len(out) >= limit:
                break
            out.append(bucket[0])
        return out

    # -- changes ---------------------------------------------------------------------------------
    def add(self, stub: StubMapping) -> StubMapping:
        """Add as the newest stub (a fresh insertion index). Replaces a stub with the same id."""
        if stub.id in self._by_id:
            self.remove(stub.id)
        stub = replace(stub, insertion_index=self._next_index)
        self._next_index += 1
        self._insert(stub)
        return stub

    def add_all(self, stubs: Iterable[StubMapping]) -> list[StubMapping]:
        """Add many (each newer than the last), sorting once at the end."""
        added: list[StubMapping] = []
        for s in stubs:
            if s.id in self._by_id:
                self.remove(s.id)
            s = replace(s, insertion_index=self._next_index)
            self._next_index += 1
            self._by_id[s.id] = s
            self._bucket(s).append(s)
            added.append(s)
        for lst in (*self._by_url.values(), *self._by_path.values(), self._scan):
            lst.sort(key=_key)
        self._ordered = None
        return added

    def replace(self, stub: StubMapping) -> StubMapping:
        """Put `stub` in place of the stub with its id, keeping that stub's position."""
        old = self._by_id[stub.id]
        self.remove(stub.id)
        stub = replace(stub, insertion_index=old.insertion_index)
        self._insert(stub)
        return stub

    def remove(self, stub_id: str) -> StubMapping | None:
        stub = self._by_id.pop(stub_id, None)
        if stub is None:
            return None
        bucket = self._bucket(stub)
        i = bisect.bisect_left(bucket, _key(stub), key=_key)
        while i < len(bucket) and bucket[i].id != stub.id:
            i += 1
        if i < len(bucket):
            del bucket[i]
        if not bucket and bucket is not self._scan:
            self._drop_empty(stub)
        self._ordered = None
        return stub

    def clear(self) -> None:
        self._by_id.clear()
        self._by_url.clear()
        self._by_path.clear()
        self._scan.clear()
        self._ordered = []

    # -- internals -------------------------------------------------------------------------------
    def _insert(self, stub: StubMapping) -> None:
        self._by_id[stub.id] = stub
        bisect.insort(self._bucket(stub), stub, key=_key)
        self._ordered = None

    def _bucket(self, stub: StubMapping) -> list[StubMapping]:
        url = stub.request.url
        if url.kind is UrlKind.URL:
            return self._by_url.setdefault(url.value, [])
        if url.kind is UrlKind.URL_PATH:
            return self._by_path.setdefault(url.value, [])
        return self._scan

    def _drop_empty(self, stub: StubMapping) -> None:
        url = stub.request.url
        if url.kind is UrlKind.URL:
            self._by_url.pop(url.value, None)
        elif url.kind is UrlKind.URL_PATH:
            self._by_path.pop(url.value, None)
