"""Java-flavoured regexes as WireMock users write them, compiled once, that cannot hang the server.

Every regex in mockd (matches, doesNotMatch, urlPattern, urlPathPattern, JSONPath/XPath sub-matchers,
JsonUnit and XMLUnit placeholders, the template helpers) goes through `compile_regex`, so this is the
one place that decides the engine and its limits:

- **RE2** (google-re2) runs every pattern it can express, in time linear in the input: `(a+)+$`
  against 50 KB of `a` answers in microseconds. Java syntax is rewritten first (`javaregex.translate`).
- Patterns RE2 cannot express (lookarounds, backreferences, possessive quantifiers, atomic groups,
  `(?x)`) run on the backtracking **`regex` module with a time budget** (`BACKTRACK_BUDGET_S` per
  call, enforced inside its matching loop, so in-thread and sound). A call that runs out of budget
  counts as *no match* (so `doesNotMatch` holds), is logged once per pattern at WARNING, and the
  same text is not tried again on that pattern (the near-miss report re-evaluates every matcher).
  Where Java would hang on such a pattern, mockd answers after the budget. Patterns that would unroll
  to more than `MAX_BACKTRACKING_SIZE` items when compiled (`(?=x)((a{100}){100}){100}`) are refused.
- The same budgeted engine serves the rare calls RE2 would answer differently from Java: a bare `$`
  against a text ending in "\\n" (Java's `$` also matches before a final line terminator), and texts
  holding lone surrogates (RE2 needs UTF-8).

The `regex` module (about 7 ms and 1.4 MiB to import) is loaded on first need only (`_backtracking`):
a server whose patterns all run on RE2 never imports it.

`compile_regex` is typed as returning `re.Pattern[str]` because callers (and the templating helpers)
use that interface; the object is a `SafeRegex`, which offers `fullmatch`, `match`, `search`,
`finditer`, `findall`, `sub`, `pattern`, `flags`, `groups` and `groupindex`, and whose match objects
offer `group`, `groups`, `groupdict`, `start`, `end` and `span`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from types import ModuleType
from typing import Any, cast

import re2

from mockd.errors import InvalidInput, Location
from mockd.matching.javaregex import repetition_cost, translate

__all__ = ["BACKTRACK_BUDGET_S", "MAX_BACKTRACKING_SIZE", "SafeRegex", "compile_regex", "full_match"]

log = logging.getLogger("mockd")

BACKTRACK_BUDGET_S = 0.1  # per call of the backtracking fallback; then the call counts as no match
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print every refused pattern on stderr
MAX_BACKTRACKING_SIZE = 20_000  # the fallback unrolls counted repetitions when it compiles
# ASCII texts (URLs, most headers) skip re2's offset decoding: byte offsets are character offsets.
_FAST = all(hasattr(re2, name) for name in ("_Anchor", "_Match", "_NULL_SPAN"))
_ANCHORS: dict[str, Any] = (
    {
        "fullmatch": re2._Anchor.ANCHOR_BOTH,
        "match": re2._Anchor.ANCHOR_START,
        "search": re2._Anchor.UNANCHORED,
    }
    if _FAST
    else {}
)
_NO_SPAN = (-1, -1)


class SafeRegex:
    """A compiled pattern: RE2 when it can, else the budgeted backtracking engine."""

    __slots__ = (
        "_dollar",
        "_dollar_inside",
        "_fallback",
        "_fallback_text",
        "_flags",
        "_re2",
        "_timed_out_on",
        "_warned",
        "pattern",
    )

    def __init__(
        self, pattern: str, re2_pattern: Any, fallback_text: str, flags: int, *, dollar: tuple[bool, bool]
    ) -> None:
        self.pattern = pattern
        self._re2 = re2_pattern
        self._fallback_text = fallback_text
        self._flags = flags
        self._fallback: Any = None
        self._dollar, self._dollar_inside = dollar
        self._warned = False
        self._timed_out_on: tuple[int, int] | None = None  # (len, hash) of the last text that ran out

    # -- what re.Pattern offers ------------------------------------------------------------------
    @property
    def engine(self) -> str:
        return "re2" if self._re2 is not None else "backtracking"

    @property
    def flags(self) -> int:
        return self._flags

    @property
    def groups(self) -> int:
        return int(self._engine_for("").groups)

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self._engine_for("").groupindex)

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._call("fullmatch", string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._call("match", string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._call("search", string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        engine = self._engine_for(string)
        end = len(string) if endpos is None else endpos
        if engine is self._re2:
            found = self._re2_all(string, pos, end)
            fallback = self._compiled_fallback() if any(m.start() == m.end() for m in found) else None
            if fallback is not None:  # after an empty match Python retries non-empty at the same place
                with contextlib.suppress(TimeoutError):
                    found = list(fallback.finditer(string, pos, end, timeout=BACKTRACK_BUDGET_S))
            return iter(found)
        if self._timed_out_on == (len(string), hash(string)):
            return iter(())
        try:
            return iter(list(engine.finditer(string, pos, end, timeout=BACKTRACK_BUDGET_S)))
        except TimeoutError:
            self._timed_out(string)
            return iter(())

    def findall(self, string: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        out: list[Any] = []
        for m in self.finditer(string, pos, endpos):
            groups = m.groups("")
            out.append(m.group(0) if not groups else groups[0] if len(groups) == 1 else groups)
        return out

    def sub(self, repl: str | Callable[[Any], str], string: str, count: int = 0) -> str:
        pieces: list[str] = []
        last = 0
        for n, m in enumerate(self.finditer(string)):
            if count and n >= count:
                break
            pieces.append(string[last : m.start()])
            pieces.append(repl(m) if callable(repl) else _expand(m, repl))
            last = m.end()
        pieces.append(string[last:])
        return "".join(pieces)

    def __repr__(self) -> str:
        return f"SafeRegex({self.pattern!r}, engine={self.engine})"

    # -- engines ---------------------------------------------------------------------------------
    def _call(self, op: str, string: str, pos: int, endpos: int | None) -> Any:
        engine = self._engine_for(string, full=op == "fullmatch" and endpos is None)
        end = len(string) if endpos is None else endpos
        if engine is self._re2:
            return self._re2_one(op, string, pos, end)
        if self._timed_out_on == (len(string), hash(string)):
            return None  # the same text again (the near-miss report re-evaluates): do not wait again
        try:
            return getattr(engine, op)(string, pos, end, timeout=BACKTRACK_BUDGET_S)
        except TimeoutError:
            self._timed_out(string)
            return None

    def _re2_one(self, op: str, string: str, pos: int, end: int) -> Any:
        engine = self._re2
        if _FAST and string.isascii() and 0 <= pos <= end <= len(string):
            spans = engine._regexp.Match(_ANCHORS[op], string.encode("ascii"), pos, end)
            return None if spans[0] == _NO_SPAN else re2._Match(engine, string, pos, end, spans)
        return getattr(engine, op)(string, pos, end)

    def _re2_all(self, string: str, pos: int, end: int) -> list[Any]:
        """Successive matches; an empty match may follow a non-empty one at the same place."""
        out: list[Any] = []
        while pos <= end:
            m = self._re2_one("search", string, pos, end)
            if m is None:
                break
            out.append(m)
            start, stop = m.span()
            pos = stop + 1 if start == stop else stop
        return out

    def _engine_for(self, string: str, *, full: bool = False) -> Any:
        # A `$` that only ends the pattern reads the same in a fullmatch: RE2 can answer it.
        dollar = self._dollar_inside if full else self._dollar
        if self._re2 is not None and not (dollar and string.endswith("\n")) and _utf8_safe(string):
            return self._re2
        fallback = self._compiled_fallback()
        return fallback if fallback is not None else self._re2

    def _compiled_fallback(self) -> Any:
        if self._fallback is None:
            if repetition_cost(self._fallback_text) > MAX_BACKTRACKING_SIZE:
                return None
            try:
                self._fallback = _compile_fallback(self._fallback_text, self._flags)
            except _FallbackError:
                return None  # RE2 runs it; only the rare "$ before a final newline" case differs
        return self._fallback

    def _timed_out(self, string: str) -> None:
        self._timed_out_on = (len(string), hash(string))
        if not self._warned:
            self._warned = True
            log.warning(
                "regex %r ran out of its %.0f ms budget; counted as no match (this is logged once)",
                self.pattern,
                BACKTRACK_BUDGET_S * 1000,
            )


def _utf8_safe(string: str) -> bool:
    if string.isascii():
        return True
    try:
        string.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _backtracking() -> ModuleType:
    """The `regex` module, imported on the first pattern (or text) RE2 cannot serve."""
    return importlib.import_module("regex")


class _FallbackError(ValueError):
    """The backtracking engine refused the pattern (its `regex.error`)."""


def _compile_fallback(text: str, flags: int) -> Any:
    """Compile for the backtracking engine (VERSION0: read as `re` reads it); `_FallbackError` if refused."""
    engine = _backtracking()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FutureWarning for "[[" and friends: read as `re` reads them
        try:
            return engine.compile(text, engine.VERSION0 | flags)
        except engine.error as exc:
            raise _FallbackError(str(exc)) from None


_TEMPLATE = re.compile(r"\\(?:g<([^>]*)>|([1-9][0-9]?)|(.))", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\"}


def _expand(m: Any, template: str) -> str:
    """`re`'s replacement syntax: \\1, \\g<1>, \\g<name> and the usual escapes."""

    def one(t: re.Match[str]) -> str:
        name, number, other = t.groups()
        if other is not None:
            return _ESCAPES.get(other, "\\" + other)
        key: int | str = number if number is not None else name
        if isinstance(key, str) and key.isdigit():
            key = int(key)
        return str(m.group(key) or "")

    return _TEMPLATE.sub(one, template)


