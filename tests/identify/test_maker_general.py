"""Naming the maker generally (issue 11 items 1 and 4): rules for a field family, not per company.

- RTSP `Server` headers read product by product (RFC 9110 s10.2.4 grammar, RFC 7826 s18.48): a vendors.yaml name
  that starts a product's name names the maker; comments and names inside another product's name do not;
- the device's own host name in its firmware-default shape (`<maker>-<MAC digits>`) in an SDP origin or an mDNS
  host, read as a DHCP host name is;
- a maker's name after "for", "with", "compatible" … names the maker a product works with, not the device's;
- software named after its publisher ("Axis Camera Station", "IBM HTTP Server") names no maker;
- two spellings of one unlisted company are one value, not a conflict.

Values are invented (marked) unless a source is named; none is a corpus value.
"""

from __future__ import annotations

import pytest

from camscan.identify.engine import MAKER_WORDS
from camscan.identify.maker_words import server_products
from camscan.model import Observation


def ident(engine, *obs: tuple[str, object]):
    return engine.identify([Observation(kind, value) for kind, value in obs])


def text_makers(identity) -> list[str]:
    return [ev.asserts["manufacturer"] for ev in identity.evidence if ev.signature.startswith(MAKER_WORDS)]


# --- Server headers: product by product ------------------------------------------------------------------------


def test_server_products_leave_comments_and_versions_out():
    # Recog xml/http_servers.xml examples (rapid7/recog@14fa1a7)
    assert server_products("CompaqHTTPServer/9.9 HP System Management Homepage/2.1.5.146") == [
        "CompaqHTTPServer",
        "HP System Management Homepage",
    ]
    assert server_products("NetCache appliance (NetApp/5.3.1R3)") == ["NetCache appliance"]
    assert server_products("ntopng 5.4.220721 [Debian bullseye/sid [x86_64][Ubuntu 20.04.4 LTS]]") == [
        "ntopng 5.4.220721"
    ]
    assert server_products("(((((") == []  # invented: nothing but comment marks


def test_a_maker_that_starts_an_rtsp_server_product_names_the_maker(engine):
    # the shape of Recog's xml/rtsp_servers.xml examples (rapid7/recog@14fa1a7) "Dahua Rtsp Server" and
    # "Indigo-Security/1.0", which signatures read already; here a maker no signature reads
    got = ident(engine, ("rtsp_server", "Grandstream-RTSP/1.0"))  # invented
    assert text_makers(got) == ["Grandstream"]
    assert got.device_type is None and not got.is_camera  # a maker never types a device
    got = ident(engine, ("rtsp_server", "Quuxstream/2.1 Hikvision-Rtsp/1.0"))  # invented: second product
    assert text_makers(got) == ["Hikvision"]


@pytest.mark.parametrize(
    "value",
    [
        "GStreamer RTSP server",  # software (not_makers)
        "LIVE555 Streaming Media v2023.01.19",  # software
        "Quuxstream/1.0 (Hikvision compatible)",  # invented: a comment
        "Quux-Hikvision-Proxy/1.0",  # invented: the name inside another product's name
        "RTSP proxy for Hikvision/1.0",  # invented: "for <maker>"
        "Hikvision/1.0 Dahua-RTSP/2.0",  # invented: two makers name none
    ],
)
def test_rtsp_server_look_alikes_name_no_maker(engine, value):
    got = ident(engine, ("rtsp_server", value))
    assert text_makers(got) == []
    assert not got.is_camera


# --- host names in the firmware-default shape --------------------------------------------------------------------


def test_an_sdp_origin_host_name_in_the_firmware_shape_names_the_maker(engine):
    # invented session description: an Axis camera writes its own axis-<MAC>.local name in o= (RFC 8866 s5.2)
    sdp = "v=0\r\no=- 1 1 IN IP4 axis-b8a44f0a0b0c.local\r\ns=Session streamed by camera\r\nt=0 0\r\n"
    got = ident(engine, ("sdp", sdp))
    assert got.manufacturer == "Axis"
    assert "engine.maker_words.sdp" in {ev.signature for ev in got.evidence}


