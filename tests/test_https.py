"""HTTPS (`--https-port`): a made certificate, PEM files, PKCS#12 keystores, client certificates,
`--disable-http` and `--admin-api-require-https`, against real TLS connections."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Start
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from support import stub

from mockd.embedded import EmbeddedServer, serve
from mockd.tls import TlsError

PEM = serialization.Encoding.PEM


class Authority:
    """A test CA that signs server and client certificates."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mockd test CA")])
        self.cert = (
            self._builder(name, name, self.key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    def _builder(self, subject: x509.Name, issuer: x509.Name, public: Any) -> x509.CertificateBuilder:
        now = dt.datetime.now(dt.UTC)
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
        )

    def issue(self, common_name: str, server: bool) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        builder = self._builder(subject, self.cert.subject, key.public_key())
        if server:
            names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(self.key, hashes.SHA256()), key

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(PEM)

    def client_context(self, client: tuple[Path, Path] | None = None) -> ssl.SSLContext:
        context = ssl.create_default_context(cadata=self.pem.decode("ascii"))
        if client is not None:
            context.load_cert_chain(*client)
        return context


def _key_pem(key: ec.EllipticCurvePrivateKey, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, encryption)


@pytest.fixture(scope="module")
def ca() -> Authority:
    return Authority()


@pytest.fixture
def server_files(ca: Authority, tmp_path: Path) -> tuple[Path, Path]:
    cert, key = ca.issue("localhost", server=True)
    cert_file, key_file = tmp_path / "server.crt", tmp_path / "server.key"
    cert_file.write_bytes(cert.public_bytes(PEM) + ca.pem)
    key_file.write_bytes(_key_pem(key))
    return cert_file, key_file


def _echo_stub(http: httpx.Client) -> None:
    stub(
        http,
        {
            "request": {"urlPath": "/where"},
            "response": {
                "body": "{{request.baseUrl}} {{request.scheme}}",
                "transformers": ["response-template"],
            },
        },
    )


def test_https_with_a_certificate_made_at_start(start: Start) -> None:
    with start(https_port=0) as (server, http):
        _echo_stub(http)
        https_url = server.https_url
        assert https_url is not None and https_url.startswith("https://127.0.0.1:")
        port = int(https_url.rsplit(":", 1)[1])
        assert http.get("/where").text == f"http://127.0.0.1:{server.port} http"  # HTTP stays on
        made = ssl.get_server_certificate(("127.0.0.1", port))
        verifying = ssl.create_default_context(cadata=made)  # the made certificate names 127.0.0.1
        with httpx.Client(base_url=https_url, verify=verifying, timeout=10.0) as secure:
            assert secure.get("/where").text == f"{https_url} https"
            assert secure.get("/__admin/health").status_code == 200
        schemes = [e["request"]["scheme"] for e in http.get("/__admin/requests").json()["requests"]]
    assert sorted(schemes) == ["http", "https"]
    names = x509.load_pem_x509_certificate(made.encode()).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert "localhost" in names.value.get_values_for_type(x509.DNSName)


@pytest.mark.parametrize("layout", ["key file", "one file", "encrypted key"])
def test_https_with_pem_files(start: Start, ca: Authority, tmp_path: Path, layout: str) -> None:
    cert, key = ca.issue("localhost", server=True)
    cert_file = tmp_path / "cert.pem"
    settings: dict[str, Any] = {"https_port": 0, "https_certificate": cert_file}
    if layout == "one file":
        cert_file.write_bytes(_key_pem(key) + cert.public_bytes(PEM))
    else:
        cert_file.write_bytes(cert.public_bytes(PEM))
        key_file = tmp_path / "key.pem"
        password = b"s3cret" if layout == "encrypted key" else None
        key_file.write_bytes(_key_pem(key, password))
        settings["https_key"] = key_file
        if password:
            settings["keystore_password"] = "s3cret"
    with start(**settings) as (server, http):
        _echo_stub(http)
        with httpx.Client(
            base_url=server.https_url or "", verify=ca.client_context(), timeout=10.0
        ) as secure:
            assert secure.get("/where").text.endswith(" https")


def test_https_with_a_pkcs12_keystore(start: Start, ca: Authority, tmp_path: Path) -> None:
    cert, key = ca.issue("localhost", server=True)
    keystore = tmp_path / "keystore.p12"
    encryption = serialization.BestAvailableEncryption(b"changeit")
    keystore.write_bytes(pkcs12.serialize_key_and_certificates(b"mockd", key, cert, [ca.cert], encryption))
    with start(https_port=0, https_keystore=keystore, keystore_password="changeit") as (server, _):
        secure = httpx.Client(base_url=server.https_url or "", verify=ca.client_context(), timeout=10.0)
        with secure:
            assert secure.get("/__admin/health").status_code == 200


def _start_fails(root: Path, **settings: Any) -> str:
    with pytest.raises(TlsError) as failure, serve(root, **settings):
        pass
    return str(failure.value)


def test_bad_https_settings_are_start_failures_that_name_the_file(
    root: Path, ca: Authority, tmp_path: Path
) -> None:
    cert, key = ca.issue("localhost", server=True)
    keystore = tmp_path / "keystore.p12"
    keystore.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"k", key, cert, None, serialization.BestAvailableEncryption(b"right")
        )
    )
    message = _start_fails(root, https_port=0, https_keystore=keystore, keystore_password="wrong")
    assert str(keystore) in message and "wrong password" in message

    jks = tmp_path / "keystore.jks"
    jks.write_bytes(b"\xfe\xed\xfe\xed" + bytes(60))
    assert "keytool -importkeystore" in _start_fails(root, https_port=0, https_keystore=jks)
    assert "keytool" in _start_fails(root, https_port=0, https_keystore=jks, keystore_type="JKS")

    missing = tmp_path / "nope.pem"
    assert f"--https-certificate {missing}: cannot read it" in _start_fails(
        root, https_port=0, https_certificate=missing
    )
    not_pem = tmp_path / "text.pem"
    not_pem.write_text("hello")
    assert "not a PEM certificate and its private key" in _start_fails(
        root, https_port=0, https_certificate=not_pem
    )
    assert "needs --https-truststore" in _start_fails(root, https_port=0, https_require_client_cert=True)


