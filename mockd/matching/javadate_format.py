"""Java date patterns, the pattern language: compiling a pattern, formatting with it, zones and offsets.

Two Java classes read these patterns, and WireMock users meet both, so a compiled pattern carries its
`Style`:

- `Style.FORMATTER` is `java.time.format.DateTimeFormatter.ofPattern(pattern, Locale.US)`: what
  `actualFormat` (date matchers), XMLUnit's `${xmlunit.isDateTime(pattern)}`, `parseDate format=` and
  `dateFormat` use. `S` is a fraction of the second, `u` the year, `[...]` an optional section, `{}#`
  are reserved, letter counts are checked (`ddd` is an error), text fields have a narrow form (5
  letters: `MMMMM` is `M`), `z` prints an offset zone as its id (`+05:30`).
- `Style.SIMPLE` is `java.text.SimpleDateFormat`: what `now format=` and `date format=` use. `S` is
  milliseconds, `u` the day number (Monday 1), `[`, `]`, `{`, `}` and `#` are text, letter counts are
  not checked, 4 or more letters is the full text, `Z` is always `+0000`, `z` prints an offset zone
  as `GMT+05:30`. Formatting only. (It accepts the DateTimeFormatter letters mockd has always
  accepted here, `e Q q n A N O V x`, with their DateTimeFormatter meaning.)

Both are English and take the JVM default zone to be UTC. `mockd.matching.javadate` builds on this
module: it adds the parser and is what callers import.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from enum import Enum
from functools import lru_cache

__all__ = [
    "DAYS",
    "MONTHS",
    "Field",
    "Item",
    "Literal",
    "Section",
    "Style",
    "compile_items",
    "fixed_offset",
    "format_items",
    "zone_from_name",
    "zone_of",
]

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Style(Enum):
    """The Java class a pattern is written for (see the module docstring)."""

    FORMATTER = "DateTimeFormatter"
    SIMPLE = "SimpleDateFormat"


_FORMATTER_LETTERS = frozenset("GuyDMLdQqYwWEecFahKkHmsSAnNVvzOXxZgB")  # what DateTimeFormatter knows
_FORMATTER_SUPPORTED = _FORMATTER_LETTERS - frozenset("gvB")
_SIMPLE_LETTERS = frozenset("GyYuMLdDEFwWaHkKhmsSzZXxVOnANQqe")
_MAX_COUNT = {"d": 2, "H": 2, "h": 2, "K": 2, "k": 2, "m": 2, "s": 2, "w": 2, "D": 3, "a": 1, "F": 1, "W": 1}
_MAX_COUNT |= dict.fromkeys("GMLQqEecXxZ", 5) | dict.fromkeys("zO", 4) | {"S": 9}

# -- zones -------------------------------------------------------------------------------------------

# Zone abbreviations Java understands for `z` (US locale), as fixed offsets in minutes.
_ZONE_ABBREVIATIONS: dict[str, int] = {
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "WET": 0, "BST": 60, "CET": 60, "CEST": 120, "MET": 60,
    "MEST": 120, "EET": 120, "EEST": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "JST": 540, "KST": 540, "IST": 330, "AEST": 600, "AEDT": 660, "ACST": 570, "AWST": 480,
    "NZST": 720, "NZDT": 780, "MSK": 180,
}  # fmt: skip
_OFFSET_NAME = re.compile(r"(?:GMT|UTC|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?")
_OFFSET_ID = re.compile(r"(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?")
_REGION_ID = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*")


def fixed_offset(sign: str, hours: str, minutes: str | None, seconds: str | None = None) -> tzinfo | None:
    """A fixed offset from its parts (UTC itself for zero), or None past Java's ±18:00."""
    if int(hours) > 18 or int(minutes or 0) > 59 or int(seconds or 0) > 59:
        return None
    total = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    if total == 0:
        return UTC
    return timezone(timedelta(seconds=-total if sign == "-" else total))


