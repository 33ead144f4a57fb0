"""Models named in free text (issue 11): maker_words.yaml `models` and Engine._models_in_text.

"<maker> <model> … version <x>": the first model-shaped token after a maker's name, read only as a fallback.
Values marked "dico.pm" are verbatim sysDescr strings of fusioninventory/fusioninventory-agent@0121a35e
lib/Ocsinventory/Agent/Task/NetDiscovery/dico.pm (not a corpus source); the others are invented (marked)."""

from __future__ import annotations

import pytest

from camscan.identify.engine import KIND_WORDS, MODEL_WORDS, get_engine
from camscan.model import Observation


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _rule(engine, kind: str, value: str):
    ident = engine.identify([Observation(kind, value)])
    used = [
        ev
        for ev in ident.evidence
        if ev.signature.startswith(MODEL_WORDS + ".") and not ev.signature.endswith(".class")
    ]
    return ident, used


# Texts no signature reads: the rule is what names the model (and the firmware after it).
@pytest.mark.parametrize(
    ("kind", "value", "model", "firmware"),
    [
        ("snmp_sysdescr", "Dlink DES-3018 Fast Ethernet Switch", "DES-3018", None),  # dico.pm
        (
            "snmp_sysdescr",
            "Allied Telesyn Ethernet Switch AT-8524M - ATS62 v1.4.0",
            "AT-8524M",
            None,
        ),  # dico.pm
        ("snmp_sysdescr", "HP LaserJet M3027 MFP", "M3027", None),  # dico.pm
        ("snmp_sysdescr", "Lexmark T620  Version 5.20.26  FaxSCSI-Ethernet.", "T620", "5.20.26"),  # dico.pm
        ("snmp_sysdescr", "TOSHIBA e-STUDIO 3520C", "3520C", None),  # dico.pm
        ("dhcp_vendor_class", "Grandstream GXV3370 dslforum.org", "GXV3370", None),  # invented
        ("html_title", "Sony KDL-55W800B", "KDL-55W800B", None),  # invented
        (
            "ftp_banner",
            "220 Kyocera ECOSYS-M2540dn FTP server Ver 2.1.0 ready.",
            "ECOSYS-M2540dn",
            "2.1.0",
        ),  # invented
        ("http_www_authenticate", 'Basic realm="ZyXEL NBG6604"', "NBG6604", None),  # invented
        ("http_server", "Yealink SIP-T99W 99.1.0.1", "SIP-T99W", "99.1.0.1"),  # invented
        # Recog's snmp_sysdescr example: the version after "Bios Ver" is the BIOS's, not the router's firmware
        (
            "snmp_sysdescr",
            "Digi TransPort WR21-HX1B-DE1-XX Ser#:211555 Software Build Ver5142. Nov 28 2011 11:25:34 WW ARM Bios Ver 6.45 ",
            "WR21-HX1B-DE1-XX",
            None,
        ),
    ],
)
def test_a_model_after_a_makers_name_is_read(engine, kind, value, model, firmware):
    ident, used = _rule(engine, kind, value)
    assert ident.model == model
    assert len(used) == 1 and used[0].weight < 0.5 and "follows the maker's name" in (used[0].note or "")
    assert ident.firmware == firmware


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        # dico.pm: a port count, a clause's end, an OS version, a glued version, a network layer
        ("snmp_sysdescr", "3Com Switch 4210 PWR 9-Port Software Version 3Com OS V3.01.03s56"),
        (
            "snmp_sysdescr",
            "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 12.2(25)FX, RELEASE SOFTWARE (fc1)",
        ),
        (
            "snmp_sysdescr",
            "Hardware: x86 Family 15 Model 2 Stepping 7 AT/AT COMPATIBLE - Software: Windows 2000 Version 5.1 (Build 2600 Uniprocessor Free)",
        ),
        ("snmp_sysdescr", "IBM NPS 530/532Print serverV5.36 Jul 7 1997"),
        ("snmp_sysdescr", "Nortel Networks Layer2-7 GbE Switch Module"),
        (
            "snmp_sysdescr",
            "APC Web/SNMP Management Card (MB:v3.6.8 PF:v2.6.4 PN:apc_hw02_aos_264.bin AF1:v2.6.1 AN1:apc_hw02_sumx_261.bin MN:AP9617 HR:A10 SN: ZA0533007458 MD:08/10/2005) (Embedded PowerNet SNMP Agent SW v2.2 compatible)",
        ),
        # invented look-alikes: a uname-style sysDescr whose host name is a maker's, resolutions, codecs, radio standards
        ("snmp_sysdescr", "Linux axis 4.9.206 #1 SMP PREEMPT armv7l"),
        ("html_title", "Hikvision 1080P H.264 Viewer"),
        ("html_title", "D-Link 802.11ac Wi-Fi"),
        ("html_title", "Reolink 4K 8MP"),
        ("dhcp_vendor_class", "dhcpcd-9.4.1:Linux-5.15.0:armv7l:Ambarella"),
        ("dhcp_vendor_class", "udhcp 1.19.4"),
        # invented: a z/OS version-release, an OS name, a serial, a Wi-Fi standard, a build number
        ("ftp_banner", "220-IBM FTP CS V2R3 at host.example, 10:00:00 on 2020-01-01."),
        ("ftp_banner", "220 host FTP server (Compaq Tru64 UNIX Version 5.60) ready."),
        ("snmp_sysdescr", "Avaya Wireless SN-01AB23456789 v2.0.10"),
        ("snmp_sysdescr", "3Com Wireless 11n Cable/DSL Firewall Router"),
        ("snmp_sysdescr", "VMware ESXi 6.7.0 build-8169922 VMware, Inc. x86_64"),
        # invented: a banner's host name that an IEEE registrant happens to share is not read (listed makers only)
        ("ftp_banner", "220 quuxcam-7 FTP server ready"),
        ("http_server", "Apache/2.4.41 (Ubuntu)"),  # invented: software, not a maker
        ("http_server", "Microsoft-IIS/10.0"),  # invented
        ("http_server", "lighttpd/1.4.59"),  # invented
        # review of issue 11, found by running the rule over nmap-os-db's fingerprint names and the signatures' own
        # examples: a hex identifier (a Jetdirect certificate's CN ends with its MAC's last 8 hex digits), a service
        # pack, a tape and a serial-port standard are no models
        ("snmp_sysdescr", "IBM AIX 5.3 SP4"),  # nmap-os-db fingerprint name, read as a sysDescr
        (
            "ftp_banner",
            "220 host FTP Service (IBM Domino Release 9.0.1FP8 HF475) ready",
        ),  # invented, after Recog's SMTP example: a hotfix after a version
        ("snmp_sysdescr", "IBM AIX 5.2 on Power5"),  # nmap-os-db (as above): a processor
        ("snmp_sysdescr", "Apple A/UX 3.1.1 SVR2"),  # nmap-os-db (as above): a System V release
        ("snmp_sysdescr", "Dell PowerVault 124T LTO-3 tape autoloader"),  # nmap-os-db (as above)
        (
            "snmp_sysdescr",
            "Rockwell Automation 1761-NET-ENI Ethernet-to-RS-232-C interface module",
        ),  # nmap-os-db (as above)
    ],
)
def test_wrong_tokens_are_not_models(engine, kind, value):
    _ident, used = _rule(engine, kind, value)
    assert used == []  # (a signature may still read some of them: Recog's 3Com and Cisco fingerprints do)
    # the rule itself, not only the engine's answer: where a signature states a model the rule is silent anyway, so
    # without this the case could not fail
    assert engine.model_in_text(kind, value) is None


