"""TemplateEngine: the public API. One sandboxed Jinja2 environment runs both dialects.

- `Dialect.HANDLEBARS` (`response-template`): WireMock templates. As WireMock's
  HandlebarsOptimizedTemplate, only the text from the first `{{` to the last `}}` is a template; it is
  parsed by handlebars.py, compiled to Jinja2 source by compiler.py and run with the runtime (runtime.py) bound to `_hb_*`.
- `Dialect.JINJA2` (`jinja2`): native Jinja2 with the same model (`request`, `parameters`) and the same
  helpers as globals (`jsonPath(request.body, '$.x')`) and, where Jinja2 has no filter of that name, as
  filters (`request.body | jsonPath('$.x')`). Variables assigned by helpers (`regexExtract(x, re, 'v')`,
  `formData(body, 'f')`) are read through `vars` (`vars.v`). Jinja2's own `range` and filters win on a
  name clash.

Compiled templates are kept in a bounded LRU cache. Output is limited (10 MB by default), so are loops.
"""

from __future__ import annotations

import contextlib
import pathlib
import socket
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context

from mockd.errors import Location, MockdError, TemplateError, TemplateRenderError
from mockd.matching.regex import compile_regex
from mockd.templating.compiler import Compiler
from mockd.templating.context import (
    HeaderMap,
    PartModel,
    RequestLineModel,
    RequestMethod,
    RequestModel,
    UrlPath,
    request_model,
)
from mockd.templating.dialect import Dialect
from mockd.templating.handlebars import parse, split_optimized
from mockd.templating.hbs_ast import Mustache, Node, Text
from mockd.templating.helpers import HANDLEBARS_ONLY, HELPERS
from mockd.templating.helpers_dates import RenderableDate
from mockd.templating.helpers_xml import XmlNode
from mockd.templating.options import HelperConfig, Options
from mockd.templating.runtime import RenderState, RootPath
from mockd.templating.sandbox import RESERVED_PREFIX, MockdSandbox, RenderBudget
from mockd.templating.values import HelperError, RenderFailure, to_text


@dataclass(frozen=True)
class _Compiled:
    prefix: str
    template: jinja2.Template | None
    suffix: str
    # A Handlebars template made of text and plain paths only (`{"id":"{{request.query.id}}"}`, the
    # common case): its parts, text or RootPath, rendered without Jinja2 or a RenderState; the output is
    # what the compiled code (`_hb_path(_s, spec)`) makes of the same paths (tests/test_perf_paths.py).
    parts: tuple[str | RootPath, ...] | None = None


STATE_NAME = RESERVED_PREFIX + "state"  # the RenderState in native Jinja2 renders (for the helpers)
_SAFE_TYPES: tuple[type, ...] = (
    RequestModel, RequestLineModel, RequestMethod, HeaderMap, PartModel, UrlPath, RenderableDate, XmlNode,
)  # fmt: skip


def _hostname() -> str:
    try:
        return socket.gethostname() or "localhost"
    except OSError:
        return "localhost"


class TemplateEngine:
    def __init__(
        self,
        *,
        files_root: pathlib.Path | None = None,
        permitted_system_keys: tuple[str, ...] = ("wiremock.*",),
        cache_size: int = 1000,
        max_output: int = 10 * 1024 * 1024,
        max_iterations: int = 1_000_000,
        max_render_seconds: float = 2.0,
    ) -> None:
        keys = tuple(permitted_system_keys) or ("wiremock.*",)
        self._config = HelperConfig(
            files_root=files_root,
            permitted_system_keys=tuple(compile_regex("(?i)" + k, False) for k in keys),
            hostname=_hostname(),
            max_output=max_output,
            max_iterations=max_iterations,
            max_render_seconds=max_render_seconds,
        )
        self._helpers = HELPERS
        self._compiler = Compiler(HELPERS)
        self._env = MockdSandbox(max_output=self._config.max_output, safe_types=_SAFE_TYPES)
        for name, helper in HELPERS.items():
            if name in HANDLEBARS_ONLY:
                continue
            adapter = _jinja_adapter(name, helper)
            self._env.globals.setdefault(name, adapter)
            self._env.filters.setdefault(name, adapter)
        self._globals = dict(self._env.globals)  # merged once: new_context(shared=True) skips the copy
        self._cache_size = max(int(cache_size), 0)
        self._cache: OrderedDict[tuple[Dialect, str], _Compiled] = OrderedDict()
        self._lock = threading.Lock()

    # -- public API ------------------------------------------------------------------------------
    model = staticmethod(request_model)  # the model of one request (for callers that import only this)

    def check(self, source: str, dialect: Dialect) -> None:
        """Raise TemplateError (with line and column) if `source` does not parse."""
        self._compiled(source, Dialect(dialect))

    def render(self, source: str, dialect: Dialect, model: Mapping[str, Any]) -> str:
        """Render; TemplateRenderError on a failure. Helper errors render inline as `[ERROR: ...]`."""
        if type(dialect) is not Dialect:
            dialect = Dialect(dialect)
        try:
            compiled = self._compiled(source, dialect)
        except TemplateError as exc:
            loc = exc.location
            where = f"{loc.line}:{loc.column}: " if loc.line is not None else ""
            raise TemplateRenderError(where + exc.detail) from exc
        if compiled.template is None:
            return compiled.prefix
        try:
            if compiled.parts is not None:
                text = "".join([p if isinstance(p, str) else to_text(p.get(model)) for p in compiled.parts])
            else:
                text = self._run_jinja(compiled.template, dialect, model)
        except RenderFailure as exc:
            raise TemplateRenderError(str(exc)) from exc
        except SecurityError as exc:
            raise TemplateRenderError(f"not allowed in a template: {exc}") from exc
        except MockdError as exc:
            raise TemplateRenderError(exc.detail) from exc
        except (jinja2.TemplateError, RecursionError, MemoryError, ArithmeticError, LookupError) as exc:
            raise TemplateRenderError(f"{type(exc).__name__}: {exc}") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise TemplateRenderError(f"{type(exc).__name__}: {exc}") from exc
        text = compiled.prefix + text + compiled.suffix
        if len(text) > self._config.max_output:
            raise TemplateRenderError(f"template output is larger than {self._config.max_output} characters")
        return text

    def _run_jinja(self, template: jinja2.Template, dialect: Dialect, model: Mapping[str, Any]) -> str:
        state = RenderState(self._config, self._helpers, model)
        previous = self._env.begin(RenderBudget(self._config.max_iterations, self._config.max_render_seconds))
        try:
            if dialect is Dialect.HANDLEBARS:
                ctx = template.new_context(state.bindings(model), shared=True)
            else:
                variables = {**self._globals, **model, STATE_NAME: state, "vars": state.variables()}
                ctx = template.new_context(variables, shared=True)
            return "".join(template.root_render_func(ctx))
        finally:
            self._env.end(previous)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    # -- compilation -----------------------------------------------------------------------------
    def _compiled(self, source: str, dialect: Dialect) -> _Compiled:
        key = (dialect, source)
        found = self._cache.get(key)  # one C call: atomic, as is move_to_end (the lock guards the rest)
        if found is not None:
            with contextlib.suppress(KeyError):  # evicted by another thread meanwhile: served all the same
                self._cache.move_to_end(key)
            return found
        compiled = self._compile(source, dialect)
        if self._cache_size:
            with self._lock:
                self._cache[key] = compiled
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return compiled

    def _compile(self, source: str, dialect: Dialect) -> _Compiled:
        if dialect is Dialect.HANDLEBARS:
            prefix, body, suffix, offset = split_optimized(source)
            if not body:
                return _Compiled(source, None, "")
            nodes = parse(body, base=offset, full=source)
            jinja_source = self._compiler.compile(nodes)
            return _Compiled(prefix, self._jinja(jinja_source, source), suffix, self._plain_parts(nodes))
        if "{{" not in source and "{%" not in source and "{#" not in source:
            return _Compiled(source, None, "")
        return _Compiled("", self._jinja(source, source, native=True), "")

    def _plain_parts(self, nodes: tuple[Node, ...]) -> tuple[str | RootPath, ...] | None:
        """The parts of a template of text and plain paths (no helper, no block); None otherwise."""
        parts: list[str | RootPath] = []
        for node in nodes:
            if isinstance(node, Text):
                parts.append(node.value)
            elif isinstance(node, Mustache) and not node.call.params and not node.call.hash:
                name = node.call.head.simple_name
                if name is not None and name in self._helpers:
                    return None  # `{{now}}`: a helper call
                parts.append(RootPath.of(node.call.head.spec))
            else:
                return None
        return tuple(parts)

    def _jinja(self, jinja_source: str, original: str, native: bool = False) -> jinja2.Template:
        env = self._env
        try:
            tree = env.parse(jinja_source)
            if native:
                for name in tree.find_all(jinja2.nodes.Name):
                    if name.name.startswith(RESERVED_PREFIX):
                        raise TemplateError(
                            f"names starting with {RESERVED_PREFIX!r} are reserved",
                            _location(name.lineno, original),
                        )
            # no template globals: Handlebars code needs none, native Jinja2 gets them merged per render
            return env.template_class.from_code(env, env.compile(tree), {}, None)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(exc.message or "syntax error", _location(exc.lineno, original)) from None
        except (RecursionError, MemoryError, SyntaxError) as exc:
            raise TemplateError(f"template too complex: {type(exc).__name__}") from None


def _location(line: int | None, source: str) -> Location:
    return Location(line=line, column=1 if line is not None else None)


def _jinja_adapter(name: str, helper: Callable[[Any, Options], Any]) -> Callable[..., Any]:
    """A helper as a Jinja2 function/filter: positional args are the Handlebars params, keyword args
    the hash."""

    @pass_context
    def call(ctx: Context, *args: Any, **kwargs: Any) -> Any:
        state = ctx.get(STATE_NAME)
        if not isinstance(state, RenderState):
            raise RenderFailure(f"{name}: no render state")
        opts = Options(name, tuple(args[1:]), kwargs, bool(args), False, state, None, None)
        try:
            return helper(args[0] if args else None, opts)
        except HelperError as exc:
            return f"[ERROR: {exc}]"

    call.__name__ = name
    return call
