"""Read and write a root directory: `mappings/**/*.json|yaml|yml` and `__files/`.

A broken file never stops the others: `load_mappings` returns the stubs it could read and one located
error per file it could not. Writes are atomic (temp file + os.replace), in the stub's own format.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mockd import jsontext
from mockd.errors import InvalidInput, Location, MockdError
from mockd.stubs.codec import stub_to_json, stubs_from_document
from mockd.stubs.model import Format, Source, StubMapping

MAPPING_SUFFIXES = {".json": Format.JSON, ".yaml": Format.YAML, ".yml": Format.YAML}
MAX_MAPPING_FILE = 10 * 1024 * 1024
_NAME_MAX = 255  # bytes in one path component (Linux, macOS, Windows)
_PATH_MAX = 4096


@dataclass(frozen=True)
class LoadProblem:
    """A file that could not be loaded. `kept_stubs`: how many stubs of its last good version are
    still served (hot reload keeps them until the file is fixed)."""

    file: Path
    error: MockdError
    kept_stubs: int = 0

    def __str__(self) -> str:
        return str(self.error)


@dataclass(frozen=True)
class LoadResult:
    stubs: list[StubMapping]
    problems: list[LoadProblem]


# -- YAML (mockd/yamltext.py; PyYAML is imported when the first YAML file is read or written) ------


def parse_yaml_documents(text: str) -> list[Any]:
    """All documents of a YAML text; errors are JsonSyntaxError with line and column."""
    from mockd import yamltext

    return yamltext.parse_documents(text)


def parse_document_text(text: str, fmt: Format) -> list[Any]:
    if fmt is Format.YAML:
        return parse_yaml_documents(text)
    return [jsontext.loads(text)]


def dump_yaml(value: Any) -> str:
    from mockd import yamltext

    return yamltext.dump(value)


# -- reading ---------------------------------------------------------------------------------------


def mapping_files(mappings_dir: Path) -> list[Path]:
    """Every mapping file under `mappings_dir`, sorted, skipping hidden and editor temp files."""
    if not mappings_dir.is_dir():
        return []
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(mappings_dir, followlinks=False):
        # A folder named like a stub file (`x.json/`) is listed, not walked: loading it reports it.
        out.extend(Path(dirpath) / d for d in sorted(dirnames) if is_mapping_file_name(d))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not is_mapping_file_name(d))
        for name in sorted(filenames):
            if is_mapping_file_name(name):
                out.append(Path(dirpath) / name)
    return out


def is_editor_temp_name(name: str) -> bool:
    """Hidden files and the temp/backup files editors write beside the real one (`.x.swp`, `x~`, `#x#`)."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp", "#"))


def is_mapping_file_name(name: str) -> bool:
    if is_editor_temp_name(name):
        return False
    return Path(name).suffix.lower() in MAPPING_SUFFIXES


def _visible_parts(path: Path, mappings_dir: Path) -> tuple[str, ...] | None:
    """`path` relative to `mappings_dir`, or None when outside it or under a hidden folder."""
    try:
        parts = path.relative_to(mappings_dir).parts
    except ValueError:
        return None
    return None if any(p.startswith(".") for p in parts[:-1]) else parts


def is_mapping_path(path: Path, mappings_dir: Path) -> bool:
    """Would `mapping_files(mappings_dir)` list `path` (if it exists)?"""
    parts = _visible_parts(path, mappings_dir)
    return parts is not None and bool(parts) and is_mapping_file_name(parts[-1])


def is_mapping_folder(path: Path, mappings_dir: Path) -> bool:
    """Is `path` `mappings_dir` or a folder `mapping_files(mappings_dir)` walks into?"""
    parts = _visible_parts(path, mappings_dir)
    return parts is not None and not (parts and parts[-1].startswith("."))


def mapping_files_within(mappings_dir: Path, scope: Iterable[Path]) -> list[Path]:
    """The mapping files of `mappings_dir` that are in `scope`: one of its files or inside its folders."""
    out: set[Path] = set()
    for path in scope:
        if path.is_dir():
            if is_mapping_folder(path, mappings_dir):
                out.update(mapping_files(path))
        elif is_mapping_path(path, mappings_dir) and path.is_file():
            out.add(path)
    return sorted(out)


def load_file(path: Path, root: Path | None = None) -> list[StubMapping]:
    """The stubs of one file; raises MockdError naming the file on any problem."""
    shown = str(path)
    try:
        if root is not None:
            resolved = path.resolve()
            if not resolved.is_relative_to(root.resolve()):
                raise InvalidInput("refused: the file is a link to a place outside the root directory")
        if path.is_dir():
            raise InvalidInput(
                "a directory named like a stub file: expected a file (rename the folder to load what is in it)"
            )
        if not path.is_file():
            raise InvalidInput("not a regular file")
        size = path.stat().st_size
        if size > MAX_MAPPING_FILE:
            raise InvalidInput(f"file is {size} bytes, more than the {MAX_MAPPING_FILE} allowed")
        raw = path.read_bytes()
        if not raw.strip():
            raise InvalidInput('the file is empty: expected a stub mapping or {"mappings": [...]}')
        if b"\x00" in raw:
            raise InvalidInput("the file is binary, not JSON or YAML text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"the file is not UTF-8 text (byte {exc.start})") from None
        fmt = MAPPING_SUFFIXES[path.suffix.lower()]
        stubs: list[StubMapping] = []
        documents = parse_document_text(text, fmt)
        multi_doc = len(documents) > 1
        for i, doc in enumerate(documents):
            prefix = f"/{i}" if multi_doc else ""
            parsed, multi = stubs_from_document(doc, prefix)
            source = Source(path, fmt, multi or multi_doc)
            stubs.extend(replace(s, source=source) for s in parsed)
        return stubs
    except MockdError as exc:
        raise exc.at(file=shown) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror}", Location(file=shown)) from None


