"""What recorders (NVRs, DVRs, consoles) say about the cameras on their channels, sans-io (issue 14).

Each function reads one answer of one recorder API and returns findings: a `recorder_channel` per channel that
holds a camera and, where the answer says how many channels there are, a `recorder_summary`. Active probes and
passive mode (a capture of someone else's session with the recorder) read the answers with the same code, through
`camscan.parse.http.http_observations` (`recorder_findings`). The calls, what each gives and the limits are in
docs/recorders.md.

Some of these answers hold secrets: Dahua's RemoteDevice table carries each camera's login password. `redact`
masks them before a body is kept anywhere (observations, the store, reports).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from camscan.parse.base import Finding, ParseError, one_line
from camscan.parse.xmlsafe import local, parse_xml

#: The largest answer read: a 256-channel recorder's list fits with room to spare, and so does a UniFi Protect
#: console's camera list (10-20 KB of JSON a camera). The scan reads recorder lists up to the same size
#: (`camscan.probe.limits.DEFAULT_MAX_LIST_BYTES`).
MAX_ANSWER = 4 * 1024 * 1024
MAX_CHANNELS = 1024
VALUE_LIMIT = 128
#: Words recorders put where a maker would be that name a protocol or nothing (Dahua `Vendor=Private`).
NOT_A_MAKER = frozenset(
    {"", "private", "onvif", "general", "generic", "custom", "rtsp", "none", "unknown", "other", "default"}
)
#: MACs recorders report for a camera they do not know the MAC of.
NO_MAC = frozenset({"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})
#: Addresses Dahua leaves in an unused slot.
NO_ADDRESS = frozenset({"", "0.0.0.0", "192.168.0.0"})
#: Hikvision's `resDesc` of an analogue input with no camera connected.
NO_SIGNAL = re.compile(r"^\s*no\s*video\s*$", re.I)

_SECRET_LINE = re.compile(
    r"(?im)^(table\.RemoteDevice\.[^\r\n=]*\.(?:Password|PassWord|Pwd)[^\r\n=]*)=[^\r\n]*"
)
_SECRET_XML = re.compile(r"(?is)(<(?:\w+:)?(password|passwd)\b[^>]*>)(.*?)(</(?:\w+:)?\2\s*>)")
_SECRET_JSON = re.compile(
    r'(?i)("(?:password|passwd|pwd|secret|token|apiKey|rtspAlias)"\s*:\s*)"(?:[^"\\]|\\.)*"'
)
#: In a recorder's answer, any JSON field whose name holds password, passwd, pwd, secret, token, key or alias
#: (UniFi Protect's bootstrap carries an `accessKey` and RTSP aliases that open a camera's stream).
_RECORDER_SECRET_JSON = re.compile(
    r'(?i)("[A-Za-z_]*(?:password|passwd|pwd|secret|token|key|alias)[A-Za-z_]*"\s*:\s*)"(?:[^"\\]|\\.)*"'
)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = one_line(str(value), VALUE_LIMIT)
    return text or None


def _mac(value: Any) -> str | None:
    text = _clean(value)
    if not text:
        return None
    text = text.lower().replace("-", ":")
    if len(text) == 12 and ":" not in text:
        text = ":".join(text[i : i + 2] for i in range(0, 12, 2))
    if not re.fullmatch(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}", text) or text in NO_MAC:
        return None
    return text


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _channel(api: str, number: int, input_kind: str, **fields: Any) -> Finding:
    value: dict[str, Any] = {"api": api, "channel": number, "input": input_kind}
    for key, raw in fields.items():
        if key == "port":
            port = _int(raw)
            if port:
                value[key] = port
            continue
        text = _mac(raw) if key == "mac" else _clean(raw)
        if text:
            value[key] = text
    return ("recorder_channel", value)


def _summary(api: str, *, listed: bool, note: str | None = None, **counts: int | None) -> Finding:
    value: dict[str, Any] = {"api": api, "listed": listed}
    value.update({k: v for k, v in counts.items() if v is not None})
    if note:
        value["note"] = note
    return ("recorder_summary", value)


def redact(path: str | None, body: str) -> str:
    """`body` with the secrets recorder answers carry masked (camera passwords in Dahua's RemoteDevice table,
    `<password>` elements, JSON password and token fields). Every body camscan keeps passes through here."""
    if not body:
        return body
    body = _SECRET_LINE.sub(r"\1=***", body)
    body = _SECRET_XML.sub(r"\1***\4", body)
    body = _SECRET_JSON.sub(r'\1"***"', body)
    if is_recorder_path(path):
        body = _RECORDER_SECRET_JSON.sub(r'\1"***"', body)
    return body


# -------------------------------------------------------------------------------------------- Hikvision ISAPI


def _children(element: Any) -> dict[str, Any]:
    return {local(child.tag): child for child in element}


def _text(element: Any, *names: str) -> str | None:
    """The text of the first descendant with one of these local names."""
    for name in names:
        for found in element.iter():
            if local(found.tag) == name:
                return _clean(found.text)
    return None


def hikvision_input_proxy(root: Any) -> list[Finding]:
    """`/ISAPI/ContentMgmt/InputProxy/channels`: `InputProxyChannel` per IP channel, with the camera's address
    (`sourceInputPortDescriptor/ipAddress`), the protocol the recorder speaks to it, and on recent firmware its
    model, serial number, firmware and MAC."""
    out: list[Finding] = []
    for element in root.iter():
        if local(element.tag) != "InputProxyChannel":
            continue
        number = _int(_text(element, "id"))
        if number is None:
            continue
        source = next((c for c in element.iter() if local(c.tag) == "sourceInputPortDescriptor"), element)
        out.append(
            _channel(
                "hikvision_isapi",
                number,
                "ip",
                name=_text(element, "name"),
                address=_text(source, "ipAddress", "hostName"),
                port=_text(source, "managePortNo"),
                protocol=_text(source, "proxyProtocol", "adminProtocol"),
                manufacturer=_text(source, "manufacturer", "vendor"),
                model=_text(source, "model", "deviceModel"),
                serial=_text(source, "serialNumber", "serialNo"),
                firmware=_text(source, "firmwareVersion", "firmwareversion"),
                mac=_text(source, "macAddress", "MACAddress"),
            )
        )
        if len(out) >= MAX_CHANNELS:
            break
    ip_channels = len(out)
    return [*out, _summary("hikvision_isapi", listed=True, ip_channels=ip_channels)]


def hikvision_input_proxy_status(root: Any) -> list[Finding]:
    """`/ISAPI/ContentMgmt/InputProxy/channels/status`: whether each IP channel's camera is online."""
    out: list[Finding] = []
    for element in root.iter():
        if local(element.tag) != "InputProxyChannelStatus":
            continue
        number = _int(_text(element, "id"))
        if number is None:
            continue
        online = (_text(element, "online") or "").lower()
        status = "online" if online == "true" else "offline" if online == "false" else None
        out.append(
            _channel(
                "hikvision_isapi",
                number,
                "ip",
                address=_text(element, "ipAddress", "hostName"),
                status=status,
                model=_text(element, "model"),
                serial=_text(element, "serialNumber"),
                firmware=_text(element, "firmwareVersion"),
            )
        )
        if len(out) >= MAX_CHANNELS:
            break
    return out


