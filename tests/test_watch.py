"""Hot reload: a real mockd (port 0) watches its root dir; tests await its reload event, never sleep.

Every wait is bounded: `Reloads.wait` returns as soon as the core counts a new reload (or fails after
its timeout); `Reloads.quiet` is the one negative check (no reload within a short window).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockd.config import Settings
from mockd.core import Mockd
from mockd.embedded import EmbeddedServer, serve

SERVED_WITHIN_S = 1.0  # the promise: a change is served within one second
WAIT_S = 5.0  # what a test waits at most before failing (a loaded CI machine is slow)


class Reloads:
    """The server's reload counter, awaited from the test thread."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.core: Mockd = server.core
        self._cond = threading.Condition()
        server.call(self.core.on_reload.append, self._notify)

    def _notify(self) -> None:  # on the server's loop
        with self._cond:
            self._cond.notify_all()

    @property
    def count(self) -> int:
        return self.core.reloads

    def _past(self, count: int) -> bool:
        return self.core.reloads > count

    def wait(self, after: int, timeout: float = WAIT_S) -> float:
        """Wait for a reload after the `after`-th; return how long it took."""
        start = time.monotonic()
        with self._cond:
            ok = self._cond.wait_for(partial(self._past, after), timeout)
        assert ok, f"no reload within {timeout} s (still {after})"
        return time.monotonic() - start

    def until(self, check: Callable[[], bool], timeout: float = WAIT_S) -> float:
        """Wait reload after reload until `check()` holds; return how long it took."""
        start = time.monotonic()
        while True:
            seen = self.count
            if check():
                return time.monotonic() - start
            left = timeout - (time.monotonic() - start)
            assert left > 0, f"not true within {timeout} s"
            with self._cond:
                self._cond.wait_for(partial(self._past, seen), left)

    def quiet(self, after: int, window: float = 0.5) -> bool:
        """True when no reload follows the `after`-th within `window` seconds."""
        with self._cond:
            return not self._cond.wait_for(partial(self._past, after), window)


@pytest.fixture
def watched(root: Path) -> Iterator[EmbeddedServer]:
    with serve(root, watch=True) as s:
        yield s


@pytest.fixture
def reloads(watched: EmbeddedServer) -> Reloads:
    return Reloads(watched)


@pytest.fixture
def client(watched: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=watched.url, timeout=10.0) as c:
        yield c


