"""Templates have budgets: iterations, output size and render time. Exceeding one is a render error (the
request answers 500 with the reason) and the server keeps serving."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from support import stub

from mockd.embedded import serve
from mockd.errors import TemplateRenderError
from mockd.templating import Dialect, TemplateEngine

BOMBS = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x", Dialect.JINJA2),
    (
        "{% for a in range(1000)|list %}{% for b in range(1000)|list %}{% for c in range(1000)|list %}"
        "{% endfor %}{% endfor %}{% endfor %}x",
        Dialect.JINJA2,
    ),
    (
        "{% set xs = range(50000)|list %}{% for a in xs %}{% for b in xs %}{% endfor %}{% endfor %}",
        Dialect.JINJA2,
    ),
]


@pytest.mark.parametrize(("source", "dialect"), BOMBS)
def test_nested_loops_are_refused(source: str, dialect: Dialect) -> None:
    with pytest.raises(TemplateRenderError, match="iterates more than"):
        TemplateEngine().render(source, dialect, {"request": {}})


def test_render_time_budget() -> None:
    engine = TemplateEngine(max_iterations=10**9, max_render_seconds=0.05)
    slow = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateRenderError, match=r"longer than 0\.05 s"):
        engine.render(slow, Dialect.JINJA2, {"request": {}})


def test_loops_within_budget_keep_loop_variables() -> None:
    engine = TemplateEngine()
    out = engine.render(
        "{% for i in range(3) %}{{ loop.index }}/{{ loop.length }}{% endfor %}", Dialect.JINJA2, {}
    )
    assert out == "1/32/33/3"
    assert (
        engine.render("{{#each (array 'a' 'b')}}{{@index}}{{this}}{{/each}}", Dialect.HANDLEBARS, {})
        == "0a1b"
    )


def test_a_bomb_answers_500_and_the_server_keeps_serving(tmp_path: Path) -> None:
    with serve(tmp_path) as s, httpx.Client(base_url=s.url, timeout=10) as c:
        stub(c, {"request": {"url": "/bomb"}, "response": {"body": BOMBS[0][0], "transformers": ["jinja2"]}})
        stub(c, {"request": {"url": "/ok"}, "response": {"body": "fine"}})
        r = c.get("/bomb")
        assert r.status_code == 500 and "iterates more than" in r.text
        assert c.get("/ok").text == "fine"
