"""Functional tests of the paths made fast for the benchmark (not timed: bench/ measures speed).

- static answers are prepared once per stub object and kept in the store; an edit, a reload or other
  settings make a new one; templated, proxied and body-file answers are never kept (a templated stub
  keeps what does not depend on the request: its fixed headers, its serialised jsonBody);
- the near-miss search of a large store pre-ranks indexed urls (KeyIndex) and still finds the closest stub;
- the bit-parallel edit distance equals the textbook one;
- request ids are made when first read, stay stable, and the journal finds events by them;
- heavy modules (Jinja2, lxml, jsonschema, PyYAML, watchdog, the client) load on first use only.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from support import stub

from mockd.config import Settings
from mockd.core import Mockd
from mockd.dispatch import Plan, dispatch, static_plan
from mockd.embedded import EmbeddedServer
from mockd.http import LoggedRequest
from mockd.journal import Journal
from mockd.matching.result import edit_distance, levenshtein_distance
from mockd.matching.url import UrlKind
from mockd.notmatched import FULL_SCAN, near_misses
from mockd.stubs.codec import stub_from_json
from mockd.stubs.model import ServeEvent, StubMapping
from mockd.stubs.store import KeyIndex, StubStore


def _get(url: str, headers: tuple[tuple[str, str], ...] = ()) -> LoggedRequest:
    return LoggedRequest.create("GET", url, headers)


def _stub(url: str, body: object = None, **response: object) -> StubMapping:
    resp: dict[str, object] = {"status": 200, **response}
    if body is not None:
        resp["jsonBody"] = body
    return stub_from_json({"request": {"method": "GET", "url": url}, "response": resp})


def _core(tmp_path: Path, **settings: object) -> Mockd:
    (tmp_path / "mappings").mkdir(exist_ok=True)
    (tmp_path / "__files").mkdir(exist_ok=True)
    return Mockd(Settings(root_dir=tmp_path, watch=False, **settings))  # type: ignore[arg-type]


# -- static plans --------------------------------------------------------------------------------


def test_static_plan_is_made_once_per_stub_object(tmp_path: Path) -> None:
    core = _core(tmp_path)
    added = core.add_stub(_stub("/s", {"a": 1}))
    first = dispatch(core, _get("/s")).plan
    second = dispatch(core, _get("/s")).plan
    assert first is second  # kept, not rebuilt per request
    assert first.body == b'{"a":1}'
    assert ("Matched-Stub-Id", added.id) in first.headers
    assert static_plan(core, core.store.get(added.id) or added) is first


def test_an_edited_stub_gets_a_new_static_plan(tmp_path: Path) -> None:
    core = _core(tmp_path)
    added = core.add_stub(_stub("/s", {"v": 1}))
    assert dispatch(core, _get("/s")).plan.body == b'{"v":1}'
    edited = stub_from_json({"id": added.id, "request": {"url": "/s"}, "response": {"jsonBody": {"v": 2}}})
    core.edit_stub(edited)
    assert dispatch(core, _get("/s")).plan.body == b'{"v":2}'
    core.remove_stub(added.id)
    assert added.id not in core.store.prepared
    assert dispatch(core, _get("/s")).plan.status == 404


def test_a_reloaded_stub_file_gets_a_new_static_plan(tmp_path: Path) -> None:
    core = _core(tmp_path)
    file = tmp_path / "mappings" / "s.json"
    file.write_text(json.dumps({"request": {"url": "/s"}, "response": {"body": "one"}}))
    core.load()
    assert dispatch(core, _get("/s")).plan.body == b"one"
    file.write_text(json.dumps({"request": {"url": "/s"}, "response": {"body": "two"}}))
    core.load([file])
    assert dispatch(core, _get("/s")).plan.body == b"two"


def test_static_plans_follow_the_settings(tmp_path: Path) -> None:
    gzip_on = _core(tmp_path)
    gzip_off = _core(tmp_path, disable_gzip=True)
    s = _stub("/s", {"a": 1})
    gzip_on.store = gzip_off.store = StubStore([s])  # one store seen with two settings
    assert dispatch(gzip_on, _get("/s")).plan.gzip is True
    assert dispatch(gzip_off, _get("/s")).plan.gzip is False
    assert dispatch(gzip_on, _get("/s")).plan.gzip is True


def test_delays_are_drawn_per_request_on_a_kept_plan(tmp_path: Path) -> None:
    core = _core(tmp_path)
    core.add_stub(
        stub_from_json(
            {
                "request": {"url": "/d"},
                "response": {
                    "body": "x",
                    "delayDistribution": {"type": "uniform", "lower": 1, "upper": 1000},
                },
            }
        )
    )
    delays = {dispatch(core, _get("/d")).plan.delay_ms for _ in range(30)}
    assert len(delays) > 1
    assert all(1 <= d <= 1000 for d in delays)
    assert {dispatch(core, _get("/d")).plan.body for _ in range(3)} == {b"x"}


def test_templated_answers_are_rendered_per_request(tmp_path: Path) -> None:
    core = _core(tmp_path)
    core.add_stub(
        stub_from_json(
            {
                "request": {"urlPath": "/t"},
                "response": {"body": "{{request.query.n}}", "transformers": ["response-template"]},
            }
        )
    )
    assert dispatch(core, _get("/t?n=1")).plan.body == b"1"
    assert dispatch(core, _get("/t?n=2")).plan.body == b"2"
    assert not any(isinstance(kept[2], Plan) for kept in core.store.prepared.values())


def test_a_templated_stub_keeps_only_what_does_not_depend_on_the_request(tmp_path: Path) -> None:
    core = _core(tmp_path)
    added = core.add_stub(
        stub_from_json(
            {
                "name": "named {{request.query.n}}",
                "request": {"urlPath": "/t"},
                "response": {
                    "status": 201,
                    "headers": {"X-Fixed": "{not a template", "Content-Type": "application/json"},
                    "jsonBody": {"n": "{{request.query.n}}", "list": [1, 2.50]},
                    "transformers": ["response-template"],
                },
            }
        )
    )
    one, two = (dispatch(core, _get(f"/t?n={n}")).plan for n in (1, 2))
    assert (one.status, one.body, two.body) == (201, b'{"n":"1","list":[1,2.5]}', b'{"n":"2","list":[1,2.5]}')
    ids = (("Matched-Stub-Id", added.id), ("Matched-Stub-Name", "named {{request.query.n}}"))
    assert one.headers == (("X-Fixed", "{not a template"), ("Content-Type", "application/json"), *ids)
    assert one.headers is two.headers and one.header_memo is two.header_memo is not None  # made once

    edited = core.edit_stub(
        stub_from_json(
            {
                "id": added.id,
                "request": {"urlPath": "/t"},
                "response": {
                    "headers": {"X-N": "n={{request.query.n}}"},
                    "body": "b{{request.query.n}}",
                    "transformers": ["response-template"],
                },
            }
        )
    )
    three, four = (dispatch(core, _get(f"/t?n={n}")).plan for n in (3, 4))
    assert (three.status, three.body, four.body) == (200, b"b3", b"b4")
    assert three.headers == (("X-N", "n=3"), ("Matched-Stub-Id", edited.id))
    assert four.headers == (("X-N", "n=4"), ("Matched-Stub-Id", edited.id))


def test_body_files_are_read_when_served(tmp_path: Path) -> None:
    core = _core(tmp_path)
    core.add_stub(stub_from_json({"request": {"url": "/f"}, "response": {"bodyFileName": "f.txt"}}))
    (tmp_path / "__files" / "f.txt").write_text("one")
    assert dispatch(core, _get("/f")).plan.body == b"one"
    (tmp_path / "__files" / "f.txt").write_text("two")
    assert dispatch(core, _get("/f")).plan.body == b"two"


def test_kept_plans_serve_gzip_and_identity_alike(http: httpx.Client) -> None:
    stub(
        http,
        {
            "request": {"url": "/z"},
            "response": {"body": "z" * 500, "headers": {"Content-Type": "text/plain"}},
        },
    )
    for _ in range(2):
        zipped = http.get("/z", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.text == "z" * 500  # httpx decodes
        plain = http.get("/z", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.text == "z" * 500
        assert plain.headers["Content-Type"] == "text/plain"


def test_kept_plans_keep_header_rules(http: httpx.Client) -> None:
    stub(
        http,
        {
            "request": {"url": "/h"},
            "response": {
                "body": "abc",
                "headers": {"Content-Length": "99", "Content-Encoding": "none", "X-A": ["1", "2"]},
            },
        },
    )
    for _ in range(2):
        r = http.get("/h", headers={"Accept-Encoding": "gzip"})
        assert r.content == b"abc"
        assert r.headers["Content-Length"] == "3"
        assert "content-encoding" not in r.headers
        assert "content-type" not in r.headers  # no default type is added
        assert r.headers.get_list("X-A") == ["1", "2"]


def test_a_changed_copy_of_a_kept_plan_has_its_own_memo(tmp_path: Path) -> None:
    from dataclasses import replace

    core = _core(tmp_path)
    core.add_stub(_stub("/s", {"a": 1}))
    plan = dispatch(core, _get("/s")).plan
    plan.memo["prepared"] = "something derived from the headers"
    assert replace(plan, headers=(*plan.headers, ("X", "y"))).memo == {}


def test_kept_plans_with_cors(tmp_path: Path) -> None:
    from mockd.embedded import serve

    (tmp_path / "mappings").mkdir()
    (tmp_path / "__files").mkdir()
    with serve(tmp_path, enable_stub_cors=True) as s, httpx.Client(base_url=s.url) as c:
        stub(c, {"request": {"url": "/c"}, "response": {"body": "c"}})
        for _ in range(2):
            r = c.get("/c")
            assert r.text == "c" and r.headers["Access-Control-Allow-Origin"] == "*"


# -- near misses ---------------------------------------------------------------------------------


def _many(n: int, kind: str = "url") -> StubStore:
    stubs = [
        stub_from_json({"request": {"method": "GET", kind: f"/api/v1/items/{i:05d}/detail"}, "response": {}})
        for i in range(n)
    ]
    return StubStore(stubs)


def _full_scan_best(req: LoggedRequest, store: StubStore) -> float:
    return min(s.request.match(req).distance for s in store.all())


@pytest.mark.parametrize("kind", ["url", "urlPath"])
def test_prefilter_finds_the_closest_stub(kind: str) -> None:
    store = _many(2000, kind)
    assert len(store) > FULL_SCAN
    for url, expected in [
        ("/api/v1/items/01234/detai", "/api/v1/items/01234/detail"),  # end
        ("/api/v2/items/01234/detail", "/api/v1/items/01234/detail"),  # middle
        ("/xpi/v1/items/01999/detail", "/api/v1/items/01999/detail"),  # start
        ("/api/v1/items/00007/detail/", "/api/v1/items/00007/detail"),
    ]:
        found = near_misses(_get(url), store)
        assert found[0].stub.request.url.value == expected
        assert found[0].result.distance == _full_scan_best(_get(url), store)


def test_prefilter_matches_a_full_scan_on_one_edit() -> None:
    store = _many(1000)
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789/"
    for _ in range(200):
        url = store.all()[rng.randrange(len(store))].request.url.value
        i = rng.randrange(1, len(url))
        op = rng.choice(("sub", "ins", "del"))
        if op == "sub":
            url = url[:i] + rng.choice(alphabet) + url[i + 1 :]
        elif op == "ins":
            url = url[:i] + rng.choice(alphabet) + url[i:]
        else:
            url = url[:i] + url[i + 1 :]
        req = _get(url)
        best = near_misses(req, store, 1)[0]
        assert best.result.distance == _full_scan_best(req, store), url


def test_prefilter_keeps_the_request_candidates_and_other_parts() -> None:
    stubs = [_stub(f"/other/{i}") for i in range(300)]
    header_stub = stub_from_json(
        {
            "request": {"method": "GET", "url": "/exact", "headers": {"X-A": {"equalTo": "yes"}}},
            "response": {},
        }
    )
    post_stub = stub_from_json({"request": {"method": "POST", "url": "/exact"}, "response": {}})
    store = StubStore([*stubs, header_stub, post_stub])
    found = near_misses(_get("/exact", (("X-A", "no"),)), store, 3)
    assert {n.stub.id for n in found[:2]} == {header_stub.id, post_stub.id}


def test_key_index_is_rebuilt_after_changes() -> None:
    store = _many(500)
    req = _get("/zzz/new")
    before = near_misses(req, store, 1)[0].stub
    assert before.request.url.value.startswith("/api/")
    store.add(_stub("/zzz/new/"))
    assert near_misses(req, store, 1)[0].stub.request.url.value == "/zzz/new/"
    store.remove(store.all()[0].id)  # the newest: the one just added
    assert near_misses(req, store, 1)[0].stub.request.url.value.startswith("/api/")


def test_key_index_neighbours_and_cache() -> None:
    index = KeyIndex(["/a/1", "/a/2", "/b/1", "/c/x/1", "/zz"])
    assert set(index.neighbours("/a/3", 1)) >= {"/a/2", "/b/1"}
    first = index.closest("/a/3", 2)
    assert first[0] in ("/a/1", "/a/2")
    assert index.closest("/a/3", 2) is first  # cached
    assert len(StubStore().url_keys(UrlKind.URL)) == 0


def test_unmatched_report_against_a_large_store(http: httpx.Client) -> None:
    for i in range(FULL_SCAN + 20):
        stub(http, {"request": {"method": "GET", "url": f"/items/{i:05d}"}, "response": {}})
    r = http.get("/items/0003")
    assert r.status_code == 404
    assert "Request was not matched" in r.text
    row = next(line for line in r.text.splitlines() if "URL does not match" in line)
    closest = row.split("|")[0].strip()
    assert edit_distance(closest, "/items/0003") == 1  # one of the closest (ties: any of them)


# -- plain Handlebars templates without Jinja2 -------------------------------------------------------

PLAIN = [
    '{"name":"{{request.query.name}}","id":"{{request.headers.X-Id}}"}',
    "{{request.path}} {{request.pathSegments.[1]}} {{request.query.x.[1]}} {{request.query.x}}",
    "{{request.headers}} {{request.method}} {{request.url}} {{request.body}} {{request.missing.deep}}",
    "{{this.request.query.name}} {{parameters.a}} {{parameters.n}} {{request.query.x.length}}",
    "{{request.cookies.c}} {{request.query.name.[9]}} {{request.clientIp}} {{request.requestLine.path}}",
    "{{{request.body}}} {{../request.url}} {{@root.request.method}}",
    "no template at all",
]
NOT_PLAIN = [
    "{{now}}",
    "{{#if request.query.x}}y{{/if}}",
    "{{jsonPath request.body '$.a'}}",
]


def _jinja_only(engine: object, source: str, dialect: object) -> None:
    """Drop the compiled template's plain parts: the next render goes through Jinja2."""
    from dataclasses import replace

    cache = engine._cache  # type: ignore[attr-defined]
    key = (dialect, source)
    cache[key] = replace(cache[key], parts=None)