def test_a_stated_model_wins_and_the_rule_adds_nothing(engine):
    # invented: ONVIF states the model; the title's token is not read
    obs = [
        Observation(
            "onvif_device_info", {"manufacturer": "Quux", "model": "QX-100", "firmware_version": "1.0"}
        ),
        Observation("html_title", "Sony SNC-EB600"),
    ]
    ident = engine.identify(obs)
    assert ident.model == "QX-100"
    assert not [ev for ev in ident.evidence if ev.signature.startswith(MODEL_WORDS + ".")]


def test_a_maker_other_evidence_contradicts_gives_no_model(engine):
    # invented: the device's own UPnP description names Axis; a title naming Sony and a model is not read
    obs = [
        Observation("upnp_device", {"manufacturer": "AXIS", "friendlyName": "lobby"}),
        Observation("html_title", "Sony SNC-EB600"),
    ]
    ident = engine.identify(obs)
    assert not ident.model


def test_a_stated_firmware_wins(engine):
    # invented: ONVIF states the firmware; the sysDescr's version is not a second firmware
    obs = [
        Observation("onvif_device_info", {"manufacturer": "Lexmark", "firmware_version": "9.9.9"}),
        Observation("snmp_sysdescr", "Lexmark T620  Version 5.20.26  FaxSCSI-Ethernet."),
    ]
    ident = engine.identify(obs)
    assert ident.firmware == "9.9.9"
    assert ident.model == "T620"


def test_a_model_read_from_free_text_never_makes_a_camera(engine):
    # invented: a camera maker's name and a camera model in a title, nothing else: a model, not a type
    ident, used = _rule(engine, "html_title", "Hikvision DS-2CD2042WD-I")
    assert used and ident.model == "DS-2CD2042WD-I"
    assert ident.device_type is None and not ident.is_camera