@lru_cache(maxsize=4096)
def compile_regex(pattern: str, dotall: bool = True) -> re.Pattern[str]:
    """Compile a WireMock regex; raises InvalidInput (WireMock answers 422) when it does not compile."""
    translation = translate(pattern)
    flags = int(re.DOTALL) if dotall else 0  # the same bit in `regex`
    compiled: Any = None
    fallback: Any = None
    if translation.re2 is not None:
        with contextlib.suppress(re2.error):  # a feature RE2 lacks, or counts above its 1000
            compiled = re2.compile(("(?s)" if dotall else "") + translation.re2, _RE2_OPTIONS)
    if compiled is None:
        size = repetition_cost(translation.fallback)
        if size > MAX_BACKTRACKING_SIZE:
            raise InvalidInput(
                f"repetitions too large: the pattern unrolls to about {size} items, more than the "
                f"{MAX_BACKTRACKING_SIZE} allowed for patterns RE2 cannot run, in regex {pattern!r}",
                Location(),
            )
        try:
            fallback = _compile_fallback(translation.fallback, flags)
        except (RecursionError, OverflowError, ValueError) as exc:  # ValueError: _FallbackError too
            raise InvalidInput(f"{exc} in regex {pattern!r}", Location()) from None
    safe = SafeRegex(
        pattern, compiled, translation.fallback, flags, dollar=(translation.dollar, translation.dollar_inside)
    )
    safe._fallback = fallback
    return cast("re.Pattern[str]", safe)


def full_match(regex: re.Pattern[str], value: str) -> bool:
    return regex.fullmatch(value) is not None