def test_plain_templates_render_as_jinja2_does() -> None:
    from mockd.templating import Dialect, TemplateEngine, request_model

    req = LoggedRequest.create(
        "POST",
        "/a/b%20c?name=bench&x=1&x=2",
        (("X-Id", "42"), ("Cookie", "c=v"), ("Content-Type", "text/plain")),
        b"<body & more>",
    )
    model = request_model(req, parameters={"a": "A", "n": 1})
    engine = TemplateEngine()
    for source in PLAIN:
        fast = engine.render(source, Dialect.HANDLEBARS, model)
        compiled = engine._compiled(source, Dialect.HANDLEBARS)
        assert compiled.template is None or compiled.parts is not None, source
        if compiled.template is not None:
            _jinja_only(engine, source, Dialect.HANDLEBARS)
            assert engine.render(source, Dialect.HANDLEBARS, model) == fast, source
    for source in NOT_PLAIN:
        engine.render(source, Dialect.HANDLEBARS, model)
        assert engine._compiled(source, Dialect.HANDLEBARS).parts is None, source


def test_plain_template_errors_are_the_same() -> None:
    from mockd.errors import TemplateRenderError
    from mockd.templating import Dialect, TemplateEngine, request_model

    engine = TemplateEngine(max_output=10)
    model = request_model(LoggedRequest.create("GET", "/?q=" + "x" * 50))
    source = "{{request.query.q}}"
    with pytest.raises(TemplateRenderError) as fast:
        engine.render(source, Dialect.HANDLEBARS, model)
    _jinja_only(engine, source, Dialect.HANDLEBARS)
    with pytest.raises(TemplateRenderError) as slow:
        engine.render(source, Dialect.HANDLEBARS, model)
    assert str(fast.value) == str(slow.value)


