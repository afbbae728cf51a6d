"""Date/time operators (spec §2.3): `before`, `after`, `equalToDateTime`.

The expected value is a literal ISO date-time (zoned or local; a date, year-month or year counts as
its first instant) or a `now` expression (`now`, `now +3 days`, `-5 hours`), optionally truncated
(`truncateExpected`) and shifted (`expectedOffset` + `expectedOffsetUnit`; truncation first unless
`applyTruncationLast`). The actual value is parsed with `actualFormat` (a Java pattern, `unix`
seconds or `epoch` milliseconds) or, by default, as ISO zoned, RFC 1123, RFC 1036 or asctime, then
as ISO local date-time, date, year-month or year. Zoned vs zoned compares instants; local vs local
compares wall times; a local expected value drops the actual's zone; a zoned expected value reads a
local actual in the system zone. Truncation and offsets never apply to a literal expected value,
and `truncateActual` only to a zoned actual (WireMock 3.13 behaviour, checked against it).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from mockd.errors import InvalidInput, Location
from mockd.matching.javadate import JavaDateFormat, parse_java_pattern, zone_from_name
from mockd.matching.result import EXACT, NO_MATCH, MatchResult
from mockd.matching.values import OperatorParser, PatternParser, StringPattern, require_bool

UNITS = ("seconds", "minutes", "hours", "days", "months", "years")
_TWO_YEARS_MS = 2 * 365 * 24 * 60 * 60 * 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Truncation(Enum):
    """WireMock's DateTimeTruncation; the wire form is the lower-case name with spaces."""

    FIRST_SECOND_OF_MINUTE = "first second of minute"
    FIRST_MINUTE_OF_HOUR = "first minute of hour"
    FIRST_HOUR_OF_DAY = "first hour of day"
    FIRST_DAY_OF_MONTH = "first day of month"
    FIRST_DAY_OF_NEXT_MONTH = "first day of next month"
    LAST_DAY_OF_MONTH = "last day of month"
    FIRST_DAY_OF_YEAR = "first day of year"
    FIRST_DAY_OF_NEXT_YEAR = "first day of next year"
    LAST_DAY_OF_YEAR = "last day of year"

    def apply(self, dt: datetime) -> datetime:
        if self is Truncation.FIRST_SECOND_OF_MINUTE:
            return dt.replace(second=0, microsecond=0)
        if self is Truncation.FIRST_MINUTE_OF_HOUR:
            return dt.replace(minute=0, second=0, microsecond=0)
        day = dt.replace(hour=0, minute=0, second=0, microsecond=0)
        if self is Truncation.FIRST_HOUR_OF_DAY:
            return day
        if self is Truncation.FIRST_DAY_OF_MONTH:
            return day.replace(day=1)
        if self is Truncation.FIRST_DAY_OF_NEXT_MONTH:
            return add_months(day.replace(day=1), 1)
        if self is Truncation.LAST_DAY_OF_MONTH:
            return day.replace(day=calendar.monthrange(day.year, day.month)[1])
        if self is Truncation.FIRST_DAY_OF_YEAR:
            return day.replace(month=1, day=1)
        if self is Truncation.FIRST_DAY_OF_NEXT_YEAR:
            return day.replace(year=day.year + 1, month=1, day=1)
        return day.replace(month=12, day=31)


def add_months(dt: datetime, months: int) -> datetime:
    """Java's plusMonths: the day-of-month is clamped to the target month's length."""
    index = dt.year * 12 + dt.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.replace(year=year, month=month, day=min(dt.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DateOffset:
    amount: int
    unit: str  # one of UNITS

    def shift(self, dt: datetime) -> datetime:
        if self.unit == "months":
            return add_months(dt, self.amount)
        if self.unit == "years":
            return add_months(dt, 12 * self.amount)
        return dt + timedelta(**{self.unit: self.amount})

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


# -- parsing actual and expected values --------------------------------------------------------------

_FRACTION = r"(?::(\d{2})(?:\.(\d{0,9}))?)?"
_ISO_ZONED = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})"
    + _FRACTION
    + r"(Z|[+-]\d{2}(?::\d{2}(?::\d{2})?)?)(?:\[([^\]]+)\])?",
    re.IGNORECASE,
)
_ISO_LOCAL = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})" + _FRACTION, re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ISO_YEAR = re.compile(r"\d{4}")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_RFC_1123 = re.compile(
    r"(?:(mon|tue|wed|thu|fri|sat|sun), )?(\d{1,2}) (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) "
    r"(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|[+-]\d{4})",
    re.IGNORECASE,
)
_RFC_1036 = parse_java_pattern("EEEE, dd-MMM-yy HH:mm:ss zzz")
_ASCTIME = (parse_java_pattern("EEE MMM dd HH:mm:ss yyyy"), parse_java_pattern("EEE MMM  d HH:mm:ss yyyy"))


