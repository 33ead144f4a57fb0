"""vendor_signatures/advisories.yaml, loaded and checked: one `Advisory` per CVE with its product lines.

The file's shape is checked by its JSON Schema (vendor_signatures/schema/advisories.schema.json); this loader
adds what a schema cannot say: vendors are canonical names of vendors.yaml, model patterns compile, ids are
unique, range boundaries parse under the entry's scheme.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from camscan.errors import DataError
from camscan.identify.device_types import DeviceTypes, load_device_types
from camscan.risk import versions

if TYPE_CHECKING:
    from camscan.identify.vendors import VendorRegistry

#: Statuses, most urgent first (the order reports sort by).
STATUSES = ("affected", "no_fix", "possibly_affected", "not_affected")
#: Source kinds, strongest first.
CONFIDENCES = ("vendor_advisory", "cert", "nvd", "researcher")
CATCH_ALL = frozenset({".*", ".+"})


@dataclass(frozen=True, slots=True)
class Range:
    introduced: str | None = None
    fixed: str | None = None
    last_affected: str | None = None
    #: The boundaries parsed under the advisory's scheme and basis (done once, at load).
    parsed: dict[str, versions.Firmware] = field(default_factory=dict, compare=False, hash=False)

    def describe(self) -> str:
        parts = []
        if self.introduced:
            parts.append(f">= {self.introduced}")
        if self.fixed:
            parts.append(f"< {self.fixed}")
        if self.last_affected:
            parts.append(f"<= {self.last_affected}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    device_types: frozenset[str]
    combined: re.Pattern[str] | None = None
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()
    all_versions: bool = False
    range_unknown: bool = False
    end_of_life: bool = False
    uncertain: bool = False

    @property
    def catch_all(self) -> bool:
        return any(p.pattern in CATCH_ALL for p in self.patterns)

    def matches(self, model: str) -> bool:
        if self.combined is not None:
            return self.combined.fullmatch(model) is not None
        return any(p.fullmatch(model) for p in self.patterns)

    def describe_range(self) -> str:
        if self.all_versions:
            return "all versions"
        if self.range_unknown:
            return "no range published"
        if self.versions:
            return "only " + ", ".join(self.versions)
        return "; ".join(r.describe() for r in self.ranges)


@dataclass(frozen=True, slots=True)
class Advisory:
    id: str
    vendor: str
    title: str
    scheme: str
    basis: str
    confidence: str
    products: tuple[Product, ...]
    sources: tuple[str, ...]
    kev: dict[str, Any] | None = None
    cvss: float | None = None
    auth_required: bool | None = None
    uncertain: bool = False
    notes: str = ""
    examples: tuple[dict[str, Any], ...] = ()

    @property
    def in_kev(self) -> bool:
        return self.kev is not None


@dataclass(slots=True, eq=False)
class AdvisorySet:
    advisories: list[Advisory]
    version: str = "unknown"
    kev_catalog: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    by_vendor: dict[str, list[Advisory]] = field(default_factory=dict)
    #: Matches per distinct device (maker, label, model, type, firmware): an estate repeats them (camscan.risk.match).
    memo: dict[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_vendor = {}
        for adv in self.advisories:
            self.by_vendor.setdefault(adv.vendor, []).append(adv)

    def __len__(self) -> int:
        return len(self.advisories)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.advisories)

    @property
    def label(self) -> str:
        """What stored matches were computed with: the file's version and the KEV catalog it was refreshed from."""
        kev = self.kev_catalog
        sha = (kev.get("sha256") or "")[:12]
        return f"advisories {self.version}, KEV {kev.get('version') or '-'}{' ' + sha if sha else ''}, {len(self)} entries"

    def get(self, advisory_id: str) -> Advisory | None:
        return next((a for a in self.advisories if a.id == advisory_id), None)

    @classmethod
    def empty(cls) -> AdvisorySet:
        return cls([])

    @classmethod
    def load(
        cls, path: Path, vendors: VendorRegistry | None = None, device_types: DeviceTypes | None = None
    ) -> AdvisorySet:
        from camscan.datafile import load_yaml

        doc = load_yaml(path)
        _check_schema(path, doc)
        vocabulary = device_types if device_types is not None else load_device_types(Path(path).parent)
        advisories: list[Advisory] = []
        seen: set[str] = set()
        for raw in doc["advisories"]:
            entry = f"advisory {raw['id']!r}"
            if raw["id"] in seen:
                raise DataError(path, entry, "duplicate id")
            seen.add(raw["id"])
            if vendors is not None and raw["vendor"] not in vendors:
                hint = vendors.resolve(raw["vendor"])
                more = f" (did you mean {hint!r}?)" if hint else ""
                raise DataError(
                    path, entry, f"vendor {raw['vendor']!r} is not a canonical name in vendors.yaml{more}"
                )
            products = tuple(_product(path, entry, raw, p, vocabulary) for p in raw["affected"])
            advisories.append(
                Advisory(
                    id=raw["id"],
                    vendor=raw["vendor"],
                    title=raw["title"],
                    scheme=raw["scheme"],
                    basis=raw["basis"],
                    confidence=raw["confidence"],
                    products=products,
                    sources=tuple(raw["sources"]),
                    kev=dict(raw["kev"]) if raw.get("kev") else None,
                    cvss=(raw.get("cvss") or {}).get("score"),
                    auth_required=raw.get("auth_required"),
                    uncertain=bool(raw.get("uncertain", False)),
                    notes=" ".join(str(raw.get("notes") or "").split()),
                    examples=tuple(raw["examples"]),
                )
            )
        return cls(advisories, str(doc["version"]), dict(doc.get("kev_catalog") or {}), path)


