"""Settings: one frozen dataclass, built by the CLI (flags, then MOCKD_* environment variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_PRIORITY = 5
DEFAULT_JOURNAL_ENTRIES = 10_000
WIREMOCK_VERSION = "3.13.2"
VERSION = "0.1.0"  # mockd's (`mockd.__version__`); pyproject.toml says the same


@dataclass(frozen=True)
class Settings:
    root_dir: Path = Path(".")
    port: int = 8080
    bind_address: str = "0.0.0.0"
    verbose: bool = False
    strict_loading: bool = False
    watch: bool = True
    watch_poll: bool = False  # poll instead of OS events (mounts that send none)
    # journal
    request_journal: bool = True
    max_request_journal_entries: int | None = DEFAULT_JOURNAL_ENTRIES
    logged_response_body_size_limit: int | None = None
    # templating
    global_response_templating: bool = False
    disable_response_templating: bool = False
    max_template_cache_entries: int = 1000
    permitted_system_keys: tuple[str, ...] = ("wiremock.*",)
    # responses
    disable_gzip: bool = False
    enable_stub_cors: bool = False
    # proxying and recording
    proxy_all: str | None = None
    preserve_host_header: bool = False
    proxy_timeout_ms: int = 300_000
    allow_proxy_targets: tuple[str, ...] = ()  # mockd/netrules.py: proxying and webhooks
    deny_proxy_targets: tuple[str, ...] = ()
    preserve_user_agent: bool = False  # proxying keeps the client's User-Agent
    supported_proxy_encodings: tuple[str, ...] | None = None  # None: Accept-Encoding forwarded as sent
    max_http_client_connections: int = 1000
    proxy_via: str | None = None  # host:port or http://user:password@host:port: where proxying goes through
    disable_request_logging: bool = False  # --verbose logs no stub requests
    extensions: tuple[str, ...] = ()  # Python modules to import (mockd/extensions.py)
    webhook_concurrency: int = 10  # webhooks sent at the same time (WireMock's --webhook-threadpool-size)
    record_mappings: bool = False
    match_headers: tuple[str, ...] = ()
    record_format: str = "json"  # json | yaml: files written by the recorders
    filename_template: str | None = None  # names of the stub files mockd writes (loader.stub_file_name)
    # admin
    admin_prefix: str = "/__admin"
    admin_api_basic_auth: str | None = None
    admin_api_require_https: bool = False
    # HTTPS (mockd/tls.py)
    https_port: int | None = None
    disable_http: bool = False
    https_certificate: Path | None = None  # PEM (+ https_key when the key is in another file)
    https_key: Path | None = None
    https_keystore: Path | None = None  # PKCS#12
    keystore_password: str = "password"
    keystore_type: str = "PKCS12"
    https_truststore: Path | None = None
    truststore_password: str = "password"
    https_require_client_cert: bool = False
    # limits (hardening)
    max_body_size: int = 64 * 1024 * 1024
    max_url_length: int = 8192  # bytes of the request line (414 above it)
    max_header_size: int = 16 * 1024  # bytes of one header name or value (431 above it)
    max_header_count: int = 256  # headers in one request (431 above it)
    request_header_timeout: float = 10.0  # seconds to receive a request's headers (0: no limit)
    request_body_timeout: float = 30.0  # seconds to receive a request's body once its headers are in
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def mappings_dir(self) -> Path:
        return self.root_dir / "mappings"

    @property
    def files_dir(self) -> Path:
        return self.root_dir / "__files"


ENV_PREFIX = "MOCKD_"


def env_overrides(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Values from MOCKD_<FIELD> variables (MOCKD_PORT=9000, MOCKD_VERBOSE=true ...), typed by the field."""
    env = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is None:
            continue
        default = getattr(Settings(), f.name)
        out[f.name] = _coerce(f.name, raw, default)
    return out


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r}: expected true or false")
    if isinstance(default, int) or name in ("max_request_journal_entries", "logged_response_body_size_limit"):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r}: expected an integer") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r}: expected a number") from None
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, tuple):
        return tuple(p.strip() for p in raw.split(",") if p.strip())
    return raw
