"""`--filename-template`: the names of the stub files mockd writes. Expected names were observed on
the real WireMock 3.13.2 (anchors) with the same template and stubs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Start

from mockd.errors import InvalidInput
from mockd.loader import check_filename_template

TEMPLATE = "{{{method}}}-{{{url}}}-{{{name}}}.json"


def _names(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "mappings").iterdir())


def test_names_follow_the_template_as_in_wiremock(root: Path, start: Start) -> None:
    with start(filename_template=TEMPLATE) as (_, http):
        for stub in (
            {"name": "My Stub!", "request": {"method": "GET", "urlPath": "/a/b c"}},
            {"request": {"method": "POST", "url": "/x/y?q=1"}},
            {"request": {"urlPattern": "/re/.*"}},
        ):
            created = http.post(
                "/__admin/mappings", json={**stub, "persistent": True, "response": {"status": 200}}
            )
            assert created.status_code == 201
    assert _names(root) == ["any-re.-.json", "get-ab-c-my-stub.json", "post-xyq1-.json"]


def test_a_name_already_taken_gets_the_stub_id(root: Path, start: Start) -> None:
    (root / "mappings" / "taken.yaml").write_text("request: {url: /yaml}\nresponse: {status: 200}\n")
    with start(filename_template="{{{name}}}.json") as (_, http):
        one = http.post(
            "/__admin/mappings", json={"name": "same", "persistent": True, "request": {"url": "/1"}}
        )
        two = http.post(
            "/__admin/mappings", json={"name": "same", "persistent": True, "request": {"url": "/2"}}
        )
        assert http.post("/__admin/mappings/save").status_code == 200
        assert http.get("/1").status_code == 200 and http.get("/2").status_code == 200
    second = two.json()["id"]
    assert _names(root) == sorted(["same.json", f"same-{second}.json", "taken.yaml"])
    assert one.json()["id"] in (root / "mappings" / "same.json").read_text()


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("stubs.json", "it must contain {{{...}}} placeholders"),
        ("{{{request.url}}}.json", "'request.url' is not supported"),
        ("{{#if name}}{{{name}}}{{/if}}.json", "is not supported"),
    ],
)
def test_templates_mockd_cannot_fill_are_refused(template: str, message: str, root: Path) -> None:
    with pytest.raises(InvalidInput, match="--filename-template"):
        check_filename_template(template)
    ran = subprocess.run(
        [sys.executable, "-m", "mockd", "serve", "--root-dir", str(root), "--filename-template", template],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 2 and message in ran.stderr


def test_a_yaml_stub_file_gets_the_yaml_extension() -> None:
    from mockd.loader import stub_file_name
    from mockd.stubs.codec import stub_from_json
    from mockd.stubs.model import Format

    stub = stub_from_json({"name": "Orders API", "request": {"urlPath": "/orders"}})
    assert stub_file_name(stub, Format.YAML, "{{{name}}}.json") == "orders-api.yaml"
    assert stub_file_name(stub, Format.JSON) == f"orders-api-{stub.id}.json"  # WireMock's default
