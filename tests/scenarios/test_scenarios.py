"""Scenarios (spec §5): the state machine, the admin API, atomic transitions, reload keeping state."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest

from mockd.embedded import EmbeddedServer
from mockd.errors import NotFound, ScenarioStateInvalid
from mockd.scenarios import STARTED, Scenarios
from mockd.stubs.model import StubMapping

# -- builders --------------------------------------------------------------------------------------


def stub(http: httpx.Client, m: dict[str, Any]) -> dict[str, Any]:
    r = http.post("/__admin/mappings", json=m)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def mapping(
    url: str, body: str, scenario: str | None = None, required: str | None = None, new: str | None = None,
    method: str = "GET", **extra: Any,
) -> dict[str, Any]:  # fmt: skip
    m: dict[str, Any] = {"request": {"method": method, "url": url}, "response": {"status": 200, "body": body}}
    if scenario is not None:
        m["scenarioName"] = scenario
    if required is not None:
        m["requiredScenarioState"] = required
    if new is not None:
        m["newScenarioState"] = new
    m.update(extra)
    return m


def model(
    index: int, scenario: str | None, required: str | None = None, new: str | None = None
) -> StubMapping:
    return StubMapping(
        id=f"00000000-0000-0000-0000-{index:012d}",
        scenario_name=scenario,
        required_scenario_state=required,
        new_scenario_state=new,
        insertion_index=index,
    )


def scenarios_by_name(http: httpx.Client) -> dict[str, dict[str, Any]]:
    r = http.get("/__admin/scenarios")
    assert r.status_code == 200, r.text
    return {s["name"]: s for s in r.json()["scenarios"]}


def state_of(http: httpx.Client, name: str) -> str | None:
    found = scenarios_by_name(http).get(name)
    return None if found is None else str(found["state"])


# -- the state machine on its own ------------------------------------------------------------------


def test_possible_states_in_order_of_first_appearance() -> None:
    sc = Scenarios()
    sc.sync(
        [
            model(3, "s", "Paid", "Shipped"),
            model(1, "s", "Started", "Paying"),
            model(2, "s", "Paying", "Paid"),
            model(4, "s", None, "Started"),
            model(5, "other", "Open"),
            model(6, None),
        ]
    )
    (s, other) = sc.info([])
    assert (s.name, s.state, s.possible_states) == ("s", STARTED, ("Started", "Paying", "Paid", "Shipped"))
    # "Started" is listed only when a stub names it, although every scenario starts there
    assert (other.name, other.state, other.possible_states) == ("other", STARTED, ("Open",))
    assert sc.names() == ["s", "other"]


def test_gate_and_transition() -> None:
    sc = Scenarios()
    first, second, free = model(1, "s", "Started", "Two"), model(2, "s", "Two"), model(3, "s", None, "Three")
    plain = model(4, None)
    sc.sync([first, second, free, plain])
    assert sc.allows(first) and not sc.allows(second) and sc.allows(free) and sc.allows(plain)
    sc.on_served(first)
    assert sc.state("s") == "Two"
    assert not sc.allows(first) and sc.allows(second)
    sc.on_served(first)  # its required state is no longer current: no move
    assert sc.state("s") == "Two"
    sc.on_served(free)  # no required state: moves from any state
    assert sc.state("s") == "Three"
    sc.on_served(second)  # no new state: stays
    assert sc.state("s") == "Three"


def test_sync_keeps_possible_states_and_drops_the_rest() -> None:
    sc = Scenarios()
    sc.sync([model(1, "a", "Started", "A2"), model(2, "b", "Started", "B2"), model(3, "c", None, "C2")])
    for name, state in (("a", "A2"), ("b", "B2"), ("c", "C2")):
        sc.set_state(name, state)
    # a: still has its state; b: "B2" no longer possible; c: no stub names it any more
    sc.sync([model(1, "a", "Started", "A2"), model(2, "b", "Started", "B3"), model(4, "d", "D1")])
    assert {i.name: i.state for i in sc.info([])} == {"a": "A2", "b": STARTED, "d": STARTED}
    assert sc.state("c") is None


def test_set_state_errors_and_reset() -> None:
    sc = Scenarios()
    sc.sync([model(1, "s", "Started", "Two")])
    with pytest.raises(NotFound, match="Scenario nope does not exist"):
        sc.set_state("nope", "Two")
    with pytest.raises(ScenarioStateInvalid, match="Scenario s does not support state Fly"):
        sc.set_state("s", "Fly")
    sc.set_state("s", "Two")
    assert sc.state("s") == "Two"
    sc.set_state("s", None)
    assert sc.state("s") == STARTED
    sc.set_state("s", "Two")
    sc.reset_all()
    assert sc.state("s") == STARTED
    sc.clear()
    assert sc.names() == []


# -- over HTTP -------------------------------------------------------------------------------------


def test_transitions_gate_stubs_over_http(http: httpx.Client) -> None:
    stub(http, mapping("/todo", "[]", "todo", "Started"))
    stub(http, mapping("/todo", "added", "todo", "Started", "Added", method="POST"))
    stub(http, mapping("/todo", '["milk"]', "todo", "Added"))
    stub(http, mapping("/touch", "touched", "todo", None, "Touched", method="POST"))
    assert http.get("/todo").text == "[]"
    assert http.post("/todo", content=b"milk").status_code == 200
    assert http.get("/todo").text == '["milk"]'
    assert http.post("/todo", content=b"eggs").status_code == 404  # requires Started
    assert http.post("/touch").text == "touched"  # no required state: matches in any state and moves
    assert state_of(http, "todo") == "Touched"
    assert http.get("/todo").status_code == 404


def test_scenario_filter_comes_after_priority(http: httpx.Client) -> None:
    stub(http, mapping("/p", "scenario first", "prio", "Started", "Next", priority=1))
    stub(http, mapping("/p", "plain fallback", priority=5))
    assert http.get("/p").text == "scenario first"
    assert http.get("/p").text == "plain fallback"


def test_list_scenarios_json(http: httpx.Client) -> None:
    a = stub(http, mapping("/cart", "x", "checkout", "Started", "Paying", method="POST"))
    b = stub(http, mapping("/cart", "y", "checkout", "Paying"))
    stub(http, mapping("/other", "z"))
    body = http.get("/__admin/scenarios").json()
    assert len(body["scenarios"]) == 1
    sc = body["scenarios"][0]
    assert {k: sc[k] for k in ("id", "name", "state", "possibleStates")} == {
        "id": "checkout",
        "name": "checkout",
        "state": "Started",
        "possibleStates": ["Started", "Paying"],
    }
    assert sorted(m["id"] for m in sc["mappings"]) == sorted([a["id"], b["id"]])
    assert all(m["scenarioName"] == "checkout" for m in sc["mappings"])
    http.post("/cart")
    assert state_of(http, "checkout") == "Paying"


def test_scenario_exists_while_a_stub_names_it(http: httpx.Client) -> None:
    assert http.get("/__admin/scenarios").json() == {"scenarios": []}
    a = stub(http, mapping("/a", "a", "life", "Started", "Two"))
    b = stub(http, mapping("/b", "b", "life", "Two"))
    http.get("/a")
    assert state_of(http, "life") == "Two"
    assert http.delete(f"/__admin/mappings/{a['id']}").status_code == 200
    assert scenarios_by_name(http)["life"]["possibleStates"] == ["Two"]
    assert http.delete(f"/__admin/mappings/{b['id']}").status_code == 200
    assert scenarios_by_name(http) == {}
    stub(http, mapping("/b", "b", "life", "Two"))
    assert state_of(http, "life") == STARTED  # a new scenario of the same name starts afresh


def test_put_state(http: httpx.Client) -> None:
    stub(http, mapping("/o", "pending", "my order", "Started"))
    stub(http, mapping("/o", "shipped", "my order", "Shipped"))
    r = http.put("/__admin/scenarios/my%20order/state", json={"state": "Shipped"})
    assert (r.status_code, r.json()) == (200, {})
    assert http.get("/o").text == "shipped"
    r = http.put("/__admin/scenarios/my%20order/state")  # empty body: back to Started
    assert (r.status_code, r.json()) == (200, {})
    assert http.get("/o").text == "pending"


def test_put_state_unknown_scenario_is_404(http: httpx.Client) -> None:
    stub(http, mapping("/k", "k", "known", "Started"))
    r = http.put("/__admin/scenarios/unknown-scenario/state", json={"state": "Started"})
    assert r.status_code == 404
    assert r.json() == {"errors": [{"code": 404, "title": "Scenario unknown-scenario does not exist"}]}


def test_put_unsupported_state_is_422(http: httpx.Client) -> None:
    stub(http, mapping("/t", "t", "traffic", "Started", "Go"))
    r = http.put("/__admin/scenarios/traffic/state", json={"state": "Fly"})
    assert r.status_code == 422
    assert r.json() == {"errors": [{"code": 11, "title": "Scenario traffic does not support state Fly"}]}
    assert state_of(http, "traffic") == STARTED
    assert http.put("/__admin/scenarios/traffic/state", json={"state": "Go"}).status_code == 200
    assert state_of(http, "traffic") == "Go"


def test_scenarios_reset(http: httpx.Client) -> None:
    stub(http, mapping("/c", "one", "counter", "Started", "Two"))
    stub(http, mapping("/c", "two", "counter", "Two"))
    stub(http, mapping("/d", "d", "other", None, "Moved"))
    assert [http.get("/c").text, http.get("/c").text, http.get("/d").text] == ["one", "two", "d"]
    r = http.post("/__admin/scenarios/reset")
    assert (r.status_code, r.json()) == (200, {})
    assert {n: s["state"] for n, s in scenarios_by_name(http).items()} == {
        "counter": STARTED,
        "other": STARTED,
    }
    assert http.get("/c").text == "one"


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/__admin/reset"), ("POST", "/__admin/mappings/reset"), ("DELETE", "/__admin/mappings")],
)
def test_reset_endpoints_clear_states(
    root: Path, server: EmbeddedServer, http: httpx.Client, method: str, path: str
) -> None:
    (root / "mappings" / "flow.json").write_text(
        json.dumps(
            {
                "mappings": [
                    mapping("/f", "f1", "file-flow", "Started", "F2"),
                    mapping("/f", "f2", "file-flow", "F2"),
                ]
            }
        )
    )
    server.call(server.core.load)
    stub(http, mapping("/g", "g", "api-flow", "Started", "G2"))
    http.get("/f")
    http.get("/g")
    assert state_of(http, "file-flow") == "F2"
    assert http.request(method, path).status_code == 200
    after = {n: s["state"] for n, s in scenarios_by_name(http).items()}
    if method == "DELETE":  # every stub gone, so every scenario gone
        assert after == {}
    else:  # API stubs gone; file stubs reloaded, their scenario back in Started
        assert after == {"file-flow": STARTED}
        assert http.get("/f").text == "f1"


# -- atomic transitions ----------------------------------------------------------------------------


def test_concurrent_requests_see_exactly_one_transition(server: EmbeddedServer, http: httpx.Client) -> None:
    stub(http, mapping("/race", "A", "race", "Started", "Done"))
    stub(http, mapping("/race", "B", "race", "Done"))
    n = 200

    async def fire() -> list[tuple[int, str]]:
        connector = aiohttp.TCPConnector(limit=n, force_close=True)
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(server.url, connector=connector, timeout=timeout) as session:

            async def one() -> tuple[int, str]:
                async with session.get("/race") as r:
                    return r.status, await r.text()

            return await asyncio.gather(*(one() for _ in range(n)))

    results = asyncio.run(fire())
    assert Counter(results) == Counter({(200, "A"): 1, (200, "B"): n - 1})
    assert state_of(http, "race") == "Done"
    served = Counter(
        e.stub.response.body if e.stub else None
        for e in server.call(lambda: list(server.core.journal.oldest_first()))
    )
    assert served == Counter({"A": 1, "B": n - 1})


# -- reload keeps state ----------------------------------------------------------------------------


def write_stubs(root: Path, **files: list[dict[str, Any]]) -> None:
    folder = root / "mappings"
    for old in folder.glob("*.json"):
        old.unlink()
    for name, stubs in files.items():
        (folder / f"{name}.json").write_text(json.dumps({"mappings": stubs}))


def test_reload_keeps_scenario_states(root: Path, server: EmbeddedServer, http: httpx.Client) -> None:
    step1 = mapping("/w", "one", "wizard", "Started", "Two")
    step2 = mapping("/w", "two", "wizard", "Two", "Three")
    step3 = mapping("/w", "three", "wizard", "Three")
    other = mapping("/x", "x1", "other", "Started", "X2")
    write_stubs(root, wizard=[step1, step2, step3], other=[other, mapping("/x", "x2", "other", "X2")])
    server.call(server.core.load)
    api = stub(http, mapping("/api", "api", "wizard", None, "Two"))  # an API stub survives reloads
    assert [http.get("/w").text, http.get("/x").text] == ["one", "x1"]
    assert (state_of(http, "wizard"), state_of(http, "other")) == ("Two", "X2")

    # a stub added to the files: every scenario keeps its state
    extra = mapping("/w/extra", "extra", "wizard", "Two")
    write_stubs(root, wizard=[step1, step2, step3, extra], other=[other, mapping("/x", "x2", "other", "X2")])
    server.call(server.core.load)
    assert (state_of(http, "wizard"), state_of(http, "other")) == ("Two", "X2")
    assert http.get("/w/extra").text == "extra"
    assert http.get(f"/__admin/mappings/{api['id']}").status_code == 200

    # "X2" is no longer a state of "other" (back to Started); "wizard" still has "Two"
    write_stubs(root, wizard=[step1, step2, step3], other=[other | {"newScenarioState": "Y"}])
    server.call(server.core.load)
    assert (state_of(http, "wizard"), state_of(http, "other")) == ("Two", STARTED)
    assert scenarios_by_name(http)["other"]["possibleStates"] == ["Started", "Y"]
    assert http.get("/w").text == "two"
    assert state_of(http, "wizard") == "Three"

    # no file names "other" any more: it is gone; "wizard" keeps "Three"
    write_stubs(root, wizard=[step1, step2, step3])
    server.call(server.core.load)
    assert set(scenarios_by_name(http)) == {"wizard"}
    assert state_of(http, "wizard") == "Three"
    assert http.get("/w").text == "three"