def _product(
    path: Path, entry: str, adv: dict[str, Any], raw: dict[str, Any], vocabulary: DeviceTypes
) -> Product:
    where = f"{entry}, product {raw['product']!r}"
    patterns = []
    for text in raw["models"]:
        try:
            patterns.append(re.compile(text, re.IGNORECASE))
        except re.error as exc:
            raise DataError(
                path, where, f"model pattern {text!r} is not a valid regular expression: {exc}"
            ) from None
    ranges = []
    for r in raw.get("ranges") or ():
        parsed = {}
        for name in ("introduced", "fixed", "last_affected"):
            bound = r.get(name)
            if bound is None:
                continue
            fw = boundary(adv["scheme"], adv["basis"], bound)
            if fw is None:
                raise DataError(
                    path,
                    where,
                    f"range boundary {bound!r} does not parse under scheme {adv['scheme']!r} "
                    f"(basis {adv['basis']!r}; build_date boundaries are ISO dates)",
                )
            parsed[name] = fw
        ranges.append(Range(r.get("introduced"), r.get("fixed"), r.get("last_affected"), parsed))
    return Product(
        name=raw["product"],
        patterns=tuple(patterns),
        device_types=frozenset(
            vocabulary.check(path, f"{entry} product {raw['product']!r}", t) for t in raw["device_types"]
        ),
        combined=re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE),
        ranges=tuple(ranges),
        versions=tuple(raw.get("versions") or ()),
        all_versions=bool(raw.get("all_versions", False)),
        range_unknown=bool(raw.get("range_unknown", False)),
        end_of_life=bool(raw.get("end_of_life", False)) or bool(raw.get("all_versions", False)),
        uncertain=bool(raw.get("uncertain", False)),
    )


def boundary(scheme: str, basis: str, text: str) -> versions.Firmware | None:
    """A range boundary as a Firmware: an ISO date for basis build_date, else a firmware string of the scheme."""
    if basis == "build_date":
        when = versions.stamp_date(text)
        return versions.Firmware(text, date=when) if when else None
    return versions.parse(scheme, text)


@lru_cache(maxsize=1)
def _schema() -> Any:
    import jsonschema

    from camscan.identify.knowledge import shipped_data_dir

    schema = json.loads(
        (shipped_data_dir() / "schema" / "advisories.schema.json").read_text(encoding="utf-8")
    )
    return jsonschema.Draft202012Validator(schema)


def _check_schema(path: Path, doc: Any) -> None:
    """The JSON Schema check. Until camscan.datafile validates every data file by its schema itself (issue 12),
    this loader applies advisories.schema.json; afterwards the check here is a cheap repeat."""
    from camscan import datafile

    if hasattr(datafile, "schema_path"):
        return  # load_yaml already checked the document against schema/advisories.schema.json
    errors = sorted(_schema().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or None
        entry = None
        if len(err.absolute_path) >= 2 and err.absolute_path[0] == "advisories":
            try:
                entry = f"advisory {doc['advisories'][err.absolute_path[1]]['id']!r}"
            except (KeyError, IndexError, TypeError):
                entry = None
        raise DataError(path, entry or where, f"{err.message} (at {where})")


def load_advisories(
    directory: Path, vendors: VendorRegistry | None = None, device_types: DeviceTypes | None = None
) -> AdvisorySet:
    """The advisories of a data directory; a directory without the file has none."""
    path = Path(directory) / "advisories.yaml"
    if not path.exists():
        return AdvisorySet.empty()
    return AdvisorySet.load(path, vendors, device_types)
