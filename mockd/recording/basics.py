"""What the serving path needs from recording without loading the recorder's machinery (spec parsing,
stub generation, content decoding): the snapshot output format and the proxy-failure text."""

from __future__ import annotations

from enum import StrEnum

# WireMock's answer when the upstream fails; the recorders recognise it by this prefix
PROXY_FAILURE_PREFIX = "Network failure trying to make a proxied request from WireMock to "


class OutputFormat(StrEnum):
    FULL = "FULL"
    IDS = "IDS"
