"""The IEEE MAC address registry (MA-L, MA-M, MA-S and the older IAB): who registered a MAC's prefix.

The registry comes from a library that ships it (docs/oui.md says why this one): the `manuf.txt` file of the
`pymanuf` package, regenerated from the IEEE's published CSVs and released every month. When that package is
missing or unreadable, the Wireshark `manuf` data bundled with scapy (a camscan dependency, older) stands in.
Both are in Wireshark's manuf format: `prefix[/bits] <TAB> [short name <TAB>] registrant`. The data is read
from the file, never by importing `pymanuf` (its `online` module fetches over the network on import).

Loaded once per process on first use (0.1–0.25 s, about 14 MiB); then `lookup()` costs a few microseconds.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import itertools
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from camscan.identify.vendors import VendorRegistry, normalise_name

log = logging.getLogger(__name__)

#: Block sizes by prefix length in hex digits: MA-L /24, MA-M /28, MA-S /36.
_BLOCKS = {6: "MA-L", 7: "MA-M", 9: "MA-S"}
#: The two MA-L blocks the IEEE carved its Individual Address Blocks (IAB, /36, no longer issued) out of.
_IAB_PARENTS = ("0050C2", "40D855")
#: Registrants that name no maker: privately registered blocks, and the registry's own parent blocks whose
#: sub-assignment (MA-M/MA-S) is not in the data.
NON_MAKERS = frozenset({"private", "ieee registration authority"})

_SEPARATED = re.compile(r"^([0-9A-Fa-f]{1,2})([:-])([0-9A-Fa-f]{1,2})(?:\2([0-9A-Fa-f]{1,2})){4}$")
_DOTTED = re.compile(r"^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$")
_PLAIN = re.compile(r"^[0-9A-Fa-f]{12}$")
_HEX = frozenset("0123456789abcdefABCDEF")


def placeholder_mac(mac: object) -> str | None:
    """Why a MAC address is a placeholder that names no maker, or None for an address that may be real.

    Firmware that finds no programmed address falls back on one that every unit shares, and drivers and boards ship
    the same defaults: a wifi driver's 00:11:22:33:44:55 (CreatorDev/openwrt-old pull 153), boards whose radios all
    report 00:02:03:04:05:06 (LibreRouterOrg/board issue 20), an erased store's 00:00:00:00:00:00 or FF:FF:FF:FF:FF:FF
    (Linux `is_zero_ether_addr`/`is_broadcast_ether_addr`, which `is_valid_ether_addr` rejects). One rule for the
    shapes, not a list of addresses: every octet the same; the digits a run (`0123456789AB`, `123456789ABC`); the
    octets after the first counting up by one (`00:01:02:03:04:05`, `00:02:03:04:05:06`) or by 0x11
    (`00:11:22:33:44:55`); or the first three octets zero — the IEEE block 00-00-00 (Xerox's, from the first
    Ethernet), which a device reports when its address was never written (`00:00:00:00:00:01`). A real block of the
    same registrant (Xerox's 00:00:AA, 9C:93:4E) is not a placeholder."""
    digits = mac_digits(mac)
    if digits is None:
        return None
    octets = [int(digits[i : i + 2], 16) for i in range(0, 12, 2)]
    if len(set(octets)) == 1:
        return "every octet the same"
    if digits in _HEX_RUN:
        return "its digits a run"
    steps = {b - a for a, b in itertools.pairwise(octets[1:])}
    if steps == {1} or (steps == {0x11} and octets[1] - octets[0] == 0x11):
        return "its octets counting up"
    if digits.startswith("000000"):
        return "the zero block 00:00:00, an address never written"
    return None


#: Twelve hex digits in a row, up or down (`0123456789AB`, `FEDCBA987654` …).
_HEX_RUN = frozenset(
    {"0123456789ABCDEF"[i : i + 12] for i in range(5)} | {"FEDCBA9876543210"[i : i + 12] for i in range(5)}
)


@dataclass(frozen=True, slots=True)
class OuiEntry:
    """One registry assignment that covers a MAC address."""

    prefix: str  #: the assigned prefix, upper-case hex: 6 (MA-L), 7 (MA-M) or 9 (MA-S/IAB) digits
    block: str  #: "MA-L", "MA-M", "MA-S" or "IAB"
    registrant: str  #: the organisation as the registry lists it
    registry: str  #: where the data came from and its version, e.g. "pymanuf 2026.10.1"

    @property
    def bits(self) -> int:
        return len(self.prefix) * 4


def mac_digits(mac: object) -> str | None:
    """The 12 upper-case hex digits of a MAC written as `aa:bb:cc:dd:ee:ff`, `aa-bb-…`, `aabb.ccdd.eeff` or
    `aabbccddeeff` (one-digit groups such as `0:1b:…` are padded), else None."""
    if not isinstance(mac, str):
        return None
    if len(mac) == 17 and mac[2] in ":-" and mac[2::3] == mac[2] * 5:  # the usual form, fast
        digits = mac.replace(mac[2], "")
        return digits.upper() if len(digits) == 12 and _HEX.issuperset(digits) else None
    if len(mac) == 12 and _HEX.issuperset(mac):
        return mac.upper()
    text = mac.strip()
    if len(text) > 17:
        return None
    if _PLAIN.match(text):
        return text.upper()
    if _DOTTED.match(text):
        return text.replace(".", "").upper()
    if _SEPARATED.match(text):
        return "".join(part.rjust(2, "0") for part in re.split(r"[:-]", text)).upper()
    return None


class OuiRegistry:
    """Longest-prefix look-up over one registry snapshot."""

    def __init__(self, table: dict[str, str], source: str) -> None:
        self.table = table
        self.source = source
        self._entries: dict[str, OuiEntry] = {}  # built on first hit: an estate repeats its OUIs

    def __len__(self) -> int:
        return len(self.table)

    def lookup(self, mac: object) -> OuiEntry | None:
        """The assignment covering `mac` (MA-S before MA-M before MA-L), or None for a locally administered,
        multicast or placeholder address (`placeholder_mac`), an unregistered prefix, or anything that is not a MAC.
        Never raises."""
        digits = mac_digits(mac)
        if digits is None or placeholder_mac(digits):
            return None
        return self.lookup_digits(digits)

    def lookup_digits(self, digits: str) -> OuiEntry | None:
        """`lookup` of a MAC already read by `mac_digits` and found no placeholder (`placeholder_mac`): a caller
        that checked both (`VendorRegistry.lookup_mac`) does not pay for them twice."""
        if int(digits[:2], 16) & 0x03:  # multicast (bit 0) or locally administered (bit 1)
            return None
        table = self.table
        for length in (9, 7, 6):
            prefix = digits[:length]
            registrant = table.get(prefix)
            if registrant is not None:
                entry = self._entries.get(prefix)
                if entry is None:
                    block = "IAB" if length == 9 and prefix.startswith(_IAB_PARENTS) else _BLOCKS[length]
                    entry = self._entries[prefix] = OuiEntry(prefix, block, registrant, self.source)
                return entry
        return None

    @classmethod
    def from_manuf(cls, text: str, source: str) -> OuiRegistry:
        """Parse Wireshark-format manuf text; lines that are not an assignment are skipped."""
        table: dict[str, str] = {}
        names: dict[str, str] = {}  # one string object per registrant: 59k entries share ~36k names
        for line in text.splitlines():
            if not line or line[0] == "#":
                continue
            head, _, rest = line.partition("\t")
            registrant = rest.rpartition("\t")[2].strip()
            address, _, bits = head.strip().partition("/")
            length = {"": 6, "24": 6, "28": 7, "36": 9}.get(bits)
            prefix = address.replace(":", "").upper()[: length or 0]
            if not registrant or not length or len(prefix) != length or not _HEX.issuperset(prefix):
                continue
            table[prefix] = names.setdefault(registrant, registrant)
        return cls(table, source)


def _pymanuf_file() -> Path | None:
    spec = importlib.util.find_spec("pymanuf")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "manuf.txt"
    return path if path.is_file() else None


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=1)
def registry_version() -> str:
    """Which registry snapshot `registry()` uses (or will use), without loading it."""
    if _pymanuf_file() is not None:
        return f"pymanuf {_version('pymanuf')}"
    return f"scapy {_version('scapy')} (Wireshark manuf)"


