"""Java `DateTimeFormatter` patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`) in Python, both ways.

WireMock users write Java date patterns in `actualFormat` (date matchers), `now format='...'`,
`date ... format='...'` and `parseDate ... format='...'` (templating). This module turns such a pattern
into a formatter with `format(datetime) -> str` and `parse(text) -> datetime`. Standard library only.

    fmt = parse_java_pattern("dd/MM/yyyy HH:mm")
    fmt.format(datetime(2024, 3, 9, 7, 5))      # '09/03/2024 07:05'
    fmt.parse("31/12/1999 23:59")                # datetime(1999, 12, 31, 23, 59)
    fmt.parse_fields("31/12/1999 23:59")         # ParsedDate: which fields were present

Behaviour follows `DateTimeFormatter.ofPattern(pattern, Locale.US)` with the SMART resolver: text
fields (month and day names, AM/PM) are English and case-sensitive; `yy` is 2000-2099; `dd`, `MM`,
`HH`, `mm`, `ss` are exactly two digits, `d`, `M`, `H` one or more; `SSS` exactly three fraction
digits; a day-of-month past the month's end (`31/02`) is clamped; a parsed day-of-week (`EEE`) must
agree with the date; the whole text must be consumed. Supported letters: G u y D M L d E e c a h K k
H m s S n V z O X x Z, quoted literals ('T', '' for a quote) and optional sections ([...]).

Unsupported or unknown letters raise `ValueError` from `parse_java_pattern`; text that does not fit
raises `ValueError` from `parse` / `parse_fields`.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

__all__ = ["JavaDateFormat", "ParsedDate", "parse_java_pattern", "zone_from_name"]

_Date = date  # ParsedDate has a field named `date`

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_KNOWN_LETTERS = set("GuyDMLdQqYwWEecFahKkHmsSAnNVvzOXxZgB")
_SUPPORTED = set("GuyDMLdEecahKkHmsSnVzOXxZY")
_MAX_WIDTH = {"d": 2, "H": 2, "h": 2, "K": 2, "k": 2, "m": 2, "s": 2, "D": 3, "a": 1, "V": 2}

# Zone abbreviations Java understands for `z` (US locale), as fixed offsets.
_ZONE_ABBREVIATIONS: dict[str, int] = {
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "WET": 0, "BST": 60, "CET": 60, "CEST": 120, "MET": 60,
    "MEST": 120, "EET": 120, "EEST": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "JST": 540, "KST": 540, "IST": 330, "AEST": 600, "AEDT": 660, "ACST": 570, "AWST": 480,
    "NZST": 720, "NZDT": 780, "MSK": 180,
}  # fmt: skip


def zone_from_name(name: str) -> tzinfo | None:
    """A zone from an abbreviation (`GMT`, `PST`), an offset id (`+02:00`) or a region (`Europe/Paris`)."""
    if name in _ZONE_ABBREVIATIONS:
        minutes = _ZONE_ABBREVIATIONS[name]
        return UTC if minutes == 0 else timezone(timedelta(minutes=minutes), name)
    m = re.fullmatch(r"(?:GMT|UTC|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?", name)
    if m:
        return _fixed_offset(m.group(1), m.group(2), m.group(3), m.group(4))
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)+", name):
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except (ValueError, OSError, KeyError, ImportError):
            return None
    return None


def _fixed_offset(sign: str, hours: str, minutes: str | None, seconds: str | None) -> tzinfo | None:
    total = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    if int(hours) > 18 or int(minutes or 0) > 59 or int(seconds or 0) > 59:
        return None
    if total == 0:
        return UTC
    return timezone(timedelta(seconds=-total if sign == "-" else total))


# -- pattern compilation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    letter: str
    count: int


@dataclass(frozen=True)
class _Literal:
    text: str


@dataclass(frozen=True)
class _Optional:
    items: tuple[_Item, ...]


_Item = _Field | _Literal | _Optional


def _compile(pattern: str) -> tuple[_Item, ...]:
    stack: list[list[_Item]] = [[]]
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "'":
            j = i + 1
            buf: list[str] = []
            while True:
                if j >= n:
                    raise ValueError(f"Pattern ends with an incomplete string literal: {pattern}")
                if pattern[j] == "'":
                    if j + 1 < n and pattern[j + 1] == "'":
                        buf.append("'")
                        j += 2
                        continue
                    break
                buf.append(pattern[j])
                j += 1
            stack[-1].append(_Literal("".join(buf) if j > i + 1 else "'"))
            i = j + 1
        elif c == "[":
            stack.append([])
            i += 1
        elif c == "]":
            if len(stack) == 1:
                raise ValueError("Pattern invalid as it contains ] without previous [")
            items = stack.pop()
            stack[-1].append(_Optional(tuple(items)))
            i += 1
        elif c in "{}#":
            raise ValueError(f"Pattern includes reserved character: '{c}'")
        elif c.isascii() and c.isalpha():
            j = i
            while j < n and pattern[j] == c:
                j += 1
            count = j - i
            if c not in _KNOWN_LETTERS:
                raise ValueError(f"Unknown pattern letter: {c}")
            if c not in _SUPPORTED:
                raise ValueError(f"Unsupported pattern letter: {c}")
            _check_count(c, count)
            stack[-1].append(_Field(c, count))
            i = j
        else:
            stack[-1].append(_Literal(c))
            i += 1
    if len(stack) != 1:
        raise ValueError("Pattern invalid as it contains [ without matching ]")
    return tuple(stack[0])


def _check_count(c: str, count: int) -> None:
    if c == "O" and count not in (1, 4):
        raise ValueError(f"Pattern letter count must be 1 or 4: {c}")
    if c == "V" and count != 2:
        raise ValueError("Pattern letter count must be 2: V")
    limit = _MAX_WIDTH.get(c)
    if limit is None and c in "GMLEecXxZ":
        limit = 5
    elif limit is None and c in "zO":
        limit = 4
    elif limit is None and c == "S":
        limit = 9
    if limit is not None and count > limit:
        raise ValueError(f"Too many pattern letters: {c}")


# -- formatting --------------------------------------------------------------------------------------


def _offset_seconds(value: datetime) -> int | None:
    off = value.utcoffset()
    return None if off is None else int(off.total_seconds())


def _fmt_offset(total: int, with_colon: bool, seconds: bool, optional_minutes: bool = False) -> str:
    sign = "-" if total < 0 else "+"
    total = abs(total)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    sep = ":" if with_colon else ""
    out = f"{sign}{h:02d}"
    if not optional_minutes or m or s:
        out += f"{sep}{m:02d}"
    if seconds and s:
        out += f"{sep}{s:02d}"
    return out


def _format_field(f: _Field, value: datetime) -> str:
    c, n = f.letter, f.count
    if c in "yuY":
        year = value.year
        return f"{year % 100:02d}" if n == 2 else str(year).zfill(n)
    if c == "G":
        return "Anno Domini" if n == 4 else ("A" if n == 5 else "AD")
    if c in "ML":
        if n >= 5:
            return MONTHS[value.month - 1][0]
        if n == 4:
            return MONTHS[value.month - 1]
        if n == 3:
            return MONTHS[value.month - 1][:3]
        return str(value.month).zfill(n)
    if c == "d":
        return str(value.day).zfill(n)
    if c == "D":
        return str(value.timetuple().tm_yday).zfill(n)
    if c in "Eec":
        if c != "E" and n <= 2:
            return str((value.weekday() + 1) % 7 + 1).zfill(n)
        name = DAYS[value.weekday()]
        return name if n == 4 else (name[0] if n == 5 else name[:3])
    if c == "a":
        return "AM" if value.hour < 12 else "PM"
    if c == "H":
        return str(value.hour).zfill(n)
    if c == "k":
        return str(value.hour or 24).zfill(n)
    if c == "K":
        return str(value.hour % 12).zfill(n)
    if c == "h":
        return str(value.hour % 12 or 12).zfill(n)
    if c == "m":
        return str(value.minute).zfill(n)
    if c == "s":
        return str(value.second).zfill(n)
    if c == "S":
        return f"{value.microsecond:06d}000"[:n]
    if c == "n":
        return str(value.microsecond * 1000).zfill(n)
    return _format_zone(c, n, value)


def _format_zone(c: str, n: int, value: datetime) -> str:
    total = _offset_seconds(value)
    if total is None:
        raise ValueError(f"cannot format pattern letter {c}: the date-time has no zone")
    if c == "V":
        key = getattr(value.tzinfo, "key", None)
        if isinstance(key, str):
            return key
        return "Z" if total == 0 else _fmt_offset(total, True, True)
    if c == "z":
        name = value.tzname() or ""
        if name.startswith("UTC") and len(name) > 3:  # Python's fixed offsets: "UTC+01:00"
            name = name[3:]
        return name or ("Z" if total == 0 else _fmt_offset(total, True, True))
    if c == "O":
        if total == 0:
            return "GMT"
        if n == 4:
            return "GMT" + _fmt_offset(total, True, True)
        sign = "-" if total < 0 else "+"
        h, rem = divmod(abs(total), 3600)
        return f"GMT{sign}{h}" + (f":{rem // 60:02d}" if rem else "")
    if c == "Z":
        if n <= 3:
            return _fmt_offset(total, False, False)
        if n == 4:
            return "GMT" if total == 0 else "GMT" + _fmt_offset(total, True, True)
        return "Z" if total == 0 else _fmt_offset(total, True, True)
    # X and x
    if c == "X" and total == 0:
        return "Z"
    if n == 1:
        return _fmt_offset(total, False, False, optional_minutes=True)
    return _fmt_offset(total, n in (3, 5), n >= 4)


# -- parsing -----------------------------------------------------------------------------------------


@dataclass
class _State:
    text: str
    pos: int = 0
    values: dict[str, int] = field(default_factory=dict)
    zone: tzinfo | None = None


@dataclass(frozen=True)
class ParsedDate:
    """The fields a pattern found in a text. `None` means the field was not in the text."""

    date: _Date | None
    time: time | None
    tz: tzinfo | None
    year: int | None = None
    month: int | None = None

    @property
    def has_zone(self) -> bool:
        return self.tz is not None

    def to_zoned(self) -> datetime:
        """`ZonedDateTime.from`: needs a date, a time and a zone."""
        if self.date is None or self.time is None or self.tz is None:
            raise ValueError("text has no complete zoned date-time")
        return datetime.combine(self.date, self.time, self.tz)

    def to_local_datetime(self) -> datetime:
        """`LocalDateTime.from`: needs a date and a time; a zone in the text is ignored."""
        if self.date is None or self.time is None:
            raise ValueError("text has no complete date-time")
        return datetime.combine(self.date, self.time)

    def to_local_date(self) -> _Date:
        if self.date is None:
            raise ValueError("text has no complete date")
        return self.date

    def to_year_month(self) -> tuple[int, int]:
        if self.year is None or self.month is None:
            raise ValueError("text has no year and month")
        return self.year, self.month

    def to_year(self) -> int:
        if self.year is None:
            raise ValueError("text has no year")
        return self.year

    def to_datetime(self) -> datetime:
        """Best effort: missing month/day are 1, missing time is midnight; aware only with a zone."""
        if self.year is None:
            raise ValueError("text has no year")
        d = self.date or date(self.year, self.month or 1, 1)
        t = self.time or time(0)
        return datetime.combine(d, t, self.tz) if self.tz is not None else datetime.combine(d, t)


class JavaDateFormat:
    """A compiled Java date-time pattern: `format(datetime)` and `parse(text)`. Build with
    `parse_java_pattern`."""

    def __init__(self, pattern: str, items: tuple[_Item, ...]) -> None:
        self.pattern = pattern
        self._items = items

    def __repr__(self) -> str:
        return f"JavaDateFormat({self.pattern!r})"

    def format(self, value: datetime) -> str:
        """Render `value`; zone letters need an aware datetime (ValueError otherwise)."""
        return self._format_items(self._items, value)

    def _format_items(self, items: tuple[_Item, ...], value: datetime) -> str:
        out: list[str] = []
        for item in items:
            if isinstance(item, _Literal):
                out.append(item.text)
            elif isinstance(item, _Optional):
                with contextlib.suppress(ValueError):
                    out.append(self._format_items(item.items, value))
            else:
                out.append(_format_field(item, value))
        return "".join(out)

    def parse_fields(self, text: str) -> ParsedDate:
        """Parse the whole `text`; raise ValueError if it does not fit or a field is out of range."""
        st = _State(text)
        _parse_items(self._items, st)
        if st.pos != len(text):
            raise ValueError(f"Text '{text}' could not be parsed, unparsed text found at index {st.pos}")
        return _resolve(st)

    def parse(self, text: str) -> datetime:
        """Parse to a datetime: aware when the text had a zone, else naive; see ParsedDate.to_datetime."""
        return self.parse_fields(text).to_datetime()


def _parse_items(items: tuple[_Item, ...], st: _State) -> None:
    for idx, item in enumerate(items):
        if isinstance(item, _Literal):
            if not st.text.startswith(item.text, st.pos):
                raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}")
            st.pos += len(item.text)
        elif isinstance(item, _Optional):
            saved = (st.pos, dict(st.values), st.zone)
            try:
                _parse_items(item.items, st)
            except ValueError:
                st.pos, st.values, st.zone = saved
        else:
            _parse_field(item, st, _reserved_width(items, idx + 1))


def _is_fixed_numeric(f: _Field) -> bool:
    return (
        (f.count == 2 and f.letter in "yudMLHhKkms") or f.letter == "S" or (f.letter == "D" and f.count == 3)
    )


def _width_of(f: _Field) -> int:
    return f.count


def _reserved_width(items: tuple[_Item, ...], start: int) -> int:
    """Java's adjacent value parsing: digits a variable-width field must leave for fixed-width ones."""
    total = 0
    for item in items[start:]:
        if isinstance(item, _Field) and _is_fixed_numeric(item):
            total += _width_of(item)
        else:
            break
    return total


