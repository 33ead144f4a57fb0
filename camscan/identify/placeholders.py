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
        doc = load_yaml(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("placeholders"), list):
            raise DataError(path, None, "expected a mapping with a 'placeholders' list")
        alternatives: dict[str, list[str]] = {}
        for i, raw in enumerate(doc["placeholders"], 1):
            entry = f"placeholder #{i}"
            if not isinstance(raw, dict):
                raise DataError(path, entry, "each placeholder must be a mapping")
            if not raw.get("source"):
                raise DataError(path, entry, "needs a 'source' (where a device sent it, or why it is generic)")
            fields = raw.get("fields")
            if not isinstance(fields, list) or not fields:
                raise DataError(path, entry, "needs 'fields': the identity fields it is a placeholder in")
            bad = [f for f in fields if f not in IDENTITY_FIELDS]
            if bad:
                raise DataError(path, entry, f"fields {bad} are not identity fields {IDENTITY_FIELDS}")
            if ("value" in raw) == ("pattern" in raw):
                raise DataError(path, entry, "needs exactly one of 'value' or 'pattern'")
            if "value" in raw:
                alternative = re.escape(str(raw["value"]).strip())
            else:
                alternative = str(raw["pattern"])
                try:
                    re.compile(alternative)
                except re.error as exc:
                    raise DataError(path, entry, f"'pattern' is not a valid regular expression: {exc}") from None
            for f in fields:
                alternatives.setdefault(f, []).append(f"(?:{alternative})")
        compiled = {f: re.compile("|".join(alts), re.IGNORECASE) for f, alts in alternatives.items()}
        return cls(compiled, str(doc.get("version", "unknown")))
