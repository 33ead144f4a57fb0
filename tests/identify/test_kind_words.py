"""Kinds named in a device's own answers (vendor_signatures/kind_words.yaml, camscan/identify/kind_words.py).

Look-alikes first: things that say "camera" or "DVR" without being a surveillance device must never become cameras.
Values are invented unless a source is named; none is a corpus value.
"""

from __future__ import annotations

import pytest

from camscan.identify.engine import KIND_WORDS, get_engine
from camscan.identify.knowledge import load_knowledge
from camscan.model import Observation


@pytest.fixture(scope="module")
def engine():
    return get_engine()


@pytest.fixture(scope="module")
def words():
    return load_knowledge().kind_words


def _typed(engine, *observations: tuple[str, object]):
    return engine.identify([Observation(kind, value) for kind, value in observations])


# ------------------------------------------------------------------------------------------ look-alikes
LOOKALIKES = [
    ("http_server", "webcamXP 5"),  # nmap-service-probes 7874: Windows webcam software
    ("html_title", "IP Webcam"),  # the Android app that turns a phone into a camera
    ("html_title", "Synology Surveillance Station"),  # NAS package
    ("html_title", "QNAP QVR Pro"),  # NAS package
    ("html_title", "AXIS Camera Station Web Client"),  # VMS
    ("html_title", "Milestone XProtect Web Client"),  # VMS
    ("http_server", "BlueIris-HTTP/5.8"),  # nmap-service-probes 8836: VMS on a PC
    ("html_title", "Blue Iris Login"),
    ("mdns", {"name": "Camera Hub G2H", "type": "_hap._tcp.local.", "txt": ["md=Camera Hub G2H", "ci=2"]}),
    ("mdns", {"name": "Blink Sync Module", "type": "_http._tcp.local.", "txt": []}),
    ("dhcp_hostname", "eufy-HomeBase-2"),
    ("html_title", "Arlo Base Station"),
    ("dhcp_hostname", "camera-server-pi"),
    ("dhcp_hostname", "Johns-iPhone-camera"),
    (
        "upnp_device",
        {
            "manufacturer": "Canon",
            "modelName": "Canon EOS R6",
            "modelNumber": "1",
            "friendlyName": "Canon EOS R6",
        },
    ),
    (
        "upnp_device",
        {
            "manufacturer": "Sony Corporation",
            "modelName": "ILCE-7M4",
            "modelNumber": "1",
            "friendlyName": "ILCE-7M4",
            "modelDescription": "Digital Camera",
        },
    ),
    ("html_title", "GoPro HERO12 camera"),
    ("html_title", "DDPAI Dash Cam"),
    ("html_title", "IPEVO Document Camera"),
    ("http_www_authenticate", 'Digest realm="TiVo DVR"'),  # Recog http_wwwauth.xml: a TV recorder
    ("html_title", "Channels DVR"),
    ("html_title", "Plex DVR"),
    ("telnet_banner", "WinTV-HVR-1950 login:"),  # a TV tuner/recorder
    ("snmp_sysdescr", "SIMATIC IPC427E"),  # an industrial PC
    ("html_title", "HP Color LaserJet MFP - Scan to camera roll"),
    ("html_title", "Home Assistant"),
    ("html_title", "motionEye"),
    ("html_title", "PTZ Network Keyboard"),
    ("html_title", "Cambridge Audio StreamMagic"),  # starts with "cam"
    ("html_title", "Scam check"),  # ends with "cam", too short for a compound
    ("html_title", "Dome Leak Sensor"),  # Dome Z-Wave: a bare "dome"
    ("html_title", "Ubiquiti Bullet M2 HP"),  # a Wi-Fi radio: a bare "bullet"
    ("html_title", "Decoder"),  # a bare "decoder" is a set-top box in it/nl
    ("snmp_sysdescr", "HiPath Wireless Access Controller - C20 Office"),  # Recog: a WLAN controller
    (
        "tls_subject",
        "CN=gw.example.net,OU=Access Control and Video Division,O=Example\nissuer: CN=Example CA",
    ),
    (
        "http_path",
        {
            "path": "/api/devices",
            "status": 200,
            "headers": {},
            "body": '[{"type": "camera"}, {"type": "camera"}]',
        },
    ),
]


