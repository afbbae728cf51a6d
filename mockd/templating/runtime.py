"""The Handlebars runtime that compiled templates call (`_hb_path`, `_hb_call`, ...) inside the sandbox.

Handlebars.java semantics: a stack of contexts (`Scope`), each with a model and extended data (`@index`,
block parameters); a path is looked up in the current context, its extended data, the shared data
(`assign`-ed variables, `@root`), then the parent contexts. Helpers get `Options` (see options.py).
One `RenderState` per render: it owns the assigned variables, the per-render cache and the budgets.
Its only public attributes are the methods generated code calls; everything else is private, so a
template cannot reach the engine's settings.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockd.templating.handlebars import DOT, LOCAL, PARENT_MODEL, PathSpec, parse_path
from mockd.templating.options import SAME, HelperConfig, HelperError, Options, RenderFailure
from mockd.templating.values import ListOrSingle, is_empty, java_len, to_text

Helper = Callable[[Any, Options], Any]
Caller = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Scope:
    model: Any
    parent: Scope | None = None
    ext: Mapping[str, Any] | None = None  # extended context: @index, @key, ... of `each`
    params: bool = False  # a block-parameter context (`as |x|`): its model holds the names
    # Handlebars.java's ParentFirst: a context opened inside an `as |x|` block looks a path up in its
    # parent first (so `{{#each item.tags}}{{this}}` inside `as |item|` prints the item, as in WireMock)
    parent_first: bool = False


_SIZE_NAMES = ("size", "length")
_EMPTY_NAMES = ("empty", "isEmpty")


def resolve(value: Any, key: str | int) -> Any:
    """One path segment on a value: map key, list index, or a Java bean/method property."""
    if isinstance(key, int):
        if isinstance(value, ListOrSingle):
            return value.get_index(key)
        if isinstance(value, list | tuple):
            return value[key] if 0 <= key < len(value) else None
        key = str(key)
    if isinstance(value, dict):
        found = value.get(key)
        if found is not None:
            return found
        if key in _SIZE_NAMES[:1]:
            return len(value)
        return (not value) if key in _EMPTY_NAMES else None
    getter = getattr(value, "hb_get", None)
    if getter is not None:
        return getter(key)
    if isinstance(value, Mapping):
        return value.get(key)
    if isinstance(value, list | tuple):
        if key in _SIZE_NAMES:
            return len(value)
        if key in _EMPTY_NAMES:
            return not value
        if isinstance(value, ListOrSingle):
            if key == "first":
                return value.first
            if key == "last":
                return value.last
            if key == "single":
                return len(value) == 1
        return None
    if isinstance(value, str):
        if key == "length":
            return java_len(value)
        if key in _EMPTY_NAMES:
            return not value
        if key == "blank":
            return not value.strip()
    return None


def _chain(value: Any, segments: Sequence[Any]) -> tuple[bool, Any]:
    """Evaluate segments from `value`; (found, result) where found = the first segment resolved."""
    if value is None:
        return False, None
    if not segments:
        return True, value
    first = segments[0]
    current = resolve(value, first)
    if current is None and isinstance(first, str) and first.startswith("@"):
        current = resolve(value, first[1:])
    if current is None:
        return False, None
    for seg in segments[1:]:
        current = resolve(current, seg)
        if current is None:
            return True, None
    return True, current


@dataclass(frozen=True, slots=True)
class RootPath:
    """A plain path (`{{request.query.id}}`) looked up in the root context of a fresh render, without a
    RenderState: what `RenderState.get(Scope(model), spec)` returns while nothing is assigned yet (the
    root context has no parent, no extended data, and the shared data is only `root`)."""

    segments: tuple[Any, ...]
    local: bool  # `this.x`: the model only
    above_root: bool  # `../x`, `..`: there is nothing above the root

    @classmethod
    def of(cls, spec: PathSpec) -> RootPath:
        flags, parents, *segments = spec
        return cls(tuple(segments), bool(flags & LOCAL), bool(flags & PARENT_MODEL or parents))

    def get(self, model: Any) -> Any:
        if self.above_root:
            return None
        found, value = _chain(model, self.segments)
        if found or self.local:
            return value
        return _chain({"root": model}, self.segments)[1]


class RenderState:
    """One per render; its bound methods are the `_hb_*` functions of generated code (see `bindings`)."""

    __slots__ = ("_body_chars", "_cache", "_config", "_data", "_helpers", "_ticks")

    def __init__(self, config: HelperConfig, helpers: Mapping[str, Helper], model: Any) -> None:
        self._config = config
        self._helpers = helpers
        self._data: dict[str, Any] = {"root": model}
        self._cache: dict[Any, Any] = {}
        self._ticks = 0
        self._body_chars = 0

    # -- State protocol (used by helpers, from Python) -------------------------------------------
    @property
    def config(self) -> HelperConfig:
        return self._config

    @property
    def cache(self) -> dict[Any, Any]:
        return self._cache

    def assign(self, name: str, value: Any) -> None:
        self._data[name] = value

    def variables(self) -> Mapping[str, Any]:
        """A read-only live view of the assigned variables (`vars` in Jinja2 templates)."""
        return types.MappingProxyType(self._data)

    def tick(self, count: int = 1) -> None:
        self._ticks += count
        if self._ticks > self._config.max_iterations:
            raise RenderFailure(f"template iterates more than {self._config.max_iterations} times")

    def lookup(self, scope: Any, model: Any, path: str) -> Any:
        """Handlebars.java `Context.get(path)` in a new child context of `scope` holding `model`."""
        parent = scope if isinstance(scope, Scope) else None
        spec = parse_path(path)
        if len(spec) == 2 and not spec[0]:
            raise RenderFailure("java.lang.IndexOutOfBoundsException: Index 0 out of bounds for length 0")
        return self.get(Scope(model, parent), spec)

    # -- called by generated code ----------------------------------------------------------------
    def get(self, scope: Scope, spec: PathSpec) -> Any:
        if scope.parent_first and scope.parent is not None:
            value = self.get(scope.parent, spec)
            if value is not None:
                return value
        return self._get_own(scope, spec)

    def _get_own(self, scope: Scope, spec: PathSpec) -> Any:
        flags, parents, *segments = spec
        if flags & PARENT_MODEL:
            parent = scope.parent.parent if scope.params and scope.parent else scope.parent
            return parent.model if parent is not None else None
        if flags & LOCAL:
            # inside `as |x|`, a bare `this` is the item; `.` and `this.y` look in the parameters
            use_parent = scope.params and scope.parent is not None and not (flags & DOT) and not segments
            model = scope.parent.model if use_parent and scope.parent else scope.model
            return _chain(model, segments)[1]
        if not parents:
            return self._lookup(scope, segments)
        start: Scope | None = scope
        for _ in range(parents):
            if start is None:
                return None
            start = start.parent
        return None if start is None else self.get(start, (flags, 0, *segments))  # the parent's own get

    def _lookup(self, scope: Scope | None, segments: Sequence[Any]) -> Any:
        data = self._data
        while scope is not None:
            found, value = _chain(scope.model, segments)
            if found:
                return value
            if scope.ext:
                found, value = _chain(scope.ext, segments)
                if found:
                    return value
            found, value = _chain(data, segments)
            if found:
                return value
            scope = scope.parent
        return None

    def bindings(self, model: Any) -> dict[str, Any]:
        """The variables a compiled Handlebars template runs with."""
        return {
            "_s": Scope(model),
            "_hb_path": self.path,
            "_hb_get": self.get,
            "_hb_helper": self.helper,
            "_hb_call": self.call,
            "_hb_block": self.block,
            "_hb_section": self.section,
        }

    def path(self, scope: Scope, spec: PathSpec) -> str:
        """`{{a.b}}`: the printed value of a path."""
        return self.out(self.get(scope, spec))

    def helper(self, scope: Scope, name: str, params: list[Any], hash_: dict[str, Any]) -> str:
        """`{{helper a b}}`: the printed result of a helper."""
        return self.out(self.call(scope, name, params, hash_))

    def out(self, value: Any) -> str:
        text = to_text(value)
        if len(text) > self._config.max_output:
            raise RenderFailure(f"template output is larger than {self._config.max_output} characters")
        return text

    def call(self, scope: Scope, name: str, params: list[Any], hash_: dict[str, Any]) -> Any:
        if not params and not hash_ and scope.params:
            return self._lookup(scope, (name,))  # Handlebars.java: no-arg names are paths in `as |x|`
        ctx = params[0] if params else scope.model
        opts = Options(name, tuple(params[1:]), hash_, bool(params), False, self, scope.model, scope)
        return self._invoke(name, ctx, opts)

    def block(
        self,
        scope: Scope,
        name: str,
        params: list[Any],
        hash_: dict[str, Any],
        block_params: list[str],
        caller: Caller,
    ) -> str:
        ctx = params[0] if params else scope.model
        fn, inverse = self._bodies(scope, block_params, caller)
        opts = Options(
            name, tuple(params[1:]), hash_, bool(params), True, self, scope.model, scope, fn, inverse
        )
        return self.out(self._invoke(name, ctx, opts))

    def section(
        self, scope: Scope, spec: PathSpec, inverted: bool, block_params: list[str], caller: Caller
    ) -> str:
        """A block whose name is not a helper (`{{#request.query.x}}`): each, if or with by value type."""
        value = self.get(scope, spec)
        fn, inverse = self._bodies(scope, block_params, caller)
        name = (
            "unless"
            if inverted
            else "each"
            if is_iterable(value)
            else "if"
            if isinstance(value, bool)
            else "with"
        )
        opts = Options(name, (), {}, True, True, self, scope.model, scope, fn, inverse)
        return self.out(self._invoke(name, value, opts))

    # -- internals -------------------------------------------------------------------------------
    def _invoke(self, name: str, ctx: Any, opts: Options) -> Any:
        helper = self._helpers.get(name)
        if helper is None:
            raise RenderFailure(f"could not find helper: '{name}'")
        try:
            return helper(ctx, opts)
        except HelperError as exc:
            return f"[ERROR: {exc}]"
        except RenderFailure:
            raise
        except RecursionError:
            raise RenderFailure(f"{name}: nested too deeply") from None
        except Exception as exc:  # Handlebars.java turns any helper exception into a failed render
            raise RenderFailure(f"{name}: {type(exc).__name__}: {exc}") from exc

    def _bodies(
        self, scope: Scope, block_params: Sequence[str], caller: Caller
    ) -> tuple[Callable[[Any, Sequence[Any], Mapping[str, Any] | None], str], ...]:
        def make(branch: bool) -> Callable[[Any, Sequence[Any], Mapping[str, Any] | None], str]:
            def run(context: Any, values: Sequence[Any], data: Mapping[str, Any] | None) -> str:
                target = scope
                if context is not SAME or data:
                    model = scope.model if context is SAME else context
                    target = Scope(model, scope, data, False, scope.params or scope.parent_first)
                if block_params:
                    if not values:
                        values = (target.model,)
                    names = dict(zip(block_params, values))
                    target = Scope(names, target, None, True)
                text = str(caller(target, branch))
                self._body_chars += len(text)
                if self._body_chars > 2 * self._config.max_output:  # nested blocks count twice: 2x slack
                    raise RenderFailure(
                        f"template output is larger than {self._config.max_output} characters"
                    )
                return text

            return run

        return make(True), make(False)


def is_iterable(value: Any) -> bool:
    """Java `Iterable`: lists and list-likes (not strings, not maps)."""
    if isinstance(value, str | Mapping):
        return False
    return isinstance(value, list | tuple) or hasattr(value, "is_collection_empty")


__all__ = ["RenderState", "RootPath", "Scope", "is_empty", "is_iterable", "resolve"]
