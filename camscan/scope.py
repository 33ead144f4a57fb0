"""Targets and the safety guard: what a scan may touch.

A target is an address, a CIDR block, a range (`10.0.0.5-40` or `10.0.0.5-10.0.1.7`) or `@file` (one target per
line, `#` comments). Exclusions use the same forms. Public addresses are refused unless the user passes
`--allow-public`; multicast, reserved and unspecified addresses are always refused. Scopes are kept as address
ranges and expanded lazily, so a /16 costs nothing until it is scanned.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from camscan.errors import ScopeError, UsageError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Largest number of addresses one scan may cover (a /12); bigger scopes are almost always a typo.
MAX_ADDRESSES = 1 << 20

_PRIVATE_NETS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",  # carrier-grade NAT, used inside large organisations too
        "169.254.0.0/16",
        "127.0.0.0/8",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
)


def is_private(addr: IPAddress) -> bool:
    return any(addr.version == net.version and addr in net for net in _PRIVATE_NETS)


def _forbidden(addr: IPAddress) -> str | None:
    if addr.is_multicast:
        return "a multicast address"
    if addr.is_unspecified:
        return "the unspecified address"
    if isinstance(addr, ipaddress.IPv4Address) and (addr.is_reserved or int(addr) == 0xFFFFFFFF):
        return "a reserved address"
    return None


@dataclass(frozen=True, slots=True)
class AddressRange:
    """An inclusive range of addresses of one IP version."""

    first: IPAddress
    last: IPAddress
    text: str

    @property
    def size(self) -> int:
        return int(self.last) - int(self.first) + 1

    def __iter__(self) -> Iterator[IPAddress]:
        cls = type(self.first)
        for value in range(int(self.first), int(self.last) + 1):
            yield cls(value)

    def __contains__(self, addr: object) -> bool:
        if not isinstance(addr, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            return False
        return addr.version == self.first.version and int(self.first) <= int(addr) <= int(self.last)


def parse_target(text: str) -> AddressRange:
    """One target (not `@file`) as an address range; a clear UsageError otherwise."""
    t = text.strip()
    if not t:
        raise UsageError("empty target")
    try:
        if "/" in t:
            net = ipaddress.ip_network(t, strict=False)
            if net.num_addresses > 2 and net.version == 4:
                # network and broadcast addresses of a block are not hosts
                return AddressRange(net.network_address + 1, net.broadcast_address - 1, t)
            return AddressRange(net.network_address, net.broadcast_address, t)
        if "-" in t:
            start_text, end_text = t.split("-", 1)
            start = ipaddress.ip_address(start_text.strip())
            end_text = end_text.strip()
            if end_text.isdigit() and start.version == 4:
                octets = str(start).split(".")
                end = ipaddress.ip_address(".".join([*octets[:3], end_text]))
            else:
                end = ipaddress.ip_address(end_text)
            if end.version != start.version or int(end) < int(start):
                raise UsageError(f"target {t!r}: the range ends before it starts")
            return AddressRange(start, end, t)
        addr = ipaddress.ip_address(t)
        return AddressRange(addr, addr, t)
    except ValueError:
        raise UsageError(
            f"target {t!r} is not an address, a CIDR block (10.0.0.0/24) or a range (10.0.0.5-40)"
        ) from None


def expand_files(items: Iterable[str]) -> list[str]:
    """`@file` items replaced by the targets listed in the file."""
    out: list[str] = []
    for item in items:
        if not item.startswith("@"):
            out.append(item)
            continue
        path = Path(item[1:])
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UsageError(f"cannot read target file {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"target file {path} is not UTF-8 text") from None
        before = len(out)
        for n, line in enumerate(lines, 1):
            entry = line.split("#", 1)[0].strip()
            if not entry:
                continue
            if entry.startswith("@"):
                raise UsageError(f"{path}:{n}: a target file cannot include another (@...)")
            for word in entry.replace(",", " ").split():
                try:
                    parse_target(word)
                except UsageError as exc:
                    raise UsageError(f"{path}:{n}: {exc}") from None
                out.append(word)
        if len(out) == before:
            raise UsageError(f"target file {path} lists no targets")
    return out


@dataclass(slots=True)
class Scope:
    """The addresses a scan covers: targets minus exclusions, checked by the safety guard."""

    ranges: list[AddressRange]
    excluded: list[AddressRange] = field(default_factory=list)
    allow_public: bool = False

    @classmethod
    def build(
        cls, targets: Iterable[str], exclude: Iterable[str] = (), *, allow_public: bool = False
    ) -> Scope:
        target_texts = expand_files(targets)
        if not target_texts:
            raise UsageError("no targets given")
        scope = cls(
            ranges=[parse_target(t) for t in target_texts],
            excluded=[parse_target(t) for t in expand_files(exclude)],
            allow_public=allow_public,
        )
        scope.check()
        return scope

    def check(self) -> None:
        total = 0
        for r in self.ranges:
            for end in (r.first, r.last):
                why = _forbidden(end)
                if why:
                    raise ScopeError(f"target {r.text!r} includes {why} ({end}); camscan does not scan it")
            public = not (is_private(r.first) and is_private(r.last) and _same_private_block(r))
            if public and not self.allow_public:
                raise ScopeError(
                    f"target {r.text!r} includes public addresses; camscan scans only private and loopback "
                    "ranges unless you pass --allow-public (scan only networks you are responsible for)"
                )
            total += r.size
        if total > MAX_ADDRESSES:
            raise ScopeError(
                f"the targets cover {total:,} addresses, more than the limit of {MAX_ADDRESSES:,}"
            )

    def __contains__(self, addr: object) -> bool:
        if isinstance(addr, str):
            try:
                addr = ipaddress.ip_address(addr)
            except ValueError:
                return False
        if any(addr in r for r in self.excluded):
            return False
        return any(addr in r for r in self.ranges)

    @property
    def size(self) -> int:
        return sum(r.size for r in self.ranges)

    def addresses(self) -> Iterator[IPAddress]:
        """Every address in scope, once, in target order (exclusions removed)."""
        seen: set[int] = set()
        for r in self.ranges:
            for addr in r:
                key = int(addr) | (addr.version << 128)
                if key in seen or any(addr in x for x in self.excluded):
                    continue
                seen.add(key)
                yield addr

    def blocks(self, size: int = 256) -> Iterator[list[str]]:
        """The addresses in blocks of at most `size`, for nmap runs that stream into the store."""
        block: list[str] = []
        for addr in self.addresses():
            block.append(str(addr))
            if len(block) >= size:
                yield block
                block = []
        if block:
            yield block


def _same_private_block(r: AddressRange) -> bool:
    """A range whose ends are private but which spans public space between them is not private."""
    return any(r.first.version == net.version and r.first in net and r.last in net for net in _PRIVATE_NETS)


def check_redirect(scope: Scope, host: str) -> bool:
    """Whether a redirect to `host` (an address) stays inside the scanned scope."""
    return host in scope
