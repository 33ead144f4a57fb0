"""Makers named in free text: a DHCP vendor class, a page title, a stream description that names its maker.

Issue 11 ("closed world"): a device that writes its maker's name into free text gets no maker unless a signature
was written for that maker. Here one index of maker names is built from the IEEE MAC registry (registrants as
camscan/identify/oui.py reads them, company forms and descriptive words dropped) and from vendors.yaml (names and
aliases), and the words of the texts `maker_words.yaml` lists are looked up in it — whole words, case folded, so
"Ring" is never found in "String". A registrant contributes a word only when the word is distinctive: its core
name is one word, or its first word starts no other registrant's core name; no other company's registered name
uses the word at all (a word several companies use — "Integrated", "Interface" — is a common word); and never a
word of `not_makers` (operating systems, software, chip makers) or `generic` (places, the ordinary words of pages
and services). A registrant's whole core name of two or three words ("Texas Instruments") is a phrase of its own.

The engine (docs/identify.md, "Makers named in free text") uses a name found so as a low-confidence maker at the
banner tier, only when nothing else names a maker, and never to type a device.

The index is built once per process, on first use (it needs the registry, which loads on first use too), and kept
on disk through camscan/datacache.py, named by the registry's names, the vendors and this file's words.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from camscan import datacache
from camscan.identify import oui
from camscan.identify.vendors import Vendor, VendorRegistry
from camscan.parse import sdp
from camscan.text import split_camel

#: A word: letters and digits (any script); punctuation, space and `_` separate words.
_WORD = re.compile(r"[^\W_]+")
#: A certificate subject's names that may describe the device (RFC 5280 s4.1.2.6: CN, OU, O), each read on its own.
#: The SDP field the model rule reads: the session name (RFC 8866 s5.3).
_SESSION_NAME = frozenset({"s"})
_RDN = re.compile(r"(?:^|[,/])\s*(CN|OU|O)\s*=\s*((?:[^,/\\]|\\.)+)", re.IGNORECASE)
#: A comment in a Server header (RFC 9110 s10.2.4: `( comment )`; some servers bracket theirs: `[x86_64]`), innermost first.
_COMMENT = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
#: A product's version ends its name (RFC 9110 s10.2.4: product = token ["/" product-version]).
_PRODUCT_VERSION = re.compile(r"/\S*")
#: The kind whose `shape` says what a firmware-default host name looks like (`<maker>-<MAC digits>`).
HOST_NAME_KIND = "dhcp_hostname"
#: An IPv4 or IPv6 address (an SDP origin's address is most often one; then it names no host).
_IP_ADDRESS = re.compile(r"[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")
#: Phrases longer than this many words are not indexed.
LONGEST = 3
#: The origin of a name vendors.yaml lists (registrants' origin is "IEEE registrant <name>").
LISTED = "vendors.yaml"
#: Bumped when the index built from the same inputs changes.
INDEX_FORMAT = "1"


def words_of(text: str) -> list[str]:
    """The case-folded words of a text ("TP-LINK HTTPD/1.0" → tp, link, httpd, 1, 0)."""
    return _WORD.findall(text.casefold())


def _phrase(text: str) -> str:
    return " ".join(words_of(text))


@dataclass(frozen=True, slots=True)
class Hit:
    """A maker a text names: the words found, the maker, and where the name comes from."""

    words: str
    maker: str
    origin: str  #: "IEEE registrant <name>" or "vendors.yaml"

    @property
    def note(self) -> str:
        return f"names {self.words!r} ({self.origin})"


#: Where a self-description's clause ends: a comma, a semicolon, a parenthesis or bracket, a quote, a spaced dash or
#: slash ("… AT-8524M - ATS62 v1.4.0", "… C3000 1.47.7 / RICOH Network Printer").
_CLAUSE_END = re.compile(r"[,;(\[|\"]|\s[-/–]\s")


def _name_pattern(words: str) -> re.Pattern[str]:
    """A maker's folded name as it may be written in a text (any punctuation between its words)."""
    return re.compile(
        r"(?<![^\W_])" + r"[\W_]*".join(re.escape(w) for w in words.split()) + r"(?![^\W_])", re.IGNORECASE
    )