def _digits(st: _State, min_w: int, max_w: int, reserve: int = 0, signed: bool = False) -> int:
    start = st.pos
    sign = 1
    if signed and st.pos < len(st.text) and st.text[st.pos] in "+-":
        sign = -1 if st.text[st.pos] == "-" else 1
        st.pos += 1
    end = st.pos
    while end < len(st.text) and end - st.pos < max_w and "0" <= st.text[end] <= "9":
        end += 1
    available = end - st.pos
    take = max(min_w, available - reserve) if reserve else available
    take = min(take, available)
    if take < min_w or take == 0:
        st.pos = start
        raise ValueError(f"Text '{st.text}' could not be parsed at index {start}")
    value = int(st.text[st.pos : st.pos + take])
    st.pos += take
    return sign * value


def _text_choice(st: _State, choices: list[str]) -> int:
    best = -1
    best_len = 0
    for i, choice in enumerate(choices):
        if choice and st.text.startswith(choice, st.pos) and len(choice) > best_len:
            best, best_len = i, len(choice)
    if best < 0:
        raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}")
    st.pos += best_len
    return best


def _set(st: _State, key: str, value: int) -> None:
    old = st.values.get(key)
    if old is not None and old != value:
        raise ValueError(f"Conflict found: {key} {old} differs from {key} {value}")
    st.values[key] = value


