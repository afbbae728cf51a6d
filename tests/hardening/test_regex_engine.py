"""compile_regex: Java syntax on RE2 (linear time), a budgeted fallback, and re.Pattern's interface."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.errors import InvalidInput
from mockd.matching import regex as regex_module
from mockd.matching.regex import SafeRegex, compile_regex

CASES = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "cases"


def engine(pattern: str) -> str:
    compiled = compile_regex(pattern)
    assert isinstance(compiled, SafeRegex)
    return compiled.engine


# -- Java syntax as WireMock users write it ---------------------------------------------------------

JAVA_CORPUS: list[tuple[str, list[str], list[str]]] = [
    # pattern, whole-value matches, whole-value non-matches
    (r"/api/v[12]/.*", ["/api/v1/users", "/api/v2/"], ["/api/v3/x", "/api/v1"]),
    (r"/users/[0-9]+", ["/users/42"], ["/users/", "/users/4a"]),
    (r"/find\?id=[a-z]+", ["/find?id=abc"], ["/find?id=ABC", "/findxid=abc"]),
    (r"/users/\d+/orders/\w+", ["/users/1/orders/a_1"], ["/users/x/orders/a"]),
    (r"[^@]+@corp\.example", ["ann@corp.example"], ["ann@corpXexample", "@corp.example"]),
    (r"(?i)application/json.*", ["Application/JSON; charset=utf-8"], ["text/json"]),
    (r"application/.*json.*", ["application/vnd.api+json"], ["text/plain"]),
    (r"tok-[a-f0-9]{6}", ["tok-00beef"], ["tok-00BEEF", "tok-0beef"]),
    (r"\p{Alpha}+", ["Hello"], ["Hello1", "héllo"]),
    (r"\p{Digit}{3}-\p{Upper}\p{Lower}+", ["123-Abc"], ["123-abc"]),
    (r"[\p{Alnum}_-]+", ["a_b-1"], ["a b"]),
    (r"\P{Digit}+", ["abc"], ["ab1"]),
    (r"\p{Punct}", ["!", "~"], ["a"]),
    (r"\p{XDigit}+", ["00fF"], ["0g"]),
    (r"\p{L}+", ["café", "Δέλτα"], ["a1"]),
    (r"\p{Lu}\p{Ll}+", ["Élan"], ["élan"]),
    (r"\p{IsLatin}+", ["café"], ["Δ"]),
    (r"\p{javaLowerCase}+", ["abc"], ["aBc"]),
    (r"(?<year>\d{4})-(?<month>\d{2})-\d{2}", ["2024-01-31"], ["24-01-31"]),
    (r"\QA.B*\E", ["A.B*"], ["AxB*", "A.BB"]),
    (r"caf\u00e9", ["café"], ["cafe"]),
    (r"\x{1F600}|\uD83D\uDE00", ["😀"], ["x"]),
    (r"a\Z", ["a"], ["a\n"]),
    (r"\Aab\z", ["ab"], ["ab\n"]),
    (r"\d+", ["123"], ["١٢٣"]),  # Java's \d is ASCII
    (r"\w+", ["abc_1"], ["café"]),  # and so is \w
    (r"\s+", [" \t\r\n"], ["\u00a0"]),
    (r"\h+", [" \t\u00a0"], ["\n"]),
    (r"a\Rb", ["a\r\nb", "a\nb"], ["ab"]),
    (r"\e\cA", ["\x1b\x01"], ["e"]),
    (r"\0101", ["A"], ["0101"]),
    (r"[a-z[0-9]]+", ["a1z9"], ["A"]),  # Java's class union
    (r"a(?i)b", ["aB", "ab"], ["AB"]),  # Java applies a mid-pattern flag from there on
    (r"(?u)abc", ["abc"], ["ABC"]),
    (r"BEGIN.*END", ["BEGIN\nbody\nEND"], ["BEGIN\nbody\nEND\n"]),
    (r".*@spam\..*", ["x@spam.com"], ["x@spam"]),
    (r"\s*", ["", "  "], ["x"]),
    # RE2 cannot run these: they take the budgeted fallback and still behave as in Java
    (r"/api/(?!health).*", ["/api/users"], ["/api/health", "/api/healthz"]),
    (r"(?<=a)b|c", ["c"], ["b"]),
    (r"(a)\1", ["aa"], ["ab"]),
    (r"(?<n>a)\k<n>", ["aa"], ["ab"]),
    (r"a++b", ["aab"], ["a"]),
    (r"(?>a+)b", ["aab"], ["aa"]),
    (r"(?x) a  b  # a comment", ["ab"], ["a b"]),
    (r"\d+(?=px)px", ["12px"], ["12em"]),
]


@pytest.mark.parametrize(("pattern", "good", "bad"), JAVA_CORPUS)
def test_java_syntax_as_wiremock_users_write_it(pattern: str, good: list[str], bad: list[str]) -> None:
    compiled = compile_regex(pattern)
    for text in good:
        assert compiled.fullmatch(text) is not None, (pattern, text)
    for text in bad:
        assert compiled.fullmatch(text) is None, (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"/api/.*", "re2"),
        (r"\p{Alpha}+", "re2"),
        (r"(?<n>\d+)", "re2"),
        (r"(?i)x", "re2"),
        (r"(a+)+$", "re2"),
        (r"(?=a)a", "backtracking"),
        (r"(a)\1", "backtracking"),
        (r"a*+", "backtracking"),
    ],
)
def test_the_engine_is_re2_whenever_it_can_be(pattern: str, expected: str) -> None:
    assert engine(pattern) == expected


def _conformance_regexes() -> list[str]:
    found: set[str] = set()

    def walk(value: Any, key: str | None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("matches", "doesNotMatch", "urlPattern", "urlPathPattern"):
            found.add(value)

    for path in sorted(CASES.glob("**/*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), None)
    return sorted(found)


@pytest.mark.skipif(not CASES.is_dir(), reason="shared/conformance is not beside the checkout")
def test_every_conformance_regex_runs_on_re2_and_reads_as_python_re_did() -> None:
    patterns = _conformance_regexes()
    assert len(patterns) > 20
    samples = ["", "/api/v1/x", "abc", "ABC", "a@spam.com", "/users/12", "BEGIN\nx\nEND", "BEGIN x END\n"]
    samples += ["tok-abcdef", "12", "12345", "application/json", "/find?id=abc", " \t", "sale-12", "x\n"]
    for pattern in patterns:
        assert engine(pattern) == "re2", pattern
        old = re.compile(pattern, re.DOTALL)
        new = compile_regex(pattern)
        for text in samples:
            assert (old.fullmatch(text) is None) == (new.fullmatch(text) is None), (pattern, text)


# -- the same answers as a backtracking engine, on the syntax both share ----------------------------

_ATOMS = st.sampled_from(["a", "b", "-", "/", r"\.", ".", "[ab]", "[^a]", r"\d", r"\w", r"\s", r"\b", "1"])


def _pattern() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        quantified = st.tuples(inner, st.sampled_from(["*", "+", "?", "{1,3}", "*?", "+?", "{2}"])).map(
            lambda t: f"(?:{t[0]}){t[1]}"
        )
        return st.one_of(
            st.lists(inner, min_size=2, max_size=4).map("".join),
            st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
            inner.map(lambda s: f"({s})"),
            quantified,
        )

    body = st.recursive(_ATOMS, extend, max_leaves=8)
    return st.tuples(st.sampled_from(["", "^"]), body, st.sampled_from(["", "$"])).map("".join)


def _captures_under_repeat(pattern: str) -> bool:
    """Does a capturing group sit inside a group that a quantifier repeats?"""
    stack: list[bool] = []  # per open group: does it contain a capture?
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            capturing = not pattern.startswith("(?", i)
            if capturing and stack:
                stack[-1] = True
            stack.append(False)
        elif c == ")" and stack:
            has_capture = stack.pop()
            if has_capture and pattern[i + 1 : i + 2] in ("*", "+", "?", "{"):
                return True
            if has_capture and stack:
                stack[-1] = True
        i += 1
    return False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=_pattern(), text=st.text(alphabet="ab1-/. \n", max_size=12), dotall=st.booleans())
def test_re2_answers_like_a_backtracking_engine(pattern: str, text: str, dotall: bool) -> None:
    old = re.compile(pattern, re.DOTALL if dotall else 0)
    new = compile_regex(pattern, dotall)
    for op in ("fullmatch", "match", "search"):
        a, b = getattr(old, op)(text), getattr(new, op)(text)
        assert (a is None) == (b is None), (op, pattern, text)
        if a is not None:
            assert a.span() == b.span(), (op, pattern, text)
            # A capture inside a repeated group keeps different values for an empty last iteration in
            # RE2 and in backtracking engines (Java differs from both); compare groups elsewhere.
            if not _captures_under_repeat(pattern):
                assert a.groups() == b.groups(), (op, pattern, text)
    assert [m.span() for m in old.finditer(text)] == [m.span() for m in new.finditer(text)]


# -- it cannot hang --------------------------------------------------------------------------------

EVIL = [
    "(a+)+$",
    "((a+)+)+$",
    "(a|a)+$",
    "(a|aa)+$",
    "(\\w+\\s?)+$",
    "(.*a){20}",
    "(a*)*b",
    "^(([a-z])+.)+[A-Z]([a-z])+$",
]


@pytest.mark.parametrize("pattern", EVIL)
def test_catastrophic_patterns_answer_in_linear_time(pattern: str) -> None:
    text = "a" * 50_000 + "!"
    compiled = compile_regex(pattern)
    started = time.monotonic()
    compiled.fullmatch(text)
    compiled.search(text)
    list(compiled.finditer(text))
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("pattern", [r"(a|aa)+\1$", r"(?=(a+)+$)(a+)+!", r"((a+)+)(?<=a)\d$"])
def test_the_fallback_gives_up_after_its_budget(pattern: str, caplog: pytest.LogCaptureFixture) -> None:
    compile_regex.cache_clear()  # a fresh pattern object: it logs its first timeout
    compiled = compile_regex(pattern)
    assert isinstance(compiled, SafeRegex) and compiled.engine == "backtracking"
    text = "a" * 50_000 + "?"
    with caplog.at_level(logging.WARNING, logger="mockd"):
        started = time.monotonic()
        assert compiled.fullmatch(text) is None
        assert compiled.search(text) is None
        assert list(compiled.finditer(text)) == []
        elapsed = time.monotonic() - started
    assert elapsed < 3 * regex_module.BACKTRACK_BUDGET_S + 0.5
    budget_lines = [r for r in caplog.records if "budget" in r.getMessage()]
    assert len(budget_lines) == 1  # logged once per pattern


def test_a_dollar_before_a_final_newline_reads_as_java_without_backtracking_forever() -> None:
    # Java (and Python) let `$` match before a final "\n"; RE2 does not, so such texts take the
    # budgeted engine, which still cannot hang.
    assert compile_regex("a$").search("xa\n") is not None
    assert compile_regex("a$").fullmatch("a\n") is None
    started = time.monotonic()
    assert compile_regex("(a+)+$").search("a" * 50_000 + "!\n") is None
    assert time.monotonic() - started < 1.0


def test_texts_with_lone_surrogates_still_match() -> None:
    assert compile_regex("a.c").fullmatch("a\ud800c") is not None  # JSON "\ud800" decodes to this


# -- re.Pattern's interface, as the matchers and template helpers use it ---------------------------


@pytest.mark.parametrize("pattern", [r"(?<word>[a-z]+)-(\d+)", r"(?<word>[a-z]+)-(\d+)(?=\s|$)"])
def test_the_pattern_interface(pattern: str) -> None:
    compiled = compile_regex(pattern, dotall=False)
    assert compiled.pattern == pattern
    assert compiled.groups == 2
    assert compiled.groupindex == {"word": 1}
    text = "ab-12 cd-34"
    m = compiled.search(text)
    assert m is not None
    assert (m.group(0), m.group(1), m.group("word"), m.groups(), m.span(), m.start(2), m.end(2)) == (
        "ab-12", "ab", "ab", ("ab", "12"), (0, 5), 3, 5,
    )  # fmt: skip
    assert m.groupdict() == {"word": "ab"}
    assert compiled.match("zz ab-1") is None
    assert compiled.fullmatch("ab-12") is not None
    assert [x.group(0) for x in compiled.finditer(text)] == ["ab-12", "cd-34"]
    assert compiled.findall(text) == [("ab", "12"), ("cd", "34")]
    assert compiled.sub(r"\2:\g<word>", text) == "12:ab 34:cd"
    assert compiled.sub(lambda x: x.group(1).upper(), text) == "AB CD"
    assert compiled.sub("*", text, count=1) == "* cd-34"
    assert compile_regex("é+").findall("aéé éb") == ["éé", "é"]


def test_dotall_is_the_default_and_can_be_turned_off() -> None:
    assert compile_regex("a.b").fullmatch("a\nb") is not None
    assert compile_regex("a.b", dotall=False).fullmatch("a\nb") is None
    assert compile_regex("(?s)a.b", dotall=False).fullmatch("a\nb") is not None


@pytest.mark.parametrize(
    "pattern", ["(", "[a-", "*a", "a{2,1}", "\\", r"\k<nope>", r"\p{NoSuchClass}", "(?<n>a"]
)
def test_invalid_patterns_raise_invalid_input_naming_the_pattern(pattern: str) -> None:
    with pytest.raises(InvalidInput) as info:
        compile_regex(pattern)
    assert repr(pattern) in info.value.detail


@pytest.mark.parametrize(
    "pattern", ["((((a{100}){100}){100}){100})", "(?=x)((a{100}){100}){100}", "(a{1000}){1000}"]
)
def test_patterns_that_would_unroll_to_gigabytes_are_refused(pattern: str) -> None:
    # RE2 refuses them, and the backtracking engine would unroll them while compiling (out of memory)
    with pytest.raises(InvalidInput, match="repetitions too large"):
        compile_regex(pattern)


def test_counts_above_re2s_limit_still_work() -> None:
    compiled = compile_regex(r"[a-z]{1,5000}")
    assert compiled.fullmatch("a" * 5000) is not None
    assert compiled.fullmatch("a" * 5001) is None


def test_compiled_patterns_are_cached() -> None:
    assert compile_regex("/cached/.*") is compile_regex("/cached/.*")