@lru_cache(maxsize=256)
def _region(name: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo  # on first use: most stubs never name a region

    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # KeyError: ZoneInfoNotFoundError
        return None


def zone_from_name(name: str) -> tzinfo | None:
    """A zone as a date-time text names it (`z`, `V`): an abbreviation (`GMT`, `PST`), an offset id
    (`+02:00`, `GMT+2`) or a region id (`Europe/Paris`, `Japan`); None when it is none of them."""
    if name in _ZONE_ABBREVIATIONS:
        minutes = _ZONE_ABBREVIATIONS[name]
        return UTC if minutes == 0 else timezone(timedelta(minutes=minutes), name)
    m = _OFFSET_NAME.fullmatch(name)
    if m:
        return fixed_offset(*m.groups())
    if _REGION_ID.fullmatch(name):
        return _region(name)
    return None


def zone_of(zone_id: str) -> tzinfo:
    """Java `ZoneId.of` (`timezone=`, `tz=`): `Z`, `UTC`, `GMT`, `UT`, offsets like `+05:00` or `UTC+5`,
    region ids; ValueError for anything else."""
    text = zone_id.strip()
    if text in ("Z", "UTC", "GMT", "UT"):
        return UTC if text == "Z" else _region("UTC" if text == "UTC" else "GMT") or UTC
    m = _OFFSET_ID.fullmatch(text)
    zone = fixed_offset(*m.groups()) if m else _region(text) if _REGION_ID.fullmatch(text) else None
    if zone is None:
        raise ValueError(f"Unknown time-zone ID: {zone_id}")
    return zone


def _fmt_offset(total: int, with_colon: bool, seconds: bool, optional_minutes: bool = False) -> str:
    sign = "-" if total < 0 else "+"
    h, rem = divmod(abs(total), 3600)
    m, s = divmod(rem, 60)
    sep = ":" if with_colon else ""
    out = f"{sign}{h:02d}"
    if not optional_minutes or m or s:
        out += f"{sep}{m:02d}"
    if seconds and s:
        out += f"{sep}{s:02d}"
    return out


# -- compiling ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    letter: str
    count: int


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Section:
    """`[...]`: optional when parsing, left out when formatting fails inside it."""

    items: tuple[Item, ...]


Item = Field | Literal | Section


def compile_items(pattern: str, style: Style, only: frozenset[str] | None = None) -> tuple[Item, ...]:
    """Tokenize a pattern; ValueError, worded as the style's Java class words it, when it is invalid
    (for a DateTimeFormatter pattern, when it has a letter mockd does not support or not in `only`)."""
    simple = style is Style.SIMPLE
    stack: list[list[Item]] = [[]]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "'":
            text, i = _quoted(pattern, i, style)
            _add_text(stack[-1], text)
        elif c == "[" and not simple:
            stack.append([])
            i += 1
        elif c == "]" and not simple:
            if len(stack) == 1:
                raise ValueError("Pattern invalid as it contains ] without previous [")
            items = stack.pop()
            stack[-1].append(Section(tuple(items)))
            i += 1
        elif c in "{}#" and not simple:
            raise ValueError(f"Pattern includes reserved character: '{c}'")
        elif c.isascii() and c.isalpha():
            j = i
            while j < n and pattern[j] == c:
                j += 1
            _check_letter(c, j - i, style, only)
            stack[-1].append(Field(c, j - i))
            i = j
        else:
            _add_text(stack[-1], c)
            i += 1
    if len(stack) != 1:
        raise ValueError("Pattern invalid as it contains [ without matching ]")
    return tuple(stack[0])


def _quoted(pattern: str, start: int, style: Style) -> tuple[str, int]:
    """The text of the quoted literal at `start` (`''` is a quote) and the index after it."""
    j = start + 1
    buf: list[str] = []
    while True:
        if j >= len(pattern):
            if style is Style.SIMPLE:
                raise ValueError(f"Unterminated quote in pattern {pattern!r}")
            raise ValueError(f"Pattern ends with an incomplete string literal: {pattern}")
        if pattern[j] == "'":
            if j + 1 < len(pattern) and pattern[j + 1] == "'":
                buf.append("'")
                j += 2
                continue
            break
        buf.append(pattern[j])
        j += 1
    return ("".join(buf) if j > start + 1 else "'"), j + 1


def _add_text(items: list[Item], text: str) -> None:
    if items and isinstance(items[-1], Literal):
        items[-1] = Literal(items[-1].text + text)
    else:
        items.append(Literal(text))


def _check_letter(c: str, count: int, style: Style, only: frozenset[str] | None) -> None:
    if style is Style.SIMPLE:
        if c not in _SIMPLE_LETTERS:
            raise ValueError(f"Illegal pattern character '{c}'")
        return
    if c not in _FORMATTER_LETTERS:
        raise ValueError(f"Unknown pattern letter: {c}")
    if c not in _FORMATTER_SUPPORTED or (only is not None and c not in only):
        raise ValueError(f"Unsupported pattern letter: {c}")
    if c == "O" and count not in (1, 4):
        raise ValueError(f"Pattern letter count must be 1 or 4: {c}")
    if c == "V" and count != 2:
        raise ValueError("Pattern letter count must be 2: V")
    if count > _MAX_COUNT.get(c, count):
        raise ValueError(f"Too many pattern letters: {c}")


# -- formatting --------------------------------------------------------------------------------------


def format_items(items: tuple[Item, ...], value: datetime, style: Style) -> str:
    """Render `value`; zone letters need an aware datetime (ValueError otherwise)."""
    out: list[str] = []
    for item in items:
        if isinstance(item, Literal):
            out.append(item.text)
        elif isinstance(item, Section):
            with contextlib.suppress(ValueError):
                out.append(format_items(item.items, value, style))
        else:
            out.append(_format_field(item.letter, item.count, value, style))
    return "".join(out)


def _text(short: str, full: str, narrow: str, n: int, style: Style) -> str:
    """A text field: 1-3 letters short, 4 full, 5 narrow (SimpleDateFormat: 4 and more full)."""
    if n < 4:
        return short
    return narrow if n == 5 and style is Style.FORMATTER else full


def _format_field(c: str, n: int, value: datetime, style: Style) -> str:
    simple = style is Style.SIMPLE
    if c in "yY" or (c == "u" and not simple):
        year = _us_week(value)[0] if c == "Y" else value.year
        return f"{year % 100:02d}" if n == 2 else str(year).zfill(n)
    if c == "G":
        return _text("AD", "Anno Domini", "A", n, style)
    if c in "ML":
        name = MONTHS[value.month - 1]
        return str(value.month).zfill(n) if n <= 2 else _text(name[:3], name, name[0], n, style)
    if c == "E" or (c in "ec" and n >= 3 and not simple):
        name = DAYS[value.weekday()]
        return _text(name[:3], name, name[0], n, style)
    if c == "u":  # SimpleDateFormat's day number
        return str(value.isoweekday()).zfill(n)
    number = _NUMBERS.get(c)
    if number is not None:
        return str(number(value)).zfill(n)
    if c == "a":
        return "AM" if value.hour < 12 else "PM"
    if c == "S":
        if simple:
            return str(value.microsecond // 1000).zfill(n)
        return f"{value.microsecond:06d}000"[:n]
    if c in "Qq":
        q = (value.month - 1) // 3 + 1
        if n <= 2:
            return str(q).zfill(n)
        return f"Q{q}" if n == 3 else f"{q}{'stndrdth'[2 * min(q - 1, 3) :][:2]} quarter"
    return _format_zone(c, n, value, style)


def _seconds_of_day(value: datetime) -> int:
    return (value.hour * 60 + value.minute) * 60 + value.second


_NUMBERS: dict[str, Callable[[datetime], int]] = {
    "d": lambda v: v.day,
    "D": lambda v: v.timetuple().tm_yday,
    "e": lambda v: v.isoweekday() % 7 + 1,  # US: Sunday is 1
    "c": lambda v: v.isoweekday() % 7 + 1,
    "F": lambda v: (v.day - 1) // 7 + 1,
    "w": lambda v: _us_week(v)[1],
    "W": lambda v: (v.day + v.replace(day=1).isoweekday() % 7 - 1) // 7 + 1,
    "H": lambda v: v.hour,
    "k": lambda v: v.hour or 24,
    "K": lambda v: v.hour % 12,
    "h": lambda v: v.hour % 12 or 12,
    "m": lambda v: v.minute,
    "s": lambda v: v.second,
    "n": lambda v: v.microsecond * 1000,
    "A": lambda v: _seconds_of_day(v) * 1000 + v.microsecond // 1000,
    "N": lambda v: (_seconds_of_day(v) * 1_000_000 + v.microsecond) * 1000,
}


def _us_week(value: datetime) -> tuple[int, int]:
    """(week-based year, week of year) with US rules: weeks start on Sunday, week 1 holds January 1."""
    day = value.date()
    sunday = day - timedelta(days=day.isoweekday() % 7)
    if (sunday + timedelta(days=6)).year > day.year:
        return day.year + 1, 1
    jan1 = day.replace(month=1, day=1)
    first_sunday = jan1 - timedelta(days=jan1.isoweekday() % 7)
    return day.year, (sunday - first_sunday).days // 7 + 1


def _format_zone(c: str, n: int, value: datetime, style: Style) -> str:
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"cannot format pattern letter {c}: the date-time has no zone")
    total = int(offset.total_seconds())
    if c == "z":
        return _zone_name(value, total, n >= 4, style)
    if c == "V":
        key = getattr(value.tzinfo, "key", None)
        if isinstance(key, str):
            return key
        return "Z" if total == 0 else _fmt_offset(total, True, True)
    if c == "O":
        if total == 0:
            return "GMT"
        if n != 1:
            return "GMT" + _fmt_offset(total, True, True)
        sign = "-" if total < 0 else "+"
        h, rem = divmod(abs(total), 3600)
        return f"GMT{sign}{h}" + (f":{rem // 60:02d}" if rem else "")
    if c == "Z":
        if n <= 3 or style is Style.SIMPLE:
            return _fmt_offset(total, False, False)
        if n == 4:
            return "GMT" if total == 0 else "GMT" + _fmt_offset(total, True, True)
        return "Z" if total == 0 else _fmt_offset(total, True, True)
    # X and x
    if c == "X" and total == 0:
        return "Z"
    if n == 1:
        return _fmt_offset(total, False, False, optional_minutes=True)
    return _fmt_offset(total, n not in (2, 4), n >= 4)


def _zone_name(value: datetime, total: int, long: bool, style: Style) -> str:
    """`z`: the zone's abbreviation; UTC's long name; an offset zone as its id (DateTimeFormatter,
    `+05:30`) or as SimpleDateFormat's custom zone (`GMT+05:30`)."""
    if style is Style.SIMPLE and isinstance(value.tzinfo, timezone) and value.tzinfo is not UTC:
        return "GMT" + _fmt_offset(total, True, False)
    name = value.tzname() or ""
    if name == "UTC" and long:
        return "Coordinated Universal Time"
    if name.startswith("UTC") and len(name) > 3:  # Python's unnamed fixed offsets: "UTC+01:00"
        name = name[3:]
    return name or ("Z" if total == 0 else _fmt_offset(total, True, True))
