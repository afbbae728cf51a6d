"""Admin JSON for stubs, scenarios and settings (wire names live here and in the codec)."""

from __future__ import annotations

from typing import Any

from mockd.scenarios import ScenarioInfo
from mockd.stubs.codec import stub_to_json
from mockd.stubs.model import StubMapping


def mappings_page(stubs: list[StubMapping], total: int | None = None) -> dict[str, Any]:
    return {
        "mappings": [stub_to_json(s) for s in stubs],
        "meta": {"total": len(stubs) if total is None else total},
    }


def scenario_json(info: ScenarioInfo) -> dict[str, Any]:
    return {
        "id": info.name,
        "name": info.name,
        "state": info.state,
        "possibleStates": list(info.possible_states),
        "mappings": [stub_to_json(s) for s in info.stubs],
    }
