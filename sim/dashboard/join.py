"""How participants reach the dashboard: the addresses they can type, and a QR code.

A server started with ``--host 0.0.0.0`` listens on every network of the computer, but
"0.0.0.0" is no address anyone can open. The room needs the computer's own addresses in
the local network (Wi-Fi, cable), read from its network interfaces here, without asking
any other host (no DNS lookup, no connection: the workshop room may have no internet).
The first address is also drawn as a QR code, in the terminal and on the page's join
panel, so participants can scan it with a phone.
"""

from __future__ import annotations

import io
import ipaddress
import os
import socket

import psutil
import segno

ENV = "KOMMUNE_JOIN_URLS"  # the server's join addresses, from the command to the page
ROOM_KEY = "KOMMUNE_ROOM_KEY"  # the server's key to open rooms (in the trainer's address)
EVERYWHERE = ("0.0.0.0", "::", "")  # hosts that mean "every interface"
LOCAL = ("127.0.0.1", "localhost", "::1")


def lan_addresses() -> list[str]:
    """The computer's IPv4 addresses others in the room can reach: every interface that is
    up, without loopback and link-local (169.254.x.x) addresses; private (LAN) addresses
    first, in interface order."""
    up = {name for name, stats in psutil.net_if_stats().items() if stats.isup}
    found = []
    for name, addresses in psutil.net_if_addrs().items():
        if name not in up:
            continue
        for a in addresses:
            if a.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(a.address)
            if ip.is_loopback or ip.is_link_local or a.address in found:
                continue
            found.append(a.address)
    return sorted(found, key=lambda a: not ipaddress.ip_address(a).is_private)


def join_urls(host: str, port: int) -> list[str]:
    """Addresses to open the dashboard at: the LAN addresses for a server on every
    interface, else the host it was given ("localhost" for the loopback)."""
    if host in EVERYWHERE:
        return [f"http://{a}:{port}/" for a in lan_addresses()]
    shown = "localhost" if host in LOCAL else host
    return [f"http://{shown}:{port}/"]


def qr_text(url: str) -> str:
    """The QR code of ``url`` in text blocks, for the terminal (two rows per line)."""
    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def qr_svg(url: str, scale: int = 8) -> str:
    """The QR code of ``url`` as inline SVG, for the page (dark on white, with its quiet
    zone, so a phone reads it from a projector)."""
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff")


def shared_urls() -> list[str]:
    """The join addresses the command handed to the page (empty: not shared)."""
    return [u for u in os.environ.get(ENV, "").split() if u]
