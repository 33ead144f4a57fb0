"""Huawei VRP sysDescr: the model that starts it, the V…R…C… release, and the product line's type (docs/identify.md,
"Product lines"). Invented values in the documented layouts; none is a corpus value."""

from __future__ import annotations

from camscan.model import Observation


def _sysdescr(text: str):
    return [Observation("snmp_sysdescr", text)]


def test_model_first_switch(engine):
    ident = engine.identify(
        _sysdescr(
            "S5735-L24T4X-A1 \r\nHuawei Versatile Routing Platform Software \r\n VRP (R) software,Version 5.170 "
            "(S5735 V200R021C00SPC100) \r\n Copyright (C) 2007 Huawei Technologies Co., Ltd."
        )
    )
    assert (ident.manufacturer, ident.model, ident.firmware) == (
        "Huawei",
        "S5735-L24T4X-A1",
        "V200R021C00SPC100",
    )
    assert ident.device_type == "switch" and not ident.is_camera


def test_maker_prefixed_router(engine):
    ident = engine.identify(
        _sysdescr(
            "Huawei AR2240 Huawei Versatile Routing Platform Software VRP (R) software,Version 5.160 (AR2240 V200R009C00)"
        )
    )
    assert (ident.model, ident.device_type) == ("AR2240", "router")


def test_look_alikes(engine):
    # No model before the platform name: this rule reads nothing (Recog's VRP fingerprint reads the series in
    # the parentheses).
    ident = engine.identify(
        _sysdescr(
            "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.180 (CE9999 V200R005C10SPC800)"
        )
    )
    assert not any(ev.signature == "huawei.snmp_sysdescr.vrp_model" for ev in ident.evidence)
    # Another maker's platform text is not Huawei's.
    ident = engine.identify(
        _sysdescr("H3C Comware Platform Software, Software Version 5.20 Release 2202P15 H3C S5120-28C-EI")
    )
    assert ident.manufacturer != "Huawei"
    # S + four digits is a switch only for Huawei: another maker's S-number is not typed by Huawei's line.
    ident = engine.identify([Observation("upnp_device", {"manufacturer": "Quuxtel", "modelName": "S5720"})])
    assert ident.device_type is None