def hikvision_video_inputs(root: Any) -> list[Finding]:
    """`/ISAPI/System/Video/inputs/channels`: a DVR's analogue inputs (`VideoInputChannel`). An input whose
    `resDesc` says NO VIDEO has no camera and is counted but not made a device; one that is disabled neither."""
    out: list[Finding] = []
    inputs = 0
    for element in root.iter():
        if local(element.tag) != "VideoInputChannel":
            continue
        number = _int(_text(element, "id"))
        if number is None:
            continue
        inputs += 1
        enabled = (_text(element, "videoInputEnabled") or "true").lower() != "false"
        signal = _text(element, "resDesc")
        if not enabled or (signal and NO_SIGNAL.match(signal)):
            continue
        out.append(
            _channel(
                "hikvision_isapi",
                number,
                "analog",
                name=_text(element, "name"),
                protocol=_text(element, "inputType", "videoInputType"),
                status="online" if signal else None,
            )
        )
        if inputs >= MAX_CHANNELS:
            break
    return [*out, _summary("hikvision_isapi", listed=True, analog_channels=inputs, analog_cameras=len(out))]


# -------------------------------------------------------------------------------------------- Dahua CGI


def _table(body: str, name: str) -> dict[str, str]:
    """`table.<name>...=value` lines of a Dahua configManager answer."""
    prefix = f"table.{name}"
    out: dict[str, str] = {}
    for line in body.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.startswith(prefix):
            out[key[len(prefix) :].strip()] = value.strip()
    return out


