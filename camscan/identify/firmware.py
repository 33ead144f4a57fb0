"""Firmware strings split by vendor scheme: version, build and build date.

Devices report firmware in their maker's own shape (`V5.5.800build 210628`, `2.800.0000000.13.R, Build Date
2021-06-16`, `9.80.1`). Each scheme is data (vendor_signatures/firmware_schemes.yaml, with examples); the first
whose pattern matches the whole string splits it. A string no scheme knows is kept whole as the version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from camscan.errors import DataError


@dataclass(frozen=True, slots=True)
class FirmwareParts:
    version: str
    build: str | None = None
    build_date: str | None = None  # ISO yyyy-mm-dd
    scheme: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Scheme:
    id: str
    pattern: re.Pattern[str]
    date_group: str | None
    date_format: str | None
    vendors: tuple[str, ...] = ()
    source: str = ""
    examples: tuple[dict[str, Any], ...] = field(default_factory=tuple)


_MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
#: A date written out the way firmware writes its build date apart from the version: ISO `2020-11-24` (also with
#: `.` or `/`: SUNAPI's BuildDate `2020.07.21`), or month first as C's `__DATE__` gives it (`Jun 13 2017`, Axis
#: BuildDate and SNMP sysDescr); a time after it is allowed (`2020-11-24 16:47:14`, `Apr 29 2020 06:50`).
_NUMERIC_DATE = re.compile(r"((?:19|20)\d\d)([-./])(\d\d)\2(\d\d)(?:[ T]\d\d:\d\d(?::\d\d)?)?")
_MONTH_DATE = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)(?:\s+\d\d:\d\d(?::\d\d)?)?",
    re.IGNORECASE,
)


def _date(text: str, fmt: str) -> str | None:
    if fmt == "text":
        return written_date(text)
    digits = text.replace("-", "")
    if fmt == "auto":
        fmt = {6: "yymmdd", 8: "yyyymmdd"}.get(len(digits), "")
    try:
        if fmt == "yymmdd" and len(digits) == 6:
            return date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:])).isoformat()
        if fmt in ("yyyymmdd", "iso") and len(digits) == 8:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None
    return None


def written_date(text: str) -> str | None:
    """The ISO date of `text` when the whole of it is a real calendar date written out (`2020-06-05`,
    `2020.07.21`, `2020-11-24 16:47:14`, `Jun 13 2017 14:38`), else None. A bare stamp of digits (`190603`)
    is not read here: only a firmware scheme knows whether it is yymmdd or a build number."""
    stripped = text.strip()
    try:
        m = _NUMERIC_DATE.fullmatch(stripped)
        if m:
            return date(int(m[1]), int(m[3]), int(m[4])).isoformat()
        m = _MONTH_DATE.fullmatch(stripped)
        if m:
            return date(int(m[3]), _MONTHS[m[1][:3].casefold()], int(m[2])).isoformat()
    except ValueError:
        return None
    return None


def iso_date(text: str) -> str | None:
    """A build stated apart from the version, as a date (`written_date`); kept under its 0.x name."""
    return written_date(text)


class FirmwareSchemes:
    def __init__(self, schemes: list[Scheme], version: str = "unknown") -> None:
        self.schemes = schemes
        self.version = version
        self.parse = lru_cache(maxsize=16384)(self._parse)

    def __len__(self) -> int:
        return len(self.schemes)

    def _parse(self, text: str) -> FirmwareParts:
        text = text.strip()
        for scheme in self.schemes:
            m = scheme.pattern.fullmatch(text)
            if not m:
                continue
            groups = m.groupdict()
            version = (groups.get("version") or "").strip()
            if not version:
                continue
            build = groups.get("build") or None
            built = None
            if scheme.date_group and groups.get(scheme.date_group) and scheme.date_format:
                built = _date(groups[scheme.date_group], scheme.date_format)
            return FirmwareParts(version, build, built, scheme.id)
        return FirmwareParts(text)

    def selftest(self) -> list[str]:
        """Examples that do not split as they say (`camscan signatures test`)."""
        problems = []
        for scheme in self.schemes:
            for n, ex in enumerate(scheme.examples, 1):
                parts = self._parse(str(ex["value"]))
                if parts.scheme != scheme.id:
                    problems.append(f"scheme {scheme.id!r} example {n} is parsed by {parts.scheme!r}")
                    continue
                for key, want in (ex.get("expect") or {}).items():
                    got = getattr(parts, key, None)
                    if str(want) != str(got):
                        problems.append(f"scheme {scheme.id!r} example {n}: {key} {got!r}, expected {want!r}")
        return problems

    @classmethod
    def load(cls, path: Path) -> FirmwareSchemes:
        from camscan.datafile import load_yaml

        if not path.exists():
            return cls([])
        doc = load_yaml(path, "firmware_schemes")  # vendor_signatures/schema/firmware_schemes.schema.json
        schemes: list[Scheme] = []
        seen: set[str] = set()
        for raw in doc["schemes"]:
            entry = f"scheme {raw['id']!r}"
            if raw["id"] in seen:
                raise DataError(path, entry, "duplicate id")
            seen.add(raw["id"])
            try:
                pattern = re.compile(raw["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise DataError(path, entry, f"'pattern' is not a valid regular expression: {exc}") from None
            if "version" not in pattern.groupindex:
                raise DataError(path, entry, "'pattern' needs a named group 'version'")
            date_from = raw.get("date_from") or {}
            group, fmt = date_from.get("group"), date_from.get("format")
            if date_from and group not in pattern.groupindex:
                raise DataError(
                    path, entry, f"'date_from' names group {group!r}, which the pattern does not have"
                )
            schemes.append(
                Scheme(
                    id=raw["id"],
                    pattern=pattern,
                    date_group=group,
                    date_format=fmt,
                    vendors=tuple(raw.get("vendors") or ()),
                    source=str(raw["source"]),
                    examples=tuple(raw["examples"]),
                )
            )
        return cls(schemes, str(doc.get("version", "unknown")))