# Photo, action, dash, trail, document and reversing cameras in the languages the camera words are read in (each
# was called a surveillance camera before kind_words.yaml's photo_cameras_in_other_languages; invented titles), and
# products named "…dome" that the dome suffix read as camera compounds (products_named_dome).
LOOKALIKES += [
    ("html_title", "Digitalkamera Anmeldung"),
    ("html_title", "Wildkamera WLAN"),
    ("html_title", "Rückfahrkamera"),
    ("html_title", "Dokumentenkamera"),
    ("html_title", "Spiegelreflexkamera"),
    ("html_title", "デジタルカメラ"),
    ("html_title", "車載カメラ"),
    ("html_title", "数码摄像机"),
    ("html_title", "디지털 카메라"),
    ("html_title", "cámara digital"),
    ("html_title", "câmera digital"),
    ("html_title", "caméra numérique"),
    ("html_title", "fotocamera digitale"),
    ("html_title", "цифровая камера"),
    ("html_title", "экшн-камера"),
    ("snmp_sysdescr", "HPE Superdome Flex RMC"),
    ("dhcp_hostname", "freedome-vpn"),
]


@pytest.mark.parametrize(("kind", "value"), LOOKALIKES)
def test_a_lookalike_is_not_called_a_camera(engine, kind, value):
    ident = _typed(engine, (kind, value))
    assert not ident.is_camera, (kind, value, ident.device_type, [e.signature for e in ident.evidence])


@pytest.mark.parametrize(("kind", "value"), LOOKALIKES)
def test_a_lookalike_gives_the_reader_no_video_kind(words, kind, value):
    assert not {h.kind for h in words.read(kind, value)} & {"camera", "nvr", "dvr", "encoder"}


# ------------------------------------------------------------------------------------------ what it reads
SAYS = [
    ("html_title", "Netzwerkkamera", "camera"),
    ("html_title", "Telecamera IP", "camera"),
    ("html_title", "Cámara IP", "camera"),
    ("html_title", "IP-камера", "camera"),
    ("html_title", "ネットワークカメラ", "camera"),
    ("html_title", "네트워크 카메라", "camera"),
    ("html_title", "网络摄像机 登录", "camera"),
    # the look-alikes of the photo cameras of each language leave its surveillance words alone
    ("html_title", "Überwachungskamera", "camera"),
    ("html_title", "防犯カメラ", "camera"),
    ("html_title", "ネットワークカメラ", "camera"),
    ("html_title", "Caméra réseau", "camera"),
    ("html_title", "câmera IP", "camera"),
    ("html_title", "FlexiDome IP starlight", "camera"),
    ("html_title", "AutoDome 7000", "camera"),
    ("http_www_authenticate", 'Basic realm="WiFi IPCam"', "camera"),
    ("rtsp_www_authenticate", 'Digest realm="HD Speed Dome", nonce="1"', "camera"),
    ("snmp_sysdescr", "PTZ 20X outdoor", "camera"),
    ("ftp_banner", "220 IPCAM FTP server ready", "camera"),
    ("sdp", "v=0\r\ns=Media Presentation\r\ni=Bullet Camera main\r\nm=video 0 RTP/AVP 96\r\n", "camera"),
    ("tls_subject", "CN=ip-camera.local\nissuer: CN=ip-camera.local", "camera"),
    ("tls_subject", "CN=device,OU=IP Camera,O=Example\nissuer: CN=device", "camera"),
    ("onvif_scopes", ["onvif://www.onvif.org/hardware/IPDome-4MP"], "camera"),
    (
        "upnp_device",
        {
            "manufacturer": "Example",
            "modelName": "E1",
            "modelNumber": "1",
            "deviceType": "urn:schemas-upnp-org:device:NetworkCamera:1",
        },
        "camera",
    ),
    ("vendor_discovery", {"protocol": "xm", "DeviceType": "IPC"}, "camera"),
    (
        "http_path",
        {"path": "/cgi-bin/info", "status": 200, "headers": {}, "body": "hostname=Kamera01\nversion=1.0\n"},
        "camera",
    ),
    ("html_title", "NVR Web Service", "nvr"),
    ("html_title", "网络硬盘录像机", "nvr"),
    ("html_title", "硬盘录像机", "dvr"),
    ("http_server", "HVR-Webs", "dvr"),
    ("snmp_sysdescr", "Network Video Encoder", "encoder"),
    ("html_title", "Network Video Decoder", "decoder"),
    ("html_title", "Türstation", "intercom"),
    ("html_title", "Video Door Phone", "intercom"),
    ("html_title", "Face Recognition Terminal", "access_control"),
    ("html_title", "Alarm Control Panel", "alarm_panel"),
    ("mdns", {"name": "Hallway Chime", "type": "_http._tcp.local.", "txt": []}, "chime"),
]