@dataclass(frozen=True, slots=True, eq=False)
class ModelRule:
    """maker_words.yaml `models`: a model-shaped token that follows a maker's name in a free text is that maker's
    model ("<maker> <model> … version <x>", the layout of SNMP sysDescr, DHCP vendor classes and page titles)."""

    weight: float
    window: int
    kinds: frozenset[str]
    token: re.Pattern[str]
    not_tokens: tuple[re.Pattern[str], ...]
    skip: frozenset[
        str
    ]  #: words between the maker's name and its model that are part of the name ("Inc", "Co")
    firmware: re.Pattern[str] | None
    examples: tuple[dict[str, Any], ...] = ()
    #: Device-class nouns (folded phrase → type word) a device's own description ends its name with: "… Switch".
    classes: dict[str, str] = field(default_factory=dict)
    class_weight: float = 0.0
    #: A number that is a model only as the very first word after the maker's name ("AXIS 2100", "Cisco 2621").
    first_token: re.Pattern[str] | None = None
    #: A token after which no model is read (a version: "… Release 9.0.1FP8 HF475" names a hotfix, not a model).
    stop_after: re.Pattern[str] | None = None
    #: The name's legal form after it (`skip` words: ", Inc.", "Co., Ltd."), compiled once: `device_class` reads past it.
    _legal_form: re.Pattern[str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.skip:
            words = "|".join(map(re.escape, sorted(self.skip)))
            legal = re.compile(r"(?:[\s,.]*\b(?:" + words + r")\b\.?)*[\s,.]*", re.IGNORECASE)
            object.__setattr__(self, "_legal_form", legal)

    @classmethod
    def load(cls, doc: dict[str, Any]) -> ModelRule:
        classes = {_phrase(w): c["device_type"] for c in (doc.get("classes") or ()) for w in c["words"]}
        return cls(
            float(doc["weight"]),
            int(doc["window"]),
            frozenset(doc["kinds"]),
            re.compile(doc["token"]),
            tuple(re.compile(t["pattern"], re.IGNORECASE) for t in doc["not_tokens"]),
            frozenset(w.casefold() for w in doc.get("skip") or ()),
            re.compile(doc["firmware"], re.IGNORECASE) if doc.get("firmware") else None,
            tuple(doc.get("examples") or ()),
            classes,
            float(doc.get("class_weight", 0.0)),
            re.compile(doc["first_token"]) if doc.get("first_token") else None,
            re.compile(doc["stop_after"], re.IGNORECASE) if doc.get("stop_after") else None,
        )

    def device_class(self, text: str, words: str) -> str | None:
        """The device class the description names in the clause that starts with the maker's name: the last class
        noun (phrases first: "Access Point", "Print Server"), as in "Dlink DES-3018 Fast Ethernet Switch"."""
        if not self.classes:
            return None
        m = _name_pattern(words).search(text)
        if m is None:
            return None
        rest = text[m.end() :]
        legal = self._legal_form.match(rest) if self._legal_form is not None else None
        clause = _CLAUSE_END.split(rest[legal.end() if legal else 0 :], 1)[0]
        ws = words_of(clause)
        found = None
        i = 0
        while i < len(ws):
            for size in (4, 3, 2, 1):
                key = " ".join(ws[i : i + size])
                if len(ws) - i >= size and key in self.classes:
                    found = self.classes[key]
                    i += size
                    break
            else:
                i += 1
        return found

    def is_model(self, token: str) -> bool:
        """A model-shaped token (letters and digits, `-`/`_`/`.`/`+`) that is no version, resolution, codec,
        port count, architecture or other technical word (`not_tokens`)."""
        return bool(self.token.fullmatch(token)) and not any(t.fullmatch(token) for t in self.not_tokens)

    def find(self, text: str, words: str) -> tuple[str, str | None] | None:
        """(model, firmware or None) that follow the maker's name `words` (folded, as the index found it) in
        `text`: the first model-shaped token among the next `window` words, stopping at a clause's end (`,`, `;`,
        `(`, ` - `, ` / `); the firmware is a version right after the model, or one a version keyword introduces
        later in the text."""
        m = _name_pattern(words).search(text)
        if m is None:
            return None
        rest = text[m.end() :]
        seen = 0
        for tok in re.finditer(r"\S+", rest):
            raw = tok.group(0)
            word = raw.strip(",;:.\"'")
            if seen == 0 and (not word or word.casefold() in self.skip):
                continue  # the name's legal form: "Canon Inc., LBP-1760", "Foundry Networks, Inc. FastIron"
            if raw[0] in "([|/" or raw in ("-", "–", ":"):
                return None  # a clause ends: "… (MB:v3.6.8", "… - P330", "… / Network Printer"
            seen += 1
            word = raw.rstrip(",;:.)]\"'")
            if self.is_model(word) or (
                seen == 1
                and self.first_token is not None
                and self.first_token.fullmatch(word)
                and not any(t.fullmatch(word) for t in self.not_tokens)
            ):
                return word, self._firmware(rest[tok.end() :])
            if seen >= self.window or raw[-1] in ",;:\"'":
                return None
            if self.stop_after is not None and self.stop_after.fullmatch(word):
                return None  # past a version: "… Release 9.0.1FP8 HF475" (a hotfix), not "<maker> <model>"
        return None

    def _firmware(self, after: str) -> str | None:
        if self.firmware is None:
            return None
        m = self.firmware.search(after)
        return m.group("firmware") if m else None


@dataclass(frozen=True, slots=True, eq=False)
class MakerWords:
    """What maker_words.yaml says: the texts read, the weight, and the words that name no device maker."""

    weight: float = 0.0
    min_length: int = 4
    kinds: dict[str, frozenset[str] | None] = field(
        default_factory=dict
    )  # kind → SDP fields read, or whole text
    leading: frozenset[str] = frozenset()  #: kinds whose text names its maker only in its first words
    listed_only: frozenset[str] = frozenset()  #: kinds where only vendors.yaml names count, not registrants
    not_makers: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
    examples: tuple[dict[str, Any], ...] = ()
    version: str = "unknown"
    digest: str = ""
    models: ModelRule | None = None
    #: `product_names.kinds`: the answers whose stated product name may start with its maker's name
    product_name_kinds: frozenset[str] = frozenset()
    #: kind → the shape its whole value must have to be read (`shape`), the part read being the group `name`
    shapes: dict[str, re.Pattern[str]] = field(default_factory=dict)
    #: kinds whose value is a list of products (`products`: a Server header), each product's name read on its own
    products: frozenset[str] = frozenset()
    #: words after which a maker's name is not the device's maker ("for Hikvision", "compatible with Axis")
    not_after: frozenset[str] = frozenset()
    #: `host_names.kinds`: other answers that state the device's own host name (an SDP origin's address, an mDNS
    #: host), read as a DHCP host name is (its `shape`, vendors.yaml names only, leading)
    host_name_kinds: frozenset[str] = frozenset()
    #: kinds also read with camel case split (`camel`: "<Maker>Printer" is "<Maker> Printer")
    camel: frozenset[str] = frozenset()
    #: `product_words`: words of product, model and device-class names that no company's name holds (also in
    #: `generic`, the words that name no one in the index)
    product_words: frozenset[str] = frozenset()
    #: the words of the `not_makers` groups marked `client_names` (operating systems, DHCP clients), as written
    client_names: tuple[str, ...] = ()
    #: a value that starts with one of `client_names`, not followed by a letter (`Linux5`, `udhcp 1.36.1`)
    _client_start: re.Pattern[str] | None = None

    @property
    def enabled(self) -> bool:
        return self.weight > 0 and bool(self.kinds)

    @classmethod
    def empty(cls) -> MakerWords:
        return cls()

    @classmethod
    def load(cls, path: Path) -> MakerWords:
        from camscan.datafile import load_yaml

        doc = load_yaml(path, "maker_words")
        kinds = {k["kind"]: (frozenset(k["fields"]) if k.get("fields") else None) for k in doc["kinds"]}
        leading = frozenset(k["kind"] for k in doc["kinds"] if k.get("leading"))
        listed_only = frozenset(k["kind"] for k in doc["kinds"] if k.get("registry") is False)
        not_makers = frozenset(_phrase(w) for g in doc["not_makers"] for w in g["words"])
        product_words = frozenset(_phrase(w) for w in (doc.get("product_words") or {}).get("words") or ()) - {
            ""
        }
        # product words name no one either: the index stops them as it stops the generic words
        generic = frozenset(_phrase(w) for w in doc["generic"]["words"]) | product_words
        client_names = tuple(w for g in doc["not_makers"] if g.get("client_names") for w in g["words"])
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        return cls(
            float(doc["weight"]),
            int(doc["min_length"]),
            kinds,
            leading,
            listed_only,
            not_makers - {""},
            generic - {""},
            tuple(doc.get("examples") or ()),
            str(doc.get("version", "unknown")),
            digest,
            ModelRule.load(doc["models"]) if doc.get("models") else None,
            frozenset((doc.get("product_names") or {}).get("kinds") or ()),
            {k["kind"]: re.compile(k["shape"]) for k in doc["kinds"] if k.get("shape")},
            frozenset(k["kind"] for k in doc["kinds"] if k.get("products")),
            frozenset(_phrase(w) for w in (doc.get("not_after") or {}).get("words") or ()),
            frozenset((doc.get("host_names") or {}).get("kinds") or ()),
            frozenset(k["kind"] for k in doc["kinds"] if k.get("camel")),
            product_words,
            client_names,
            _starts_with(client_names),
        )

    def example_values(self) -> list[tuple[str, str]]:
        """(kind, value) of every example (the `models` rule's too), for the corpus rule (no corpus value is an
        example)."""
        models = self.models.examples if self.models else ()
        return [(str(ex["kind"]), str(ex["value"])) for ex in (*self.examples, *models)]

    def names_client(self, text: str) -> bool:
        """The text starts with the name of an operating system or DHCP client (`not_makers` groups marked
        `client_names`), glued to a version or not: "udhcp 1.36.1", "dhcpcd-10.0.6", "MSFT 5.0", "Linux5"."""
        return self._client_start is not None and self._client_start.match(text) is not None

    def texts(self, kind: str, value: Any) -> list[str]:
        """The free texts of an observation this file reads (for `sdp`, the listed session-level fields)."""
        if kind not in self.kinds or not isinstance(value, str):
            return []
        shape = self.shapes.get(kind)
        if shape is not None:  # only a value of this shape is read, and only its `name` part
            m = shape.fullmatch(value.strip())
            return [m.group("name")] if m else []
        if kind in self.products:
            return server_products(value)
        fields = self.kinds[kind]
        if fields is None:
            if kind in self.camel:
                split = split_camel(value)
                return [value] if split == value else [value, split]
            return [value]
        return self._sdp_texts(value, fields)

    def host_names(self, kind: str, value: Any) -> list[str]:
        """The part of the device's own host name that a firmware-default name (`<maker>-<MAC digits>`) gives its
        maker in, for the answers `host_names` lists: an SDP origin's unicast address when it is a name, not an
        address (RFC 8866 s5.2: "the address of the machine from which the session was created": `axis-00408c…`),
        an mDNS service's host (RFC 6762 s3: the device's own `<host>.local` name). Only the first label is read,
        and only in the shape the DHCP host name must have (`shape` of dhcp_hostname)."""
        shape = self.shapes.get(HOST_NAME_KIND)
        if kind not in self.host_name_kinds or shape is None:
            return []
        host: Any = None
        if kind == "sdp" and isinstance(value, str):
            origin = sdp.description(value).origin
            host = origin[5] if len(origin) >= 6 else None
        elif kind == "mdns" and isinstance(value, dict):
            host = value.get("host")
        if not isinstance(host, str) or not host.strip() or _IP_ADDRESS.fullmatch(host.strip()):
            return []
        label = host.strip().split(".", 1)[0]
        m = shape.fullmatch(label)
        return [m.group("name")] if m else []

    def model_texts(self, kind: str, value: Any) -> list[str]:
        """The free texts the model rule (`models`) reads: its kinds, whole; of an imported nmap service, its
        product (nmap's `p/`, "HP LaserJet P2055dn http config"); of a DNS-SD service, its instance name ("Brother
        HL-L2350DW series"); of a certificate subject, its CN, OU and O values."""
        if self.models is None or kind not in self.models.kinds:
            return []
        if isinstance(value, dict):
            key = {"nmap_service": "product", "mdns": "name"}.get(kind)
            text = value.get(key) if key else None
            return [text] if isinstance(text, str) and text.strip() else []
        if kind == "onvif_scopes" and isinstance(value, list):
            # the name scope (ONVIF Core Specification 7.3.2.2: "onvif://www.onvif.org/name/<device name>"), decoded
            names = [
                urllib.parse.unquote(v.split("/name/", 1)[1])
                for v in value
                if isinstance(v, str) and "/name/" in v
            ]
            return [n for n in names if n.strip()]
        if kind == "tls_subject" and isinstance(value, str):
            return [m.group(2).strip() for m in _RDN.finditer(value) if m.group(2).strip()]
        if kind == "sdp" and isinstance(value, str):
            # the session name only (RFC 8866 s5.3 `s=`): camera firmware names the session after the device
            # ("<maker> <model>"); the origin, the information line and a=tool name software or a user's host
            return self._sdp_texts(value, _SESSION_NAME)
        return [value] if isinstance(value, str) else []

    @staticmethod
    def _sdp_texts(value: str, fields: frozenset[str]) -> list[str]:
        """The session-level fields of a stream description read as text (RFC 8866 §5; media sections describe
        streams, not the session's author), in order: `o` (the origin's user name), `s` (session name), `i`
        (session information), `tool` (`a=tool`). The one parsed form: camscan/parse/sdp.py."""
        out = []
        for line in sdp.description(value).session:
            if (
                line.type == "o"
            ):  # its first field, the user name ("o= 2890842807 …" has none: not the session id)
                name, text = "o", "" if line.value[:1].isspace() else (line.value.split() or [""])[0]
            elif line.type in ("s", "i"):
                name, text = line.type, line.value
            elif line.name == "tool" and line.argument is not None:
                name, text = "tool", line.argument
            else:
                continue
            if name in fields and text.strip() and text.strip() != "-":
                out.append(text)
        return out


def _starts_with(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern matching a text that starts with one of `names` (case-insensitive) not followed by a letter."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?![A-Za-z])", re.IGNORECASE)


def server_products(value: str) -> list[str]:
    """The product names a Server header lists (RFC 9110 s10.2.4: `Server = product *( RWS ( product / comment ) )`,
    `product = token ["/" product-version]`), comments left out: "CompaqHTTPServer/9.9 HP System Management
    Homepage/2.1 (Unix)" → "CompaqHTTPServer", "HP System Management Homepage". Many servers write a name of several
    words before the version ("Fuji Xerox Embedded Server", "Dahua Rtsp Server"), so a name runs until a version."""
    text = value[:_MAX_HEADER]
    for _ in range(4):  # nested comments, innermost first
        shorter = _COMMENT.sub(" ", text)
        if shorter == text:
            break
        text = shorter
    return [s.strip() for s in _PRODUCT_VERSION.split(text) if _WORD.search(s) and not s.strip().isdigit()]


#: The longest Server header read for product names (real ones are far shorter; a hostile one is cut).
_MAX_HEADER = 1024


class MakerIndex:
    """Folded phrase (one to three words) → the maker it names; a phrase that names two makers names none."""

    def __init__(
        self,
        names: dict[str, tuple[str, str] | None],
        stop: frozenset[str],
        not_after: frozenset[str] = frozenset(),
    ) -> None:
        self.names = names
        self.stop = stop
        self.not_after = not_after
        self.starts = frozenset(p.split(" ", 1)[0] for p in (*names, *stop) if " " in p)

    def __len__(self) -> int:
        return sum(1 for v in self.names.values() if v is not None)

    def find(self, text: str, *, leading: bool = False, listed_only: bool = False) -> list[Hit]:
        """The makers a text names, left to right, each once; a stopped phrase ("Texas Instruments") hides its
        words from shorter look-ups. `leading`: only a name the text starts with counts; `listed_only`: only
        vendors.yaml names, not registrants."""
        hits = self._find(text, leading)
        return [h for h in hits if h.origin == LISTED] if listed_only else list(hits)

    @lru_cache(maxsize=4096)  # noqa: B019 - one index per process; banners repeat across an estate
    def _find(self, text: str, leading: bool = False) -> tuple[Hit, ...]:
        words = words_of(text)
        hits: dict[str, Hit] = {}
        i, n = 0, len(words)
        while i < n and not (leading and i > 0):
            step = 1
            longest = min(LONGEST, n - i) if words[i] in self.starts else 1
            for size in range(longest, 0, -1):
                key = " ".join(words[i : i + size]) if size > 1 else words[i]
                if key in self.stop:
                    step = size
                    break
                entry = self.names.get(key)
                if entry is not None:
                    if i and words[i - 1] in self.not_after:
                        # "viewer for Hikvision", "compatible with Axis", "Reolink vs Amcrest": the text is about
                        # the makers a product works with or is compared to, so it names no maker at all
                        return ()
                    hits.setdefault(entry[0], Hit(key, entry[0], entry[1]))
                    step = size
                    break
            i += step
        return tuple(hits.values())


#: vendors.yaml roles whose names never name a device maker: software makers (FFmpeg, Wowza, Microsoft), chip
#: makers (a platform, not the maker) and look-alikes (Apache Axis is not Axis).
NOT_MAKER_ROLES = frozenset({"software", "chipset", "lookalike"})


def build_index(rules: MakerWords, vendors: VendorRegistry) -> MakerIndex:
    """The index for these rules and vendors over the process's registry (cached on disk by its inputs)."""
    return _index(rules, vendors)


def names_no_device_maker(vendor: Vendor) -> bool:
    """A vendors.yaml vendor whose name never names a device's maker: its role is software, chipset or lookalike,
    or it makes network chips or modules for other companies' products (`network_parts`: its name turns up in SDK
    and driver strings)."""
    return vendor.role in NOT_MAKER_ROLES or vendor.network_parts is not None


@lru_cache(maxsize=4)
def not_makers(rules: MakerWords, vendors: VendorRegistry) -> frozenset[str]:
    """The phrases that name no device maker: maker_words.yaml's `not_makers`, and the names and aliases of the
    vendors.yaml vendors that name no device maker (`names_no_device_maker`). Computed once per rules and vendors."""
    out = set(rules.not_makers)
    for v in vendors.vendors.values():
        if names_no_device_maker(v):
            for name in (v.name, *v.aliases):
                out |= {_phrase(name), _phrase(name).replace(" ", "")}
    return frozenset(out - {""})


@lru_cache(maxsize=4)
def stop_words(rules: MakerWords, vendors: VendorRegistry) -> frozenset[str]:
    """The words and phrases that name no one: those that name no device maker (`not_makers`), the generic and
    product words, and the places that lead company names (company_words.yaml `places`: "Shenzhen", "Hangzhou")."""
    return not_makers(rules, vendors) | rules.generic | vendors.words.places


def index_key(rules: MakerWords, vendors: VendorRegistry, registrants: list[str]) -> str:
    """The data-cache key of the index: everything `_build` reads — the registrants, the rules, each vendor's
    name, role, aliases, legal names (they decide which vendor a registrant names, `oui.maker_name`) and network
    parts, the company words names fold by, and the registrants that name no maker."""
    h = hashlib.sha256("\n".join(registrants).encode())
    h.update(
        f"\0{rules.digest}\0{vendors.version}\0{len(vendors.vendors)}\0{INDEX_FORMAT}\0{LONGEST}".encode()
    )
    for v in sorted(vendors.vendors):
        vendor = vendors.vendors[v]
        parts = vendor.network_parts.kind if vendor.network_parts else ""
        h.update(f"\0{v}\0{vendor.role}\0{vendor.aliases}\0{vendor.legal_names}\0{parts}".encode())
    words = vendors.words
    for group in (words.suffixes, words.descriptors, words.places, oui.NON_MAKERS):
        h.update(("\0" + "\n".join(sorted(group))).encode())
    return datacache.key(h.digest(), "maker_words")


@lru_cache(maxsize=4)
def _index(rules: MakerWords, vendors: VendorRegistry) -> MakerIndex:
    registrants = sorted(set(oui.registry().table.values()))
    k = index_key(rules, vendors, registrants)
    stopped = not_makers(rules, vendors)
    stop = stop_words(rules, vendors)
    cached = datacache.get(k)
    if isinstance(cached, dict):
        names = {p: (tuple(v) if v else None) for p, v in cached.items()}
        return MakerIndex(names, stop, rules.not_after)
    names = _build(rules, vendors, registrants, stopped)
    datacache.put(k, {p: (list(v) if v else None) for p, v in names.items()})
    return MakerIndex(names, stop, rules.not_after)


def _build(
    rules: MakerWords, vendors: VendorRegistry, registrants: list[str], stopped: frozenset[str]
) -> dict[str, tuple[str, str] | None]:
    stop = stop_words(rules, vendors)
    words = vendors.words
    names: dict[str, tuple[str, str] | None] = {}
    owners: dict[str, str] = {}  # phrase → the company it names (core of the maker), to tell true clashes

    stopped_words = frozenset(w for p in stopped for w in p.split())

    def named_stop(phrase: str) -> bool:
        """The phrase is, contains or starts with a word that names no device maker."""
        ws = phrase.split()
        if stopped_words.isdisjoint(ws):
            return False
        return any(
            " ".join(ws[i : i + size]) in stopped for size in range(1, LONGEST + 1) for i in range(len(ws))
        )

    # The registry: one entry per distinct core name (several registrants are often one company). How many
    # companies (distinct core names) use each word anywhere in their registered name: a word several companies
    # use ("Integrated", "Works", "Interface") is a common word, not a name.
    cores: dict[str, str] = {}
    users: dict[str, set[str]] = {}
    for registrant in registrants:
        if registrant.strip().casefold() in oui.NON_MAKERS:
            continue
        core = _phrase(words.core(registrant))
        if not core:
            continue
        cores.setdefault(core, registrant)
        for w in set(words_of(words.normalise(registrant))):
            companies = users.setdefault(w, set())
            if len(companies) < 2:
                companies.add(core)
    firsts = Counter(core.split(" ", 1)[0] for core in cores)
    for core, registrant in cores.items():
        ws = core.split()
        keys = [ws[0]] if len(ws) == 1 or firsts[ws[0]] == 1 else []
        if 1 < len(ws) <= LONGEST:
            keys.append(core)
        if not keys or named_stop(core):
            continue  # nothing distinctive, or an OS, software or chip maker: none of its words names a device maker
        maker = None
        for key in keys:
            if key in stop or key.isdigit() or len(key.replace(" ", "")) < rules.min_length:
                continue
            if all(w in stop or w in words.places or w in words.descriptors for w in key.split()):
                continue
            if all(len(users.get(w, ())) > 1 for w in key.split()):
                continue  # several companies' names use the word (each word of a phrase: "Log-In", "Real Time")
            maker = maker or oui.maker_name(registrant, vendors)
            if not maker or named_stop(_phrase(maker)):
                break
            owner = words.core(maker)
            if key in names and owners.get(key) != owner:
                names[key] = None  # two companies: the word names neither
                continue
            names[key] = (maker, f"IEEE registrant {' '.join(registrant.split())}")
            owners[key] = owner
    # vendors.yaml names and aliases come last and win: they are the canonical makers; short names count.
    listed: dict[str, str | None] = {}
    for v in vendors.vendors.values():
        if v.role in NOT_MAKER_ROLES:
            continue
        for name in (v.name, *v.aliases):
            for key in {_phrase(name), _phrase(name).replace(" ", "")}:
                if not key or key in stop or key.isdigit() or len(key.split()) > LONGEST or named_stop(key):
                    continue
                listed[key] = v.name if listed.get(key, v.name) == v.name else None
    for key, vendor in listed.items():
        names[key] = (vendor, LISTED) if vendor else None
    return names
