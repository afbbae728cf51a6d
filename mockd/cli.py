"""The `mockd` command: serve, validate, convert. Flags use WireMock's names; every serve flag can also
come from an environment variable MOCKD_<FLAG> (MOCKD_PORT=9000, MOCKD_ROOT_DIR=/stubs ...)."""

from __future__ import annotations

import logging
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mockd.config import DEFAULT_JOURNAL_ENTRIES, WIREMOCK_VERSION, Settings

F = Callable[..., Any]


def _opt(*names: str, env: str, **kw: Any) -> Callable[[F], F]:
    return click.option(*names, envvar=f"MOCKD_{env}", show_envvar=True, **kw)


SERVE_OPTIONS: list[Callable[[F], F]] = [
    _opt("--root-dir", env="ROOT_DIR", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
         show_default=True, help="Directory holding mappings/ and __files/."),
    _opt("--port", env="PORT", type=click.IntRange(0, 65535), default=8080, show_default=True,
         help="HTTP port; 0 picks a free one (the URL is printed)."),
    _opt("--bind-address", env="BIND_ADDRESS", default="0.0.0.0", show_default=True, help="Address to listen on."),
    _opt("--verbose", env="VERBOSE", is_flag=True, help="Log every request and every unmatched report."),
    _opt("--strict-loading", env="STRICT_LOADING", is_flag=True,
         help="Refuse to start when any stub file is invalid (WireMock's behaviour)."),
    _opt("--no-watch", env="NO_WATCH", is_flag=True, help="Do not reload stub files when they change."),
    _opt("--watch-poll", env="WATCH_POLL", is_flag=True,
         help="Watch by polling: for mounts that deliver no file events (Docker Desktop, network drives)."),
    _opt("--no-request-journal", env="NO_REQUEST_JOURNAL", is_flag=True, help="Keep no request journal."),
    _opt("--max-request-journal-entries", env="MAX_REQUEST_JOURNAL_ENTRIES", type=click.IntRange(0),
         default=DEFAULT_JOURNAL_ENTRIES, show_default=True, help="Bound of the request journal."),
    _opt("--logged-response-body-size-limit", env="LOGGED_RESPONSE_BODY_SIZE_LIMIT", type=click.IntRange(0),
         default=None, help="Truncate response bodies kept in the journal to this many bytes."),
    _opt("--global-response-templating", env="GLOBAL_RESPONSE_TEMPLATING", is_flag=True,
         help="Template every stub's response (Handlebars)."),
    _opt("--local-response-templating", env="LOCAL_RESPONSE_TEMPLATING", is_flag=True,
         help="Accepted for WireMock compatibility; local templating is the default."),
    _opt("--disable-response-templating", env="DISABLE_RESPONSE_TEMPLATING", is_flag=True,
         help="Turn response templating off."),
    _opt("--max-template-cache-entries", env="MAX_TEMPLATE_CACHE_ENTRIES", type=click.IntRange(1), default=1000,
         show_default=True, help="Bound of the compiled-template cache."),
    _opt("--permitted-system-keys", env="PERMITTED_SYSTEM_KEYS", default="wiremock.*", show_default=True,
         help="Comma-separated regexes of keys systemValue may read."),
    _opt("--disable-gzip", env="DISABLE_GZIP", is_flag=True, help="Never gzip responses."),
    _opt("--enable-stub-cors", env="ENABLE_STUB_CORS", is_flag=True, help="Add CORS headers to stub responses."),
    _opt("--proxy-all", env="PROXY_ALL", default=None, help="Proxy every unmatched request to this base URL."),
    _opt("--preserve-host-header", env="PRESERVE_HOST_HEADER", is_flag=True,
         help="Keep the client's Host header when proxying."),
    _opt("--proxy-timeout", env="PROXY_TIMEOUT", type=click.IntRange(1), default=300_000, show_default=True,
         help="Upstream timeout in milliseconds."),
    _opt("--allow-proxy-targets", env="ALLOW_PROXY_TARGETS", default="", metavar="LIST",
         help="Only proxy and send webhooks to these IPs, IP ranges (a-b) and host wildcards (comma-separated)."),
    _opt("--deny-proxy-targets", env="DENY_PROXY_TARGETS", default="", metavar="LIST",
         help="Never proxy or send webhooks to these IPs, IP ranges (a-b) and host wildcards."),
    _opt("--preserve-user-agent-proxy-header", env="PRESERVE_USER_AGENT_PROXY_HEADER", is_flag=True,
         help="Keep the client's User-Agent when proxying (else mockd's own is sent)."),
    _opt("--supported-proxy-encodings", env="SUPPORTED_PROXY_ENCODINGS", default=None, metavar="LIST",
         help="Codings the client's Accept-Encoding keeps when proxied (e.g. gzip,deflate)."),
    _opt("--proxy-via", env="PROXY_VIA", default=None, metavar="HOST:PORT",
         help="Send proxied requests and webhooks through this HTTP proxy (http://user:password@host:port too)."),
    _opt("--max-http-client-connections", env="MAX_HTTP_CLIENT_CONNECTIONS", type=click.IntRange(1),
         default=1000, show_default=True, help="Connections the proxy client keeps open at most."),
    _opt("--extensions", env="EXTENSIONS", default="", metavar="MODULES",
         help="Python modules to load (custom matchers, see mockd.extensions); Java class names are reported."),
    _opt("--webhook-threadpool-size", env="WEBHOOK_THREADPOOL_SIZE", type=click.IntRange(1, 1000), default=10,
         show_default=True, help="Webhooks sent at the same time (WireMock's name for it)."),
    _opt("--record-mappings", env="RECORD_MAPPINGS", is_flag=True,
         help="Write a stub for every proxied exchange (WireMock's legacy recorder)."),
    _opt("--match-headers", env="MATCH_HEADERS", default="", help="With --record-mappings: headers to match on."),
    _opt("--record-format", env="RECORD_FORMAT", type=click.Choice(["json", "yaml"]), default="json",
         show_default=True, help="Format of the stub files the recorders write."),
    _opt("--filename-template", env="FILENAME_TEMPLATE", default=None, metavar="TEMPLATE",
         help="Names of the stub files mockd writes, from {{{id}}}, {{{name}}}, {{{method}}} and {{{url}}}."),
    _opt("--admin-api-basic-auth", env="ADMIN_API_BASIC_AUTH", default=None, metavar="USER:PASS",
         help="Require these credentials on the admin API."),
    _opt("--admin-api-require-https", env="ADMIN_API_REQUIRE_HTTPS", is_flag=True,
         help="Answer admin calls over plain HTTP with 403."),
    _opt("--https-port", env="HTTPS_PORT", type=click.IntRange(0, 65535), default=None,
         help="Also serve HTTPS on this port; 0 picks a free one."),
    _opt("--disable-http", env="DISABLE_HTTP", is_flag=True, help="Serve HTTPS only (needs --https-port)."),
    _opt("--https-certificate", env="HTTPS_CERTIFICATE", type=click.Path(dir_okay=False, path_type=Path),
         default=None, help="PEM certificate (chain) for HTTPS; with its key unless --https-key is given."),
    _opt("--https-key", env="HTTPS_KEY", type=click.Path(dir_okay=False, path_type=Path), default=None,
         help="PEM private key of --https-certificate."),
    _opt("--https-keystore", env="HTTPS_KEYSTORE", type=click.Path(dir_okay=False, path_type=Path), default=None,
         help="PKCS#12 keystore for HTTPS (JKS: convert it with keytool). Neither: a self-signed certificate."),
    _opt("--keystore-password", env="KEYSTORE_PASSWORD", default="password", show_default=True,
         help="Password of --https-keystore (or of an encrypted --https-key)."),
    _opt("--keystore-type", env="KEYSTORE_TYPE", type=click.Choice(["PKCS12", "JKS"], case_sensitive=False),
         default="PKCS12", show_default=True, help="Type of --https-keystore; JKS is refused with how to convert it."),
    _opt("--key-manager-password", env="KEY_MANAGER_PASSWORD", default=None,
         help="Accepted for WireMock compatibility (PKCS#12 has one password: --keystore-password)."),
    _opt("--https-truststore", env="HTTPS_TRUSTSTORE", type=click.Path(dir_okay=False, path_type=Path),
         default=None, help="CAs of client certificates (PEM or PKCS#12) for --https-require-client-cert."),
    _opt("--truststore-password", env="TRUSTSTORE_PASSWORD", default="password", show_default=True,
         help="Password of a PKCS#12 --https-truststore."),
    _opt("--https-require-client-cert", env="HTTPS_REQUIRE_CLIENT_CERT", is_flag=True,
         help="Require a client certificate signed by a CA of --https-truststore."),
    _opt("--admin-prefix", env="ADMIN_PREFIX", default="/__admin", show_default=True, help="Path of the admin API."),
    _opt("--max-body-size", env="MAX_BODY_SIZE", type=click.IntRange(1), default=64 * 1024 * 1024,
         show_default=True, help="Largest request body accepted, in bytes."),
    _opt("--max-url-length", env="MAX_URL_LENGTH", type=click.IntRange(256), default=8192, show_default=True,
         help="Longest request line (method, URL, version) accepted, in bytes; longer ones get 414."),
    _opt("--max-header-size", env="MAX_HEADER_SIZE", type=click.IntRange(256), default=16 * 1024,
         show_default=True, help="Longest request header name or value accepted, in bytes; longer ones get 431."),
    _opt("--max-header-count", env="MAX_HEADER_COUNT", type=click.IntRange(1), default=256, show_default=True,
         help="Most request headers accepted; more get 431."),
    _opt("--request-header-timeout", env="REQUEST_HEADER_TIMEOUT", type=click.FloatRange(0), default=10.0,
         show_default=True, help="Seconds a client has to send a request's headers (408 after); 0: no limit."),
    _opt("--request-body-timeout", env="REQUEST_BODY_TIMEOUT", type=click.FloatRange(0), default=30.0,
         show_default=True, help="Seconds a client has to send a request's body (408 after); 0: no limit."),
    _opt("--workers", env="WORKERS", type=click.IntRange(1, 64), default=1, show_default=True,
         help="Processes sharing the port (SO_REUSEPORT)."),
    _opt("--disable-banner", env="DISABLE_BANNER", is_flag=True, help="Accepted for WireMock compatibility."),
    _opt("--disable-request-logging", env="DISABLE_REQUEST_LOGGING", is_flag=True,
         help="With --verbose, log no stub requests (admin calls and problems only)."),
]  # fmt: skip

