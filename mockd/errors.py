"""mockd's error hierarchy: every error says where (file, line, JSON pointer) and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where an error is: a file (optional), a JSON pointer (optional), a line and column (optional)."""

    file: str | None = None
    pointer: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        elif self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column is not None else ""))
        if self.pointer is not None:
            parts.append(f"at {self.pointer or '/'}")
        return " ".join(parts)


class MockdError(Exception):
    """Base class. `code` is WireMock's admin error code; `status` the HTTP status the admin API answers."""

    code: int = 10
    status: int = 422
    title: str = "Error parsing JSON"

    def __init__(self, detail: str, location: Location | None = None, *, title: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.location = location or Location()
        if title is not None:
            self.title = title

    @property
    def pointer(self) -> str | None:
        return self.location.pointer

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.detail}" if where else self.detail

    def at(self, pointer_prefix: str = "", file: str | None = None) -> MockdError:
        """Return this error with the pointer prefixed and/or a file name added (errors bubble up outward)."""
        loc = self.location
        pointer = loc.pointer
        if pointer_prefix and pointer is not None:
            pointer = pointer_prefix + pointer
        elif pointer_prefix and pointer is None:
            pointer = pointer_prefix
        self.location = Location(file or loc.file, pointer, loc.line, loc.column)
        return self


class InvalidInput(MockdError):
    """A document that does not follow the schema (unknown field, bad operator, bad regex, bad type)."""


class JsonSyntaxError(MockdError):
    """Text that is not JSON (or YAML) at all. WireMock answers these with an empty `source`."""


class TemplateError(MockdError):
    """A template that does not parse."""


class TemplateRenderError(MockdError):
    """A template that fails while rendering: the request is answered 500 text/plain with the reason."""

    status = 500
    title = "Error rendering template"


class InvalidParameter(MockdError):
    """A bad path or query parameter of the admin API (400)."""

    status = 400


class NotFound(MockdError):
    status = 404
    code = 404
    title = "Not found"


class DuplicateStubId(MockdError):
    code = 109
    title = "Duplicate stub mapping ID"


class NotWritable(MockdError):
    """A stub that came from a file mockd may not rewrite (a multi-stub file)."""

    status = 409
    code = 50
    title = "Stub mapping is read-only"


class ScenarioStateInvalid(MockdError):
    code = 11


class HttpsRequired(MockdError):
    """`--admin-api-require-https` and an admin call over plain HTTP."""

    status = 403
    code = 40
    title = "HTTPS is required for accessing the admin API"


class NotRecording(MockdError):
    status = 400
    code = 30
    title = "Not currently recording."