def stub_json(url: str, body: str, **extra: Any) -> str:
    return json.dumps(
        {"request": {"method": "GET", "url": url}, "response": {"status": 200, "body": body}, **extra}
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def body_of(client: httpx.Client, url: str) -> str | None:
    r = client.get(url)
    return r.text if r.status_code == 200 else None


def problems(client: httpx.Client) -> list[dict[str, Any]]:
    r = client.get("/__admin/mappings/problems")
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["problems"]
    return found


# -- create, change, delete, rename ----------------------------------------------------------------


def test_a_new_file_is_served_within_a_second(root: Path, reloads: Reloads, client: httpx.Client) -> None:
    before = reloads.count
    write(root / "mappings" / "hello.json", stub_json("/hello", "hi"))
    assert reloads.wait(before) < SERVED_WITHIN_S
    assert body_of(client, "/hello") == "hi"


def test_a_changed_file_replaces_its_stubs(root: Path, reloads: Reloads, client: httpx.Client) -> None:
    path = root / "mappings" / "hello.yaml"
    write(path, "request: {method: GET, url: /hello}\nresponse: {status: 200, body: one}\n")
    reloads.until(lambda: body_of(client, "/hello") == "one")
    write(path, "request: {method: GET, url: /hello}\nresponse: {status: 200, body: two}\n")
    assert reloads.until(lambda: body_of(client, "/hello") == "two") < SERVED_WITHIN_S
    assert len(client.get("/__admin/mappings").json()["mappings"]) == 1


def test_a_deleted_file_takes_its_stubs_away(root: Path, reloads: Reloads, client: httpx.Client) -> None:
    path = root / "mappings" / "sub" / "hello.json"
    write(path, stub_json("/hello", "hi"))
    reloads.until(lambda: body_of(client, "/hello") == "hi")
    before = reloads.count
    path.unlink()
    assert reloads.until(lambda: client.get("/hello").status_code == 404) < SERVED_WITHIN_S
    assert reloads.count > before


def test_a_renamed_file_is_served_once_and_a_file_renamed_away_is_not(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    m = root / "mappings"
    write(m / "a.json", stub_json("/hello", "hi"))
    reloads.until(lambda: body_of(client, "/hello") == "hi")
    before = reloads.count
    os.rename(m / "a.json", m / "b.json")
    reloads.wait(before)
    stubs = client.get("/__admin/mappings").json()["mappings"]
    assert len(stubs) == 1 and body_of(client, "/hello") == "hi"
    os.rename(m / "b.json", m / "b.json.bak")  # not a mapping file name any more
    reloads.until(lambda: client.get("/hello").status_code == 404)


def test_folders_moved_in_and_out_are_loaded_and_unloaded(
    root: Path, tmp_path_factory: pytest.TempPathFactory, reloads: Reloads, client: httpx.Client
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "pack"
    write(outside / "deep" / "one.json", stub_json("/one", "1"))
    write(outside / "two.yaml", "request: {url: /two}\nresponse: {status: 200, body: '2'}\n")
    os.rename(outside, root / "mappings" / "pack")
    reloads.until(lambda: body_of(client, "/one") == "1" and body_of(client, "/two") == "2")
    os.rename(root / "mappings" / "pack", outside)
    reloads.until(lambda: client.get("/one").status_code == 404 and client.get("/two").status_code == 404)


# -- what is ignored --------------------------------------------------------------------------------


def test_editor_temp_files_and_hidden_folders_are_ignored(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    m = root / "mappings"
    before = reloads.count
    for name in (".hello.json.swp", "hello.json~", "#hello.json#", ".#hello.json", "4913", "notes.txt"):
        write(m / name, stub_json("/hello", "temp"))
    write(m / ".git" / "hello.json", stub_json("/hello", "hidden"))
    assert reloads.quiet(before)
    assert client.get("/hello").status_code == 404


def test_an_editor_save_burst_is_one_reload(root: Path, reloads: Reloads, client: httpx.Client) -> None:
    """vim-style save: backup, swap file, then the file written in pieces: one reload, whole file."""
    m = root / "mappings"
    text = stub_json("/hello", "saved")
    before = reloads.count
    write(m / "hello.json~", "backup")
    write(m / ".hello.json.swp", "swap")
    with open(m / "hello.json", "w", encoding="utf-8") as fh:
        for i in range(0, len(text), 20):
            fh.write(text[i : i + 20])
            fh.flush()
            os.fsync(fh.fileno())
    reloads.wait(before)
    assert reloads.quiet(before + 1, window=0.4), "the burst caused a second reload"
    assert body_of(client, "/hello") == "saved"


def test_a_partly_written_file_is_retried_on_the_next_event(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    path = root / "mappings" / "slow.json"
    text = stub_json("/slow", "complete")
    with open(path, "w", encoding="utf-8") as fh:
        before = reloads.count
        fh.write(text[:30])
        fh.flush()
        reloads.wait(before)  # the half file is read: a problem, nothing served
        assert [p["file"] for p in problems(client)] == ["mappings/slow.json"]
        assert client.get("/slow").status_code == 404
        fh.write(text[30:])
    reloads.until(lambda: body_of(client, "/slow") == "complete")
    assert problems(client) == []


# -- invalid files: last good version, problems in the admin API -----------------------------------


def test_a_file_that_becomes_invalid_keeps_its_last_good_stubs(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    path = root / "mappings" / "hello.json"
    write(path, stub_json("/hello", "good"))
    reloads.until(lambda: body_of(client, "/hello") == "good")
    before = reloads.count
    write(path, '{"request": {"url": "/hello"},\n "response": {"status": 200, "body": "bad"')
    reloads.wait(before)
    assert body_of(client, "/hello") == "good"
    [problem] = problems(client)
    assert problem["file"] == "mappings/hello.json"
    assert (problem["line"], problem["column"]) == (2, 43)  # the end of the text
    assert "end of input" in problem["message"]
    assert problem["keptStubs"] == 1
    write(path, stub_json("/hello", "fixed"))
    reloads.until(lambda: body_of(client, "/hello") == "fixed")
    assert problems(client) == []


def test_a_schema_error_is_reported_with_its_pointer(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    before = reloads.count
    write(root / "mappings" / "bad.yaml", "request: {url: /x, bogus: 1}\nresponse: {status: 200}\n")
    write(root / "mappings" / "good.json", stub_json("/good", "ok"))
    reloads.until(lambda: reloads.count > before and body_of(client, "/good") == "ok")
    [problem] = problems(client)
    assert problem["file"] == "mappings/bad.yaml"
    assert problem["pointer"] == "/request/bogus"
    assert 'Unrecognized field "bogus"' in problem["message"]
    assert problem["keptStubs"] == 0


def test_problems_of_a_deleted_file_go_away(root: Path, reloads: Reloads, client: httpx.Client) -> None:
    path = root / "mappings" / "bad.json"
    write(path, "{")
    reloads.until(lambda: len(problems(client)) == 1)
    path.unlink()
    reloads.until(lambda: problems(client) == [])


# -- what a reload keeps -----------------------------------------------------------------------------

SCENARIO = {
    "mappings": [
        {
            "scenarioName": "cart",
            "requiredScenarioState": "Started",
            "newScenarioState": "Full",
            "request": {"method": "POST", "url": "/cart"},
            "response": {"status": 201},
        },
        {
            "scenarioName": "cart",
            "requiredScenarioState": "Full",
            "request": {"method": "GET", "url": "/cart"},
            "response": {"status": 200, "body": "one item"},
        },
    ]
}


def test_scenario_states_and_the_journal_survive_reloads(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    write(root / "mappings" / "cart.json", json.dumps(SCENARIO))
    reloads.until(lambda: client.post("/cart").status_code == 201)
    assert client.get("/cart").text == "one item"
    journal = len(client.get("/__admin/requests").json()["requests"])
    before = reloads.count
    write(root / "mappings" / "other.json", stub_json("/other", "x"))  # another file
    reloads.wait(before)
    before = reloads.count
    write(root / "mappings" / "cart.json", json.dumps(SCENARIO, indent=2))  # the scenario's own file
    reloads.wait(before)
    assert client.get("/cart").text == "one item"
    [scenario] = client.get("/__admin/scenarios").json()["scenarios"]
    assert scenario["state"] == "Full"
    assert len(client.get("/__admin/requests").json()["requests"]) >= journal


def test_api_stubs_stay_and_api_deletions_are_not_undone(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    write(root / "mappings" / "file.json", stub_json("/file", "from a file"))
    reloads.until(lambda: body_of(client, "/file") == "from a file")
    r = client.post(
        "/__admin/mappings", json={"request": {"url": "/api"}, "response": {"body": "from the API"}}
    )
    assert r.status_code == 201
    persistent = {"request": {"url": "/saved"}, "response": {"body": "persisted"}, "persistent": True}
    assert client.post("/__admin/mappings", json=persistent).status_code == 201
    before = reloads.count
    write(root / "mappings" / "other.json", stub_json("/other", "x"))
    reloads.until(lambda: reloads.count > before and body_of(client, "/other") == "x")
    assert body_of(client, "/api") == "from the API" and body_of(client, "/saved") == "persisted"
    assert len(client.get("/__admin/mappings").json()["mappings"]) == 4
    before = reloads.count
    assert client.delete("/__admin/mappings").status_code == 200  # deletes mockd's file, keeps people's
    assert not any("saved" in p.name for p in (root / "mappings").iterdir())
    reloads.wait(before)  # the deleted file's event: it must not bring the people's stubs back
    assert client.get("/__admin/mappings").json()["mappings"] == []
    assert client.get("/file").status_code == 404


def test_files_under_files_are_served_fresh(root: Path, reloads: Reloads, client: httpx.Client) -> None:
    write(root / "__files" / "greeting.txt", "hello")
    write(
        root / "mappings" / "greet.json",
        json.dumps(
            {"request": {"url": "/greet"}, "response": {"status": 200, "bodyFileName": "greeting.txt"}}
        ),
    )
    reloads.until(lambda: body_of(client, "/greet") == "hello")
    before = reloads.count
    write(root / "__files" / "greeting.txt", "bonjour")
    assert reloads.wait(before) < SERVED_WITHIN_S
    assert body_of(client, "/greet") == "bonjour"
    assert len(client.get("/__admin/mappings").json()["mappings"]) == 1


def test_templated_body_files_are_re_read(root: Path, reloads: Reloads, client: httpx.Client) -> None:
    write(root / "__files" / "t.txt", "one {{request.path.[1]}}")
    stub = {
        "request": {"urlPathPattern": "/t/.*"},
        "response": {"status": 200, "bodyFileName": "t.txt", "transformers": ["response-template"]},
    }
    write(root / "mappings" / "t.json", json.dumps(stub))
    reloads.until(lambda: body_of(client, "/t/x") == "one x")
    write(root / "__files" / "t.txt", "two {{request.path.[1]}}")
    reloads.until(lambda: body_of(client, "/t/y") == "two y")


# -- a request never sees half a reload ----------------------------------------------------------


def test_requests_during_reloads_see_the_old_or_the_new_stubs(
    root: Path, reloads: Reloads, client: httpx.Client
) -> None:
    m = root / "mappings"
    for i in range(20):
        write(m / f"s{i:02}.json", stub_json(f"/s{i}", "v0"))
    reloads.until(lambda: body_of(client, "/s19") == "v0")
    seen: list[tuple[int, str]] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=client.base_url, timeout=10.0) as c:
            while not stop.is_set():
                for i in (0, 10, 19):
                    r = c.get(f"/s{i}")
                    seen.append((r.status_code, r.text))

    worker = threading.Thread(target=hammer)
    worker.start()
    try:
        start = reloads.count
        for version in range(1, 6):
            for i in range(20):  # plain rewrites: truncate, then write (a reader can catch it empty)
                write(m / f"s{i:02}.json", stub_json(f"/s{i}", f"v{version}"))
            reloads.wait(reloads.count)
        reloads.until(lambda: body_of(client, "/s19") == "v5" and body_of(client, "/s0") == "v5")
        assert reloads.count - start >= 2
    finally:
        stop.set()
        worker.join(WAIT_S)
    assert seen, "the hammering thread made no request"
    assert all(status == 200 for status, _ in seen), {s for s, _ in seen}
    assert {text for _, text in seen} <= {f"v{v}" for v in range(6)}


# -- switches -----------------------------------------------------------------------------------


def test_polling_also_reloads_within_a_second(root: Path) -> None:
    with serve(root, watch=True, watch_poll=True) as server, httpx.Client(base_url=server.url) as client:
        reloads = Reloads(server)
        before = reloads.count
        write(root / "mappings" / "hello.json", stub_json("/hello", "polled"))
        assert reloads.wait(before) < SERVED_WITHIN_S
        assert body_of(client, "/hello") == "polled"


def test_no_watch_means_only_reset_reloads(root: Path) -> None:
    with serve(root, watch=False) as server, httpx.Client(base_url=server.url) as client:
        assert server.server.watcher is None
        reloads = Reloads(server)
        before = reloads.count
        write(root / "mappings" / "hello.json", stub_json("/hello", "hi"))
        assert client.get("/hello").status_code == 404
        assert client.post("/__admin/mappings/reset").status_code == 200
        assert reloads.count == before + 1
        assert body_of(client, "/hello") == "hi"


def test_the_cli_flags_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockd import cli

    assert Settings().watch is True and Settings().watch_poll is False
    ctx = cli.serve.make_context("serve", ["--no-watch", "--watch-poll"])
    settings = cli.settings_from(ctx.params)
    assert settings.watch is False and settings.watch_poll is True
    monkeypatch.setenv("MOCKD_NO_WATCH", "true")
    assert cli.settings_from(cli.serve.make_context("serve", []).params).watch is False


# -- Mockd.load(scope) without a server -----------------------------------------------------------


def test_scoped_load_keeps_order_and_reports_duplicate_ids(root: Path) -> None:
    m = root / "mappings"
    write(m / "a.json", stub_json("/x", "a", id="6b7c3a0e-0000-4000-8000-000000000001"))
    write(m / "b.json", stub_json("/x", "b"))
    core = Mockd(Settings(root_dir=root, watch=False))
    core.load()
    order = [s.response.body for s in core.store.all()]
    write(m / "a.json", stub_json("/x", "a2", id="6b7c3a0e-0000-4000-8000-000000000001"))
    core.load([m / "a.json"])
    assert [s.response.body for s in core.store.all()] == [str(b).replace("a", "a2") for b in order]
    write(m / "c.json", stub_json("/y", "c", id="6b7c3a0e-0000-4000-8000-000000000001"))
    core.load([m / "c.json"])
    [problem] = core.problems
    assert problem.file == m / "c.json" and "already used by" in str(problem)
    (m / "a.json").unlink()
    core.load([m / "a.json"])  # c.json had a problem: it is retried, and now loads
    assert core.problems == []
    assert sorted(str(s.response.body) for s in core.store.all()) == ["b", "c"]
