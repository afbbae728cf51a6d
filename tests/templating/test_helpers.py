"""Every helper of spec §4.3 (except jwt/faker), its quirks and its error cases.

Inline `[ERROR: ...]` where WireMock's helper reports an error; TemplateRenderError where WireMock's
render fails (HTTP 500). Many more cases recorded from WireMock are in test_recorded.py.
"""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime
from typing import Any

import pytest

from mockd.errors import TemplateRenderError
from mockd.templating import Dialect, TemplateEngine, request_model

JSON = '{"user":{"name":"Mia","tags":["a","b"]},"items":[{"n":1},{"n":2}],"price":1.10,"none":null}'
XML = '<s:Envelope xmlns:s="urn:soap"><s:Body><order id="7"><item>a</item><item>b</item></order></s:Body></s:Envelope>'


def fails(render: Any, template: str, **kw: Any) -> str:
    with pytest.raises(TemplateRenderError) as info:
        render(template, **kw)
    return info.value.detail


# -- conditionals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{{eq 1 1.0}}|{{eq '1' 1}}|{{neq 'a' 'b'}}|{{eq null null}}|{{eq 1 2 yes='Y' no='N'}}",
            "true|false|true|true|N",
        ),
        ("{{gt 3 2}}|{{gte 2 2}}|{{lt 'a' 'b'}}|{{lte 2 2.5}}", "true|true|true|true"),
        (
            "{{and 1 'x' true}}|{{and 1 0}}|{{or 0 '' 'x'}}|{{or 0 ''}}|{{not ''}}|{{not 'x'}}",
            "true|false|true|false|true|false",
        ),
        ("{{#eq 1 1}}E{{else}}N{{/eq}}|{{#gt 1 2}}G{{else}}L{{/gt}}|{{#and 1 0}}A{{else}}-{{/and}}", "E|L|-"),
    ],
)
def test_conditionals(template: str, expected: str, render: Any) -> None:
    assert render(template) == expected


def test_eq_on_a_bare_list_or_single_wrapper_is_false(render: Any) -> None:
    """WireMock quirk: `eq request.query.k 'v'` is false; the indexed form and `.first` work."""
    template = "{{eq request.query.k 'v'}}|{{eq request.query.k.[0] 'v'}}|{{eq request.query.k.first 'v'}}"
    assert render(template, url="/?k=v") == "false|true|true"


def test_request_method_is_not_a_string(render: Any) -> None:
    assert render("{{eq request.method 'GET'}}|{{eq request.method.value 'GET'}}") == "false|true"


def test_comparing_unlike_values_fails_the_render(render: Any) -> None:
    assert "ClassCastException" in fails(render, "{{gt '10' 9}}")
    assert "Not a comparable: null" in fails(render, "{{lt 'a' null}}")


def test_number_helpers(render: Any) -> None:
    assert (
        render("{{isEven 2}}|{{isOdd 2}}|{{isOdd 3 'O'}}|{{stripes 3 'e' 'o'}}|{{isEven 'x'}}")
        == "even||O|o|"
    )