def test_client_certificates_are_required_when_asked(start: Start, ca: Authority, tmp_path: Path) -> None:
    truststore = tmp_path / "ca.pem"
    truststore.write_bytes(ca.pem)
    client_cert, client_key = ca.issue("a client", server=False)
    cert_file, key_file = tmp_path / "client.crt", tmp_path / "client.key"
    cert_file.write_bytes(client_cert.public_bytes(PEM))
    key_file.write_bytes(_key_pem(client_key))
    settings = {"https_port": 0, "https_require_client_cert": True, "https_truststore": truststore}
    with start(**settings) as (server, _):
        url = server.https_url or ""
        made = ssl.get_server_certificate(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        anonymous = ssl.create_default_context(cadata=made)
        with (
            httpx.Client(base_url=url, verify=anonymous, timeout=10.0) as client,
            pytest.raises(httpx.TransportError),
        ):
            client.get("/__admin/health")
        signed = ssl.create_default_context(cadata=made)
        signed.load_cert_chain(cert_file, key_file)
        with httpx.Client(base_url=url, verify=signed, timeout=10.0) as client:
            assert client.get("/__admin/health").status_code == 200


def test_https_only_and_an_admin_api_that_requires_https(
    root: Path, server_files: tuple[Path, Path], ca: Authority
) -> None:
    cert, key = server_files
    settings = {"https_port": 0, "https_certificate": cert, "https_key": key}
    with serve(root, disable_http=True, **settings) as only:
        assert isinstance(only, EmbeddedServer) and only.url == only.https_url
        assert only.server.urls == [only.https_url]
        with httpx.Client(base_url=only.url, verify=ca.client_context(), timeout=10.0) as secure:
            assert secure.get("/__admin/health").status_code == 200
    with serve(root, admin_api_require_https=True, **settings) as both:
        with httpx.Client(base_url=both.url, timeout=10.0) as plain:
            refused = plain.get("/__admin/mappings")
            assert refused.status_code == 403
            assert refused.json() == {
                "errors": [{"code": 40, "title": "HTTPS is required for accessing the admin API"}]
            }
            assert plain.get("/not-admin").status_code == 404  # stubs are still served over HTTP
        with httpx.Client(base_url=both.https_url or "", verify=ca.client_context(), timeout=10.0) as secure:
            assert secure.get("/__admin/mappings").status_code == 200


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockd", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_cli(root: Path, server_files: tuple[Path, Path]) -> None:
    assert _cli("--root-dir", str(root), "--disable-http").returncode == 2
    only_key = _cli("--root-dir", str(root), "--https-port", "0", "--https-key", str(server_files[1]))
    assert only_key.returncode == 2 and "needs --https-certificate" in only_key.stderr
    workers = _cli("--root-dir", str(root), "--https-port", "0", "--workers", "2")
    assert workers.returncode == 2 and "--workers" in workers.stderr
    bad = _cli(
        "--root-dir", str(root), "--port", "0", "--https-port", "0", "--https-keystore", str(server_files[0])
    )
    assert bad.returncode == 1 and "mockd: --https-keystore" in bad.stderr and "PKCS#12" in bad.stderr
