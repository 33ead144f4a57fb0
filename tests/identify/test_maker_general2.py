"""Naming the maker generally, second round (issue 11 items 1 and 4): rules for a field family, not per company.

- placeholder MACs (all zeros, broadcast, counting defaults, the zero block 00:00:00) name no maker and are kept
  in the evidence as placeholders; a real block of the same registrant still names it;
- a certificate subject typed or imported in any usual printed form (RFC 4514, OpenSSL's oneline, compat and
  `-text` forms, `subject=` labels, nmap's `commonName=…/…`) is read as the scanner's own RFC 4514 form.

Values are invented (marked) unless a source is named; none is a corpus value.
"""

from __future__ import annotations

import pytest

from camscan.identify import oui
from camscan.identify.engine import PLACEHOLDER_MAC
from camscan.model import Observation
from camscan.parse.tls import canonical_name, canonical_subject


def ident(engine, *obs: tuple[str, object]):
    return engine.identify([Observation(kind, value) for kind, value in obs])


# --- placeholder MACs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mac",
    [
        "00:00:00:00:00:00",  # an erased store (Linux is_zero_ether_addr)
        "ff:ff:ff:ff:ff:ff",  # broadcast (Linux is_broadcast_ether_addr)
        "00:11:22:33:44:55",  # a wifi driver's default (CreatorDev/openwrt-old pull 153)
        "00:02:03:04:05:06",  # every radio of a board's batch (LibreRouterOrg/board issue 20)
        "00:01:02:03:04:05",  # invented, marked: the same counting shape
        "12:34:56:78:9a:bc",  # invented, marked: a run of digits
        "00:00:00:00:00:01",  # invented, marked: the zero block (Xerox's 00-00-00), an address never written
        "00:00:00:1a:2b:3c",  # invented, marked
        "0000.0000.0001",  # invented, marked: Cisco's dotted form
    ],
)
def test_placeholder_macs_name_no_maker(engine, mac):
    assert oui.placeholder_mac(mac)
    assert oui.lookup(mac) is None
    got = ident(engine, ("mac", mac))
    assert got.manufacturer is None and got.brand is None
    ev = [e for e in got.evidence if e.signature == PLACEHOLDER_MAC]
    assert ev and ev[0].ignored == {"mac": mac} and "placeholder MAC" in (ev[0].note or "")


@pytest.mark.parametrize(
    ("mac", "maker"),
    [
        (
            "00:00:aa:12:34:56",
            "Xerox",
        ),  # look-alike: Xerox's real block 00:00:AA (IEEE MA-L), invented host part
        ("58:50:ed:1f:e3:85", "Hikvision"),  # a SADP reply (Haicam/Haicam@307e0a37 golang/discovery.go)
    ],
)
def test_real_blocks_still_name_their_maker(engine, mac, maker):
    assert oui.placeholder_mac(mac) is None
    got = ident(engine, ("mac", mac))
    assert got.manufacturer == maker
    assert not [e for e in got.evidence if e.signature == PLACEHOLDER_MAC]


@pytest.mark.parametrize(
    "mac",
    [
        "00:11:22:33:44:56",  # invented, marked: one digit off a counting default
        "9c:93:4e:01:02:03",  # invented, marked: a counting host part in a real block (Xerox's 9C:93:4E)
        "00:00:01:00:00:00",  # invented, marked: block 00:00:01, not the zero block
        "11:11:11:11:11:1a",  # invented, marked
    ],
)
def test_look_alikes_are_not_placeholders(mac):
    assert oui.placeholder_mac(mac) is None


def test_a_placeholder_mac_beside_a_stated_maker_changes_nothing(engine):
    # invented, marked: an ONVIF manufacturer scope beside the zero-block MAC
    got = ident(
        engine,
        ("mac", "00:00:00:00:00:01"),
        ("onvif_scopes", ["onvif://www.onvif.org/hardware/DS-2CD2042WD-I"]),
    )
    assert got.manufacturer != "Xerox"


# --- certificate subjects in any printed form ------------------------------------------------------------------

AXIS = (
    "CN=axis-accc8e012345,O=Axis Communications AB,C=SE"  # invented, marked: Axis' factory-certificate shape
)


