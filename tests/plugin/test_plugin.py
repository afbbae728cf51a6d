"""The pytest plugin, exercised by running small test files with pytester (each inner run in-process,
with its own session server)."""

from __future__ import annotations

import importlib.metadata
import textwrap
from pathlib import Path

import pytest

from mockd.embedded import serve

pytest_plugins = ["pytester"]

HEADER = """
import urllib.request, urllib.error

def fetch(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read()
"""


def write(pytester: pytest.Pytester, body: str, name: str = "test_inner") -> None:
    pytester.makepyfile(**{name: HEADER + textwrap.dedent(body)})


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """An inner run in this process (pytest-asyncio off: it warns about its own config, and the outer
    run's `filterwarnings = error` applies in here)."""
    return pytester.runpytest("-p", "no:asyncio", *args)


def test_the_entry_point_is_registered() -> None:
    points = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="pytest11")}
    assert points.get("mockd") == "mockd.pytest_plugin", "run `pip install -e .` to register the plugin"


def test_options_in_help(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(
        ["*--mockd-root-dir=DIR*", "*--mockd-url=URL*", "*--mockd-fail-on-unmatched*"]
    )


def test_stub_verify_and_reset_between_tests(pytester: pytest.Pytester) -> None:
    write(
        pytester,
        """
        def test_one(mockd):
            mockd.stub_for({"request": {"url": "/hi"}, "response": {"body": "hello"}})
            assert fetch(mockd.url + "/hi") == (200, b"hello")
            mockd.verify({"url": "/hi"}, count=1)
            mockd.stub_for({"scenarioName": "s", "requiredScenarioState": "Started",
                            "newScenarioState": "done", "request": {"url": "/s"}, "response": {}})
            fetch(mockd.url + "/s")
            assert mockd.scenarios()[0]["state"] == "done"
            mockd.settings(fixed_delay=1)

        def test_two_starts_clean(mockd):
            assert mockd.stubs() == []
            assert mockd.requests() == []
            assert mockd.scenarios() == []
            assert "fixedDelay" not in mockd.settings()
            assert fetch(mockd.url + "/hi")[0] == 404

        def test_same_server(mockd, mockd_server):
            assert mockd is mockd_server.client and mockd.url == mockd_server.url
        """,
    )
    run(pytester).assert_outcomes(passed=3)


def test_verify_failure_is_reported(pytester: pytest.Pytester) -> None:
    write(
        pytester,
        """
        def test_missing(mockd):
            mockd.stub_for({"request": {"method": "POST", "url": "/orders"}, "response": {}})
            fetch(mockd.url + "/order")
            mockd.verify({"method": "POST", "url": "/orders"})
        """,
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Expected at least 1 request matching*", "*1. GET /order*"])


def test_root_dir_stubs_are_there_in_every_test(pytester: pytest.Pytester) -> None:
    root = pytester.path / "stubs"
    (root / "mappings").mkdir(parents=True)
    (root / "mappings" / "ping.yaml").write_text("request: {url: /ping}\nresponse: {body: pong}\n")
    write(
        pytester,
        """
        def test_remove_it(mockd):
            [stub] = mockd.stubs()
            mockd.remove_stub(stub)
            assert fetch(mockd.url + "/ping")[0] == 404

        def test_it_is_back(mockd):
            assert fetch(mockd.url + "/ping") == (200, b"pong")
        """,
    )
    run(pytester, "--mockd-root-dir", "stubs").assert_outcomes(passed=2)


def test_root_dir_from_the_ini_file(pytester: pytest.Pytester) -> None:
    (pytester.path / "conf" / "stubs" / "mappings").mkdir(parents=True)
    (pytester.path / "conf" / "stubs" / "mappings" / "a.json").write_text(
        '{"request": {"url": "/a"}, "response": {"body": "A"}}'
    )
    (pytester.path / "conf" / "pytest.ini").write_text("[pytest]\nmockd_root_dir = stubs\n")
    (pytester.path / "conf" / "test_ini.py").write_text(
        HEADER + "\ndef test_a(mockd):\n    assert fetch(mockd.url + '/a') == (200, b'A')\n"
    )
    run(pytester, "conf").assert_outcomes(passed=1)


def test_a_missing_root_dir_is_a_usage_error(pytester: pytest.Pytester) -> None:
    write(pytester, "def test_x(mockd):\n    pass\n")
    result = run(pytester, "--mockd-root-dir", "nowhere")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*nowhere is not a directory*"])


def test_an_external_server(pytester: pytest.Pytester, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "x.json").write_text('{"request": {"url": "/x"}, "response": {"body": "X"}}')
    with serve(tmp_path / "root") as server:
        server.client.stub_for({"request": {"url": "/left-over"}, "response": {}})
        write(
            pytester,
            f"""
            def test_uses_it(mockd):
                assert mockd.url == {server.url!r}
                assert [s["request"]["url"] for s in mockd.stubs()] == ["/x"]  # reset, then --mockd-root-dir
                assert fetch(mockd.url + "/x") == (200, b"X")
            """,
        )
        result = run(pytester, "--mockd-url", server.url, "--mockd-root-dir", str(extra))
        result.assert_outcomes(passed=1)
        assert [r["request"]["url"] for r in server.client.requests()] == ["/x"]


def test_an_external_server_is_not_shared_by_xdist_workers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    with serve() as server:
        write(pytester, "def test_x(mockd):\n    pass\n")
        result = run(
            pytester, "-p", "no:benchmark", "--mockd-url", server.url
        )  # it reacts to the variable too
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*cannot be shared by pytest-xdist workers*"])


STRICT_TESTS = """
import pytest

def test_unmatched(mockd):
    mockd.stub_for({"name": "orders", "request": {"method": "GET", "url": "/orders"}, "response": {}})
    fetch(mockd.url + "/order")

def test_all_matched(mockd):
    mockd.stub_for({"request": {"url": "/ok"}, "response": {}})
    fetch(mockd.url + "/ok")

@pytest.mark.mockd_strict(False)
def test_opted_out(mockd):
    fetch(mockd.url + "/anything")

def test_own_failure_wins(mockd):
    fetch(mockd.url + "/unmatched")
    assert False, "the test's own failure"
"""


def test_fail_on_unmatched_option(pytester: pytest.Pytester) -> None:
    write(pytester, STRICT_TESTS)
    result = run(pytester, "--mockd-fail-on-unmatched")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*test_unmatched*",
            "*mockd received 1 request(s) that no stub matched:",
            "*1. GET /order",
            "*Closest stub to GET /order:",
            "*orders*",
            "*URL does not match*",
        ]
    )
    result.stdout.fnmatch_lines(["*the test's own failure*"])
    assert "GET /unmatched" not in result.stdout.str()


