"""mDNS / DNS-SD (UDP 5353), sans-io: the service instances a device advertises → `mdns` objects.

Only records the sender owns are used: the answer and additional sections of a response, and the authority
section of a probe (the records a host is about to claim). A query's answer section is deliberately ignored:
with known-answer suppression it lists *other* hosts' records the querier already knows.
"""

from __future__ import annotations

from dataclasses import dataclass

from camscan.parse.base import Finding, one_line
from camscan.parse.dns import PTR, SRV, TXT, DnsMessage, Name, Record, parse_dns

MAX_SERVICES = 32


@dataclass(slots=True)
class MdnsService:
    name: str  # instance label, e.g. "D-Link HNAP Service"
    type: str  # e.g. "_dhnap._tcp"
    txt: list[str] | None = None
    host: str | None = None  # SRV target without ".local"
    port: int | None = None

    def to_value(self) -> dict[str, object]:
        value: dict[str, object] = {"name": self.name, "type": self.type, "txt": list(self.txt or [])}
        if self.host:
            value["host"] = self.host
        return value


def parse_mdns(data: bytes) -> DnsMessage:
    return parse_dns(data)


def _instance(name: Name) -> tuple[str, str] | None:
    """(instance, service type) for `<instance>._<service>._<tcp|udp>.<domain>`, else None."""
    if len(name) < 4 or name[2].lower() not in ("_tcp", "_udp") or not name[1].startswith("_"):
        return None
    if name[0].startswith("_"):  # `_services._dns-sd._udp` meta records and sub-types
        return None
    return one_line(name[0], 256), f"{name[1]}.{name[2]}".lower()


def own_records(message: DnsMessage) -> tuple[Record, ...]:
    if message.is_response:
        return message.answers + message.additional
    return message.authority


def services(message: DnsMessage) -> list[MdnsService]:
    """The service instances in the records the sender owns, with their TXT and SRV data merged."""
    found: dict[tuple[str, str], MdnsService] = {}

    def get(name: Name) -> MdnsService | None:
        key = _instance(name)
        if key is None:
            return None
        if key not in found:
            if len(found) >= MAX_SERVICES:
                return None
            found[key] = MdnsService(*key)
        return found[key]

    for record in own_records(message):
        if record.rtype == PTR and isinstance(record.value, tuple):
            get(record.value)
        elif record.rtype == TXT and isinstance(record.value, tuple):
            service = get(record.name)
            if service is not None:
                service.txt = [one_line(s, 256) for s in record.value]
        elif record.rtype == SRV and isinstance(record.value, tuple):
            service = get(record.name)
            if service is not None:
                _prio, _weight, port, target = record.value
                labels = [label for label in target if label]
                if labels and labels[-1].lower() == "local":
                    labels = labels[:-1]
                service.host = one_line(".".join(labels), 256) or None
                service.port = port
    return list(found.values())


def mdns_observations(message: DnsMessage) -> list[Finding]:
    return [("mdns", service.to_value()) for service in services(message)]