def _parse_field(f: _Field, st: _State, reserve: int) -> None:
    c, n = f.letter, f.count
    if c in "yuY":
        if n == 2:
            v = _digits(st, 2, 2)
            _set(st, "year", 2000 + v)
        else:
            _set(st, "year" if c != "y" else "yoe", _digits(st, n, 19, reserve, signed=c == "u"))
    elif c == "G":
        _set(
            st,
            "era",
            _text_choice(
                st, ["B", "A"] if n == 5 else (["Before Christ", "Anno Domini"] if n == 4 else ["BC", "AD"])
            ),
        )
    elif c in "ML":
        if n >= 3:
            names = [m[0] for m in MONTHS] if n >= 5 else (MONTHS if n == 4 else [m[:3] for m in MONTHS])
            _set(st, "month", _text_choice(st, names) + 1)
        else:
            _set(st, "month", _digits(st, n, 2 if n == 2 else 19, reserve))
    elif c == "d":
        _set(st, "day", _digits(st, n, 2 if n == 2 else 19, reserve))
    elif c == "D":
        _set(st, "doy", _digits(st, n, 3 if n >= 2 else 19, reserve))
    elif c in "Eec":
        if c != "E" and n <= 2:
            _set(st, "dow", (_digits(st, n, n) + 5) % 7)
        else:
            names = [d[0] for d in DAYS] if n == 5 else (DAYS if n == 4 else [d[:3] for d in DAYS])
            _set(st, "dow", _text_choice(st, names))
    elif c == "a":
        _set(st, "ampm", _text_choice(st, ["AM", "PM"]))
    elif c in "HhKkms":
        key = {"H": "hour", "k": "hour24", "h": "hour12", "K": "hour0_11", "m": "minute", "s": "second"}[c]
        _set(st, key, _digits(st, n, 2 if n == 2 else 19, reserve))
    elif c == "S":
        digits = st.text[st.pos : st.pos + n]
        if len(digits) != n or not digits.isdigit():
            raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}")
        st.pos += n
        _set(st, "nano", int(digits.ljust(9, "0")))
    elif c == "n":
        _set(st, "nano", _digits(st, n, 19, reserve))
    else:
        _parse_zone(c, n, st)


