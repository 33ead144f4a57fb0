"""A maker's device may carry the model number of a label the maker documentedly makes (docs/identify.md,
"Product lines"): a Hikvision-made EZVIZ camera answers Hikvision's SADP with its EZVIZ part number. The product
line of such a label types the device once the maker's own lines and its owners' lines have not; labels linked
by weaker relationships, former subsidiaries and unrelated makers do not lend their lines."""

from __future__ import annotations

from camscan.model import Observation


def test_documented_subsidiary_labels(engine):
    assert "EZVIZ" in engine.vendors.made_labels("Hikvision")
    # Lorex left Dahua in 2022 (former subsidiary) and its made_by link is uncertain; Imou is a secondary affiliate.
    labels = engine.vendors.made_labels("Dahua")
    assert "Lorex" not in labels and "Imou" not in labels and "Amcrest" not in labels
    assert engine.vendors.made_labels("Nobody Such Ltd") == []


def test_sadp_reply_with_an_ezviz_part_number_is_typed_by_the_ezviz_line(engine):
    # invented: an EZVIZ-style part number in a Hikvision SADP reply
    ident = engine.identify(
        [Observation("vendor_discovery", {"protocol": "sadp", "DeviceDescription": "CS-C3N-Q1"})]
    )
    assert ident.manufacturer == "Hikvision"
    assert ident.device_type == "camera" and ident.is_camera
    assert any(ev.signature == "product_line.ezviz.camera" for ev in ident.evidence)


def test_the_makers_own_line_comes_first(engine):
    # invented: a Hikvision NVR number is typed by Hikvision's own line, never by a label's
    ident = engine.identify(
        [Observation("vendor_discovery", {"protocol": "sadp", "DeviceDescription": "DS-7616NI-Q9"})]
    )
    assert ident.device_type == "nvr"


def test_a_former_subsidiarys_line_is_not_lent(engine):
    # invented: a Lorex-style recorder number in a Dahua discovery reply; Lorex is no longer Dahua's
    ident = engine.identify([Observation("vendor_discovery", {"protocol": "dahua", "DeviceType": "LNR9999"})])
    assert ident.manufacturer == "Dahua"
    assert not any(ev.signature.startswith("product_line.lorex.") for ev in ident.evidence)


def test_an_unrelated_maker_does_not_borrow_the_line(engine):
    # invented: the same EZVIZ-style number stated by a Uniview device's own API gives no EZVIZ type
    body = '{"Response": {"Data": {"DeviceModel": "CS-C3N-Q1", "Manufacturer": "Uniview"}}}'
    ident = engine.identify(
        [
            Observation(
                "http_path",
                {"path": "/LAPI/V1.0/System/DeviceBasicInfo", "status": 200, "headers": {}, "body": body},
            )
        ]
    )
    assert not any(ev.signature.startswith("product_line.ezviz.") for ev in ident.evidence)


def test_a_look_up_is_a_table_read_whatever_maker_a_device_states(engine):
    # The labels are built once with the registry. Built per name on first use, every unlisted maker a device stated
    # (a UPnP manufacturer, say) cost a scan of every vendor (~250 us, twice an identity's usual cost) and stayed
    # in the cache for the life of the process.
    import time

    known = dict(engine.vendors._made_labels)
    start = time.process_time()
    for i in range(2000):
        assert engine.vendors.made_labels(f"Quux {i} Industrial Ltd") == []
    assert time.process_time() - start < 0.1  # measured: ~0.4 s before, ~1 ms after
    assert engine.vendors._made_labels == known
