"""What a scan was asked to do (`camscan scan`'s options as one value) and the port list parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from camscan.discover.nmap import CAMERA_PORTS
from camscan.errors import UsageError
from camscan.probe.limits import DEFAULT_RATE, DEFAULT_TIMEOUT_S, LimitSettings

MAX_PORTS = 1024


def parse_ports(text: str | None) -> tuple[int, ...]:
    """`80,443,8000-8010` → the ports; None → camscan's camera ports. A clear UsageError otherwise."""
    if text is None or not text.strip():
        return CAMERA_PORTS
    ports: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        try:
            if "-" in part:
                first, last = (int(x) for x in part.split("-", 1))
            else:
                first = last = int(part)
        except ValueError:
            raise UsageError(f"--ports: {part!r} is not a port or a range like 8000-8010") from None
        if not (0 < first <= last < 65536):
            raise UsageError(f"--ports: {part!r} is outside 1-65535")
        ports.update(range(first, last + 1))
        if len(ports) > MAX_PORTS:
            raise UsageError(
                f"--ports: more than {MAX_PORTS} ports; camscan scans camera ports, not every port"
            )
    if not ports:
        raise UsageError("--ports: no port given")
    return tuple(sorted(ports))


@dataclass(slots=True)
class ScanOptions:
    targets: list[str]
    exclude: list[str] = field(default_factory=list)
    ports: tuple[int, ...] = CAMERA_PORTS
    site: str | None = None
    credentials_file: Path | None = None
    rate: float | None = DEFAULT_RATE
    #: --rate was given: nmap is held to it too (otherwise nmap keeps its own -T4 pacing).
    rate_given: bool = False
    timeout_s: float = DEFAULT_TIMEOUT_S
    allow_public: bool = False
    interfaces: list[str] = field(default_factory=list)
    db: Path = Path("inventory.db")
    #: Multicast / broadcast discovery rounds and how long to listen after the last one.
    multicast_rounds: int = 3
    multicast_interval_s: float = 0.7
    multicast_listen_s: float = 2.0
    #: Hosts fingerprinted at the same time.
    hosts_in_flight: int = 128

    def limits(self) -> LimitSettings:
        if self.timeout_s <= 0:
            raise UsageError("--timeout must be more than 0 seconds")
        if self.rate is not None and self.rate <= 0:
            raise UsageError("--rate must be more than 0 new connections per second")
        return LimitSettings(timeout_s=self.timeout_s, rate=self.rate)
