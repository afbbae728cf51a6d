"""The client's one error: the admin API said no (or said nothing). It carries WireMock's envelope."""

from __future__ import annotations

from typing import Any

from mockd.errors import Location, MockdError

NO_ANSWER = 0


class MockdClientError(MockdError):
    """An admin call failed. `status` is the HTTP status (0 when the server did not answer), `errors`
    WireMock's error list (`[{"code", "title", "detail"?, "source": {"pointer"}?}]`, possibly empty) and
    `body` the raw answer text. `location.file` names the stub file when the stub came from one."""

    def __init__(
        self,
        method: str,
        url: str,
        status: int,
        errors: list[dict[str, Any]] | None = None,
        body: str = "",
        *,
        reason: str | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.errors: list[dict[str, Any]] = [e for e in errors or [] if isinstance(e, dict)]
        self.body = body
        first = self.errors[0] if self.errors else {}
        source = first.get("source")
        pointer = source.get("pointer") if isinstance(source, dict) else None
        super().__init__(
            _detail(method, url, status, self.errors, body, reason),
            Location(pointer=pointer if isinstance(pointer, str) else None),
            title=str(first.get("title") or reason or f"HTTP {status}"),
        )
        self.status = status
        code = first.get("code")
        self.code = code if isinstance(code, int) else status

    def __str__(self) -> str:
        return f"{self.location}: {self.detail}" if self.location.file else self.detail


def _detail(
    method: str, url: str, status: int, errors: list[dict[str, Any]], body: str, reason: str | None
) -> str:
    head = f"{method} {url}: " + (f"no answer ({reason})" if status == NO_ANSWER else f"HTTP {status}")
    lines = [head]
    for err in errors:
        text = str(err.get("title", ""))
        if err.get("detail"):
            text += f": {err['detail']}"
        source = err.get("source")
        pointer = source.get("pointer") if isinstance(source, dict) else None
        if pointer:
            text += f" (at {pointer})"
        lines.append(f"  [{err.get('code', '?')}] {text}")
    if not errors and body.strip() and status != NO_ANSWER:
        lines.append("  " + body.strip()[:500])
    return "\n".join(lines)
