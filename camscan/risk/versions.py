"""Firmware strings compared per vendor scheme (never `packaging.version`, which mangles them).

Each scheme turns what a device reports (version, build, build date, as the engine split them) into a
`Firmware`: a comparable `key`, a `branch` (Dahua-style strings compare only within the first three fields) and a
build date. Two firmwares compare only when both parse under the scheme and sit on the same branch; otherwise the
answer is None ("cannot say"), which the matcher turns into *possibly affected*, never *not affected*.

Schemes:
- ``hikvision``: ``V5.4.0 build 160530``, ``V5.5.800build 210628`` -> key (5, 4, 0), date 2016-05-30.
- ``dahua``: ``2.800.0000000.13.R`` (optionally ``.200314`` or ``, Build Date 2020-03-14``) -> branch
  (2, 800, "0000000"), key (13,), date. Amcrest and other Dahua OEM firmware use the same shape.
- ``dotted``: ``8.20.1``, ``6.50.2.3`` (Axis, incl. LTS tracks), ``2.60B15`` (D-Link) -> numeric key, optional
  letter+number suffix compared only when the numbers tie.
- ``xiongmai``: ``V5.00.R02.00030747.10010.349f17`` -> key (5, 0, 2); the rest is opaque (equal or unknown).
- ``opaque``: equality only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

SCHEMES = ("hikvision", "dahua", "dotted", "xiongmai", "opaque")

Key = tuple[int | str, ...]


@dataclass(frozen=True, slots=True)
class Firmware:
    """A parsed firmware: `key` orders versions within one `branch`; `rest` must be equal for a tie to count."""

    text: str
    key: Key | None = None
    branch: tuple[str, ...] | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    suffix: tuple[str, int] | None = None
    rest: str | None = None


_HIK = re.compile(r"V?(?P<v>\d+(?:\.\d+)+)(?:\s*build\s*(?P<b>\d{6}))?", re.I)
_DAHUA = re.compile(
    r"V?(?P<maj>\d+)\.(?P<min>\d+)\.(?P<code>[0-9A-Z]+)\.(?P<build>\d+)\.(?P<rel>[0-9A-Z]+)"
    r"(?:\.(?P<date>\d{6}|\d{8}))?(?:\s*,\s*build(?:\s*date)?\s*:?\s*(?P<iso>\d{4}-\d{2}-\d{2}))?",
    re.I,
)
_DOTTED = re.compile(r"v?(?P<nums>\d+(?:\.\d+)*)(?:[ _-]?(?P<letters>[A-Za-z]+)(?P<n>\d+))?", re.I)
_XM = re.compile(r"V?(?P<maj>\d+)\.(?P<min>\d+)\.R(?P<rel>\d+)(?:\.(?P<rest>[0-9A-Za-z.]+))?", re.I)
_BUILD_DATE = re.compile(r"(?<!\d)(\d{8}|\d{6})(?!\d)")


def stamp_date(text: str | None) -> str | None:
    """An ISO date from a build stamp: `yymmdd`, `yyyymmdd` or `yyyy-mm-dd` (None when it is no valid date)."""
    if not text:
        return None
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        digits = text.replace("-", "")
    else:
        m = _BUILD_DATE.search(text)
        if not m:
            return None
        digits = m.group(1)
    try:
        if len(digits) == 6:
            return date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:])).isoformat()
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None


def _ints(dotted: str) -> tuple[int, ...]:
    return tuple(int(p) for p in dotted.split("."))


def parse(
    scheme: str, text: str | None, build: str | None = None, built: str | None = None
) -> Firmware | None:
    """Parse `text` (with the engine's split-off `build` / ISO `built` date when known) under `scheme`;
    None when the string does not fit the scheme."""
    if not text:
        return None
    raw = text.strip()
    when = built or stamp_date(build)
    if scheme == "hikvision":
        stamp = re.sub(r"(?i)build\s*", "", build or "").strip()
        joined = raw if not stamp or "build" in raw.lower() else f"{raw} build {stamp}"
        m = _HIK.fullmatch(joined.strip()) or _HIK.fullmatch(raw)
        if not m:
            return None
        return Firmware(raw, _ints(m["v"]), None, when or stamp_date(m["b"]))
    if scheme == "dahua":
        m = _DAHUA.fullmatch(raw)
        if not m:
            return None
        branch = (m["maj"], m["min"], m["code"].upper())
        stamped = stamp_date(m["date"]) or stamp_date(m["iso"])
        return Firmware(raw, (int(m["build"]),), branch, when or stamped, None, m["rel"].upper())
    if scheme == "dotted":
        m = _DOTTED.fullmatch(raw)
        if not m:
            return None
        suffix = (m["letters"].upper(), int(m["n"])) if m["letters"] else None
        return Firmware(raw, _ints(m["nums"]), None, when, suffix)
    if scheme == "xiongmai":
        m = _XM.fullmatch(raw)
        if not m:
            return None
        key = (int(m["maj"]), int(m["min"]), int(m["rel"]))
        return Firmware(raw, key, None, when, None, (m["rest"] or "").casefold())
    return Firmware(raw, None, None, when, None, _opaque(raw, build))


def _opaque(raw: str, build: str | None) -> str:
    """An opaque version compared as written, whatever separates its parts, with the build the engine split off
    put back (the engine splits Reolink's `v3.0.0.136_20121102` into version and build; an advisory names it whole)."""
    text = raw if not build or build in raw else f"{raw}.{build}"
    return re.sub(r"[^0-9a-z]+", ".", text.casefold()).strip(".")


def _pad(a: Key, b: Key) -> tuple[Key, Key]:
    n = max(len(a), len(b))
    return a + (0,) * (n - len(a)), b + (0,) * (n - len(b))


def compare_version(a: Firmware, b: Firmware) -> int | None:
    """-1, 0 or 1 comparing versions only, or None when they cannot be compared."""
    if a.key is None or b.key is None:
        # Opaque strings: equal or unknown.
        return 0 if a.rest is not None and a.rest == b.rest else None
    if a.branch != b.branch:
        return None
    x, y = _pad(a.key, b.key)
    if x != y:
        return -1 if x < y else 1
    if a.suffix != b.suffix:
        if a.suffix is None or b.suffix is None or a.suffix[0] != b.suffix[0]:
            return None
        return -1 if a.suffix[1] < b.suffix[1] else 1
    if a.rest != b.rest:
        # Same numbers, different trailing parts (release letter, XiongMai build hash): no order is known.
        return None
    return 0


def compare_dates(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return (a > b) - (a < b)


def compare(a: Firmware, b: Firmware, basis: str) -> int | None:
    """Compare on `basis`: `version`, `build_date` or `both` (version first, the build date breaks a tie)."""
    if basis == "build_date":
        return compare_dates(a.date, b.date)
    by_version = compare_version(a, b)
    if basis == "version" or by_version is None:
        return by_version
    if by_version != 0:
        return by_version
    return compare_dates(a.date, b.date)
