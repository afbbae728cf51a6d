"""The Handlebars front end: syntax, paths, blocks, whitespace control, errors with line and column."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.errors import TemplateError, TemplateRenderError
from mockd.templating import Dialect, TemplateEngine, request_model
from mockd.templating.handlebars import Block, Literal, Mustache, PathExpr, SubExpr, Text, parse, parse_path

URL = "/a/b?q=x&n=1&n=2"


# -- parsing ----------------------------------------------------------------------------------------


def test_text_and_mustaches() -> None:
    nodes = parse("a{{b}}c{{{d}}}e{{&f}}")
    assert [type(n) for n in nodes] == [Text, Mustache, Text, Mustache, Text, Mustache]


def test_helper_call_with_params_hash_and_subexpression() -> None:
    (node,) = parse("{{math (size 'ab') '+' 2.5 round=true x=null}}")
    assert isinstance(node, Mustache)
    call = node.call
    assert call.head.text == "math"
    assert isinstance(call.params[0], SubExpr)
    assert call.params[1:] == (Literal("+"), Literal(2.5))
    assert [k for k, _ in call.hash] == ["round", "x"]
    assert call.hash[0][1] == Literal(True)
    assert isinstance(call.hash[1][1], PathExpr)  # `null` is a path that resolves to nothing


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'it\\'s'", "it's"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("'a\\nb'", "a\\nb"),
        ("-3", -3),
        (".5", 0.5),
        ("10000000000", 1e10),
        ("false", False),
    ],
)
def test_literals(text: str, value: Any) -> None:
    (node,) = parse("{{f " + text + "}}")
    assert isinstance(node, Mustache)
    assert node.call.params == (Literal(value),)


@pytest.mark.parametrize(
    ("path", "spec"),
    [
        ("request.path.[0]", (0, 0, "request", "path", 0)),
        ("request.path.0", (0, 0, "request", "path", 0)),
        ("a/b", (0, 0, "a", "b")),
        ("request.headers.[X-Odd.Name]", (0, 0, "request", "headers", "X-Odd.Name")),
        ("request.headers.X-Request-Id", (0, 0, "request", "headers", "X-Request-Id")),
        ("this", (1, 0)),
        (".", (5, 0)),
        ("this.x", (1, 0, "x")),
        ("../x", (0, 1, "x")),
        ("../../x.y", (0, 2, "x", "y")),
        ("..", (2, 1)),
        ("@index", (0, 0, "@index")),
        ("@root.request", (0, 0, "@root", "request")),
        ("list.[-1]", (0, 0, "list", -1)),
    ],
)
def test_paths(path: str, spec: tuple[Any, ...]) -> None:
    assert parse_path(path) == spec


def test_blocks_else_chains_and_block_params() -> None:
    (block,) = parse("{{#each items as |item i|}}x{{else if y}}y{{^}}z{{/each}}")
    assert isinstance(block, Block)
    assert block.block_params == ("item", "i")
    assert block.body == (Text("x"),)
    assert block.inverse is not None
    (chained,) = block.inverse
    assert isinstance(chained, Block)
    assert chained.call.head.text == "if"
    assert chained.inverse == (Text("z"),)


def test_comments_raw_blocks_and_escapes(render: Any) -> None:
    assert render("{{!c}}{{!-- {{x}} --}}{{request.method}}") == "GET"
    assert render("{{request.method}} \\{{request.path}} {{request.method}}") == "GET {{request.path}} GET"
    assert (
        render("x{{{{raw}}}} {{request.method}} {{{{/raw}}}}") == "x"
    )  # no `raw` helper: WireMock prints nothing


def test_whitespace_control(render: Any) -> None:
    assert render("[{{#if true~}}  X  {{~/if}}]") == "[X]"
    assert render("{{request.method}}  {{~request.method~}}\n {{request.method}}") == "GETGETGET"
    assert render("{{#if false}}a{{~else~}}  b  {{~/if}}") == "b"
    # only the text between the first {{ and the last }} is a template (WireMock's optimisation)
    assert render("a  {{~request.method~}}  b") == "a  GET  b"


def test_no_standalone_line_stripping(render: Any) -> None:
    assert render("a\n{{#if true}}\nX\n{{/if}}\nb") == "a\n\nX\n\nb"


def test_no_html_escaping(render: Any) -> None:
    assert render("{{request.query.q}}|{{{request.query.q}}}", url="/?q=%3Ca%3E%26") == "<a>&|<a>&"


def test_text_outside_the_template_is_literal(render: Any) -> None:
    assert render("{{request.method") == "{{request.method"
    assert render("x}}{{request.method}}{{") == "x}}GET{{"
    assert render("\\{{request.method}}") == "\\GET"
    assert render("no template at all") == "no template at all"


def test_crlf_and_unicode_text_survive(render: Any) -> None:
    assert render("é\r\n{{request.method}}\r\n{%ß%}") == "é\r\nGET\r\n{%ß%}"


# -- semantics ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "truthy"),
    [
        ("''", False),
        ("'x'", True),
        ("0", False),
        ("0.0", False),
        ("1", True),
        ("false", False),
        ("null", False),
        ("(array)", False),
        ("(array 1)", True),
        ("(parseJson '{}')", True),
        ("'false'", True),
    ],
)
def test_truthiness(value: str, truthy: bool, render: Any) -> None:
    assert render("{{#if " + value + "}}T{{else}}F{{/if}}") == ("T" if truthy else "F")


def test_context_stack(render: Any) -> None:
    template = (
        '{{#with (parseJson \'{"method":"inner","a":{"b":1}}\')}}'
        "{{method}}/{{request.method}}/{{this.method}}/{{../request.method}}/{{@root.request.method}}"
        "{{#with a}}{{b}}{{../method}}{{/with}}{{/with}}"
    )
    assert render(template) == "inner/GET/inner/GET/GET1inner"


def test_each_data_variables(render: Any) -> None:
    assert (
        render(
            "{{#each (array 'a' 'b')}}{{@index}}{{@first}}{{@last}}{{@odd}}{{@even}}{{@index_1}}{{this}};{{/each}}"
        )
        == "0firsteven1a;1lastodd2b;"
    )
    assert (
        render('{{#each (parseJson \'{"k":1,"l":2}\') as |v k|}}{{k}}={{v}}@{{@key}};{{/each}}')
        == "k=1@k;l=2@l;"
    )
    assert render("{{#each (array)}}x{{else}}empty{{/each}}") == "empty"


def test_block_parameter_quirks(render: Any) -> None:
    # WireMock: inside `as |x|`, an argument-less helper name is a path; `.` is the parameters, `this` the item
    assert render("{{#each (array 1) as |x|}}[{{hostname}}{{x}}|{{this}}|{{.}}]{{/each}}") == "[1|1|{x=1}]"


def test_sections_on_values(render: Any) -> None:
    assert render("{{#request.query.n}}[{{this}}]{{/request.query.n}}", url=URL) == "[1][2]"
    assert (
        render("{{#request}}{{method}}{{/request}}|{{^request.query.zz}}none{{/request.query.zz}}")
        == "GET|none"
    )
    assert render("{{#nope}}x{{else}}y{{/nope}}") == "y"


def test_assigned_variables_are_global(render: Any) -> None:
    assert render("{{#each (array 1 2)}}{{#assign 'last'}}{{this}}{{/assign}}{{/each}}{{last}}") == "2"


def test_helpers_without_arguments_get_the_context(render: Any) -> None:
    assert render("{{size}}") == "2"  # the model: request, parameters
    assert render("{{#if}}x{{/if}}") == "x"


# -- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "line", "column", "message"),
    [
        ("{{#if request.path}}unclosed", 1, 1, "expected '{{/if}}'"),
        ("{{#if x}}\n  {{/unless}}", 2, 3, "found 'unless', expected 'if'"),
        ("ab\n  {{nohelper 1}}", 2, 5, "could not find helper: 'nohelper'"),
        ("{{else}}", 1, 1, "without an open block"),
        ("{{/if}}", 1, 1, "without an open block"),
        ("{{f 'unterminated}}", 1, 5, "unterminated string"),
        ("{{'lit'}}", 1, 3, "expected a helper or path name"),
        ("{{> partial}}", 1, 1, "partials are not supported"),
        ("{{math 1e3 '+' 1}}", 1, 8, "found '1e3'"),
        ("{{#if a}}x{{else}}y{{else}}z{{/if}}", 1, 20, "second '{{else}}'"),
        ("{{~! comment ~}}{{x}}", 1, 4, "expected a helper or path name"),
        ("{{#each x as | |}}{{/each}}", 1, 17, "empty block parameters"),
    ],
)
def test_parse_errors_have_a_location(template: str, line: int, column: int, message: str) -> None:
    engine = TemplateEngine()
    with pytest.raises(TemplateError) as info:
        engine.check(template, Dialect.HANDLEBARS)
    assert info.value.location.line == line
    assert info.value.location.column == column
    assert message in info.value.detail


def test_render_reports_a_parse_error_as_a_render_error(engine: TemplateEngine, request_for: Any) -> None:
    with pytest.raises(TemplateRenderError) as info:
        engine.render("{{#if x}}", Dialect.HANDLEBARS, request_model(request_for()))
    assert info.value.detail.startswith("1:1: ")


def test_nesting_is_bounded(engine: TemplateEngine) -> None:
    with pytest.raises(TemplateError, match="nested too deeply"):
        engine.check("{{#if a}}" * 100 + "{{/if}}" * 100, Dialect.HANDLEBARS)
    with pytest.raises(TemplateError, match="nested too deeply"):
        engine.check("{{f " + "(f " * 100 + ")" * 100 + "}}", Dialect.HANDLEBARS)
    engine.check("{{#if a}}" * 30 + "{{/if}}" * 30, Dialect.HANDLEBARS)


# -- cache ----------------------------------------------------------------------------------------------


def test_cache_is_bounded_lru(request_for: Any) -> None:
    engine = TemplateEngine(cache_size=2)
    model = request_model(request_for())
    for i in range(5):
        assert engine.render(f"{{{{size '{i}'}}}}", Dialect.HANDLEBARS, model) == "1"
    assert len(engine._cache) == 2
    uncached = TemplateEngine(cache_size=0)
    assert uncached.render("{{request.method}}", Dialect.HANDLEBARS, model) == "GET"
    assert len(uncached._cache) == 0


# -- properties -----------------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "{{",
        "}}",
        "{{{",
        "}}}",
        "{{#",
        "{{/",
        "{{^",
        "{{~",
        "~}}",
        "{{!",
        "{{!--",
        "--}}",
        "{{else}}",
        "if",
        "each",
        "with",
        "unless",
        "as |x|",
        "(",
        ")",
        "'",
        '"',
        "=",
        "request.path",
        "request.query.q",
        "../",
        "@index",
        "this",
        ".[0]",
        " ",
        "\n",
        "x",
        "1",
        "-2.5",
        "true",
        "null",
        "math",
        "jsonPath",
        "'$.a'",
        "size",
        "array",
        "\\{{",
        "[a b]",
        "|",
        "{{{{raw}}}}",
        "{{{{/raw}}}}",
        "eq",
        "lookup",
        "else if",
        "range",
        "arrayJoin",
    ]
)
_TEMPLATES = st.one_of(st.text(max_size=60), st.lists(_FRAGMENTS, max_size=25).map("".join))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEMPLATES)
def test_any_text_compiles_or_raises_template_error(template: str) -> None:
    engine = TemplateEngine(cache_size=0)
    try:
        engine.check(template, Dialect.HANDLEBARS)
    except TemplateError:
        return


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEMPLATES)
def test_any_compiled_template_renders_or_raises_render_error(template: str) -> None:
    engine = TemplateEngine(cache_size=0)
    try:
        engine.check(template, Dialect.HANDLEBARS)
    except TemplateError:
        return
    from mockd.http import LoggedRequest

    model = request_model(LoggedRequest.create("POST", URL, [("X-A", "1")], b'{"a":[1,2]}'))
    try:
        out = engine.render(template, Dialect.HANDLEBARS, model)
    except TemplateRenderError:
        return
    assert isinstance(out, str)
