"""URL patterns: url, urlPattern, urlPath, urlPathPattern, urlPathTemplate, or any URL.

`url`/`urlPattern` see the raw path plus the raw query; the path kinds see the raw path only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import unquote

from mockd.errors import InvalidInput, Location
from mockd.http import LoggedRequest
from mockd.matching.regex import compile_regex
from mockd.matching.result import EXACT, MatchResult, levenshtein_distance


class UrlKind(StrEnum):
    URL = "url"
    URL_PATTERN = "urlPattern"
    URL_PATH = "urlPath"
    URL_PATH_PATTERN = "urlPathPattern"
    URL_PATH_TEMPLATE = "urlPathTemplate"
    ANY = "any"


# Precedence when several URL fields are given (UrlPattern.fromOneOf).
URL_KEYS = (
    UrlKind.URL,
    UrlKind.URL_PATTERN,
    UrlKind.URL_PATH,
    UrlKind.URL_PATH_PATTERN,
    UrlKind.URL_PATH_TEMPLATE,
)

_TEMPLATE_VAR = re.compile(r"\{([^{}]*)\}|\*\*")


@dataclass(frozen=True)
class UrlPattern:
    kind: UrlKind
    value: str = ""
    regex: re.Pattern[str] | None = field(default=None, compare=False)
    variables: tuple[str, ...] = ()

    @staticmethod
    def parse(kind: UrlKind, value: object, pointer: str) -> UrlPattern:
        if not isinstance(value, str):
            raise InvalidInput(f"{kind.value} must be a string", Location(pointer=pointer))
        if kind in (UrlKind.URL_PATTERN, UrlKind.URL_PATH_PATTERN):
            try:
                return UrlPattern(kind, value, compile_regex(value))
            except InvalidInput as exc:
                raise exc.at(pointer) from None
        if kind is UrlKind.URL_PATH_TEMPLATE:
            regex, names = _compile_template(value, pointer)
            return UrlPattern(kind, value, regex, names)
        return UrlPattern(kind, value)

    @property
    def is_path_only(self) -> bool:
        return self.kind in (UrlKind.URL_PATH, UrlKind.URL_PATH_PATTERN, UrlKind.URL_PATH_TEMPLATE)

    def subject(self, req: LoggedRequest) -> str:
        return req.path if self.is_path_only else req.url

    def match(self, req: LoggedRequest) -> MatchResult:
        kind = self.kind
        if kind is UrlKind.ANY:
            return EXACT
        actual = self.subject(req)
        if kind in (UrlKind.URL, UrlKind.URL_PATH):
            if actual == self.value:
                return EXACT
            return MatchResult.partial(levenshtein_distance(self.value, actual))
        assert self.regex is not None
        return MatchResult.of(self.regex.fullmatch(actual) is not None)

    def path_params(self, req: LoggedRequest) -> dict[str, str]:
        """Variables of a urlPathTemplate, percent-decoded; {} for other kinds or no match."""
        if self.kind is not UrlKind.URL_PATH_TEMPLATE or self.regex is None:
            return {}
        m = self.regex.fullmatch(req.path)
        if m is None:
            return {}
        return {name: unquote(m.group(i + 1)) for i, name in enumerate(self.variables) if name}

    def to_json(self) -> dict[str, str]:
        return {} if self.kind is UrlKind.ANY else {self.kind.value: self.value}

    @property
    def hint(self) -> str:
        """Extra advice WireMock appends to the 404 report."""
        if self.kind is UrlKind.URL_PATTERN and re.search(r"(?<!\\)\?", self.value):
            return '. When using a regex, "?" should be "\\?"'
        if self.kind is not UrlKind.ANY and self.value and not self.value.startswith("/"):
            return ". URLs must start with a /"
        return ""


ANY_URL = UrlPattern(UrlKind.ANY)


def _compile_template(template: str, pointer: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    parts: list[str] = []
    names: list[str] = []
    pos = 0
    for m in _TEMPLATE_VAR.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        if m.group(0) == "**":
            parts.append("(.*?)")
            names.append("")
        else:
            name = re.sub(r"[.;*]", "", m.group(1))
            if not name:
                raise InvalidInput(
                    f"empty variable name in urlPathTemplate {template!r}", Location(pointer=pointer)
                )
            if name in names:
                raise InvalidInput(
                    f"variable {{{name}}} appears twice in urlPathTemplate {template!r}",
                    Location(pointer=pointer),
                )
            parts.append("([^/]+)")
            names.append(name)
        pos = m.end()
    tail = template[pos:]
    if "{" in tail or "}" in tail:
        raise InvalidInput(f"unbalanced braces in urlPathTemplate {template!r}", Location(pointer=pointer))
    parts.append(re.escape(tail))
    return compile_regex("".join(parts)), tuple(names)  # RE2: several `**` cannot backtrack