_SLOT = re.compile(r"^\.(?:uuid:)?(?:System_CONFIG_NETCAMERA_INFO_)?(\d+)\.([A-Za-z][\w\[\]\.]*)$")


def dahua_remote_devices(body: str) -> list[Finding]:
    """`configManager.cgi?action=getConfig&name=RemoteDevice`: the IP cameras a Dahua NVR/XVR (and OEMs: Amcrest,
    Lorex ...) has added, one slot each: Address, Port, Mac, SerialNo, DeviceType (the model), Version (the
    firmware), Vendor (`Private` means Dahua's own protocol, `Onvif` ONVIF: a protocol, not a maker) and
    ProtocolType. Slot N is channel N+1; a slot that is disabled or holds a placeholder address is empty."""
    slots: dict[int, dict[str, str]] = {}
    for key, value in _table(body, "RemoteDevice").items():
        m = _SLOT.match(key)
        if m and len(slots) < MAX_CHANNELS:
            slots.setdefault(int(m.group(1)), {})[m.group(2)] = value
    out: list[Finding] = []
    for slot in sorted(slots):
        fields = slots[slot]
        if fields.get("Enable", "").lower() != "true" or fields.get("Address", "") in NO_ADDRESS:
            continue
        vendor = fields.get("Vendor", "")
        out.append(
            _channel(
                "dahua_cgi",
                slot + 1,
                "ip",
                name=fields.get("Name") or fields.get("VideoInputs[0].Name"),
                address=fields.get("Address"),
                port=fields.get("Port"),
                protocol=fields.get("ProtocolType") or vendor or None,
                manufacturer=None if vendor.lower() in NOT_A_MAKER else vendor,
                model=fields.get("DeviceType"),
                serial=fields.get("SerialNo"),
                firmware=fields.get("Version"),
                mac=fields.get("Mac"),
            )
        )
    return [*out, _summary("dahua_cgi", listed=True, ip_channels=len(out), remote_slots=len(slots) or None)]


_TITLE = re.compile(r"^\[(\d+)\]\.Name$")


def dahua_channel_titles(body: str) -> list[Finding]:
    """`configManager.cgi?action=getConfig&name=ChannelTitle`: one title per channel (`[N]` is channel N+1),
    which gives the number of channels; the titles name the cameras of the remote devices."""
    titles = {
        int(m.group(1)) + 1: v for k, v in _table(body, "ChannelTitle").items() if (m := _TITLE.match(k))
    }
    if not titles:
        return []
    # a title alone does not say a camera is there: no `input`, so it only names a channel another answer lists
    named = [
        ("recorder_channel", {"api": "dahua_cgi", "channel": n, "name": t})
        for n, t in sorted(titles.items())
        if t
    ]
    return [_summary("dahua_cgi", listed=True, channels=len(titles)), *named]


