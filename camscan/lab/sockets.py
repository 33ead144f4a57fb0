"""Listening sockets for the lab, and the file-descriptor limit thousands of them need."""

from __future__ import annotations

import contextlib
import resource
import socket
import struct
from pathlib import Path

LISTEN_BACKLOG = 64


def raise_nofile_limit(needed: int) -> int:
    """Raise RLIMIT_NOFILE to at least `needed` if the hard limit (or root) allows; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if needed <= soft:
        return soft
    if needed > hard:
        ceiling = (
            int(Path("/proc/sys/fs/nr_open").read_text()) if Path("/proc/sys/fs/nr_open").exists() else hard
        )
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, ceiling), min(needed, ceiling)))
            return min(needed, ceiling)
    target = min(needed, hard) if hard != resource.RLIM_INFINITY else needed
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def tcp_listener(host: str, port: int) -> socket.socket:
    """A non-blocking listening TCP socket bound to (host, port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(LISTEN_BACKLOG)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def udp_socket(
    host: str, port: int, group: str | None = None, interface_ip: str | None = None
) -> socket.socket:
    """A non-blocking UDP socket bound to (host, port); joins `group` on `interface_ip` when given."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.bind((host, port))
        if group and interface_ip:
            membership = struct.pack("4s4s", socket.inet_aton(group), socket.inet_aton(interface_ip))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface_ip))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock
