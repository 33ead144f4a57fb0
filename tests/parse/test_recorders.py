"""The recorder answers camscan reads (issue 14, camscan.parse.recorders). Bodies are shaped like the published
answers (docs/recorders.md); values are invented unless a comment names their source."""

from __future__ import annotations

import json

import pytest

from camscan.parse.discovery import discovery_observations
from camscan.parse.http import http_observations, parse_http_response
from camscan.parse.recorders import analog_channels, recorder_findings, redact

HIK_CHANNELS = """<?xml version="1.0" encoding="UTF-8" ?>
<InputProxyChannelList version="1.0" xmlns="http://www.hikvision.com/ver20/XMLSchema" size="0">
<InputProxyChannel version="1.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<id>1</id>
<name>Garage</name>
<sourceInputPortDescriptor>
<proxyProtocol>HIKVISION</proxyProtocol>
<addressingFormatType>ipaddress</addressingFormatType>
<ipAddress>192.168.254.2</ipAddress>
<managePortNo>8000</managePortNo>
<srcInputPort>1</srcInputPort>
<userName>admin</userName>
<connMode>plugplay</connMode>
<streamType>auto</streamType>
<model>DS-2CD2366G2-ISU/SL</model>
<serialNumber>DS-2CD2366G2-ISU/SL20200101AAWRG00000001</serialNumber>
<firmwareVersion>V5.7.13 build 230504</firmwareVersion>
<deviceID></deviceID>
</sourceInputPortDescriptor>
<enableAnr>false</enableAnr>
</InputProxyChannel>
<InputProxyChannel version="1.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<id>2</id>
<name>Entry</name>
<sourceInputPortDescriptor>
<proxyProtocol>ONVIF</proxyProtocol>
<ipAddress>192.168.254.6</ipAddress>
<managePortNo>80</managePortNo>
<password>do-not-keep</password>
</sourceInputPortDescriptor>
</InputProxyChannel>
</InputProxyChannelList>"""

HIK_STATUS = """<InputProxyChannelStatusList xmlns="http://www.hikvision.com/ver20/XMLSchema">
<InputProxyChannelStatus><id>1</id><online>true</online><chanDetectResult>connect</chanDetectResult>
</InputProxyChannelStatus>
<InputProxyChannelStatus><id>2</id><online>false</online></InputProxyChannelStatus>
</InputProxyChannelStatusList>"""

HIK_INPUTS = """<VideoInputChannelList version="1.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<VideoInputChannel><id>1</id><inputPort>1</inputPort><videoInputEnabled>true</videoInputEnabled>
<name>Camera 01</name><resDesc>NO VIDEO</resDesc></VideoInputChannel>
<VideoInputChannel><id>2</id><inputPort>2</inputPort><videoInputEnabled>true</videoInputEnabled>
<name>Yard</name><resDesc> 1280*720(HD720P)P25</resDesc></VideoInputChannel>
<VideoInputChannel><id>3</id><inputPort>3</inputPort><videoInputEnabled>false</videoInputEnabled>
<name>Camera 03</name></VideoInputChannel>
</VideoInputChannelList>"""

SLOT = "table.RemoteDevice.uuid:System_CONFIG_NETCAMERA_INFO_"
DAHUA_REMOTE = "\r\n".join(
    [
        f"{SLOT}0.Name=Front",
        f"{SLOT}0.Enable=true",
        f"{SLOT}0.Address=192.168.1.20",
        f"{SLOT}0.Mac=08:ED:ED:00:00:20",
        f"{SLOT}0.Port=37777",
        f"{SLOT}0.UserName=admin",
        f"{SLOT}0.Password=cam-secret-1",
        f"{SLOT}0.Vendor=Private",
        f"{SLOT}0.ProtocolType=Dahua2",
        f"{SLOT}0.DeviceType=IPC-HDW1230S",
        f"{SLOT}0.SerialNo=5F0000000000001",
        f"{SLOT}0.Version=2.622.0000000.18.R",
        f"{SLOT}1.Enable=true",
        f"{SLOT}1.Address=192.168.1.21",
        f"{SLOT}1.Mac=ff:ff:ff:ff:ff:ff",
        f"{SLOT}1.Vendor=Onvif",
        f"{SLOT}1.DeviceType=DS-2CD1143G0-I",
        f"{SLOT}2.Enable=false",
        f"{SLOT}2.Address=192.168.0.0",
        f"{SLOT}3.Enable=true",
        f"{SLOT}3.Address=192.168.0.0",
    ]
)

CONFIG = "/cgi-bin/configManager.cgi?action=getConfig&name="


def kinds(findings, kind):
    return [v for k, v in findings if k == kind]


def test_hikvision_ip_channels_with_the_cameras_identity():
    found = recorder_findings("/ISAPI/ContentMgmt/InputProxy/channels", 200, HIK_CHANNELS)
    one, two = kinds(found, "recorder_channel")
    assert one == {
        "api": "hikvision_isapi",
        "channel": 1,
        "input": "ip",
        "name": "Garage",
        "address": "192.168.254.2",
        "port": 8000,
        "protocol": "HIKVISION",
        "model": "DS-2CD2366G2-ISU/SL",
        "serial": "DS-2CD2366G2-ISU/SL20200101AAWRG00000001",
        "firmware": "V5.7.13 build 230504",
    }
    assert two["protocol"] == "ONVIF" and "model" not in two and "manufacturer" not in two
    assert kinds(found, "recorder_summary") == [{"api": "hikvision_isapi", "listed": True, "ip_channels": 2}]


def test_hikvision_status_and_analog_inputs():
    status = kinds(
        recorder_findings("/ISAPI/ContentMgmt/InputProxy/channels/status", 200, HIK_STATUS),
        "recorder_channel",
    )
    assert [(s["channel"], s["status"]) for s in status] == [(1, "online"), (2, "offline")]
    found = recorder_findings("/ISAPI/System/Video/inputs/channels", 200, HIK_INPUTS)
    # NO VIDEO and a disabled input hold no camera: counted, not made devices
    assert [(c["channel"], c["input"], c["name"]) for c in kinds(found, "recorder_channel")] == [
        (2, "analog", "Yard")
    ]
    assert kinds(found, "recorder_summary")[0]["analog_channels"] == 3


def test_dahua_remote_devices_protocol_is_not_a_maker_and_placeholders_are_dropped():
    found = recorder_findings(CONFIG + "RemoteDevice", 200, DAHUA_REMOTE)
    first, second = kinds(found, "recorder_channel")
    assert first["channel"] == 1 and first["mac"] == "08:ed:ed:00:00:20" and first["model"] == "IPC-HDW1230S"
    assert first["serial"] == "5F0000000000001" and first["firmware"] == "2.622.0000000.18.R"
    assert "manufacturer" not in first and first["protocol"] == "Dahua2"  # Vendor=Private names a protocol
    assert second["channel"] == 2 and "mac" not in second and second["protocol"] == "Onvif"
    assert kinds(found, "recorder_summary")[0]["ip_channels"] == 2  # disabled and placeholder slots are empty


def test_dahua_titles_counts_and_video_loss_make_analog_cameras():
    titles = recorder_findings(
        CONFIG + "ChannelTitle", 200, "table.ChannelTitle[0].Name=Till\r\ntable.ChannelTitle[1].Name=\r\n"
    )
    assert kinds(titles, "recorder_summary")[0]["channels"] == 2
    assert kinds(titles, "recorder_channel") == [
        {"api": "dahua_cgi", "channel": 1, "name": "Till"}
    ]  # no input
    count = kinds(
        recorder_findings("/cgi-bin/devVideoInput.cgi?action=getCollect", 200, "result=4\r\n"),
        "recorder_summary",
    )
    loss = kinds(
        recorder_findings(
            "/cgi-bin/eventManager.cgi?action=getEventIndexes&code=VideoLoss",
            200,
            "channels[0]=1\r\nchannels[1]=3\r\n",
        ),
        "recorder_summary",
    )
    summary = {**count[0], **loss[0]}
    assert [c["channel"] for c in analog_channels(summary)] == [
        1,
        3,
    ]  # channels 2 and 4 have lost their video
    assert analog_channels(count[0]) == []  # without the video-loss answer nothing is claimed


def test_unifi_protect_cameras():
    body = json.dumps(
        {
            "cameras": [
                {
                    "mac": "74ACB9000001",
                    "host": "10.0.5.21",
                    "type": "UVC G4 Bullet",
                    "marketName": "G4 Bullet",
                    "firmwareVersion": "4.69.55",
                    "name": "Drive",
                    "state": "CONNECTED",
                    "isAdopted": True,
                },
                {
                    "mac": "74ACB9000002",
                    "host": "10.0.5.22",
                    "type": "UVC G3 Flex",
                    "state": "DISCONNECTED",
                    "isAdopted": True,
                },
                {"mac": "74ACB9000003", "type": "UVC G4 Dome", "isAdopted": False},
            ]
        }
    )
    found = kinds(recorder_findings("/proxy/protect/api/bootstrap", 200, body), "recorder_channel")
    assert [(c["channel"], c["model"], c["mac"], c["status"]) for c in found] == [
        (1, "G4 Bullet", "74:ac:b9:00:00:01", "online"),
        (2, "UVC G3 Flex", "74:ac:b9:00:00:02", "offline"),
    ]


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/ISAPI/ContentMgmt/InputProxy/channels", 401, HIK_CHANNELS),
        ("/ISAPI/ContentMgmt/InputProxy/channels", 200, "<notxml"),
        ("/ISAPI/ContentMgmt/InputProxy/channels", 200, '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'),
        (CONFIG + "Encode", 200, DAHUA_REMOTE),
        ("/proxy/protect/api/bootstrap", 200, "{not json"),
        ("/index.html", 200, HIK_CHANNELS),
    ],
)
def test_other_answers_give_nothing(path, status, body):
    assert recorder_findings(path, status, body) == []


def test_secrets_are_masked_in_every_kept_body():
    masked = redact(CONFIG + "RemoteDevice", DAHUA_REMOTE)
    assert "cam-secret-1" not in masked and f"{SLOT}0.Password=***" in masked
    assert "do-not-keep" not in redact(None, HIK_CHANNELS)
    assert '"***"' in redact(None, '{"password": "x\\"y", "name": "a"}')
    protect = redact(
        "/proxy/protect/api/bootstrap",
        '{"accessKey": "1234:abcd", "cameras": [{"rtspAlias": "AbCd", "name": "Drive"}]}',
    )
    assert "abcd" not in protect and "AbCd" not in protect and '"Drive"' in protect
    raw = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
        + str(len(DAHUA_REMOTE))
        + "\r\n\r\n"
        + DAHUA_REMOTE
    ).encode()
    findings = http_observations(CONFIG + "RemoteDevice", parse_http_response(raw))
    assert "cam-secret-1" not in json.dumps(findings)
    assert len(kinds(findings, "recorder_channel")) == 2


def test_discovery_replies_give_the_channel_count_without_a_login():
    sadp = {"protocol": "sadp", "AnalogChannelNum": "8", "DigitalChannelNum": "3"}
    (summary,) = kinds(discovery_observations(sadp), "recorder_summary")
    assert summary["channels"] == 11 and summary["analog_channels"] == 8 and summary["listed"] is False
    camera = {"protocol": "sadp", "AnalogChannelNum": "0", "DigitalChannelNum": "1"}
    assert kinds(discovery_observations(camera), "recorder_summary") == []  # a camera's own channel
    dahua = {"protocol": "dahua", "VideoInputChannels": 8, "RemoteVideoInputChannels": 2}
    assert kinds(discovery_observations(dahua), "recorder_summary")[0]["channels"] == 10


def _envelope(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:trc="http://www.onvif.org/ver10/recording/wsdl" '
        'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">'
        f"<env:Body>{body}</env:Body></env:Envelope>"
    ).encode()


def _recording(token: str, source: str) -> str:
    return (
        f"<trc:RecordingItem><tt:RecordingToken>{token}</tt:RecordingToken><tt:Configuration><tt:Source>{source}"
        "</tt:Source><tt:Content></tt:Content><tt:MaximumRetentionTime>PT0S</tt:MaximumRetentionTime>"
        "</tt:Configuration></trc:RecordingItem>"
    )


def test_onvif_recordings_name_the_recorded_cameras():
    from camscan.parse.onvif import onvif_observations, parse_onvif_response

    body = _envelope(
        "<trc:GetRecordingsResponse>"
        + _recording(
            "R1",
            "<tt:SourceId>http://10.1.1.5/onvif/device_service</tt:SourceId><tt:Name>Door</tt:Name>"
            "<tt:Location/><tt:Description/><tt:Address>http://10.1.1.5/onvif/device_service</tt:Address>",
        )
        + _recording(
            "R2", "<tt:SourceId>VideoSource_1</tt:SourceId><tt:Name>own</tt:Name><tt:Address></tt:Address>"
        )
        + "</trc:GetRecordingsResponse>"
    )
    found = onvif_observations(parse_onvif_response(body))
    assert kinds(found, "recorder_channel") == [
        {
            "api": "onvif",
            "channel": 1,
            "input": "ip",
            "name": "Door",
            "address": "10.1.1.5",
            "protocol": "ONVIF",
        }
    ]  # the second records the device's own source: no camera behind it
    sources = "".join(
        f'<trt:VideoSources token="V{i}"><tt:Framerate>25</tt:Framerate></trt:VideoSources>' for i in range(4)
    )
    found = onvif_observations(
        parse_onvif_response(
            _envelope(f"<trt:GetVideoSourcesResponse>{sources}</trt:GetVideoSourcesResponse>")
        )
    )
    assert kinds(found, "recorder_summary") == [{"api": "onvif", "listed": False, "channels": 4}]
    caps = (
        "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Extension><tt:DeviceIO><tt:VideoSources>16"
        "</tt:VideoSources></tt:DeviceIO></tt:Extension></tds:Capabilities></tds:GetCapabilitiesResponse>"
    )
    (summary,) = kinds(onvif_observations(parse_onvif_response(_envelope(caps))), "recorder_summary")
    assert summary["channels"] == 16 and summary["listed"] is False
    one = caps.replace(">16<", ">1<")
    assert kinds(onvif_observations(parse_onvif_response(_envelope(one))), "recorder_summary") == []


