"""Vendor discovery replies, sans-io: Hikvision SADP, Dahua DHDiscover, XiongMai UDP 34569.

Each reply becomes one `vendor_discovery` object, flattened exactly as vendor_signatures/signatures/
vendor_discovery.yaml describes in its header:

- sadp: every child element of `<ProbeMatch>` becomes a field of the same name, with its text;
- dahua: the members of `params.deviceInfo` (after the 32-byte DHIP header) become top-level fields, and the
  top-level `mac` is kept as `mac`;
- xm: the members of `"NetWork.NetCommon"` (after the 20-byte DVRIP header) become top-level fields.

Probes (the requests a scanner sends) are refused with ParseError: only replies describe a device.
"""

from __future__ import annotations

import json
from typing import Any

from camscan.parse.base import Finding, ParseError, one_line
from camscan.parse.recorders import discovery_summary
from camscan.parse.xmlsafe import local, parse_xml

DHIP_MAGIC = b"DHIP"
DHIP_HEADER_SIZE = 32
DVRIP_HEADER_SIZE = 20
XM_DISCOVERY_REPLY = 1531
MAX_JSON = 64 * 1024
MAX_FIELDS = 128
MAX_VALUE = 512


def _bounded(value: Any, depth: int = 0) -> Any:
    """JSON values kept as they are (numbers, booleans, small objects), strings and containers bounded."""
    if isinstance(value, str):
        return one_line(value, MAX_VALUE)
    if isinstance(value, dict):
        if depth >= 3:
            return None
        return {str(k)[:64]: _bounded(v, depth + 1) for k, v in list(value.items())[:MAX_FIELDS]}
    if isinstance(value, list):
        if depth >= 3:
            return None
        return [_bounded(v, depth + 1) for v in value[:MAX_FIELDS]]
    return value


def _json(data: bytes) -> dict[str, Any]:
    raw = data[:MAX_JSON].rstrip(b"\x00\r\n\t ")
    try:
        value = json.loads(raw.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        raise ParseError("bad JSON") from None
    if not isinstance(value, dict):
        raise ParseError("JSON is not an object")
    return value


def parse_sadp(data: bytes) -> dict[str, Any]:
    """A Hikvision SADP reply (UDP 37020): `<ProbeMatch>` with one element per field."""
    root = parse_xml(data)
    name = local(root.tag)
    if name == "Probe":
        raise ParseError("a SADP probe, not a reply")
    if name != "ProbeMatch":
        raise ParseError("not a SADP reply")
    out: dict[str, Any] = {"protocol": "sadp"}
    for child in root:
        field_name = local(child.tag)
        if field_name and field_name != "protocol" and field_name not in out and len(out) <= MAX_FIELDS:
            out[field_name] = one_line(child.text or "", MAX_VALUE)
    return out


def parse_dahua(data: bytes) -> dict[str, Any]:
    """A Dahua DHDiscover reply (UDP 37810): DHIP header, then JSON with `params.deviceInfo`."""
    if len(data) < DHIP_HEADER_SIZE or data[4:8] != DHIP_MAGIC:
        raise ParseError("not a DHIP frame")
    message = _json(data[DHIP_HEADER_SIZE:])
    params = message.get("params")
    info = params.get("deviceInfo") if isinstance(params, dict) else None
    if not isinstance(info, dict):
        if message.get("method") == "DHDiscover.search":
            raise ParseError("a DHDiscover probe, not a reply")
        raise ParseError("DHIP message without params.deviceInfo")
    out: dict[str, Any] = {"protocol": "dahua"}
    for key, value in list(info.items())[:MAX_FIELDS]:
        if key != "protocol":
            out[str(key)[:64]] = _bounded(value, 1)
    if "mac" in message:
        out["mac"] = _bounded(message["mac"], 1)
    return out


def parse_xm(data: bytes) -> dict[str, Any]:
    """A XiongMai discovery reply (UDP 34569): DVRIP header (message 1531), then JSON with NetWork.NetCommon."""
    if data[:1] == b"\xff":
        if len(data) < DVRIP_HEADER_SIZE:
            raise ParseError("DVRIP header cut short")
        message_id = int.from_bytes(data[14:16], "little")
        length = int.from_bytes(data[16:20], "little")
        if message_id != XM_DISCOVERY_REPLY:
            raise ParseError(f"DVRIP message {message_id} is not a discovery reply")
        payload = data[DVRIP_HEADER_SIZE : DVRIP_HEADER_SIZE + length]
    elif data.lstrip()[:1] == b"{":
        payload = data
    else:
        raise ParseError("not a XiongMai discovery reply")
    message = _json(payload)
    common = message.get("NetWork.NetCommon")
    if not isinstance(common, dict):
        raise ParseError("XiongMai reply without NetWork.NetCommon")
    out: dict[str, Any] = {"protocol": "xm"}
    for key, value in list(common.items())[:MAX_FIELDS]:
        if key != "protocol":
            out[str(key)[:64]] = _bounded(value, 1)
    return out


def discovery_observations(reply: dict[str, Any]) -> list[Finding]:
    """The reply, and how many channels a recorder says it has (`recorder_summary`, no login needed)."""
    summary = discovery_summary(reply)
    return [("vendor_discovery", reply), *([summary] if summary else [])]
