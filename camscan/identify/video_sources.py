"""Services offered: a host that serves a live RTSP video stream is a video source (a camera, encoder or recorder).

Issue 11: a device's type comes from its product line, its ONVIF device types *and the services it offers*. An
RTSP DESCRIBE answer (`sdp`) that describes a video medium (RFC 8866 §5.14) over a live presentation — no
`a=range`, or one without an end such as `npt=now-` or `npt=0-` (RFC 2326 §3.6, appendix C.1.5) — is what
cameras, encoders and recorders serve. The engine uses it only as a low-confidence prior, when nothing else typed
the device, and withholds it when the host shows a marker of software or devices that serve live video without
being video sources of the estate (re-streamers, TV tuners): vendor_signatures/video_sources.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from camscan.errors import DataError
from camscan.model import OBSERVATION_KINDS, Observation

_VIDEO_MEDIA = re.compile(r"(?m)^m=video[ \t]")
#: `a=range:<unit>=<start>-[<end>]` (npt, clock, smpte…); only the part after the first `-` matters.
_RANGE = re.compile(r"(?mi)^a=range:[ \t]*[a-z][a-z0-9-]*[ \t]*=[^-\r\n]*-[ \t]*([^\r\n]*)")


def is_live_video(sdp: str) -> bool:
    """True when the stream description offers video over a live (open-ended or unbounded) presentation."""
    if not _VIDEO_MEDIA.search(sdp):
        return False
    return all(not end.strip() for end in _RANGE.findall(sdp))


@dataclass(frozen=True, slots=True)
class Marker:
    """Software or a device that serves live video without being a video source of the estate."""

    id: str
    name: str
    kind: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class VideoSources:
    device_type: str = "camera"
    confidence: float = 0.0
    reason: str = ""
    markers: dict[str, tuple[Marker, ...]] = field(default_factory=dict)  # kind → markers
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    version: str = "unknown"

    @property
    def enabled(self) -> bool:
        return self.confidence > 0

    def marker(self, observations: Iterable[Observation]) -> Marker | None:
        """The first marker any of the host's observations shows."""
        for obs in observations:
            for marker in self.markers.get(obs.kind, ()):
                if isinstance(obs.value, str) and marker.pattern.search(obs.value):
                    return marker
        return None

    def problems(self) -> list[tuple[str, str]]:
        """Examples that do not behave (checked by `camscan signatures test`): (id, message)."""
        out: list[tuple[str, str]] = []
        for n, value in enumerate(self.examples, 1):
            if not is_live_video(value):
                out.append(("live_stream", f"example {n} is not recognised as a live video stream"))
        for n, value in enumerate(self.not_examples, 1):
            if is_live_video(value):
                out.append(("live_stream", f"not_example {n} is recognised as a live video stream"))
        for markers in self.markers.values():
            for m in markers:
                out += [(m.id, f"example {n} does not match") for n, v in enumerate(m.examples, 1) if not m.pattern.search(v)]
                out += [(m.id, f"not_example {n} matches") for n, v in enumerate(m.not_examples, 1) if m.pattern.search(v)]
        return out

    def example_count(self) -> int:
        return len(self.examples) + len(self.not_examples) + sum(
            len(m.examples) + len(m.not_examples) for ms in self.markers.values() for m in ms
        )

    def example_values(self) -> list[tuple[str, str]]:
        """(kind, value) of every example, for the corpus rule (no corpus value is an example)."""
        out = [("sdp", v) for v in (*self.examples, *self.not_examples)]
        for markers in self.markers.values():
            out += [(m.kind, v) for m in markers for v in (*m.examples, *m.not_examples)]
        return out

    @classmethod
    def empty(cls) -> VideoSources:
        return cls()

    @classmethod
    def load(cls, path: Path) -> VideoSources:
        from camscan.datafile import load_yaml

        if not path.exists():
            return cls.empty()
        doc = load_yaml(path, "video_sources")  # vendor_signatures/schema/video_sources.schema.json
        markers: dict[str, list[Marker]] = {}
        for raw in doc["not_video_sources"]:
            entry = f"marker {raw['id']!r}"
            if raw["kind"] not in OBSERVATION_KINDS or OBSERVATION_KINDS[raw["kind"]] != "str":
                raise DataError(path, entry, f"kind {raw['kind']!r} is not a text observation kind")
            try:
                pattern = re.compile(raw["pattern"])
            except re.error as exc:
                raise DataError(path, entry, f"'pattern' is not a valid regular expression: {exc}") from None
            markers.setdefault(raw["kind"], []).append(
                Marker(
                    raw["id"],
                    raw["name"],
                    raw["kind"],
                    pattern,
                    tuple(raw.get("examples") or ()),
                    tuple(raw.get("not_examples") or ()),
                )
            )
        live = doc["live_stream"]
        return cls(
            device_type=live["device_type"],
            confidence=float(live["confidence"]),
            reason=live["evidence"],
            markers={k: tuple(v) for k, v in markers.items()},
            examples=tuple(live.get("examples") or ()),
            not_examples=tuple(live.get("not_examples") or ()),
            version=str(doc.get("version", "unknown")),
        )