def _local_from_groups(g: tuple[str | None, ...]) -> datetime:
    micro = int((g[6] or "").ljust(6, "0")[:6]) if g[6] else 0
    return datetime(
        int(g[0] or 0), int(g[1] or 0), int(g[2] or 0), int(g[3] or 0), int(g[4] or 0), int(g[5] or 0), micro
    )


def parse_zoned(text: str) -> datetime | None:
    """ISO_ZONED_DATE_TIME, RFC 1123, RFC 1036, asctime (GMT): an aware datetime, or None."""
    try:
        m = _ISO_ZONED.fullmatch(text)
        if m:
            local = _local_from_groups(m.groups()[:7])
            offset = m.group(8).upper()
            tz = UTC if offset == "Z" else zone_from_name(offset)
            if tz is None:
                return None
            value = local.replace(tzinfo=tz)
            if m.group(9):
                region = zone_from_name(m.group(9))
                if region is None:
                    return None
                value = value.astimezone(region)
            return value
        m = _RFC_1123.fullmatch(text)
        if m:
            month = _MONTHS.index(m.group(3).lower()) + 1
            zone = m.group(8)
            tz = UTC if zone.upper() == "GMT" else zone_from_name(zone)
            value = datetime(int(m.group(4)), month, int(m.group(2)), int(m.group(5)), int(m.group(6)),
                             int(m.group(7) or 0), tzinfo=tz)  # fmt: skip
            if m.group(1) and _DAYS.index(m.group(1).lower()) != value.weekday():
                return None
            return value
    except (ValueError, OverflowError):
        return None
    for fmt in (_RFC_1036, *_ASCTIME):
        try:
            parsed = fmt.parse_fields(text)
            if fmt is _RFC_1036:
                return parsed.to_zoned()
            return parsed.to_local_datetime().replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def parse_local(text: str) -> datetime | None:
    """ISO local date-time, then date, year-month, year (the latter at their first instant)."""
    try:
        m = _ISO_LOCAL.fullmatch(text)
        if m:
            return _local_from_groups(m.groups())
        m = _ISO_DATE.fullmatch(text)
        if m:
            return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _ISO_YEAR_MONTH.fullmatch(text)
        if m:
            return datetime(int(m.group(1)), int(m.group(2)), 1)
        if _ISO_YEAR.fullmatch(text):
            return datetime(int(text), 1, 1)
    except (ValueError, OverflowError):
        return None
    return None


@dataclass(frozen=True)
class ActualFormat:
    """`actualFormat`: a Java pattern, or `unix` (epoch seconds) / `epoch` (epoch milliseconds)."""

    source: str
    java: JavaDateFormat | None
    scale_ms: int  # 1000 for unix, 1 for epoch, 0 for a pattern

    def parse(self, text: str) -> tuple[datetime | None, datetime | None]:
        """(zoned, local) like WireMock's DateTimeParser; either may be None."""
        if self.java is None:
            return self._parse_epoch(text)
        try:
            fields = self.java.parse_fields(text)
        except ValueError:
            return None, None
        local: datetime | None = None
        try:
            local = fields.to_local_datetime()
        except ValueError:
            if fields.date is not None:
                local = datetime.combine(fields.date, datetime.min.time())
            elif fields.year is not None:
                local = datetime(fields.year, fields.month or 1, 1)
        return (fields.to_zoned() if fields.has_zone and fields.time and fields.date else None), local

    def _parse_epoch(self, text: str) -> tuple[datetime | None, datetime | None]:
        if not re.fullmatch(r"[+-]?\d{1,19}", text):
            return None, None
        try:
            zoned = _EPOCH + timedelta(milliseconds=int(text) * self.scale_ms)
        except OverflowError:
            return None, None
        return zoned, zoned.replace(tzinfo=None)