def test_a_non_video_kind_outranks_a_camera_word_in_another_answer(engine):
    ident = _typed(engine, ("html_title", "IP Camera"), ("dhcp_hostname", "villa-door-station"))
    assert ident.device_type == "intercom"


def test_a_recorder_outranks_the_cameras_it_names(engine):
    ident = _typed(engine, ("html_title", "NVR"), ("sdp", "v=0\r\ns=IP Camera\r\nm=video 0 RTP/AVP 96\r\n"))
    assert ident.device_type == "nvr"


def test_the_reader_is_a_fallback_below_any_typing_signature(engine):
    # a printer's own signature types it; the kind word of another answer does not override it
    ident = _typed(
        engine, ("snmp_sysdescr", "HP ETHERNET MULTI-ENVIRONMENT"), ("dhcp_hostname", "office-cam")
    )
    assert ident.device_type != "camera"
    assert not any(e.signature.startswith(KIND_WORDS) for e in ident.evidence)


def test_a_whole_field_holds_nothing_but_kind_words(words):
    assert words.kind_of("IPCAM", "whole") == ("camera", "ipcam")
    assert words.kind_of("HD Network Camera 2", "whole") is not None
    assert words.kind_of("Shenzhen Camera Co", "whole") is None


def test_a_maker_named_camera_is_no_kind(words):
    # a company's name is not a kind (an ONVIF answer is typed by its own signature, not by this reader)
    info = {"manufacturer": "Shenzhen Example Camera Technology", "model": "X9", "firmware_version": "1"}
    assert words.read("onvif_device_info", info) == []


def test_a_repeated_key_in_an_answer_describes_other_devices(words):
    body = "<List><Item><deviceType>IPCamera</deviceType></Item><Item><deviceType>IPCamera</deviceType></Item></List>"
    assert words.read("http_path", {"path": "/x", "status": 200, "headers": {}, "body": body}) == []
    one = "<DeviceInfo><deviceType>IPCamera</deviceType></DeviceInfo>"
    assert [
        h.kind for h in words.read("http_path", {"path": "/x", "status": 200, "headers": {}, "body": one})
    ] == ["camera"]


def test_media_sections_of_an_sdp_are_not_read(words):
    sdp = "v=0\r\ns=Session\r\nm=video 0 RTP/AVP 96\r\ni=Camera 1\r\n"
    assert words.read("sdp", sdp) == []


def test_the_certificate_issuer_is_not_read(words):
    # the subject's own CN names a router (a kind word since types4); the issuer's "IP Camera" is not read
    assert [hit.kind for hit in words.read("tls_subject", "CN=router.local\nissuer: CN=IP Camera CA")] == [
        "router"
    ]
    assert words.read("tls_subject", "CN=device.local\nissuer: CN=IP Camera CA") == []


@pytest.mark.parametrize("body", ["<a>" + " " * 65536 + "x", "\n" * 65536, "<a " * 21845])
def test_an_answer_built_to_backtrack_is_read_in_bounded_time(engine, body):
    """An untyped answer reaches the kind reader's XML, JSON and key=value readers: "<a>" and 64 KiB of blanks took
    425 s, 64 KiB of newlines 45 s, before the readers were made linear (review, 2026-12-06)."""
    import time

    started = time.process_time()
    ident = _typed(engine, ("http_path", {"path": "/x", "status": 200, "headers": {}, "body": body}))
    assert time.process_time() - started < 2.0
    assert not ident.is_camera


# ------------------------------------------------------------------------------------------ ambiguous kind words
# The review of kind_words.yaml (2026-12-06; invented test strings, not corpus values): each of these was typed as
# written in the comment before the `weak` words and `products_named_chime`. "IPC", a bare "cam", "TVR" and a bare
# "video server" name their kind only joined to a host name or designation, as the last word of a name (cam), or
# beside nothing but kind words, filler, numbers and login/greeting words.
AMBIGUOUS = [
    ("html_title", "IPC Server 1.0"),  # was camera: inter-process communication
    ("html_title", "Proxmox VE IPC"),  # was camera
    ("html_title", "CAM Module Setup"),  # was camera: a TV's conditional-access module
    ("html_title", "Cam Newton"),  # was camera: a given name
    ("html_title", "TVR Motors"),  # was dvr: the car maker
    ("html_title", "Video Server Error"),  # was encoder: an error page
    ("html_title", "Amazon Chime"),  # was chime: a conferencing service
    ("http_server", "IPC Server 1.0"),
    ("snmp_sysdescr", "System V IPC statistics"),
    ("dhcp_hostname", "proxmox-ipc"),  # joined, but no designation digit
    ("html_title", "CAM Module"),
    ("html_title", "CAD CAM Software"),
    ("html_title", "TVR Griffith"),
    ("html_title", "Video Server Unavailable"),
    ("mdns", {"name": "Amazon Chime SDK demo", "type": "_http._tcp.local.", "txt": []}),
]


