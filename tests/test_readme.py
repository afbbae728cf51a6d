"""The README stays true: its CLI reference is generated from the click commands, its admin table names
every route, and its examples run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
import httpx
import pytest
from support import stub

from mockd import jsontext
from mockd.admin.routes import ROUTES
from mockd.cli import main
from mockd.embedded import serve
from mockd.loader import parse_yaml_documents
from mockd.stubs.codec import stub_from_json, stub_to_json

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- cli:start (generated from the click commands by tests/test_readme.py; MOCKD_UPDATE_README=1 rewrites it) -->"
END = "<!-- cli:end -->"


def cli_reference() -> str:
    out: list[str] = []
    ctx = click.Context(main, info_name="mockd")
    assert isinstance(main, click.Group)
    for name in sorted(main.commands):
        command = main.commands[name]
        out.append(f"### `mockd {name}`\n\n{(command.help or '').strip()}\n")
        out.append("| Option | Environment | Default | Meaning |\n|---|---|---|---|")
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden:  # WireMock flags accepted and ignored
                continue
            flags = ", ".join(f"`{o}`" for o in param.opts)
            env = f"`{param.envvar}`" if isinstance(param.envvar, str) else ""
            if param.required:
                default = "required"
            elif (
                param.is_flag
                or not isinstance(param.default, str | int | float | Path)
                or param.default == ""
            ):
                default = ""
            else:
                default = f"`{param.default}`"
            text = (param.help or "").replace("|", "\\|")
            out.append(f"| {flags} | {env} | {default} | {text} |")
        for param in command.params:
            if isinstance(param, click.Argument):
                out.append(f"\nArguments: `{param.human_readable_name}`.")
        out.append("")
    del ctx
    return "\n".join(out).strip()


def test_cli_reference_is_generated_from_the_commands() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    expected = "\n" + cli_reference() + "\n"
    if os.environ.get("MOCKD_UPDATE_README") == "1":
        README.write_text(text[:start] + expected + text[end:], encoding="utf-8")
        return
    assert text[start:end] == expected, (
        "README CLI section is stale: run MOCKD_UPDATE_README=1 pytest tests/test_readme.py"
    )


def test_admin_table_names_every_route() -> None:
    table = README.read_text(encoding="utf-8").split("## Admin API", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    documented: set[tuple[str, str]] = set()
    for row in rows:
        methods, paths = row.split("|")[1:3]
        for path in re.findall(r"`([^`]+)`", paths):
            path = path.removeprefix("/__admin")
            for method in methods.split(","):
                documented.add((method.strip(), path))
    for method, pattern, _ in ROUTES:
        shown = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern).replace("(?s)", "")
        assert (method, shown or "") in documented or (method, shown) in documented, (method, shown)


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_yaml_and_json_stub_are_the_same_and_answer_as_described(tmp_path: Path) -> None:
    yaml_doc = parse_yaml_documents(_blocks("yaml")[0])[0]
    json_doc = jsontext.loads(_blocks("json")[0])
    a, b = stub_from_json(yaml_doc), stub_from_json(json_doc)
    assert {**stub_to_json(a), "id": "", "uuid": ""} == {**stub_to_json(b), "id": "", "uuid": ""}
    with serve(tmp_path) as s, httpx.Client(base_url=s.url) as c:
        assert c.post("/__admin/mappings", content=jsontext.dumps_compact(json_doc)).status_code == 201
        r = c.get("/orders/42", headers={"Accept": "application/json"})
        assert r.text == '{"id":"42","total":19.90}'
        assert c.get("/orders/42", headers={"Accept": "text/html"}).status_code == 404


def test_the_jinja2_example(tmp_path: Path) -> None:
    doc = parse_yaml_documents(_blocks("yaml")[1])[0]
    with serve(tmp_path) as s, httpx.Client(base_url=s.url) as c:
        stub(c, doc)
        assert c.get("/countdown/3").text == "3, 2, 1, liftoff!"


def test_the_pytest_example_passes(pytester: pytest.Pytester) -> None:
    (example,) = [b for b in _blocks("python") if "def test_hello(mockd)" in b]
    pytester.makepyfile(test_readme_example=example)
    result = pytester.runpytest_inprocess("-p", "no:asyncio", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_templated_status(tmp_path: Path) -> None:
    with serve(tmp_path) as s, httpx.Client(base_url=s.url) as c:
        stub(
            c,
            {
                "request": {"urlPath": "/st"},
                "response": {"status": "{{request.query.code}}", "transformers": ["response-template"]},
            },
        )
        assert c.get("/st?code=418").status_code == 418
        r = c.get("/st?code=abc")
        assert r.status_code == 500 and "expected an integer" in r.text
        assert (
            c.get("/__admin/mappings").json()["mappings"][0]["response"]["status"] == "{{request.query.code}}"
        )
