"""A raw-socket HTTP/1.1 client for framing tests: what httpx refuses to send, and bounded reads."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass


@dataclass
class RawResponse:
    status: int | None  # None: the server closed without answering
    head: bytes
    body: bytes
    closed: bool  # the server closed the connection
    elapsed: float


def read_response(sock: socket.socket, deadline: float) -> RawResponse:
    """Read one HTTP/1.x response (Content-Length framed) or up to the close, until `deadline`."""
    started = time.monotonic()
    data = b""
    closed = False
    while True:
        head_end = data.find(b"\r\n\r\n")
        if head_end >= 0:
            head = data[:head_end]
            length = _content_length(head)
            if length is not None and len(data) >= head_end + 4 + length:
                body = data[head_end + 4 : head_end + 4 + length]
                return RawResponse(_status(head), head, body, closed, time.monotonic() - started)
        remaining = deadline - time.monotonic()
        if remaining <= 0 or closed:
            break
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return RawResponse(_status(head) if data else None, head, body, closed, time.monotonic() - started)


def exchange(port: int, data: bytes, timeout: float = 5.0) -> RawResponse:
    """Send `data` on a new connection and read the answer (bounded by `timeout`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_response(sock, time.monotonic() + timeout)


def _status(head: bytes) -> int | None:
    parts = head.split(b"\r\n", 1)[0].split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return int(value.strip())
    return None


def closes(sock: socket.socket, timeout: float = 2.0) -> bool:
    """Does the server close `sock` (after what was already read) within `timeout` seconds?"""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True
