"""The journal and admin flags of `mockd serve` reach the settings the admin API runs with."""

from __future__ import annotations

from mockd.cli import serve, settings_from
from mockd.config import Settings


def _settings(*args: str) -> Settings:
    ctx = serve.make_context("serve", list(args))
    return settings_from(dict(ctx.params))


def test_defaults() -> None:
    s = _settings()
    assert s.request_journal is True
    assert s.max_request_journal_entries == 10_000
    assert s.logged_response_body_size_limit is None
    assert s.admin_prefix == "/__admin"
    assert s.admin_api_basic_auth is None


def test_journal_flags() -> None:
    s = _settings(
        "--no-request-journal",
        "--max-request-journal-entries",
        "5",
        "--logged-response-body-size-limit",
        "64",
    )
    assert s.request_journal is False
    assert s.max_request_journal_entries == 5
    assert s.logged_response_body_size_limit == 64


def test_admin_flags() -> None:
    s = _settings("--admin-api-basic-auth", "u:p", "--admin-prefix", "ops/")
    assert s.admin_api_basic_auth == "u:p"
    assert s.admin_prefix == "/ops"
