"""Which addresses the crawler may reach: IP literals parsed in any spelling, public or not, and the allow-list.

Shared by the address guard middleware, the resolver and the download handler.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import TYPE_CHECKING

from scrapy.exceptions import (
    IgnoreRequest,
)

from storage.vocabulary import Reason

if TYPE_CHECKING:

    from scrapy.settings import BaseSettings


logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(IgnoreRequest):
    reason = Reason.BLOCKED_ADDRESS


def parse_ip(host: str) -> IPAddress | None:
    """An IP address written any way a resolver accepts (``2130706433``, ``0x7f.1``, ``[::1]``)."""
    host = host.strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))  # legacy forms: 0x7f.1, 017700000001
        except (OSError, ValueError):
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_public(address: IPAddress) -> bool:
    return address.is_global and not address.is_multicast


class AddressPolicy:
    """Which hosts and addresses the crawler may reach: public ones, plus ``MONITOR_ALLOWED_HOSTS``."""

    def __init__(self, allowed: list[str]):
        self.allowed_names: set[str] = set()
        self.allowed_nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allowed:
            try:
                self.allowed_nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allowed_names.add(entry.lower().rstrip("."))

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> AddressPolicy:
        return cls([h.strip() for h in settings.getlist("MONITOR_ALLOWED_HOSTS") if h.strip()])

    def name_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.allowed_names

    def address_allowed(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return is_public(address) or any(address in net for net in self.allowed_nets)



def parse_test_hosts(entries: list[str]) -> dict[str, list[str]]:
    """``name=address[|address...]`` entries; ``*.suffix`` matches a whole domain; ``fail`` fails the lookup."""
    stub: dict[str, list[str]] = {}
    for entry in entries:
        name, sep, answers = entry.strip().partition("=")
        if sep and name.strip() and answers.strip():
            stub[name.strip().lower().rstrip(".")] = [a.strip() for a in answers.split("|") if a.strip()]
    return stub