def test_strict_marker(pytester: pytest.Pytester) -> None:
    write(
        pytester,
        """
        import pytest

        @pytest.mark.mockd_strict
        def test_strict(mockd):
            fetch(mockd.url + "/nothing")

        def test_lenient(mockd):
            fetch(mockd.url + "/nothing")
        """,
    )
    result = run(pytester, "--strict-markers")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_strict*", "*no stub matched*", "*(no stubs)*"])


def test_fail_on_unmatched_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmockd_fail_on_unmatched = true\n")
    write(pytester, "def test_x(mockd):\n    fetch(mockd.url + '/nope')\n")
    run(pytester).assert_outcomes(failed=1)


def test_no_server_for_tests_that_do_not_ask(pytester: pytest.Pytester) -> None:
    write(
        pytester,
        """
        import threading

        def test_plain():
            assert not any(t.name == "mockd-server" for t in threading.enumerate())
        """,
    )
    run(pytester, "--mockd-fail-on-unmatched").assert_outcomes(passed=1)


def test_with_xdist_each_worker_has_its_own_server(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    write(
        pytester,
        """
        import pytest

        @pytest.mark.parametrize("n", range(6))
        def test_isolated(mockd, n):
            mockd.stub_for({"request": {"url": f"/n/{n}"}, "response": {"body": str(n)}})
            assert fetch(mockd.url + f"/n/{n}") == (200, str(n).encode())
            assert len(mockd.stubs()) == 1
        """,
    )
    pytester.runpytest_subprocess("-p", "no:asyncio", "-n", "2").assert_outcomes(passed=6)
