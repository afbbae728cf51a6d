"""The date helpers' Java patterns: `now`/`date format=` are SimpleDateFormat, `parseDate format=` and
`dateFormat` are DateTimeFormatter (one implementation: mockd.matching.javadate). Each expected value
was checked against WireMock 3.13.2 (parseDate, RenderableDate) or Java 17's DateTimeFormatter."""

from __future__ import annotations

from typing import Any

import pytest

from mockd.errors import TemplateRenderError

END_OF_2023 = "(parseDate '2023-12-31T23:59:58.123Z')"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{parseDate '2024-03-05 07:08 PM' format='yyyy-MM-dd hh:mm a'}}", "2024-03-05T19:08:00Z"),
        ("{{parseDate '2024-03-05 07:08 pm' format='yyyy-MM-dd hh:mm a'}}", ""),  # case-sensitive
        ("{{parseDate 'Wed, 5 Mar 2024' format='EEE, d MMM yyyy'}}", ""),  # the day name must agree
        ("{{parseDate 'Wednesday, 05-Mar-24 07:08:09 GMT'}}", ""),
        ("{{parseDate '2024-03-05 07:08 +02:00' format='yyyy-MM-dd HH:mm z'}}", "2024-03-05T07:08:00+02:00"),
        ("{{parseDate '2024-03-05 07:08 Japan' format='yyyy-MM-dd HH:mm VV'}}", "2024-03-05T07:08:00+09:00"),
        ("{{parseDate '2024-03-05 00:05' format='yyyy-MM-dd kk:mm'}}", "2024-03-05T00:05:00Z"),
    ],
)
def test_parse_date_reads_as_date_time_formatter_does(render: Any, template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (f"{{{{date {END_OF_2023} format='[yyyy] #'}}}}", "[2023] #"),
        (f"{{{{date {END_OF_2023} format='zzzz'}}}}", "Coordinated Universal Time"),
        (f"{{{{date {END_OF_2023} format='EEEEE MMMMM'}}}}", "Sunday December"),
        (f"{{{{date {END_OF_2023} format='yyyy-MM-dd HH:mm:ss.SSS Z'}}}}", "2023-12-31 23:59:58.123 +0000"),
        ("{{date (parseDate '2024-03-05T07:08:09+05:30') format='z'}}", "GMT+05:30"),
        (f"{{{{dateFormat {END_OF_2023} 'EEEEE MMMMM GGGGG'}}}}", "S D A"),
        (f"{{{{dateFormat {END_OF_2023} 'z' tz='+05:30'}}}}", "+05:30"),
        (f"{{{{dateFormat {END_OF_2023} 'O' tz='-08:00'}}}}", "GMT-8"),
        (f"{{{{dateFormat {END_OF_2023} 'YYYY-ww e eee'}}}}", "2024-01 1 Sun"),
    ],
)
def test_date_and_date_format_print_as_their_java_class_does(
    render: Any, template: str, expected: str
) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    "template",
    [
        "{{parseDate '005/03/2024' format='ddd/MM/yyyy'}}",
        f"{{{{dateFormat {END_OF_2023} 'yyyy#'}}}}",
        f"{{{{date {END_OF_2023} format='yyyy c'}}}}",
    ],
)
def test_patterns_java_refuses_fail_the_render(render: Any, template: str) -> None:
    with pytest.raises(TemplateRenderError, match="IllegalArgumentException"):
        render(template)
