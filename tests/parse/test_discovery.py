"""Vendor discovery replies flattened exactly as vendor_discovery.yaml's header describes, then identified."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest
import yaml

from camscan.identify.engine import Engine
from camscan.model import Observation
from camscan.parse import ParseError
from camscan.parse.discovery import discovery_observations, parse_dahua, parse_sadp, parse_xm

SIGNATURES = (
    Path(__file__).resolve().parents[2] / "vendor_signatures" / "signatures" / "vendor_discovery.yaml"
)


def example(signature_id: str) -> dict[str, Any]:
    for sig in yaml.safe_load(SIGNATURES.read_text(encoding="utf-8"))["signatures"]:
        if sig["id"] == signature_id:
            return dict(sig["examples"][0]["value"])
    raise KeyError(signature_id)


def dhip(body: bytes) -> bytes:
    return struct.pack("<I4sIIIIII", 0x20, b"DHIP", 0, 0, len(body), 0, len(body), 0) + body


def dvrip(message_id: int, body: bytes) -> bytes:
    return struct.pack("<BB2xII2xHI", 0xFF, 1, 0, 0, message_id, len(body)) + body


def test_sadp_reply_round_trip(engine: Engine) -> None:
    facts = example("hikvision.vendor_discovery.sadp")
    xml = "".join(f"<{k}>{v}</{k}>" for k, v in facts.items() if k != "protocol")
    reply = parse_sadp(f'<?xml version="1.0" encoding="UTF-8"?>\n<ProbeMatch>\n{xml}\n</ProbeMatch>'.encode())
    assert reply == {k: str(v) for k, v in facts.items()}
    identity = engine.identify([Observation(k, v) for k, v in discovery_observations(reply)])
    assert (identity.manufacturer, identity.model, identity.firmware) == (
        "Hikvision",
        "DS-2CD2385G1-I",
        "V5.6.2",
    )


def test_dahua_reply_round_trip(engine: Engine) -> None:
    facts = example("dahua.vendor_discovery.dhdiscover")
    info = {k: v for k, v in facts.items() if k not in ("protocol", "mac")}
    message = {"id": 1, "method": "client.notifyDevInfo", "params": {"deviceInfo": info}, "mac": facts["mac"]}
    reply = parse_dahua(dhip(json.dumps(message).encode() + b"\n\x00"))
    assert reply == facts
    identity = engine.identify([Observation(k, v) for k, v in discovery_observations(reply)])
    assert (identity.manufacturer, identity.model, identity.device_type) == (
        "Dahua",
        "IPC-HDW1431T1-S4",
        "camera",
    )


def test_xm_reply_round_trip(engine: Engine) -> None:
    facts = example("xiongmai.vendor_discovery.xm_broadcast")
    common = {k: v for k, v in facts.items() if k != "protocol"}
    body = (
        json.dumps({"NetWork.NetCommon": common, "Ret": 100, "SessionID": "0x00000000"}).encode() + b"\n\x00"
    )
    reply = parse_xm(dvrip(1531, body))
    assert reply == facts
    assert parse_xm(body) == facts  # some firmware sends the JSON alone
    identity = engine.identify([Observation(k, v) for k, v in discovery_observations(reply)])
    assert identity.manufacturer == "XiongMai"


@pytest.mark.parametrize(
    ("parser", "data"),
    [
        (parse_sadp, b"<?xml version='1.0'?><Probe><Uuid>1</Uuid><Types>inquiry</Types></Probe>"),
        (parse_dahua, dhip(b'{"method":"DHDiscover.search","params":{"mac":"","uni":1}}\n')),
        (parse_xm, dvrip(1530, b"")),
        (parse_dahua, b"DHIP" + bytes(40)),
        (parse_dahua, dhip(b"[" * 100000)),
        (parse_xm, b"\xff\x01"),
        (parse_sadp, b"<ProbeMatch><!ENTITY x 'y'></ProbeMatch>"),
    ],
)
def test_probes_and_garbage_are_refused(parser: Any, data: bytes) -> None:
    with pytest.raises(ParseError):
        parser(data)
