"""Vendor TCP ports: the Hikvision control port banner, XiongMai DVRIP, silent SDK ports, SSH banners."""

from __future__ import annotations

import json
import socket

import pytest

from camscan.lab import Lab

from .clients import dvrip, recv_dvrip, sofia
from .support import device


def test_sofia_hash_reference_value() -> None:
    assert sofia("") == "tlJwpbo6"  # the widely published hash of XiongMai's empty default password


def test_hikvision_control_port_banner(estate: Lab) -> None:
    with socket.create_connection((device(estate, "hikvision-camera")["ip"], 8000), timeout=3) as sock:
        assert sock.recv(64) == bytes.fromhex("000000100000001e0000001e00000000")


def test_dvrip_login_then_system_info(estate: Lab) -> None:
    d = device(estate, "xiongmai-camera")
    login = {"EncryptType": "MD5", "LoginType": "DVRIP-Web", "PassWord": sofia(d["credentials"]["password"]),
             "UserName": d["credentials"]["username"]}  # fmt: skip
    with socket.create_connection((d["ip"], 34567), timeout=3) as sock:
        sock.sendall(dvrip(1000, json.dumps(login).encode()))
        message, body = recv_dvrip(sock)
        reply = json.loads(body.rstrip(b"\x00\n"))
        assert message == 1001 and reply["Ret"] == 100
        assert "DeviceType " in reply  # the real firmware's key, trailing space and all
        sock.sendall(
            dvrip(1020, json.dumps({"Name": "SystemInfo", "SessionID": reply["SessionID"]}).encode(), 1)
        )
        message, body = recv_dvrip(sock)
        info = json.loads(body.rstrip(b"\x00\n"))["SystemInfo"]
        assert message == 1021
        assert info["SerialNo"] == d["truth"]["serial"]
        assert info["HardWare"] == d["truth"]["model"]
        assert info["SoftWareVersion"].startswith(d["truth"]["firmware"])
        sock.sendall(
            dvrip(1042, json.dumps({"Name": "NetWork.NetCommon", "SessionID": "0x00000001"}).encode(), 1)
        )
        message, body = recv_dvrip(sock)
        assert message == 1043 and json.loads(body.rstrip(b"\x00\n"))["NetWork.NetCommon"]["MAC"] == d["mac"]


def test_dvrip_wrong_password_is_refused(estate: Lab) -> None:
    d = device(estate, "xiongmai-camera")
    login = {"EncryptType": "MD5", "LoginType": "DVRIP-Web", "PassWord": sofia("guess"), "UserName": "admin"}
    with socket.create_connection((d["ip"], 34567), timeout=3) as sock:
        sock.sendall(dvrip(1000, json.dumps(login).encode()))
        _, body = recv_dvrip(sock)
        assert json.loads(body.rstrip(b"\x00\n"))["Ret"] == 203
        assert sock.recv(10) == b""  # the device hangs up


def test_dvrip_commands_before_login_are_dropped(estate: Lab) -> None:
    d = device(estate, "xiongmai-camera")
    with socket.create_connection((d["ip"], 34567), timeout=3) as sock:
        sock.sendall(dvrip(1020, b'{"Name": "SystemInfo"}'))
        assert sock.recv(10) == b""


@pytest.mark.parametrize(("profile", "port"), [("dahua-camera", 37777), ("xiongmai-camera", 12901)])
def test_silent_ports_accept_and_say_nothing(estate: Lab, profile: str, port: int) -> None:
    with socket.create_connection((device(estate, profile)["ip"], port), timeout=1) as sock:
        sock.settimeout(0.3)
        with pytest.raises(TimeoutError):
            sock.recv(10)


@pytest.mark.parametrize(
    ("profile", "banner"),
    [("linux-web-server", b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), ("router", b"SSH-2.0-ROSSSH\r\n")],
)
def test_ssh_banners(estate: Lab, profile: str, banner: bytes) -> None:
    with socket.create_connection((device(estate, profile)["ip"], 22), timeout=3) as sock:
        assert sock.recv(100) == banner
