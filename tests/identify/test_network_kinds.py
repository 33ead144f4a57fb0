"""The kinds the network and office makers' own numbering states (product_lines.yaml, "network and office makers'
kinds"): a switch, router, access point, controller, NAS, printer, multifunction printer, UPS, PDU or transfer switch
is typed by its maker's family, never as a video device, and the look-alikes stay what they were (docs/identify.md,
"Device type")."""

from __future__ import annotations

import pytest

from camscan.model import CAMERA_TYPES, Observation

LINES = [
    "tplink.omada_access_point",
    "tplink.range_extender",
    "tplink.powerline",
    "tplink.business_router",
    "tplink.jetstream_switch",
    "tplink.omada_controller",
    "tplink.kasa_light_switch",
    "netgear.switch",
    "netgear.access_point",
    "netgear.range_extender",
    "netgear.router",
    "netgear.cable_modem",
    "netgear.nas",
    "linksys.switch",
    "linksys.extender",
    "linksys.router",
    "dlink.switch",
    "dlink.access_point",
    "dlink.nas",
    "dlink.mobile_router",
    "mikrotik.switch",
    "mikrotik.router",
    "cisco.wireless_controller",
    "cisco.access_point",
    "cisco.switch",
    "cisco.ip_phone",
    "cisco.router",
    "cisco.firewall",
    "aruba.access_point",
    "hp.multifunction",
    "hp.printer",
    "brother.multifunction",
    "brother.printer",
    "brother.scanner",
    "epson.receipt_printer",
    "xerox.printer",
    "xerox.multifunction",
    "ricoh.multifunction",
    "synology.router",
    "qnap.switch",
    "qnap.router",
    "apc.transfer_switch",
    "apc.pdu",
    "apc.network_card",
    "apc.ups",
    "apc.environment_monitor",
    "shelly.gateway",
    "eq3.homematic_hub",
    "meross.plug",
    "meross.garage_door_opener",
]


def _line(engine, ident: str):
    found = [line for line in engine.product_lines if line.id == ident]
    assert found, ident
    return found[0]


def _examples(engine, ident: str) -> list[str]:
    for entry in engine.product_lines._entries:
        if entry.line.id == ident:
            return list(entry.examples)
    raise AssertionError(ident)


def _upnp(engine, maker: str, model: str):
    return engine.identify([Observation("upnp_device", {"manufacturer": maker, "modelName": model})])


@pytest.mark.parametrize("line_id", LINES)
def test_no_line_here_is_a_video_kind(engine, line_id):
    assert _line(engine, line_id).device_type not in CAMERA_TYPES


@pytest.mark.parametrize("line_id", LINES)
def test_a_stated_model_gets_its_kind(engine, line_id):
    line = _line(engine, line_id)
    problems = []
    for model in _examples(engine, line_id):
        ident = _upnp(engine, line.vendor, model)
        if ident.device_type != line.device_type:
            problems.append(f"{model}: {ident.device_type!r}")
        if ident.is_camera:
            problems.append(f"{model}: called a camera")
    assert not problems, problems


@pytest.mark.parametrize(
    ("model", "maker", "device_type"),
    [
        ("DGS-1210-10P", "D-Link", "switch"),  # D-Link's numbering names the maker, the family the kind
        ("CRS328-24P-4S+RM", "MikroTik", "switch"),
        ("AIR-CT5508-K9", None, None),  # no scheme of one maker: nothing guessed
        ("AP8853", "APC", "pdu"),
        ("SMX1500RMI2U", "APC", "ups"),
    ],
)
def test_a_bare_model_of_a_scheme_gets_maker_and_kind(engine, model, maker, device_type):
    ident = engine.identify([Observation("upnp_device", {"modelName": model})])
    if maker is None:
        assert not ident.is_camera
        return
    assert ident.manufacturer in engine.vendors.kin(maker)
    assert ident.device_type == device_type
    assert not ident.is_camera


@pytest.mark.parametrize(
    ("maker", "model", "device_type"),
    [
        ("D-Link", "DCS-8000LH", "camera"),  # the maker's cameras and recorders keep their lines
        ("D-Link", "DNR-322L", "nvr"),
        ("TP-Link", "VIGI C340", "camera"),
        ("TP-Link", "VIGI NVR1008H", "nvr"),
        ("TP-Link", "Tapo T110", "sensor"),  # Tapo's three-digit T sensors are no JetStream switches
        ("Synology", "DS920+", "nas"),  # a NAS is no router
        ("Ubiquiti", "UVC-G4-Bullet", "camera"),
    ],
)
def test_the_makers_other_lines_keep_their_kind(engine, maker, model, device_type):
    assert _upnp(engine, maker, model).device_type == device_type