def load_mappings(
    mappings_dir: Path, root: Path | None = None, scope: Iterable[Path] | None = None
) -> LoadResult:
    """Every mapping file, or with `scope` only the files in those paths (see mapping_files_within)."""
    stubs: list[StubMapping] = []
    problems: list[LoadProblem] = []
    seen: dict[str, Path] = {}
    files = mapping_files(mappings_dir) if scope is None else mapping_files_within(mappings_dir, scope)
    for path in files:
        try:
            file_stubs = load_file(path, root or mappings_dir)
        except MockdError as exc:
            problems.append(LoadProblem(path, exc))
            continue
        duplicate = next((s for s in file_stubs if s.id in seen), None)
        if duplicate is not None:
            problems.append(
                LoadProblem(
                    path,
                    InvalidInput(
                        f"stub id {duplicate.id} is already used by {seen[duplicate.id]}",
                        Location(file=str(path)),
                    ),
                )
            )
            continue
        for s in file_stubs:
            seen[s.id] = path
        stubs.extend(file_stubs)
    return LoadResult(stubs, problems)


# -- writing ---------------------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".mockd-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


FILENAME_FIELDS = ("id", "name", "method", "url")
_PLACEHOLDER = re.compile(r"\{\{\{?\s*([^{}\s]*)\s*\}?\}\}")


def check_filename_template(template: str) -> None:
    """`--filename-template`: text and `{{{id}}}`, `{{{name}}}`, `{{{method}}}`, `{{{url}}}` placeholders
    (WireMock renders it with Handlebars; mockd reads these four placeholders only)."""
    fields = _PLACEHOLDER.findall(template)
    if not fields:
        raise InvalidInput(f"--filename-template {template!r}: it must contain {{{{{{...}}}}}} placeholders")
    unknown = [f for f in fields if f not in FILENAME_FIELDS]
    if unknown or "{{" in _PLACEHOLDER.sub("", template):
        what = f"{unknown[0]!r}" if unknown else "a helper or block"
        raise InvalidInput(
            f"--filename-template {template!r}: {what} is not supported; use text and the placeholders "
            + ", ".join(f"{{{{{{{f}}}}}}}" for f in FILENAME_FIELDS)
        )


def stub_file_name(stub: StubMapping, fmt: Format, template: str | None = None) -> str:
    r"""WireMock's default, `<name>-<id>` or `<method>-<url>-<id>`, or `template` filled in; then spaces
    become `-`, characters outside `[\w\-.]` go, and the name is lower-cased (as WireMock does)."""
    url = stub.request.url.value or ""
    if template is None:
        base = f"{stub.name}-{stub.id}" if stub.name else f"{stub.request.method}-{url}-{stub.id}"
    else:
        values = {"id": stub.id, "name": stub.name or "", "method": str(stub.request.method), "url": url}
        base = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)
        base = re.sub(r"\.(json|ya?ml)$", "", base, flags=re.IGNORECASE)
    base = re.sub(r"[^\w\-.]", "", base.replace(" ", "-")).lower().strip(".") or stub.id
    return f"{base}.{fmt.value}"


def encode_stubs(stubs: list[StubMapping], fmt: Format, multi: bool = False) -> bytes:
    docs = [stub_to_json(s) for s in stubs]
    value: Any = {"mappings": docs} if multi else docs[0]
    if fmt is Format.YAML:
        return dump_yaml(value).encode("utf-8")
    return (jsontext.dumps_pretty(value) + "\n").encode("utf-8")


def write_stub(
    stub: StubMapping, mappings_dir: Path, fmt: Format = Format.JSON, template: str | None = None
) -> StubMapping:
    """Persist one stub to its own file (the file it came from, when it has one). Returns it with `source`.
    With a `template` that leaves the id out, a name already taken gets the stub id added: a new file never
    replaces another stub's."""
    source = stub.source
    if source is None or source.multi:
        path = mappings_dir / stub_file_name(stub, fmt, template)
        if template is not None and "id" not in _PLACEHOLDER.findall(template) and path.exists():
            path = path.with_name(f"{path.stem}-{stub.id}{path.suffix}")
        source = Source(path, fmt, False, True)
    atomic_write(source.path, encode_stubs([stub], source.format))
    return replace(stub, source=source)


def delete_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


# -- __files ---------------------------------------------------------------------------------------


def resolve_under(base: Path, relative: str) -> Path | None:
    """`base/relative` if it stays inside `base` once links are resolved; None otherwise (absolute
    paths, `..` escapes and links pointing outside are all refused)."""
    if not relative or "\x00" in relative:
        return None
    rel = relative
    if Path(rel).is_absolute() or rel.startswith("\\") or re.match(r"^[A-Za-z]:", rel):
        return None
    try:
        base_resolved = base.resolve()
        target = (base / rel).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if target != base_resolved and not target.is_relative_to(base_resolved):
        return None
    if len(os.fsencode(target)) > _PATH_MAX or any(len(os.fsencode(p)) > _NAME_MAX for p in target.parts):
        return None  # the OS would refuse it (ENAMETOOLONG) in is_file()/stat()
    return target


def list_files(files_dir: Path) -> list[str]:
    if not files_dir.is_dir():
        return []
    out: list[str] = []
    for dirpath, _dirnames, filenames in os.walk(files_dir):
        for name in filenames:
            out.append((Path(dirpath) / name).relative_to(files_dir).as_posix())
    return sorted(out)


def problems_text(problems: Iterable[LoadProblem]) -> str:
    return "\n".join(str(p) for p in problems)