# -- strings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{{capitalize 'hello big world'}}|{{capitalize 'hELLO wORLD' fully=true}}",
            "Hello Big World|Hello World",
        ),
        (
            "{{capitalizeFirst 'abc def'}}|{{center 'ab' size=6 pad='*'}}|{{cut 'a b c'}}",
            "Abc def|**ab**|abc",
        ),
        ("{{defaultIfEmpty '' 'dflt'}}|{{defaultIfEmpty (array 1) 'd'}}", "dflt|[1]"),
        ("{{join 'a' 'b' '-'}}|{{join (array 1 2) ', ' prefix='<' suffix='>'}}", "a-b|<1, 2>"),
        ("{{ljust 'ab' size=5 pad='.'}}|{{rjust 'ab' size=4}}", "ab...|  ab"),
        ("{{substring 'abcdef' 1 3}}|{{substring 'abcdef' 4}}", "bc|ef"),
        ("{{lower 'QUIET'}}|{{upper 'shout'}}|{{slugify ' Hello World! '}}", "quiet|SHOUT|hello-world"),
        ("{{stringFormat '%s-%05d|%.2f|%x' 'x' 42 3.14159 255}}", "x-00042|3.14|ff"),
        ("{{stripTags '<b>bold</b> <i>x</i>'}}|{{abbreviate 'abcdefghij' 6}}", "bold x|abc..."),
        ("{{wordWrap 'aaa bbb ccc' 4}}", "aaa\nbbb\nccc"),
        (
            "{{replace 'a-b-c' '-' '+'}}|{{yesno true}}|{{yesno false no='N'}}|{{yesno null}}",
            "a+b+c|yes|N|maybe",
        ),
        ("{{upper ''}}|{{upper null 'fallback'}}", "|fallback"),
        ("{{trim '  padded  '}}|{{#trim}}  block  {{/trim}}", "padded|block"),
    ],
)
def test_string_helpers(template: str, expected: str, render: Any) -> None:
    assert render(template) == expected


def test_string_helper_failures(render: Any) -> None:
    assert "StringIndexOutOfBounds" in fails(render, "{{substring 'abc' 1 9}}")
    assert "Minimum abbreviation width is 4" in fails(render, "{{abbreviate 'abcdef' 3}}")
    assert "IllegalFormatConversion" in fails(render, "{{stringFormat '%d' 'x'}}")
    assert "expected 'boolean'" in fails(render, "{{yesno 'x'}}")


def test_number_format(render: Any) -> None:
    template = (
        "{{numberFormat 1234.5678}}|{{numberFormat 1234.5678 'integer'}}|{{numberFormat 0.256 'percent'}}|"
        "{{numberFormat 1234.5 'currency'}}|{{numberFormat 1234.5 '#,##0.00'}}|{{numberFormat 1.005 '0.00'}}|"
        "{{numberFormat 2.5 roundingMode='half_up' maximumFractionDigits=0}}|{{numberFormat 'x' 'not a number'}}"
    )
    assert render(template) == "1,234.568|1,235|26%|¤1,234.50|1,234.50|1.00|3|not a number"


def test_date_format(render: Any) -> None:
    date = "(parseDate '2024-03-15T10:20:30Z')"
    template = (
        f"{{{{dateFormat {date} 'yyyy-MM-dd'}}}}|{{{{dateFormat {date}}}}}|{{{{dateFormat {date} 'full'}}}}"
    )
    assert render(template) == "2024-03-15|Mar 15, 2024|Friday, March 15, 2024"
    assert render(f"{{{{dateFormat {date} format='HH:mm' tz='Asia/Tokyo'}}}}") == "19:20"
    assert "TemporalAccessor" in fails(render, "{{dateFormat 'not a date'}}")


# -- variables ----------------------------------------------------------------------------------------------


def test_assign_val_lookup(render: Any) -> None:
    assert render("{{#assign 'v'}}  hi  {{/assign}}[{{v}}]") == "[hi]"
    assert render(
        "{{val 5}}|{{val request.query.x or='fb'}}|{{val null default='d'}}|{{val 'x' assign='y'}}{{y}}"
    ) == ("5|fb|d|x")
    assert (
        render("{{lookup request.query 'a'}}|{{lookup (array 'a' 'b') 1}}|{{lookup null 'a'}}", url="/?a=1")
        == "1|b|"
    )
    assert render("{{lookup (parseJson '{\"x\":1}') 'missing'}}") == "{x=1}"  # not found: the object itself


# -- JSON ------------------------------------------------------------------------------------------------------


def test_json_path(render: Any) -> None:
    template = (
        "{{jsonPath request.body '$.user.name'}}|{{jsonPath request.body '$.items.length()'}}|"
        "{{jsonPath request.body '$.nope' default='none'}}|{{jsonPath request.body '$.none'}}|"
        "{{jsonPath request.body '$.user.tags'}}|{{jsonPath request.body '$.items[*].n'}}|"
        "{{jsonPath request.body '$.price'}}|{{jsonPath request.body '$.items[?(@.n > 1)]'}}"
    )
    assert render(template, body=JSON) == 'Mia|2|none||["a","b"]|[1,2]|1.1|[{"n":2}]'


