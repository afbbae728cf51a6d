"""Date helpers: `now`, `date`, `parseDate`, `truncateDate` (WireMock) and `dateFormat` (jknack).

Dates are `RenderableDate`s like WireMock's: an instant plus an optional output format and zone. They
print as ISO-8601 (`2024-03-15T10:20:30Z`, no milliseconds), `epoch` (ms), `unix` (s) or a Java pattern.
The JVM default zone is taken to be UTC.
"""

from __future__ import annotations

import calendar
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from mockd.matching.javadate import ParsedDate, Style, parse_java_pattern, zone_of
from mockd.templating.options import HelperError, Options, RenderFailure
from mockd.templating.values import Printable, java_str, to_text

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class RenderableDate(Printable):
    epoch_ms: int
    fmt: str | None = None
    zone: tzinfo | None = None

    def at(self) -> datetime:
        try:
            return (EPOCH + timedelta(milliseconds=self.epoch_ms)).astimezone(self.zone or UTC)
        except OverflowError:
            raise RenderFailure("date out of range") from None

    def __str__(self) -> str:
        if self.fmt == "epoch":
            return str(self.epoch_ms)
        if self.fmt == "unix":
            return str(int(self.epoch_ms / 1000) if self.epoch_ms < 0 else self.epoch_ms // 1000)
        dt = self.at()
        if self.fmt is not None:
            try:
                return parse_java_pattern(self.fmt, Style.SIMPLE, parsing=False).format(dt)
            except ValueError as exc:
                raise RenderFailure(f"java.lang.IllegalArgumentException: {exc}") from None
        offset = dt.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds()) // 60
        suffix = (
            "Z"
            if minutes == 0
            else f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        )
        return (
            f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}{suffix}"
        )

    def hb_get(self, key: str | int) -> Any:
        if key == "time":
            return self.epoch_ms
        if key == "format":
            return self.fmt
        return None


def _epoch_ms(dt: datetime) -> int:
    delta = dt - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


# -- offsets ("3 days", "now +5 years") -------------------------------------------------------------

_UNITS = types.MappingProxyType(
    {
        "SECONDS": "seconds",
        "MINUTES": "minutes",
        "HOURS": "hours",
        "DAYS": "days",
        "MONTHS": "months",
        "YEARS": "years",
    }
)


def shift(dt: datetime, offset: str) -> datetime:
    """WireMock's DateTimeOffset: `<amount> <unit>` or `now +/-<amount> <unit>`, applied in UTC."""
    if offset.lower() == "now":
        return dt
    parts = offset.split(" ")
    if not 2 <= len(parts) <= 3:
        raise RenderFailure(
            "java.lang.IllegalArgumentException: Offset can be of the short form <amount> <unit> e.g. 8 seconds "
            "or long form now +/-<amount> <unit> e.g. now +5 years"
        )
    amount_s, unit_s = parts[-2], parts[-1]
    if not re.fullmatch(r"[+-]?\d{1,9}", amount_s) or unit_s.upper() not in _UNITS:
        raise RenderFailure(f"java.lang.IllegalArgumentException: invalid offset '{offset}'")
    amount, unit = int(amount_s), _UNITS[unit_s.upper()]
    dt = dt.astimezone(UTC)
    try:
        if unit in ("months", "years"):
            months = amount * (12 if unit == "years" else 1)
            total = dt.year * 12 + dt.month - 1 + months
            year, month = divmod(total, 12)
            day = min(dt.day, calendar.monthrange(year, month + 1)[1])
            return dt.replace(year=year, month=month + 1, day=day)
        return dt + timedelta(**{unit: amount})
    except (OverflowError, ValueError):
        raise RenderFailure("date out of range") from None


def _zone(o: Options) -> tzinfo | None:
    name = o.hash.get("timezone")
    if name is None:
        return None
    try:
        return zone_of(to_text(name))
    except ValueError as exc:
        raise RenderFailure(f"java.time.DateTimeException: {exc}") from None


