"""Java regex syntax, as WireMock users write it, rewritten for the two engines mockd runs.

`translate(pattern)` returns one text for RE2 (linear time; see `mockd.matching.regex`) and one for the
backtracking fallback (the `regex` module, V0 syntax), plus what the caller must know to pick between
them. What is rewritten:

- `\\p{Alpha}`, `\\p{Digit}` ... (Java's ASCII POSIX classes) → `[[:alpha:]]` ...; `\\p{L}`, `\\p{IsLu}`,
  `\\p{IsLatin}`, `\\p{javaLowerCase}` → Unicode categories and scripts; negations `\\P{...}`; inside
  character classes too.
- `(?<name>...)` → `(?P<name>...)`; `\\k<name>` → `(?P=name)` (backtracking only).
- `\\Q...\\E`, `\\uXXXX` (surrogate pairs joined), `\\x{...}`, `\\0ooo`, `\\e`, `\\cX` → literal characters.
- `\\z` and `\\Z` → the end of the text (mockd has always read Java's `\\Z` as the very end).
- `\\h`, `\\H`, `\\v`, `\\V`, `\\R` → Java's classes; `\\d \\w \\s \\b` stay ASCII-only as in Java (RE2's are;
  the fallback gets `(?a:...)`).
- inline flags: `i m s` kept, Java's `u U d` dropped, `x` (comments) only for the fallback.
- a union of classes `[a-z[0-9]]` → `[a-z0-9]`; a nested class we cannot flatten and `&&` stay literal,
  as `re` read them before.

Lookarounds, backreferences, possessive quantifiers and atomic groups are passed through unchanged:
RE2 refuses them, which is how the caller learns that the pattern needs the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Translation", "repetition_cost", "translate"]


@dataclass(frozen=True)
class Translation:
    re2: str | None  # None: RE2 cannot run it (\k<name>, (?x) ...), go straight to the fallback
    fallback: str
    dollar: bool  # a bare `$`: RE2 reads it as \z, Java and Python also match before a final "\n"
    dollar_inside: bool  # a bare `$` followed by more than closing parentheses (fullmatch differs too)


_POSIX = {
    name: name.lower()
    for name in (
        "Lower", "Upper", "ASCII", "Alpha", "Digit", "Alnum", "Punct", "Graph", "Print", "Blank",
        "Cntrl", "XDigit", "Space",
    )
}  # fmt: skip
_CATEGORIES = {
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps",
    "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co",
}  # fmt: skip
_ALIASES = {
    "IsAlphabetic": "L",
    "IsLetter": "L",
    "IsDigit": "Nd",
    "IsUppercase": "Lu",
    "IsLowercase": "Ll",
    "IsPunctuation": "P",
    "IsControl": "Cc",
    "javaLowerCase": "Ll",
    "javaUpperCase": "Lu",
    "javaTitleCase": "Lt",
    "javaDigit": "Nd",
    "javaLetter": "L",
}
_LETTER_OR_DIGIT = ("javaLetterOrDigit", "IsLetterOrDigit")
_H_CODES = (0x20, 0x09, 0xA0, 0x1680, 0x180E, (0x2000, 0x200A), 0x202F, 0x205F, 0x3000)
_V_CODES = (0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029)
_ASCII_IN_CLASS = {"d": "0-9", "w": "A-Za-z0-9_", "s": " \\t\\n\\x0b\\f\\r"}
_FLAG_GROUP = re.compile(r"\(\?([idmsuxU]*(?:-[idmsuxU]*)?)([:)])")
_HEX = re.compile(r"[0-9A-Fa-f]{4}")


def _codes(codes: tuple[int | tuple[int, int], ...], hexed: Callable[[int], str]) -> str:
    return "".join(hexed(c) if isinstance(c, int) else f"{hexed(c[0])}-{hexed(c[1])}" for c in codes)


def _fb_hex(code: int) -> str:
    return f"\\U{code:08x}"


def _re2_hex(code: int) -> str:
    return f"\\x{{{code:x}}}"


class _Writer:
    """Accumulates both outputs while walking the Java pattern once."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.a: list[str] = []  # RE2
        self.b: list[str] = []  # fallback
        self.re2_ok = True
        self.dollar = False
        self.dollar_inside = False

    def both(self, text: str) -> None:
        self.a.append(text)
        self.b.append(text)

    def each(self, re2: str, fallback: str) -> None:
        self.a.append(re2)
        self.b.append(fallback)

    def literal(self, ch: str) -> None:
        code = ord(ch)
        if ch.isalnum() and code < 128:
            self.both(ch)
        elif code < 128 or 0xD800 <= code <= 0xDFFF:
            self.each(_re2_hex(code) if code >= 128 else f"\\x{code:02x}", _fb_hex(code))
        else:
            self.each(_re2_hex(code), _fb_hex(code))


