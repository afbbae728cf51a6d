"""Java date patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`) in Python, both ways: what callers import.

WireMock users write Java date patterns in `actualFormat` (date matchers), XMLUnit placeholders and
the date helpers of templates. `parse_java_pattern` compiles one into a `JavaDateFormat` with
`format(datetime) -> str`, `parse_fields(text) -> ParsedDate` and `parse(text) -> datetime`. Standard
library only. The pattern language itself (the two `Style`s, formatting, zones) is in
`mockd.matching.javadate_format`; this module adds the parser.

    fmt = parse_java_pattern("dd/MM/yyyy HH:mm")
    fmt.format(datetime(2024, 3, 9, 7, 5))      # '09/03/2024 07:05'
    fmt.parse("31/12/1999 23:59")                # datetime(1999, 12, 31, 23, 59)
    fmt.parse_fields("31/12/1999 23:59")         # ParsedDate: which fields were present
    parse_java_pattern("EEE, d MMM yyyy HH:mm:ss z", Style.SIMPLE, parsing=False)  # `now format=`

Parsing is DateTimeFormatter's (`Style.FORMATTER`; a `Style.SIMPLE` pattern only formats), with the
SMART resolver: text fields (month and day names, AM/PM) are English and case-sensitive; `yy` is
2000-2099; `dd`, `MM`, `HH`, `mm`, `ss` are exactly two digits, `d`, `M`, `H` one or more; `SSS`
exactly three fraction digits; a day-of-month past the month's end (`31/02`) is clamped; a parsed
day-of-week (`EEE`) must agree with the date; `kk` and `hh` may be 00; `z` and `VV` read zone names,
region ids and offset ids (`+02:00`); the whole text must be consumed. The parser reads the letters
G u y Y (as the year) D M L d E e c a h K k H m s S n V z O X x Z, quoted literals ('T', '' for a
quote) and optional sections ([...]); `Q q w W F A N` only format.

Invalid or unknown letters raise `ValueError` from `parse_java_pattern`; text that does not fit
raises `ValueError` from `parse` / `parse_fields`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from mockd.matching.javadate_format import (
    DAYS,
    MONTHS,
    Field,
    Item,
    Literal,
    Section,
    Style,
    compile_items,
    fixed_offset,
    format_items,
    zone_from_name,
    zone_of,
)

__all__ = ["JavaDateFormat", "ParsedDate", "Style", "parse_java_pattern", "zone_from_name", "zone_of"]

_Date = date  # ParsedDate has a field named `date`
_PARSED_LETTERS = frozenset("GuyYDMLdEecahKkHmsSnVzOXxZ")
_FORMAT_ONLY = "SimpleDateFormat patterns are only used to format"


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
    """A compiled Java date pattern: `format(datetime)`, and for a DateTimeFormatter pattern
    `parse_fields(text)` / `parse(text)`. Build with `parse_java_pattern`."""

    def __init__(self, pattern: str, style: Style, items: tuple[Item, ...]) -> None:
        self.pattern = pattern
        self.style = style
        self._items = items
        self.unparsable = _unparsable(items, style)  # why `parse` cannot read this pattern, if it cannot

    def __repr__(self) -> str:
        return f"JavaDateFormat({self.pattern!r}, {self.style})"

    def format(self, value: datetime) -> str:
        """Render `value`; zone letters need an aware datetime (ValueError otherwise)."""
        return format_items(self._items, value, self.style)

    def parse_fields(self, text: str) -> ParsedDate:
        """Parse the whole `text`; raise ValueError if it does not fit or a field is out of range."""
        if self.unparsable is not None:
            raise ValueError(self.unparsable)
        st = _State(text)
        _parse_items(self._items, st)
        if st.pos != len(text):
            raise ValueError(f"Text '{text}' could not be parsed, unparsed text found at index {st.pos}")
        return _resolve(st)

    def parse(self, text: str) -> datetime:
        """Parse to a datetime: aware when the text had a zone, else naive; see ParsedDate.to_datetime."""
        return self.parse_fields(text).to_datetime()


def _unparsable(items: tuple[Item, ...], style: Style) -> str | None:
    if style is Style.SIMPLE:
        return _FORMAT_ONLY
    for item in items:
        if isinstance(item, Section):
            inner = _unparsable(item.items, style)
            if inner is not None:
                return inner
        elif isinstance(item, Field) and item.letter not in _PARSED_LETTERS:
            return f"Unsupported pattern letter: {item.letter}"
    return None


def _parse_items(items: tuple[Item, ...], st: _State) -> None:
    for idx, item in enumerate(items):
        if isinstance(item, Literal):
            if not st.text.startswith(item.text, st.pos):
                raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}")
            st.pos += len(item.text)
        elif isinstance(item, Section):
            saved = (st.pos, dict(st.values), st.zone)
            try:
                _parse_items(item.items, st)
            except ValueError:
                st.pos, st.values, st.zone = saved
        else:
            _parse_field(item, st, _reserved_width(items, idx + 1))


def _is_fixed_numeric(f: Field) -> bool:
    return (
        (f.count == 2 and f.letter in "yudMLHhKkms") or f.letter == "S" or (f.letter == "D" and f.count == 3)
    )


def _reserved_width(items: tuple[Item, ...], start: int) -> int:
    """Java's adjacent value parsing: digits a variable-width field must leave for fixed-width ones."""
    total = 0
    for item in items[start:]:
        if isinstance(item, Field) and _is_fixed_numeric(item):
            total += item.count
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


def _parse_field(f: Field, st: _State, reserve: int) -> None:
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


_ZONE_WORD = re.compile(r"[+-]\d{2}(?::\d{2}){0,2}|[A-Za-z][A-Za-z0-9_/+\-:]*")
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
        st.zone = fixed_offset(*m.groups())
        if st.zone is None:
            raise ValueError(f"invalid offset in '{st.text}'")
        return
    if c in "Xx" or (c == "Z" and n != 4):
        m = _OFFSET_RE.match(rest)
        if not m:
            raise ValueError(f"Text '{st.text}' could not be parsed at index {st.pos}")
        st.pos += m.end()
        st.zone = fixed_offset(*m.groups())
        if st.zone is None:
            raise ValueError(f"invalid offset in '{st.text}'")
        return
    # z, V: an offset id, a zone name or a region id (the longest that names a zone)
    m = _ZONE_WORD.match(rest)
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
        if not 0 <= v["hour24"] <= 24:  # SMART lets 0 through
            raise ValueError(f"Invalid value for ClockHourOfDay: {v['hour24']}")
        hour = v["hour24"] % 24
    if hour is None and ("hour12" in v or "hour0_11" in v):
        if "hour12" in v:
            if not 0 <= v["hour12"] <= 12:  # SMART lets 0 through
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
def parse_java_pattern(
    pattern: str, style: Style = Style.FORMATTER, *, parsing: bool = True
) -> JavaDateFormat:
    """Compile a Java date pattern; ValueError with Java's wording when it is invalid. `parsing=True`
    (the default) is for patterns that will parse: a letter the parser cannot read is an error now."""
    if parsing and style is Style.SIMPLE:
        raise ValueError(_FORMAT_ONLY)
    return JavaDateFormat(pattern, style, compile_items(pattern, style, _PARSED_LETTERS if parsing else None))