_OFFSET_RE = re.compile(r"([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?")


def _parse_zone(c: str, n: int, st: _State) -> None:
    rest = st.text[st.pos :]
    if c in "XZ" and rest.startswith("Z") and (c == "X" or n == 5):
        st.pos += 1
        st.zone = UTC
        return
    if c in "OZ" and rest.startswith("GMT") and (c == "O" or n == 4):
        st.pos += 3
        rest = st.text[st.pos :]
        m = re.match(r"([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?", rest)
        if not m:
            st.zone = UTC
            return
        st.pos += m.end()
        st.zone = _fixed_offset(m.group(1), m.group(2), m.group(3), m.group(4))
        if st.zone is None:
            raise ValueError(f"invalid offset in '{st.text}'")
        return
    if c in "Xx" or (c == "Z" and n != 4):
        m = _OFFSET_RE.match(rest)
        if not m:
            raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}")
        st.pos += m.end()
        st.zone = _fixed_offset(m.group(1), m.group(2), m.group(3), m.group(4))
        if st.zone is None:
            raise ValueError(f"invalid offset in '{st.text}'")
        return
    # z, V: a zone name or id
    m = re.match(r"[A-Za-z][A-Za-z0-9_/+\-:]*", rest)
    if not m:
        raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}")
    word = m.group(0)
    for end in range(len(word), 0, -1):
        zone = zone_from_name(word[:end])
        if zone is not None:
            st.pos += end
            st.zone = zone
            return
    raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}: unknown zone")