def test_json_path_objects_print_pretty_and_arrays_compact(render: Any) -> None:
    out = render(
        "obj={{jsonPath request.body '$.a'}} arr={{jsonPath request.body '$.b'}}",
        body='{"a":{"x":1},"b":["p","q"]}',
    )
    assert out == 'obj={\n  "x" : 1\n} arr=["p","q"]'


def test_json_path_errors(render: Any) -> None:
    assert (
        render("{{jsonPath request.body '$['}}", body=JSON)
        == "[ERROR: $[ is not a valid JSONPath expression]"
    )
    assert render("{{jsonPath request.body}}", body=JSON) == "[ERROR: The JSONPath cannot be empty]"
    assert render("{{jsonPath request.body '$.a'}}", body="") == ""
    assert render("{{jsonPath '{\"x\":' '$.x'}}") == '[ERROR: {"x": is not valid JSON]'


def test_parse_json_to_json_format_json(render: Any) -> None:
    body = '{ "a" : 1,\n "b" : [ true, null ], "c": null, "d": 1.10 }'
    assert (
        render("{{formatJson request.body format='compact'}}", body=body)
        == '{"a":1,"b":[true,null],"c":null,"d":1.10}'
    )
    assert (
        render("{{toJson (parseJson request.body)}}", body=body)
        == '{\n  "a" : 1,\n  "b" : [ true, null ],\n  "d" : 1.10\n}'
    )
    assert (
        render("{{formatJson request.body}}", body='{"a":[1,{"b":2}]}')
        == '{\n  "a" : [ 1, {\n    "b" : 2\n  } ]\n}'
    )
    assert render("{{parseJson request.body}}", body=body) == "{a=1, b=[true, null], c=null, d=1.10}"
    assert (
        render("{{#parseJson 'p'}}[1,{\"x\":2}]{{/parseJson}}{{p.[1].x}}|{{size (parseJson '[1,2]')}}")
        == "2|2"
    )
    assert render("{{parseJson}}") == "[ERROR: Missing required JSON string parameter]"
    assert "JsonParseException" in fails(render, "{{formatJson 'nope'}}")
    assert render("{{formatJson 'nope' format='compact'}}").startswith("[ERROR: There was an error parsing")


def test_json_merge_remove_array_add(render: Any) -> None:
    body = '{"a":1,"b":{"c":2},"list":[1,2],"n":null}'
    assert render('{{jsonMerge request.body \'{"b":{"d":3},"list":[9]}\'}}', body=body) == (
        '{"a":1,"b":{"c":2,"d":3},"list":[9],"n":null}'
    )
    assert render('{{jsonMerge \'{"a":1,"b":2}\' \'{"b":null}\' removeNulls=true}}') == '{"a":1}'
    assert render("{{jsonRemove request.body '$.list[0]'}}", body=body) == '{"a":1,"b":{"c":2},"list":[2]}'
    assert (
        render("{{jsonArrayAdd '[1,2,3]' '4' maxItems=2}}|{{jsonArrayAdd '[1]' '[2,3]' flatten=true}}")
        == "[3,4]|[1,2,3]"
    )
    assert (
        render("{{jsonArrayAdd request.body '7' jsonPath='$.list'}}", body=body)
        == '{"a":1,"b":{"c":2},"list":[1,2,7]}'
    )
    assert render("{{jsonMerge 'x' '{}'}}") == "[ERROR: Base JSON is not valid JSON ('x')]"
    assert render("{{jsonRemove '{}'}}") == "[ERROR: A single JSONPath expression parameter must be supplied]"
    assert render("{{jsonArrayAdd '{}' '1'}}") == "[ERROR: Target JSON is not a JSON array ('{}')]"


# -- XML ---------------------------------------------------------------------------------------------------------