@pytest.mark.parametrize(
    "origin",
    [
        "o=- 1 1 IN IP4 192.168.1.10",  # an address
        "o=- 1 1 IN IP6 fe80::1",  # an address
        "o=- 1 1 IN IP4 axis-livingroom.local",  # a host name a user typed (no MAC digits)
        "o=- 1 1 IN IP4 kali",  # a computer's name
        "o=- 1 1 IN IP4",  # no address
    ],
)
def test_other_sdp_origins_name_no_maker(engine, origin):
    sdp = f"v=0\r\n{origin}\r\ns=Media Presentation\r\nt=0 0\r\n"  # invented
    assert text_makers(ident(engine, ("sdp", sdp))) == []


def test_an_mdns_host_in_the_firmware_shape_names_the_maker(engine):
    got = ident(
        engine,
        ("mdns", {"host": "Roku-1a2b3c.local", "name": "Living Room", "type": "_http._tcp", "txt": []}),
    )
    assert text_makers(got) == ["Roku"]  # invented
    got = ident(engine, ("mdns", {"host": "roku-living-room", "name": "x", "type": "_http._tcp", "txt": []}))
    assert text_makers(got) == []  # invented: no MAC digits


def test_a_model_and_mac_host_name_names_no_maker(engine):
    # a D-Link-style mDNS host <model>-<MAC> (the model is no maker's name)
    got = ident(
        engine, ("mdns", {"host": "DCS-999L-0A1B2C3D4E5F", "name": "x", "type": "_http._tcp", "txt": []})
    )
    assert text_makers(got) == []  # invented


# --- "for <maker>", software named after its publisher -----------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "ONVIF Viewer for Hikvision",  # invented
        "Quux Remote Viewer - compatible with Axis",  # invented
        "Remote access that works with Dahua",  # invented
        "Reolink vs Amcrest comparison",  # invented: "vs" and two makers
        "AXIS Camera Station Web Client",  # VMS software on a PC (axis.com product name)
        "iVMS-4200 Client",  # Hikvision's PC client
        "IBM HTTP Server",  # software (Recog http_servers.xml 'IBM HTTP Server')
    ],
)
def test_a_maker_a_product_works_with_is_not_the_device_maker(engine, title):
    got = ident(engine, ("html_title", title))
    assert text_makers(got) == []
    assert not got.is_camera


def test_a_maker_leading_its_own_title_still_names_it(engine):
    assert text_makers(ident(engine, ("html_title", "Hikvision Web Login"))) == ["Hikvision"]  # invented
    # "for" before a word that names no maker changes nothing
    assert text_makers(ident(engine, ("html_title", "Hikvision - login for admin"))) == [
        "Hikvision"
    ]  # invented


# --- unlisted makers: two spellings, one value ---------------------------------------------------------------------


def test_two_spellings_of_one_unlisted_maker_are_one_value(engine):
    # invented company: its ONVIF device information and its UPnP description spell it differently
    got = ident(
        engine,
        (
            "onvif_device_info",
            {
                "Manufacturer": "ZORBLYCAM",
                "Model": "ZB-100",
                "FirmwareVersion": "1.0",
                "SerialNumber": "1",
                "HardwareId": "1",
            },
        ),
        ("upnp_device", {"manufacturer": "Shenzhen Zorblycam Technology Co.,Ltd", "modelName": "ZB-100"}),
    )
    assert got.brand in ("ZORBLYCAM", "Shenzhen Zorblycam Technology")
    assert "brand" not in got.conflicts


def test_a_listed_vendor_and_a_look_alike_registrant_stay_apart(engine):
    # "Axis Corporation" is an IEEE registrant that is not Axis Communications: a value it names is not Axis
    assert engine._vendor_key("Axis Corporation") != engine._vendor_key("Axis")
    assert engine._vendor_key("ZOSI Technology") == engine._vendor_key("Zosi")


# --- precedence: a maker the device states is not overridden by an unlisted MAC block alone ------------------------

#: A MAC of a block registered to "Shenzhen Trolink Technology CO, LTD" (IEEE registry via pymanuf; vendors.yaml
#: does not list it); the NIC half is invented.
UNLISTED_BLOCK = "30:4a:26:12:34:56"
#: Hikvision's block C42F90 (mac.yaml's example); the NIC half is invented.
LISTED_BLOCK = "c4:2f:90:12:34:56"


