"""The vendor registry: canonical names, aliases, ownership, OEM relationships and OUI prefixes.

Loaded from `vendor_signatures/vendors.yaml` (format: docs/data-format.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from camscan.errors import DataError

_PUNCT = re.compile(r"[^\w]+", re.UNICODE)
#: A legal form written as dotted single letters ("S.A.U.", "S.p.A.", "a.s.", "B.V."): its letters join ("sau",
#: "spa", "as", "bv") before the fold, so the form is one word `legal_suffixes` can list. Needs two letters or more,
#: so an initial ("S. Siedle") stays a word of its own.
_DOTTED = re.compile(r"(?<![\w.])((?:[^\W\d_]\.){1,4}[^\W\d_])\.?(?!\w)")
#: Two single letters joined by "&" are one abbreviation ("R&D": research and development), read as one word ("rd")
#: so that `descriptors` can list it; "AT&T" and "Siedle & Sohne" are left alone.
_AMPERSAND = re.compile(r"(?<![\w&])([^\W\d_])\s?&\s?([^\W\d_])(?![\w&])")
_HEX = re.compile(r"^[0-9A-F]+$")
_ESCAPED = re.compile(r"\\(.)")
#: The shipped company words (vendor_signatures/company_words.yaml), for a data directory that has none.
COMPANY_WORDS_FILE = "company_words.yaml"


@dataclass(frozen=True, slots=True, eq=False)
class CompanyWords:
    """How company names fold (vendor_signatures/company_words.yaml, with sources): legal forms dropped from the
    end ("Co., Ltd.", "GmbH"), and for the loose fold descriptive words ("Digital Technology") and a leading place
    ("Hangzhou")."""

    suffixes: frozenset[str]
    descriptors: frozenset[str]
    places: frozenset[str]
    version: str = "unknown"
    examples: tuple[dict[str, str], ...] = ()

    @classmethod
    def load(cls, path: Path) -> CompanyWords:
        from camscan.datafile import load_yaml

        doc = load_yaml(path)
        return cls(
            frozenset(doc["legal_suffixes"]["words"]),
            frozenset(doc["descriptors"]["words"]),
            frozenset(doc["places"]["words"]),
            str(doc.get("version", "unknown")),
            tuple(doc.get("examples") or ()),
        )

    def _trailing(self) -> re.Pattern[str]:
        return _trailing_form(self.suffixes)

    def normalise(self, name: str) -> str:
        """Fold a vendor name for lookup: case, punctuation and trailing legal forms removed."""
        words = _words(name)
        while words and words[-1] in self.suffixes:
            words.pop()
        return " ".join(words)

    def core(self, name: str) -> str:
        """A looser fold for spellings no alias lists: descriptors ("Technology"), legal forms and a leading place
        name go, so "HIKVISION Technology Co., Ltd" and "Hangzhou Hikvision Digital Technology" meet."""
        words = [w for w in _words(name) if w not in self.suffixes]
        named = [w for w in words if w not in self.descriptors]
        while len(named) > 1 and named[0] in self.places:
            named.pop(0)
        return " ".join(named or words)

    def display(self, raw: str) -> str:
        """How a maker the registry does not list is shown: as the device spelled it, trailing legal forms and
        punctuation removed ("ZOSI Technology Co.,Ltd" → "ZOSI Technology")."""
        text = " ".join(_ESCAPED.sub(r"\1", raw).split())  # RFC 4514 escapes: a subject's "Co.\, Ltd."
        return self.strip_forms(text).strip(" ,.;:-_/&") or raw.strip()

    def strip_forms(self, text: str) -> str:
        """`text` without its trailing legal forms and the separators between them ("Foo Co., Ltd." → "Foo"). One
        form at a time, each looked for only in the text's last characters, so a name of nothing but forms
        ("Co. Co. Co. …", a device's answer) is read in linear time (tests/identify/test_regex_worst_case.py)."""
        one, end = self._trailing(), len(text)
        while True:
            while end and (text[end - 1].isspace() or text[end - 1] in ",.;&"):
                end -= 1
            m = one.search(text, max(0, end - _LONGEST_FORM), end)
            if m is None:
                return text[:end]
            end = m.start()


@cache
def shipped_company_words() -> CompanyWords:
    """The company words shipped with camscan (loaded once per process)."""
    from importlib import resources

    return CompanyWords.load(Path(str(resources.files("camscan.vendor_signatures") / COMPANY_WORDS_FILE)))


def _words(name: str) -> list[str]:
    """A name's words, case-folded, punctuation gone, dotted legal forms joined ("S.A.U." → "sau")."""
    joined = _AMPERSAND.sub(r"\1\2", _DOTTED.sub(lambda m: m.group(1).replace(".", ""), name))
    return _PUNCT.sub(" ", joined.casefold()).split()


#: Characters `strip_forms` looks back for one legal form: longer than any form written with dots between its letters.
_LONGEST_FORM = 48


@lru_cache(maxsize=8)
def _trailing_form(suffixes: frozenset[str]) -> re.Pattern[str]:
    """One legal form at the very end of a text, as a word or as dotted letters ("sau" matches "S.A.U"), longest
    first."""
    alternatives = "|".join(r"\.?".join(map(re.escape, w)) for w in sorted(suffixes, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})$", re.IGNORECASE)


def company_words_for(directory: Path) -> CompanyWords:
    """A data directory's company words, or the shipped ones when it has none."""
    path = Path(directory) / COMPANY_WORDS_FILE
    return CompanyWords.load(path) if path.exists() else shipped_company_words()


def normalise_name(name: str) -> str:
    """Fold a vendor name for lookup (CompanyWords.normalise with the shipped words)."""
    return shipped_company_words().normalise(name)


def core_name(name: str) -> str:
    """The loose fold of a vendor name (CompanyWords.core with the shipped words)."""
    return shipped_company_words().core(name)


def display_name(raw: str) -> str:
    """An unlisted maker as shown (CompanyWords.display with the shipped words)."""
    return shipped_company_words().display(raw)


@dataclass(frozen=True, slots=True)
class Relation:
    vendor: str
    relation: str
    confidence: str
    source: str
    since: str | None = None
    until: str | None = None

    @property
    def current(self) -> bool:
        if not self.until:
            return True
        try:
            return date.fromisoformat(str(self.until)[:10]) > date.today()
        except ValueError:
            return False


@dataclass(frozen=True, slots=True)
class FormerName:
    """A name the company used before a rename, an acquisition or a spin-off (vendors.yaml `former_names`).
    Devices and documents of the time still carry it, so it resolves to the vendor as an alias does; `until`
    (and `since`, where known) date it, `source` says where the rename is documented."""

    name: str
    source: str
    until: str | None = None
    since: str | None = None


@dataclass(frozen=True, slots=True)
class NetworkParts:
    """A maker of radio/network chips or modules that other companies build into their products
    (vendors.yaml `network_parts`): its IEEE blocks sit in other makers' devices, so such a block names the
    device's network part, not the device's maker (docs/oui.md, "Chip and module makers")."""

    #: "chip" (a Wi-Fi/network chip or SoC whose MAC its maker programs), "module" (a radio module) or
    #: "contract_manufacturer" (an EMS/ODM factory building whole devices or boards for other brands)
    kind: str
    source: str  #: public source describing the company as such a maker (a product page, a datasheet)


@dataclass(slots=True)
class Vendor:
    name: str
    role: str
    camera_vendor: bool
    country: str | None = None
    #: The maker sells video-surveillance products only, so its name alone implies a camera-type device.
    video_only: bool = False
    video_only_source: str | None = None
    legal_names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    parent: Relation | None = None
    made_by: list[Relation] = field(default_factory=list)
    not_to_be_confused_with: list[str] = field(default_factory=list)
    #: Web domains the maker uses (`hikvision.com`), for a device that names its maker by URL (UPnP manufacturerURL).
    domains: list[str] = field(default_factory=list)
    #: Set for makers of radio/network chips or modules for other companies' products (their MAC blocks name
    #: the device's network part, not its maker).
    network_parts: NetworkParts | None = None
    #: Names the company used before (renames, acquisitions, spin-offs), dated and sourced; they resolve to
    #: this vendor like aliases (never searched for in free text: maker_words reads names and aliases only).
    former_names: list[FormerName] = field(default_factory=list)
    notes: str | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this vendor resolves from: canonical, legal, aliases and former names."""
        return (self.name, *self.legal_names, *self.aliases, *(f.name for f in self.former_names))


class VendorRegistry:
    """Look-ups over vendors.yaml: name resolution, OUI, parent chain, OEM makers."""

    def __init__(
        self,
        vendors: dict[str, Vendor],
        ouis: dict[str, str],
        version: str,
        words: CompanyWords | None = None,
    ) -> None:
        self.vendors = vendors
        self.ouis = ouis
        self.version = version
        self.words = words or shipped_company_words()
        self._index: dict[str, str] = {}
        self._core: dict[str, str | None] = {}
        for v in vendors.values():
            for n in v.names:
                self._index[self.words.normalise(n)] = v.name
        for v in vendors.values():
            for n in v.names:
                core = self.words.core(n)
                if not core or (core in self._index and self._index[core] != v.name):
                    continue
                # Two vendors whose names fold to the same core make that core ambiguous: it resolves to none.
                self._core[core] = v.name if self._core.get(core, v.name) == v.name else None
        # Web domains: listed ones, else a registrable label spelled like a name once punctuation goes ("dlink").
        self._domains: dict[str, str] = {
            d.casefold().removeprefix("www."): v.name for v in vendors.values() for d in v.domains
        }
        self._compact: dict[str, str | None] = {}
        for v in vendors.values():
            for n in v.names:
                key = _compact(n)
                if len(key) >= 2:
                    self._compact[key] = v.name if self._compact.get(key, v.name) == v.name else None
        self.subsidiaries: dict[str, list[str]] = {}
        for v in vendors.values():
            if v.parent:
                self.subsidiaries.setdefault(v.parent.vendor, []).append(v.name)
        # `made_labels`, built once: a look-up per identity must not scan every vendor (nor remember every unlisted
        # maker name a device states).
        made: dict[str, list[str]] = {}
        for v in vendors.values():
            if v.parent and v.parent.current and v.parent.confidence == "documented":
                made.setdefault(v.parent.vendor, []).append(v.name)
        for v in vendors.values():
            for r in v.made_by:
                if r.current and r.confidence == "documented" and v.name not in made.setdefault(r.vendor, []):
                    made[r.vendor].append(v.name)
        self._made_labels: dict[str, tuple[str, ...]] = {
            k: tuple(names) for k, names in made.items() if names
        }

    def __contains__(self, name: object) -> bool:
        return name in self.vendors

    def resolve(self, name: str | None) -> str | None:
        """The canonical name for a reported vendor name, or None when unknown."""
        if not name:
            return None
        hit = self._index.get(self.words.normalise(name))
        if hit is None:
            hit = self._core.get(self.words.core(name))
        return hit

    def resolve_url(self, url: str | None) -> str | None:
        """The vendor a web address belongs to (`http://www.dlink.com` → D-Link), or None when unknown.

        A domain listed under a vendor's `domains` wins; otherwise the registrable label (`dlink` of
        `us.dlink.com`, `sony` of `sony.co.jp`) must spell one vendor's name, legal name or alias once case and
        punctuation go. Anything else (a hosting or cloud domain, an ambiguous label) names nobody."""
        host = _host(url or "")
        if not host:
            return None
        labels = host.split(".")
        for n in range(len(labels) - 1):
            hit = self._domains.get(".".join(labels[n:]))
            if hit:
                return hit
        if len(labels) < 2:
            return None
        body = labels[:-1]
        if len(body) >= 2 and body[-1] in _SECOND_LEVEL:
            body = body[:-1]
        return self.resolve_label(body[-1]) if body else None

    def resolve_label(self, label: str) -> str | None:
        """The vendor one label spells once case and punctuation go: a domain's registrable label (`dlink`), or a
        CPE vendor field, which the CPE naming rules derive from the vendor's domain (NISTIR 7695 §5.3.3.1)."""
        return self._compact.get(_compact(label))

    def lookup_mac(self, mac: str) -> str | None:
        """The maker that registered the MAC's IEEE block (camscan/identify/oui.py): the canonical vendor whose
        legal name is the registrant, else the registrant's display name; prefixes under `ouis:` come first."""
        from camscan.identify import oui

        digits = oui.mac_digits(mac)
        if digits is None or oui.placeholder_mac(digits):
            return None
        for n in (9, 7, 6):
            hit = self.ouis.get(digits[:n])
            if hit:
                return hit
        entry = oui.registry().lookup_digits(digits)  # `oui.lookup` less the checks made above
        return oui.maker_name(entry.registrant, self) if entry else None

    def ancestors(self, name: str) -> list[tuple[str, Relation]]:
        """Owners above `name` through current relationships, nearest first."""
        out: list[tuple[str, Relation]] = []
        seen = {name}
        vendor = self.vendors.get(name)
        while vendor and vendor.parent and vendor.parent.current and vendor.parent.vendor not in seen:
            out.append((vendor.parent.vendor, vendor.parent))
            seen.add(vendor.parent.vendor)
            vendor = self.vendors.get(vendor.parent.vendor)
        return out

    def made_labels(self, name: str) -> list[str]:
        """Vendors whose products `name` documentedly makes: its current subsidiaries of `documented` confidence,
        then the brands whose `made_by` names it at `documented` confidence (file order). A maker's device may carry
        such a vendor's model number (a Hikvision-made EZVIZ camera answers Hikvision's SADP with its EZVIZ part
        number); weaker links (`secondary`, `uncertain`) are left out."""
        return list(self._made_labels.get(name, ()))

    def kin(self, name: str) -> set[str]:
        """`name`, its current owners, the makers that make its products (`made_by`) and the labels it documentedly
        makes (`made_labels`): the vendors whose numbering and product lines a device of `name` may carry."""
        vendor = self.vendors.get(name)
        out = {name, *(v for v, _ in self.ancestors(name)), *self.made_labels(name)}
        return out | {r.vendor for r in vendor.made_by} if vendor else out

    def is_camera_vendor(self, name: str | None) -> bool:
        v = self.vendors.get(name or "")
        return bool(v and v.camera_vendor)

    def network_parts(self, name: str | None) -> NetworkParts | None:
        """What kind of network part the vendor makes for other companies' products (`network_parts`: a chip or a
        module), or None for a vendor that does not, or an unlisted name."""
        v = self.vendors.get(name or "")
        return v.network_parts if v else None

    def is_video_only(self, name: str | None) -> bool:
        """True for makers documented to sell nothing but video-surveillance products (`video_only`)."""
        v = self.vendors.get(name or "")
        return bool(v and v.video_only)

    @classmethod
    def load(cls, path: Path) -> VendorRegistry:
        """Load vendors.yaml: its schema (vendor_signatures/schema/vendors.schema.json) checks each entry's shape;
        here the checks across entries (unique names once normalised, references, OUI prefixes listed once)."""
        from camscan.datafile import load_yaml

        doc = load_yaml(path, "vendors")
        words = company_words_for(Path(path).parent)
        vendors: dict[str, Vendor] = {}
        ouis: dict[str, str] = {}
        names_seen: dict[str, str] = {}
        for raw in doc["vendors"]:
            name = raw["name"]
            entry = f"vendor {name!r}"
            v = Vendor(
                name=name,
                role=raw.get("role", "manufacturer"),
                camera_vendor=bool(raw.get("camera_vendor", False)),
                country=raw.get("country"),
                video_only=bool(raw.get("video_only", False)),
                video_only_source=str(raw["video_only_source"]) if raw.get("video_only_source") else None,
                legal_names=[str(x) for x in raw.get("legal_names") or []],
                aliases=[str(x) for x in raw.get("aliases") or []],
                parent=_relation(raw["parent"]) if raw.get("parent") else None,
                made_by=[_relation(r) for r in raw.get("made_by") or []],
                not_to_be_confused_with=[str(x) for x in raw.get("not_to_be_confused_with") or []],
                domains=[str(x) for x in raw.get("domains") or []],
                network_parts=(
                    NetworkParts(str(raw["network_parts"]["kind"]), str(raw["network_parts"]["source"]))
                    if raw.get("network_parts")
                    else None
                ),
                former_names=[
                    FormerName(
                        name=str(f["name"]),
                        source=str(f["source"]),
                        until=str(f["until"]) if f.get("until") is not None else None,
                        since=str(f["since"]) if f.get("since") is not None else None,
                    )
                    for f in raw.get("former_names") or []
                ],
                notes=raw.get("notes"),
                sources=[str(s) for s in raw["sources"]],
            )
            for n in set(v.names):
                key = words.normalise(n)
                if not key:
                    raise DataError(path, entry, f"name or alias {n!r} is empty once normalised")
                other = names_seen.get(key)
                if other and other != name:
                    raise DataError(path, entry, f"name or alias {n!r} is also used by vendor {other!r}")
                names_seen[key] = name
            if name in vendors:
                raise DataError(path, entry, "duplicate vendor name")
            vendors[name] = v
            for group in raw.get("ouis") or []:
                for prefix in group["prefixes"]:
                    p = str(prefix).upper()
                    if p in ouis:
                        raise DataError(path, entry, f"OUI prefix {p} is also listed for {ouis[p]!r}")
                    ouis[p] = name
        for v in vendors.values():
            refs = [r.vendor for r in v.made_by] + v.not_to_be_confused_with
            if v.parent:
                refs.append(v.parent.vendor)
            for ref in refs:
                if ref not in vendors:
                    raise DataError(path, f"vendor {v.name!r}", f"refers to unknown vendor {ref!r}")
        return cls(vendors, ouis, str(doc.get("version", "unknown")), words)


#: Second-level labels under which a country registers companies (`sony.co.jp`, `tiandy.com.cn`).
_SECOND_LEVEL = frozenset(["co", "com", "net", "org", "ac", "or", "ne", "gov", "edu"])
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:@]*@)?([^/?#:]+)")


def _compact(name: str) -> str:
    return _PUNCT.sub("", name.casefold()).replace("_", "")


def _host(url: str) -> str:
    """The host of a URL (or of a bare `www.example.com`), lowercase, without a leading `www.`."""
    text = url.strip().casefold()
    m = _HOST.match(text if "//" in text else "//" + text)
    host = m.group(2).strip(".") if m else ""
    if re.fullmatch(r"[\d.]+|\[.*", host):  # an address names no maker
        return ""
    return re.sub(r"^www\d?\.", "", host)


def _relation(raw: dict[str, Any]) -> Relation:
    return Relation(
        vendor=str(raw["vendor"]),
        relation=str(raw.get("relation", "oem")),
        confidence=raw["confidence"],
        source=str(raw["source"]),
        since=str(raw["since"]) if raw.get("since") is not None else None,
        until=str(raw["until"]) if raw.get("until") is not None else None,
    )
