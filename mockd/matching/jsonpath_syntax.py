"""JSONPath syntax (Jayway dialect): the tokens, the filter-expression tree and the parser.

`parse_jsonpath(text)` returns a `Path`; `mockd.matching.jsonpath` evaluates it. Nothing here looks at
a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mockd.errors import InvalidInput
from mockd.matching.regex import compile_regex

__all__ = ["JsonPathError", "Path", "parse_jsonpath"]


class JsonPathError(ValueError):
    """The expression does not parse."""


# -- tokens ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prop:
    names: tuple[str, ...]


@dataclass(frozen=True)
class Index:
    indexes: tuple[int, ...]


@dataclass(frozen=True)
class Slice:
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Wildcard:
    pass


@dataclass(frozen=True)
class Filter:
    predicate: Expr


@dataclass(frozen=True)
class Scan:
    inner: Prop | Index | Slice | Wildcard | Filter


Token = Prop | Index | Slice | Wildcard | Filter | Scan


@dataclass(frozen=True)
class Function:
    name: str
    args: tuple[str, ...]


# -- filter expressions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Regex:
    source: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class PathOperand:
    path: Path
    relative: bool


Operand = Literal | Regex | PathOperand


@dataclass(frozen=True)
class Compare:
    left: Operand
    op: str | None  # None: existence / truth of `left`
    right: Operand | None


@dataclass(frozen=True)
class Not:
    inner: Expr


@dataclass(frozen=True)
class And:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Expr, ...]


Expr = Compare | Not | And | Or

_WORD_OPS = ("subsetof", "contains", "noneof", "anyof", "exists", "empty", "size", "nin", "all", "in")
_SYMBOL_OPS = ("===", "!==", "==", "!=", "<=", ">=", "=~", "<", ">")
_FUNCTIONS = {"length", "size", "min", "max", "avg", "sum", "stddev", "first", "last", "index", "keys"}
_NAME_STOP_FILTER = set(" \t\r\n.[]()=!<>&|,~")


@dataclass(frozen=True)
class Path:
    """A parsed path: its tokens, an optional trailing function, and whether it is definite."""

    source: str
    tokens: tuple[Token, ...]
    function: Function | None
    definite: bool


class Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0

    def error(self, message: str) -> JsonPathError:
        return JsonPathError(f"{message} at position {self.pos} in JSON path {self.s!r}")

    def peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.s[i] if i < len(self.s) else ""

    def skip_ws(self) -> None:
        while self.peek() in (" ", "\t", "\r", "\n") and self.peek():
            self.pos += 1

    def expect(self, ch: str) -> None:
        self.skip_ws()
        if not self.s.startswith(ch, self.pos):
            raise self.error(f"expected {ch!r}")
        self.pos += len(ch)

    # paths
    def path(self, in_filter: bool) -> tuple[Path, bool]:
        start = self.pos
        relative = self.peek() == "@"
        self.pos += 1
        tokens: list[Token] = []
        function: Function | None = None
        while self.pos < len(self.s):
            c = self.peek()
            if self.s.startswith("..", self.pos):
                self.pos += 2
                if self.peek() == "[":
                    inner = self.bracket()
                    if isinstance(inner, Scan):
                        raise self.error("unexpected deep scan")
                    tokens.append(Scan(inner))
                elif self.peek() == "*":
                    self.pos += 1
                    tokens.append(Scan(Wildcard()))
                else:
                    tokens.append(Scan(Prop((self.name(in_filter),))))
            elif c == ".":
                self.pos += 1
                if self.peek() == "*":
                    self.pos += 1
                    tokens.append(Wildcard())
                    continue
                name = self.name(in_filter)
                if self.peek() == "(":
                    function = self.function(name)
                    break
                tokens.append(Prop((name,)))
            elif c == "[":
                tokens.append(self.bracket())
            else:
                break
        definite = all(
            (isinstance(t, Prop) and (len(t.names) == 1 or i == len(tokens) - 1))
            or (isinstance(t, Index) and len(t.indexes) == 1)
            for i, t in enumerate(tokens)
        )
        source = self.s[start : self.pos]
        return Path(source, tuple(tokens), function, definite), relative

    def name(self, in_filter: bool) -> str:
        start = self.pos
        stops = _NAME_STOP_FILTER if in_filter else {".", "[", "("}
        while self.pos < len(self.s) and self.s[self.pos] not in stops:
            self.pos += 1
        name = self.s[start : self.pos]
        if not name:
            raise self.error("expected a property name")
        return name

    def function(self, name: str) -> Function:
        if name not in _FUNCTIONS:
            raise self.error(f"unknown function {name}()")
        self.pos += 1
        end = self.s.find(")", self.pos)
        if end < 0:
            raise self.error("unclosed function call")
        args = tuple(a.strip() for a in self.s[self.pos : end].split(",") if a.strip())
        self.pos = end + 1
        if name == "index" and (len(args) != 1 or not re.fullmatch(r"-?\d+", args[0])):
            raise self.error("index() needs one integer argument")
        return Function(name, args)

    def bracket(self) -> Token:
        self.pos += 1  # [
        self.skip_ws()
        c = self.peek()
        if c == "?":
            self.pos += 1
            self.expect("(")
            predicate = self.or_expr()
            self.expect(")")
            self.expect("]")
            return Filter(predicate)
        if c == "*":
            self.pos += 1
            self.expect("]")
            return Wildcard()
        if c in ("'", '"'):
            names = [self.string()]
            self.skip_ws()
            while self.peek() == ",":
                self.pos += 1
                self.skip_ws()
                names.append(self.string())
                self.skip_ws()
            self.expect("]")
            return Prop(tuple(names))
        end = self.s.find("]", self.pos)
        if end < 0:
            raise self.error("unclosed [")
        body = self.s[self.pos : end].replace(" ", "")
        self.pos = end + 1
        if re.fullmatch(r"-?\d*:-?\d*", body):
            a, b = body.split(":")
            return Slice(int(a) if a else None, int(b) if b else None)
        if re.fullmatch(r"-?\d+(,-?\d+)*", body):
            return Index(tuple(int(x) for x in body.split(",")))
        raise self.error(f"invalid bracket expression [{body}]")

    def string(self) -> str:
        quote = self.peek()
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.s):
            c = self.s[self.pos]
            if c == "\\" and self.pos + 1 < len(self.s):
                nxt = self.s[self.pos + 1]
                out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
                self.pos += 2
                continue
            if c == quote:
                self.pos += 1
                return "".join(out)
            out.append(c)
            self.pos += 1
        raise self.error("unterminated string")

    # filter expressions
    def or_expr(self) -> Expr:
        parts = [self.and_expr()]
        while True:
            self.skip_ws()
            if self.s.startswith("||", self.pos):
                self.pos += 2
                parts.append(self.and_expr())
            else:
                return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Expr:
        parts = [self.unary()]
        while True:
            self.skip_ws()
            if self.s.startswith("&&", self.pos):
                self.pos += 2
                parts.append(self.unary())
            else:
                return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Expr:
        self.skip_ws()
        if self.peek() == "!" and self.peek(1) != "=":
            self.pos += 1
            return Not(self.unary())
        if self.peek() == "(":
            self.pos += 1
            inner = self.or_expr()
            self.expect(")")
            return inner
        left = self.operand()
        self.skip_ws()
        op = self.operator()
        if op is None:
            return Compare(left, None, None)
        right = self.operand()
        return Compare(left, op, right)

    def operator(self) -> str | None:
        for op in _SYMBOL_OPS:
            if self.s.startswith(op, self.pos):
                self.pos += len(op)
                return op
        for word in _WORD_OPS:
            if self.s.startswith(word, self.pos) and not self.peek(len(word)).isalnum():
                self.pos += len(word)
                return word
        return None

    def operand(self) -> Operand:
        self.skip_ws()
        c = self.peek()
        if c in ("@", "$"):
            path, relative = self.path(in_filter=True)
            return PathOperand(path, relative)
        if c == "/":
            return self.regex()
        return Literal(self.literal())

    def regex(self) -> Regex:
        start = self.pos
        self.pos += 1
        buf: list[str] = []
        while self.pos < len(self.s) and self.s[self.pos] != "/":
            if self.s[self.pos] == "\\" and self.peek(1) == "/":
                buf.append("/")
                self.pos += 2
                continue
            buf.append(self.s[self.pos])
            self.pos += 1
        if self.pos >= len(self.s):
            raise self.error("unterminated regex")
        self.pos += 1
        flags = ""
        while self.peek().isalpha():
            flags += self.peek()
            self.pos += 1
        inline = "".join(sorted({"i": "i", "m": "m", "s": "s", "x": "x"}.get(f, "") for f in flags))
        pattern = "".join(buf)
        try:
            compiled = compile_regex((f"(?{inline})" if inline else "") + pattern, dotall=False)
        except InvalidInput as exc:
            raise self.error(f"invalid regex: {exc.detail}") from None
        return Regex(self.s[start : self.pos], compiled)

    def literal(self) -> Any:
        self.skip_ws()
        c = self.peek()
        if c in ("'", '"'):
            return self.string()
        if c == "[":
            self.pos += 1
            items: list[Any] = []
            self.skip_ws()
            if self.peek() == "]":
                self.pos += 1
                return items
            while True:
                items.append(self.literal())
                self.skip_ws()
                if self.peek() == ",":
                    self.pos += 1
                    continue
                self.expect("]")
                return items
        if c == "{":
            self.pos += 1
            obj: dict[str, Any] = {}
            self.skip_ws()
            if self.peek() == "}":
                self.pos += 1
                return obj
            while True:
                self.skip_ws()
                if self.peek() not in ("'", '"'):
                    raise self.error("expected a quoted key")
                key = self.string()
                self.expect(":")
                obj[key] = self.literal()
                self.skip_ws()
                if self.peek() == ",":
                    self.pos += 1
                    continue
                self.expect("}")
                return obj
        m = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?").match(self.s, self.pos)
        if m:
            self.pos = m.end()
            text = m.group(0)
            return int(text) if re.fullmatch(r"-?\d+", text) else Decimal(text)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, self.pos):
                self.pos += len(word)
                return value
        raise self.error("expected a value")


def parse_jsonpath(expression: str) -> Path:
    """Parse a Jayway-style JSONPath; JsonPathError when it does not."""
    text = expression.strip()
    if not text:
        raise JsonPathError("empty JSON path")
    if text[0] not in "$@":
        text = "$." + text
    if text.endswith(".") and not text.endswith(".."):
        raise JsonPathError(f"JSON path {expression!r} must not end with a '.'")
    parser = Parser(text)
    try:
        path, _ = parser.path(in_filter=False)
    except (IndexError, ValueError, RecursionError) as exc:
        if isinstance(exc, JsonPathError):
            raise
        raise JsonPathError(f"invalid JSON path {expression!r}: {exc}") from None
    if parser.pos != len(text):
        raise parser.error("unexpected character")
    return path
