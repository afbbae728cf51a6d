"""Names WireMock derives from a URL: stub names, scenario names, body and legacy file names."""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from urllib.parse import unquote

_NON_WORD = re.compile(r"[^\w\-.]", re.ASCII)
_WHITESPACE = re.compile(r"\s")
_LEGACY_UNSAFE = re.compile(r"[,~:/?#\[\]@!$&'()*+;=\\\x00-\x1f]")
SHORT_ID_CHARS = string.ascii_uppercase + string.ascii_lowercase + string.digits


def sanitise(text: str) -> str:
    """FilenameMaker.sanitise: spaces become '-', anything but [A-Za-z0-9_.-] goes, lower case."""
    return _NON_WORD.sub("", "-".join(text.split(" "))).lower()


def stub_name(path: str) -> str:
    """The `name` of a recorded stub: the decoded path as a slug (`/api/v1/Users` -> `api_v1_users`)."""
    slug = _WHITESPACE.sub("-", unquote(path).replace("/", "_"))
    slug = sanitise(unicodedata.normalize("NFD", slug)).strip("_")
    return slug[:200]


def path_parts(path: str) -> str:
    """Urls.urlToPathParts: the non-empty decoded path segments joined by '-' (`/a/b` -> `a-b`)."""
    return "-".join(p for p in unquote(path).split("/") if p)


def scenario_name(index: int, path: str) -> str:
    return f"scenario-{index}-{path_parts(path)}"


def body_file_name(name: str | None, method: str, url: str, stub_id: str, extension: str) -> str:
    """FilenameMaker's default `{name}-{id}.{ext}` (or `{method}-{url}-{id}` for an unnamed stub)."""
    base = f"{name}-{stub_id}" if name else f"{method}-{url}-{stub_id}"
    return sanitise(f"{base}.{extension}")


def short_id() -> str:
    """VeryShortIdGenerator: five random letters or digits."""
    return "".join(secrets.choice(SHORT_ID_CHARS) for _ in range(5))


def legacy_file_name(path: str, prefix: str, file_id: str, extension: str) -> str:
    """UniqueFilenameGenerator: `mapping-<path parts>-<id>.json`, `body-<path parts>-<id>.<ext>`."""
    parts = path_parts(path)
    parts = "(root)" if not parts.strip() else _LEGACY_UNSAFE.sub("_", parts)
    return f"{prefix}-{parts[:150]}-{file_id}.{extension}"
