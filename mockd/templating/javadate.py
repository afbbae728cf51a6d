"""Java date patterns (`SimpleDateFormat` / `DateTimeFormatter`, English names) for the date helpers.

`compile_pattern(pattern, legacy=...)` -> `JavaDatePattern` with `format(datetime)` and `parse(text)`.
`legacy=True` is SimpleDateFormat (what `now`/`date format=` use: `S` is milliseconds); `legacy=False`
is DateTimeFormatter (what `parseDate format=` and `dateFormat` use: `S` is a fraction, `u` is the year,
`[...]` is optional). Unknown pattern letters raise ValueError, as Java throws IllegalArgumentException.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_LETTERS = set("GyYuMLdDEFwWaHkKhmsSzZXxVOnANQqe")
_ZONE_ABBREVIATIONS = types.MappingProxyType({
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7,
    "MDT": -6, "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "BST": 1, "IST": 5.5, "JST": 9,
})  # fmt: skip


@dataclass(frozen=True)
class Token:
    letter: str  # "" for literal text, "[" / "]" for optional sections
    count: int = 0
    text: str = ""


@dataclass(frozen=True)
class Parsed:
    """The fields a parse found; `resolve` turns them into an aware datetime (UTC when no zone)."""

    year: int | None
    month: int | None
    day: int | None
    hour: int | None
    minute: int
    second: int
    micro: int
    zone: tzinfo | None

    @property
    def has_time(self) -> bool:
        return self.hour is not None


def zone_of(zone_id: str) -> tzinfo:
    """Java `ZoneId.of`: region ids, `Z`, `UTC`, `GMT`, offsets like `+05:00` or `UTC+5`."""
    text = zone_id.strip()
    if text in ("Z", "UTC", "GMT", "UT"):
        return UTC if text == "Z" else ZoneInfo("UTC") if text == "UTC" else ZoneInfo("GMT")
    m = re.fullmatch(r"(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if m:
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return timezone(-delta if m.group(1) == "-" else delta)
    try:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", text):
            raise ValueError(text)
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"Unknown time-zone ID: {zone_id}") from None


def zone_name(dt: datetime, long: bool = False) -> str:
    """SimpleDateFormat's `z`: `UTC`, `AEDT`, or `GMT+05:00` for a bare offset."""
    tz = dt.tzinfo
    if tz is None or tz is UTC:
        return "Coordinated Universal Time" if long else "UTC"
    if isinstance(tz, timezone):
        return "GMT" + _offset(dt, ":", zero="")
    name = dt.tzname() or "UTC"
    if long and name == "UTC":
        return "Coordinated Universal Time"
    return name


def _offset(dt: datetime, sep: str, zero: str | None = None, minutes: str = "always") -> str:
    delta = dt.utcoffset() or timedelta(0)
    total = int(delta.total_seconds()) // 60
    if total == 0 and zero is not None:
        return zero
    sign = "-" if total < 0 else "+"
    hh, mm = divmod(abs(total), 60)
    if minutes == "optional" and mm == 0:
        return f"{sign}{hh:02d}"
    return f"{sign}{hh:02d}{sep}{mm:02d}"


def _us_week(dt: datetime) -> tuple[int, int]:
    """(week-based year, week of year) with US rules: weeks start on Sunday, week 1 holds January 1."""
    day = dt.date()
    sunday = day - timedelta(days=day.isoweekday() % 7)
    if (sunday + timedelta(days=6)).year > day.year:
        return day.year + 1, 1
    jan1 = day.replace(month=1, day=1)
    first_sunday = jan1 - timedelta(days=jan1.isoweekday() % 7)
    return day.year, (sunday - first_sunday).days // 7 + 1


