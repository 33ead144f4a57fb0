"""`camscan import-nmap`: nmap XML (real and hand-written) through the one identification path."""

from __future__ import annotations

import json
import shutil
import socket
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.importers.nmap_xml import fingerprint_responses, response_facts, unescape_fingerprint
from camscan.parse.xmlsafe import DECLARATIONS_REFUSED
from camscan.store import Store
from tests.conftest import FIXTURES, run_camscan

CAMERAS_XML = FIXTURES / "nmap" / "cameras.xml"


def import_nmap(db: Path, *files: Path | str, args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return run_camscan("import-nmap", *map(str, files), "--db", str(db), *args)


def devices(db: Path) -> dict[str, dict[str, Any]]:
    with Store.open(db) as store:
        return {d["ip"]: d for d in store.devices()}


def test_camera_products_are_identified(tmp_path):
    db = tmp_path / "inv.db"
    r = import_nmap(db, CAMERAS_XML, args=("--site", "lab", "--json"))
    assert r.returncode == 0, r.stderr
    (result,) = json.loads(r.stdout)
    assert result["status"] == "complete"
    assert (result["hosts"], result["devices"]) == (8, 8)  # the host that is down is skipped
    assert result["nmap"]["version"] == "7.93"
    found = devices(db)
    assert (
        found["10.20.0.10"]["manufacturer"] == "Hikvision" and found["10.20.0.10"]["device_type"] == "camera"
    )
    assert "ndaa-s889" in found["10.20.0.10"]["concerns"]
    assert found["10.20.0.11"]["manufacturer"] == "Dahua"
    axis = found["10.20.0.12"]
    assert (axis["manufacturer"], axis["model"], axis["device_type"]) == ("Axis", "P1346", "camera")
    assert found["10.20.0.13"]["manufacturer"] == "Hikvision"  # from the Server: header inside servicefp
    assert (found["10.20.0.14"]["brand"], found["10.20.0.14"]["manufacturer"]) == ("Sony", "Sony")
    assert found["10.20.0.15"]["manufacturer"] == "XiongMai"
    assert found["10.20.0.18"]["brand"] == "Lorex"
    assert found["10.20.0.16"]["manufacturer"] is None and found["10.20.0.16"]["mac"] == "02:00:00:20:00:16"
    assert "10.20.0.17" not in found
    assert all(d["discovered_by"] == ["nmap"] and d["site"] == "lab" for d in found.values())
    with Store.open(db) as store:
        (scan,) = store.scans()
        assert (scan["kind"], scan["status"], json.loads(scan["files"])) == (
            "nmap",
            "complete",
            ["cameras.xml"],
        )
        assert json.loads(scan["details"])["args"].startswith("nmap -sV")
        kinds = {r["kind"] for r in store.db.query("SELECT kind FROM observations WHERE ip = '10.20.0.12'")}
        assert kinds == {"nmap_service", "tls_subject"}
        tls = store.db.execute("SELECT value FROM observations WHERE kind = 'tls_subject'").fetchone()[0]
        assert tls == "CN=axis-00408c202012,O=Axis Communications AB"
        ports = {r[0] for r in store.db.execute("SELECT port FROM services WHERE ip = '10.20.0.10'")}
        assert ports == {80, 554, 8000}
    # the imported estate feeds every report
    r = run_camscan("check", "--db", str(db), "--fail-on", "unknown")
    assert r.returncode == 1
    assert "10.20.0.16" in r.stdout and "port 554/tcp (rtsp)" in r.stdout


def test_same_identity_as_the_identify_command(tmp_path):
    """Evidence from nmap goes through the same engine: the nmap_service observation alone gives the same
    answer as `camscan identify`."""
    db = tmp_path / "inv.db"
    assert import_nmap(db, CAMERAS_XML).returncode == 0
    with Store.open(db) as store:
        value = store.db.execute(
            "SELECT value FROM observations WHERE ip = '10.20.0.11' AND kind = 'nmap_service' AND port = 554"
        ).fetchone()[0]
    r = run_camscan("identify", input=json.dumps({"kind": "nmap_service", "value": json.loads(value)}) + "\n")
    ident = json.loads(r.stdout)
    assert (ident["manufacturer"], ident["device_type"]) == ("Dahua", "camera")
    assert ident["evidence"][0]["signature"] == "dahua.nmap_service.camera"


def test_truncated_file_keeps_hosts_before_the_damage(tmp_path):
    text = CAMERAS_XML.read_text(encoding="utf-8")
    cut = text.index('<address addr="10.20.0.14"')  # inside the fifth host
    damaged = tmp_path / "cut.xml"
    damaged.write_text(text[:cut], encoding="utf-8")
    db = tmp_path / "inv.db"
    r = import_nmap(db, damaged)
    assert r.returncode == 3
    assert "XML damaged" in r.stderr and "4 hosts before it were imported" in r.stderr
    assert set(devices(db)) == {"10.20.0.10", "10.20.0.11", "10.20.0.12", "10.20.0.13"}
    with Store.open(db) as store:
        (scan,) = store.scans()
        assert scan["status"] == "interrupted" and scan["errors"] == 1
    # a partial scan is never the default for diff
    assert run_camscan("diff", "--db", str(db)).returncode == 2


def test_not_nmap_xml_is_a_usage_error_and_stores_nothing(tmp_path):
    db = tmp_path / "inv.db"
    other = tmp_path / "other.xml"
    other.write_text("<?xml version='1.0'?><report><host/></report>", encoding="utf-8")
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"\x00\x01 not xml at all")
    for path, message in (
        (other, "not an nmap XML file (root element <report>"),
        (garbage, "not an nmap XML file"),
        (tmp_path / "missing.xml", "no such file"),
    ):
        r = import_nmap(db, path)
        assert r.returncode == 2, r.stderr
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    with Store.open(db) as store:
        assert store.scans() == []


