"""The single path from a host's observations to a stored device, shared by every source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from camscan.identify.engine import Engine
from camscan.model import VIA_RECORDER, Identity, Observation
from camscan.parse.recorders import analog_channels
from camscan.store import DeviceRecord, Store

#: Device types whose channel summary is kept (a recorder's); others keep theirs only when it listed cameras.
RECORDER_TYPES = frozenset({"nvr", "dvr"})


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
    new: Sequence[Observation] | None = None,
    site: str | None = None,
    discovered_by: Sequence[str] = (),
    clock_skew_s: float | None = None,
) -> tuple[str | None, Identity]:
    """Store a host's observations, identify it, and upsert the device. Returns (device key, identity).

    `new` are the observations to write (default: all; a host identified again after a late reply has written
    the others already). A host with no usable observation is stored as a host but not as a device.
    """
    identity = engine.identify(observations)
    mac, stated = host_macs(observations)
    methods = sorted(set(discovered_by) or {o.source for o in observations})
    with store.batch():
        store.add_observations(scan_id, observations if new is None else new)
        if ip:
            store.add_host(scan_id, ip, mac=mac, site=site, discovered_by=methods)
        key = None
        summary = recorder_summary(observations)
        channels = channel_observations(observations)
        if identity.device_type not in RECORDER_TYPES and not channels:
            summary = None  # a multi-sensor camera's video sources, a camera recording to its own card
        if identity.evidence or mac or summary is not None:
            record = DeviceRecord(
                ip, mac, site, identity, methods, clock_skew_s, mac_stated=stated, recorder=summary
            )
            key = store.upsert_device(scan_id, record)
        if key is not None:
            extra = [
                Observation("recorder_channel", value, host=ip, source="derived")
                for value in analog_channels(summary or {})
            ]
            ingest_channels(store, engine, scan_id, key, [*extra, *observations], site=site)
    return key, identity


def recorder_summary(observations: Sequence[Observation]) -> dict[str, Any] | None:
    """What a recorder said about its channels as a whole, from every `recorder_summary` it gave: the counts of
    each answer together (a later answer's count wins), `listed` when any answer listed the cameras."""
    found = [o for o in observations if o.kind == "recorder_summary" and o.error is None]
    if not found:
        return None
    found.sort(key=lambda o: (bool(o.value.get("listed")), o.time))
    merged: dict[str, Any] = {}
    for obs in found:
        merged.update({k: v for k, v in obs.value.items() if v is not None})
    merged["listed"] = any(bool(o.value.get("listed")) for o in found)
    if merged["listed"]:
        merged.pop("note", None)  # why it was not listed no longer applies
    if "channels" not in merged and ("ip_channels" in merged or "analog_channels" in merged):
        merged["channels"] = int(merged.get("ip_channels") or 0) + int(merged.get("analog_channels") or 0)
    return merged


def channel_observations(observations: Sequence[Observation]) -> list[Observation]:
    """One `recorder_channel` per (API, input, channel) that holds a camera, in channel order: what every answer
    said of that channel together (the channel list, its status), later answers filling in. A hybrid DVR may
    number its analogue and IP channels alike, so the input kind is part of a channel's name. An entry without
    `input` (a title alone) only adds to the channels of that number another answer lists."""
    found = sorted(
        (o for o in observations if o.kind == "recorder_channel" and o.error is None), key=lambda o: o.time
    )
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    first: dict[tuple[str, str, str], Observation] = {}
    for obs in found:
        if not obs.value.get("input"):
            continue
        key = (str(obs.value.get("api")), str(obs.value["input"]), str(obs.value.get("channel")))
        merged.setdefault(key, {}).update({k: v for k, v in obs.value.items() if v not in (None, "")})
        first.setdefault(key, obs)
    for obs in found:
        if obs.value.get("input"):
            continue
        for key, value in merged.items():
            if key[0] == str(obs.value.get("api")) and key[2] == str(obs.value.get("channel")):
                value.update({k: v for k, v in obs.value.items() if v not in (None, "") and k not in value})
    out = [
        Observation(
            "recorder_channel", value, host=first[key].host, port=first[key].port, source=first[key].source
        )
        for key, value in merged.items()
        # not the recorder itself (a camera recording its own video)
        if not value.get("address") or value.get("address") != first[key].host
    ]
    return sorted(
        out, key=lambda o: (str(o.value.get("api")), _channel_number(o.value) or 0, o.value["input"])
    )


def _channel_number(value: dict[str, Any]) -> int | None:
    try:
        return int(value.get("channel"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def ingest_channels(
    store: Store,
    engine: Engine,
    scan_id: int,
    recorder_key: str,
    observations: Sequence[Observation],
    *,
    site: str | None = None,
) -> list[str]:
    """Each camera a recorder reports becomes a device of its own (issue 14): identified by the same engine from
    what the recorder says of it, linked to the recorder (`parent`, channel, private address), discovered
    `via_nvr`; a camera also reached directly is the same device (the store matches serial or MAC). A channel the
    recorder says nothing about (an analogue input) is still a camera, with no maker. Returns the device keys."""
    keys = []
    for obs in channel_observations(observations):
        value = obs.value
        identity = engine.identify_channel(obs)
        mac = value.get("mac")
        record = DeviceRecord(
            None,
            mac.lower() if isinstance(mac, str) and mac else None,
            site,
            identity,
            [VIA_RECORDER],
            mac_stated=True,
            parent=recorder_key,
            channel=_channel_number(value),
            private_address=value.get("address") or None,
            channel_input=value.get("input") or None,
            channel_name=value.get("name") or None,
            channel_status=value.get("status") or None,
        )
        keys.append(store.upsert_device(scan_id, record))
    return keys