@lru_cache(maxsize=1)
def registry() -> OuiRegistry:
    """The process-wide registry, loaded on first use."""
    path = _pymanuf_file()
    if path is not None:
        try:
            loaded = OuiRegistry.from_manuf(
                path.read_text(encoding="utf-8"), f"pymanuf {_version('pymanuf')}"
            )
            if len(loaded):
                return loaded
            log.warning("OUI registry %s holds no assignments; using scapy's copy", path)
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("OUI registry %s could not be read (%s); using scapy's copy", path, exc)
    try:
        from scapy.libs.manuf import DATA

        return OuiRegistry.from_manuf(DATA, f"scapy {_version('scapy')} (Wireshark manuf)")
    except Exception as exc:  # an unusable fallback must not stop identification
        log.warning("no OUI registry available (%s): MAC addresses will name no maker", exc)
        return OuiRegistry({}, "none")


def lookup(mac: object) -> OuiEntry | None:
    """`registry().lookup(mac)`."""
    return registry().lookup(mac)


# ── registrant → maker name ─────────────────────────────────────────────────────────────────────────────

#: Company-form words dropped from the end of a registrant for display (case-insensitive, dots optional).
_TRAILING_FORM = re.compile(
    r"[\s,.]*(?<![\w&])(?:co|company|corp|corporate|corporation|inc|incorporated|ltd|ltda|limited|llc|llp|l\.l\.c|"
    r"gmbh|kg|ag|ab|aps|as|asa|a/s|a\.s|oy|b\.?v|n\.?v|s\.?a|s\.?a\.?s|sarl|s\.?r\.?l|s\.?r\.?o|s\.?l|"
    r"s\.?p\.?a|plc|pte|pty|pvt|private|sdn|bhd|jsc|k\.?k|zrt|kft|d\.o\.o|sp\. z o\.o)\.?\s*$",
    re.IGNORECASE,
)


def display_name(registrant: str) -> str:
    """A registrant as a maker name: surrounding space collapsed and company forms dropped from the end
    ("Espressif Inc." → "Espressif", "Hangzhou Hikvision Digital Technology Co.,Ltd." → "Hangzhou Hikvision
    Digital Technology"). Capitalisation is kept; a name that is nothing but company forms is kept whole."""
    name = " ".join(registrant.split())
    while True:
        shorter = _TRAILING_FORM.sub("", name).rstrip(" ,.&")
        if shorter == name or not shorter:
            break
        name = shorter
    return name or " ".join(registrant.split())


def maker_name(registrant: str, vendors: VendorRegistry) -> str | None:
    """The maker a registrant names, or None for registrants that name no maker (`NON_MAKERS`).

    A registrant that matches a vendor's `legal_names` in vendors.yaml (compared as `normalise_name` folds
    them) gives that canonical vendor. Any other registrant is an open-world maker: `display_name(registrant)`,
    or the registrant itself when the shortened name would read as a known vendor ("Axis Corporation" is not
    Axis Communications, so it stays "Axis Corporation")."""
    return _maker_name(registrant, vendors)


@lru_cache(maxsize=65536)
def _maker_name(registrant: str, vendors: VendorRegistry) -> str | None:
    if registrant.strip().casefold() in NON_MAKERS:
        return None
    canonical = vendors.resolve(registrant)
    if canonical is not None:
        key = normalise_name(registrant)
        if any(normalise_name(n) == key for n in vendors.vendors[canonical].legal_names):
            return canonical
    shown = display_name(registrant)
    if vendors.resolve(shown) is not None:
        return " ".join(registrant.split())
    return shown
