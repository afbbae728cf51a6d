"""WireMock's Handlebars syntax (jknack Handlebars.java 4.3 grammar): `parse(source)` -> AST.

Two passes: hbs_lexer cuts the text into text and tags; `_TreeBuilder` nests blocks, `else` and
`else if` chains. Errors are TemplateError with the line and column of the problem. Partials,
decorators and delimiter changes are not supported (WireMock has no partials to offer).
"""

from __future__ import annotations

from mockd.errors import Location, TemplateError
from mockd.templating.hbs_ast import (
    DOT,
    LOCAL,
    MAX_DEPTH,
    PARENT_MODEL,
    Block,
    Call,
    Literal,
    Loc,
    Mustache,
    Node,
    Param,
    PathExpr,
    PathSpec,
    SubExpr,
    Text,
    parse_path,
)
from mockd.templating.hbs_lexer import WS, Lexer, Strip, Tag

__all__ = [
    "DOT", "LOCAL", "PARENT_MODEL", "Block", "Call", "Literal", "Loc", "Mustache", "Node", "Param", "PathExpr",
    "PathSpec", "SubExpr", "Text", "parse", "parse_path", "split_optimized",
]  # fmt: skip


class _TreeBuilder:
    def __init__(self, items: list[str | Tag | Strip], lexer: Lexer) -> None:
        self.items = items
        self.i = 0
        self.lx = lexer

    def body(self, depth: int) -> tuple[tuple[Node, ...], Tag | None]:
        nodes: list[Node] = []
        while self.i < len(self.items):
            item = self.items[self.i]
            self.i += 1
            if isinstance(item, str):
                if item:
                    nodes.append(Text(item))
            elif isinstance(item, Strip):
                continue
            elif item.kind in ("close", "else"):
                return tuple(nodes), item
            elif item.kind == "var":
                assert item.call is not None
                nodes.append(Mustache(item.call))
            elif item.kind == "raw":
                assert item.call is not None
                nodes.append(Block(item.call, (), (Text(item.raw_body),) if item.raw_body else (), None))
            else:
                nodes.append(self.block(item, depth + 1))
        return tuple(nodes), None

    def block(self, tag: Tag, depth: int, name: str | None = None) -> Block:
        name = name or tag.name
        if depth > MAX_DEPTH:
            raise self._err("blocks nested too deeply", tag.loc)
        assert tag.call is not None
        body, end = self.body(depth)
        inverse: tuple[Node, ...] | None = None
        if end is not None and end.kind == "else":
            if end.call is not None:
                chained = self.block(end, depth + 1, name)
                return Block(tag.call, tag.block_params, body, (chained,), tag.kind == "inverted")
            inverse, end = self.body(depth)
            if end is not None and end.kind == "else":
                raise self._err("found a second '{{else}}' in one block", end.loc)
        if end is None:
            raise self._err(f"found '<EOF>', expected '{{{{/{name}}}}}' to close '{name}'", tag.loc)
        if end.name != name:
            raise self._err(f"found '{end.name}', expected '{name}'", end.loc)
        return Block(tag.call, tag.block_params, body, inverse, tag.kind == "inverted")

    def _err(self, message: str, loc: Loc) -> TemplateError:
        return TemplateError(message, Location(line=loc.line, column=loc.column))


def _strip_after_markers(items: list[str | Tag | Strip]) -> list[str | Tag | Strip]:
    for i, item in enumerate(items):
        if isinstance(item, Strip) and i + 1 < len(items) and isinstance(items[i + 1], str):
            items[i + 1] = str(items[i + 1]).lstrip(WS)
    return items


def parse(source: str, *, base: int = 0, full: str | None = None) -> tuple[Node, ...]:
    """Parse `source` (a slice of `full` starting at `base`, for error positions) into nodes."""
    lexer = Lexer(source, base, full if full is not None else source)
    items = _strip_after_markers(list(lexer.run()))
    builder = _TreeBuilder(items, lexer)
    nodes, end = builder.body(0)
    if end is not None:
        what = "{{else}}" if end.kind == "else" else f"{{{{/{end.name}}}}}"
        raise builder._err(f"found '{what}' without an open block", end.loc)
    return nodes


def split_optimized(source: str) -> tuple[str, str, str, int]:
    """WireMock's HandlebarsOptimizedTemplate: only the text from the first `{{` to the last `}}` is a
    template; what is before and after is served as is. Returns (prefix, template, suffix, offset)."""
    first = source.find("{{")
    if first < 0:
        return source, "", "", 0
    last = source.rfind("}}")
    if last < 0 or last < first:
        return source, "", "", 0
    end = last + 2
    return source[:first], source[first:end], source[end:], first
