"""Scenario state machines (spec §5).

Every scenario starts in `Started`. The state check and the transition are plain method calls made by
dispatch with no `await` between matching and `on_served`, so a transition is atomic on the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mockd.errors import NotFound, ScenarioStateInvalid
from mockd.stubs.model import StubMapping

STARTED = "Started"


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    state: str
    possible_states: tuple[str, ...]
    stubs: tuple[StubMapping, ...]


class Scenarios:
    def __init__(self) -> None:
        self._states: dict[str, str] = {}
        self._possible: dict[str, tuple[str, ...]] = {}

    def sync(self, stubs: Iterable[StubMapping]) -> None:
        """Recompute which scenarios exist from the stubs. A scenario that still exists keeps its state
        while that state is still possible; a new one starts in `Started`; one no stub names is dropped."""
        possible: dict[str, list[str]] = {}
        for stub in sorted(stubs, key=lambda s: s.insertion_index):
            name = stub.scenario_name
            if name is None:
                continue
            states = possible.setdefault(name, [])
            for state in (stub.required_scenario_state, stub.new_scenario_state):
                if state is not None and state not in states:
                    states.append(state)
        states_now: dict[str, str] = {}
        for name, states in possible.items():
            current = self._states.get(name, STARTED)
            states_now[name] = current if current == STARTED or current in states else STARTED
        self._states = states_now
        self._possible = {k: tuple(v) for k, v in possible.items()}

    # -- the hot path ----------------------------------------------------------------------------
    def allows(self, stub: StubMapping) -> bool:
        name = stub.scenario_name
        if name is None or stub.required_scenario_state is None:
            return True
        return self._states.get(name, STARTED) == stub.required_scenario_state

    def on_served(self, stub: StubMapping) -> None:
        name = stub.scenario_name
        new = stub.new_scenario_state
        if name is None or new is None:
            return
        current = self._states.get(name, STARTED)
        if stub.required_scenario_state is None or stub.required_scenario_state == current:
            self._states[name] = new

    # -- admin -----------------------------------------------------------------------------------
    def state(self, name: str) -> str | None:
        return self._states.get(name)

    def names(self) -> list[str]:
        return list(self._states)

    def reset_all(self) -> None:
        for name in self._states:
            self._states[name] = STARTED

    def clear(self) -> None:
        self._states.clear()
        self._possible.clear()

    def set_state(self, name: str, state: str | None) -> None:
        """Set one scenario's state; None resets it to Started."""
        if name not in self._states:
            raise NotFound(f"Scenario {name} does not exist", title=f"Scenario {name} does not exist")
        if state is None:
            self._states[name] = STARTED
            return
        if state not in self._possible.get(name, ()):
            raise ScenarioStateInvalid(
                f"Scenario {name} does not support state {state}",
                title=f"Scenario {name} does not support state {state}",
            )
        self._states[name] = state

    def info(self, stubs: Iterable[StubMapping]) -> list[ScenarioInfo]:
        by_name: dict[str, list[StubMapping]] = {}
        for stub in stubs:
            if stub.scenario_name is not None:
                by_name.setdefault(stub.scenario_name, []).append(stub)
        return [
            ScenarioInfo(name, state, self._possible.get(name, ()), tuple(by_name.get(name, ())))
            for name, state in self._states.items()
        ]
