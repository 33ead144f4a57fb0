"""Services offered: a host that serves a live RTSP video stream is a video source (a camera, encoder or recorder).

Issue 11: a device's type comes from its product line, its ONVIF device types *and the services it offers*. An
RTSP DESCRIBE answer (`sdp`) that describes a video medium (RFC 8866 §5.14) over a live presentation — no
`a=range`, or one without an end such as `npt=now-` or `npt=0-` (RFC 2326 §3.6, appendix C.1.5) — is what
cameras, encoders and recorders serve. The engine uses it only as a low-confidence prior for a device that nothing
else typed. Software and devices that serve live video without being video sources of the estate (VLC, FFmpeg,
the LIVE555 Media Server, SAT>IP TV tuners) are ordinary signatures that type the device (`media_server`), so the
prior never applies to them: one matching mechanism. The rule's wording and examples: vendor_signatures/video_sources.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from camscan.identify.device_types import DeviceTypes, load_device_types

_VIDEO_MEDIA = re.compile(r"(?m)^m=video[ \t]")
#: `a=range:<unit>=<start>-[<end>]` (npt, clock, smpte…); only the part after the first `-` matters.
_RANGE = re.compile(r"(?mi)^a=range:[ \t]*[a-z][a-z0-9-]*[ \t]*=[^-\r\n]*-[ \t]*([^\r\n]*)")


def is_live_video(sdp: str) -> bool:
    """True when the stream description offers video over a live (open-ended or unbounded) presentation."""
    if not _VIDEO_MEDIA.search(sdp):
        return False
    return all(not end.strip() for end in _RANGE.findall(sdp))


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
            if not is_live_video(value):
                out.append(("live_stream", f"example {n} is not recognised as a live video stream"))
        for n, value in enumerate(self.not_examples, 1):
            if is_live_video(value):
                out.append(("live_stream", f"not_example {n} is recognised as a live video stream"))
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
