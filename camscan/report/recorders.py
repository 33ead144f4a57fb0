"""Recorders and the cameras behind them (issue 14), as every report shows them: the tree (recorder → channels),
the counts, and what a recorder said when its cameras could not be listed.

Works on the one read model (`camscan.model.Device`) and on its `devices --json` form (dicts), so the CLI table,
the questionnaire and the HTML report say the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from camscan.model import Device

INPUT_WORDS = {"analog": "analogue", "ip": "IP"}


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def channel_label(device: Any) -> str:
    """`ch 9 (IP, 192.168.254.2)`, `ch 3 (analogue)`: where a camera sits on its recorder."""
    parts = [INPUT_WORDS.get(_get(device, "channel_input") or "", _get(device, "channel_input") or "")]
    if _get(device, "private_address"):
        parts.append(str(_get(device, "private_address")))
    if _get(device, "channel_status") == "offline":
        parts.append("offline")
    inside = ", ".join(p for p in parts if p)
    return f"ch {_get(device, 'channel')}" + (f" ({inside})" if inside else "")


def camera_text(device: Any) -> str:
    """What is known of a camera behind a recorder, never more than the recorder said."""
    maker = _get(device, "manufacturer") or _get(device, "brand")
    words = [w for w in (maker, _get(device, "model")) if w]
    if words:
        return " ".join(str(w) for w in words)
    if _get(device, "channel_input") == "analog":
        return "analogue camera, maker unknown"
    return "camera, maker unknown"


def is_analog_unknown(device: Any) -> bool:
    """An analogue camera on a recorder's coax input whose maker the recorder does not say: coax carries no
    identity, so no network scan can ever name its maker (not an unidentified camera for `check`)."""
    return (
        bool(_get(device, "parent"))
        and _get(device, "channel_input") == "analog"
        and not _get(device, "manufacturer")
    )


@dataclass(slots=True)
class RecorderView:
    """One recorder with the cameras found on its channels and what it said about its channels."""

    recorder: Any
    cameras: list[Any] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        return dict(_get(self.recorder, "recorder") or {})

    @property
    def listed(self) -> bool:
        return bool(self.summary.get("listed")) or bool(self.cameras)

    @property
    def channels(self) -> int | None:
        value = self.summary.get("channels")
        return value if isinstance(value, int) else None

    @property
    def analog_unknown(self) -> int:
        return sum(1 for c in self.cameras if is_analog_unknown(c))

    def describe(self) -> str:
        """One sentence: how many channels, how many cameras listed, or why they could not be."""
        channels = self.channels
        said = f"{channels} channels" if channels is not None else "channel count not given"
        if self.listed:
            text = f"{said}; {len(self.cameras)} camera{'' if len(self.cameras) == 1 else 's'} listed"
            if self.analog_unknown:
                text += f" ({self.analog_unknown} analogue, maker unknown)"
            return text
        counted = self.summary.get("counted_by")
        text = said + (f" (from its {counted})" if counted and channels is not None else "")
        note = self.summary.get("note") or "its cameras could not be listed"
        return f"{text}; {note}"


def recorder_views(devices: Iterable[Any]) -> list[RecorderView]:
    """Every recorder in `devices` (a device that has cameras behind it, or that said something about its
    channels), with its cameras in channel order."""
    devices = list(devices)
    by_key = {_get(d, "key"): d for d in devices}
    children: dict[str, list[Any]] = defaultdict(list)
    for d in devices:
        parent = _get(d, "parent")
        if parent and parent in by_key:
            children[parent].append(d)
    views = []
    for d in devices:
        key = _get(d, "key")
        if key in children or _get(d, "recorder"):
            cams = sorted(children.get(key, []), key=lambda c: (_get(c, "channel") or 0, str(_get(c, "key"))))
            views.append(RecorderView(d, cams))
    return views


def tree_order(devices: Sequence[Any]) -> list[tuple[Any, int]]:
    """The devices with each recorder's cameras right after it: (device, depth) with depth 1 for a camera shown
    under its recorder. A camera whose recorder is not among `devices` stays where it was, at depth 0."""
    keys = {_get(d, "key") for d in devices}
    children: dict[str, list[Any]] = defaultdict(list)
    for d in devices:
        parent = _get(d, "parent")
        if parent and parent in keys and parent != _get(d, "key"):
            children[parent].append(d)
    placed = {id(c) for group in children.values() for c in group}
    out: list[tuple[Any, int]] = []
    for d in devices:
        if id(d) in placed:
            continue
        out.append((d, 0))
        for c in sorted(
            children.get(_get(d, "key"), []), key=lambda c: (_get(c, "channel") or 0, str(_get(c, "key")))
        ):
            out.append((c, 1))
    return out


@dataclass(slots=True)
class BehindCounts:
    """The numbers the questionnaire and the report give about recorders."""

    recorders: int = 0  # devices that are recorders (with cameras listed, or a channel summary)
    listed: int = 0  # recorders whose cameras were listed
    unlisted: int = 0  # recorders whose cameras could not be listed
    cameras_behind: int = 0  # cameras found through a recorder's channel list (counted once)
    also_direct: int = 0  # of those, also reached directly on the network
    analog_unknown: int = 0  # analogue cameras whose maker the recorder does not say
    channels_unlisted: int = 0  # channels the unlisted recorders said they have

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def behind_counts(devices: Iterable[Device | dict[str, Any]]) -> BehindCounts:
    devices = list(devices)
    views = recorder_views(devices)
    counts = BehindCounts(recorders=len(views))
    for view in views:
        if view.listed:
            counts.listed += 1
        else:
            counts.unlisted += 1
            counts.channels_unlisted += view.channels or 0
    behind = [d for d in devices if _get(d, "parent")]
    counts.cameras_behind = len(behind)
    counts.also_direct = sum(1 for d in behind if _get(d, "ip"))
    counts.analog_unknown = sum(1 for d in behind if is_analog_unknown(d))
    return counts