def dahua_video_inputs(body: str) -> list[Finding]:
    """`devVideoInput.cgi?action=getCollect` (`result=N`): the local video inputs, on an XVR/DVR its analogue
    channels 1..N. Counted here; which of them hold a camera comes from the video-loss answer."""
    for line in body.splitlines():
        key, sep, value = line.partition("=")
        if (
            sep
            and key.strip() == "result"
            and (count := _int(value)) is not None
            and 0 <= count <= MAX_CHANNELS
        ):
            return [_summary("dahua_cgi", listed=False, analog_channels=count)]
    return []


_LOSS = re.compile(r"^channels\[\d+\]$")


def dahua_video_loss(body: str) -> list[Finding]:
    """`eventManager.cgi?action=getEventIndexes&code=VideoLoss` (`channels[i]=<0-based channel>`): the channels
    with no video signal now. With the input count (`dahua_video_inputs`) it says which analogue inputs have a
    camera (`analog_cameras`)."""
    lost = sorted(
        {
            n + 1
            for line in body.splitlines()
            if _LOSS.match(line.partition("=")[0].strip())
            and (n := _int(line.partition("=")[2])) is not None
            and 0 <= n < MAX_CHANNELS
        }
    )
    value: dict[str, Any] = {"api": "dahua_cgi", "listed": False, "video_loss": lost}
    return [("recorder_summary", value)]