def test_a_text_naming_two_makers_gives_no_model(engine):
    _ident, used = _rule(engine, "html_title", "Sony KDL-55W800B by Samsung")  # invented
    assert used == []


@pytest.mark.parametrize(
    ("kind", "value", "device_type"),
    [
        ("snmp_sysdescr", "Dlink DES-3018 Fast Ethernet Switch", "switch"),  # dico.pm
        ("snmp_sysdescr", "Allied Telesyn Ethernet Switch AT-8524M - ATS62 v1.4.0", "switch"),  # dico.pm
        ("snmp_sysdescr", "HP LaserJet M3027 MFP", "multifunction"),  # dico.pm
        (
            "snmp_sysdescr",
            "ZyXEL ZW-100 Firewall Router",
            "router",
        ),  # invented: the last class noun is the head
        ("ftp_banner", "220 Xerox ColorQube-8900 Print Server ready", "print_server"),  # invented
        (
            "snmp_sysdescr",
            "ZyXEL Ethernet Switch",
            "switch",
        ),  # invented: no model-shaped token, the class alone
        (
            "snmp_sysdescr",
            "Dell Out-of-band SNMP Agent for Remote Access Controller",
            "lights_out_management",
        ),  # Recog's form: a phrase before its words
        # invented: no known maker, no class from this rule (the kind-words reader types it: docs/identify.md)
        ("ftp_banner", "220 Quux Door Controller", None),
        (
            "snmp_sysdescr",
            "APC Switched Rack PDU (MB:v9.9.9 PF:v9.9.9)",
            "pdu",
        ),  # invented, in APC's sysDescr form
        # invented: a WLAN controller is a "Wireless Access Controller" (Huawei's AC65xx product name), not a door's
        ("snmp_sysdescr", "Huawei AC9999 Wireless Access Controller", "controller"),
        ("snmp_sysdescr", "ZyXEL ZW-100 Door Access Controller", "access_control"),  # invented
    ],
)
def test_the_class_a_description_names_types_the_device(engine, kind, value, device_type):
    ident, _used = _rule(engine, kind, value)
    classes = [ev for ev in ident.evidence if ev.signature == f"{MODEL_WORDS}.{kind}.class"]
    assert [ev.asserts["device_type"] for ev in classes] == ([device_type] if device_type else [])
    assert all(ev.weight < 0.5 for ev in classes)
    if device_type is not None:
        assert ident.device_type == device_type
    else:  # what types it then is the kind named in the text (kind_words.yaml), never this rule
        assert all(
            ev.signature.startswith(KIND_WORDS) for ev in ident.evidence if "device_type" in ev.asserts
        )


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (
            "html_title",
            "Sony SNC-EB600 Network Camera",
        ),  # invented: camera words never type through this rule
        ("snmp_sysdescr", "ZyXEL ZW-100 Network Video Recorder"),  # invented
        ("snmp_sysdescr", "Quux Ethernet Switch"),  # invented: no known maker, no class
        ("snmp_sysdescr", "ZyXEL ZW-100, Switch"),  # invented: the class is in another clause
    ],
)
def test_no_class_without_a_maker_and_never_a_camera(engine, kind, value):
    ident, _used = _rule(engine, kind, value)
    assert not [ev for ev in ident.evidence if ev.signature.endswith(".class")]
    # a camera word types the device only through the kind-words reader (kind_words.yaml), never through this rule
    assert all(ev.signature.startswith(KIND_WORDS) for ev in ident.evidence if "device_type" in ev.asserts)


def test_a_signatures_type_wins_over_the_class(engine):
    # dico.pm: Recog's Brother fingerprint types it; the rule adds no type of its own
    ident, _used = _rule(
        engine, "snmp_sysdescr", "Brother NC-6500h, Firmware Ver.1.09 (07.11.28),MID 84E-101"
    )
    assert not [ev for ev in ident.evidence if ev.signature.endswith(".class")]


def test_every_class_is_a_vocabulary_word(engine):
    vocabulary = engine.knowledge.device_types
    for phrase, word in engine.maker_words.models.classes.items():
        assert vocabulary.canonical(word) == word, phrase
        assert word not in ("camera", "nvr", "dvr", "encoder"), phrase


def test_an_imported_nmap_product_names_the_model(engine):
    # nmap 7.93 nmap-service-probes: p/QNAP TS-419P+ NAS http config/ (d/storage-misc/), as `nmap -sV` reports it
    obs = Observation(
        "nmap_service",
        {
            "port": 80,
            "proto": "tcp",
            "name": "http",
            "product": "QNAP TS-419P+ NAS http config",
            "version": "",
            "extrainfo": "",
            "devicetype": "",
            "hostname": "",
            "cpe": "",
        },
    )
    ident = engine.identify([obs])
    assert ident.model == "TS-419P+"