def _system_now() -> datetime:
    return datetime.now()


# -- the patterns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateTimePattern(StringPattern):
    """Shared by before / after / equalToDateTime; subclasses only decide the comparison."""

    spec: str
    zoned_expected: datetime | None = None
    local_expected: datetime | None = None
    offset: DateOffset | None = None  # set when the expected value is a `now` expression
    actual_format: ActualFormat | None = None
    truncate_expected: Truncation | None = None
    truncate_actual: Truncation | None = None
    apply_truncation_last: bool = False
    clock: Callable[[], datetime] = field(default=_system_now, compare=False, repr=False)

    def _compare(self, actual: datetime, expected: datetime) -> bool:
        raise NotImplementedError

    def match(self, value: str | None) -> MatchResult:
        if value is None:
            return NO_MATCH
        try:
            return self._match(value)
        except (ValueError, OverflowError, OSError, TypeError):
            return NO_MATCH

    def _match(self, value: str) -> MatchResult:
        if self.actual_format is not None:
            zoned_actual, local_actual = self.actual_format.parse(value)
        else:
            zoned_actual, local_actual = parse_zoned(value), parse_local(value)
        if zoned_actual is not None and self.truncate_actual is not None:
            zoned_actual = self.truncate_actual.apply(zoned_actual)
        zoned_expected = self.expected_now() if self.offset is not None else self.zoned_expected
        local_expected = self.local_expected
        if zoned_expected is not None and zoned_actual is not None:
            pair = (zoned_actual, zoned_expected)
        elif local_expected is not None and local_actual is not None:
            pair = (local_actual, local_expected)
        elif local_expected is not None and zoned_actual is not None:
            pair = (zoned_actual.replace(tzinfo=None), local_expected)
        elif zoned_expected is not None and local_actual is not None:
            pair = (local_actual.astimezone(), zoned_expected)
        else:
            return NO_MATCH
        if self._compare(*pair):
            return EXACT
        millis = abs((pair[0] - pair[1]) / timedelta(milliseconds=1))
        return MatchResult.partial(millis / (millis + _TWO_YEARS_MS))

    def expected_now(self) -> datetime:
        """The expected instant of a `now` expression, in the system zone."""
        now = self.clock()
        offset = self.offset or DateOffset(0, "seconds")
        truncation = self.truncate_expected
        if self.apply_truncation_last:
            value = offset.shift(now)
            value = truncation.apply(value) if truncation else value
        else:
            value = truncation.apply(now) if truncation else now
            value = offset.shift(value)
        return value if value.tzinfo is not None else value.astimezone()

    @property
    def value(self) -> str:
        """The expected value as WireMock writes it back: `now` gains its offset."""
        if self.spec == "now" and self.offset is not None:
            sign = "+" if self.offset.amount >= 0 else ""
            return f"now {sign}{self.offset}"
        return self.spec

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {self.operator: self.value}
        if self.actual_format is not None:
            out["actualFormat"] = self.actual_format.source
        if self.truncate_expected is not None:
            out["truncateExpected"] = self.truncate_expected.value
        if self.truncate_actual is not None:
            out["truncateActual"] = self.truncate_actual.value
        if self.apply_truncation_last:
            out["applyTruncationLast"] = True
        return out

    @property
    def expected(self) -> str:
        return self.value


@dataclass(frozen=True)
class Before(DateTimePattern):
    operator = "before"

    def _compare(self, actual: datetime, expected: datetime) -> bool:
        return actual < expected


@dataclass(frozen=True)
class After(DateTimePattern):
    operator = "after"

    def _compare(self, actual: datetime, expected: datetime) -> bool:
        return actual > expected


@dataclass(frozen=True)
class EqualToDateTime(DateTimePattern):
    operator = "equalToDateTime"

    def _compare(self, actual: datetime, expected: datetime) -> bool:
        return actual == expected


# -- parsers -----------------------------------------------------------------------------------------

_NOW_OFFSET = re.compile(r"[\-+]?[0-9]+ [a-zA-Z]+")


def is_now_expression(spec: str) -> bool:
    return spec.lower() == "now" or _NOW_OFFSET.fullmatch(re.sub(r"(?i)now ", "", spec)) is not None


