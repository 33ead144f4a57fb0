"""What the test suites share (the conftests of tests/lab, tests/scan and tests/reliability import it).

Kept in the package so the lab's users can write their own tests the same way; nothing here sends traffic
anywhere but the loopback address it is given.
"""

from __future__ import annotations

import errno
import socket


def cannot_bind_privileged(address: str) -> str | None:
    """Why a lab cannot serve real ports (below 1024) on loopback `address`, or None when it can."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((address, 80))
    except OSError as exc:
        if exc.errno == errno.EACCES:
            return "binding ports below 1024 needs root (or net.ipv4.ip_unprivileged_port_start=0)"
        return f"cannot bind loopback addresses: {exc}"
    finally:
        sock.close()
    return None
