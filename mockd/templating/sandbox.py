"""The one Jinja2 environment every template runs on: an immutable sandbox, tightened.

On top of Jinja2's `ImmutableSandboxedEnvironment` (no `_`-attributes, no mutation of lists/dicts):
- attribute access only on an allow-list of value types (the request model, JSON values, dates, Jinja's
  own loop/namespace objects), so no object that could reach files or the engine is ever usable;
- `*`, `**`, `%`, `+` and `~` refuse results larger than the output limit; `range` is bounded; `lipsum`
  is gone; padding filters are bounded;
- every `for` loop (native Jinja2 and compiled Handlebars alike) iterates through `environment.counted`,
  which charges a per-render budget of iterations and render time, so nested loops cannot hang the
  event loop.
"""

from __future__ import annotations

import datetime
import operator
import threading
import time
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from jinja2 import ChainableUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from mockd.templating.values import RenderFailure, to_text

_BINOPS: Mapping[str, Callable[[Any, Any], Any]] = types.MappingProxyType(
    {
        "*": operator.mul,
        "**": operator.pow,
        "%": operator.mod,
        "+": operator.add,
    }
)


RESERVED_PREFIX = "_hb_"


class RenderBudget:
    """Iterations and wall time one render may spend (checked every 256 iterations)."""

    __slots__ = ("deadline", "max_iterations", "seconds", "ticks")

    def __init__(self, max_iterations: int, seconds: float) -> None:
        self.max_iterations = max_iterations
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks > self.max_iterations:
            raise RenderFailure(f"template iterates more than {self.max_iterations} times")
        if not self.ticks & 0xFF and time.monotonic() > self.deadline:
            raise RenderFailure(f"template took longer than {self.seconds:g} s to render")


class _Counted:
    """An iterable that charges the current render's budget for every item (keeps `len` for `loop`)."""

    __slots__ = ("_budget", "_inner")

    def __init__(self, inner: Any, budget: RenderBudget) -> None:
        self._inner = inner
        self._budget = budget

    def __iter__(self) -> Any:
        tick = self._budget.tick
        for item in self._inner:
            tick()
            yield item

    def __len__(self) -> int:
        return len(self._inner)


class _BoundedCodeGenerator(CodeGenerator):
    """`a ~ b` goes through `environment.bounded_join` so string growth is bounded too; calls of the
    Handlebars runtime (`_hb_*` names, which native Jinja2 templates may not mention) are direct."""

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        callee = node.node
        if (
            isinstance(callee, nodes.Name)
            and callee.name.startswith(RESERVED_PREFIX)
            and node.args
            and not (node.kwargs or node.dyn_args or node.dyn_kwargs or frame.loop_frame or frame.block_frame)
        ):
            self.visit(callee, frame)
            self.write("(")
            for i, arg in enumerate(node.args):
                if i:
                    self.write(", ")
                self.visit(arg, frame)
            if forward_caller:
                self.write(", caller=caller")
            self.write(")")
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("counted"), [node.iter], [], None, None, lineno=node.lineno
        )
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


class MockdSandbox(ImmutableSandboxedEnvironment):
    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset(_BINOPS)

    def __init__(self, *, max_output: int, safe_types: tuple[type, ...]) -> None:
        super().__init__(
            autoescape=False,
            keep_trailing_newline=True,
            undefined=ChainableUndefined,
            finalize=_finalize,
            cache_size=0,
            auto_reload=False,
        )
        self.max_output = max_output
        self._budget = threading.local()
        self.safe_types = (
            str, int, float, bool, Decimal, list, tuple, dict, set, frozenset, type(None),
            datetime.date, datetime.time, datetime.timedelta, types.MappingProxyType,
            LoopContext, Namespace, Cycler, Joiner, Undefined, Macro, *safe_types,
        )  # fmt: skip
        self.globals.pop("lipsum", None)
        self.globals["range"] = self._range
        for name in ("center", "indent"):
            self.filters[name] = self._bounded_filter(self.filters[name])

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        """Refuse at once (Jinja2 would return an undefined that fails only when printed)."""
        raise SecurityError(f"access to attribute {attribute!r} of a {type(obj).__name__} is not allowed")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, self.safe_types) and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 10_000:
            raise RenderFailure("exponent too large")
        if operator == "*":
            count = right if isinstance(right, int) else left if isinstance(left, int) else 1
            if count * max(_size(left), _size(right)) > self.max_output:
                raise RenderFailure(f"result larger than {self.max_output} characters")
        if operator == "%" and isinstance(left, str) and len(left) > self.max_output // 10:
            raise RenderFailure("format string too large")
        result = _BINOPS[operator](left, right)
        if _size(result) > self.max_output:
            raise RenderFailure(f"result larger than {self.max_output} characters")
        return result

    def begin(self, budget: RenderBudget) -> RenderBudget | None:
        """Make `budget` the current render's (returns the one it replaces, for `end`)."""
        previous: RenderBudget | None = getattr(self._budget, "current", None)
        self._budget.current = budget
        return previous

    def end(self, previous: RenderBudget | None) -> None:
        self._budget.current = previous

    def counted(self, iterable: Any) -> Any:
        budget: RenderBudget | None = getattr(self._budget, "current", None)
        if budget is None or isinstance(iterable, Undefined):
            return iterable
        return _Counted(iterable, budget)

    def bounded_join(self, items: tuple[Any, ...]) -> str:
        text = "".join(to_text(i) for i in items)
        if len(text) > self.max_output:
            raise RenderFailure(f"result larger than {self.max_output} characters")
        return text

    def _range(self, *args: int) -> range:
        rng = range(*args)
        if len(rng) > 100_000:
            raise RenderFailure("range larger than 100000 items")
        return rng

    def _bounded_filter(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        limit = self.max_output

        def bounded(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> Any:
            if isinstance(width, int) and width > limit:
                raise RenderFailure(f"width larger than {limit}")
            return fn(value, width, *args, **kwargs)

        return bounded


def _finalize(value: Any) -> str:
    if isinstance(value, Undefined):
        return ""
    return to_text(value)
