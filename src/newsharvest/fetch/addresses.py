"""Which hosts are internal: loopback, private, link-local and other non-public addresses.

A public news site that redirects to ``http://169.254.169.254/`` (a cloud metadata
service) or to ``127.0.0.1`` would make the harvester read, and store, something of the
machine it runs on. Redirect targets (and article links) on such addresses are refused
unless the source itself lives on one (a loopback test server, an intranet portal).

Host names are resolved once per run (cached) with the event loop's resolver. The check
is a guard against redirects and links, not against DNS rebinding between the check and
the connection.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


def is_internal_ip(address: str) -> bool:
    """True for an IP literal that is not a global unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_internal_url(url: str) -> bool:
    """Without a DNS lookup: is the URL's host an internal IP literal or a local name?"""
    host = host_of(url)
    return host in ("localhost", "localhost.localdomain") or host.endswith(
        ".localhost") or is_internal_ip(host)


class AddressGuard:
    """Per-run cache of "does this host resolve to an internal address?"."""

    def __init__(self) -> None:
        self._cache: dict[str, bool] = {}

    async def is_internal(self, url: str) -> bool:
        host = host_of(url)
        if not host:
            return False
        if is_internal_url(url):
            return True
        if host not in self._cache:
            self._cache[host] = await self._resolve(host)
        return self._cache[host]

    async def _resolve(self, host: str) -> bool:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return False  # unresolvable: the request itself will fail with its own error
        return any(is_internal_ip(str(info[4][0])) for info in infos)
