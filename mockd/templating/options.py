"""What a helper receives: its arguments (`Options`) and the render it runs in (`State`).

Helpers are plain functions `helper(context, options) -> value`, like Handlebars.java's `Helper.apply`:
`context` is the first positional argument (or the current model when there is none), `options.params`
the rest, `options.hash` the `key=value` arguments. Block helpers call `options.fn()` / `options.inverse()`.
A helper raises `HelperError` for an inline `[ERROR: ...]`, `RenderFailure` to fail the whole render.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mockd.templating.values import HelperError, RenderFailure, is_number, java_str

__all__ = [
    "SAME", "HelperConfig", "HelperError", "Options", "RenderFailure", "State", "coerce_int", "hash_int",
    "text_of",
]  # fmt: skip


class _Same:
    """Marker: render a block body with the current context."""

    def __repr__(self) -> str:
        return "SAME"


SAME: Any = _Same()


@dataclass(frozen=True)
class HelperConfig:
    """Engine-wide settings the helpers need (never reachable from a template)."""

    files_root: Path | None = None
    permitted_system_keys: tuple[re.Pattern[str], ...] = ()
    max_range: int = 10_000
    max_output: int = 10 * 1024 * 1024
    max_iterations: int = 1_000_000
    max_render_seconds: float = 2.0
    hostname: str = "localhost"


class State(Protocol):
    """The render a helper runs in: assigned variables, per-render cache, limits."""

    @property
    def config(self) -> HelperConfig: ...

    @property
    def cache(self) -> dict[Any, Any]: ...

    def assign(self, name: str, value: Any) -> None: ...

    def tick(self, count: int = 1) -> None: ...

    def lookup(self, scope: Any, model: Any, path: str) -> Any: ...


BodyFn = Callable[[Any, Sequence[Any], Mapping[str, Any] | None], str]


@dataclass(frozen=True, slots=True)
class Options:
    name: str
    params: tuple[Any, ...]
    hash: Mapping[str, Any]
    has_context: bool
    block: bool
    state: State
    model: Any = None
    scope: Any = None
    fn_body: BodyFn | None = field(default=None, repr=False)
    inverse_body: BodyFn | None = field(default=None, repr=False)

    def param(self, index: int, default: Any = None) -> Any:
        return self.params[index] if index < len(self.params) else default

    def opt(self, key: str, default: Any = None) -> Any:
        value = self.hash.get(key)
        return default if value is None else value

    def fn(
        self, context: Any = SAME, block_params: Sequence[Any] = (), data: Mapping[str, Any] | None = None
    ) -> str:
        if self.fn_body is None:
            return ""
        return self.fn_body(context, block_params, data)

    def inverse(self, context: Any = SAME) -> str:
        if self.inverse_body is None:
            return ""
        return self.inverse_body(context, (), None)

    def assign(self, name: Any, value: Any) -> None:
        if not isinstance(name, str):
            raise HelperError("The variable name must be a string")
        self.state.assign(name, value)


# -- argument coercions shared by the helpers ------------------------------------------------------


def text_of(ctx: Any) -> str:
    """`context.toString()`: a null context fails the render, as the NullPointerException does in Java."""
    if ctx is None:
        raise RenderFailure(
            'java.lang.NullPointerException: Cannot invoke "Object.toString()" because "context" is null'
        )
    return java_str(ctx)


def coerce_int(value: Any) -> int | None:
    """WireMock's HelperUtils.coerceToInt: numbers truncate, strings go through Integer.parseInt."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if is_number(value):
        return int(value)
    if isinstance(value, str):
        if not re.fullmatch(r"[+-]?\d{1,10}", value) or not -(2**31) <= int(value) < 2**31:
            raise RenderFailure(f'java.lang.NumberFormatException: For input string: "{value}"')
        return int(value)
    return None


def hash_int(o: Options, key: str, default: int) -> int:
    """An Integer hash argument (`length=8`), or `default` when absent."""
    value = o.hash.get(key)
    if value is None:
        return default
    result = coerce_int(value)
    if result is None:
        raise RenderFailure(f"{key} must be an integer")
    return result