@pytest.mark.parametrize(
    ("maker", "model"),
    [
        ("Nintendo", "Nintendo Switch"),  # a "switch" that is Nintendo's console
        ("FLIR", "CP-6408-21-IA"),  # FLIR's camera numbering, no Cisco phone
        ("Zebra", "AP-7131"),  # Zebra's four-digit access point code is not Aruba's line
        ("EnGenius", "EAP1250"),  # another maker's EAP: TP-Link's line does not apply
    ],
)
def test_look_alikes_get_no_line_of_these(engine, maker, model):
    ident = _upnp(engine, maker, model)
    ours = {f"product_line.{line_id}" for line_id in LINES}
    assert not any(ev.signature in ours for ev in ident.evidence if ev.asserts), ident.evidence
    if maker == "FLIR":
        assert ident.device_type == "camera"  # FLIR's own camera line, not a Cisco phone


def test_a_pdu_is_no_ups_and_a_transfer_switch_neither(engine):
    kinds = {m: _upnp(engine, "APC", m).device_type for m in ("AP7941", "AP7723", "AP9641", "SMT3000RMI2U")}
    assert kinds == {"AP7941": "pdu", "AP7723": "power_device", "AP9641": "ups", "SMT3000RMI2U": "ups"}


def test_a_homematic_access_point_is_a_hub_not_a_wifi_access_point(engine):
    """eQ-3 calls its Homematic IP radio hub an "Access Point": the product line, not the words, says what it is."""
    ident = engine.identify(
        [
            Observation(
                "upnp_device",
                {
                    "manufacturer": "eQ-3",
                    "modelName": "HmIP-HAP",
                    "friendlyName": "Homematic IP Access Point",
                },
            )
        ]
    )  # invented
    assert ident.device_type == "hub"


@pytest.mark.parametrize(
    ("observation", "device_type"),
    [
        (
            Observation("http_www_authenticate", 'Basic realm="300Mbps Wireless N Router"'),
            "router",
        ),  # invented
        (Observation("html_title", "Speedport Smart 3"), "router"),  # invented
        (
            Observation("upnp_device", {"modelName": "X1", "friendlyName": "Livebox Play"}),
            "router",
        ),  # invented
        (
            Observation("html_title", "Network Camera - Router Settings"),
            "camera",
        ),  # a camera's page: camera first
        (Observation("html_title", "NVR - Router Port Mapping"), "nvr"),  # invented
        (Observation("html_title", "CNC Router Controller"), None),  # a woodworking machine
        (Observation("html_title", "IoT Gateway"), None),  # a bare gateway is no router
        (Observation("dhcp_vendor_class", "Xerox VersaLink"), "printer"),  # invented
    ],
)
def test_router_words_and_their_look_alikes(engine, observation, device_type):
    assert engine.identify([observation]).device_type == device_type


@pytest.mark.parametrize(
    ("observation", "device_type"),
    [
        (Observation("upnp_device", {"modelName": "AVR 1710"}), "av_receiver"),  # Harman Kardon's designation
        (Observation("upnp_device", {"modelName": "AVR850"}), "av_receiver"),  # Arcam's
        (
            Observation(
                "http_path",
                {
                    "path": "/dev.xml",
                    "status": 200,
                    "headers": {},
                    "body": "<d><ModelName>AVR-X3800H</ModelName></d>",
                },
            ),
            "av_receiver",
        ),  # invented answer; a Denon model from denon.com
        (Observation("html_title", "AVR128DA48 Curiosity Nano"), None),  # Microchip's microcontroller board
        (
            Observation("html_title", "AVR32 UC3 Web Server"),
            None,
        ),  # Atmel's AVR32 demo firmware (invented title)
        (Observation("html_title", "AVR Web Server"), None),  # a bare AVR beside other words
        (Observation("dhcp_hostname", "avr-builder"), None),  # no designation: no digit joined
    ],
)
def test_avr_names_a_receiver_only_as_a_designation(engine, observation, device_type):
    assert engine.identify([observation]).device_type == device_type


@pytest.mark.parametrize(
    "body",
    [
        '{"modelName": "IPC-HDW1431T1", "serial": "x"}',  # invented: a camera designation under a model key
        "<DeviceInfo><ModelName>DS-7608NI-K2</ModelName></DeviceInfo>",  # invented: a recorder's
    ],
)
def test_a_model_key_never_makes_a_video_device(engine, body):
    """Model keys are read as product keys: for the non-video kinds only (a camera's designation there makes no
    camera through the kind words; the maker's signatures and product lines decide)."""
    ident = engine.identify(
        [Observation("http_path", {"path": "/x", "status": 200, "headers": {}, "body": body})]
    )
    assert not any(ev.signature.startswith("engine.kind_words.") for ev in ident.evidence if ev.asserts)


