"""Templates cannot reach Python internals, files or the engine, and cannot exhaust memory or time."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from mockd.errors import TemplateError, TemplateRenderError
from mockd.templating import Dialect, TemplateEngine, request_model

H, J = Dialect.HANDLEBARS, Dialect.JINJA2


@pytest.mark.parametrize(
    "template",
    [
        "{{__class__}}",
        "{{request.__class__}}",
        "{{request._req}}",
        "{{request.body.__class__.__mro__}}",
        "{{lookup request '__class__'}}",
        "{{lookup request.method '__init__'}}",
        "{{request.path.__dict__}}",
        "{{@root.__class__}}",
        "{{parameters.__class__.__base__}}",
    ],
)
def test_handlebars_paths_never_reach_python_attributes(template: str, render: Any) -> None:
    out = render(template)
    assert "class" not in out and "object" not in out and "LoggedRequest" not in out


def test_handlebars_cannot_express_python(engine: TemplateEngine) -> None:
    for template in (
        "{{''.__class__}}",
        "{{request.path|attr('x')}}",
        "{{ ().__class__ }}",
        "{% import os %}{{x}}",
    ):
        try:
            engine.check(template, H)
        except TemplateError:
            continue
        # if it parses at all, it is text or a harmless path: rendering must not expose anything
        from mockd.http import LoggedRequest

        out = engine.render(template, H, request_model(LoggedRequest.create("GET", "/", [], b"")))
        assert "<class" not in out


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ request.__class__ }}",
        "{{ request._req }}",
        "{{ request._req.body }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ ().__class__.__base__.__subclasses__() }}",
        "{{ request.query.__class__ }}",
        "{{ vars.root.request._cache }}",
        "{{ [].append(1) }}",
        "{{ {}.update(a=1) }}",
        "{{ request.path.__init__.__globals__ }}",
        "{{ jsonPath.__globals__ }}",
        "{{ namespace.__init__ }}",
    ],
)
def test_jinja2_escapes_fail(template: str, render: Any) -> None:
    with pytest.raises(TemplateRenderError):
        render(template, dialect=J)


def test_jinja2_has_no_lipsum_and_no_file_loader(render: Any, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("top secret")
    engine = TemplateEngine(files_root=tmp_path)
    from mockd.http import LoggedRequest

    model = request_model(LoggedRequest.create("GET", "/", [], b""))
    for template in (
        "{{ lipsum() }}",
        "{% include 'secret.txt' %}",
        "{% import 'secret.txt' as s %}",
        "{% extends 'secret.txt' %}",
    ):
        with pytest.raises(TemplateRenderError):
            engine.render(template, J, model)
    assert "top secret" not in engine.render("{{ request }}", J, model)


def test_engine_internals_are_unreachable(engine: TemplateEngine) -> None:
    with pytest.raises(TemplateError, match="reserved"):
        engine.check("{{ _hb_state.config }}", J)
    # the runtime state holds the settings only in private slots
    from mockd.templating.runtime import RenderState

    assert all(name.startswith("_") for name in RenderState.__slots__)


def test_helper_errors_are_inline_and_render_failures_raise(render: Any) -> None:
    assert render("a {{jsonPath '{}' '$['}} b") == "a [ERROR: $[ is not a valid JSONPath expression] b"
    with pytest.raises(TemplateRenderError):
        render("{{math 1 '/' 0}}")
    with pytest.raises(TemplateRenderError):
        render("{{#if}}")


# -- resource bounds ----------------------------------------------------------------------------------------


def _small(request_for: Any) -> tuple[TemplateEngine, dict[str, Any]]:
    engine = TemplateEngine(max_output=100_000, max_iterations=20_000)
    return engine, request_model(request_for())


def test_loops_are_bounded(request_for: Any) -> None:
    engine, model = _small(request_for)
    with pytest.raises(TemplateRenderError, match="iterates more than 20000 times"):
        engine.render("{{#each (range 1 10000)}}{{#each (range 1 10000)}}{{/each}}{{/each}}", H, model)
    assert len(engine.render("{{#each (range 1 10000)}}x{{/each}}", H, model)) == 10000


def test_output_is_bounded(request_for: Any) -> None:
    engine, model = _small(request_for)
    with pytest.raises(TemplateRenderError, match="larger than 100000"):
        engine.render("{{#each (range 1 1000)}}{{randomValue length=200}}{{/each}}", H, model)
    with pytest.raises(TemplateRenderError, match="larger than 100000"):
        engine.render("{{#each (range 1 100)}}{{#each (range 1 100)}}0123456789A{{/each}}{{/each}}", H, model)
    assert len(engine.render("x" * 100_001, H, model)) == 100_001  # a static body is the stub's own text


def test_helper_arguments_are_bounded(render: Any) -> None:
    assert render("{{randomValue length=100000000}}").startswith("[ERROR:")
    assert render("{{range 1 100000000}}").startswith("[ERROR:")
    assert render("{{ljust 'x' size=100000000}}").startswith("[ERROR:")
    assert render("{{stringFormat '%100000000d' 1}}").startswith("[ERROR:")


@pytest.mark.parametrize(
    "template",
    [
        "{{ 'x' * 100000000 }}",
        "{{ [1] * 100000000 }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
        "{{ range(1000000) | list }}",
        "{{ 9 ** 99999 }}",
        "{{ 'x' | center(100000000) }}",
        "{{ '%100000000d' % 1 }}",
    ],
)
def test_jinja2_resource_bombs_fail(template: str, render: Any) -> None:
    start = time.monotonic()
    with pytest.raises(TemplateRenderError):
        render(template, dialect=J)
    assert time.monotonic() - start < 5