def _resolve(st: _State) -> ParsedDate:
    v = st.values
    year = v.get("year")
    if "yoe" in v:
        yoe = v["yoe"]
        year_from_era = yoe if v.get("era", 1) == 1 else 1 - yoe
        if year is not None and year != year_from_era:
            raise ValueError("Conflict found: year differs from year-of-era")
        year = year_from_era
    elif year is not None and "era" in v and v["era"] == 0:
        year = 1 - year
    month = v.get("month")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"Invalid value for MonthOfYear: {month}")
    the_date: date | None = None
    if year is not None and (month is not None and "day" in v):
        day = v["day"]
        if not 1 <= day <= 31:
            raise ValueError(f"Invalid value for DayOfMonth: {day}")
        if not 1 <= year <= 9999:
            raise ValueError(f"Year out of range: {year}")
        day = min(day, calendar.monthrange(year, month)[1])  # SMART resolver clamps 29-31
        the_date = date(year, month, day)
    elif year is not None and "doy" in v:
        if not 1 <= year <= 9999 or not 1 <= v["doy"] <= (366 if calendar.isleap(year) else 365):
            raise ValueError(f"Invalid value for DayOfYear: {v['doy']}")
        the_date = date(year, 1, 1) + timedelta(days=v["doy"] - 1)
    if the_date is not None and "dow" in v and the_date.weekday() != v["dow"]:
        raise ValueError(f"Conflict found: day-of-week {DAYS[v['dow']]} differs from {the_date}")
    the_time = _resolve_time(v)
    if year is not None and not 1 <= year <= 9999:
        raise ValueError(f"Year out of range: {year}")
    return ParsedDate(the_date, the_time, st.zone, year, month)


def _resolve_time(v: dict[str, int]) -> time | None:
    hour: int | None = v.get("hour")
    if hour is None and "hour24" in v:
        if not 1 <= v["hour24"] <= 24:
            raise ValueError(f"Invalid value for ClockHourOfDay: {v['hour24']}")
        hour = v["hour24"] % 24
    if hour is None and ("hour12" in v or "hour0_11" in v):
        if "hour12" in v:
            if not 1 <= v["hour12"] <= 12:
                raise ValueError(f"Invalid value for ClockHourOfAmPm: {v['hour12']}")
            base = v["hour12"] % 12
        else:
            if not 0 <= v["hour0_11"] <= 11:
                raise ValueError(f"Invalid value for HourOfAmPm: {v['hour0_11']}")
            base = v["hour0_11"]
        hour = base + 12 * v.get("ampm", 0)
    if hour is None:
        return None
    minute = v.get("minute", 0)
    second = v.get("second", 0)
    nano = v.get("nano", 0)
    if not 0 <= hour <= 23 or not 0 <= minute <= 59 or not 0 <= second <= 59 or not 0 <= nano < 10**9:
        raise ValueError("Invalid time field")
    if "minute" not in v and ("second" in v or "nano" in v):
        return None
    return time(hour, minute, second, nano // 1000)


@lru_cache(maxsize=512)
def parse_java_pattern(pattern: str) -> JavaDateFormat:
    """Compile a Java DateTimeFormatter pattern; ValueError with Java's wording when it is invalid."""
    return JavaDateFormat(pattern, _compile(pattern))