@dataclass(frozen=True)
class JavaDatePattern:
    tokens: tuple[Token, ...]
    legacy: bool

    def format(self, dt: datetime) -> str:
        return "".join(self._field(t, dt) for t in self.tokens if t.letter not in ("[", "]"))

    def _field(self, t: Token, dt: datetime) -> str:
        c, n = t.letter, t.count
        if not c:
            return t.text
        if c == "G":
            return "AD" if n < 4 else "Anno Domini"
        if c == "y" or (c == "u" and not self.legacy):
            return f"{dt.year % 100:02d}" if n == 2 else str(dt.year).zfill(n)
        if c == "Y":
            year = _us_week(dt)[0]
            return f"{year % 100:02d}" if n == 2 else str(year).zfill(n)
        if c in "ML":
            return str(dt.month).zfill(n) if n <= 2 else MONTHS[dt.month - 1][: 3 if n == 3 else None]
        if c == "d":
            return str(dt.day).zfill(n)
        if c == "D":
            return str(dt.timetuple().tm_yday).zfill(n)
        if c == "E":
            return DAYS[dt.weekday()][: 3 if n <= 3 else None]
        if c == "u":
            return str(dt.isoweekday()).zfill(n)
        if c in "eF":
            return str((dt.isoweekday() % 7) + 1 if c == "e" else (dt.day - 1) // 7 + 1).zfill(n)
        if c == "w":
            return str(_us_week(dt)[1]).zfill(n)
        if c == "W":
            first = dt.replace(day=1)
            return str((dt.day + (first.isoweekday() % 7) - 1) // 7 + 1).zfill(n)
        if c == "a":
            return "AM" if dt.hour < 12 else "PM"
        if c == "H":
            return str(dt.hour).zfill(n)
        if c == "k":
            return str(dt.hour or 24).zfill(n)
        if c == "K":
            return str(dt.hour % 12).zfill(n)
        if c == "h":
            return str(dt.hour % 12 or 12).zfill(n)
        if c == "m":
            return str(dt.minute).zfill(n)
        if c == "s":
            return str(dt.second).zfill(n)
        if c == "S":
            if self.legacy:
                return str(dt.microsecond // 1000).zfill(n)
            return f"{dt.microsecond:06d}000"[:n].ljust(n, "0")
        if c == "n":
            return str(dt.microsecond * 1000)
        if c == "A":
            return str(((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000 + dt.microsecond // 1000)
        if c == "N":
            return str((((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1_000_000 + dt.microsecond) * 1000)
        if c in "Qq":
            q = (dt.month - 1) // 3 + 1
            return (
                str(q).zfill(n)
                if n <= 2
                else f"Q{q}"
                if n == 3
                else f"{q}{'stndrdth'[2 * min(q - 1, 3) :][:2]} quarter"
            )
        return self._zone_field(c, n, dt)

    def _zone_field(self, c: str, n: int, dt: datetime) -> str:
        if c == "z":
            return zone_name(dt, long=n >= 4)
        if c == "Z":
            if self.legacy or n <= 3:
                return _offset(dt, "")
            return "GMT" + _offset(dt, ":", zero="") if n == 4 else _offset(dt, ":", zero="Z")
        if c in "Xx":
            zero = "Z" if c == "X" else None
            if n == 1:
                return _offset(dt, "", zero=zero, minutes="optional")
            return _offset(dt, "" if n in (2, 4) else ":", zero=zero)
        if c == "O":
            return "GMT" + _offset(dt, ":", zero="", minutes="optional" if n == 1 else "always")
        if c == "V":
            tz = dt.tzinfo
            return getattr(tz, "key", None) or ("Z" if tz is UTC else _offset(dt, ":", zero="Z"))
        raise ValueError(f"Unknown pattern letter: {c}")

    # -- parsing ---------------------------------------------------------------------------------
    def parse(self, text: str) -> Parsed:
        regex, slots = _parser(self)
        m = regex.fullmatch(text)
        if m is None:
            raise ValueError(f"Text '{text}' could not be parsed")
        fields: dict[str, str] = {}
        for i, letter in enumerate(slots):
            value = m.group(i + 1)
            if value is not None:
                fields[letter] = value
        return _resolve(fields, self.legacy)


def _piece(t: Token, legacy: bool) -> str:
    c, n = t.letter, t.count
    names = "|".join(MONTHS if n >= 4 else [m[:3] for m in MONTHS])
    if c in "yu" and not (c == "u" and legacy):
        return r"(\d{2})" if n == 2 else rf"([+-]?\d{{{max(n, 1)},9}})"
    if c in "ML":
        return r"(\d{1,2})" if n == 1 else r"(\d{2})" if n == 2 else f"({names})"
    if c in "dHkKhmsDFw":
        return rf"(\d{{1,{max(n, 2 if c != 'D' else 3)}}})" if n == 1 else rf"(\d{{{n}}})"
    if c == "E":
        return "(" + "|".join(DAYS if n >= 4 else [d[:3] for d in DAYS]) + ")"
    if c == "a":
        return "(AM|PM|am|pm)"
    if c == "S":
        return rf"(\d{{{n}}})" if not legacy else rf"(\d{{1,{max(n, 3)}}})"
    if c == "n":
        return r"(\d{1,9})"
    if c == "z":
        return r"([A-Za-z][A-Za-z_/+\-:0-9]*)"
    if c in "ZXx":
        return r"(Z|[+-]\d{2}(?::?\d{2})?|GMT(?:[+-]\d{1,2}(?::?\d{2})?)?)"
    if c in "VO":
        return r"([A-Za-z][A-Za-z0-9_/+\-:]*|[+-]\d{2}:?\d{2})"
    if c == "G":
        return "(AD|BC|Anno Domini)"
    if c in "Qqeu":
        return r"(\d{1,2})"
    raise ValueError(f"Unknown pattern letter: {c}")


@lru_cache(maxsize=256)
def _parser(p: JavaDatePattern) -> tuple[re.Pattern[str], tuple[str, ...]]:
    parts: list[str] = []
    slots: list[str] = []
    for t in p.tokens:
        if t.letter == "[":
            parts.append("(?:")
        elif t.letter == "]":
            parts.append(")?")
        elif not t.letter:
            parts.append(re.escape(t.text))
        else:
            parts.append(_piece(t, p.legacy))
            key = t.letter
            if key == "u" and not p.legacy:
                key = "y"
            slots.append(key if key != "y" or t.count != 2 else "yy")
    return re.compile("".join(parts)), tuple(slots)


def _resolve(f: dict[str, str], legacy: bool) -> Parsed:
    year: int | None = None
    if "y" in f:
        year = int(f["y"])
    elif "yy" in f:
        year = 2000 + int(f["yy"])
    month = None
    if "M" in f or "L" in f:
        raw = f.get("M") or f["L"]
        month = int(raw) if raw.isdigit() else 1 + [m[: len(raw)] for m in MONTHS].index(raw)
    day = int(f["d"]) if "d" in f else None
    if day is None and "D" in f and year is not None:
        start = datetime(year, 1, 1) + timedelta(days=int(f["D"]) - 1)
        month, day = start.month, start.day
    hour: int | None = None
    if "H" in f:
        hour = int(f["H"])
    elif "k" in f:
        hour = int(f["k"]) % 24
    elif "h" in f or "K" in f:
        hour = int(f.get("h") or f["K"]) % 12
        if f.get("a", "AM").upper() == "PM":
            hour += 12
    micro = 0
    if "S" in f:
        digits = f["S"]
        micro = int(digits) * 1000 if legacy else int((digits + "000000")[:6])
    elif "n" in f:
        micro = int(f["n"]) // 1000
    zone = None
    for key in "XxZVOz":
        if key in f:
            zone = _zone_text(f[key])
            break
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise ValueError("field out of range")
    return Parsed(year, month, day, hour, int(f.get("m", 0)), int(f.get("s", 0)), micro, zone)


def _zone_text(text: str) -> tzinfo:
    if text in _ZONE_ABBREVIATIONS:
        hours = _ZONE_ABBREVIATIONS[text]
        return UTC if hours == 0 else timezone(timedelta(hours=hours))
    if text.startswith("GMT") and len(text) > 3:
        text = text[3:]
    return zone_of(text)


def tokenize(pattern: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    i = 0
    literal: list[str] = []

    def flush() -> None:
        if literal:
            tokens.append(Token("", 0, "".join(literal)))
            literal.clear()

    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = i + 1
            chunk: list[str] = []
            while True:
                if end >= len(pattern):
                    raise ValueError(f"Unterminated quote in pattern {pattern!r}")
                if pattern[end] == "'":
                    if end + 1 < len(pattern) and pattern[end + 1] == "'":
                        chunk.append("'")
                        end += 2
                        continue
                    break
                chunk.append(pattern[end])
                end += 1
            literal.append("".join(chunk) if chunk or end > i + 1 else "'")
            i = end + 1
        elif ch in "[]":
            flush()
            tokens.append(Token(ch))
            i += 1
        elif ch.isascii() and ch.isalpha():
            if ch not in _LETTERS:
                raise ValueError(f"Illegal pattern character '{ch}'")
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            flush()
            tokens.append(Token(ch, j - i))
            i = j
        else:
            literal.append(ch)
            i += 1
    flush()
    return tuple(tokens)


@lru_cache(maxsize=512)
def compile_pattern(pattern: str, legacy: bool = True) -> JavaDatePattern:
    """Compile a Java date pattern; raises ValueError for an illegal one."""
    tokens = tokenize(pattern)
    if legacy:
        tokens = tuple(Token("", 0, t.letter) if t.letter in ("[", "]") else t for t in tokens)
    return JavaDatePattern(tokens, legacy)