# -- the edit distance ---------------------------------------------------------------------------


def _textbook(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def test_bit_parallel_edit_distance_equals_the_textbook_one() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        alphabet = rng.choice(["ab", "abc/", "/items0123456789?=&", "xé😀"])
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, rng.choice([4, 20, 90]))))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, rng.choice([4, 20, 90]))))
        assert edit_distance(a, b) == _textbook(a, b), (a, b)
    assert levenshtein_distance("kitten", "sitting") == pytest.approx(3 / 7)
    assert levenshtein_distance("a" * 300, "b" * 300) == 1.0  # compared on a 200-character prefix


# -- lazy request ids ----------------------------------------------------------------------------


def test_request_ids_are_made_on_first_read_and_stay() -> None:
    req = _get("/x")
    assert req.id_if_read() is None
    first = req.id
    assert req.id == first
    assert req.id_if_read() == first
    assert _get("/x").id != first


def test_journal_finds_events_by_an_id_once_read() -> None:
    journal = Journal(3)
    events = [ServeEvent(_get(f"/{i}"), None, _stub("/").response, False) for i in range(5)]
    for e in events:
        journal.record(e)
    assert len(journal) == 3
    kept = events[-1]
    assert journal.get(kept.id) is kept
    assert journal.get(events[0].id) is None  # dropped by the bound
    assert journal.remove(kept.id) is kept
    assert journal.get(kept.id) is None
    assert len(journal) == 2


