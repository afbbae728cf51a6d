"""`--allow-proxy-targets` / `--deny-proxy-targets`: which hosts proxying and webhooks may reach.

Each list holds WireMock's three kinds of entries: an IP address (`10.1.2.3`), an IP range
(`10.1.2.3-10.1.2.255`), or a host name wildcard (`*.internal.example.com`, `localhost`; `*` is one or
more characters, and a wildcard is matched against host names and against addresses as text).

- With an allow list, a target is allowed when its host name matches one of its wildcards, or when every
  address the host resolves to is included by one of its entries.
- The deny list then refuses a target whose name, or any of whose addresses, it includes.
- A name that does not resolve is not allowed (WireMock's rule).

WireMock does not document how names and addresses combine (3.13.2 with `--allow-proxy-targets=localhost`
still proxied to 127.0.0.1); this reading lets a wildcard allow a name, and lets no address of a denied
range through under another name.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mockd.errors import InvalidInput

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_SINGLE_IP = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
_IP = re.compile(_SINGLE_IP)
_RANGE = re.compile(f"({_SINGLE_IP})-({_SINGLE_IP})")


@dataclass(frozen=True)
class Rule:
    text: str
    low: Address | None = None  # an address or a range: its bounds
    high: Address | None = None
    name: re.Pattern[str] | None = None  # a wildcard

    def includes(self, value: str, addresses: Sequence[Address]) -> bool:
        """Whether `value` (a host name or an address as text, resolving to `addresses`) is included."""
        if self.name is not None:
            return self.name.fullmatch(value) is not None
        assert self.low is not None and self.high is not None
        low, high = self.low, self.high
        return any(a.version == low.version and int(low) <= int(a) <= int(high) for a in addresses)


def _address(text: str, option: str) -> Address:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise InvalidInput(f"{option}: {text} is not a valid IP address") from None


def rule(text: str, option: str) -> Rule:
    """One entry of an allow or deny list; InvalidInput (naming the option) when it is not valid."""
    value = text.strip()
    if not value:
        raise InvalidInput(f"{option}: an empty entry is not a valid network address")
    if _IP.fullmatch(value):
        address = _address(value, option)
        return Rule(value, address, address)
    found = _RANGE.fullmatch(value)
    if found:
        low, high = _address(found[1], option), _address(found[2], option)
        if int(high) < int(low):
            raise InvalidInput(f"{option}: {value} is not a valid IP range (the end is below the start)")
        return Rule(value, low, high)
    try:  # an IPv6 address is an address, not a wildcard
        address = ipaddress.ip_address(value.strip("[]"))
        return Rule(value, address, address)
    except ValueError:
        pass
    pattern = ".+".join(re.escape(part) for part in value.lower().split("*"))
    return Rule(value, name=re.compile(pattern, re.IGNORECASE))


@dataclass(frozen=True)
class NetworkRules:
    allowed: tuple[Rule, ...] = ()
    denied: tuple[Rule, ...] = ()

    @classmethod
    def of(cls, allow: Iterable[str], deny: Iterable[str]) -> NetworkRules:
        return cls(
            tuple(rule(t, "--allow-proxy-targets") for t in allow),
            tuple(rule(t, "--deny-proxy-targets") for t in deny),
        )

    @property
    def allow_all(self) -> bool:
        return not self.allowed and not self.denied

    def allows(self, host: str, addresses: Sequence[Address]) -> bool:
        """`host` (a name or an address) resolving to `addresses` (none: it does not resolve)."""
        if not addresses:
            return False
        name = host.lower()
        if self.allowed and not (
            any(r.name is not None and r.includes(name, addresses) for r in self.allowed)
            or all(any(r.includes(str(a), (a,)) for r in self.allowed) for a in addresses)
        ):
            return False
        if any(r.includes(name, addresses) for r in self.denied):
            return False
        return not any(r.includes(str(a), (a,)) for a in addresses for r in self.denied)


def parse_address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


__all__ = ["NetworkRules", "Rule", "parse_address", "rule"]