@pytest.mark.parametrize(("kind", "value"), AMBIGUOUS)
def test_an_ambiguous_kind_word_alone_types_nothing(engine, words, kind, value):
    ident = _typed(engine, (kind, value))
    assert not ident.is_camera, (kind, value, ident.device_type, [e.signature for e in ident.evidence])
    assert ident.device_type is None or not ident.device_type.startswith("chime"), ident.device_type
    assert words.read(kind, value) == [], words.read(kind, value)


# Positive controls: the same words where they do name the kind (each read so before the change, too).
AMBIGUOUS_SAYS = [
    ("html_title", "IPC", "camera"),
    ("html_title", "IPC Login", "camera"),
    ("html_title", "IPC-HDW1431T1", "camera"),  # a product designation
    ("vendor_discovery", {"protocol": "xm", "DeviceType": "IPC"}, "camera"),
    ("html_title", "IP Camera", "camera"),
    ("html_title", "Network Camera", "camera"),
    ("html_title", "CAM", "camera"),
    ("html_title", "IP CAM 2", "camera"),
    ("dhcp_hostname", "garage-cam", "camera"),
    ("dhcp_hostname", "cam-01", "camera"),
    ("html_title", "Garage Cam", "camera"),  # the last word of a name
    ("html_title", "Web Cam", "camera"),
    ("html_title", "CamView Login", "camera"),  # a camel-case name written as one word
    ("html_title", "TVR", "dvr"),
    ("html_title", "TVR Login", "dvr"),
    ("html_title", "Video Server", "encoder"),
    ("ftp_banner", "220 4-Channel Video Server ready", "encoder"),
    ("html_title", "Network Video Server", "encoder"),
    ("html_title", "Chime", "chime"),
    ("mdns", {"name": "Ring Chime Pro", "type": "_http._tcp.local.", "txt": []}, "chime"),
]


@pytest.mark.parametrize(("kind", "value", "want"), SAYS + AMBIGUOUS_SAYS)
def test_a_device_that_names_its_kind_is_typed_so(engine, kind, value, want):
    """SAYS (above), and AMBIGUOUS_SAYS: the ambiguous words where they do name the kind."""
    ident = _typed(engine, (kind, value))
    assert ident.device_type == want, (kind, value, [(e.signature, e.asserts) for e in ident.evidence])


def test_a_weak_word_beside_a_strong_kind_word_is_read(words):
    assert words.kind_of("IPC Server Network Camera") == ("camera", "network camera")


# ------------------------------------------------------------------- a product family names its maker (makers)
@pytest.mark.parametrize(
    ("kind", "value", "maker", "device_type"),
    [
        ("dhcp_vendor_class", "PS3", "Sony", "game_console"),  # invented (Sony's earlier console, same form)
        ("html_title", "Xbox One Remote", "Microsoft", "game_console"),  # invented
        ("html_title", "Wii U", "Nintendo", "game_console"),  # invented
        ("snmp_sysdescr", "OfficeJet Pro 9999 series", "HP", "printer"),  # invented
        ("ftp_banner", "220 TeraStation FTP server ready", "Buffalo", "nas"),  # invented
    ],
)
def test_a_product_family_names_its_maker(engine, kind, value, maker, device_type):
    ident = _typed(engine, (kind, value))
    assert (ident.manufacturer, ident.device_type) == (maker, device_type)
    assert not ident.is_camera
    assert any(ev.signature == "engine.maker_words.product_family" for ev in ident.evidence)


def test_a_product_family_is_a_fallback_below_a_stated_maker(engine):
    # the device's own maker statement wins; the family word names nobody then
    ident = _typed(
        engine,
        ("html_title", "LaserJet Pro"),
        ("upnp_device", {"manufacturer": "Quuxprint", "modelName": "QP-1"}),
    )
    assert ident.manufacturer == "Quuxprint"
    assert not any(ev.signature == "engine.maker_words.product_family" for ev in ident.evidence)


def test_two_families_of_two_makers_name_none(engine):
    ident = _typed(engine, ("html_title", "PS5"), ("dhcp_vendor_class", "Xbox One"))
    assert ident.manufacturer is None


def test_every_family_maker_is_a_listed_vendor(engine, words):
    assert words.makers
    assert all(maker in engine.vendors for maker in words.makers.values())
