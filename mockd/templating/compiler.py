"""Handlebars AST -> Jinja2 source that runs on the sandboxed environment through the runtime.

No Handlebars name ever becomes a Jinja2 identifier: paths, helper names and literals are emitted as
string/number constants passed to the `_hb_*` runtime functions, so a template can only do what the
runtime allows.
Shape of the output:

    text                 {{ 'text' }}
    {{path}}             {{ _hb_path(_s, (0, 0, 'request', 'path')) }}
    {{helper a k=v}}     {{ _hb_helper(_s, 'helper', [a], {'k': v}) }}
    (helper a), path     _hb_call(_s, 'helper', [a], {}), _hb_get(_s, (0, 0, 'a'))
    {{#helper a}}..      {% call(_s, _b) _hb_block(_s, 'helper', [a], {}, []) %}{% if _b %}..{% else %}..{% endif %}{% endcall %}
    {{#path}}..          {% call(_s, _b) _hb_section(_s, (..), false, []) %}...{% endcall %}

The `_hb_*` names are the RenderState's methods; the sandbox's code generator calls them directly
(sandbox.py), and native Jinja2 templates may not use such names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from mockd.errors import Location, TemplateError
from mockd.templating.handlebars import Block, Call, Literal, Mustache, Node, Param, PathExpr, SubExpr, Text


def jinja_string(text: str) -> str:
    """A Jinja2 string literal that survives its lexer unchanged (no raw newlines or braces)."""
    out = ["'"]
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif 0x20 <= code < 0x7F and ch not in "{}%#":
            out.append(ch)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append("'")
    return "".join(out)


def _const(value: Any) -> str:
    if value is None:
        return "none"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else jinja_string("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        return jinja_string(value)
    if isinstance(value, tuple):
        return "(" + "".join(_const(v) + ", " for v in value) + ")"
    raise TypeError(f"not a template constant: {value!r}")


class Compiler:
    def __init__(self, helpers: Iterable[str]) -> None:
        self.helpers = frozenset(helpers)

    def compile(self, nodes: tuple[Node, ...]) -> str:
        return "".join(self._node(n) for n in nodes)

    def _node(self, node: Node) -> str:
        if isinstance(node, Text):
            return "{{ " + jinja_string(node.value) + " }}" if node.value else ""
        if isinstance(node, Mustache):
            call = node.call
            name = self._helper_name(call)
            if name is None:
                return "{{ _hb_path(_s, " + _const(call.head.spec) + ") }}"
            return f"{{{{ _hb_helper(_s, {jinja_string(name)}, {self._params(call)}, {self._hash(call)}) }}}}"
        return self._block(node)

    def _helper_name(self, call: Call) -> str | None:
        name = call.head.simple_name
        if name is not None and name in self.helpers:
            return name
        if call.params or call.hash:
            loc = call.loc
            raise TemplateError(
                f"could not find helper: '{call.head.text}'", Location(line=loc.line, column=loc.column)
            )
        return None

    def _call(self, call: Call) -> str:
        name = self._helper_name(call)
        if name is None:
            return self._path(call.head)
        return f"_hb_call(_s, {jinja_string(name)}, {self._params(call)}, {self._hash(call)})"

    def _path(self, path: PathExpr) -> str:
        return f"_hb_get(_s, {_const(path.spec)})"

    def _param(self, param: Param) -> str:
        if isinstance(param, Literal):
            return _const(param.value)
        if isinstance(param, SubExpr):
            return self._call(param.call)
        return self._path(param)

    def _params(self, call: Call) -> str:
        return "[" + ", ".join(self._param(p) for p in call.params) + "]"

    def _hash(self, call: Call) -> str:
        return "{" + ", ".join(f"{jinja_string(k)}: {self._param(v)}" for k, v in call.hash) + "}"

    def _block(self, node: Block) -> str:
        name = self._helper_name(node.call)
        params = "[" + ", ".join(jinja_string(p) for p in node.block_params) + "]"
        body, inverse = node.body, node.inverse
        if name is None:
            head = f"_hb_section(_s, {_const(node.call.head.spec)}, {_const(node.inverted)}, {params})"
        else:
            if node.inverted:
                body, inverse = inverse or (), body
            head = f"_hb_block(_s, {jinja_string(name)}, {self._params(node.call)}, {self._hash(node.call)}, {params})"
        out = ["{% call(_s, _b) ", head, " %}{% if _b %}", self.compile(body)]
        if inverse:
            out += ["{% else %}", self.compile(inverse)]
        out.append("{% endif %}{% endcall %}")
        return "".join(out)