def test_several_files_one_bad_is_partial(tmp_path):
    db = tmp_path / "inv.db"
    bad = tmp_path / "bad.xml"
    bad.write_text("<notnmap/>", encoding="utf-8")
    r = import_nmap(db, CAMERAS_XML, bad, args=("--json",))
    assert r.returncode == 3
    results = json.loads(r.stdout)
    assert [x["status"] for x in results] == ["complete", "not imported"]
    assert len(devices(db)) == 8


#: An nmap-shaped file with a DTD: an entity bomb (internal entities) and an external entity, used in an attribute.
BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE nmaprun [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">{external}]>\n'
    '<nmaprun scanner="nmap" args="nmap" start="1" version="7.93"><host><status state="up"/>'
    '<address addr="10.9.9.9" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open"/>'
    '<service name="http" product="&c;{use}"/></port></ports></host></nmaprun>'
)
DECLARING_FILES = {
    "internal-and-external": BOMB.format(external='<!ENTITY x SYSTEM "file:///etc/hostname">', use="&x;"),
    "internal-only": BOMB.format(external="", use=""),
    "external-only": BOMB.replace("&c;", "").format(
        external='<!ENTITY x SYSTEM "file:///etc/hostname">', use="&x;"
    ),
    "external-dtd": '<?xml version="1.0"?>\n<!DOCTYPE nmaprun SYSTEM "file:///etc/hostname">\n'
    '<nmaprun scanner="nmap" start="1"></nmaprun>',
}


@pytest.mark.parametrize("text", DECLARING_FILES.values(), ids=DECLARING_FILES.keys())
def test_entities_are_not_expanded(tmp_path, text):
    """Refused before lxml reads the file, with the one message, whichever lxml release pip installed."""
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(text, encoding="utf-8")
    db = tmp_path / "inv.db"
    r = import_nmap(db, bomb)
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: {bomb}: {DECLARATIONS_REFUSED}"
    with Store.open(db) as store:
        assert store.scans() == []
        assert store.db.execute("SELECT count(*) FROM observations").fetchone()[0] == 0


