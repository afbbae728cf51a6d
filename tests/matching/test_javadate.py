"""Java date patterns: DateTimeFormatter (formatting, parsing with the SMART resolver, US locale, pattern
errors) and SimpleDateFormat (formatting, for the template helpers `now` and `date`). Expected values
that differ between the two styles were checked against Java 17."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.matching.javadate import Style, parse_java_pattern, zone_from_name, zone_of

PLUS2 = timezone(timedelta(hours=2))
SAMPLE = datetime(2024, 3, 9, 7, 5, 4, 123456, tzinfo=PLUS2)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("yyyy-MM-dd", "2024-03-09"),
        ("yy", "24"),
        ("d/M/yyyy", "9/3/2024"),
        ("dd/MM/yyyy HH:mm:ss", "09/03/2024 07:05:04"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSS", "2024-03-09T07:05:04.123"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-03-09T07:05:04.123+02:00"),
        ("EEE, d MMM yyyy HH:mm:ss Z", "Sat, 9 Mar 2024 07:05:04 +0200"),
        ("EEEE MMMM d", "Saturday March 9"),
        ("h:mm a", "7:05 AM"),
        ("hh 'o''clock'", "07 o'clock"),
        ("H", "7"),
        ("k K", "7 7"),
        ("D", "69"),
        ("X x XX XXX ZZZZ ZZZZZ O OOOO", "+02 +02 +0200 +02:00 GMT+02:00 +02:00 GMT+2 GMT+02:00"),
        ("yyyyMMddHHmmss", "20240309070504"),
        ("SSSSSS", "123456"),
        ("G yyyy", "AD 2024"),
        ("[yyyy]", "2024"),
        ("'literal'", "literal"),
        ("''", "'"),
    ],
)
def test_format(pattern: str, text: str) -> None:
    assert parse_java_pattern(pattern).format(SAMPLE) == text


def test_format_zone_names() -> None:
    assert parse_java_pattern("z").format(datetime(2024, 1, 1, tzinfo=UTC)) == "UTC"
    from zoneinfo import ZoneInfo

    paris = datetime(2024, 7, 1, tzinfo=ZoneInfo("Europe/Paris"))
    assert parse_java_pattern("z VV").format(paris) == "CEST Europe/Paris"
    assert parse_java_pattern("XXX").format(datetime(2024, 1, 1, tzinfo=UTC)) == "Z"
    assert parse_java_pattern("xxx").format(datetime(2024, 1, 1, tzinfo=UTC)) == "+00:00"
    with pytest.raises(ValueError):
        parse_java_pattern("XXX").format(datetime(2024, 1, 1))  # zone letter, naive value


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("dd/MM/yyyy", "31/12/1999", datetime(1999, 12, 31)),
        ("dd/MM/yyyy", "31/02/2001", datetime(2001, 2, 28)),  # SMART clamps the day
        ("d/M/yy", "1/2/03", datetime(2003, 2, 1)),
        ("yyyyMMdd", "20240309", datetime(2024, 3, 9)),  # adjacent value parsing
        ("yyyyMMddHHmm", "202403090705", datetime(2024, 3, 9, 7, 5)),
        ("yyyy-MM-dd HH:mm:ss.SSS", "2024-03-09 07:05:04.120", datetime(2024, 3, 9, 7, 5, 4, 120000)),
        ("yyyy-MM-dd'T'HH:mm:ssXXX", "2024-03-09T07:05:04Z", datetime(2024, 3, 9, 7, 5, 4, tzinfo=UTC)),
        (
            "yyyy-MM-dd'T'HH:mm:ssXXX",
            "2024-03-09T07:05:04+02:00",
            datetime(2024, 3, 9, 7, 5, 4, tzinfo=PLUS2),
        ),
        ("yyyy-MM-dd HH:mm Z", "2024-03-09 07:05 +0200", datetime(2024, 3, 9, 7, 5, tzinfo=PLUS2)),
        ("EEE MMM  d HH:mm:ss yyyy", "Sun Nov  6 08:49:37 1994", datetime(1994, 11, 6, 8, 49, 37)),
        (
            "EEEE, dd-MMM-yy HH:mm:ss zzz",
            "Sunday, 07-Nov-21 08:49:37 GMT",
            datetime(2021, 11, 7, 8, 49, 37, tzinfo=UTC),
        ),
        ("yyyy-MM-dd hh:mm a", "2024-03-09 07:05 PM", datetime(2024, 3, 9, 19, 5)),
        ("yyyy-MM-dd hh:mm a", "2024-03-09 12:05 AM", datetime(2024, 3, 9, 0, 5)),
        ("yyyy-MM", "2024-03", datetime(2024, 3, 1)),  # to_datetime fills the day
        ("yyyy", "2024", datetime(2024, 1, 1)),
        ("yyyy-D", "2024-69", datetime(2024, 3, 9)),
        ("MMMM d, yyyy", "March 9, 2024", datetime(2024, 3, 9)),
        ("yyyy-MM-dd[ HH:mm]", "2024-03-09", datetime(2024, 3, 9)),
        ("yyyy-MM-dd[ HH:mm]", "2024-03-09 07:05", datetime(2024, 3, 9, 7, 5)),
        ("yyyy-MM-dd HH:mm VV", "2024-07-01 10:00 Europe/Paris", datetime(2024, 7, 1, 8, 0, tzinfo=UTC)),
    ],
)
def test_parse(pattern: str, text: str, expected: datetime) -> None:
    assert parse_java_pattern(pattern).parse(text) == expected


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("dd/MM/yyyy", "1/2/2021"),  # dd is exactly two digits
        ("dd/MM/yyyy", "31/13/2021"),
        ("dd/MM/yyyy", "32/01/2021"),
        ("dd/MM/yyyy", "31/12/1999 "),  # the whole text must be used
        ("MMM yyyy", "mar 2021"),  # text is case-sensitive
        ("EEE, dd MMM yyyy", "Mon, 09 Mar 2024"),  # the day name must agree
        ("HH:mm", "24:00"),
        ("yyyy-MM-dd", ""),
        ("yyyy-MM-dd XXX", "2024-01-01 +25:00"),
        ("yyyy z", "2024 Nowhere/Land"),
    ],
)
def test_parse_rejects(pattern: str, text: str) -> None:
    with pytest.raises(ValueError):
        parse_java_pattern(pattern).parse(text)


def test_parse_fields_tell_what_was_there() -> None:
    fields = parse_java_pattern("dd/MM/yyyy").parse_fields("09/03/2024")
    assert fields.date == date(2024, 3, 9) and fields.time is None and not fields.has_zone
    with pytest.raises(ValueError):
        fields.to_local_datetime()
    assert fields.to_local_date() == date(2024, 3, 9)
    zoned = parse_java_pattern("yyyy-MM-dd HH:mm XXX").parse_fields("2024-03-09 07:05 +02:00")
    assert zoned.to_zoned() == datetime(2024, 3, 9, 7, 5, tzinfo=PLUS2)
    assert zoned.to_local_datetime() == datetime(2024, 3, 9, 7, 5)
    assert zoned.time == time(7, 5)
    ym = parse_java_pattern("MM/yyyy").parse_fields("03/2024")
    assert ym.to_year_month() == (2024, 3) and ym.to_year() == 2024


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("nope{", "Unknown pattern letter: o"),
        ("yyyy-MM-dd'T", "incomplete string literal"),
        ("ddd", "Too many pattern letters: d"),
        ("HHH", "Too many pattern letters: H"),
        ("V", "count must be 2"),
        ("OO", "count must be 1 or 4"),
        ("yyyy]", "]"),
        ("[yyyy", "["),
        ("#", "reserved"),
        ("b", "Unknown pattern letter: b"),
        ("Q", "Unsupported pattern letter: Q"),
    ],
)
def test_pattern_errors(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_java_pattern(pattern)


def test_zone_from_name() -> None:
    assert zone_from_name("GMT") is UTC
    assert zone_from_name("+02:00") == PLUS2
    assert zone_from_name("PST") == timezone(timedelta(hours=-8), "PST")
    assert zone_from_name("Europe/Paris") is not None
    assert zone_from_name("Nowhere/Land") is None
    assert zone_from_name("../../etc/passwd") is None


PATTERNS = [
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "EEE, d MMM yyyy HH:mm:ss Z",
    "dd/MM/yy hh:mm a",
    "yyyyMMddHHmmss",
    "EEEE MMMM dd yyyy HH:mm:ss xx",
]


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
    st.sampled_from(PATTERNS),
)
def test_format_then_parse_round_trips(value: datetime, offset_minutes: int, pattern: str) -> None:
    aware = value.replace(
        microsecond=value.microsecond // 1000 * 1000, tzinfo=timezone(timedelta(minutes=offset_minutes))
    )
    fmt = parse_java_pattern(pattern)
    text = fmt.format(aware)
    parsed = fmt.parse(text)
    assert fmt.format(parsed if parsed.tzinfo else parsed.replace(tzinfo=aware.tzinfo)) == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from([*PATTERNS, "d/M/y", "yyyy[-MM[-dd]]", "z", "VV"]))
def test_parse_only_raises_value_error(text: str, pattern: str) -> None:
    with contextlib.suppress(ValueError):
        parse_java_pattern(pattern).parse(text)


# -- both styles ------------------------------------------------------------------------------------

END_OF_2023 = datetime(2023, 12, 31, 23, 59, 58, 123000, tzinfo=UTC)
PLUS0530 = timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("pattern", "formatter", "simple"),
    [
        ("yyyy-MM-dd HH:mm:ss.SSS", "2023-12-31 23:59:58.123", "2023-12-31 23:59:58.123"),
        ("S SS SSSS", "1 12 1230", "123 123 0123"),  # a fraction vs milliseconds
        ("u", "2023", "7"),  # the year vs the day number
        ("EEEEE MMMMM GGGGG", "S D A", "Sunday December Anno Domini"),  # narrow vs full
        ("eee e", "Sun 1", "001 1"),
        ("Z ZZZZ ZZZZZ", "+0000 GMT Z", "+0000 +0000 +0000"),
        ("z zzzz", "UTC Coordinated Universal Time", "UTC Coordinated Universal Time"),
        ("YYYY ww", "2024 01", "2024 01"),  # the week-based year, US weeks
        ("D w W F E", "365 1 6 5 Sun", "365 1 6 5 Sun"),
        ("Q QQQ QQQQ", "4 Q4 4th quarter", "4 Q4 4th quarter"),
        ("k K h a", "23 11 11 PM", "23 11 11 PM"),
        ("X XXX x", "Z Z +00", "Z Z +00"),
    ],
)
def test_format_in_both_styles(pattern: str, formatter: str, simple: str) -> None:
    assert parse_java_pattern(pattern, parsing=False).format(END_OF_2023) == formatter
    assert parse_java_pattern(pattern, Style.SIMPLE, parsing=False).format(END_OF_2023) == simple


def test_offset_zones_print_as_each_style_prints_them() -> None:
    value = END_OF_2023.astimezone(PLUS0530)
    assert parse_java_pattern("z O", parsing=False).format(value) == "+05:30 GMT+5:30"
    assert parse_java_pattern("z Z", Style.SIMPLE, parsing=False).format(value) == "GMT+05:30 +0530"


def test_simple_date_format_reads_brackets_and_hashes_as_text() -> None:
    fmt = parse_java_pattern("[yyyy] {MM} #dd", Style.SIMPLE, parsing=False)
    assert fmt.format(END_OF_2023) == "[2023] {12} #31"
    with pytest.raises(ValueError, match="reserved"):
        parse_java_pattern("yyyy#", parsing=False)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("b", "Illegal pattern character 'b'"),
        ("c", "Illegal pattern character 'c'"),
        ("'x", "Unterminated quote"),
    ],
)
def test_simple_pattern_errors(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_java_pattern(pattern, Style.SIMPLE, parsing=False)


def test_letters_that_only_format() -> None:
    with pytest.raises(ValueError, match="Unsupported pattern letter: Q"):
        parse_java_pattern("yyyy Q")  # a pattern to parse with: refused when compiled
    fmt = parse_java_pattern("yyyy Q", parsing=False)
    assert fmt.format(END_OF_2023) == "2023 4"
    with pytest.raises(ValueError, match="Unsupported pattern letter: Q"):
        fmt.parse_fields("2023 4")
    with pytest.raises(ValueError, match="only used to format"):
        parse_java_pattern("yyyy", Style.SIMPLE)
    with pytest.raises(ValueError, match="only used to format"):
        parse_java_pattern("yyyy", Style.SIMPLE, parsing=False).parse_fields("2023")


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("yyyy-MM-dd HH:mm z", "2024-03-09 07:05 +02:00", datetime(2024, 3, 9, 7, 5, tzinfo=PLUS2)),
        ("yyyy-MM-dd HH:mm VV", "2024-03-09 07:05 +02:00", datetime(2024, 3, 9, 7, 5, tzinfo=PLUS2)),
        ("yyyy-MM-dd HH:mm VV", "2024-03-09 07:05 Z", datetime(2024, 3, 9, 7, 5, tzinfo=UTC)),
        ("yyyy-MM-dd HH:mm VV", "2024-03-09 07:05 Japan", datetime(2024, 3, 8, 22, 5, tzinfo=UTC)),
        ("yyyy-MM-dd kk:mm", "2024-03-09 00:05", datetime(2024, 3, 9, 0, 5)),  # SMART: 0 for 24
        ("yyyy-MM-dd kk:mm", "2024-03-09 24:05", datetime(2024, 3, 9, 0, 5)),
        ("yyyy-MM-dd hh:mm a", "2024-03-09 00:05 AM", datetime(2024, 3, 9, 0, 5)),
    ],
)
def test_parse_as_java_does(pattern: str, text: str, expected: datetime) -> None:
    assert parse_java_pattern(pattern).parse(text) == expected


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("yyyy-MM-dd hh:mm a", "2024-03-09 07:05 pm"),  # AM/PM are case-sensitive
        ("yyyy-MM-dd HH:mm Z", "2024-03-09 07:05 Z"),  # Z is +HHMM, not Z
        ("yyyy-MM-dd HH:mm x", "2024-03-09 07:05 Z"),
        ("yyyy-MM-dd HH:mm z", "2024-03-09 07:05 Japanese"),
        ("yyyy-MM-dd KK:mm a", "2024-03-09 12:05 PM"),
    ],
)
def test_parse_rejects_as_java_does(pattern: str, text: str) -> None:
    with pytest.raises(ValueError):
        parse_java_pattern(pattern).parse(text)


def test_zone_of_is_java_zone_id_of() -> None:
    from zoneinfo import ZoneInfo

    assert zone_of("Z") is UTC
    assert zone_of(" UTC ") == ZoneInfo("UTC")
    assert zone_of("GMT") == ZoneInfo("GMT")
    assert zone_of("+05:30") == PLUS0530
    assert zone_of("UTC+2") == PLUS2
    assert zone_of("Japan") == ZoneInfo("Japan")
    for bad in ("PST", "+19:00", "Nowhere/Land", "../etc/passwd", ""):
        with pytest.raises(ValueError, match="Unknown time-zone ID"):
            zone_of(bad)
