"""Java-flavoured regexes as WireMock users write them, compiled once.

Every regex in mockd (matches, doesNotMatch, urlPattern, urlPathPattern, the regex helpers) goes through
`compile_regex`, so there is exactly one place that decides the engine and its limits.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mockd.errors import InvalidInput, Location

_JAVA_ONLY = [
    # Java's possessive quantifiers and atomic groups exist in Python >= 3.11 too; \p{Alpha}-style
    # POSIX classes do not: translate the common ones.
    (r"\p{Alpha}", "[A-Za-z]"),
    (r"\p{Digit}", "[0-9]"),
    (r"\p{Alnum}", "[A-Za-z0-9]"),
    (r"\p{Upper}", "[A-Z]"),
    (r"\p{Lower}", "[a-z]"),
    (r"\p{Punct}", r"[!-/:-@\[-`{-~]"),
    (r"\p{Space}", r"\s"),
    (r"\p{XDigit}", "[0-9A-Fa-f]"),
    (r"\p{L}", r"[^\W\d_]"),
    (r"\p{N}", r"\d"),
]


def _translate(pattern: str) -> str:
    for java, py in _JAVA_ONLY:
        if java in pattern:
            pattern = pattern.replace(java, py)
    # Java allows named groups as (?<name>...); Python wants (?P<name>...).
    return re.sub(r"\(\?<([A-Za-z][A-Za-z0-9]*)>", r"(?P<\1>", pattern)


@lru_cache(maxsize=4096)
def compile_regex(pattern: str, dotall: bool = True) -> re.Pattern[str]:
    """Compile a WireMock regex; raises InvalidInput (WireMock answers 422) when it does not compile."""
    try:
        return re.compile(_translate(pattern), re.DOTALL if dotall else 0)
    except (re.error, RecursionError, OverflowError) as exc:
        raise InvalidInput(f"{exc} in regex {pattern!r}", Location()) from exc


def full_match(regex: re.Pattern[str], value: str) -> bool:
    return regex.fullmatch(value) is not None