def test_fingerprint_parsing():
    fp = (
        'SF-Port80-TCP:V=7.93%I=7%r(GetRequest,50,"HTTP/1\\.1\\x20200\\x20OK\\r\\nServer:\\x20Dahua\\x20Rtsp'
        '\\r\\n\\r\\n<title>Web\\x20Service</title>")%r(RTSPRequest,40,"RTSP/1\\.0\\x20200\\x20OK\\r\\nServer:'
        '\\x20HiIpcam/V100R003\\x20VodServer/1\\.0\\.0\\r\\n\\r\\n");'
    )
    responses = fingerprint_responses(fp)
    assert responses[0].startswith("HTTP/1.1 200 OK\r\nServer: Dahua Rtsp\r\n")
    assert response_facts(responses[0]) == [("http_server", "Dahua Rtsp"), ("html_title", "Web Service")]
    assert response_facts(responses[1]) == [("rtsp_server", "HiIpcam/V100R003 VodServer/1.0.0")]
    assert unescape_fingerprint('a\\"b\\\\c\\x41') == 'a"b\\cA'
    assert response_facts("SSH-2.0-OpenSSH\r\n") == []


# -- a real nmap run against services on the loopback network -----------------------------------------

HTTP_REPLY = (
    b"HTTP/1.0 200 OK\r\nDate: Sun, 22 Nov 2026 01:00:00 GMT\r\nServer: App-webs/\r\nContent-Type: text/html\r\n"
    b"Content-Length: 58\r\nConnection: close\r\n\r\n<html><head><title>Hikvision Web</title></head><body/></html>"
)
RTSP_REPLY = (
    b"RTSP/1.0 405 Method Not Allowed\r\nServer: Dahua Rtsp Server\r\nContent-Length: 0\r\nCSeq: 0\r\n\r\n"
)


class _Reply(socketserver.BaseRequestHandler):
    reply = b""

    def handle(self) -> None:
        self.request.settimeout(5)
        try:
            self.request.recv(4096)
            self.request.sendall(self.reply)
        except OSError:
            pass


def _serve(host: str, reply: bytes) -> socketserver.ThreadingTCPServer:
    handler = type("Handler", (_Reply,), {"reply": reply})
    server = socketserver.ThreadingTCPServer((host, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def loopback_cameras() -> Iterator[dict[str, int]]:
    """An HTTP server answering like a Hikvision camera and an RTSP server answering like a Dahua camera."""
    servers = [_serve("127.77.0.2", HTTP_REPLY), _serve("127.77.0.3", RTSP_REPLY)]
    try:
        yield {"127.77.0.2": servers[0].server_address[1], "127.77.0.3": servers[1].server_address[1]}
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs nmap")
def test_real_nmap_xml(tmp_path, loopback_cameras):
    xml = tmp_path / "scan.xml"
    ports = ",".join(str(p) for p in sorted(set(loopback_cameras.values())))
    targets = sorted(loopback_cameras)
    assert all(t.startswith("127.") for t in targets)  # loopback only
    cmd = ["nmap", "-sV", "--version-intensity", "5", "-Pn", "-n", "-p", ports,
           "--script", "http-server-header,http-title", "-oX", str(xml), *targets]  # fmt: skip
    if not _can_raw_scan():
        cmd.insert(1, "-sT")
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    db = tmp_path / "inv.db"
    r = import_nmap(db, xml, args=("--json",))
    assert r.returncode == 0, r.stderr
    found = devices(db)
    assert found["127.77.0.2"]["manufacturer"] == "Hikvision"
    assert found["127.77.0.3"]["manufacturer"] == "Dahua"
    with Store.open(db) as store:
        kinds = {(row[0], row[1]) for row in store.db.execute("SELECT ip, kind FROM observations")}
        sigs = [e["signature"] for e in json.loads(store.db.execute(
            "SELECT evidence FROM devices WHERE ip = '127.77.0.2'").fetchone()[0])]  # fmt: skip
    assert ("127.77.0.2", "nmap_service") in kinds and ("127.77.0.2", "http_server") in kinds
    assert ("127.77.0.2", "html_title") in kinds
    assert "hikvision.nmap_service.ip_camera" in sigs and "hikvision.http_server.app_webs" in sigs


def _can_raw_scan() -> bool:
    try:
        socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP).close()
    except PermissionError:
        return False
    return True