def _render(o: Options, base: RenderableDate | None, now_ms: int | None) -> RenderableDate:
    fmt = o.hash.get("format")
    offset = o.hash.get("offset")
    if base is not None:
        epoch_ms, zone = base.epoch_ms, base.zone
    else:
        epoch_ms, zone = now_ms if now_ms is not None else _epoch_ms(datetime.now(UTC)), _zone(o)
    if offset is not None:
        epoch_ms = _epoch_ms(shift(EPOCH + timedelta(milliseconds=epoch_ms), to_text(offset)))
    return RenderableDate(epoch_ms, None if fmt is None else to_text(fmt), zone)


def now(ctx: Any, o: Options) -> Any:
    return _render(o, None, None)


def date(ctx: Any, o: Options) -> Any:
    if isinstance(ctx, RenderableDate):
        return _render(o, ctx, None)
    return _render(o, None, None)


# -- parsing ----------------------------------------------------------------------------------------

_ISO = re.compile(
    r"(\d{4,9})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)(?:\[([A-Za-z0-9_/+\-]+)\])?"
)
_RFC1123 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|[+-]\d{4})"
)


def _offset_zone(text: str) -> tzinfo:
    return zone_of(text if text != "Z" else "Z")


def _parse_default(text: str) -> RenderableDate | None:
    m = _ISO.fullmatch(text)
    if m:
        year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
        second = int(m.group(6) or 0)
        micro = int((m.group(7) or "0").ljust(6, "0")[:6])
        zone = zone_of(m.group(9)) if m.group(9) else _offset_zone(m.group(8))
        dt = datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
        return RenderableDate(_epoch_ms(dt), None, zone)
    m = _RFC1123.fullmatch(text)
    if m:
        month = 1 + [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ].index(m.group(2))
        zone = UTC if m.group(7) == "GMT" else _offset_zone(m.group(7))
        dt = datetime(
            int(m.group(3)),
            month,
            int(m.group(1)),
            int(m.group(4)),
            int(m.group(5)),
            int(m.group(6) or 0),
            tzinfo=zone,
        )
        return RenderableDate(_epoch_ms(dt), None, zone)
    for pattern in ("EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM dd HH:mm:ss yyyy", "EEE MMM  d HH:mm:ss yyyy"):
        try:
            return _from_parsed(parse_java_pattern(pattern).parse_fields(text), default_zone=UTC)
        except ValueError:
            continue
    return None


def _from_parsed(p: ParsedDate, default_zone: tzinfo | None = None) -> RenderableDate:
    """WireMock's DateTimeParser.parseDate: zoned instant, else local date-time / date / year-month /
    year at UTC."""
    if p.year is None:
        raise ValueError("no year")
    if p.tz is not None and p.time is None:
        raise RenderFailure("java.time.DateTimeException: Unable to obtain Instant from TemporalAccessor")
    dt = p.to_datetime().replace(tzinfo=p.tz or default_zone or UTC)  # missing month, day: 1; time: 0:00
    return RenderableDate(_epoch_ms(dt), None, p.tz)


def parse_date(ctx: Any, o: Options) -> Any:
    text = java_str(ctx) if ctx is not None else "null"
    fmt = o.hash.get("format")
    try:
        if fmt is None:
            return _parse_default(text)
        fmt_text = to_text(fmt)
        if fmt_text.lower() in ("unix", "epoch"):
            if not re.fullmatch(r"[+-]?\d{1,18}", text):
                raise RenderFailure(f'java.lang.NumberFormatException: For input string: "{text}"')
            return RenderableDate(int(text) * (1000 if fmt_text.lower() == "unix" else 1))
        try:
            pattern = parse_java_pattern(fmt_text, parsing=False)
        except ValueError as exc:
            raise RenderFailure(f"java.lang.IllegalArgumentException: {exc}") from None
        return _from_parsed(pattern.parse_fields(text))
    except (ValueError, OverflowError):
        return None


