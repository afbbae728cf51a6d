"""before / after / equalToDateTime (spec §2.3). Cases marked "oracle" were checked against WireMock
3.13.2; the conformance cases of ../shared/conformance/cases/datetime are translated at the end."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.errors import InvalidInput
from mockd.matching.dates import DateTimePattern, Truncation, add_months, parse_local, parse_zoned
from mockd.matching.operators import parse_pattern, parse_string_pattern


def m(pattern: dict[str, Any], value: str | None) -> bool:
    return parse_pattern(pattern, "/p").match(value).exact


def at(pattern: dict[str, Any], now: datetime) -> DateTimePattern:
    p = parse_pattern(pattern, "/p")
    assert isinstance(p, DateTimePattern)
    return dataclasses.replace(p, clock=lambda: now)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-01T00:00:00Z", datetime(2021, 1, 1, tzinfo=UTC)),
        ("2021-01-01t00:00:00z", datetime(2021, 1, 1, tzinfo=UTC)),
        ("2021-01-01T00:00Z", datetime(2021, 1, 1, tzinfo=UTC)),
        ("2021-01-01T02:00:00.500+02:00", datetime(2021, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)),
        ("2021-01-01T01:00:00+01:00[Europe/Paris]", datetime(2021, 1, 1, tzinfo=UTC)),
        ("Wed, 21 Oct 2015 07:28:00 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC)),
        ("21 Oct 2015 09:28:00 +0200", datetime(2015, 10, 21, 7, 28, tzinfo=UTC)),
        ("wed, 21 oct 2015 07:28 gmt", datetime(2015, 10, 21, 7, 28, tzinfo=UTC)),  # oracle
        ("2015-10-21T08:28:00+01", datetime(2015, 10, 21, 7, 28, tzinfo=UTC)),  # oracle
        ("Sun Nov  6 08:49:37 1994", datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)),  # asctime
        ("Sun Nov 06 08:49:37 1994", datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)),
        ("Sunday, 07-Nov-21 08:49:37 GMT", datetime(2021, 11, 7, 8, 49, 37, tzinfo=UTC)),  # RFC 1036
        ("Sunday, 07-Nov-21 10:49:37 CEST", datetime(2021, 11, 7, 8, 49, 37, tzinfo=UTC)),
    ],
)
def test_zoned_parsers(text: str, expected: datetime) -> None:
    assert parse_zoned(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sunday, 06-Nov-94 08:49:37 GMT",  # yy is 20yy: 2094-11-06 is no Sunday
        "2021-01-01 00:00:00Z",
        "2021-13-01T00:00:00Z",
        "Mon, 21 Oct 2015 07:28:00 GMT",
        "nope",
        "",
        "2021-01-01T00:00:00+0100",
    ],
)
def test_zoned_parsers_refuse(text: str) -> None:
    assert parse_zoned(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-03-04T05:06:07", datetime(2023, 3, 4, 5, 6, 7)),
        ("2023-03-04T05:06", datetime(2023, 3, 4, 5, 6)),
        ("2023-03-04T05:06:07.123456789", datetime(2023, 3, 4, 5, 6, 7, 123456)),
        ("2023-03-04", datetime(2023, 3, 4)),
        ("2023-03", datetime(2023, 3, 1)),
        ("2023", datetime(2023, 1, 1)),
        ("2023-02-30", None),
        ("2023-03-04T05:06:07Z", None),
    ],
)
def test_local_parsers(text: str, expected: datetime | None) -> None:
    assert parse_local(text) == expected


@pytest.mark.parametrize(
    ("pattern", "value", "outcome"),
    [
        ({"before": "2024-01-01T00:00:00Z"}, "2023-12-31T23:59:59Z", True),
        ({"before": "2024-01-01T00:00:00Z"}, "2024-01-01T00:00:00Z", False),
        ({"before": "2024-01-01T00:00:00Z"}, "2024-01-01T00:30:00+01:00", True),
        ({"after": "2024-01-01T00:00:00Z"}, "2024-01-01T00:00:01Z", True),
        ({"after": "2024-01-01T00:00:00Z"}, "2024-01-01T00:00:00Z", False),
        ({"equalToDateTime": "2021-01-01T10:00:00"}, "2021-01-01T10:00:00+05:00", True),  # local drops zone
        ({"equalToDateTime": "2021-01-01T10:00:00"}, "2021-01-01T10:00:00Z", True),
        ({"equalToDateTime": "2021-01-01"}, "2021-01-01T00:00:00", True),  # oracle
        ({"equalToDateTime": "2021-01-01"}, "2021-01", True),
        ({"equalToDateTime": "2021-01-01"}, "2021", True),
        ({"equalToDateTime": "2021-02"}, "2021-02-01T00:00:00", True),
        ({"equalToDateTime": "2021-01-01T00:00:00Z"}, "2021-01-01T00:00:00.000Z", True),
        ({"equalToDateTime": "2021-01-01T00:00:00.5Z"}, "2021-01-01T00:00:00.500Z", True),
        (
            {"equalToDateTime": "1994-11-06T08:49:37Z"},
            "Sunday, 06-Nov-94 08:49:37 GMT",
            False,
        ),  # oracle: 2094
        ({"equalToDateTime": "1994-11-06T08:49:37Z"}, "Sun Nov  6 08:49:37 1994", True),
        ({"before": "2024-01-01T00:00:00Z"}, "not a date", False),
        ({"before": "2024-01-01T00:00:00Z"}, None, False),
        ({"before": "2024-01-01T00:00:00Z"}, "", False),
    ],
)
def test_comparisons(pattern: dict[str, Any], value: str | None, outcome: bool) -> None:
    assert m(pattern, value) is outcome


def test_zoned_expected_reads_a_local_actual_in_the_system_zone() -> None:
    local_now = datetime(2021, 6, 1, 12, 0)
    zoned = local_now.astimezone()
    p = {"equalToDateTime": zoned.isoformat()}
    assert m(p, "2021-06-01T12:00:00")


@pytest.mark.parametrize(
    ("pattern", "value", "outcome"),
    [
        ({"equalToDateTime": "2021-01-01T00:00:00Z", "actualFormat": "epoch"}, "1609459200000", True),
        ({"equalToDateTime": "2021-01-01T00:00:00Z", "actualFormat": "epoch"}, "1609459200", False),
        ({"equalToDateTime": "2021-01-01T00:00:00Z", "actualFormat": "unix"}, "1609459200", True),
        ({"equalToDateTime": "2021-01-01T00:00:00", "actualFormat": "UNIX"}, "1609459200", True),
        ({"equalToDateTime": "2021-01-01T00:00:00Z", "actualFormat": "unix"}, "1609459200.5", False),
        ({"equalToDateTime": "2021-01-01T00:00:00Z", "actualFormat": "unix"}, "99999999999999999", False),
        ({"before": "2000-01-01T00:00:00", "actualFormat": "dd/MM/yyyy"}, "31/12/1999", True),
        ({"before": "2000-01-01T00:00:00", "actualFormat": "dd/MM/yyyy"}, "02/01/2000", False),
        ({"before": "2000-01-01T00:00:00", "actualFormat": "dd/MM/yyyy"}, "1999-12-31", False),
        (
            {"equalToDateTime": "2021-03-04T05:06:00Z", "actualFormat": "yyyy-MM-dd HH:mm XXX"},
            "2021-03-04 07:06 +02:00",
            True,
        ),
        (
            {"equalToDateTime": "2021-03-04T05:06:00", "actualFormat": "yyyy-MM-dd HH:mm"},
            "2021-03-04 05:06",
            True,
        ),
        ({"equalToDateTime": "2021-03-01T00:00:00", "actualFormat": "MMM yyyy"}, "Mar 2021", True),
        ({"equalToDateTime": "2021-01-01T00:00:00", "actualFormat": "yyyy"}, "2021", True),
    ],
)
def test_actual_format(pattern: dict[str, Any], value: str, outcome: bool) -> None:
    assert m(pattern, value) is outcome


NOW = datetime(2024, 5, 15, 10, 30, 45)  # local wall time, as datetime.now() gives it


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"before": "now"}, NOW),
        ({"before": "NOW"}, NOW),
        ({"before": "now +3 days"}, NOW + timedelta(days=3)),
        ({"before": "now -5 hours"}, NOW - timedelta(hours=5)),
        ({"before": "-5 hours"}, NOW - timedelta(hours=5)),
        ({"before": "+10 minutes"}, NOW + timedelta(minutes=10)),
        ({"before": "now +1 months"}, datetime(2024, 6, 15, 10, 30, 45)),
        ({"before": "now -1 years"}, datetime(2023, 5, 15, 10, 30, 45)),
        ({"before": "now", "expectedOffset": 2, "expectedOffsetUnit": "DAYS"}, NOW + timedelta(days=2)),
        (
            {"before": "now +9 days", "expectedOffset": 2, "expectedOffsetUnit": "days"},
            NOW + timedelta(days=2),
        ),
        ({"before": "now", "truncateExpected": "first day of month"}, datetime(2024, 5, 1)),
        ({"before": "now", "truncateExpected": "first second of minute"}, datetime(2024, 5, 15, 10, 30)),
        ({"before": "now", "truncateExpected": "first minute of hour"}, datetime(2024, 5, 15, 10)),
        ({"before": "now", "truncateExpected": "first hour of day"}, datetime(2024, 5, 15)),
        ({"before": "now", "truncateExpected": "FIRST_DAY_OF_NEXT_MONTH"}, datetime(2024, 6, 1)),
        ({"before": "now", "truncateExpected": "last day of month"}, datetime(2024, 5, 31)),
        ({"before": "now", "truncateExpected": "first day of year"}, datetime(2024, 1, 1)),
        ({"before": "now", "truncateExpected": "First Day Of Next Year"}, datetime(2025, 1, 1)),
        ({"before": "now", "truncateExpected": "last day of year"}, datetime(2024, 12, 31)),
        ({"before": "now +1 days", "truncateExpected": "first day of month"}, datetime(2024, 5, 2)),
        (
            {"before": "now +20 days", "truncateExpected": "first day of month", "applyTruncationLast": True},
            datetime(2024, 6, 1),
        ),
    ],
)
def test_now_expressions(pattern: dict[str, Any], expected: datetime) -> None:
    assert at(pattern, NOW).expected_now() == expected.astimezone()


def test_now_is_compared_with_zoned_and_local_actual_values() -> None:
    p = at({"after": "now -1 days"}, NOW)
    assert p.match(NOW.astimezone(UTC).isoformat().replace("+00:00", "Z")).exact
    assert p.match("2024-05-15T10:30:00").exact  # local actual: system zone
    assert not p.match("2024-05-13T10:30:00").exact
    assert m({"before": "now +3 days"}, "2020-01-01T00:00:00Z")
    assert not m({"before": "now +3 days"}, "2999-01-01T00:00:00Z")
    assert m({"after": "-5 hours"}, "2999-01-01T00:00:00Z")


def test_truncations_and_offsets_never_apply_to_a_literal() -> None:
    # oracle: truncateExpected / expectedOffset are ignored when the expected value is a literal
    assert not m(
        {"equalToDateTime": "2021-01-01T10:00:00Z", "truncateExpected": "first day of month"},
        "2021-01-01T00:00:00Z",
    )
    assert not m(
        {"before": "2021-01-01T00:00:00Z", "expectedOffset": 3, "expectedOffsetUnit": "years"},
        "2022-01-01T00:00:00Z",
    )


def test_truncate_actual_applies_to_zoned_values_only() -> None:
    p = {"equalToDateTime": "2021-01-01T00:00:00Z", "truncateActual": "first day of month"}
    assert m(p, "2021-01-15T10:11:12Z")
    assert not m(p, "2021-01-15T10:11:12")  # oracle


def test_truncation_helpers() -> None:
    dt = datetime(2024, 1, 31, 13, 14, 15, 16)
    assert Truncation.LAST_DAY_OF_MONTH.apply(datetime(2024, 2, 10)) == datetime(2024, 2, 29)
    assert Truncation.FIRST_DAY_OF_NEXT_MONTH.apply(datetime(2024, 12, 10)) == datetime(2025, 1, 1)
    assert add_months(dt, 1) == datetime(2024, 2, 29, 13, 14, 15, 16)
    assert add_months(dt, -2) == datetime(2023, 11, 30, 13, 14, 15, 16)
    assert add_months(dt, 12) == datetime(2025, 1, 31, 13, 14, 15, 16)


def test_distance_grows_with_the_gap() -> None:
    p = parse_pattern({"before": "2024-01-01T00:00:00Z"}, "")
    near = p.match("2024-01-02T00:00:00Z").distance
    far = p.match("2030-01-01T00:00:00Z").distance
    assert 0 < near < far < 1
    assert p.match("garbage").distance == 1.0


def test_to_json() -> None:
    assert parse_pattern({"before": "now"}, "").to_json() == {"before": "now +0 seconds"}  # oracle
    assert parse_pattern({"before": "now -3 days"}, "").to_json() == {"before": "now -3 days"}
    assert parse_pattern(
        {"before": "now", "expectedOffset": -3, "expectedOffsetUnit": "DAYS"}, ""
    ).to_json() == {"before": "now -3 days"}
    assert parse_pattern({"after": "+3 days"}, "").to_json() == {"after": "+3 days"}
    full = {
        "equalToDateTime": "now",
        "actualFormat": "yyyy",
        "truncateExpected": "First Day Of Month",
        "truncateActual": "last_day_of_year",
        "applyTruncationLast": True,
    }
    assert parse_pattern(full, "").to_json() == {
        "equalToDateTime": "now +0 seconds",
        "actualFormat": "yyyy",
        "truncateExpected": "first day of month",
        "truncateActual": "last day of year",
        "applyTruncationLast": True,
    }
    assert parse_pattern({"before": "now", "applyTruncationLast": False}, "").to_json() == {
        "before": "now +0 seconds"
    }
    assert parse_pattern({"after": "2021-01-01"}, "").expected == "2021-01-01"


@pytest.mark.parametrize(
    ("pattern", "pointer"),
    [
        ({"before": 5}, "/p"),
        ({"before": None}, "/p"),
        ({"before": "garbage"}, "/p"),
        ({"before": "now +3 fortnights"}, "/p"),
        ({"before": "now +99999999999 days"}, "/p"),
        ({"before": "now", "truncateExpected": "first day of week"}, "/p/truncateExpected"),
        ({"before": "now", "truncateActual": 3}, "/p/truncateActual"),
        ({"before": "now", "actualFormat": "nope{"}, "/p/actualFormat"),
        ({"before": "now", "actualFormat": 5}, "/p/actualFormat"),
        ({"before": "now", "expectedOffset": "x"}, "/p/expectedOffset"),
        ({"before": "now", "expectedOffset": True}, "/p/expectedOffset"),
        ({"before": "now", "expectedOffset": 3, "expectedOffsetUnit": "weeks"}, "/p/expectedOffsetUnit"),
        ({"before": "now", "applyTruncationLast": "yes"}, "/p/applyTruncationLast"),
    ],
)
def test_invalid_operands(pattern: dict[str, Any], pointer: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_pattern(pattern, "/p")
    assert info.value.pointer == pointer


# conformance cases/datetime/*.yaml (through headers and query parameters: plain string matching)
CONFORMANCE = [
    ({"before": "2024-01-01T00:00:00Z"}, [("2023-06-01T10:00:00Z", True), ("2025-02-01T10:00:00Z", False), ("not a date", False)]),
    ({"after": "2021-05-01T00:00:00Z"}, [("2022-01-01T00:00:00Z", True), ("2020-12-31T23:59:59Z", False)]),
    (
        {"equalToDateTime": "2024-06-01T12:00:00Z"},
        [("2024-06-01T12:00:00Z", True), ("2024-06-01T14:00:00+02:00", True), ("2024-06-01T12:00:01Z", False)],
    ),
    ({"before": "2000-01-01T00:00:00", "actualFormat": "dd/MM/yyyy"}, [("31/12/1999", True), ("02/01/2000", False)]),
    ({"equalToDateTime": "2023-03-04T05:06:07"}, [("2023-03-04T05:06:07", True), ("2023-03-04T05:06:08", False)]),
    (
        {"after": "2015-10-21T00:00:00Z"},
        [("Wed, 21 Oct 2015 07:28:00 GMT", True), ("Tue, 20 Oct 2015 07:28:00 GMT", False)],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "cases"), CONFORMANCE)
def test_conformance(pattern: dict[str, Any], cases: list[tuple[str, bool]]) -> None:
    p = parse_string_pattern(pattern, "/request/headers/X-Date")
    for value, outcome in cases:
        assert p.match(value).exact is outcome, value


def test_conformance_json_path_after() -> None:
    p = {"matchesJsonPath": {"expression": "$.createdAt", "after": "2020-02-02T00:00:00Z"}}
    assert m(p, '{"createdAt":"2021-01-01T00:00:00Z"}')
    assert not m(p, '{"createdAt":"2019-01-01T00:00:00Z"}')


PATTERNS = [
    parse_pattern(p, "")
    for p in (
        {"before": "now +1 days"},
        {"after": "2021-01-01T00:00:00Z", "truncateActual": "last day of month"},
        {"equalToDateTime": "2021-01-01", "actualFormat": "EEE, dd MMM yyyy HH:mm:ss z"},
        {"equalToDateTime": "2021-01-01T00:00:00Z", "actualFormat": "epoch"},
    )
]


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=40)
    | st.from_regex(r"[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}T[0-9:.+Z\-\[\]a-z/]{0,20}", fullmatch=True)
)
def test_no_text_makes_a_date_matcher_raise(value: str) -> None:
    for p in PATTERNS:
        assert 0 <= p.match(value).distance <= 1


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_iso_round_trip(value: datetime) -> None:
    text = value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    assert parse_pattern({"equalToDateTime": text}, "").match(text).exact
