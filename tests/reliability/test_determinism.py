"""The same evidence in any order gives the same identity (the device key depends on it)."""

from __future__ import annotations

import itertools

from camscan.identify.engine import Engine
from camscan.model import Observation

IP = "127.86.9.9"
AXIS = [
    Observation("tls_subject", "CN=axis-accc8e012345,O=Axis Communications AB\nissuer: CN=axis-accc8e012345,"
                "O=Axis Communications AB", host=IP, port=443, source="tls"),
    Observation("http_www_authenticate", 'Digest realm="AXIS_ACCC8E012345", nonce="1", algorithm=MD5, qop="auth"',
                host=IP, port=80, source="http"),
    Observation("rtsp_www_authenticate", 'Digest realm="AXIS_ACCC8E012345", nonce="2", stale=FALSE',
                host=IP, port=554, source="rtsp"),
]  # fmt: skip


def test_identity_does_not_depend_on_the_order_of_evidence(engine: Engine) -> None:
    identities = {
        tuple(
            sorted((k, str(v)) for k, v in engine.identify(list(order)).to_dict().items() if k != "evidence")
        )
        for order in itertools.permutations(AXIS)
    }
    assert len(identities) == 1
    serial = engine.identify(AXIS).serial
    assert serial == "ACCC8E012345"  # the spelling with the most weight behind it (two realms against one CN)


def test_two_spellings_are_decided_the_same_way_in_any_order(engine: Engine) -> None:
    one = [AXIS[0], AXIS[1]]
    serials = {engine.identify(list(order)).serial for order in itertools.permutations(one)}
    assert len(serials) == 1