# UniFi Protect: real values. uilibs/uiprotect tests/sample_data/sample_bootstrap.json (@506380e9), recorded from a
# real console by the library's maintainers: each camera's type, marketName, firmwareVersion, state, isAdopted and
# isThirdPartyCamera are the console's; mac and host were anonymised by the library (random), copied as they are.
PROTECT_BOOTSTRAP_CAMERAS = [
    {"mac": "7CD8B328641B", "host": "192.168.164.242", "type": "UVC G4 Dome", "marketName": "G4 Dome", "firmwareVersion": "4.47.15", "state": "DISCONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "4B8290F6D7A9", "host": "10.10.0.12", "type": "UA Intercom", "marketName": "UA Intercom", "firmwareVersion": "1.5.30", "state": "DISCONNECTED", "isAdopted": True, "isThirdPartyCamera": False},
    {"mac": "CE668E1CDADB", "host": "192.168.11.58", "type": "UVC G4 Doorbell", "marketName": "G4 Doorbell", "firmwareVersion": "4.48.16", "state": "DISCONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "A3ABB5ABE298", "host": "192.168.23.22", "type": "UVC G4 Bullet", "marketName": "G4 Bullet", "firmwareVersion": "4.47.13", "state": "DISCONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "331AFA68BE00", "host": "192.168.10.22", "type": "UVC G4 Doorbell Pro", "marketName": "G4 Doorbell Pro", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "C1E5752D2D9B", "host": "192.168.16.186", "type": "UVC AI Bullet", "marketName": "AI Bullet", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "49512F7958AE", "host": "192.168.127.173", "type": "UVC G4 Doorbell", "marketName": "G4 Doorbell", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "CF0C20B53D5E", "host": "192.168.222.251", "type": "UVC G4 Pro", "marketName": "G4 Pro", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "D3BA2C5D0032", "host": "192.168.6.142", "type": "UVC G4 Pro", "marketName": "G4 Pro", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "25546150ED3E", "host": "192.168.3.158", "type": "UVC G4 Pro", "marketName": "G4 Pro", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "3F9EDAD1F6C4", "host": "192.168.29.88", "type": "UVC G4 Pro", "marketName": "G4 Pro", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
    {"mac": "2BE358A7CE14", "host": "192.168.186.25", "type": "UVC G4 Instant", "marketName": "G4 Instant", "firmwareVersion": "4.48.16", "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": None},
]  # fmt: skip
# uilibs/uiprotect tests/sample_data/sample_camera.json (@506380e9): one camera object as the console sent it
# (fields copied verbatim; name, mac, host, connectionHost and rtspAlias anonymised by the library), first channel only.
PROTECT_CAMERA = {"mac": "331AFA68BE00", "host": "192.168.10.22", "connectionHost": "192.168.102.63", "type": "UVC G4 Doorbell Pro", "name": "Oxnjk Ajfq", "state": "CONNECTED", "hardwareRevision": "20", "firmwareVersion": "4.48.16", "firmwareBuild": "dd71d61.211230.1810", "isAdopted": True, "isConnected": True, "marketName": "G4 Doorbell Pro", "modelKey": "camera", "isThirdPartyCamera": False, "channels": [{"id": 0, "videoId": "video1", "name": "Ppkqf Wamffz", "enabled": True, "isRtspEnabled": True, "rtspAlias": "bVFsZBWTKrCRgZKO", "width": 1600, "height": 1200, "fps": 30, "bitrate": 6000000, "minBitrate": 32000, "maxBitrate": 6000000, "minClientAdaptiveBitRate": 0, "minMotionAdaptiveBitRate": 750000, "fpsValues": [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 18, 20, 24, 25, 30], "idrInterval": 5}]}  # fmt: skip


def test_unifi_protect_bootstrap_of_a_real_console():
    body = json.dumps(
        {"cameras": PROTECT_BOOTSTRAP_CAMERAS, "nvr": {"type": "UNVR-PRO", "firmwareVersion": "2.3.10"}}
    )
    found = recorder_findings("/proxy/protect/api/bootstrap", 200, body)
    channels = kinds(found, "recorder_channel")
    assert len(channels) == 12  # the console's own entry (`nvr`) is not one of its cameras
    first, intercom = channels[0], channels[1]
    assert (first["channel"], first["manufacturer"], first["model"], first["firmware"]) == (
        1,
        "Ubiquiti",
        "G4 Dome",
        "4.47.15",
    )
    assert (first["address"], first["mac"], first["status"]) == (
        "192.168.164.242",
        "7c:d8:b3:28:64:1b",
        "offline",
    )
    assert intercom["model"] == "UA Intercom" and intercom["manufacturer"] == "Ubiquiti"
    assert [c["status"] for c in channels].count("online") == 8
    (summary,) = kinds(found, "recorder_summary")
    assert summary == {"api": "unifi_protect", "listed": True, "ip_channels": 12}


def test_unifi_protect_cameras_list_keeps_no_stream_alias():
    raw = json.dumps([PROTECT_CAMERA])
    (channel,) = kinds(recorder_findings("/proxy/protect/api/cameras", 200, raw), "recorder_channel")
    assert (channel["model"], channel["firmware"], channel["mac"], channel["address"], channel["name"]) == (
        "G4 Doorbell Pro", "4.48.16", "33:1a:fa:68:be:00", "192.168.10.22", "Oxnjk Ajfq",
    )  # fmt: skip
    response = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(raw))
        + "\r\n\r\n"
        + raw
    )
    findings = http_observations("/proxy/protect/api/cameras", parse_http_response(response.encode()))
    assert "bVFsZBWTKrCRgZKO" not in json.dumps(findings)  # the alias opens the camera's stream: never kept
    assert len(kinds(findings, "recorder_channel")) == 1


