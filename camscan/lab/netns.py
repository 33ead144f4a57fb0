"""Network namespaces for the lab: a bridge in its own namespace, one namespace per device, one for the scanner.

Layout (all names start with `csl-` so `camscan lab down` can find leftovers):

    csl[-ID]-lab    the bridge csl-br0 (multicast snooping off) and one veth end per device: csl-v<N>
    csl[-ID]-d<N>   one device: eth0 with the profile's MAC and address, a multicast route
    csl[-ID]-scan   the scanner: eth0 on the same bridge, routes for multicast and broadcast

Nothing is created in the root namespace: veth pairs are created inside the lab namespace with their peer
placed straight into the device namespace, so lab traffic never touches the host's interfaces.

Sockets for the devices are created from this process: a worker thread enters each device namespace with
setns(2) and creates the listening sockets there; a socket keeps its namespace for life, so the asyncio loop
in the main thread serves every device from one process.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from camscan.errors import CamscanError

PREFIX = "csl-"
BRIDGE = "csl-br0"
NETNS_DIR = Path("/run/netns")
CLONE_NEWNET = 0x40000000
SCANNER_MAC = "02:00:0a:e7:ff:fe"  # locally administered: the scanner is not a vendor's device

T = TypeVar("T")


class NetnsError(CamscanError):
    """Namespace mode cannot run here, or a namespace command failed."""


def unavailable_reason() -> str | None:
    """Why namespace mode cannot run on this machine, or None when it can."""
    if os.name != "posix" or not Path("/proc/self/ns/net").exists():
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "the ip command (iproute2) is not installed"
    return None


@dataclass(frozen=True, slots=True)
class Names:
    """Namespace and interface names for one lab (`lab_id` lets two labs coexist)."""

    lab_id: str = ""

    def _name(self, suffix: str) -> str:
        return f"{PREFIX}{self.lab_id}-{suffix}" if self.lab_id else f"{PREFIX}{suffix}"

    @property
    def lab(self) -> str:
        return self._name("lab")

    @property
    def scanner(self) -> str:
        return self._name("scan")

    def device(self, index: int) -> str:
        return self._name(f"d{index}")

    @staticmethod
    def veth(index: int) -> str:
        return f"csl-v{index}"


@dataclass(frozen=True, slots=True)
class Member:
    """A namespace on the lab bridge: its name, address and MAC."""

    namespace: str
    ip: str
    mac: str


def ip_batch(commands: Sequence[str], namespace: str | None = None) -> None:
    """Run `ip [-n NS] -batch -` with the given commands (one process for many commands)."""
    if not commands:
        return
    args = ["ip", *(["-n", namespace] if namespace else []), "-batch", "-"]
    result = subprocess.run(
        args, input="\n".join(commands) + "\n", capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise NetnsError(f"{' '.join(args)} failed: {result.stderr.strip()[:300]}")


def list_namespaces(prefix: str = PREFIX) -> list[str]:
    result = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=30, check=False)
    names = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    return sorted(n for n in names if n.startswith(prefix))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def enter(namespace: str) -> None:
    """Move the calling thread into `namespace` (only call this from a thread made for it)."""
    fd = os.open(NETNS_DIR / namespace, os.O_RDONLY)
    try:
        if _libc().setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise NetnsError(f"setns({namespace}) failed: {os.strerror(err)}")
    finally:
        os.close(fd)


def run_in_namespaces(jobs: Sequence[tuple[str, Callable[[], T]]]) -> list[T]:
    """Run each job inside its namespace, in a worker thread that switches namespace between jobs.

    The results (typically sockets) are returned to the caller's thread; sockets stay in the namespace
    they were created in.
    """
    results: list[T] = []
    error: list[BaseException] = []

    def worker() -> None:
        try:
            for namespace, job in jobs:
                enter(namespace)
                results.append(job())
        except BaseException as exc:  # handed back to the caller below
            error.append(exc)

    thread = threading.Thread(target=worker, name="camscan-lab-setns", daemon=True)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return results


def _write_sysctl(name: str, value: str) -> None:
    path = Path("/proc/sys") / name.replace(".", "/")
    with contextlib.suppress(OSError):
        path.write_text(value)


def quiet_namespace() -> None:
    """Inside a device or scanner namespace: no IPv6 (no router solicitations or MLD noise in captures)."""
    for scope in ("all", "default"):
        _write_sysctl(f"net.ipv6.conf.{scope}.disable_ipv6", "1")
    _write_sysctl("net.ipv4.icmp_echo_ignore_broadcasts", "0")


def create(names: Names, devices: Sequence[Member], scanner: Member, prefix_len: int) -> None:
    """Build the namespaces, the bridge and the links. Raises NetnsError, leaving cleanup to `destroy`."""
    reason = unavailable_reason()
    if reason:
        raise NetnsError(reason)
    namespaces = [names.lab, scanner.namespace, *(d.namespace for d in devices)]
    existing = set(list_namespaces())
    clash = [n for n in namespaces if n in existing]
    if clash:
        raise NetnsError(f"namespaces already exist: {', '.join(clash[:5])} (run `camscan lab down`)")
    ip_batch([f"netns add {n}" for n in namespaces])
    run_in_namespaces([(n, quiet_namespace) for n in namespaces[1:]])
    lab_side = [
        "link set lo up",
        f"link add {BRIDGE} type bridge mcast_snooping 0 stp_state 0 forward_delay 0",
        f"link set {BRIDGE} up",
        f"link add csl-vs type veth peer name eth0 netns {scanner.namespace} address {scanner.mac}",
        f"link set csl-vs master {BRIDGE} up",
    ]
    for index, member in enumerate(devices, start=1):
        veth = Names.veth(index)
        lab_side.append(
            f"link add {veth} type veth peer name eth0 netns {member.namespace} address {member.mac}"
        )
        lab_side.append(f"link set {veth} master {BRIDGE} up")
    ip_batch(lab_side, names.lab)
    for member in [scanner, *devices]:
        commands = [
            "link set lo up",
            f"addr add {member.ip}/{prefix_len} dev eth0",
            "link set eth0 up",
            "route add 224.0.0.0/4 dev eth0",
        ]
        if member is scanner:
            commands.append("route add 255.255.255.255/32 dev eth0")
        ip_batch(commands, member.namespace)


def destroy(names: Sequence[str]) -> None:
    """Delete the given namespaces (their veths and the bridge go with them)."""
    present = set(list_namespaces())
    ip_batch([f"netns del {n}" for n in names if n in present])


def cleanup_all(prefix: str = PREFIX) -> list[str]:
    """Remove every namespace and root-namespace link whose name starts with the lab prefix.

    This is `camscan lab down`: it removes what a crashed run left behind.
    """
    removed = list_namespaces(prefix)
    destroy(removed)
    result = subprocess.run(
        ["ip", "-o", "link", "show"], capture_output=True, text=True, timeout=30, check=False
    )
    for line in result.stdout.splitlines():
        parts = line.split(":")
        if len(parts) > 1:
            name = parts[1].strip().split("@")[0]
            if name.startswith(prefix):
                subprocess.run(["ip", "link", "del", name], capture_output=True, timeout=30, check=False)
                removed.append(f"link {name}")
    return removed


def neighbours(namespace: str) -> list[tuple[str, str]]:
    """(address, MAC) pairs from `ip neigh` inside a namespace (for tests and the demo)."""
    result = subprocess.run(
        ["ip", "-n", namespace, "neigh", "show"], capture_output=True, text=True, timeout=30, check=False
    )
    pairs = []
    for line in result.stdout.splitlines():
        fields = line.split()
        if "lladdr" in fields:
            pairs.append((fields[0], fields[fields.index("lladdr") + 1]))
    return pairs
