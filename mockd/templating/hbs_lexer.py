"""The Handlebars lexer: text and `{{...}}` tags, `~` whitespace control, the inside of a tag.

`Lexer.run()` cuts a template into text and `Tag`s (applying `~` to the neighbouring text, as
Handlebars.java does on its token stream); `TagParser` reads `name param* key=value* [as |a b|]`
with Handlebars.java's token rules (QID, NUMBER, PATH, strings with `\\"` / `\\'` escapes).
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass

from mockd.errors import Location, TemplateError
from mockd.templating.hbs_ast import MAX_DEPTH, Call, Literal, Loc, Param, PathExpr, SubExpr, parse_path


@dataclass(frozen=True)
class Tag:
    kind: str  # var | open | inverted | close | else | raw
    call: Call | None
    block_params: tuple[str, ...]
    name: str
    loc: Loc
    raw_body: str = ""


WS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
_NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+")
_PATH_TOKEN = re.compile(r"\[[a-zA-Z0-9_$'/.:\-]+\]|[a-zA-Z0-9_$'/.:\-]+")
_DSTRING = re.compile(r'"((?:\\"|.)*?)"', re.S)
_SSTRING = re.compile(r"'((?:\\'|.)*?)'", re.S)
_KEYWORDS = types.MappingProxyType({"true": True, "false": False})


def _is_id_start(ch: str) -> bool:
    return (
        (
            ch.isascii()
            and (
                ch.isalpha()
                or ch in "_$@:"
                or "\x01" <= ch <= "\x08"
                or ch in "\x0b\x0c"
                or "\x0e" <= ch <= "\x1e"
            )
        )
        or "\u00c0" <= ch <= "\u00ff"
        or "\u0410" <= ch <= "\u044f"
    )


class Lexer:
    def __init__(self, source: str, base: int, full: str) -> None:
        self.s = source
        self.pos = 0
        self.base = base  # offset of `source` inside the full template, for error locations
        self.full = full
        self.items: list[str | Tag | Strip] = []

    # locations are reported against the full source, 1-based
    def loc(self, pos: int) -> Loc:
        absolute = self.base + pos
        line = self.full.count("\n", 0, absolute) + 1
        column = absolute - (self.full.rfind("\n", 0, absolute) + 1) + 1
        return Loc(line, column)

    def error(self, message: str, pos: int) -> TemplateError:
        loc = self.loc(pos)
        return TemplateError(message, Location(line=loc.line, column=loc.column))

    def run(self) -> list[str | Tag | Strip]:
        s = self.s
        while self.pos < len(s):
            start = self.pos
            nxt = s.find("{{", start)
            if nxt < 0:
                self._text(s[start:])
                break
            if nxt > start and s[nxt - 1] == "\\":
                end = s.find("}}", nxt + 2)
                inner = s.find("{{", nxt + 2)
                if end >= 0 and (inner < 0 or inner > end):
                    self._text(s[start : nxt - 1] + s[nxt : end + 2])
                    self.pos = end + 2
                    continue
            self._text(s[start:nxt])
            self.pos = nxt
            self._tag()
        return self.items

    def _text(self, text: str) -> None:
        if text:
            self.items.append(text)

    def _strip_left(self) -> None:
        if self.items and isinstance(self.items[-1], str):
            self.items[-1] = self.items[-1].rstrip(WS)

    def _tag(self) -> None:
        s, start = self.s, self.pos
        if s.startswith("{{!", start):
            close = "--}}" if s.startswith("{{!--", start) else "}}"
            end = s.find(close, start + 3)
            if end < 0:
                raise self.error("unterminated comment", start)
            comment = s[start : end + len(close)]
            if comment.find("~") > 0:
                self._strip_left()
            self.pos = end + len(close)
            if "~" in comment:
                self.items.append(Strip())
            return
        if s.startswith("{{{{", start):
            self._raw_block()
            return
        i = start + 2
        strip_left = False
        kind = "var"
        triple = False
        for prefix, k in (("{", "tvar"), ("&", "var"), ("#", "open"), ("^", "inverted"), ("/", "close")):
            if s.startswith(prefix, i) or s.startswith("~" + prefix, i):
                strip_left = s[i] == "~"
                i += 1 + strip_left
                kind = k if k != "tvar" else "var"
                triple = k == "tvar"
                break
        else:
            if s.startswith("~", i):
                strip_left = True
                i += 1
            if i < len(s) and s[i] in ">=":
                what = "partials" if s[i] == ">" else "delimiter changes"
                raise self.error(f"{what} are not supported", start)
        if kind == "open" and i < len(s) and s[i] in ">*":
            raise self.error("partial blocks and decorators are not supported", start)
        if strip_left:
            self._strip_left()
        p = TagParser(self, i)
        tag = p.tag(kind, start)
        end_token = "}}}" if triple else "}}"
        p.skip_ws()
        strip_right = False
        if s.startswith("~" + end_token, p.i):
            strip_right = True
            p.i += 1
        if not s.startswith(end_token, p.i):
            found = s[p.i : p.i + 10].split()[0] if s[p.i :].strip() else "<EOF>"
            raise self.error(f"found '{found}', expected '{end_token}'", p.i)
        self.pos = p.i + len(end_token)
        self.items.append(tag)
        if strip_right:
            self.items.append(Strip())

    def _raw_block(self) -> None:
        s, start = self.s, self.pos
        p = TagParser(self, start + 4)
        call = p.sexpr()
        p.skip_ws()
        if not s.startswith("}}}}", p.i):
            raise self.error("expected '}}}}'", p.i)
        name = call.head.text
        close = "{{{{/" + name + "}}}}"
        end = s.find(close, p.i + 4)
        if end < 0:
            raise self.error(f"unclosed raw block '{name}'", start)
        self.items.append(Tag("raw", call, (), name, self.loc(start), raw_body=s[p.i + 4 : end]))
        self.pos = end + len(close)


class Strip:
    """Marker left by `~}}`: strip the leading whitespace of the next text token."""


class TagParser:
    """Parses the inside of one `{{ ... }}`: `name param* key=value* [as |a b|]`."""

    def __init__(self, lexer: Lexer, pos: int) -> None:
        self.lx = lexer
        self.s = lexer.s
        self.i = pos
        self.depth = 0

    def skip_ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def at_end(self) -> bool:
        self.skip_ws()
        return self.s.startswith("}}", self.i) or self.s.startswith("~}}", self.i) or self.i >= len(self.s)

    def tag(self, kind: str, start: int) -> Tag:
        loc = self.lx.loc(start)
        if kind in ("var", "inverted"):
            self.skip_ws()
            if kind == "inverted" and self.at_end():
                return Tag("else", None, (), "", loc)
            if kind == "var" and self._keyword("else"):
                if self.at_end():
                    return Tag("else", None, (), "", loc)
                call = self.sexpr()
                return Tag("else", call, self.block_params(), "", loc)
        if kind == "close":
            self.skip_ws()
            name = self.qid()
            if name is None:
                raise self.lx.error("expected a block name", self.i)
            return Tag("close", None, (), name, loc)
        call = self.sexpr()
        params = self.block_params() if kind in ("open", "inverted") else ()
        return Tag(kind, call, params, call.head.text, loc)

    def _keyword(self, word: str) -> bool:
        s, i = self.s, self.i
        if s.startswith(word, i) and not self._continues(i + len(word)):
            self.i = i + len(word)
            return True
        return False

    def _continues(self, j: int) -> bool:
        return j < len(self.s) and (_is_id_start(self.s[j]) or self.s[j] in "0123456789./-[")

    def block_params(self) -> tuple[str, ...]:
        self.skip_ws()
        if not self._keyword("as"):
            return ()
        self.skip_ws()
        if not self.s.startswith("|", self.i):
            raise self.lx.error("expected '|' after 'as'", self.i)
        self.i += 1
        names: list[str] = []
        while True:
            self.skip_ws()
            if self.s.startswith("|", self.i):
                self.i += 1
                break
            name = self.qid()
            if name is None:
                raise self.lx.error("expected a block parameter name", self.i)
            names.append(name)
        if not names:
            raise self.lx.error("empty block parameters", self.i)
        return tuple(names)

    def sexpr(self) -> Call:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.lx.error("expressions nested too deeply", self.i)
        self.skip_ws()
        loc = self.lx.loc(self.i)
        head = self.qid()
        if head is None:
            raise self.lx.error(f"found '{self._found()}', expected a helper or path name", self.i)
        params: list[Param] = []
        hashes: list[tuple[str, Param]] = []
        while True:
            self.skip_ws()
            if self.at_end() or self.s.startswith(")", self.i) or self._peek_as():
                break
            save = self.i
            key = self.qid()
            if key is not None:
                self.skip_ws()
                if self.s.startswith("=", self.i):
                    self.i += 1
                    self.skip_ws()
                    hashes.append((key, self.param()))
                    continue
                self.i = save
            if hashes:
                raise self.lx.error(f"found '{self._found()}', expected 'key=value'", self.i)
            params.append(self.param())
        self.depth -= 1
        return Call(PathExpr(head, parse_path(head)), tuple(params), tuple(hashes), Loc(loc.line, loc.column))

    def _peek_as(self) -> bool:
        save = self.i
        if self._keyword("as"):
            self.skip_ws()
            ok = self.s.startswith("|", self.i)
            self.i = save
            return ok
        return False

    def _found(self) -> str:
        rest = self.s[self.i : self.i + 12]
        return rest.split()[0] if rest.strip() else "<EOF>"

    def param(self) -> Param:
        s, i = self.s, self.i
        if i >= len(s):
            raise self.lx.error("unexpected end of template", i)
        ch = s[i]
        if ch == "(":
            self.i += 1
            call = self.sexpr()
            self.skip_ws()
            if not s.startswith(")", self.i):
                raise self.lx.error(f"found '{self._found()}', expected ')'", self.i)
            self.i += 1
            return SubExpr(call)
        if ch in "\"'":
            m = (_DSTRING if ch == '"' else _SSTRING).match(s, i)
            if m is None:
                raise self.lx.error("unterminated string", i)
            self.i = m.end()
            return Literal(m.group(1).replace("\\" + ch, ch))
        number = _NUMBER.match(s, i)
        path_token = _PATH_TOKEN.match(s, i)
        qid_end = self._scan_qid(i)
        n_len = number.end() - i if number else 0
        q_len = qid_end - i if qid_end is not None else 0
        p_len = path_token.end() - i if path_token else 0
        if p_len > max(n_len, q_len):
            raise self.lx.error(f"found '{s[i : i + p_len]}', expected '}}}}'", i)
        if number and n_len >= q_len:
            self.i = number.end()
            text = number.group(0)
            if re.fullmatch(r"-?\d+", text) and -(2**31) <= int(text) < 2**31:
                return Literal(int(text))
            return Literal(float(text))
        name = self.qid()
        if name is None:
            raise self.lx.error(f"found '{self._found()}', expected a parameter", i)
        if name in _KEYWORDS:
            return Literal(_KEYWORDS[name])
        return PathExpr(name, parse_path(name))

    def qid(self) -> str | None:
        end = self._scan_qid(self.i)
        if end is None:
            return None
        text = self.s[self.i : end]
        self.i = end
        return text

    def _scan_qid(self, i: int) -> int | None:
        s = self.s
        start = i
        while s.startswith("../", i):
            i += 3
        if i == start and s.startswith("./", i):
            i += 2
        if s.startswith("..", i) and not s.startswith("../", i):
            return i + 2
        if s.startswith(".", i) and not s.startswith("./", i):
            return i + 1
        if i >= len(s):
            return None if i == start else i
        if s[i] == "[":
            i = self._scan_escape(i)
            if i < 0:
                return None
        elif _is_id_start(s[i]):
            i += 1
        else:
            return None
        while i < len(s):
            ch = s[i]
            if ch == "[" and s[i - 1] in "./-":
                j = self._scan_escape(i)
                if j < 0:
                    break
                i = j
            elif _is_id_start(ch) or ch in "0123456789./-":
                i += 1
            else:
                break
        return i

    def _scan_escape(self, i: int) -> int:
        j = i + 1
        while j < len(self.s):
            if self.s[j] == "\\" and self.s.startswith("]", j + 1):
                j += 2
                continue
            if self.s[j] == "]":
                return j + 1 if j > i + 1 else -1
            j += 1
        return -1