def test_upnp_model_number_stands_in_for_a_placeholder_model_name(engine):
    # invented: modelName is a family ("Network Camera", a placeholder), modelNumber the model
    obs = Observation(
        "upnp_device", {"manufacturer": "Panasonic", "modelName": "Network Camera", "modelNumber": "WV-Q9999"}
    )
    assert engine.identify([obs]).model == "WV-Q9999"
    # invented: a version in modelNumber is not a model
    obs = Observation("upnp_device", {"manufacturer": "Belkin", "modelName": "Socket", "modelNumber": "1.0"})
    assert engine.identify([obs]).model == "Socket"


def test_a_certificate_subject_names_the_model(engine):
    # invented: a device's own certificate; O= names the label (generic.tls_subject.organisation), CN the model
    ident = engine.identify([Observation("tls_subject", "C=SE, O=Axis Communications AB, CN=AXIS Q9999-Z")])
    assert ident.model == "Q9999-Z"


def test_a_model_read_from_text_alone_names_no_maker_by_its_numbering(engine):
    # invented: a numbering only Hikvision uses, read from a certificate CN that nothing else backs: a model, and the
    # text's maker is not turned into a camera through the model's product line
    ident = engine.identify([Observation("tls_subject", "CN=Hikvision DS-2CD2042WD-I")])
    assert ident.model == "DS-2CD2042WD-I"
    assert not ident.is_camera


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("Brother HL-L9999DW series", "HL-L9999DW"),  # invented, in the form printers announce themselves
        ("HP LaserJet 400 M499dn (9A1B2C)", "M499dn"),  # invented
        ("Philips hue - 1A2B3C", None),  # invented: the MAC suffix after " - " is no model
        ("Kitchen printer", None),  # invented: a name the user chose names no maker
    ],
)
def test_a_dns_sd_instance_name_names_the_model(engine, name, model):
    ident = engine.identify([Observation("mdns", {"name": name, "type": "_ipp._tcp", "txt": []})])
    assert ident.model == model


def test_an_onvif_name_scope_names_the_model_after_the_brand(engine):
    # invented: ONVIF Core Specification name scope "<brand> <model>", percent-encoded
    ident = engine.identify([Observation("onvif_scopes", ["onvif://www.onvif.org/name/AXIS%20Q9999-LE"])])
    assert ident.model == "Q9999-LE"
    ident = engine.identify([Observation("onvif_scopes", ["onvif://www.onvif.org/name/IPCAM"])])
    assert not ident.model


def test_an_rtsp_realm_names_the_model(engine):
    ident, used = _rule(
        engine, "rtsp_www_authenticate", 'Digest realm="ZyXEL NBG6604", nonce="0123456789abcdef"'
    )  # invented
    assert used and ident.model == "NBG6604"


@pytest.mark.parametrize(
    ("kind", "value", "model"),
    [
        ("snmp_sysdescr", "KONICA MINOLTA 250", "250"),  # dico.pm
        ("nmap_service", "Quux 4300 video encoder ftpd", None),  # invented: Quux is no listed maker
        ("snmp_sysdescr", "ZyXEL 2019 Annual Edition", None),  # invented: a year is no model
        ("snmp_sysdescr", "ZyXEL Switch 4210 PWR", None),  # invented: a bare number later than the first word
        # invented: counting digits and zeros are what test recordings and templates put where a number goes (a
        # LibreNMS recording of an Axis document server puts 1234 there; its dev case gives no model)
        ("snmp_sysdescr", "Canon 1234 Printer", None),
        ("snmp_sysdescr", "ZyXEL 12345 Switch", None),
        ("snmp_sysdescr", "ZyXEL 0000 Switch", None),
        ("snmp_sysdescr", "ZyXEL 1240 Switch", "1240"),  # invented: not a counting run
    ],
)
def test_a_bare_number_is_a_model_only_right_after_the_maker(engine, kind, value, model):
    got = engine.model_in_text(kind, value)
    assert (got[1] if got else None) == model


def test_a_hex_identifier_after_the_makers_name_is_no_model(engine):
    # invented, the layout of an HP Jetdirect certificate's CN ("HP Jetdirect " + its MAC's last 8 hex digits); read
    # directly, since a signature states the model of the real one
    assert engine.model_in_text("tls_subject", "HP Jetdirect FA1B2C3D") is None
    assert engine.model_in_text("mdns", "HP Jetdirect FA1B2C3D (printer)") is None