def test_xpath_and_soap_xpath(render: Any) -> None:
    template = (
        "{{xPath request.body '/Envelope/Body/order/@id'}}|{{soapXPath request.body 'order/item[2]/text()'}}|"
        "{{xPath request.body 'count(//item)'}}|{{#each (xPath request.body '//item')}}{{name}}={{text}};{{/each}}|"
        "{{xPath request.body '//Body'}}"
    )
    assert render(template, body=XML) == "7|b|2|item=a;item=b;|"  # `//Body` misses `s:Body`, as in WireMock
    assert render("{{xPath request.body '//order'}}", body=XML) == (
        '<order id="7">\n  <item>a</item>\n  <item>b</item>\n</order>\n'
    )
    assert (
        render("{{xPath request.body '//*['}}", body=XML) == "[ERROR: //*[ is not a valid XPath expression]"
    )
    assert render("{{xPath 'not xml' '/a'}}") == "[ERROR: not xml is not valid XML]"


def test_xml_parser_is_hardened(render: Any) -> None:
    # external entities resolve to nothing (as in WireMock), internal ones expand, amplification is bounded
    evil = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "ok">]><r>&x;&y;</r>'
    assert (
        render("{{xPath request.body '/r'}}|{{formatXml request.body}}", body=evil)
        == "<r>ok</r>\n|<r>ok</r>\n"
    )
    laughs = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "x" * 10}">' for i in range(9))
    bomb = f"<!DOCTYPE r [{laughs}]><r>{'&e8;' * 10}</r>"
    assert render("{{xPath request.body '/r/text()'}}", body=bomb).startswith("[ERROR:")


def test_format_xml(render: Any) -> None:
    assert render("{{formatXml '<a><b>t</b><c/></a>'}}") == "<a>\n  <b>t</b>\n  <c/>\n</a>\n"
    assert render("{{formatXml '<a> <b>t</b> </a>' format='compact'}}") == "<a><b>t</b></a>"


# -- random -----------------------------------------------------------------------------------------------------


def test_random_helpers(render: Any) -> None:
    out = render(
        "{{randomValue length=8 type='NUMERIC'}}|{{randomValue type='UUID'}}|"
        "{{randomValue length=5 type='ALPHABETIC' uppercase=true}}|{{randomValue length=6 type='HEXADECIMAL'}}|"
        "{{randomValue}}|{{randomInt lower=3 upper=5}}|{{randomDecimal lower=1 upper=2}}|"
        "{{pickRandom 'red' 'green'}}|{{size (pickRandom (array 1 2 3) count=2)}}"
    )
    uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.fullmatch(
        rf"\d{{8}}\|{uuid}\|[A-Z]{{5}}\|[0-9a-f]{{6}}\|[0-9a-z]{{36}}\|[34]\|1\.\d+\|(red|green)\|2", out
    )
    assert "bound must be greater" in fails(render, "{{randomInt lower=5 upper=5}}")
    assert render("{{pickRandom}}").startswith("{request=")
    assert "[ERROR:" in render("{{randomValue length=100000000}}")


# -- arrays, regexes, encodings -------------------------------------------------------------------------------


def test_arrays(render: Any) -> None:
    assert (
        render("{{array 1 'a'}}|{{array}}|{{range 1 4}}|{{arrayJoin ',' (range 1 3)}}")
        == "[1, a]|[]|[1, 2, 3, 4]|1,2,3"
    )
    assert (
        render("{{arrayAdd (array 1 2) 0 position='start'}}|{{arrayRemove (array 1 2 3) position=1}}")
        == "[0, 1, 2]|[1, 3]"
    )
    assert (
        render("{{#arrayJoin '; ' (array 1 2) prefix='[' suffix=']' as |x|}}<{{x}}>{{/arrayJoin}}")
        == "[<1>; <2>]"
    )
    assert render("{{arrayAdd (array 1) 2 position=9}}").startswith("[ERROR: position must be")
    assert render("{{range 1}}").startswith("[ERROR: The range helper requires")
    assert render("{{arrayJoin 5 (array 1)}}") == "[ERROR: Separator parameter must be a String]"


