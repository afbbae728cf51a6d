"""Behaviour recorded from the real WireMock 3.13.2 (helpers, model, syntax, quirks).

Each case of recorded_wiremock.json is a template, a request and what WireMock answered: a body, or
`null` when WireMock failed the render (HTTP 500), which mockd must report as TemplateRenderError.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockd.errors import TemplateRenderError

DATA = json.loads((Path(__file__).parent / "recorded_wiremock.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{i:03d}" for i in range(len(CASES))])
def test_matches_wiremock(case: dict[str, Any], render: Any) -> None:
    kwargs = {
        "method": case.get("method", "POST"),
        "url": case.get("url", "/o/x"),
        "headers": case.get("headers", {}),
        "body": case.get("body") or "",
        "parameters": case.get("params"),
        "path_params": case.get("path_params"),
    }
    if case["expected"] is None:
        with pytest.raises(TemplateRenderError):
            render(case["tpl"], **kwargs)
    else:
        assert render(case["tpl"], **kwargs) == case["expected"]


def test_the_recording_covers_every_helper() -> None:
    from mockd.templating.helpers import HELPERS

    text = " ".join(c["tpl"] for c in CASES)
    untested = {
        "now",
        "randomValue",
        "randomInt",
        "randomDecimal",
        "pickRandom",
        "hostname",
        "log",
    }  # see test_helpers
    missing = [
        name for name in HELPERS if name not in untested and f"{name} " not in text and f"#{name}" not in text
    ]
    assert missing == []
