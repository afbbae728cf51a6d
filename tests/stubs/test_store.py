"""The store: priority then newest; an edit keeps its place; the index finds what a full scan finds."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.dispatch import select
from mockd.http import LoggedRequest
from mockd.scenarios import Scenarios
from mockd.stubs.codec import stub_from_json
from mockd.stubs.model import StubMapping
from mockd.stubs.store import StubStore


def mk(request: dict[str, Any], priority: int | None = None, name: str | None = None) -> StubMapping:
    doc: dict[str, Any] = {"request": request}
    if priority is not None:
        doc["priority"] = priority
    if name:
        doc["name"] = name
    return stub_from_json(doc)


def names(stubs: list[StubMapping]) -> list[str | None]:
    return [s.name for s in stubs]


def test_priority_then_newest_first() -> None:
    store = StubStore()
    store.add(mk({"url": "/a"}, name="old"))
    store.add(mk({"url": "/a"}, priority=1, name="urgent"))
    store.add(mk({"url": "/a"}, name="new"))
    store.add(mk({"url": "/a"}, priority=9, name="late"))
    assert names(store.all()) == ["urgent", "new", "old", "late"]


def test_replace_keeps_the_position() -> None:
    store = StubStore()
    first = store.add(mk({"url": "/a"}, name="first"))
    store.add(mk({"url": "/a"}, name="second"))
    from dataclasses import replace

    store.replace(replace(first, name="first-edited"))
    assert names(store.all()) == ["second", "first-edited"]


def test_remove_and_clear() -> None:
    store = StubStore()
    a = store.add(mk({"url": "/a"}))
    b = store.add(mk({"urlPathPattern": "/b.*"}))
    assert store.remove(a.id) is not None and store.remove(a.id) is None
    assert [s.id for s in store.all()] == [b.id]
    store.clear()
    assert len(store) == 0 and store.all() == []


REQUESTS = st.sampled_from(
    [
        {"url": "/a"},
        {"url": "/a?x=1"},
        {"urlPath": "/a"},
        {"urlPath": "/b"},
        {"urlPattern": "/a.*"},
        {"urlPathPattern": "/[ab]"},
        {"urlPathTemplate": "/{x}"},
        {},
        {"method": "POST", "url": "/a"},
        {"method": "GET", "urlPath": "/b"},
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    stubs=st.lists(st.tuples(REQUESTS, st.one_of(st.none(), st.integers(1, 6))), min_size=1, max_size=12),
    url=st.sampled_from(["/a", "/a?x=1", "/b", "/b?y", "/c", "/a?"]),
    method=st.sampled_from(["GET", "POST"]),
)
def test_index_selects_what_a_full_scan_selects(
    stubs: list[tuple[dict[str, Any], int | None]], url: str, method: str
) -> None:
    store = StubStore()
    for i, (request, priority) in enumerate(stubs):
        store.add(mk(request, priority, name=str(i)))
    req = LoggedRequest.create(method, url)
    full_scan = next((s for s in store.all() if s.request.is_match(req)), None)
    chosen = select(store, Scenarios(), req)
    assert (chosen.name if chosen else None) == (full_scan.name if full_scan else None)