def test_range_is_bounded(render: Any) -> None:
    assert render("{{size (range 1 10000)}}") == "10000"
    assert render("{{range 1 10001}}") == "[ERROR: The range helper can produce at most 10000 items]"


def test_regex_helpers(render: Any) -> None:
    assert (
        render("{{regexExtract 'abc-123' '[0-9]+'}}|{{regexExtract 'abc' '[0-9]+' default='D'}}") == "123|D"
    )
    assert render("{{regexExtract 'a1b2' '([a-z])([0-9])' 'g'}}{{g}}/{{g.1}}/{{g.3}}/{{size g}}") == "a/1/2/4"
    assert render("{{regexExtract 'abc' '[0-9]'}}") == "[ERROR: Nothing matched [0-9]]"
    assert render("{{regexExtract 'x' '('}}") == "[ERROR: Invalid regex string (]"
    assert (
        render("{{matches '123' '[0-9]+'}}|{{matches '12a' '[0-9]+'}}|{{#matches 'x' 'x'}}M{{/matches}}")
        == "true|false|M"
    )
    assert render(
        "{{contains 'hello' 'ell'}}|{{contains (array 'a') 'b'}}|{{#contains 'abc' 'z'}}Y{{else}}N{{/contains}}"
    ) == ("true|false|")


def test_encodings_and_form_data(render: Any) -> None:
    assert (
        render("{{base64 'hello world'}}|{{base64 'aGk=' decode=true}}|{{base64 'a' padding=false}}")
        == "aGVsbG8gd29ybGQ=|hi|YQ"
    )
    assert (
        render("{{urlEncode 'a b&c=d/é~'}}|{{urlEncode 'x%20y%2Bz' decode=true}}")
        == "a+b%26c%3Dd%2F%C3%A9%7E|x y+z"
    )
    assert render(
        "{{formData request.body 'f' urlDecode=true}}{{f.name}}|{{f.tag.[1]}}",
        body="name=Jane+Doe&tag=x&tag=y",
    ) == ("Jane Doe|y")
    assert render("{{formData 'a=1&b=2'}}") == "{a=1, b=2}"
    assert "Illegal base64" in fails(render, "{{base64 '!!' decode=true}}")


def test_size(render: Any) -> None:
    assert render(
        "{{size 'hello'}}|{{size (array 1 2)}}|{{size (parseJson '{\"a\":1}')}}|{{size request.query}}",
        url="/?a=1",
    ) == ("5|2|1|1")
    assert "NullPointerException" in fails(render, "{{size request.query.nope}}")


# -- math --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{{math 1 '+' 2}} {{math 10 '-' 4}} {{math 6 '*' 7}} {{math 6 'x' 7}} {{math 10 '%' 3}}",
            "3 6 42 42 1",
        ),
        # BigDecimal division keeps the dividend's scale, HALF_UP
        (
            "{{math 10 '/' 4}} {{math 1 '/' 3}} {{math 7.5 '/' 2}} {{math 10 '/' 4.0}} {{math 10.0 '/' 3}}",
            "3 0 3.8 3 3.3",
        ),
        (
            "{{math 5 '/' 2}} {{math -5 '/' 2}} {{math 0.1 '+' 0.2}} {{math 2.50 '*' 2}} {{math '2.50' '*' 2}}",
            "3 -3 0.3 5.0 5.0",
        ),
        (
            "{{math 'abc' '+' 1}} {{math 3000000000 '*' 1}} {{math 2147483647 '+' 1}} {{math -7 '%' 3}}",
            "1 3.0E9 2147483648 -1",
        ),
        ("{{math 1 '^' 2}}", "[ERROR: ^ is not a valid mathematical operator]"),
        (
            "{{math 1 '+'}}",
            "[ERROR: All maths functions require two operands and an operator as parameters e.g. 3 '+' 2]",
        ),
    ],
)
def test_math(template: str, expected: str, render: Any) -> None:
    assert render(template) == expected


