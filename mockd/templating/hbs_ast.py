"""The Handlebars AST and Handlebars.java's path compiler (`a.b`, `a.[0]`, `a/b`, `../`, `this`, `@index`).

A path compiles to a PathSpec tuple `(flags, parents, *segments)`: flags LOCAL / PARENT_MODEL / DOT,
`parents` the number of `../`, segments strings (`@index` keeps its `@`) or int indexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MAX_DEPTH = 64
LOCAL = 1  # path flag: `this.x` / `./x` resolve in the current context only
PARENT_MODEL = 2  # path flag: `..` alone (the parent context's model)
DOT = 4  # path flag: `.` / `./` alone (unlike `this`, inside `as |x|` it is the block parameters)

PathSpec = tuple[Any, ...]  # (flags, parents, *segments); a segment is a str or an int index


@dataclass(frozen=True)
class Loc:
    line: int
    column: int


@dataclass(frozen=True)
class PathExpr:
    text: str
    spec: PathSpec

    @property
    def simple_name(self) -> str | None:
        """The name when this could be a helper: one plain segment, no `this`, `../`, `@` or brackets."""
        flags, parents, *segs = self.spec
        if flags or parents or len(segs) != 1 or not isinstance(segs[0], str):
            return None
        return self.text if self.text == segs[0] and not self.text.startswith("@") else None


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Call:
    head: PathExpr
    params: tuple[Param, ...]
    hash: tuple[tuple[str, Param], ...]
    loc: Loc


@dataclass(frozen=True)
class SubExpr:
    call: Call


Param = PathExpr | Literal | SubExpr


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Mustache:
    call: Call


@dataclass(frozen=True)
class Block:
    call: Call
    block_params: tuple[str, ...]
    body: tuple[Node, ...]
    inverse: tuple[Node, ...] | None
    inverted: bool = False


Node = Text | Mustache | Block


# -- paths ---------------------------------------------------------------------------------------

_PATH_PART = re.compile(r"(\[[^\[\]]+\])|(\.\./)|([^./]+)")


@lru_cache(maxsize=4096)
def parse_path(text: str) -> PathSpec:
    """Handlebars.java's PathCompiler: `this`, `.`, `..`, `../x`, `./x`, `a.b`, `a/b`, `a.[0]`, `@index`."""
    if text == "this":
        return (LOCAL, 0)
    if text in ("./", "."):
        return (LOCAL | DOT, 0)
    if text == "..":
        return (PARENT_MODEL, 1)
    if text.startswith("../"):
        flags, parents, *segs = parse_path(text[3:])
        return (flags & ~LOCAL, parents + 1, *segs)
    if text.startswith("./"):
        _, parents, *segs = parse_path(text[2:])
        return (LOCAL, parents, *segs)
    segments: list[str | int] = []
    flags = 0
    data = False
    for m in _PATH_PART.finditer(text):
        key = m.group(0)
        if key == "this":
            if not segments:
                flags |= LOCAL
            continue
        if key == "../":
            continue
        if key.startswith("@"):
            if len(key) == 1:
                data = True
            else:
                segments.append(key)
            continue
        if key.startswith("[") and key.endswith("]"):
            key = key[1:-1]
        if re.fullmatch(r"[+-]?\d{1,10}", key) and -(2**31) <= int(key) < 2**31:
            segments.append(int(key))
        else:
            segments.append("@" + key if data else key)
    return (flags, 0, *segments)
