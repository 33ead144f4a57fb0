"""vendor_signatures/placeholders.yaml: every placeholder names its fields and its source, and the loader applies it."""

from __future__ import annotations

from camscan.datafile import load_yaml
from camscan.identify.knowledge import DEFAULT_DATA_DIR
from camscan.identify.placeholders import Placeholders
from camscan.model import IDENTITY_FIELDS


def test_placeholders_are_sourced_and_name_identity_fields():
    doc = load_yaml(DEFAULT_DATA_DIR / "placeholders.yaml")
    entries = doc["placeholders"]
    assert len(entries) >= 5
    values = [str(e["value"]).casefold() for e in entries if "value" in e]
    assert len(values) == len(set(values)), "a placeholder is listed twice"
    for e in entries:
        assert ("value" in e) != ("pattern" in e), e
        assert e["fields"] and set(e["fields"]) <= set(IDENTITY_FIELDS), e
        assert str(e.get("source") or "").strip(), e
    assert {"h264", "private", "ipcam"} <= set(values)


def test_the_shipped_placeholders_drop_fillers_but_keep_real_values():
    p = Placeholders.load(DEFAULT_DATA_DIR / "placeholders.yaml")
    assert p.is_placeholder("manufacturer", " H264 ")
    assert p.is_placeholder("model", "IPC-model") and p.is_placeholder("model", "Camera")
    assert p.is_placeholder("serial", "Redacted") and p.is_placeholder("hardware", "00001")
    assert not p.is_placeholder("model", "DS-2CD2032-I")
    assert not p.is_placeholder("model", "IPC-HFW2228M-I1-V2")
    assert not p.is_placeholder("manufacturer", "Hikvision")
    assert not p.is_placeholder("model", "4300")  # a real, all-digit model (VBrick)


def test_upnp_stack_defaults_are_no_maker_or_model():
    """A UPnP/SSDP responder's own defaults (troglobit's ssdp-responder: "Troglobit Software Systems" / "Generic";
    miniupnpd's embedded WANDevice: "MiniUPnP" / "MiniUPnPd"; MiniDLNA: "Justin Maggard") name the software's
    author, not the device's maker. Look-alikes: real makers that the same stacks carry when a firmware sets them
    (MiniDLNA's ReadyNAS build: "NETGEAR"; ASUS's miniupnpd: "ASUSTeK Computer Inc."), and names that contain a
    default's word, stay values."""
    p = Placeholders.load(DEFAULT_DATA_DIR / "placeholders.yaml")
    for value in ("Troglobit Software Systems", "MiniUPnP", "miniupnpd", "Justin Maggard"):
        assert p.is_placeholder("manufacturer", value) and p.is_placeholder("brand", value), value
    assert p.is_placeholder("model", "Generic") and p.is_placeholder("model", "MiniUPnPd")
    for value in (
        "NETGEAR",
        "ASUSTeK Computer Inc.",
        "Troglobit",
        "General Electric",
        "Generic Networks Ltd",
    ):
        assert not p.is_placeholder("manufacturer", value), value
    assert not p.is_placeholder("model", "Generic-2000") and not p.is_placeholder(
        "model", "MiniUPnP Router X1"
    )


def test_a_upnp_stacks_defaults_give_no_maker_through_the_engine():
    """The NanoKVM case's shape (Sipeed NanoKVM issue 294, dev split): the stack's defaults are dropped, so no wrong
    maker and no model; a device that fills the same description with its maker keeps it."""
    from camscan.identify.engine import get_engine
    from camscan.model import Observation

    engine = get_engine()
    ident = engine.identify(
        [
            Observation(
                "upnp_device",
                {
                    "manufacturer": "Troglobit Software Systems",
                    "modelName": "Generic",
                    "friendlyName": "kvm-0000",
                },
            )
        ]  # invented name
    )
    assert ident.manufacturer is None and ident.brand is None and ident.model is None
    real = engine.identify(
        [Observation("upnp_device", {"manufacturer": "NETGEAR", "modelName": "ReadyNAS 214"})]
    )  # invented model
    assert real.manufacturer == "Netgear"
