"""Pure parts of the recorder: RecordSpec parsing, sizes, names, content decoding."""

from __future__ import annotations

import gzip
import zlib

import pytest

from mockd.errors import InvalidInput
from mockd.recording import OutputFormat, parse_size, record_spec_from_json
from mockd.recording.content import codings, decode, file_extension, is_text_mime
from mockd.recording.names import legacy_file_name, path_parts, scenario_name, stub_name
from mockd.recording.spec import BodyMatcher


@pytest.mark.parametrize(
    ("text", "size"),
    [("255", 255), ("2 kb", 2048), ("2kb", 2048), ("56 KB", 56 * 1024), ("10 Mb", 10 * 1024**2),
     ("1,5 k", 1536), ("18.2 GB", round(18.2 * 1024**3))],
)  # fmt: skip
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "kb", "3 parsecs", "2 tb"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


def test_defaults_and_full_spec() -> None:
    default = record_spec_from_json(None)
    assert default.persist and default.repeats_as_scenarios and default.output_format is OutputFormat.FULL
    assert default.body_pattern.matcher is BodyMatcher.AUTO and default.extract is None
    spec = record_spec_from_json(
        {
            "targetBaseUrl": " https://api.example.com ",
            "filters": {"urlPathPattern": "/api/.*", "method": "GET", "allowNonProxied": True},
            "captureHeaders": {"Accept": {}, "X-Key": {"caseInsensitive": True}},
            "requestBodyPattern": {"matcher": "equalToJson", "ignoreExtraElements": False},
            "extractBodyCriteria": {"textSizeThreshold": "2 kb"},
            "outputFormat": "Ids",
            "persist": False,
            "repeatsAsScenarios": False,
        }
    )
    assert spec.target_base_url == "https://api.example.com"
    assert spec.filters.allow_non_proxied and spec.filters.pattern is not None
    assert spec.capture_headers == (("Accept", None), ("X-Key", True))
    assert spec.body_pattern.ignore_extra_elements is False and spec.body_pattern.ignore_array_order is None
    assert spec.extract is not None and spec.extract.text_size_threshold == 2048
    assert spec.extract.binary_size_threshold is None
    assert spec.output_format is OutputFormat.IDS and not spec.persist and not spec.repeats_as_scenarios


def test_errors_name_the_field() -> None:
    with pytest.raises(InvalidInput) as info:
        record_spec_from_json({"requestBodyPattern": {"matcher": "equalToXml", "ignoreArrayOrder": True}})
    assert info.value.pointer == "/requestBodyPattern/ignoreArrayOrder"


def test_names() -> None:
    assert stub_name("/api/v1/Users") == "api_v1_users"
    assert stub_name("/caf%C3%A9/a%20b") == "cafe_a-b"
    assert stub_name("/") == ""
    assert path_parts("/a//b/") == "a-b"
    assert scenario_name(2, "/fixed/text") == "scenario-2-fixed-text"
    assert legacy_file_name("/a/b:c", "mapping", "Ab12Z", "json") == "mapping-a-b_c-Ab12Z.json"
    assert legacy_file_name("/", "body", "Ab12Z", "txt") == "body-(root)-Ab12Z.txt"


def test_content_decoding() -> None:
    assert decode(gzip.compress(b"g"), codings(["gzip"])) == b"g"
    assert decode(zlib.compress(b"d"), codings(["deflate"])) == b"d"
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert decode(raw.compress(b"r") + raw.flush(), ["deflate"]) == b"r"
    assert decode(gzip.compress(zlib.compress(b"two")), codings(["deflate, gzip"])) == b"two"
    assert decode(b"x", ["compress"]) is None  # unknown: kept encoded by the caller
    assert decode(b"not gzip", ["gzip"]) is None
    assert codings(["identity"]) == []


def test_text_mime_and_extensions() -> None:
    assert is_text_mime("application/vnd.api+json") and is_text_mime("application/x-www-form-urlencoded")
    assert not is_text_mime("image/png") and not is_text_mime(None)
    assert file_extension("/a", "application/json", b"{}") == "json"
    assert file_extension("/a", "image/png", b"\x89PNG") == "png"
    assert file_extension("/a/report.pdf", "application/octet-stream", b"%PDF") == "pdf"
    assert file_extension("/a", None, b"<r/>") == "xml"
    assert file_extension("/a", None, b"[1]") == "json"
    assert file_extension("/a", None, b"\x00\xff") == "bin"


def test_unknown_encoding_is_kept_encoded() -> None:
    from mockd.recording.generate import response_definition
    from mockd.stubs.model import ResponseSnapshot

    headers = (("Content-Type", "text/plain"), ("Content-Encoding", "x-custom"), ("Content-Length", "3"))
    rd = response_definition(ResponseSnapshot(200, headers, b"\x01\x02\x03"))
    assert rd.headers == (("Content-Type", "text/plain"), ("Content-Encoding", "x-custom"))
    assert rd.body is None and rd.base64_body == "AQID"
    plain = response_definition(ResponseSnapshot(200, (("Content-Type", "text/plain"),), b"ok"))
    assert plain.body == "ok" and plain.base64_body is None