def test_unifi_protect_third_party_cameras_are_not_made_ubiquiti():
    """An ONVIF camera of another maker adopted by Protect (`isThirdPartyCamera`, a real field of the camera
    object): its address, MAC, name and state are taken, never Ubiquiti as its maker (values invented)."""
    cameras = [{"mac": "5850ED1FE385", "host": "10.0.5.31", "type": "ONVIF Camera", "name": "Stairwell",
                "state": "CONNECTED", "isAdopted": True, "isThirdPartyCamera": True}]  # fmt: skip
    (channel,) = kinds(
        recorder_findings("/proxy/protect/api/cameras", 200, json.dumps(cameras)), "recorder_channel"
    )
    assert channel["mac"] == "58:50:ed:1f:e3:85" and channel["status"] == "online"
    assert "manufacturer" not in channel and "model" not in channel


def test_unifi_protect_list_cut_at_the_byte_cap_gives_the_cameras_before_the_cut():
    whole = json.dumps(PROTECT_BOOTSTRAP_CAMERAS)
    cut = whole[: whole.index('"mac": "C1E5752D2D9B"') + 10]  # inside the sixth camera
    found = recorder_findings("/proxy/protect/api/cameras", 200, cut)
    assert len(kinds(found, "recorder_channel")) == 5
    (summary,) = kinds(found, "recorder_summary")
    assert summary["ip_channels"] == 5 and "cut at the byte cap" in summary["note"]


@pytest.mark.parametrize("path", ["/proxy/protect/api/cameras", "/proxy/protect/api/bootstrap"])
def test_unifi_protect_answer_nested_past_the_recursion_limit_gives_what_precedes_it(path):
    """A hostile answer of arrays nested 200,000 deep (200 KB, under the 4 MiB list cap) made Python's JSON reader
    raise RecursionError out of `recorder_findings` ("never raises for what a device sent"); now the whole answer
    is unreadable and a cut list still gives the cameras before the nesting (values invented)."""
    assert recorder_findings(path, 200, "[" * 200_000) == []
    assert recorder_findings(path, 200, '{"cameras": ' + "[" * 200_000) == []
    camera = {"mac": "5850ED1FE385", "host": "10.0.5.31", "type": "UVC G4 Bullet", "state": "CONNECTED"}
    found = recorder_findings(
        "/proxy/protect/api/cameras", 200, "[" + json.dumps(camera) + ", " + "[" * 200_000
    )
    assert len(kinds(found, "recorder_channel")) == 1