def test_math_failures(render: Any) -> None:
    assert "ArithmeticException: / by zero" in fails(render, "{{math 1 '/' 0}}")
    assert "NullPointerException" in fails(render, "{{math null '+' 1}}")


# -- dates -------------------------------------------------------------------------------------------------------


def test_now(render: Any) -> None:
    year = datetime.now(UTC).year
    out = render(
        "{{now format='yyyy'}}|{{now format='yyyy-MM-dd'}}|{{now format='epoch'}}|{{now format='unix'}}|{{now}}"
    )
    assert re.fullmatch(r"\d{4}\|\d{4}-\d\d-\d\d\|\d{13}\|\d{10}\|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out)
    assert out.startswith(str(year)) or out.startswith(str(year + 1))
    assert int(render("{{now offset='1 years' format='yyyy'}}")) in (year + 1, year + 2)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+(09):00", render("{{now timezone='Asia/Tokyo'}}"))
    assert render("{{now timezone='Australia/Sydney' format='z'}}") in ("AEDT", "AEST")
    assert "Offset can be of the short form" in fails(render, "{{now offset='soon'}}")


def test_dates(render: Any) -> None:
    date = "(parseDate '2024-03-15T10:20:30Z')"
    assert render(
        f"{{{{date {date} format='yyyy/MM/dd HH:mm'}}}}|{{{{date {date} offset='2 days' format='yyyy-MM-dd'}}}}"
    ) == ("2024/03/15 10:20|2024-03-17")
    assert render("{{date (parseDate '15/03/2024' format='dd/MM/yyyy') format='yyyy-MM-dd'}}") == "2024-03-15"
    assert render(
        "{{parseDate 'Fri, 15 Mar 2024 10:20:30 GMT'}}|{{parseDate '1710498030' format='unix'}}|{{parseDate 'junk'}}"
    ) == ("2024-03-15T10:20:30Z|2024-03-15T10:20:30Z|")
    assert render(
        "{{parseDate '2024-03-15T10:20:30+05:00'}}|{{date (parseDate '2024-03-15T10:20:30+05:00') format='HH:mm'}}"
    ) == ("2024-03-15T10:20:30+05:00|10:20")
    assert render(
        f"{{{{truncateDate {date} 'first day of month'}}}}|{{{{truncateDate {date} 'last day of year'}}}}"
    ) == ("2024-03-01T00:00:00Z|2024-12-31T00:00:00Z")
    assert (
        render("{{truncateDate 'x' 'first day of year'}}")
        == "[ERROR: A date object must be passed to the truncateDate helper]"
    )
    assert (
        render(f"{{{{date {date} offset='-1 months' format=\"EEE, dd MMM yyyy HH:mm:ss z\"}}}}")
        == "Thu, 15 Feb 2024 10:20:30 UTC"
    )


# -- system ------------------------------------------------------------------------------------------------------


def test_hostname(render: Any) -> None:
    assert render("{{hostname}}") == (socket.gethostname() or "localhost")


def test_system_value(monkeypatch: pytest.MonkeyPatch, request_for: Any) -> None:
    monkeypatch.setenv("WIREMOCK_GREETING", "hi")
    monkeypatch.setenv("SECRET_TOKEN", "s3cr3t")
    engine = TemplateEngine(permitted_system_keys=("wiremock.*", "app_.*"))
    model = request_model(request_for())

    def out(template: str) -> str:
        return engine.render(template, Dialect.HANDLEBARS, model)

    assert out("{{systemValue key='WIREMOCK_GREETING'}}") == "hi"  # the patterns are case-insensitive
    assert out("{{systemValue key='SECRET_TOKEN'}}") == "[ERROR: Access to SECRET_TOKEN is denied]"
    assert (
        out(
            "{{systemValue key='APP_MISSING' default='d'}}|{{systemValue type='PROPERTY' key='wiremock.p' default='p'}}"
        )
        == "d|p"
    )
    assert out("{{systemValue}}") == "[ERROR: The key cannot be empty]"
