"""The single path from a host's observations to a stored device, shared by every source."""

from __future__ import annotations

from collections.abc import Sequence

from camscan.identify.engine import Engine
from camscan.model import Identity, Observation
from camscan.store import DeviceRecord, Store


def host_mac(observations: Sequence[Observation]) -> str | None:
    """The host's MAC: one seen at layer 2 first, else one it stated (see `host_macs`)."""
    return host_macs(observations)[0]


def host_macs(observations: Sequence[Observation]) -> tuple[str | None, bool]:
    """(MAC, stated): a MAC seen at layer 2 (ARP, nmap's ARP, a frame: an observation with no port) wins over
    one the device states in a service answer (ONVIF GetNetworkInterfaces, vendor discovery: it has a port),
    which many cheap cameras set to one factory default. The earliest of each kind is taken."""
    stated: str | None = None
    for obs in observations:
        if obs.kind != "mac" or obs.error is not None or not isinstance(obs.value, str):
            continue
        if obs.port is None:
            return obs.value.lower(), False
        stated = stated or obs.value.lower()
    return stated, stated is not None


def ingest_host(
    store: Store,
    engine: Engine,
    scan_id: int,
    ip: str | None,
    observations: Sequence[Observation],
    *,
    site: str | None = None,
    discovered_by: Sequence[str] = (),
    clock_skew_s: float | None = None,
) -> tuple[str | None, Identity]:
    """Store a host's observations, identify it, and upsert the device. Returns (device key, identity).

    A host with no usable observation is stored as a host but not as a device.
    """
    identity = engine.identify(observations)
    mac, stated = host_macs(observations)
    methods = sorted(set(discovered_by) or {o.source for o in observations})
    with store.batch():
        store.add_observations(scan_id, observations)
        if ip:
            store.add_host(scan_id, ip, mac=mac, site=site, discovered_by=methods)
        key = None
        if identity.evidence or mac:
            record = DeviceRecord(ip, mac, site, identity, methods, clock_skew_s, mac_stated=stated)
            key = store.upsert_device(scan_id, record)
    return key, identity