# -- truncation -------------------------------------------------------------------------------------


def _truncate(kind: str, dt: datetime) -> datetime:
    day_start = dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "FIRST_SECOND_OF_MINUTE":
        return dt.replace(second=0, microsecond=0)
    if kind == "FIRST_MINUTE_OF_HOUR":
        return dt.replace(minute=0, second=0, microsecond=0)
    if kind == "FIRST_HOUR_OF_DAY":
        return day_start
    if kind == "FIRST_DAY_OF_MONTH":
        return day_start.replace(day=1)
    if kind == "FIRST_DAY_OF_NEXT_MONTH":
        return (day_start.replace(day=28) + timedelta(days=4)).replace(day=1)
    if kind == "LAST_DAY_OF_MONTH":
        return day_start.replace(day=calendar.monthrange(dt.year, dt.month)[1])
    if kind == "FIRST_DAY_OF_YEAR":
        return day_start.replace(month=1, day=1)
    if kind == "FIRST_DAY_OF_NEXT_YEAR":
        return day_start.replace(year=dt.year + 1, month=1, day=1)
    if kind == "LAST_DAY_OF_YEAR":
        return day_start.replace(month=12, day=31)
    raise RenderFailure(f"java.lang.IllegalArgumentException: No enum constant DateTimeTruncation.{kind}")


def truncate_date(ctx: Any, o: Options) -> Any:
    if not o.params:
        raise HelperError("Truncation type must be specified as the first parameter to truncateDate")
    if not isinstance(ctx, RenderableDate):
        raise HelperError("A date object must be passed to the truncateDate helper")
    kind = java_str(o.params[0]).upper().replace(" ", "_")
    zone = ctx.zone or UTC
    local = ctx.at().astimezone(zone)
    truncated = _truncate(kind, local)
    # re-attach the zone so that local wall time is kept across DST changes
    truncated = truncated.replace(tzinfo=zone)
    return RenderableDate(_epoch_ms(truncated), None, zone)


# -- dateFormat (jknack StringHelpers, java.time DateTimeFormatter, English) ------------------------

_DATE_STYLES = types.MappingProxyType(
    {"full": "EEEE, MMMM d, y", "long": "MMMM d, y", "medium": "MMM d, y", "short": "M/d/yy"}
)
_TIME_STYLES = types.MappingProxyType(
    {"full": "h:mm:ss a zzzz", "long": "h:mm:ss a z", "medium": "h:mm:ss a", "short": "h:mm a"}
)


def date_format(ctx: Any, o: Options) -> Any:
    if ctx is None or ctx == "" or ctx is False:
        first = o.param(0)
        return None if first is None else to_text(first)
    if not isinstance(ctx, RenderableDate):
        raise RenderFailure(
            f"java.lang.IllegalArgumentException: found instance of {type(ctx).__name__} with value "
            f"'{java_str(ctx)}', but expected instance of TemporalAccessor"
        )
    pattern = to_text(o.param(0, o.hash.get("format", "medium")))
    time_style = o.hash.get("time")
    if pattern in _DATE_STYLES:
        text = _DATE_STYLES[pattern]
        if isinstance(time_style, str) and time_style in _TIME_STYLES:
            joiner = " 'at' " if pattern in ("full", "long") else ", "
            text = text + joiner + _TIME_STYLES[time_style]
        pattern = text
    tz_name = o.hash.get("tz")
    try:
        zone = zone_of(to_text(tz_name)) if tz_name is not None else UTC
        dt = (EPOCH + timedelta(milliseconds=ctx.epoch_ms)).astimezone(zone)
        return parse_java_pattern(pattern, parsing=False).format(dt)
    except (ValueError, OverflowError) as exc:
        raise RenderFailure(f"java.lang.IllegalArgumentException: {exc}") from None


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {
        "now": now,
        "date": date,
        "parseDate": parse_date,
        "truncateDate": truncate_date,
        "dateFormat": date_format,
    }
)
