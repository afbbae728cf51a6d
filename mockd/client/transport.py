"""HTTP for the admin client: stdlib urllib only, no environment proxies, a bounded timeout per call."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from mockd import jsontext
from mockd.client.errors import NO_ANSWER, MockdClientError

DEFAULT_TIMEOUT = 10.0
SUCCESS = (200, 201, 204)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        """The body as JSON; an empty body is None."""
        if not self.body.strip():
            return None
        return json.loads(self.body)


class AdminHttp:
    """Calls `<base_url><admin_prefix><path>` with JSON bodies; non-2xx answers raise MockdClientError."""

    def __init__(
        self,
        base_url: str,
        admin_prefix: str = "/__admin",
        timeout: float = DEFAULT_TIMEOUT,
        auth: tuple[str, str] | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"expected a base URL such as http://127.0.0.1:8080, got {base_url!r}")
        if parts.username is not None and auth is None:
            auth = (parts.username, parts.password or "")
        netloc = parts.netloc.rpartition("@")[2]
        self.base_url = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        self.admin_url = self.base_url + "/" + admin_prefix.strip("/")
        self.timeout = timeout
        self._headers = {"Accept": "application/json", "User-Agent": "mockd-client"}
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        # No ProxyHandler from the environment: HTTP_PROXY must not capture calls to a local mock.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Answer:
        url = self.admin_url + path
        if query:
            url += "?" + urlencode(query)
        data = raw if raw is not None else None if body is None else jsontext.dumps_compact(body).encode()
        headers = dict(self._headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return Answer(response.status, response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                text = exc.read().decode("utf-8", errors="replace")
            raise MockdClientError(method, url, exc.code, _errors(text), text, reason=exc.reason) from None
        except OSError as exc:  # URLError, timeouts, refused connections
            reason = getattr(exc, "reason", None) or exc
            raise MockdClientError(method, url, NO_ANSWER, reason=str(reason)) from exc

    def json(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call(method, path, body, **kw).json()


def _errors(text: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    errors = doc.get("errors") if isinstance(doc, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def segment(value: str) -> str:
    """One path segment, percent-encoded (scenario names may hold spaces and slashes)."""
    return quote(value, safe="")
