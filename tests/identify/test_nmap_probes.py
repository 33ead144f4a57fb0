"""nmap's service-probe database as banner knowledge (camscan/identify/nmap_probes.py, issue 11 item 4).

Two kinds of test: ones over a small probe file written here (every line in it is INVENTED, in nmap's format,
so the results do not depend on which nmap is installed), and ones over the installed nmap's file, skipped when
nmap is absent, that use values long-standing match lines recognise and never assert a line number.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from camscan.identify import nmap_probes
from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge
from camscan.model import Evidence, Observation

# INVENTED lines in nmap-service-probes format (the makers are real names, the banners are made up).
MINI = r"""# invented test file
Probe TCP NULL q||
match ftp m|^220 Acme ([\w-]+) IP Camera ftpd ready\r\n| p/Acme $1 IP camera ftpd/ d/webcam/ cpe:/h:hikvision:$1/
match ftp m|^220 Boxy ([\w-]+) ftpd\r\n| p/Boxy $1 set-top ftpd/ d/webcam/ cpe:/h:boxy_media:$1/
match ftp m|^220 Plain ftpd\r\n| p/Plain ftpd/ cpe:/a:acme_soft:plain_ftpd/ o/Linux/ cpe:/o:linux:linux_kernel/a
match ftp m|^220 Shelf (\w+)\r\n|i p/Shelf storage ftpd/ d/storage-misc/ cpe:/o:synology:dsm/
match ftp m|^220 broken (?<x\r\n| p/Broken/
match ssh m|^SSH-2\.0-Gadget_([[:digit:].]+)\r\n| p/Gadget sshd/ v/$1/ d/WAP/
softmatch ftp m|^220 |
Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|
match http m|^HTTP/1\.0 200 OK\r\nServer: Generic-Webs\r\n| p/Generic httpd/
match http m|^HTTP/1\.0 200 OK\r\nServer: Generic-Webs\r\n| p/Never reached/ d/webcam/ cpe:/h:axis:m1/
match http m|^HTTP/1\.0 401 .*\r\nWWW-Authenticate: Basic realm="Cam(\d+)"|s p/Realm $1 web camera/ d/webcam/ cpe:/h:dlink:dcs-$1/
match http m|^HTTP/1\.0 200 OK\r\nServer: Kamera/1\r\n| p/Kamera web camera httpd/ d/webcam/ cpe:/h:hikvision:ds-x/
Probe TCP RTSPRequest q|OPTIONS / RTSP/1.0\r\n\r\n|
match rtsp m|^RTSP/1\.0 200 OK\r\n.*Server: Rec Box\r\n|s p/Rec Box NVR rtspd/ d/webcam/
"""


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "nmap-service-probes"
    path.write_text(MINI, encoding="latin-1")
    monkeypatch.setenv(nmap_probes.ENV, str(path))
    return path


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge())


def _nmap_evidence(engine: Engine, observations: list[Observation]) -> list[Evidence]:
    ident = engine.identify(observations)
    return [ev for ev in ident.evidence if ev.signature.startswith(nmap_probes.SIGNATURE_PREFIX)]


def obs(kind: str, value: str, port: int = 21) -> Observation:
    return Observation(kind, value, host="127.61.0.1", port=port)


# ------------------------------------------------------------------------------------------------ the parser


def test_parse_reads_fields_flags_cpes_and_counts_what_python_cannot_compile(mini: Path) -> None:
    lines, unreadable = nmap_probes.parse(mini.read_text(encoding="latin-1"))
    assert unreadable == 0
    assert len(lines) == 11  # softmatch lines are not match lines
    shelf = next(ln for ln in lines if ln.info.get("p") == "Shelf storage ftpd")
    assert shelf.probe == "TCP:NULL" and shelf.service == "ftp" and shelf.flags == "i"
    assert shelf.cpes == ("o:synology:dsm",)
    db = nmap_probes.database()
    assert db is not None
    assert db.skipped() == 1  # `(?<x` is no regex for Python either
    assert "1 skipped" in nmap_probes.status()


def test_templates_are_filled_and_posix_classes_translated(mini: Path) -> None:
    db = nmap_probes.database()
    assert db is not None
    hit = db.match("ssh_banner", nmap_probes.response("ssh_banner", "SSH-2.0-Gadget_1.2.3") or "")
    assert hit is not None and hit.info["v"] == "1.2.3"


def test_first_matching_line_wins_as_in_nmap(mini: Path) -> None:
    db = nmap_probes.database()
    assert db is not None
    hit = db.match("http_server", nmap_probes.response("http_server", "Generic-Webs") or "")
    assert hit is not None and hit.info == {"p": "Generic httpd"}


# ------------------------------------------------------------------------------------------------ the engine


def test_cpe_hardware_names_maker_and_model_and_webcam_with_camera_in_its_name_is_a_camera(
    mini: Path, engine: Engine
) -> None:
    [ev] = _nmap_evidence(engine, [obs("ftp_banner", "220 Acme DS-2CD2042WD IP Camera ftpd ready")])
    assert ev.asserts == {"manufacturer": "Hikvision", "model": "DS-2CD2042WD", "device_type": "camera"}
    assert ev.signature.startswith("nmap-service-probes line 3: p/Acme DS-2CD2042WD IP camera ftpd/")
    assert ev.weight < 0.5 and ev.tier == 2


def test_webcam_without_camera_in_its_name_is_not_a_camera_and_an_unlisted_maker_is_shown(
    mini: Path, engine: Engine
) -> None:
    ident = engine.identify([obs("ftp_banner", "220 Boxy BX-9 ftpd")])
    assert ident.device_type is None and not ident.is_camera
    [ev] = [e for e in ident.evidence if e.signature.startswith(nmap_probes.SIGNATURE_PREFIX)]
    assert ev.ignored == {"device_type": "camera"}
    assert ev.asserts["manufacturer"] == "Boxy Media"  # cpe vendor `boxy_media`, not spelt in p/: title-cased
    assert "manufacturer" in ident.unlisted


def test_recorder_filed_under_webcam_is_a_recorder(mini: Path, engine: Engine) -> None:
    [ev] = _nmap_evidence(engine, [obs("rtsp_server", "Rec Box", port=554)])
    assert ev.asserts == {"device_type": "nvr"}


def test_application_and_os_publisher_cpes_never_name_a_maker_but_a_listed_device_maker_does(
    mini: Path, engine: Engine
) -> None:
    assert _nmap_evidence(engine, [obs("ftp_banner", "220 Plain ftpd")]) == []
    [ev] = _nmap_evidence(engine, [obs("ftp_banner", "220 Shelf x")])
    assert ev.asserts == {
        "manufacturer": "Synology"
    }  # cpe:/o:synology names the box's maker; storage-misc no type


def test_port_headers_join_one_response(mini: Path, engine: Engine) -> None:
    [ev] = _nmap_evidence(
        engine,
        [
            obs("http_server", "uhttpd", port=80),
            obs("http_www_authenticate", 'Basic realm="Cam5020"', port=80),
        ],
    )
    assert ev.asserts == {"manufacturer": "D-Link", "model": "dcs-5020", "device_type": "camera"}


def test_camscan_signature_outranks_nmap(mini: Path, engine: Engine) -> None:
    # `App-webs/` is Hikvision's by camscan's own signature; the invented nmap line below says Axis, model m1.
    mini.write_text(
        MINI
        + "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
        + "match http m|^HTTP/1\\.0 200 OK\\r\\nServer: App-webs/\\r\\n| p/Other camera/ d/webcam/ cpe:/h:axis:m1/\n",
        encoding="latin-1",
    )
    ident = engine.identify([obs("http_server", "App-webs/", port=80)])
    assert any(
        e.signature.startswith(nmap_probes.SIGNATURE_PREFIX) and e.asserts.get("manufacturer") == "Axis"
        for e in ident.evidence
    )
    assert ident.manufacturer == "Hikvision"
    assert "Axis" in ident.conflicts.get("manufacturer", [])


def test_nmap_alone_is_kept_below_signatures_even_when_it_agrees(mini: Path, engine: Engine) -> None:
    ident = engine.identify([obs("http_server", "Kamera/1", port=80)])
    assert ident.manufacturer == "Hikvision" and ident.model == "ds-x"
    assert ident.field_confidence["manufacturer"] == pytest.approx(nmap_probes.WEIGHT)


def test_nmap_service_devicetype_and_cpe_are_read_the_same_way(engine: Engine) -> None:
    value = {
        "port": 80,
        "proto": "tcp",
        "name": "http",
        "product": "Acme router httpd",
        "version": "",
        "extrainfo": "",
        "devicetype": "WAP",
        "hostname": "",
        "cpe": "cpe:/h:netgear:wnr3500",
    }  # invented
    ident = engine.identify([Observation("nmap_service", value, host="127.61.0.2", port=80)])
    [ev] = [e for e in ident.evidence if e.signature.startswith(nmap_probes.SIGNATURE_PREFIX)]
    assert ev.asserts == {"manufacturer": "Netgear", "model": "wnr3500", "device_type": "access_point"}


# ------------------------------------------------------------------------------------------------ absent file


def test_absent_file_turns_the_feature_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> None:
    monkeypatch.setenv(nmap_probes.ENV, str(tmp_path / "missing"))
    assert nmap_probes.database() is None
    assert "cannot be read" in nmap_probes.status()
    assert _nmap_evidence(engine, [obs("ftp_banner", "220 Acme X1 IP Camera ftpd ready")]) == []
    monkeypatch.setenv(nmap_probes.ENV, "off")
    assert nmap_probes.locate() is None and "off" in nmap_probes.status()


def test_signatures_command_says_whether_nmap_knowledge_is_on(tmp_path: Path) -> None:
    env = {"CAMSCAN_NMAP_SERVICE_PROBES": str(tmp_path / "missing")}
    import os

    done = subprocess.run(
        [sys.executable, "-m", "camscan", "signatures", "test"],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
    )
    assert "nmap service probes: off" in done.stdout


# ------------------------------------------------------------------------------------------------ installed nmap

installed = pytest.mark.skipif(
    nmap_probes.locate() is None or nmap_probes.database() is None,
    reason="nmap is not installed (no nmap-service-probes): the nmap knowledge is off",
)


@pytest.fixture
def real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(nmap_probes.ENV, raising=False)


@installed
def test_installed_nmap_names_an_axis_camera_from_its_ftp_greeting(real: None, engine: Engine) -> None:
    # Value: an example of camscan's axis.ftp_banner.network_camera (source there: Recog xml/ftp_banners.xml);
    # nmap has matched Axis camera FTP greetings with cpe:/h:axis for many releases.
    [ev] = _nmap_evidence(
        engine, [obs("ftp_banner", "220 AXIS 207 Network Camera 4.40.1 (Apr 16 2007) ready.")]
    )
    assert ev.asserts == {"manufacturer": "Axis", "model": "207", "device_type": "camera"}


@installed
def test_installed_nmap_webcam_type_is_withheld_for_a_video_conferencing_box(
    real: None, engine: Engine
) -> None:
    # Value built from nmap's own match line for the Polycom ViewStation (`Server: Viavideo-Web`, d/webcam/):
    # a conferencing system nmap files under webcam must not become a camera.
    ident = engine.identify([obs("http_server", "Viavideo-Web", port=80)])
    assert not ident.is_camera
    assert any(
        e.ignored.get("device_type") == "camera"
        for e in ident.evidence
        if e.signature.startswith(nmap_probes.SIGNATURE_PREFIX)
    )


@installed
def test_installed_nmap_end_to_end_through_camscan_identify(real: None) -> None:
    line = json.dumps(
        {
            "observations": [
                {"kind": "ftp_banner", "value": "220 AXIS 207 Network Camera 4.40.1 (Apr 16 2007) ready."}
            ]
        }
    )
    done = subprocess.run(
        [sys.executable, "-m", "camscan", "identify"],
        check=False,
        input=line + "\n",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    ident = json.loads(done.stdout.splitlines()[0])
    sigs = [e["signature"] for e in ident["evidence"]]
    assert any(s.startswith("nmap-service-probes line ") for s in sigs), sigs
    assert ident["manufacturer"] == "Axis"


@installed
def test_installed_nmap_status_reports_counts(real: None) -> None:
    text = nmap_probes.status()
    assert "match lines" in text and "skipped" in text
