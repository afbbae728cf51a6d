"""The stub store: ordered by priority then newest, indexed so matching does not scan every stub.

Stubs with an exact `url` are indexed by that url, stubs with an exact `urlPath` by that path; only the
rest (patterns, templates, any-url) is scanned. `candidates(request)` merges the request's two buckets
with the scan list in the global order, so the first match is the same as a full scan would find.

For the near-miss search (notmatched.py), `url_keys(kind)` gives the distinct indexed urls (or paths)
as a `KeyIndex`: sorted by their text and by their reversed text, so the keys sharing the longest
prefix or suffix with a request's url are found by bisection instead of comparing every stub. It is
built on first use after a change and keeps a small cache of answers.
"""

from __future__ import annotations

import bisect
import heapq
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from mockd.http import LoggedRequest
from mockd.matching.result import levenshtein_distance
from mockd.matching.url import UrlKind
from mockd.stubs.model import StubMapping

NEIGHBOURS = 8  # keys taken on each side of the request's place, in each of the two orders
CLOSEST_KEYS = 4  # keys whose stubs the near-miss search scores fully
CLOSEST_CACHE = 256  # subjects remembered per KeyIndex


def _key(stub: StubMapping) -> tuple[int, int]:
    return stub.sort_key


class KeyIndex:
    """Distinct exact url (or urlPath) values: `closest(subject)` ranks the keys most like `subject`.

    Candidates are the keys next to `subject` in text order (longest shared prefix) and in reversed
    text order (longest shared suffix), NEIGHBOURS on each side; they are ranked by normalised
    Levenshtein distance (the distance url matching grades with) and the CLOSEST_KEYS best are kept.
    Bounded work per call whatever the number of keys; answers are cached by subject."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.forward = sorted(keys)
        self.backward = sorted(k[::-1] for k in self.forward)
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.forward)

    def neighbours(self, subject: str, n: int = NEIGHBOURS) -> list[str]:
        out: dict[str, None] = {}
        i = bisect.bisect_left(self.forward, subject)
        for k in self.forward[max(0, i - n) : i + n]:
            out[k] = None
        rev = subject[::-1]
        i = bisect.bisect_left(self.backward, rev)
        for k in self.backward[max(0, i - n) : i + n]:
            out[k[::-1]] = None
        return list(out)

    def closest(self, subject: str, keep: int = CLOSEST_KEYS) -> tuple[str, ...]:
        found = self._cache.get(subject)
        if found is not None:
            self._cache.move_to_end(subject)
            return found
        ranked = sorted(self.neighbours(subject), key=lambda k: (levenshtein_distance(k, subject), k))
        found = tuple(ranked[:keep])
        self._cache[subject] = found
        if len(self._cache) > CLOSEST_CACHE:
            self._cache.popitem(last=False)
        return found


class StubStore:
    def __init__(self, stubs: Iterable[StubMapping] = ()) -> None:
        self._by_id: dict[str, StubMapping] = {}
        self._by_url: dict[str, list[StubMapping]] = {}
        self._by_path: dict[str, list[StubMapping]] = {}
        self._scan: list[StubMapping] = []
        self._ordered: list[StubMapping] | None = []
        self._keys: dict[UrlKind, KeyIndex] = {}
        # stub id -> (the stub object, the settings, its prepared answer), kept for dispatch's static
        # plans; valid only while the stub object is the one stored (an edit makes a new object)
        self.prepared: dict[str, tuple[StubMapping, Any, Any]] = {}
        # unmatched reports that depend only on the request line (notmatched.report); emptied on change
        self.reports: OrderedDict[tuple[Any, ...], str] = OrderedDict()
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

    def url_keys(self, kind: UrlKind) -> KeyIndex:
        """The distinct exact `url` (UrlKind.URL) or `urlPath` (UrlKind.URL_PATH) values indexed."""
        index = self._keys.get(kind)
        if index is None:
            index = KeyIndex(self._by_url if kind is UrlKind.URL else self._by_path)
            self._keys[kind] = index
        return index

    def has_candidates(self, req: LoggedRequest) -> bool:
        """Whether any stub could match `req`'s url (its url or path bucket, or a scanned stub)."""
        return bool(self._scan) or req.url in self._by_url or req.path in self._by_path

    def bucket(self, kind: UrlKind, key: str) -> list[StubMapping]:
        """The stubs with exact url (or urlPath) `key`, in match order."""
        return (self._by_url if kind is UrlKind.URL else self._by_path).get(key, [])

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
        self._changed()
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
        self.prepared.pop(stub_id, None)
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
        self._changed()
        return stub

    def clear(self) -> None:
        self._by_id.clear()
        self._by_url.clear()
        self._by_path.clear()
        self._scan.clear()
        self.prepared.clear()
        self._changed()
        self._ordered = []

    # -- internals -------------------------------------------------------------------------------
    def _insert(self, stub: StubMapping) -> None:
        self._by_id[stub.id] = stub
        bisect.insort(self._bucket(stub), stub, key=_key)
        self._changed()

    def _changed(self) -> None:
        self._ordered = None
        self._keys.clear()
        self.reports.clear()

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