def parse_now_offset(spec: str, pointer: str) -> DateOffset:
    """`now`, `now +3 days`, `-5 hours` -> DateOffset; InvalidInput for an unknown unit."""
    if spec.lower() == "now":
        return DateOffset(0, "seconds")
    parts = spec.split(" ")
    amount_text, unit_text = (parts[0], parts[1]) if len(parts) == 2 else (parts[1], parts[2])
    amount = int(amount_text)
    if not -(2**31) <= amount < 2**31:
        raise InvalidInput(f"offset {amount_text} is out of range", Location(pointer=pointer))
    return DateOffset(amount, _unit(unit_text, pointer))


def _unit(text: str, pointer: str) -> str:
    unit = text.lower()
    if unit not in UNITS:
        raise InvalidInput(
            f"unknown date-time unit {text!r}: expected one of {', '.join(UNITS)}", Location(pointer=pointer)
        )
    return unit


def _optional_str(obj: Mapping[str, Any], key: str, pointer: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{key} must be a string", Location(pointer=f"{pointer}/{key}"))
    return value


def _truncation(obj: Mapping[str, Any], key: str, pointer: str) -> Truncation | None:
    text = _optional_str(obj, key, pointer)
    if text is None:
        return None
    normalised = text.lower().replace("_", " ")
    for t in Truncation:
        if t.value == normalised:
            return t
    raise InvalidInput(
        f"unknown {key} {text!r}: expected one of {', '.join(t.value for t in Truncation)}",
        Location(pointer=f"{pointer}/{key}"),
    )


def parse_actual_format(text: str, pointer: str) -> ActualFormat:
    if text.lower() == "unix":
        return ActualFormat(text, None, 1000)
    if text.lower() == "epoch":
        return ActualFormat(text, None, 1)
    try:
        return ActualFormat(text, parse_java_pattern(text), 0)
    except ValueError as exc:
        raise InvalidInput(
            f"actualFormat {text!r} is not a Java date-time pattern: {exc}", Location(pointer=pointer)
        ) from None


def _parser(cls: type[DateTimePattern]) -> OperatorParser:
    def parse(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
        key = cls.operator
        spec = obj.get(key)
        if not isinstance(spec, str):
            raise InvalidInput(
                f"{key} operand must be a date-time string such as '2024-01-01T00:00:00Z' or 'now +3 days'",
                Location(pointer=pointer),
            )
        fmt = _optional_str(obj, "actualFormat", pointer)
        actual_format = parse_actual_format(fmt, f"{pointer}/actualFormat") if fmt is not None else None
        amount = obj.get("expectedOffset")
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
            raise InvalidInput(
                "expectedOffset must be an integer", Location(pointer=f"{pointer}/expectedOffset")
            )
        unit_text = _optional_str(obj, "expectedOffsetUnit", pointer)
        unit = _unit(unit_text, f"{pointer}/expectedOffsetUnit") if unit_text is not None else None
        common: dict[str, Any] = {
            "actual_format": actual_format,
            "truncate_expected": _truncation(obj, "truncateExpected", pointer),
            "truncate_actual": _truncation(obj, "truncateActual", pointer),
            "apply_truncation_last": require_bool(obj, "applyTruncationLast", pointer),
        }
        if is_now_expression(spec):
            offset = parse_now_offset(spec, pointer)
            if amount is not None and unit is not None:
                offset = DateOffset(amount, unit)
            return cls(spec, offset=offset, **common)
        zoned = parse_zoned(spec)
        local = parse_local(spec)
        if zoned is None and local is None:
            raise InvalidInput(
                f"{key} operand {spec!r} is not a date-time: expected ISO-8601 (2024-01-01T00:00:00Z, "
                "2024-01-01T00:00:00, 2024-01-01), or now / now +3 days / -5 hours",
                Location(pointer=pointer),
            )
        return cls(spec, zoned_expected=zoned, local_expected=local, **common)

    return parse


DATE_OPERATORS: dict[str, OperatorParser] = {
    "before": _parser(Before),
    "after": _parser(After),
    "equalToDateTime": _parser(EqualToDateTime),
}

__all__ = [
    "DATE_OPERATORS",
    "After",
    "Before",
    "DateOffset",
    "DateTimePattern",
    "EqualToDateTime",
    "Truncation",
    "add_months",
    "parse_local",
    "parse_zoned",
]