def translate(pattern: str) -> Translation:
    w = _Writer(pattern)
    _walk(w)
    return Translation("".join(w.a) if w.re2_ok else None, "".join(w.b), w.dollar, w.dollar_inside)


def _walk(w: _Writer) -> None:
    p = w.p
    while w.i < len(p):
        c = p[w.i]
        if c == "\\":
            _escape(w, in_class=False)
        elif c == "[":
            _char_class(w)
        elif c == "(":
            _group_open(w)
        else:
            if c == "$":
                w.dollar = True
                w.dollar_inside = w.dollar_inside or bool(p[w.i + 1 :].strip(")"))
            w.both(c)
            w.i += 1


def _group_open(w: _Writer) -> None:
    p, i = w.p, w.i
    if p.startswith("(?<", i) and i + 3 < len(p) and p[i + 3] not in "=!":
        w.both("(?P<")
        w.i += 3
        return
    m = _FLAG_GROUP.match(p, i)
    if m is None:
        w.both("(")
        w.i += 1
        return
    flags, end = m.group(1), m.group(2)
    if "x" in flags.partition("-")[0]:
        w.re2_ok = False  # comment mode: only the fallback understands it
    re2_flags = _keep(flags, "ims")
    fb_flags = _keep(flags, "imsx")
    w.each(_flag_group(re2_flags, end), _flag_group(fb_flags, end))
    w.i = m.end()


def _keep(flags: str, allowed: str) -> str:
    on, sep, off = flags.partition("-")
    on = "".join(f for f in on if f in allowed)
    off = "".join(f for f in off if f in allowed)
    return on + ("-" + off if sep and off else "")


def _flag_group(flags: str, end: str) -> str:
    if not flags:
        return "(?:" if end == ":" else ""
    return f"(?{flags}{end}"


def _char_class(w: _Writer) -> None:
    p = w.p
    w.both("[")
    w.i += 1
    negated = p.startswith("^", w.i)
    if negated:
        w.both("^")
        w.i += 1
    if p.startswith("]", w.i):
        w.both("\\]")
        w.i += 1
    depth = 0
    while w.i < len(p):
        c = p[w.i]
        if c == "\\":
            _escape(w, in_class=True)
        elif c == "[":
            if p.startswith("[:", w.i):
                end = p.find(":]", w.i + 2)
                stop = len(p) if end < 0 else end + 2
                w.both(p[w.i : stop])
                w.i = stop
            elif negated or p.startswith("[^", w.i):
                w.both("\\[")  # Java's nested negation: kept literal, as `re` read it
                w.i += 1
            else:
                depth += 1  # a union: flatten it
                w.i += 1
        elif c == "]":
            w.i += 1
            if depth == 0:
                w.both("]")
                return
            depth -= 1
        elif c == "&" and p.startswith("&&", w.i):
            w.both("\\&\\&")
            w.i += 2
        else:
            w.both(c)
            w.i += 1


