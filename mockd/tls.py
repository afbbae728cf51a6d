"""TLS for `--https-port`: the server's SSL context.

The certificate comes from, in this order: `--https-certificate` (+ `--https-key`), PEM files;
`--https-keystore`, a PKCS#12 file (`--keystore-password`, default "password" as in WireMock); or, with
neither, a self-signed certificate made at start for localhost, 127.0.0.1, ::1 and the bind address
(WireMock ships a fixed one; mockd makes its own, so no private key is published). Java KeyStores (JKS)
are Java-only: they are refused with the keytool command that converts one to PKCS#12.

`--https-require-client-cert` asks every HTTPS client for a certificate signed by a CA of
`--https-truststore` (PEM, or PKCS#12 with `--truststore-password`).

Reading PKCS#12 and making a certificate need the `cryptography` package (`pip install "mockd[https]"`);
PEM files need nothing beyond Python's `ssl`. Every problem is a MockdError naming the file and the
option, which the server prints as its start failure.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mockd.config import Settings
from mockd.errors import MockdError

CERTIFICATE_DAYS = 3650
JKS_HINT = (
    "Java KeyStores (JKS) are Java-only; convert it with `keytool -importkeystore -srckeystore {path} "
    "-destkeystore keystore.p12 -deststoretype PKCS12` and pass keystore.p12"
)


class TlsError(MockdError):
    """The HTTPS settings cannot be used (a missing file, a wrong password, a JKS keystore)."""


def server_context(settings: Settings) -> ssl.SSLContext:
    """The SSL context of the HTTPS listener."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.https_certificate is not None:
        _load_pem(context, settings.https_certificate, settings.https_key, settings.keystore_password)
    elif settings.https_keystore is not None:
        keystore = Path(settings.https_keystore)
        if settings.keystore_type.upper() == "JKS":
            raise TlsError(f"--https-keystore {keystore}: " + JKS_HINT.format(path=keystore))
        cert_pem, key_pem = _pkcs12_chain(keystore, settings.keystore_password, "--https-keystore")
        _load_pem_bytes(context, cert_pem, key_pem)
    else:
        cert_pem, key_pem = self_signed(settings.bind_address)
        _load_pem_bytes(context, cert_pem, key_pem)
    if settings.https_require_client_cert:
        if settings.https_truststore is None:
            raise TlsError(
                "--https-require-client-cert needs --https-truststore (the CAs client certificates come from)"
            )
        context.verify_mode = ssl.CERT_REQUIRED
        _load_trust(context, Path(settings.https_truststore), settings.truststore_password)
    return context


def _read(path: Path, option: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TlsError(f"{option} {path}: cannot read it: {exc.strerror or exc}") from None


def _load_pem(context: ssl.SSLContext, cert: Path, key: Path | None, password: str) -> None:
    _read(cert, "--https-certificate")
    if key is not None:
        _read(key, "--https-key")
    try:
        context.load_cert_chain(cert, key, password=password)
    except ssl.SSLError as exc:
        where = f"--https-certificate {cert}" + (f" / --https-key {key}" if key is not None else "")
        raise TlsError(
            f"{where}: not a PEM certificate and its private key ({exc.reason or exc}); a key in another file "
            "goes in --https-key, an encrypted key's password in --keystore-password"
        ) from None


def _load_pem_bytes(context: ssl.SSLContext, cert_pem: bytes, key_pem: bytes) -> None:
    """`load_cert_chain` reads files only: write them to a private temporary folder, load, delete."""
    with _private_dir() as folder:
        cert, key = folder / "cert.pem", folder / "key.pem"
        cert.write_bytes(cert_pem)
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key_pem)
        context.load_cert_chain(cert, key)


@contextmanager
def _private_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="mockd-tls-") as name:
        os.chmod(name, 0o700)
        yield Path(name)


def _crypto(what: str) -> Any:
    try:
        import cryptography  # noqa: F401
    except ImportError:
        raise TlsError(f"{what} needs the 'cryptography' package: pip install \"mockd[https]\"") from None
    from cryptography.hazmat.primitives.serialization import pkcs12

    return pkcs12


def _pkcs12(path: Path, password: str, option: str) -> Any:
    pkcs12 = _crypto(f"{option} (PKCS#12)")
    data = _read(path, option)
    try:
        return pkcs12.load_pkcs12(data, password.encode("utf-8") if password else None)
    except ValueError as exc:
        if data[:4] == b"\xfe\xed\xfe\xed":  # the JKS magic number
            raise TlsError(f"{option} {path}: " + JKS_HINT.format(path=path)) from None
        raise TlsError(f"{option} {path}: not a PKCS#12 file, or a wrong password ({exc})") from None


def _pkcs12_chain(path: Path, password: str, option: str) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import serialization

    store = _pkcs12(path, password, option)
    if store.key is None or store.cert is None:
        raise TlsError(f"{option} {path}: holds no private key with its certificate")
    pem = serialization.Encoding.PEM
    chain = store.cert.certificate.public_bytes(pem) + b"".join(
        c.certificate.public_bytes(pem) for c in store.additional_certs
    )
    key = store.key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return chain, key


def _load_trust(context: ssl.SSLContext, path: Path, password: str) -> None:
    data = _read(path, "--https-truststore")
    if b"-----BEGIN CERTIFICATE-----" in data:
        try:
            context.load_verify_locations(cadata=data.decode("ascii", errors="replace"))
        except ssl.SSLError as exc:
            raise TlsError(f"--https-truststore {path}: not PEM certificates ({exc.reason or exc})") from None
        return
    from cryptography.hazmat.primitives import serialization

    store = _pkcs12(path, password, "--https-truststore")
    certs = [*([store.cert] if store.cert is not None else []), *store.additional_certs]
    if not certs:
        raise TlsError(f"--https-truststore {path}: holds no certificate")
    pem = b"".join(c.certificate.public_bytes(serialization.Encoding.PEM) for c in certs)
    context.load_verify_locations(cadata=pem.decode("ascii"))


def self_signed(bind_address: str = "127.0.0.1") -> tuple[bytes, bytes]:
    """A self-signed certificate and its key (PEM) for localhost, 127.0.0.1, ::1 and `bind_address`."""
    _crypto("--https-port without --https-certificate or --https-keystore (a certificate made at start)")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    addresses = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}
    try:
        bound = ipaddress.ip_address(bind_address)
        if not bound.is_unspecified:
            addresses.add(bound)
    except ValueError:
        pass
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    names += [x509.IPAddress(a) for a in sorted(addresses, key=str)]
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=CERTIFICATE_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


__all__ = ["TlsError", "self_signed", "server_context"]
