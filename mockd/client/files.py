"""Stub files on the client's side: read a folder of JSON/YAML stub files, write stubs one per file.

mockd's loader (YAML with decimals kept, lenient JSON) is imported on first use: `import mockd` stays light.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockd.errors import InvalidInput, Location, MockdError


@dataclass(frozen=True)
class StubDocument:
    """One stub as read from a file; `pointer` says where in the file it was."""

    file: Path | None
    pointer: str
    mapping: dict[str, Any]


def stub_files(folder: str | Path) -> list[Path]:
    """Every stub file under `folder` (recursively, sorted); a root dir means its `mappings/`."""
    from mockd.loader import mapping_files

    path = Path(folder)
    if not path.is_dir():
        raise InvalidInput("not a directory", Location(file=str(path)))
    if (path / "mappings").is_dir():
        path = path / "mappings"
    return mapping_files(path)


def read_stub_file(file: Path) -> Iterator[StubDocument]:
    """The stubs of one file: one stub, `{"mappings": [...]}`, or several YAML documents of either."""
    from mockd.loader import MAPPING_SUFFIXES, parse_document_text

    try:
        text = file.read_text(encoding="utf-8-sig")
        documents = parse_document_text(text, MAPPING_SUFFIXES[file.suffix.lower()])
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror}", Location(file=str(file))) from None
    except MockdError as exc:
        raise exc.at(file=str(file)) from None
    several = len(documents) > 1
    for i, doc in enumerate(documents):
        prefix = f"/{i}" if several else ""
        yield from _stubs_of(file, doc, prefix)


def parse_stub_text(text: str) -> list[dict[str, Any]]:
    """Stubs from JSON or YAML text (one stub, `{"mappings": [...]}`, or several YAML documents)."""
    from mockd.loader import parse_document_text
    from mockd.stubs.model import Format

    stripped = text.lstrip()
    fmt = Format.JSON if stripped.startswith(("{", "[")) else Format.YAML
    try:
        documents = parse_document_text(text, fmt)
    except MockdError:
        if fmt is Format.YAML:
            raise
        documents = parse_document_text(text, Format.YAML)  # JSON-looking YAML flow style
    several = len(documents) > 1
    return [
        d.mapping for i, doc in enumerate(documents) for d in _stubs_of(None, doc, f"/{i}" if several else "")
    ]


def _stubs_of(file: Path | None, doc: Any, prefix: str) -> Iterator[StubDocument]:
    where = str(file) if file is not None else None
    if isinstance(doc, Mapping) and isinstance(doc.get("mappings"), list) and "request" not in doc:
        for j, item in enumerate(doc["mappings"]):
            yield _one(file, item, f"{prefix}/mappings/{j}", where)
    else:
        yield _one(file, doc, prefix, where)


def _one(file: Path | None, doc: Any, pointer: str, where: str | None) -> StubDocument:
    if not isinstance(doc, Mapping):
        raise InvalidInput(
            "expected a stub mapping (an object)", Location(file=where, pointer=pointer or "/")
        )
    return StubDocument(file, pointer, dict(doc))


def write_stubs(folder: str | Path, stubs: list[dict[str, Any]]) -> list[Path]:
    """One pretty JSON file per stub, named `<name or method-url>-<id>.json`; returns the files."""
    from mockd.loader import atomic_write

    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stub in stubs:
        target = path / file_name(stub)
        atomic_write(target, (json.dumps(stub, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        written.append(target)
    return written


def file_name(stub: Mapping[str, Any]) -> str:
    request = stub.get("request") or {}
    url = next((request[k] for k in ("url", "urlPath", "urlPattern", "urlPathPattern") if request.get(k)), "")
    base = stub.get("name") or f"{request.get('method', 'ANY')}-{url}"
    sid = stub.get("id") or stub.get("uuid") or ""
    text = re.sub(r"[^\w\-.]+", "-", f"{base}-{sid}".lower()).strip("-.") or "stub"
    return text[:200] + ".json"
