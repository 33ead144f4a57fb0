"""Precedence of sources, per field: which statement a device made counts most.

A vendor API or authenticated device info outranks ONVIF GetDeviceInformation, which outranks vendor discovery,
then ONVIF scopes, then banners, then the MAC's OUI (DESIGN.md §11). A signature may name its own tier where its
kind's default is wrong (a generic body match is a banner even on a vendor path).
"""

from __future__ import annotations

TIERS: dict[str, int] = {
    "inference": 0,
    "oui": 1,
    "banner": 2,
    "scopes": 3,
    "discovery": 4,
    "device_info": 5,
    "vendor_api": 6,
}

#: The default tier of each observation kind.
KIND_TIER: dict[str, int] = {
    "mac": TIERS["oui"],
    "http_server": TIERS["banner"],
    "http_www_authenticate": TIERS["banner"],
    "html_title": TIERS["banner"],
    "http_body": TIERS["banner"],
    "rtsp_server": TIERS["banner"],
    "rtsp_www_authenticate": TIERS["banner"],
    "sdp": TIERS["banner"],
    "upnp_server": TIERS["banner"],
    "ftp_banner": TIERS["banner"],
    "telnet_banner": TIERS["banner"],
    "ssh_banner": TIERS["banner"],
    "tls_subject": TIERS["banner"],
    "dhcp_vendor_class": TIERS["banner"],
    "dhcp_hostname": TIERS["banner"],
    "nmap_service": TIERS["banner"],
    "mdns": TIERS["scopes"],
    "onvif_scopes": TIERS["scopes"],
    "vendor_discovery": TIERS["discovery"],
    "snmp_sysdescr": TIERS["discovery"],
    "upnp_device": TIERS["discovery"],
    "onvif_device_info": TIERS["device_info"],
    "recorder_channel": TIERS["device_info"],  # what a recorder reports of a camera it records (issue 14)
    "http_path": TIERS["vendor_api"],
}


def tier_of(kind: str, override: str | None = None) -> int:
    if override is not None:
        return TIERS[override]
    return KIND_TIER.get(kind, TIERS["banner"])
