"""Placeholders: values firmware ships in identity fields that say nothing about the device.

`Camera` in an ONVIF hardware scope is not a model and `H264` in GetDeviceInformation's Manufacturer is not a
maker: the engine drops such values before voting (vendor_signatures/placeholders.yaml, with sources).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from camscan.errors import DataError
from camscan.model import IDENTITY_FIELDS


@dataclass(frozen=True, slots=True, eq=False)
class Placeholders:
    """Per identity field, one compiled whole-value pattern (case-insensitive, space-trimmed)."""

    by_field: dict[str, re.Pattern[str]]
    version: str = "unknown"

    def is_placeholder(self, field: str, value: str) -> bool:
        pattern = self.by_field.get(field)
        return bool(pattern and pattern.fullmatch(value.strip()))

    @classmethod
    def empty(cls) -> Placeholders:
        return cls({})

    @classmethod
    def load(cls, path: Path) -> Placeholders:
        from camscan.datafile import load_yaml

        if not path.exists():
            return cls.empty()
        doc = load_yaml(path, "placeholders")  # vendor_signatures/schema/placeholders.schema.json
        alternatives: dict[str, list[str]] = {}
        for i, raw in enumerate(doc["placeholders"], 1):
            bad = [f for f in raw["fields"] if f not in IDENTITY_FIELDS]
            if bad:
                raise DataError(
                    path, f"placeholder #{i}", f"fields {bad} are not identity fields {IDENTITY_FIELDS}"
                )
            if "value" in raw:
                alternative = re.escape(str(raw["value"]).strip())
            else:
                alternative = str(raw["pattern"])
                try:
                    re.compile(alternative)
                except re.error as exc:
                    raise DataError(
                        path, f"placeholder #{i}", f"'pattern' is not a valid regular expression: {exc}"
                    ) from None
            for f in raw["fields"]:
                alternatives.setdefault(f, []).append(f"(?:{alternative})")
        compiled = {f: re.compile("|".join(alts), re.IGNORECASE) for f, alts in alternatives.items()}
        return cls(compiled, str(doc.get("version", "unknown")))