def analog_channels(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The analogue inputs a summary shows to hold a camera: Dahua's input count with its video-loss list (both
    answered). Hikvision lists its analogue inputs one by one instead (`hikvision_video_inputs`)."""
    count, lost = summary.get("analog_channels"), summary.get("video_loss")
    if summary.get("api") != "dahua_cgi" or not isinstance(count, int) or not isinstance(lost, list):
        return []
    return [
        {"api": "dahua_cgi", "channel": n, "input": "analog", "status": "online"}
        for n in range(1, count + 1)
        if n not in lost
    ]


# -------------------------------------------------------------------------------------------- ONVIF


def _host_of(uri: str | None) -> str | None:
    """The host of a URI (`http://10.1.1.5/onvif/device_service`) or a bare IP address; None for a token."""
    if not uri:
        return None
    if "://" not in uri:
        try:
            return str(ipaddress.ip_address(uri.strip()))
        except ValueError:
            return None
    try:
        host = urlsplit(uri).hostname
    except ValueError:
        return None
    return _clean(host)


def onvif_recordings(body: Any) -> list[Finding]:
    """ONVIF Recording service `GetRecordingsResponse` (Profile G): one `RecordingItem` per recording, whose
    `Configuration/Source` names the recorded device: `SourceId`, `Name`, `Location`, `Description` and `Address`
    (the URI the recorder fetches it from). A recording whose source has no address (a camera recording its own
    video to its card) is no camera behind a recorder. ONVIF gives no maker, model or firmware of the source."""
    out: list[Finding] = []
    for item in body.iter():
        if local(item.tag) != "RecordingItem":
            continue
        source = next((c for c in item.iter() if local(c.tag) == "Source"), None)
        if source is None:
            continue
        address = _host_of(_text(source, "Address")) or _host_of(_text(source, "SourceId"))
        if not address:
            continue
        out.append(
            _channel(
                "onvif",
                len(out) + 1,
                "ip",
                name=_text(source, "Name"),
                address=address,
                protocol="ONVIF",
            )
        )
        if len(out) >= MAX_CHANNELS:
            break
    if not out:
        return []
    return [*out, _summary("onvif", listed=True, ip_channels=len(out))]


def onvif_video_sources(body: Any) -> list[Finding]:
    """ONVIF Media `GetVideoSourcesResponse`: a recorder has one video source per channel (a camera one)."""
    count = sum(1 for e in body.iter() if local(e.tag) == "VideoSources")
    if count <= 1:
        return []
    return [_summary("onvif", listed=False, channels=count)]


def onvif_capabilities(body: Any) -> list[Finding]:
    """ONVIF `GetCapabilitiesResponse` (answered without a login by most devices): `DeviceIO/VideoSources`, the
    number of video inputs; more than one on a recorder is its channel count."""
    count = next((_int(e.text) for e in body.iter() if local(e.tag) == "VideoSources" and len(e) == 0), None)
    if count is None or count <= 1:
        return []
    value = {
        "api": "onvif",
        "listed": False,
        "channels": count,
        "counted_by": "ONVIF GetCapabilities (no login)",
    }
    return [("recorder_summary", value)]


ONVIF_READERS: dict[str, Callable[[Any], list[Finding]]] = {
    "GetRecordingsResponse": onvif_recordings,
    "GetVideoSourcesResponse": onvif_video_sources,
    "GetCapabilitiesResponse": onvif_capabilities,
}


# -------------------------------------------------------------------------------------------- UniFi Protect


#: The UniFi OS session login (a JSON POST answered with a session cookie): its status says whether the
#: credentials were refused (`camscan.probe.unifi`).
SESSION_LOGIN_PATHS = frozenset({"/api/auth/login"})


def _json_items(text: str) -> tuple[list[Any], bool]:
    """The objects of a JSON list (or of the `cameras` list of an object), and whether the text was whole. A
    list cut at the byte cap still gives the objects before the cut (a console with many cameras)."""
    items: list[Any]
    try:
        data = json.loads(text)
    except (
        ValueError,
        RecursionError,
    ):  # RecursionError: arrays or objects nested past Python's recursion limit
        data = None
    if data is not None:
        found = data.get("cameras") if isinstance(data, dict) else data
        return (found if isinstance(found, list) else []), True
    if not text.lstrip().startswith("["):  # only a list (`/cameras`) can be read up to a cut
        raise ParseError("not JSON")
    decoder, items, pos = json.JSONDecoder(), [], text.find("[") + 1
    while len(items) < MAX_CHANNELS:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            item, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        items.append(item)
    if not items:
        raise ParseError("not JSON")
    return items, False


def unifi_protect_cameras(body: str) -> list[Finding]:
    """UniFi Protect `GET /proxy/protect/api/cameras` (a list) or `/proxy/protect/api/bootstrap` (its `cameras`):
    the cameras the console adopted, each with `mac`, `host` (its address), `type`/`marketName` (the model),
    `firmwareVersion`, `name`, `state` and `isAdopted`. Protect has no channel numbers: the order of the list is
    used (channel 1 is the first camera). A camera Protect flags `isThirdPartyCamera` (an ONVIF camera of another
    maker) is not given Ubiquiti as its maker: only its address, MAC, name and state are taken. A list cut at
    the byte cap gives the cameras before the cut, and the summary says so."""
    items, whole = _json_items(body)
    out: list[Finding] = []
    for camera in items[:MAX_CHANNELS]:
        if not isinstance(camera, dict) or camera.get("isAdopted") is False:
            continue
        state = str(camera.get("state") or "").upper()
        third_party = camera.get("isThirdPartyCamera") is True
        identity: dict[str, Any] = {}
        if not third_party:
            identity = {
                "manufacturer": "Ubiquiti",
                "model": camera.get("marketName") or camera.get("type"),
                "firmware": camera.get("firmwareVersion"),
            }
        out.append(
            _channel(
                "unifi_protect",
                len(out) + 1,
                "ip",
                name=camera.get("name"),
                address=camera.get("host"),
                mac=camera.get("mac"),
                protocol="UniFi Protect",
                status="online" if state == "CONNECTED" else "offline" if state else None,
                **identity,
            )
        )
    note = None if whole else f"the answer was cut at the byte cap: the first {len(out)} cameras were read"
    return [*out, _summary("unifi_protect", listed=True, note=note, ip_channels=len(out))]


# -------------------------------------------------------------------------------------------- dispatch

_XML_READERS: dict[str, Callable[[Any], list[Finding]]] = {
    "/ISAPI/ContentMgmt/InputProxy/channels": hikvision_input_proxy,
    "/ISAPI/ContentMgmt/InputProxy/channels/status": hikvision_input_proxy_status,
    "/ISAPI/System/Video/inputs/channels": hikvision_video_inputs,
}
_DAHUA_READERS: dict[str, Callable[[str], list[Finding]]] = {
    "RemoteDevice": dahua_remote_devices,
    "ChannelTitle": dahua_channel_titles,
}
_JSON_READERS: dict[str, Callable[[str], list[Finding]]] = {
    "/proxy/protect/api/bootstrap": unifi_protect_cameras,
    "/proxy/protect/api/cameras": unifi_protect_cameras,
}
#: The request paths (query excluded) whose answers this module reads: what a probe asks for.
PATHS = frozenset(
    {
        *_XML_READERS,
        *_JSON_READERS,
        "/cgi-bin/configManager.cgi",
        "/cgi-bin/devVideoInput.cgi",
        "/cgi-bin/eventManager.cgi",
    }
)


def is_recorder_path(path: str | None) -> bool:
    return path is not None and urlsplit(path).path in PATHS


def recorder_findings(path: str | None, status: int, body: bytes | str) -> list[Finding]:
    """The findings of one answer to one of the recorder calls (`PATHS`); [] for any other path, an error status
    or an answer that does not read. Never raises for what a device sent."""
    if path is None or status != 200 or not body:
        return []
    parts = urlsplit(path)
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if len(text) > MAX_ANSWER:
        return []
    try:
        reader = _XML_READERS.get(parts.path.rstrip("/"))
        if reader is not None:
            return reader(parse_xml(text.encode("utf-8"), MAX_ANSWER))
        json_reader = _JSON_READERS.get(parts.path.rstrip("/"))
        if json_reader is not None:
            return json_reader(text)
        if parts.path == "/cgi-bin/devVideoInput.cgi" and "action=getCollect" in parts.query:
            return dahua_video_inputs(text)
        if parts.path == "/cgi-bin/eventManager.cgi" and parse_qs(parts.query).get("code") == ["VideoLoss"]:
            return dahua_video_loss(text)
        if parts.path == "/cgi-bin/configManager.cgi":
            query = parse_qs(parts.query)
            if query.get("action") == ["getConfig"]:
                dahua = _DAHUA_READERS.get((query.get("name") or [""])[0])
                if dahua is not None:
                    return dahua(text)
    except ParseError:
        return []
    return []


def discovery_summary(reply: dict[str, Any]) -> Finding | None:
    """How many channels a recorder says it has without a login: Hikvision SADP (`AnalogChannelNum`,
    `DigitalChannelNum`) and Dahua DHDiscover (`VideoInputChannels`, `RemoteVideoInputChannels`). None when the
    reply does not say (or says one channel: a camera's own)."""
    protocol = reply.get("protocol")
    if protocol == "sadp":
        analog, digital = _int(reply.get("AnalogChannelNum")), _int(reply.get("DigitalChannelNum"))
        api = "hikvision_isapi"
    elif protocol == "dahua":
        analog, digital = _int(reply.get("VideoInputChannels")), _int(reply.get("RemoteVideoInputChannels"))
        api = "dahua_cgi"
    else:
        return None
    if analog is None and digital is None:
        return None
    total = (analog or 0) + (digital or 0)
    if total <= 1:
        return None
    value: dict[str, Any] = {
        "api": api,
        "listed": False,
        "counted_by": f"{protocol} discovery reply (no login)",
        "channels": total,
    }
    if digital is not None:
        value["ip_channels"] = digital
    if analog is not None:
        value["analog_channels"] = analog
    return ("recorder_summary", value)