@pytest.mark.parametrize(
    ("observation", "device_type"),
    [
        (Observation("html_title", "Mini Smart Wi-Fi Plug"), "plug"),  # invented
        (Observation("html_title", "Please install the plug-in"), None),  # a camera page's browser plug-in
        (Observation("html_title", "Smart Plug Camera"), "camera"),  # invented: the camera word wins
        (Observation("mdns", {"name": "Smart Bulb-1A2B", "type": "_hap._tcp.local.", "txt": []}), "bulb"),
        (Observation("html_title", "Light Bulb Security Camera"), "camera"),  # a bulb-shaped camera
        (Observation("html_title", "Smart Dimmer Switch"), "light_switch"),  # invented
        (
            Observation("html_title", "24-Port Gigabit Ethernet Switch"),
            None,
        ),  # no light switch (maker_words' class)
        (Observation("html_title", "Zigbee Gateway"), "hub"),  # invented
        (Observation("html_title", "Smart Hub"), "hub"),  # a field of its own
        (Observation("html_title", "Samsung Smart Hub"), None),  # a TV's menu
        (Observation("html_title", "USB Hub Settings"), None),  # a bare hub
        (
            Observation("html_title", "OpenThread Border Router"),
            None,
        ),  # a Thread border router is no IP router
        (Observation("html_title", "AC1200 Wi-Fi Range Extender"), "access_point"),  # invented
        (Observation("html_title", "Repeater Station 4"), None),  # a bare repeater (radio, HDMI)
    ],
)
def test_smart_home_kind_words_and_their_look_alikes(engine, observation, device_type):
    assert engine.identify([observation]).device_type == device_type


@pytest.mark.parametrize(
    ("observation", "device_type"),
    [
        (Observation("html_title", "imageRUNNER ADVANCE C5535i"), "multifunction"),  # Canon's MFP family
        (Observation("html_title", "TOSHIBA e-STUDIO2515AC"), "multifunction"),
        (Observation("html_title", "TASKalfa 2554ci"), "multifunction"),
        # the MAXIFY GX5050 prints only (the GX7050 first written here is an All-in-One: print, copy, scan, fax)
        (Observation("html_title", "Canon MAXIFY GX5050"), "printer"),
        (Observation("html_title", "ECOSYS P2040dw"), "printer"),
        (Observation("html_title", "Smart Home Ecosystem"), None),  # a whole word only: no ECOSYS
        (Observation("html_title", "Visual Studio Code Server"), None),  # no e-STUDIO
    ],
)
def test_printer_and_multifunction_families(engine, observation, device_type):
    assert engine.identify([observation]).device_type == device_type


@pytest.mark.parametrize(
    ("maker", "model", "device_type"),
    [
        # HP names its scanning inkjets "All-in-One" (HPLIP models.dat); a LaserJet without MFP is a printer
        ("HP", "HP OfficeJet Pro 8020 All-in-One Printer series", "multifunction"),
        ("HP", "HP DeskJet 2700 All-in-One Printer series", "multifunction"),
        ("HP", "HP OfficeJet Pro All-in-One 9010", "multifunction"),
        ("HP", "HP LaserJet Pro M404dn", "printer"),
        ("HP", "HP DesignJet T630", "printer"),
        # Brother's few HL models with a flatbed scanner (its brscan4 driver lists them) are multifunction
        ("Brother", "HL-L2395DW", "multifunction"),
        ("Brother", "HL-L2390DW", "multifunction"),
        ("Brother", "HL-L2351DW", "printer"),  # an HL of the same range without a scanner
        ("Brother", "HL-L3270CDW", "printer"),  # HL-L3290CDW scans, HL-L3270CDW does not
        # MikroTik's RB260GS is the CSS106-5G-1S switch (SwOS), no router
        ("MikroTik", "RB260GS", "switch"),
        ("MikroTik", "RB260GSP", "switch"),
        ("MikroTik", "RB2011UiAS-RM", "router"),
    ],
)
def test_a_model_the_maker_sells_in_another_class(engine, maker, model, device_type):
    """Examples checked against the makers' own material on 2026-12-07: a model sits in the class its maker sells it in."""
    ident = _upnp(engine, maker, model)
    assert ident.device_type == device_type
    assert not ident.is_camera


@pytest.mark.parametrize(
    "model",
    [
        "OfficeJet Pro 8025e",  # an All-in-One whose bare name does not say so: no printer line claims it
        "DeskJet 4155e",
        "ENVY 6055e",
        "Smart Tank 5101",
        "HP Smart Hub",  # "All-in-One"/"MFP" only after an HP printer family
    ],
)
def test_hp_families_sold_both_ways_get_no_printer_line(engine, model):
    ident = _upnp(engine, "HP", model)
    assert not any(ev.signature == "product_line.hp.printer" for ev in ident.evidence if ev.asserts), (
        ident.evidence
    )
    assert ident.device_type != "multifunction" or "All" in model
    assert not ident.is_camera