def test_admin_ids_are_stable(server: EmbeddedServer, http: httpx.Client) -> None:
    stub(http, {"request": {"url": "/a"}, "response": {"body": "a"}})
    http.get("/a")
    http.get("/a")
    listed = [r["id"] for r in http.get("/__admin/requests").json()["requests"]]
    again = [r["id"] for r in http.get("/__admin/requests").json()["requests"]]
    assert listed == again and len(set(listed)) == 2
    one = http.get(f"/__admin/requests/{listed[0]}")
    assert one.status_code == 200 and one.json()["id"] == listed[0]
    assert http.delete(f"/__admin/requests/{listed[0]}").status_code == 200
    assert http.get(f"/__admin/requests/{listed[0]}").status_code == 404
    assert [r["id"] for r in http.get("/__admin/requests").json()["requests"]] == listed[1:]


def test_recording_still_sees_every_request(server: EmbeddedServer, http: httpx.Client) -> None:
    stub(http, {"request": {"url": "/r"}, "response": {"body": "r"}})
    start = {"filters": {"allowNonProxied": True}, "persist": False}
    assert http.post("/__admin/recordings/start", json=start).status_code == 200
    http.get("/r")
    assert http.get("/__admin/recordings/status").json()["status"] == "Recording"
    result = http.post("/__admin/recordings/stop").json()
    assert [m["request"]["url"] for m in result["mappings"]] == ["/r"]