@pytest.mark.parametrize(
    "stated",
    [
        ("upnp_device", {"manufacturer": "Zorblycam", "modelName": "ZB-100"}),  # invented
        (
            "onvif_device_info",  # invented
            {
                "Manufacturer": "Zorblycam",
                "Model": "ZB-100",
                "FirmwareVersion": "1.0",
                "SerialNumber": "1",
                "HardwareId": "1",
            },
        ),
    ],
)
def test_a_stated_maker_outranks_an_unlisted_mac_block(engine, stated):
    got = ident(engine, ("mac", UNLISTED_BLOCK), stated)
    assert got.manufacturer == "Zorblycam"
    assert got.conflicts["manufacturer"] == [
        "Shenzhen Trolink Technology"
    ]  # kept as a conflict, never dropped
    assert got.conflict_details["manufacturer"][0]["signatures"] == ["mac.oui"]


def test_a_listed_makers_block_still_names_the_maker_behind_a_label(engine):
    got = ident(
        engine, ("mac", LISTED_BLOCK), ("upnp_device", {"manufacturer": "Zorblycam", "modelName": "ZB-100"})
    )
    assert (got.manufacturer, got.brand) == ("Hikvision", "Zorblycam")  # invented label on a Hikvision block


def test_a_banner_label_does_not_outrank_a_mac_block(engine):
    # a page title is no statement of the maker (banner tier): the block's registrant stays the maker
    got = ident(engine, ("mac", UNLISTED_BLOCK), ("html_title", "Zorbly"))  # invented
    assert got.manufacturer == "Shenzhen Trolink Technology"
    assert not got.is_camera


# --- camera brands of a public list that vendors.yaml lacked ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("HiFocus", "Hi-Focus"),
        ("VIGI", "VIGI"),
        ("ClareVision", "Clare Controls"),
        ("Resideo", "Resideo"),
        ("Longse", "Longse"),
        ("Godrej", "Godrej"),
        ("Camius", "Camius"),
        ("LaView", "LaView"),
        ("SV3C", "SV3C"),
        ("ASECAM", "ASECAM"),
        ("Qubo", "Qubo"),
        ("Bosch Smart Home", "Bosch"),
    ],
)
def test_camera_brands_of_the_public_list_resolve(engine, name, canonical):
    # ch-bas/cctv-camera-database README's brand table (CC0)
    assert engine.vendors.resolve(name) == canonical


def test_a_listed_brand_in_a_firmware_default_host_name_names_it(engine):
    got = ident(engine, ("dhcp_hostname", "SV3C-1a2b3c"))  # invented, in the firmware-default shape
    assert got.brand == "SV3C" or "SV3C" in text_makers(got)
    assert not got.is_camera  # a name never makes a camera


def test_a_brand_without_a_known_maker_names_no_manufacturer(engine):
    got = ident(engine, ("upnp_device", {"manufacturer": "LaView", "modelName": "X1"}))  # invented
    assert (got.brand, got.manufacturer) == ("LaView", None)
    got = ident(engine, ("upnp_device", {"manufacturer": "VIGI", "modelName": "X1"}))  # invented
    assert (got.brand, got.manufacturer) == ("VIGI", None)  # TP-Link's make is a secondary link only
    assert {p["vendor"] for p in got.possible_manufacturers} == {"TP-Link"}


def test_sanyo_is_a_listed_video_maker_owned_by_panasonic(engine):
    # block 08007B is registered to "Sanyo Electric Co. Ltd." (IEEE registry via pymanuf); the NIC half is invented
    got = ident(engine, ("mac", "08:00:7b:12:34:56"))
    assert got.manufacturer == "Sanyo" and not got.is_camera  # a MAC never types a device
    assert ("Panasonic", "subsidiary") in [(v, r.relation) for v, r in engine.vendors.ancestors("Sanyo")]
    got = ident(
        engine, ("http_www_authenticate", 'Digest realm="SANYO VCC-HD9999P"')
    )  # invented model number
    assert (got.manufacturer, got.model) == ("Sanyo", "VCC-HD9999P")
    # other companies registered under the name are not Sanyo Electric
    assert engine.vendors.resolve("Sanyo Denki Co., Ltd.") is None


def test_r_and_d_is_a_descriptive_word_of_a_company_name(engine):
    # IEEE registrants such as "Beward R&D Co., Ltd." carry "R&D" after the name the device uses
    assert engine._vendor_key("Beward R&D") == engine._vendor_key("BEWARD")
    assert engine.vendors.words.core("Dionica R&D Ltd.") == "dionica"
    assert engine.vendors.words.core("AT&T Services, Inc.") != "at"  # not two single letters: left alone
