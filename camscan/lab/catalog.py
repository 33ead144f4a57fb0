"""Which profiles a lab runs: names, groups (`all`, `cameras`, `hostile` …) and the demo estate."""

from __future__ import annotations

from collections.abc import Iterable

from camscan.lab.profiles import Profile, list_profiles, load_profile

DEMO_PROFILES: tuple[str, ...] = (
    "hikvision-camera",
    "hikvision-nvr",
    "dahua-camera",
    "axis-camera",
    "hanwha-camera",
    "uniview-camera",
    "xiongmai-camera",
    "generic-onvif-camera",
    "rebadged-hikvision-camera",
    "rebadged-dahua-lorex",
    "printer",
    "linux-web-server",
)

GROUPS = {"all", "cameras", "non-cameras", "hostile", "demo", "estate", "recorders"}


def demo_profiles() -> list[str]:
    """A dozen mixed devices for `camscan demo`: cameras of several makers (two rebadged) and two non-cameras."""
    return list(DEMO_PROFILES)


def expand(names: Iterable[str | Profile]) -> list[Profile]:
    """Profiles for names, paths and groups: `all`, `cameras`, `non-cameras`, `hostile`, `demo`, `estate`
    (everything that is not hostile) and `recorders` (NVRs/DVRs with cameras behind them, not in `all` or
    `estate`). Comma-separated strings are split."""
    out: list[Profile] = []
    for item in names:
        if isinstance(item, Profile):
            out.append(item)
            continue
        for name in (part.strip() for part in item.split(",")):
            if not name:
                continue
            if name in GROUPS:
                out += _group(name)
            else:
                out.append(load_profile(name))
    return out


def _group(name: str) -> list[Profile]:
    if name == "demo":
        return [load_profile(n) for n in DEMO_PROFILES]
    every = [load_profile(n) for n in list_profiles()]
    wanted = {
        "all": {"camera", "non-camera", "hostile"},
        "estate": {"camera", "non-camera"},
        "cameras": {"camera"},
        "non-cameras": {"non-camera"},
        "hostile": {"hostile"},
        "recorders": {"recorder"},
    }[name]
    return [p for p in every if p.category in wanted]
