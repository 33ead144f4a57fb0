"""Services offered: a host that serves a live RTSP video stream is a video source (a camera, encoder or recorder).

Issue 11: a device's type comes from its product line, its ONVIF device types *and the services it offers*. An
RTSP DESCRIBE answer (`sdp`) that describes a video medium (RFC 8866 §5.14) over a live presentation — no
`a=range`, or one without an end such as `npt=now-` or `npt=0-` (RFC 2326 §3.6, appendix C.1.5) — is what
cameras, encoders and recorders serve. The engine uses it only as a low-confidence prior for a device that nothing
else typed. Software and devices that serve live video without being video sources of the estate (VLC, FFmpeg,
the LIVE555 Media Server, SAT>IP TV tuners) are ordinary signatures that type the device (`media_server`), so the
prior never applies to them: one matching mechanism. The rule's wording and examples: vendor_signatures/video_sources.yaml.

A description of a BROADCAST is not a video source's answer (`broadcast_reason`): streaming software — encoder
applications such as QuickTime Broadcaster, FFmpeg and GStreamer pipelines, test tools, IPTV and TV restreamers,
streaming servers relaying a broadcast — describes a stream it pushes to a fixed destination, or packs video in the
broadcast multiplex, while a video device's RTSP server describes its own elementary streams for the client to set
up (RFC 2326 appendix C.1.7: "unless the media content has a fixed destination address, the c= field is to be set
to a suitable null value"; the ONVIF Streaming Specification: JPEG, MPEG-4, H.264 and H.265 over RTP, a multicast
stream still set up through its control URL). Three forms, one reason: a loopback destination (the stream goes to a
program on the same computer), a multicast destination with fixed ports and no RTSP control URL (a session
announcement or an SDP file for players, RFC 8866's own example), and video carried only as an MPEG-2 transport
stream (RFC 2250 `MP2T`, static payload type 33: IPTV, DVB, SAT>IP and restreamers).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from camscan.identify.device_types import DeviceTypes, load_device_types
from camscan.parse.sdp import Description, Media, description

#: `a=range:<unit>=<start>-[<end>]` (npt, clock, smpte…); only the part after the first `-` matters.
_RANGE = re.compile(r"^[ \t]*[a-z][a-z0-9-]*[ \t]*=[^-]*-[ \t]*(.*)", re.IGNORECASE | re.DOTALL)


def is_live_video(sdp: str | Description) -> bool:
    """True when the stream description offers video over a live (open-ended or unbounded) presentation."""
    parsed = description(sdp)
    if not any(m.kind == "video" for m in parsed.media):
        return False
    for line in parsed.attributes("range"):
        m = _RANGE.match(line.argument or "")
        if m and m.group(1).strip():
            return False
    return True


#: RTP payload names of the MPEG-2 transport stream (RFC 2250 §2, RFC 3551 static payload type 33 "MP2T").
_TRANSPORT_STREAM = "mp2t"
_STATIC_TRANSPORT_STREAM = "33"


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address of a `c=<nettype> <addrtype> <address>[/ttl[/count]]` value, or None when it is not an IP
    literal."""
    parts = value.split()
    if len(parts) < 3:
        return None
    try:
        return ipaddress.ip_address(parts[2].split("/", 1)[0])
    except ValueError:
        return None


def _encodings(medium: Media) -> dict[str, str]:
    """Payload type -> encoding name of a media section's `a=rtpmap` lines, case folded."""
    out = {}
    for line in medium.attributes("rtpmap"):
        parts = (line.argument or "").split(None, 1)
        if len(parts) == 2:
            out[parts[0]] = parts[1].split("/", 1)[0].strip().casefold()
    return out


def _carries_transport_stream(medium: Media) -> bool:
    """Every format of the medium is an MPEG-2 transport stream (an rtpmap naming MP2T, the static type 33 left
    unmapped, or a transport protocol that names it, such as `MP2T/AVP`)."""
    if _TRANSPORT_STREAM in medium.protocol.casefold():
        return True
    if not medium.formats:
        return False
    encodings = _encodings(medium)
    for fmt in medium.formats:
        name = encodings.get(fmt)
        if name is None and fmt != _STATIC_TRANSPORT_STREAM:
            return False
        if name is not None and name != _TRANSPORT_STREAM:
            return False
    return True


def broadcast_reason(sdp: str | Description) -> str | None:
    """Why a stream description describes a broadcast rather than a video device's own stream, or None.

    Reads the one parsed form (camscan/parse/sdp.py): media sections, `c=` lines and `a=control` anywhere."""
    parsed = description(sdp)
    video = [m for m in parsed.media if m.kind == "video" and m.protocol]
    if not video:
        return None
    lines = parsed.lines()
    addresses = [a for a in (_address(line.value) for line in lines if line.type == "c") if a is not None]
    if any(a.is_loopback for a in addresses):
        return "its destination is the loopback address: a stream written for a program on the same computer"
    if all(_carries_transport_stream(m) for m in video):
        return "its video is an MPEG-2 transport stream (MP2T): a broadcast multiplex"
    controlled = any(line.name == "control" and line.argument is not None for line in lines)
    fixed = any(m.port.split("/", 1)[0] not in ("", "0") for m in video)
    if not controlled and fixed and any(a.is_multicast for a in addresses):
        return "it announces a multicast session with fixed ports and no RTSP control URL"
    return None


def is_video_source_stream(sdp: str | Description) -> bool:
    """True when the stream description is a live video stream that a video source serves: live video
    (`is_live_video`) that is not a broadcast (`broadcast_reason`)."""
    return is_live_video(sdp) and broadcast_reason(sdp) is None


@dataclass(frozen=True, slots=True, eq=False)
class VideoSources:
    """The services-offered rule: the type word, its (low) confidence, the reason shown, and its examples."""

    device_type: str = "camera"
    confidence: float = 0.0
    reason: str = ""
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    version: str = "unknown"

    @property
    def enabled(self) -> bool:
        return self.confidence > 0

    def problems(self) -> list[tuple[str, str]]:
        """Examples that do not behave (checked by `camscan signatures test`): (id, message)."""
        out: list[tuple[str, str]] = []
        for n, value in enumerate(self.examples, 1):
            if not is_video_source_stream(value):
                out.append(("live_stream", f"example {n} is not recognised as a video source's live stream"))
        for n, value in enumerate(self.not_examples, 1):
            if is_video_source_stream(value):
                out.append(("live_stream", f"not_example {n} is recognised as a video source's live stream"))
        return out

    def example_count(self) -> int:
        return len(self.examples) + len(self.not_examples)

    def example_values(self) -> list[tuple[str, str]]:
        """(kind, value) of every example, for the corpus rule (no corpus value is an example)."""
        return [("sdp", v) for v in (*self.examples, *self.not_examples)]

    @classmethod
    def empty(cls) -> VideoSources:
        return cls()

    @classmethod
    def load(cls, path: Path, device_types: DeviceTypes | None = None) -> VideoSources:
        from camscan.datafile import load_yaml

        if not path.exists():
            return cls.empty()
        doc = load_yaml(path, "video_sources")  # vendor_signatures/schema/video_sources.schema.json
        vocabulary = device_types if device_types is not None else load_device_types(Path(path).parent)
        live = doc["live_stream"]
        return cls(
            device_type=vocabulary.check(path, "live_stream", live["device_type"]),
            confidence=float(live["confidence"]),
            reason=live["evidence"],
            examples=tuple(live.get("examples") or ()),
            not_examples=tuple(live.get("not_examples") or ()),
            version=str(doc.get("version", "unknown")),
        )