# WireMock flags about the JVM, Jetty and Java extensions: accepted so a WireMock command line runs
# unchanged, and ignored (`mockd serve --help` does not list them). Name -> takes a value.
IGNORED_WIREMOCK_OPTIONS: dict[str, bool] = {
    "--container-threads": True, "--jetty-acceptor-threads": True, "--jetty-accept-queue-size": True,
    "--jetty-header-buffer-size": True, "--jetty-header-request-size": True, "--jetty-header-response-size": True,
    "--jetty-stop-timeout": True, "--jetty-idle-timeout": True, "--timeout": True, "--async-response-enabled": True,
    "--async-response-threads": True, "--disable-http2-plain": False, "--disable-http2-tls": False,
    "--disable-connection-reuse": True, "--disable-strict-http-headers": False,
    "--disable-optimize-xml-factories-loading": False, "--disable-extensions-scanning": False,
    "--load-resources-from-classpath": True, "--websocket-idle-timeout": True,
    "--websocket-max-text-message-size": True, "--websocket-max-binary-message-size": True,
    "--truststore-type": True, "--use-chunked-encoding": True, "--print-all-network-traffic": False,
    "--proxy-pass-through": True,
}  # fmt: skip
# WireMock's browser-proxying flags: refused with a message rather than silently ignored. Name -> takes a value.
BROWSER_PROXYING_OPTIONS: dict[str, bool] = {
    "--enable-browser-proxying": False, "--ca-keystore": True, "--ca-keystore-password": True,
    "--ca-keystore-type": True, "--trust-all-proxy-targets": False, "--trust-proxy-target": True,
}  # fmt: skip


