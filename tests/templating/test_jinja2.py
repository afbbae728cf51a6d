"""Native Jinja2 templates (`transformers: ["jinja2"]`): same model, same helpers, Jinja2 syntax."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.errors import TemplateError, TemplateRenderError
from mockd.templating import Dialect, TemplateEngine

J = Dialect.JINJA2


def test_model_and_statements(render: Any) -> None:
    template = (
        "{% for id in request.query.id %}<{{ id }}>{% endfor %}|{{ request.path }}|{{ request.path[1] }}|"
        "{% if request.query.mode.first == 'full' %}FULL{% else %}SHORT{% endif %}|{{ request.headers['X-A'] }}"
    )
    assert (
        render(template, url="/a/b?id=1&id=2&mode=full", headers={"x-a": "h"}, dialect=J)
        == "<1><2>|/a/b|b|FULL|h"
    )


def test_helpers_are_globals_and_filters(render: Any) -> None:
    body = '{"user":{"name":"Mia"},"items":[1,2,3]}'
    template = (
        "{{ jsonPath(request.body, '$.user.name') }}|{{ request.body | jsonPath('$.items') }}|"
        "{{ math(10, '/', 4) }}|{{ randomValue(length=4, type='NUMERIC') | length }}|{{ jsonPath(request.body, '$.x', default='d') }}|"
        "{{ toJson(parseJson(request.body).user) }}|{{ base64('hi') }}|{{ 'abc' | upper }}"
    )
    assert (
        render(template, method="POST", body=body, dialect=J)
        == 'Mia|[1,2,3]|3|4|d|{\n  "name" : "Mia"\n}|aGk=|ABC'
    )


def test_helper_errors_render_inline(render: Any) -> None:
    assert (
        render("{{ jsonPath(request.body, '$[') }}", body="{}", dialect=J)
        == "[ERROR: $[ is not a valid JSONPath expression]"
    )
    with pytest.raises(TemplateRenderError, match="by zero"):
        render("{{ math(1, '/', 0) }}", dialect=J)


def test_assigned_variables_are_read_through_vars(render: Any) -> None:
    template = (
        "{{ regexExtract('ab-12', '([a-z]+)-([0-9]+)', 'parts') }}{{ vars.parts[0] }}+{{ vars.parts[1] }}"
    )
    assert render(template, dialect=J) == "ab+12"
    assert render("{{ formData('a=1&a=2', 'f') }}{{ vars.f.a[1] }}", dialect=J) == "2"


def test_jinja_builtins_win_on_name_clashes(render: Any) -> None:
    assert (
        render("{% for i in range(3) %}{{ i }}{% endfor %}|{{ 'hello world' | capitalize }}", dialect=J)
        == "012|Hello world"
    )


def test_values_print_the_way_handlebars_prints_them(render: Any) -> None:
    assert (
        render("{{ none }}|{{ true }}|{{ [1, 'a'] }}|{{ 1.0 }}|{{ missing }}|{{ missing.deeper }}", dialect=J)
        == "|true|[1, a]|1.0||"
    )


def test_whitespace_and_trailing_newline_are_kept(render: Any) -> None:
    assert render("a\n{{ 'b' }}\n", dialect=J) == "a\nb\n"


def test_syntax_errors_carry_the_line(engine: TemplateEngine) -> None:
    with pytest.raises(TemplateError) as info:
        engine.check("line one\n{% if %}", J)
    assert info.value.location.line == 2


def test_reserved_runtime_names(engine: TemplateEngine) -> None:
    with pytest.raises(TemplateError, match="reserved"):
        engine.check("{{ _hb_state }}", J)
    with pytest.raises(TemplateError, match="reserved"):
        engine.check("{% set _hb_get = 1 %}", J)


def test_plain_text_is_not_compiled(engine: TemplateEngine) -> None:
    assert engine.render("no tags {here}", J, {}) == "no tags {here}"


_JINJA_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            [
                "{{",
                "}}",
                "{%",
                "%}",
                "{#",
                "#}",
                " if ",
                " for x in ",
                " endfor ",
                " endif ",
                "request.query.a",
                "|",
                "upper",
                "(",
                ")",
                "'",
                "x",
                "1",
                "[",
                "]",
                ".",
                "__class__",
                "jsonPath(request.body, '$.a')",
                " ~ ",
                "*",
                " set ",
                "=",
                "range(3)",
                "vars.x",
                "\n",
            ]
        ),
        max_size=20,
    ).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JINJA_TEXT)
def test_any_jinja2_text_compiles_or_raises_template_error_then_renders_or_raises_render_error(
    text: str,
) -> None:
    engine = TemplateEngine(cache_size=0)
    try:
        engine.check(text, J)
    except TemplateError:
        return
    from mockd.http import LoggedRequest
    from mockd.templating import request_model

    model = request_model(LoggedRequest.create("POST", "/p?a=1", [], b'{"a":1}'))
    with contextlib.suppress(TemplateRenderError):
        assert isinstance(engine.render(text, J, model), str)
