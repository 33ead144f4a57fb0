"""A UniFi OS console running UniFi Protect (issue 14), on the lab: the cameras it adopted, read with the console's
credentials through a session login (HTTPS, `POST /api/auth/login`, then `GET /proxy/protect/api/cameras`). Two
of its cameras are ONVIF cameras of other makers that the scan also reaches directly (the lab's hikvision-camera
and dahua-camera): they must be counted once. Without credentials the console is still identified (from its web
UI, /api/system and the 401 of /proxy/protect/api) and says its cameras could not be listed; with wrong ones, that
they were refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from camscan.lab import Lab

from .support import credentials_file, scan, target_range, writes

BASE = "127.152.0.1"
PROFILES = ["unifi-console", "hikvision-camera", "dahua-camera"]
PASSWORD = "camscan-lab-unifi"  # the console's password in the lab profile: never stored
STREAM_ALIAS = "labRtspAlias0"  # the RTSP aliases Protect lists for each camera: never stored


@pytest.fixture(scope="module")
def lab(loopback_lab_ok: None) -> Iterator[Lab]:
    with Lab(profiles=PROFILES, base=BASE, outside_host="127.152.254.1") as lab:
        yield lab


def console(lab: Lab) -> dict[str, Any]:
    (found,) = [d for d in lab.devices if d["name"].startswith("unifi-console")]
    return found


def run(lab: Lab, tmp: Path, credentials: str) -> tuple[dict[str, Any], Path, list[dict[str, Any]]]:
    db = tmp / "inventory.db"
    args = [target_range(lab), "--db", str(db), "--timeout", "2"]
    if credentials != "none":
        path = credentials_file(lab, tmp / "credentials.yaml")
        if credentials == "wrong":
            entries = yaml.safe_load(path.read_text())
            for entry in entries:
                if entry["targets"] == console(lab)["ip"]:
                    entry["password"] = "not-the-password"
            path.write_text(yaml.safe_dump(entries))
        args += ["--credentials", str(path)]
    lab.clear_requests()
    result, summary = scan(*args)
    assert result.returncode == 0, result.stderr
    assert writes(lab) == []
    requests = [r for r in lab.requests if r["ip"] == console(lab)["ip"]]
    return summary, db, requests


@pytest.fixture(scope="module")
def with_credentials(lab: Lab, tmp_path_factory: pytest.TempPathFactory):
    return run(lab, tmp_path_factory.mktemp("unifi-credentials"), "given")


@pytest.fixture(scope="module")
def without_credentials(lab: Lab, tmp_path_factory: pytest.TempPathFactory):
    return run(lab, tmp_path_factory.mktemp("unifi-anonymous"), "none")


def test_every_adopted_camera_is_in_the_inventory_once(lab: Lab, with_credentials) -> None:
    summary, _db, _requests = with_credentials
    devices = summary["devices"]
    truth = console(lab)["truth"]
    (stored,) = [d for d in devices if d["ip"] == console(lab)["ip"]]
    assert (stored["manufacturer"], stored["model"], stored["device_type"]) == ("Ubiquiti", "UNVR", "nvr")
    assert stored["recorder"]["listed"] is True and stored["recorder"]["api"] == "unifi_protect"
    children = {d["channel"]: d for d in devices if d["parent"] == stored["key"]}
    assert sorted(children) == sorted(int(c) for c in truth["behind"])  # the unadopted camera is not one
    for channel, want in truth["behind"].items():
        got = children[int(channel)]
        assert "via_nvr" in got["discovered_by"] and got["is_camera"]
        assert (got["mac"], got["channel_status"]) == (want["mac"], want["status"]), channel
        if "also" in want:  # an ONVIF camera of another maker, also reached directly: the same device
            (direct,) = [d for d in lab.devices if d["name"].startswith(want["also"])]
            assert got["ip"] == direct["ip"]
            assert got["manufacturer"] == direct["truth"]["manufacturer"]  # its own identity, not Ubiquiti
        else:
            assert got["ip"] is None
            for field in ("manufacturer", "model", "firmware"):
                assert got[field] == want[field], (channel, field)
    # the console, its six cameras, and nothing else: the two cameras reached directly are counted once
    assert len(devices) == 1 + len(truth["behind"])


def test_only_the_login_is_posted_and_nothing_secret_is_kept(with_credentials) -> None:
    _summary, db, requests = with_credentials
    posts = [(r["method"], r["path"]) for r in requests if r["method"] not in ("GET", "HEAD")]
    # the login, and the ONVIF device-service probe every web port gets (a read)
    assert ("POST", "/api/auth/login") in posts
    assert all(path in ("/api/auth/login", "/onvif/device_service") for _method, path in posts)
    assert ("GET", "/proxy/protect/api/cameras") in [(r["method"], r["path"]) for r in requests]
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cookies = [r[0] for r in conn.execute("SELECT value FROM observations WHERE value LIKE '%TOKEN=%'")]
    data = db.read_bytes()
    assert PASSWORD.encode() not in data and STREAM_ALIAS.encode() not in data
    assert cookies == []  # neither the session cookie nor its name=value pair


def test_without_credentials_the_console_is_identified_and_says_nothing_was_listed(
    lab: Lab, without_credentials
):
    summary, _db, requests = without_credentials
    devices = summary["devices"]
    assert not any("via_nvr" in d["discovered_by"] for d in devices)
    (stored,) = [d for d in devices if d["ip"] == console(lab)["ip"]]
    assert (stored["manufacturer"], stored["model"], stored["device_type"]) == ("Ubiquiti", "UNVR", "nvr")
    assert stored["recorder"]["listed"] is False and "no credentials" in stored["recorder"]["note"]
    assert not any(r["path"] == "/api/auth/login" for r in requests)  # no login without credentials


def test_refused_credentials_are_reported(lab: Lab, tmp_path: Path) -> None:
    summary, db, requests = run(lab, tmp_path, "wrong")
    (stored,) = [d for d in summary["devices"] if d["ip"] == console(lab)["ip"]]
    assert stored["recorder"]["listed"] is False and "refused" in stored["recorder"]["note"]
    assert not any(r["path"] == "/proxy/protect/api/cameras" for r in requests)
    assert b"not-the-password" not in db.read_bytes()


def test_the_session_cookie_is_taken_from_the_login_answer_only_by_its_known_names() -> None:
    from camscan.probe.unifi import session_cookie

    assert session_cookie(["TOKEN=abc.def; path=/; samesite=strict; secure; httponly"]) == "TOKEN=abc.def"
    assert session_cookie(["other=1; path=/", "UOS_TOKEN=xyz; path=/"]) == "UOS_TOKEN=xyz"  # newer UniFi OS
    assert session_cookie(["TOKEN=; path=/"]) is None
    assert session_cookie(["SESSIONID=abc; path=/"]) is None


def test_the_lab_console_guards_protect_with_the_session(lab: Lab) -> None:
    """The lab's session scheme behaves as the public clients describe UniFi OS: no session, no Protect; a wrong
    password gets no cookie; the right one a TOKEN cookie and an X-CSRF-Token, which then open the camera list."""
    import http.client
    import json
    import ssl

    ip = console(lab)["ip"]
    context = ssl._create_unverified_context()  # the lab's certificate is self-signed

    def request(method: str, path: str, body: dict[str, str] | None = None, cookie: str = ""):
        conn = http.client.HTTPSConnection(ip, 443, context=context, timeout=5)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if cookie:
            headers["Cookie"] = cookie
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response, data

    assert request("GET", "/proxy/protect/api/cameras", cookie="TOKEN=forged")[0].status == 401
    refused, _ = request("POST", "/api/auth/login", {"username": "camscan-viewer", "password": "wrong"})
    assert refused.status == 401 and refused.getheader("Set-Cookie") is None
    accepted, _ = request("POST", "/api/auth/login", {"username": "camscan-viewer", "password": PASSWORD})
    assert accepted.status == 200 and accepted.getheader("X-CSRF-Token")
    cookie = accepted.getheader("Set-Cookie").split(";", 1)[0]
    assert cookie.startswith("TOKEN=")
    listed, data = request("GET", "/proxy/protect/api/cameras", cookie=cookie)
    assert listed.status == 200 and len(json.loads(data)) == 7