@pytest.mark.parametrize(
    "printed",
    [
        AXIS,  # RFC 4514, as camscan's scanner writes it
        "CN=axis-accc8e012345, O=Axis Communications AB, C=SE",  # Windows/.NET/Java
        "C = SE, O = Axis Communications AB, CN = axis-accc8e012345",  # OpenSSL 1.1+ oneline
        "subject=C = SE, O = Axis Communications AB, CN = axis-accc8e012345",  # openssl x509 -subject
        "/C=SE/O=Axis Communications AB/CN=axis-accc8e012345",  # OpenSSL compat
        "subject= /C=SE/O=Axis Communications AB/CN=axis-accc8e012345",  # openssl 1.0 x509 -subject
        "Subject: C=SE, O=Axis Communications AB, CN=axis-accc8e012345",  # openssl 1.0 x509 -text
        "commonName=axis-accc8e012345/organizationName=Axis Communications AB/countryName=SE",  # nmap ssl-cert
        "countryName = SE, organizationName = Axis Communications AB, commonName = axis-accc8e012345",  # lname
    ],
)
def test_printed_subjects_read_as_the_scanners_form(engine, printed):
    assert canonical_subject(printed) == AXIS
    got = ident(engine, ("tls_subject", printed))
    assert got.manufacturer == "Axis" and got.serial == "accc8e012345"
    assert "axis.tls_subject.factory_cert" in {e.signature for e in got.evidence}


def test_issuer_lines_are_kept_as_issuer():
    printed = "subject=C = SE, O = Axis Communications AB, CN = cam\nissuer=C = SE, O = Axis Communications AB, CN = ca"
    assert canonical_subject(printed) == (
        "CN=cam,O=Axis Communications AB,C=SE\nissuer: CN=ca,O=Axis Communications AB,C=SE"
    )


def test_quoted_and_escaped_values():
    # invented, marked: OpenSSL quotes a value holding a comma; RFC 4514 escapes it
    printed = 'Subject: C=CN, O="Example Technology Co., Ltd.", CN=IPC'
    assert canonical_name(printed.removeprefix("Subject: ")) == "CN=IPC,O=Example Technology Co.\\, Ltd.,C=CN"
    assert canonical_subject(printed) == "CN=IPC,O=Example Technology Co.\\, Ltd.,C=CN"


@pytest.mark.parametrize(
    "value",
    [
        AXIS + "\nissuer: CN=Axis CA,O=Axis Communications AB,C=SE",  # the scanner's own value: unchanged
        "CN=HP Jetdirect abc123,OU=0123456789ab+OU=xyz,O=Hewlett-Packard Co.",  # invented, marked: multi-valued RDN
        "CN=TP-LINK CA,O=TP-LINK Technologies CO.\\, LTD.,C=CN",  # an escaped comma stays escaped
        "CN=a/b,O=x/y",  # invented, marked: a slash inside RFC 4514 values is no separator
        "not a certificate subject",  # free text: unchanged
        "CN=foo,DC=example,DC=com",  # RFC 4514 order already
    ],
)
def test_look_alikes_are_left_as_they_are(value):
    assert canonical_subject(value) == value


def test_x509_order_is_judged_by_width_not_by_form():
    # DC-first (X.509 order) is turned round; a compat name that starts with its CN is already most specific first
    assert canonical_name("DC=com, DC=example, CN=foo") == "CN=foo,DC=example,DC=com"
    assert canonical_name("/CN=x/O=a/b") == "CN=x,O=a/b"


# --- a company's later name, as the IEEE registry lists it ----------------------------------------------------


@pytest.mark.parametrize(
    ("mac", "maker"),
    [
        # registrant "FUJIFILM Business Innovation Corp." (Fuji Xerox, renamed 2021); host part invented
        ("08:00:37:12:34:56", "Fuji Xerox"),
        ("1c:7d:22:aa:bb:cc", "Fuji Xerox"),  # the same registrant's other block; host part invented
        # look-alike: FUJIFILM Corporation, another company; host part invented
        ("88:b4:36:12:34:56", "FUJIFILM"),
    ],
)
def test_a_renamed_company_is_one_maker(engine, mac, maker):
    assert ident(engine, ("mac", mac)).manufacturer == maker