# -- lazy imports --------------------------------------------------------------------------------

HEAVY = (
    "jinja2",
    "lxml",
    "jsonschema",
    "yaml",
    "watchdog",
    "jsonpath_ng",
    "mockd.client",
    "mockd.templating.engine",
    "mockd.tls",  # and cryptography: only with --https-port
    "cryptography",
    "mockd.webhooks",  # with the first stub that has webhooks
    "mockd.netrules",  # only with --allow/--deny-proxy-targets
    "mockd.extensions",  # only with --extensions
)


def _a_core(tmp_path: Path) -> str:
    """Python source that makes `core`, a Mockd on `tmp_path`, with `dispatch`, `LoggedRequest` and
    `stub_from_json` imported (for the tests that look at `sys.modules` in a fresh interpreter)."""
    return (
        "from mockd.config import Settings\n"
        "from mockd.core import Mockd\n"
        "from mockd.dispatch import dispatch\n"
        "from mockd.http import LoggedRequest\n"
        "from mockd.stubs.codec import stub_from_json\n"
        f"core = Mockd(Settings(root_dir=__import__('pathlib').Path({str(tmp_path)!r}), watch=False))\n"
    )


def test_the_server_imports_no_heavy_module_until_used(tmp_path: Path) -> None:
    code = (
        "import sys, mockd, mockd.cli, mockd.server\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
        + _a_core(tmp_path)
        + "core.add_stub(stub_from_json({'request': {'url': '/s'}, 'response': {'jsonBody': {'a': 1}}}))\n"
        "assert dispatch(core, LoggedRequest.create('GET', '/s')).plan.body == b'{\"a\":1}'\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.splitlines() == ["", ""], out.stdout


def test_heavy_modules_load_when_a_stub_needs_them(http: httpx.Client) -> None:
    stub(
        http,
        {
            "request": {"url": "/j", "bodyPatterns": [{"matchesJsonPath": "$.a"}]},
            "response": {"body": "{{jsonPath request.body '$.a'}}", "transformers": ["response-template"]},
        },
    )
    stub(http, {"request": {"url": "/d", "headers": {"X-D": {"before": "now"}}}, "response": {"body": "d"}})
    assert http.post("/j", content=b'{"a": 7}').text == "7"
    assert http.get("/d", headers={"X-D": "2001-01-01T00:00:00Z"}).text == "d"
    import mockd

    assert mockd.MockdClient.__name__ == "MockdClient"


def test_deferred_certificates_end_up_loaded() -> None:
    code = (
        "import ssl\n"
        "from mockd.startup import DeferredCertificates\n"
        "deferred = DeferredCertificates()\n"
        "with deferred:\n"
        "    import aiohttp.web\n"
        "from aiohttp import connector\n"
        "assert 'set_default_verify_paths' not in vars(ssl.SSLContext)\n"
        "assert len(deferred.pending) == 2, deferred.pending\n"
        "assert connector._SSL_CONTEXT_VERIFIED.cert_store_stats()['x509_ca'] == 0\n"
        "deferred.load()\n"
        "want = ssl.create_default_context().cert_store_stats()\n"
        "assert connector._SSL_CONTEXT_VERIFIED.cert_store_stats() == want\n"
        "assert connector._SSL_CONTEXT_UNVERIFIED.cert_store_stats() == want\n"
        "again = DeferredCertificates()\n"
        "assert not again.enabled  # aiohttp is imported: nothing to defer\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


def test_serve_answers_with_deferred_certificates(tmp_path: Path) -> None:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "s.json").write_text(
        json.dumps({"request": {"url": "/s"}, "response": {"body": "s"}})
    )
    cmd = [sys.executable, "-m", "mockd", "serve", "--port", "0", "--bind-address", "127.0.0.1"]
    proc = subprocess.Popen(
        [*cmd, "--root-dir", str(tmp_path), "--no-watch"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split("listening on ")[1].strip()
        assert httpx.get(url + "/s", timeout=10).text == "s"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_regex_module_loads_only_for_patterns_re2_cannot_run(tmp_path: Path) -> None:
    code = (
        "import sys, mockd.server\n"
        + _a_core(tmp_path)
        + "core.add_stub(stub_from_json({'request': {'urlPattern': '/r/[0-9]+'}, 'response': {'body': 'r'}}))\n"
        "assert dispatch(core, LoggedRequest.create('GET', '/r/12')).plan.body == b'r'\n"
        "print('regex' in sys.modules)\n"
        "core.add_stub(stub_from_json({'request': {'urlPattern': '/l/(?!no).*'}, 'response': {'body': 'l'}}))\n"
        "assert dispatch(core, LoggedRequest.create('GET', '/l/yes')).plan.body == b'l'\n"
        "assert dispatch(core, LoggedRequest.create('GET', '/l/no')).plan.body != b'l'\n"
        "print('regex' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == ["False", "True"], out.stdout + out.stderr