def _escape(w: _Writer, *, in_class: bool) -> None:
    p, i = w.p, w.i
    if i + 1 >= len(p):
        w.both("\\")  # a trailing backslash: both engines refuse it
        w.i += 1
        return
    c = p[i + 1]
    w.i = i + 2
    if c == "Q":
        end = p.find("\\E", w.i)
        text = p[w.i :] if end < 0 else p[w.i : end]
        for ch in text:
            w.literal(ch)
        w.i = len(p) if end < 0 else end + 2
    elif c in "pP":
        _property(w, negated=c == "P", in_class=in_class)
    elif c in "zZ" and not in_class:
        w.each("\\z", "\\Z")
    elif c == "u" and _HEX.fullmatch(p, w.i, w.i + 4):
        code = int(p[w.i : w.i + 4], 16)
        w.i += 4
        if 0xD800 <= code < 0xDC00 and p.startswith("\\u", w.i) and _HEX.fullmatch(p, w.i + 2, w.i + 6):
            low = int(p[w.i + 2 : w.i + 6], 16)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                w.i += 6
        w.literal(chr(code))
    elif c == "x" and p.startswith("{", w.i):
        end = p.find("}", w.i)
        digits = p[w.i + 1 : end] if end > 0 else ""
        if end < 0 or not re.fullmatch(r"[0-9A-Fa-f]{1,6}", digits) or int(digits, 16) > 0x10FFFF:
            w.both("\\x{")  # refused by both engines
            w.i += 1
            return
        w.literal(chr(int(digits, 16)))
        w.i = end + 1
    elif c == "e":
        w.literal("\x1b")
    elif c == "c" and w.i < len(p):
        w.literal(chr(ord(p[w.i]) ^ 64))
        w.i += 1
    elif c == "0":
        m = re.match(r"[0-3]?[0-7]{1,2}", p[w.i : w.i + 3])
        if m is None:
            w.both("\\0")
            return
        w.literal(chr(int(m.group(0), 8)))
        w.i += m.end()
    elif c == "k" and p.startswith("<", w.i) and not in_class:
        end = p.find(">", w.i)
        name = p[w.i + 1 : end] if end > 0 else ""
        w.re2_ok = False
        w.b.append(f"(?P={name})" if name else "\\k")
        w.a.append("")
        w.i = end + 1 if end > 0 else w.i
    elif c in "123456789" and not in_class:
        w.re2_ok = False  # a backreference
        w.b.append("\\" + c)
        w.a.append("")
    elif c in "hv" or (c in "HVR" and not in_class):
        codes = _H_CODES if c in "hH" else _V_CODES
        re2, fb = _codes(codes, _re2_hex), _codes(codes, _fb_hex)
        if c == "R":
            w.each(f"(?:\\r\\n|[{re2}])", f"(?:\\r\\n|[{fb}])")
        elif in_class:
            w.each(re2, fb)
        else:
            neg = "^" if c in "HV" else ""
            w.each(f"[{neg}{re2}]", f"[{neg}{fb}]")
    elif c in "dwsDWSbB":
        if in_class and c in _ASCII_IN_CLASS:
            w.each("\\" + c, _ASCII_IN_CLASS[c])
        elif in_class:
            w.both("\\" + c)  # \b in a class is a backspace for Python, an error for RE2 and Java
        else:
            w.each("\\" + c, f"(?a:\\{c})")
    elif c.isalnum() or c == "_":
        w.both("\\" + c)  # \t \n \A \G ...: each engine judges
    else:
        w.literal(c)


def _property(w: _Writer, *, negated: bool, in_class: bool) -> None:
    p = w.p
    if p.startswith("{", w.i):
        end = p.find("}", w.i)
        if end < 0:
            w.both("\\p{")
            w.i += 1
            return
        name = p[w.i + 1 : end]
        w.i = end + 1
    elif w.i < len(p):
        name = p[w.i]
        w.i += 1
    else:
        w.both("\\p")
        return
    name = _ALIASES.get(name, name)
    for prefix in ("general_category=", "gc=", "script=", "sc=", "Is"):
        if name.startswith(prefix) and len(name) > len(prefix) and name not in _POSIX:
            name = _ALIASES.get(name[len(prefix) :], name[len(prefix) :])
            break
    if name in _POSIX:
        posix = ("^" if negated else "") + _POSIX[name]
        w.both(f"[:{posix}:]" if in_class else f"[[:{posix}:]]")
    elif name in _LETTER_OR_DIGIT:
        inner = "\\p{L}\\p{Nd}"
        if negated:
            w.both(f"[^{inner}]" if not in_class else "\\P{L}")  # inside a class: approximate
        else:
            w.both(inner if in_class else f"[{inner}]")
    else:
        w.both(("\\P" if negated else "\\p") + "{" + name + "}")


_COUNT = re.compile(r"\{(\d+)(?:,(\d*))?\}")


def repetition_cost(text: str) -> int:
    """An upper bound of the pattern's size once counted repetitions are unrolled, as backtracking
    engines do when they compile: `((a{100}){100}){100}` costs 10**6 (and would take GBs to compile)."""
    stack: list[list[int]] = [[0, 0]]  # per open group: [total, cost of the last item]
    i = 0
    while i < len(text):
        c = text[i]
        seq = stack[-1]
        if c == "\\":
            i += 2
            seq[0] += 1
            seq[1] = 1
            continue
        if c == "[":
            j = i + 1
            while j < len(text) and (text[j] != "]" or j == i + 1):
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            seq[0] += 1
            seq[1] = 1
            continue
        if c == "(":
            stack.append([0, 0])
        elif c == ")" and len(stack) > 1:
            inner = max(1, stack.pop()[0])
            stack[-1][0] += inner
            stack[-1][1] = inner
        elif c == "{" and (m := _COUNT.match(text, i)) is not None:
            low, high = int(m.group(1)), m.group(2)
            times = max(low, int(high)) if high else low
            seq[0] += seq[1] * (max(times, 1) - 1)
            seq[1] *= max(times, 1)
            i = m.end()
            continue
        elif c not in "|*+?":
            seq[0] += 1
            seq[1] = 1
        i += 1
    while len(stack) > 1:
        inner = stack.pop()[0]
        stack[-1][0] += inner
    return stack[0][0]