def _refuse_browser_proxying(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value:
        raise click.BadParameter("browser proxying is not supported (see the README's compatibility table)")


def wiremock_options(f: F) -> F:
    """Add the ignored and refused WireMock flags, hidden from --help."""
    Callback = Callable[[click.Context, click.Parameter, Any], None] | None
    flags: list[tuple[str, bool, Callback]] = [(n, v, None) for n, v in IGNORED_WIREMOCK_OPTIONS.items()]
    flags += [(n, v, _refuse_browser_proxying) for n, v in BROWSER_PROXYING_OPTIONS.items()]
    for name, takes_value, callback in flags:
        kind: dict[str, Any] = {"default": None} if takes_value else {"is_flag": True}
        dest = "wiremock_" + name[2:].replace("-", "_")
        f = click.option(name, dest, hidden=True, expose_value=False, callback=callback, **kind)(f)
    return f


def serve_options(f: F) -> F:
    for option in reversed(SERVE_OPTIONS):
        f = option(f)
    return wiremock_options(f)


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def settings_from(kw: dict[str, Any]) -> Settings:
    if kw.get("admin_api_basic_auth") and ":" not in kw["admin_api_basic_auth"]:
        raise click.BadParameter("expected USER:PASS", param_hint="--admin-api-basic-auth")
    prefix = "/" + kw["admin_prefix"].strip("/")
    from mockd.errors import InvalidInput
    from mockd.netrules import NetworkRules

    try:
        NetworkRules.of(_list(kw["allow_proxy_targets"]), _list(kw["deny_proxy_targets"]))
    except InvalidInput as exc:
        raise click.BadParameter(exc.detail) from None
    if kw["filename_template"] is not None:
        from mockd.loader import check_filename_template

        try:
            check_filename_template(kw["filename_template"])
        except InvalidInput as exc:
            raise click.BadParameter(exc.detail) from None
    if kw["proxy_via"]:
        from mockd.upstream import parse_proxy_via

        try:
            parse_proxy_via(kw["proxy_via"])
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--proxy-via") from None
    if kw["disable_http"] and kw["https_port"] is None:
        raise click.BadParameter("needs --https-port", param_hint="--disable-http")
    if kw["https_key"] is not None and kw["https_certificate"] is None:
        raise click.BadParameter("needs --https-certificate", param_hint="--https-key")
    if kw["https_port"] is not None and kw["workers"] > 1:
        raise click.BadParameter("cannot be combined with --workers above 1", param_hint="--https-port")
    return Settings(
        root_dir=kw["root_dir"],
        port=kw["port"],
        bind_address=kw["bind_address"],
        verbose=kw["verbose"],
        strict_loading=kw["strict_loading"],
        watch=not kw["no_watch"],
        watch_poll=kw["watch_poll"],
        request_journal=not kw["no_request_journal"],
        max_request_journal_entries=kw["max_request_journal_entries"],
        logged_response_body_size_limit=kw["logged_response_body_size_limit"],
        global_response_templating=kw["global_response_templating"],
        disable_response_templating=kw["disable_response_templating"],
        max_template_cache_entries=kw["max_template_cache_entries"],
        permitted_system_keys=tuple(k.strip() for k in kw["permitted_system_keys"].split(",") if k.strip()),
        disable_gzip=kw["disable_gzip"],
        enable_stub_cors=kw["enable_stub_cors"],
        proxy_all=kw["proxy_all"],
        preserve_host_header=kw["preserve_host_header"],
        proxy_timeout_ms=kw["proxy_timeout"],
        webhook_concurrency=kw["webhook_threadpool_size"],
        extensions=_list(kw["extensions"]),
        allow_proxy_targets=_list(kw["allow_proxy_targets"]),
        deny_proxy_targets=_list(kw["deny_proxy_targets"]),
        preserve_user_agent=kw["preserve_user_agent_proxy_header"],
        supported_proxy_encodings=None
        if kw["supported_proxy_encodings"] is None
        else _list(kw["supported_proxy_encodings"]),
        max_http_client_connections=kw["max_http_client_connections"],
        proxy_via=kw["proxy_via"],
        disable_request_logging=kw["disable_request_logging"],
        record_mappings=kw["record_mappings"],
        match_headers=tuple(h.strip() for h in kw["match_headers"].split(",") if h.strip()),
        record_format=kw["record_format"],
        filename_template=kw["filename_template"],
        admin_prefix=prefix,
        admin_api_basic_auth=kw["admin_api_basic_auth"],
        admin_api_require_https=kw["admin_api_require_https"],
        https_port=kw["https_port"],
        disable_http=kw["disable_http"],
        https_certificate=kw["https_certificate"],
        https_key=kw["https_key"],
        https_keystore=kw["https_keystore"],
        keystore_password=kw["keystore_password"],
        keystore_type=kw["keystore_type"].upper(),
        https_truststore=kw["https_truststore"],
        truststore_password=kw["truststore_password"],
        https_require_client_cert=kw["https_require_client_cert"],
        max_body_size=kw["max_body_size"],
        max_url_length=kw["max_url_length"],
        max_header_size=kw["max_header_size"],
        max_header_count=kw["max_header_count"],
        request_header_timeout=kw["request_header_timeout"],
        request_body_timeout=kw["request_body_timeout"],
        workers=kw["workers"],
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="mockd", message=f"mockd %(version)s (WireMock {WIREMOCK_VERSION} compatible)"
)
def main() -> None:
    """mockd: a WireMock-compatible mock HTTP server."""


@main.command()
@serve_options
def serve(**kw: Any) -> None:
    """Serve the stubs of --root-dir (mappings/ and __files/)."""
    settings = settings_from(kw)
    logging.basicConfig(
        level=logging.INFO if settings.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from mockd.startup import DeferredCertificates

    deferred = DeferredCertificates(enabled=settings.workers == 1)  # ~40 ms of start (see startup.py)
    with deferred:
        from mockd.server import MockdServer, run

    def ready(server: MockdServer) -> None:
        problems = server.core.problems
        urls = " and ".join(server.urls)
        click.echo(f"mockd {len(server.core.store)} stubs, listening on {urls}", err=False)
        if problems:
            click.echo(f"mockd skipped {len(problems)} invalid stub file(s); see the log above", err=True)
        sys.stdout.flush()
        deferred.load_soon()

    if settings.workers > 1:
        from mockd.workers import WorkersReady, run_workers

        def workers_ready(info: WorkersReady) -> None:
            click.echo(f"mockd {info.stubs} stubs, listening on {info.url} ({info.workers} workers)")
            if info.problems:
                click.echo(f"mockd skipped {info.problems} invalid stub file(s); see the log above", err=True)
            sys.stdout.flush()

        sys.exit(run_workers(settings, workers_ready))
    sys.exit(run(settings, ready))


RECORD_OPTIONS: list[Callable[[F], F]] = [
    click.option("--target", required=True, metavar="URL", help="Base URL of the service to record."),
    click.option("--root-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                 show_default=True, help="Where mappings/ and __files/ are written."),
    click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
                 help="Port of the recording proxy; 0 picks a free one."),
    click.option("--bind-address", default="127.0.0.1", show_default=True, help="Address to listen on."),
    click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True,
                 help="Format of the stub files written."),
    click.option("--capture-headers", default="", help="Comma-separated request headers to match on."),
    click.option("--extract-body-size", default=None, metavar="SIZE",
                 help="Bodies longer than this ('2 kb', '1 Mb') go to __files/."),
    click.option("--no-scenarios", is_flag=True, help="Drop repeated requests instead of making scenarios."),
    click.option("--proxy-timeout", type=click.IntRange(1), default=300_000, show_default=True,
                 help="Upstream timeout in milliseconds."),
    click.option("--preserve-host-header", is_flag=True, help="Keep the client's Host header when proxying."),
    click.option("--verbose", is_flag=True, help="Log every request."),
]  # fmt: skip


def record_options(f: F) -> F:
    for option in reversed(RECORD_OPTIONS):
        f = option(f)
    return f


@main.command()
@record_options
def record(**kw: Any) -> None:
    """Record a service: proxy to --target and write stubs when stopped (Ctrl-C, SIGTERM or the API)."""
    from mockd.recording import parse_size
    from mockd.recording.spec import EventFilter, ExtractCriteria, RecordSpec
    from mockd.recordmode import run_recording

    logging.basicConfig(level=logging.INFO if kw["verbose"] else logging.WARNING)
    if not kw["target"].lower().startswith(("http://", "https://")):
        raise click.BadParameter("expected an http:// or https:// URL", param_hint="--target")
    extract = None
    if kw["extract_body_size"] is not None:
        try:
            size = parse_size(kw["extract_body_size"])
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--extract-body-size") from None
        extract = ExtractCriteria(size, size)
    settings = Settings(
        root_dir=kw["root_dir"], port=kw["port"], bind_address=kw["bind_address"], watch=False,
        verbose=kw["verbose"], proxy_timeout_ms=kw["proxy_timeout"],
        preserve_host_header=kw["preserve_host_header"], record_format=kw["fmt"],
    )  # fmt: skip
    spec = RecordSpec(
        target_base_url=kw["target"],
        filters=EventFilter(),
        capture_headers=tuple((h.strip(), None) for h in kw["capture_headers"].split(",") if h.strip()),
        extract=extract,
        repeats_as_scenarios=not kw["no_scenarios"],
    )
    sys.exit(run_recording(settings, spec))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check stub files (or root/mappings directories); exit 1 if any is invalid."""
    from mockd.validate import validate_paths

    ok, lines = validate_paths(list(paths))
    for line in lines:
        click.echo(line, err=not ok)
    sys.exit(0 if ok else 1)


def split_options(value: str) -> list[str]:
    """MOCKD_OPTIONS='--port 9000 --verbose' as a list of arguments (used by the container image)."""
    return shlex.split(value)


if __name__ == "__main__":  # pragma: no cover
    main()
