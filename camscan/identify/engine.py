"""The one identification engine: a host's observations in, an Identity out.

Every source (active probe, pcap, nmap XML, `camscan identify`) ends here. How it decides is described in
docs/identify.md ("How the engine decides"):

- one statement, one vote: the same value stated again through the same kind of observation (WS-Discovery
  scopes and GetScopes, a banner on two ports) counts once, at its strongest;
- placeholders (`Camera`, `H264`, `IPC-model` ...) are not values;
- per field, the most authoritative source wins (vendor API > device info > vendor discovery > scopes >
  banners > OUI; camscan.identify.tiers); disagreeing values stay visible as conflicts;
- a maker the device states but vendors.yaml does not list is still reported (open world, `unlisted`);
- a MAC block of a maker of network chips or modules for others (vendors.yaml `network_parts`) names the device's
  network part, kept in the evidence, not its maker (`_network_part`);
- the device type comes from the product line (the model) or from type evidence, and from the maker alone only
  when that maker sells nothing but video devices (`video_only`);
- the operating system (`os`, `os_version`) is a field of its own, voted like the others; it never names the maker
  or the type (many cameras run BusyBox Linux), and its version follows the winning OS name (`_decide_os`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from camscan.identify import bare_values, nmap_probes, oui
from camscan.identify.firmware import iso_date
from camscan.identify.identity_objects import (
    MAKER_FIELDS,
    TYPE_ID,
    IdentityObjects,
    Reading,
    one_parse_per_body,
)
from camscan.identify.kind_words import SERVER_HEADER, KindWords
from camscan.identify.kind_words import Hit as KindHit
from camscan.identify.kind_words import server_text as _server_text
from camscan.identify.knowledge import Knowledge, load_knowledge
from camscan.identify.maker_words import (
    Hit,
    MakerWords,
    build_index,
    names_no_device_maker,
    not_makers,
    server_products,
    stop_words,
    words_of,
)
from camscan.identify.product_lines import ProductLines
from camscan.identify.signatures import Match
from camscan.identify.tiers import TIERS, tier_of
from camscan.identify.video_sources import VideoSources, is_video_source_stream
from camscan.memo import BoundedMemo
from camscan.model import CAMERA_TYPES, CHANNEL_KINDS, IDENTITY_FIELDS, Evidence, Identity, Observation
from camscan.parse.onvif_services import KIND as SERVICES_KIND
from camscan.parse.onvif_services import merge_services
from camscan.parse.tls import canonical_subject
from camscan.risk.match import match_identity

#: Confidence given to a device type inferred from a video-only maker's identity alone.
INFERRED_TYPE_CONFIDENCE = 0.3
#: A maker named only by its model-numbering scheme is this much less certain than the model itself.
MODEL_MAKER_FACTOR = 0.7
#: A statement at least this strong makes its tier outrank lower tiers for its field.
STRONG = 0.5
#: Fields where the more authoritative source wins (device_type is decided by the product line instead).
PRECEDENCE_FIELDS = tuple(f for f in IDENTITY_FIELDS if f != "device_type")
#: Fields that are not votes of their own: the version of the winning OS name (`_decide_os`).
FOLLOWER_FIELDS = ("os_version",)
VENDOR_FIELDS = ("brand", "manufacturer")
#: Object fields that hold the web address of the label's maker (UPnP Device Architecture 2.0 §2.3:
#: manufacturerURL is the "Web site for Manufacturer"); its domain names a vendor through vendors.yaml.
MAKER_URL_FIELDS: dict[str, tuple[str, ...]] = {"upnp_device": ("manufacturerURL",)}
#: A maker named only by its web address corroborates; alone it is a weak statement (below STRONG).
MAKER_URL_WEIGHT = 0.45
#: The services-offered prior (video_sources.yaml): a host serving a live RTSP video stream is a video source.
VIDEO_SOURCE = "engine.video_source"
#: Makers named in free text (maker_words.yaml): the evidence's signature is this prefix and the observation kind.
MAKER_WORDS = "engine.maker_words"
#: A model read after a maker's name in free text (maker_words.yaml `models`): the evidence's prefix and the kind.
MODEL_WORDS = "engine.model_words"
#: A kind named in the device's own answers (kind_words.yaml): the evidence's signature is this prefix and the kind.
KIND_WORDS = "engine.kind_words"
#: Short identity keys read inside the one object that is a device's identity (identity_objects.yaml): the
#: evidence's signature is this prefix, the observation kind and the field (`generic.identity_object.sdp.model`).
IDENTITY_OBJECT = "generic.identity_object"
#: Generic key readers of a body seen without its path (identity_keys.yaml): each has a twin of kind http_path
#: (`generic.http_path.<same>`), so a body also observed with its path is read by the twin only.
BODY_TWINS = "generic.http_body."
#: How the evidence of a MAC block registered to a radio/network chip or module maker (vendors.yaml
#: `network_parts`) starts its note: the block names the device's network part, its maker is kept under `ignored`.
NETWORK_PART_NOTE = "network part"
#: vendors.yaml `network_parts.kind` of a contract manufacturer (EMS/ODM): it builds whole devices or their boards for
#: other companies' brands, so its MAC blocks sit in devices sold under those brands, as a module maker's do.
CONTRACT_MANUFACTURER = "contract_manufacturer"
#: A model named by a certificate CN or host-name label that spells a listed model name without spaces
#: (product_lines.yaml `model_names`); used only when the device's maker is that name's vendor and no model was stated.
MODEL_NAME = "product_line.model_name"
MODEL_NAME_WEIGHT = 0.6
#: A bare model as a field's whole value, claimed by one maker's numbering (camscan/identify/bare_values.py): the
#: evidence's signature is this prefix and the kind. Its model names its maker; it never makes a camera.
BARE_MODEL = "engine.bare_model"
#: A company name that leads a DHCP vendor class and no vendors.yaml entry lists (open world): a maker named in free
#: text, so its signature starts with MAKER_WORDS and it never types a device.
LEADING_COMPANY = MAKER_WORDS + ".leading_company"
#: The evidence a placeholder MAC leaves (`_placeholder_mac`).
PLACEHOLDER_MAC = "engine.placeholder_mac"
#: Observation kinds whose text holds host names, and how to find them (a certificate subject's CN).
_CN = re.compile(r"(?:^|[,/])\s*CN\s*=\s*([^,/]+)", re.IGNORECASE)


def split_firmware(firmware: str) -> tuple[str, str | None]:
    """`V5.1.8 build 140616` → (`V5.1.8`, `140616`); other strings are returned unchanged.

    Kept for callers of 0.1; the engine uses the vendor schemes of firmware_schemes.yaml.
    """
    parts = load_knowledge().firmware.parse(firmware)
    return parts.version, parts.build or parts.build_date


@dataclass(slots=True)
class _Candidate:
    """One value of one field: its spellings and its statements (one per observation kind, strongest kept)."""

    spellings: dict[str, float] = field(default_factory=dict)
    statements: dict[str, tuple[float, int, str]] = field(default_factory=dict)  # kind → (weight, tier, sig)
    extra: dict[str, Any] = field(default_factory=dict)
    #: Stated by camscan's own knowledge (not only by nmap's service-probe database, which ranks below it).
    own: bool = False

    def add(self, spelling: str, ev: Evidence) -> None:
        self.spellings[spelling] = self.spellings.get(spelling, 0.0) + ev.weight
        self.own = self.own or not ev.signature.startswith(nmap_probes.SIGNATURE_PREFIX)
        old = self.statements.get(ev.kind)
        if old is None or (ev.weight, ev.tier) > old[:2]:
            self.statements[ev.kind] = (ev.weight, ev.tier, ev.signature)

    @property
    def display(self) -> str:
        return min(self.spellings, key=lambda s: (-self.spellings[s], s))

    @property
    def score(self) -> float:
        miss = 1.0
        for weight, _tier, _sig in self.statements.values():
            miss *= 1.0 - weight
        return 1.0 - miss

    @property
    def strong_tier(self) -> int:
        return max((t for w, t, _ in self.statements.values() if w >= STRONG), default=0)

    @property
    def top_tier(self) -> int:
        return max(t for _, t, _ in self.statements.values())

    def rank(self, precedence: bool) -> tuple[Any, ...]:
        display = self.display
        return (self.strong_tier if precedence else 0, self.own, self.score, -len(display), display)


#: How many (maker, label) pairs `Engine._attach_concerns`, nmap matches `Engine._nmap_evidence` and signature
#: matches `Engine._match_read` remember before they start again.
READ_MEMO_SIZE = 4096


class Engine:
    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.vendors = knowledge.vendors
        self.signatures = knowledge.signatures
        self.concerns = knowledge.concerns
        self.placeholders = knowledge.placeholders
        self.firmware = knowledge.firmware
        self.product_lines: ProductLines | None = getattr(knowledge, "product_lines", None)
        self.video_sources: VideoSources = getattr(knowledge, "video_sources", None) or VideoSources.empty()
        self.nmap_rules: nmap_probes.NmapRules = (
            getattr(knowledge, "nmap_rules", None) or nmap_probes.NmapRules.empty()
        )
        self.maker_words: MakerWords = getattr(knowledge, "maker_words", None) or MakerWords.empty()
        self.kind_words: KindWords = getattr(knowledge, "kind_words", None) or KindWords.empty()
        self.identity_objects: IdentityObjects = (
            getattr(knowledge, "identity_objects", None) or IdentityObjects.empty()
        )
        names = getattr(self.product_lines, "model_names", None) or []
        self._name_vendors: dict[str, str] = {f"{MODEL_NAME}.{m.id}": m.vendor for m in names}
        #: Generic readers whose weak models name no maker (`names_maker: false`; the free-text rule is one too).
        self._maker_blind: frozenset[str] = frozenset(
            s.id for s in self.signatures if not s.names_maker
        ) | frozenset(f"{IDENTITY_OBJECT}.{kind}.model" for kind in self.identity_objects.kinds)
        #: (maker, label) → its concern links and concern ids (`_attach_concerns`), for the register and vendor list
        #: in `_concern_memo_of`.
        self._concern_memo: BoundedMemo[
            tuple[str | None, str | None], tuple[tuple[Any, ...], tuple[str, ...]]
        ] = BoundedMemo(READ_MEMO_SIZE)
        self._concern_memo_of: tuple[Any, Any] = (self.concerns, self.vendors)
        #: id of a signature's match → (the match, what it states) (`_match_read`).
        self._match_reads: BoundedMemo[int, tuple[Match, dict[str, Any], dict[str, Any]]] = BoundedMemo(
            READ_MEMO_SIZE
        )
        #: An nmap match (line, service, fields, CPEs) → what it states (`_nmap_read`).
        self._nmap_reads: BoundedMemo[tuple[Any, ...], tuple[str, dict[str, Any], dict[str, Any]]] = (
            BoundedMemo(READ_MEMO_SIZE)
        )
        #: Signatures whose match makes weak type priors moot (`sets_aside`, docs/data-format.md).
        self._sets_aside: dict[str, tuple[str, ...]] = {
            s.id: s.sets_aside for s in self.signatures if s.sets_aside
        }

    # ------------------------------------------------------------------------------------------- evidence
    def evidence(self, observations: Iterable[Observation]) -> list[Evidence]:
        with one_parse_per_body():  # a JSON or XML answer is parsed once for all its readers
            return self._evidence(observations)

    def _evidence(self, observations: Iterable[Observation]) -> list[Evidence]:
        out: list[Evidence] = []
        observations = _one_services_statement([_printed_subject(o) for o in observations])
        path_bodies = _path_bodies(observations)
        for obs in observations:
            if obs.error is not None:
                continue
            for m in self.signatures.match_all(obs.kind, obs.value):
                if (
                    obs.kind == "http_body"
                    and m.signature.id.startswith(BODY_TWINS)
                    and obs.value in path_bodies
                ):
                    continue  # the same answer read with its path: one fact, one statement (issue 11 item 3)
                asserts, ignored = self._match_read(m)
                note = self._network_part(obs, asserts, ignored) if m.signature.oui else None
                if asserts or ignored or m.signature.sets_aside:
                    out.append(
                        _observed(
                            obs,
                            m.signature.id,
                            asserts,
                            m.signature.weight,
                            m.signature.tier,
                            ignored=ignored,
                            note=note,
                        )
                    )
            out.extend(self._maker_urls(obs))
            out.extend(self._model_names(obs))
            out.extend(_placeholder_mac(obs))
        out = self._corroborated_parts(out)
        readings = self._read_identity_objects(observations, path_bodies)
        out.extend(self._type_identifiers(readings))
        # a key naming the maker says more than a name found in free text: read first, so the text is the fallback
        out.extend(self._identity_object_makers(readings, out))
        out.extend(self._makers_in_text(observations, out))  # before nmap's: its makers rank below camscan's
        out.extend(self._makers_in_product_names(out))
        out.extend(self._leading_companies(observations, out))
        out.extend(self._models_in_text(observations, out))
        out.extend(self._bare_models(observations, out))
        out.extend(self._identity_objects(readings, out))
        out.extend(self._nmap_probes(observations))
        out.extend(self._kinds_in_text(observations, out))
        out.extend(self._video_source(observations))
        return out

    def _match_read(self, m: Match) -> tuple[dict[str, Any], dict[str, Any]]:
        """What a signature's match states: its values (an unresolved maker shown as spelled) split into those that
        count and the placeholders (`_without_placeholders`). Worked out once per match, which the signature set
        memoises as banners repeat (`_match_reads` holds the match, so its id stays its own); the caller gets its own
        copies, which it may change (`_network_part`)."""
        read = self._match_reads.get(id(m))
        if read is None or read[0] is not m:
            values = {
                key: self.vendors.words.display(value)
                if key in VENDOR_FIELDS and key in m.unresolved
                else value
                for key, value in m.values.items()
            }
            read = self._match_reads.remember(id(m), (m, *self._without_placeholders(values)))
        return dict(read[1]), dict(read[2])

    def _read_identity_objects(
        self, observations: list[Observation], path_bodies: set[str]
    ) -> list[tuple[Observation, Reading]]:
        """What the identity objects of the observations say (identity_objects.yaml), read once per observation. A
        body also observed with its path is read there only (one fact, one statement)."""
        reader = self.identity_objects
        if not reader.enabled:
            return []
        out: list[tuple[Observation, Reading]] = []
        for obs in observations:
            if obs.error is not None or obs.kind not in reader.kinds:
                continue
            if obs.kind == "http_body" and obs.value in path_bodies:
                continue
            out.extend((obs, got) for got in reader.read(obs.kind, obs.value))
        return out

    def _identity_objects(
        self, readings: list[tuple[Observation, Reading]], found: list[Evidence]
    ) -> list[Evidence]:
        """Short identity keys (`ver`, `fw`, `software`, `sn`, an SDP `Model=`/`FirmVer=`) read inside the one object
        of an answer that is the device's identity (identity_objects.yaml). A weak fallback: a field is read only
        when no signature, answer or other rule states it; the model names no maker (`_maker_blind`), nothing types
        the device. The maker fields are read by `_identity_object_makers`."""
        stated = {key for ev in found for key in ev.asserts}
        out: list[Evidence] = []
        for obs, got in readings:
            if got.field in MAKER_FIELDS or got.field == TYPE_ID or got.field in stated:
                continue
            asserts, ignored = self._without_placeholders({got.field: got.value})
            if got.field not in asserts:
                continue
            stated.add(got.field)
            out.append(
                _observed(
                    obs,
                    f"{IDENTITY_OBJECT}.{obs.kind}.{got.field}",
                    asserts,
                    self.identity_objects.weight,
                    TIERS["banner"],
                    ignored=ignored,
                    note=f"{got.key!r} beside {got.beside!r} in the answer's identity object",
                )
            )
        return out

    def _type_identifiers(self, readings: list[tuple[Observation, Reading]]) -> list[Evidence]:
        """A maker protocol's device-type identifier in the device's identity object (identity_objects.yaml
        `type_identifiers`: TP-Link's `SMART.IPCAMERA`, `SMART.TAPOHUB`): the family's type, the protocol's maker
        and, where the family names one, its label. One statement per observation."""
        out: list[Evidence] = []
        if self.identity_objects.type_id_weight <= 0:
            return out
        for obs, got in readings:
            if got.field != TYPE_ID:
                continue
            meaning = self.identity_objects.type_identifier(got.value)
            if meaning is None:
                continue
            asserts: dict[str, Any] = {"manufacturer": meaning.manufacturer}
            if meaning.brand:
                asserts["brand"] = meaning.brand
            if meaning.device_type:
                asserts["device_type"] = meaning.device_type
            what = f"{meaning.device_type} family" if meaning.device_type else "device family"
            out.append(
                _observed(
                    obs,
                    f"{IDENTITY_OBJECT}.{obs.kind}.{TYPE_ID}",
                    asserts,
                    self.identity_objects.type_id_weight,
                    TIERS["banner"],
                    note=f"{got.key!r} {got.value!r} beside {got.beside!r}: {meaning.manufacturer}'s {what} identifier",
                )
            )
        return out

    def _identity_object_makers(
        self, readings: list[tuple[Observation, Reading]], found: list[Evidence]
    ) -> list[Evidence]:
        """The maker a device's identity object names by key (identity_objects.yaml `manufacturer`, `brand`): a
        `manufacturer`/`vendor`/`make` key is a manufacturer statement, a `brand` key a brand statement, each resolved
        through vendors.yaml or, unlisted, shown as spelled less its legal form; else a product name the object states
        (`productName`) that starts with a listed maker's name names that maker, as maker_words.yaml `product_names`
        reads one. A fallback at the weight of a maker named in free text: only when no signature, answer or
        discovery names a maker (a MAC's OUI aside); placeholders and the makers of network chips and modules name
        nobody; answers that name two makers for one field name none; and, as with free text, a maker read so never
        types the device (`_named_in_text_only`)."""
        makers = [(obs, got) for obs, got in readings if got.field in MAKER_FIELDS]
        if not makers or self.identity_objects.maker_weight <= 0 or _maker_stated(found):
            return []
        stated: dict[str, dict[str, tuple[Observation, str, str]]] = {}
        for obs, got in makers:
            if got.field == "product":
                continue
            value = self.vendors.resolve(got.value) or self.vendors.words.display(got.value)
            asserts, _ignored = self._without_placeholders({got.field: value})
            if got.field not in asserts or (
                got.field == "manufacturer" and self.vendors.network_parts(value) is not None
            ):
                continue
            note = f"{got.key!r} beside {got.beside!r} in the answer's identity object"
            stated.setdefault(got.field, {}).setdefault(self._vendor_key(value), (obs, value, note))
        if not stated:
            # a product name another reader states as the model is read for its maker there
            # (`_makers_in_product_names`): one fact, one statement
            models = {str(ev.asserts["model"]).casefold() for ev in found if "model" in ev.asserts}
            products = [
                (o, g) for o, g in makers if g.field == "product" and g.value.casefold() not in models
            ]
            stated = self._product_name_makers(products)
        out: list[Evidence] = []
        for field_name, values in stated.items():
            if len(values) != 1:
                continue  # two answers naming two makers: whose is it? none is read
            obs, value, note = next(iter(values.values()))
            out.append(
                _observed(
                    obs,
                    f"{IDENTITY_OBJECT}.{obs.kind}.{field_name}",
                    {field_name: value},
                    self.identity_objects.maker_weight,
                    TIERS["banner"],
                    note=note,
                )
            )
        return out

    def _product_name_makers(
        self, products: list[tuple[Observation, Reading]]
    ) -> dict[str, dict[str, tuple[Observation, str, str]]]:
        """The maker a product name stated in an identity object starts with ("Quux Smart Hub"), read as
        maker_words.yaml `product_names` reads a product name: a vendors.yaml name the value starts with and that a
        product word follows, never a stopped word."""
        rules = self.maker_words
        if not products or not rules.enabled:
            return {}
        index = build_index(rules, self.vendors)
        named: dict[str, tuple[Observation, str, str]] = {}
        for obs, got in products:
            hit = self._leading_maker(index, got.value)
            if hit is not None:
                note = f"the product name {got.value!r} ({got.key!r} beside {got.beside!r}) {hit.note}"
                named.setdefault(self._vendor_key(hit.maker), (obs, hit.maker, note))
        return {"manufacturer": named} if named else {}

    def _leading_maker(self, index: Any, product: str) -> Hit | None:
        """The listed maker a product name starts with, followed by product words ("Elgato Key Light"), or None."""
        hits = index.find(product, leading=True, listed_only=True)
        if len(hits) != 1:
            return None
        hit: Hit = hits[0]
        rest = re.sub(
            r"^[\W_]*" + r"[\W_]+".join(re.escape(w) for w in hit.words.split()), "", product, flags=re.I
        )
        if not re.search(r"[^\W_]", rest) or self.placeholders.is_placeholder("manufacturer", hit.maker):
            return None  # the name alone, no product after it: a name field, not a product name
        return hit

    def _kinds_in_text(self, observations: list[Observation], found: list[Evidence]) -> list[Evidence]:
        """The kind a device names in its own answers (kind_words.yaml: "Network Camera" in a realm, "NVR" in a
        title, 摄像机 in a host name, "Door Station" in a UPnP description). A fallback: only when no signature,
        answer or nmap match typed the device. When its answers name several kinds, the first of the file's `order`
        wins (non-video kinds before recorders and encoders, cameras last), so a door station that also says
        "camera" stays a door station; one statement per observation."""
        rules = self.kind_words
        typed = any("device_type" in ev.asserts for ev in found)
        # a product family one maker makes (kind_words.yaml `makers`: "PS4", "Xbox 360", "LaserJet") names that maker
        # when nothing else does (a MAC's OUI aside)
        named = not rules.makers or _maker_stated(found)
        if not rules.enabled or (typed and named):
            return []
        hits: list[tuple[Observation, KindHit]] = []
        # An endpoint's answer repeats its port's Server header: when the banner was also observed as such, the
        # header states nothing more (the same fact is not counted twice, issue 11 item 3).
        banners = {
            obs.value.strip().casefold()
            for obs in observations
            if obs.kind == "http_server" and obs.error is None and isinstance(obs.value, str)
        }
        for obs in observations:
            if obs.error is None:
                hits.extend(
                    (obs, hit)
                    for hit in rules.read(obs.kind, obs.value)
                    if not (hit.field.endswith(SERVER_HEADER) and _server_text(obs.value) in banners)
                )
        if not hits:
            return []
        makers = [] if named else self._makers_of_families(hits)
        if typed:
            return makers
        kinds = {hit.kind for _obs, hit in hits}
        chosen = next(k for k in rules.order if k in kinds)
        others = sorted(kinds - {chosen})
        out: list[Evidence] = []
        seen: set[str] = set()
        for obs, hit in hits:
            if hit.kind != chosen or obs.kind in seen:
                continue
            seen.add(obs.kind)
            note = hit.note + (
                f" (also named: {', '.join(others)}; {chosen!r} ranks first)" if others else ""
            )
            out.append(
                _observed(
                    obs,
                    f"{KIND_WORDS}.{obs.kind}",
                    {"device_type": chosen},
                    rules.field_weight(obs.kind),
                    TIERS["banner"],
                    note=note,
                )
            )
        return out + makers

    def _makers_of_families(self, hits: list[tuple[Observation, KindHit]]) -> list[Evidence]:
        """The maker of the product family a kind word names (kind_words.yaml `makers`: "PS4" and "PlayStation" are
        Sony's, "Xbox 360" Microsoft's, "LaserJet" HP's, "DiskStation" Synology's): a maker named in free text, at its
        weight and under its rules (a fallback that never types the device); two families of two makers name none."""
        named: dict[str, tuple[Observation, KindHit]] = {}
        for obs, hit in hits:
            maker = self.kind_words.makers.get(hit.words)
            if maker is not None:
                named.setdefault(maker, (obs, hit))
        if len(named) != 1:
            return []
        maker, (obs, hit) = next(iter(named.items()))
        return [
            _observed(
                obs,
                f"{MAKER_WORDS}.product_family",
                {"manufacturer": maker},
                self.maker_words.weight or 0.5,
                TIERS["banner"],
                note=f"the device's {hit.field} names {maker}'s product family {hit.words!r} (kind_words.yaml makers)",
            )
        ]

    def _network_part(self, obs: Observation, asserts: dict[str, Any], ignored: dict[str, Any]) -> str | None:
        """A MAC block registered to a maker of radio/network chips or modules for other companies' products
        (vendors.yaml `network_parts`: Espressif, Texas Instruments, AzureWave …) names the device's network part,
        not its maker: the maker moves from `asserts` to `ignored` (in place) and the note says why. Returns the
        note, or None when the block's registrant is no such maker."""
        maker = asserts.get("manufacturer")
        parts = self.vendors.network_parts(maker)
        if parts is None:
            return None
        ignored["manufacturer"] = asserts.pop("manufacturer")
        entry = oui.lookup(obs.value)
        block = f"MAC block {entry.prefix} ({entry.registrant})" if entry else "the MAC block"
        if parts.kind == CONTRACT_MANUFACTURER:
            return (
                f"{NETWORK_PART_NOTE}: {block} belongs to {maker}, a contract manufacturer that builds devices and "
                f"their boards for other companies' brands; it names the factory that assembled the device's network "
                f"interface, not the device's maker"
            )
        return (
            f"{NETWORK_PART_NOTE}: {block} belongs to {maker}, which makes Wi-Fi/network {parts.kind}s for other "
            f"companies' products; it names the device's network {parts.kind}, not the device's maker"
        )

    def _corroborated_parts(self, found: list[Evidence]) -> list[Evidence]:
        """A network-part maker's MAC block still supports that maker when the device itself names the same company
        (its own HTTP, ONVIF, UPnP or discovery statement): the block is then its own interface, not a bought-in
        part, and counts as an ordinary OUI statement."""
        parts = [ev for ev in found if ev.note and ev.note.startswith(NETWORK_PART_NOTE)]
        if not parts:
            return found
        stated = _stated_makers(found)
        out: list[Evidence] = []
        for ev in found:
            maker = ev.ignored.get("manufacturer") if any(ev is p for p in parts) else None
            if maker is not None and any(self._related("manufacturer", maker, s) for s in stated):
                ignored = {k: v for k, v in ev.ignored.items() if k != "manufacturer"}
                ev = replace(ev, asserts={**ev.asserts, "manufacturer": maker}, ignored=ignored, note=None)
            out.append(ev)
        return out

    def _makers_in_text(self, observations: list[Observation], found: list[Evidence]) -> list[Evidence]:
        """A maker named in free text (a DHCP vendor class, a page title, an SDP session name: maker_words.yaml),
        looked up in the index of IEEE registrants and vendors.yaml names. A fallback: only when no signature,
        device information or discovery answer names a maker (a MAC's OUI does not count: the module maker's block
        is what the text outranks); one observation naming two makers names none."""
        rules = self.maker_words
        if not rules.enabled or _maker_stated(found):
            return []
        index = None
        out: list[Evidence] = []
        for obs in observations:
            if obs.error is not None:
                continue
            texts = rules.texts(obs.kind, obs.value)
            hosts = rules.host_names(obs.kind, obs.value)
            if not texts and not hosts:
                continue
            if index is None:
                index = build_index(rules, self.vendors)
            leading, listed_only = obs.kind in rules.leading, obs.kind in rules.listed_only
            hits = {
                h.maker: h
                for text in texts
                for h in index.find(text, leading=leading, listed_only=listed_only)
            }
            # the device's own host name in its firmware-default shape, read as a DHCP host name is
            hits.update(
                (h.maker, h) for name in hosts for h in index.find(name, leading=True, listed_only=True)
            )
            if len(hits) != 1:
                continue
            hit = next(iter(hits.values()))
            if self.placeholders.is_placeholder("manufacturer", hit.maker):
                continue
            out.append(
                _observed(
                    obs,
                    f"{MAKER_WORDS}.{obs.kind}",
                    {"manufacturer": hit.maker},
                    rules.weight,
                    TIERS["banner"],
                    note=hit.note,
                )
            )
        return out

    def _makers_in_product_names(self, found: list[Evidence]) -> list[Evidence]:
        """A product name a device states in a device-information field (a JSON `productName`, a UPnP `modelName`,
        an XML or ONVIF model) that starts with a maker's name ("<maker> <product>") names that maker: the field
        family of maker_words.yaml `product_names`. Only vendors.yaml names count (a registrant's words are too
        common to lead a product name), only a name the value starts with and that product words follow, and only
        as a fallback: when no signature, device information or discovery answer names a maker, and when the
        device's stated product names agree on one maker."""
        rules = self.maker_words
        kinds = rules.product_name_kinds
        if not rules.enabled or not kinds or _maker_stated(found):
            return []
        index = None
        named: dict[str, tuple[Evidence, Hit]] = {}
        for ev in found:
            model = ev.asserts.get("model")
            if (
                ev.kind not in kinds
                or not isinstance(model, str)
                or ev.signature.startswith(MAKER_WORDS + ".")
            ):
                continue
            if index is None:
                index = build_index(rules, self.vendors)
            hit = self._leading_maker(index, model)
            if hit is None:
                continue
            named.setdefault(hit.maker, (ev, hit))
        if len(named) != 1:
            return []
        ev, hit = next(iter(named.values()))
        return [
            Evidence(
                kind=ev.kind,
                signature=f"{MAKER_WORDS}.product_name",
                asserts={"manufacturer": hit.maker},
                weight=rules.weight,
                port=ev.port,
                source=ev.source,
                tier=TIERS["banner"],
                note=f"the product name {ev.asserts['model']!r} {hit.note}",
            )
        ]

    def _models_in_text(self, observations: list[Observation], found: list[Evidence]) -> list[Evidence]:
        """A model-shaped token right after a maker's name in free text ("<maker> <model> … version <x>": SNMP
        sysDescr, DHCP vendor classes, page titles; maker_words.yaml `models`) is that maker's model, with the
        version that follows it as firmware. A fallback at low weight: only when no signature or answer states a
        model (firmware: only when none states one), only when the text names one maker, and only when that maker
        agrees with the makers other evidence names (a MAC's OUI aside)."""
        rules = self.maker_words
        model_rule = rules.models
        if model_rule is None or any("model" in ev.asserts for ev in found):
            return []
        stated = _stated_makers(found, free_text=False)
        has_firmware = any("firmware" in ev.asserts for ev in found)
        has_type = any("device_type" in ev.asserts for ev in found)
        # a maker the maker rule could not name (it does not read banners, realms, certificates or instance names)
        # but that this text names right before a model: named as the maker rule names one, a fallback
        maker_named = _maker_stated(found)
        out: list[Evidence] = []
        for obs in observations:
            if obs.error is not None:
                continue
            for text in self.maker_words.model_texts(obs.kind, obs.value):
                got = self.model_in_text(obs.kind, text)
                if got is None:
                    typed = None if has_type else self._class_in_text(obs, text, stated)
                    if typed is not None:
                        has_type = True
                        out.append(typed)
                    continue
                hit, model, firmware = got
                if stated and not any(self._related("manufacturer", hit.maker, s) for s in stated):
                    continue
                values = (
                    {"model": model}
                    if has_firmware or not firmware
                    else {"model": model, "firmware": firmware}
                )
                asserts, ignored = self._without_placeholders(values)
                kind_of = None if has_type else model_rule.device_class(text, hit.words)
                if kind_of and self._family_names_other_kind(text, kind_of):
                    kind_of = None
                if "model" not in asserts:
                    continue
                note = f"{model!r} follows the maker's name {hit.words!r} ({hit.origin})"
                out.append(
                    _observed(
                        obs,
                        f"{MODEL_WORDS}.{obs.kind}",
                        asserts,
                        model_rule.weight,
                        TIERS["banner"],
                        ignored=ignored,
                        note=note,
                    )
                )
                if (
                    not maker_named
                    and obs.kind not in rules.kinds
                    and not self.placeholders.is_placeholder("manufacturer", hit.maker)
                ):
                    maker_named = True
                    out.append(
                        _observed(
                            obs,
                            f"{MAKER_WORDS}.{obs.kind}",
                            {"manufacturer": hit.maker},
                            rules.weight,
                            TIERS["banner"],
                            note=f"{hit.note}, followed by the model {model!r}",
                        )
                    )
                if kind_of:
                    # the device's own description names its class ("… Fast Ethernet Switch"): weak type evidence
                    # that any signature, product line or answer outranks
                    out.append(
                        _observed(
                            obs,
                            f"{MODEL_WORDS}.{obs.kind}.class",
                            {"device_type": kind_of},
                            model_rule.class_weight,
                            TIERS["banner"],
                            note=f"the description names the class {kind_of!r}",
                        )
                    )
                break
        return out

    def _bare_models(self, observations: list[Observation], found: list[Evidence]) -> list[Evidence]:
        """A field whose whole value is one model-shaped token (a DHCP vendor class, an SNMP sysDescr) that exactly
        one maker's numbering claims (product_lines.yaml `model_makers`) is that model, stated by the device itself:
        its numbering then names the maker (`_maker_from_model`). A fallback: only when no other evidence states a
        model, and only when no maker other evidence names (a MAC's OUI aside) is unrelated to the numbering's."""
        if self.product_lines is None or any("model" in ev.asserts for ev in found):
            return []
        stated = _stated_makers(found)
        for obs in observations:
            if obs.error is not None:
                continue
            token = bare_values.bare_model(obs.kind, obs.value, self.maker_words)
            scheme = self.product_lines.maker_of(token) if token else None
            if token is None or scheme is None:
                continue
            if stated and not any(self._related("manufacturer", scheme.vendor, s) for s in stated):
                continue
            return [
                _observed(
                    obs,
                    f"{BARE_MODEL}.{obs.kind}",
                    {"model": token},
                    bare_values.BARE_MODEL_WEIGHT,
                    tier_of(obs.kind),
                    note=f"the whole value {token!r} follows {scheme.vendor}'s numbering ({scheme.id})",
                )
            ]
        return []

    def _leading_companies(self, observations: list[Observation], found: list[Evidence]) -> list[Evidence]:
        """A DHCP vendor class that leads with a company's name no vendors.yaml entry lists ("<Maker words>
        <product code>", or a name ending in a legal form) names that company (open world), as a maker named in free
        text: a fallback at the free-text weight, only when nothing else names a maker (a MAC's OUI aside), and it
        never types a device. The product code, if any, is a weak model that names no maker."""
        rules = self.maker_words
        if not rules.enabled or _maker_stated(found):
            return []
        words = self.vendors.words
        types = self.knowledge.device_types
        no_makers = not_makers(rules, self.vendors)
        stop = stop_words(rules, self.vendors)

        def names_nobody(phrase: str) -> bool:
            # a device class ("Access Point"), or a name that names no device maker: an OS, software, a chip or
            # module maker, a contract manufacturer (maker_words.not_makers: "Texas Instruments", "Hon Hai")
            if types is not None and types.canonical(phrase) is not None:
                return True
            return " ".join(words_of(phrase)) in no_makers

        for obs in observations:
            if obs.error is not None:
                continue
            got = bare_values.leading_company(
                obs.kind,
                obs.value,
                rules,
                stop=stop,
                strip_forms=words.strip_forms,
                names_nobody=names_nobody,
            )
            if got is None:
                continue
            name, model = got
            maker = self.vendors.resolve(name) or words.display(name)
            listed = self.vendors.vendors.get(maker)
            if self.placeholders.is_placeholder("manufacturer", maker) or (
                listed is not None and names_no_device_maker(listed)
            ):
                continue
            out = [
                _observed(
                    obs,
                    LEADING_COMPANY,
                    {"manufacturer": maker},
                    rules.weight,
                    TIERS["banner"],
                    note=f"the vendor class leads with the company name {name!r}",
                )
            ]
            if model is not None and not any("model" in ev.asserts for ev in found):
                out.append(
                    _observed(
                        obs,
                        f"{MODEL_WORDS}.{obs.kind}",
                        {"model": model},
                        rules.models.weight if rules.models else bare_values.BARE_MODEL_WEIGHT,
                        TIERS["banner"],
                        note=f"{model!r} follows the company name {name!r}",
                    )
                )
            return out
        return []

    def _class_in_text(self, obs: Observation, text: str, stated: set[str]) -> Evidence | None:
        """A description that names one maker and, in the same clause, its class ("3Com SuperStack 3 Switch",
        "APC Switched Rack PDU") but no model-shaped token: the class alone, as weak type evidence."""
        rule = self.maker_words.models
        hits = self._makers_of(obs.kind, text)
        if rule is None or len(hits) != 1:
            return None
        if stated and not any(self._related("manufacturer", hits[0].maker, s) for s in stated):
            return None
        kind_of = rule.device_class(text, hits[0].words)
        if kind_of is None or self._family_names_other_kind(text, kind_of):
            return None
        return _observed(
            obs,
            f"{MODEL_WORDS}.{obs.kind}.class",
            {"device_type": kind_of},
            rule.class_weight,
            TIERS["banner"],
            note=f"the description names the class {kind_of!r} after the maker's name {hits[0].words!r}",
        )

    def _family_names_other_kind(self, text: str, device_class: str) -> bool:
        """Whether the class noun a description ends with belongs to a product family's name of another kind
        (kind_words.yaml `makers`: "Nintendo Switch" is a game console, no network switch): the kind words read the
        text as that family, whose name holds a word of the class."""
        rules = self.kind_words
        got = rules.kind_of(text) if rules.enabled else None
        if got is None or got[0] == device_class or got[1] not in rules.makers:
            return False
        family = set(got[1].split())
        classes = self.maker_words.models.classes if self.maker_words.models is not None else {}
        return any(t == device_class and family.issuperset(key.split()) for key, t in classes.items())

    def _makers_of(self, kind: str, text: str) -> list[Hit]:
        words = self.maker_words
        # a kind the maker rule does not read (a banner, a realm) is read for vendors.yaml names only: its other words
        # are host names and software names, which small registrants share
        listed_only = kind in words.listed_only or kind not in words.kinds
        index = build_index(words, self.vendors)
        if (
            kind in words.products
        ):  # a Server header: each product's name is read on its own (RFC 9110 s10.2.4)
            hits = {
                h.maker: h
                for name in server_products(text)
                for h in index.find(name, leading=kind in words.leading, listed_only=listed_only)
            }
            return list(hits.values())
        return index.find(text, leading=kind in words.leading, listed_only=listed_only)

    def model_in_text(self, kind: str, text: str) -> tuple[Hit, str, str | None] | None:
        """The maker a free text names (exactly one), and the model and firmware that follow its name
        (maker_words.yaml `models`), read as the kind's texts are read; None when the rule reads nothing."""
        rule = self.maker_words.models
        if rule is None:
            return None
        hits = self._makers_of(kind, text)
        if len(hits) != 1:
            return None
        got = rule.find(text, hits[0].words)
        return (hits[0], *got) if got is not None else None

    def _nmap_probes(self, observations: list[Observation]) -> list[Evidence]:
        """nmap's service-probe database over the banners camscan read itself (camscan.identify.nmap_probes):
        one rebuilt response per port and service, nmap's first matching line, read as a banner below camscan's
        own signatures. Off when nmap's file is absent or the data directory has no nmap_device_types.yaml."""
        if not self.nmap_rules.types:
            return []
        db = nmap_probes.database()
        if db is None:
            return []
        ports: dict[tuple[int | None, str], dict[str, Observation]] = {}
        for obs in observations:
            if obs.error is not None or not isinstance(obs.value, str) or not obs.value.strip():
                continue
            family = nmap_probes.HEADER_KINDS.get(obs.kind)
            if family is None and obs.kind in nmap_probes.KIND_PROBES:
                family = obs.kind
            if family is not None:
                ports.setdefault((obs.port, family), {}).setdefault(obs.kind, obs)
        out: list[Evidence] = []
        for (_port, family), found in ports.items():
            kind = {"http": "http_server", "rtsp": "rtsp_server"}.get(family, family)
            main = found.get(kind) or next(iter(found.values()))
            server = found[kind].value if kind in found else None
            text = nmap_probes.response(kind, server, {k: o.value for k, o in found.items() if k != kind})
            hit = db.match(kind, text) if text is not None else None
            if hit is not None:
                out.extend(self._nmap_evidence(hit, main))
        for obs in observations:
            if obs.kind == "nmap_service" and obs.error is None and isinstance(obs.value, dict):
                hit = nmap_probes.hit_of_service(obs.value)
                if hit is not None:
                    out.extend(self._nmap_evidence(hit, obs))
        return out

    def _nmap_evidence(self, hit: nmap_probes.Hit, obs: Observation) -> list[Evidence]:
        key = (hit.line, hit.service, tuple(hit.info.items()), hit.cpes)
        read = self._nmap_reads.get(key)
        if read is None:
            read = self._nmap_reads.remember(key, self._nmap_read(hit))
        label, asserts, ignored = read
        if not asserts and not ignored:
            return []
        return [
            _observed(obs, label, dict(asserts), nmap_probes.WEIGHT, TIERS["banner"], ignored=dict(ignored))
        ]

    def _nmap_read(self, hit: nmap_probes.Hit) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """What one nmap match states (its label, the values that count, the placeholders and withheld type):
        worked out once per match (`_nmap_reads`), since an estate's banners repeat."""
        maker = self._nmap_maker(hit)
        model = next((m for part, _v, _p, m in hit.cpes if part == "h" and m), None)
        device_type, withheld = self.nmap_rules.device_type(hit)
        asserts, ignored = self._without_placeholders(
            {"manufacturer": maker, "model": model, "device_type": device_type}
        )
        if withheld:
            ignored["device_type"] = withheld
        return hit.label, asserts, ignored

    def _without_placeholders(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Stated values split into those that count and the placeholders (`Camera`, `H264` …) kept as ignored;
        empty values are dropped."""
        asserts: dict[str, Any] = {}
        ignored: dict[str, Any] = {}
        for key, value in values.items():
            if value is None or value == "":
                continue
            (ignored if self.placeholders.is_placeholder(key, value) else asserts)[key] = value
        return asserts, ignored

    def _nmap_maker(self, hit: nmap_probes.Hit) -> str | None:
        """The maker a `cpe:/h` vendor names (an unlisted one shown as nmap's product spells it), or a `cpe:/o`
        vendor that vendors.yaml lists and that is no operating-system publisher. Never a `cpe:/a` vendor."""
        for part, vendor, _product, _model in hit.cpes:
            if part == "h" and vendor:
                name = vendor.replace("_", " ")
                return (
                    self.vendors.resolve(name)
                    or self.vendors.resolve_label(vendor)
                    or self.vendors.words.display(nmap_probes.spelt_as_in(name, hit.info.get("p", "")))
                )
        for part, vendor, _product, _model in hit.cpes:
            if part == "o" and vendor and vendor not in self.nmap_rules.os_not_makers:
                found = self.vendors.resolve(vendor.replace("_", " ")) or self.vendors.resolve_label(vendor)
                if found:
                    return found
        return None

    def _model_names(self, obs: Observation) -> list[Evidence]:
        """A CN or host-name label that spells a listed model name without spaces (`RealPresenceGroup500`) proposes
        that model; `decide` uses it only when the maker is the name's vendor (`_model_from_names`)."""
        if not self._name_vendors or self.product_lines is None or not isinstance(obs.value, str):
            return []
        if obs.kind == "tls_subject":
            hosts = [m.group(1).strip() for m in _CN.finditer(obs.value)]
        elif obs.kind == "dhcp_hostname":
            hosts = [obs.value.strip()]
        else:
            return []
        out: list[Evidence] = []
        seen: set[str] = set()
        for host in hosts:
            for token in (host, *host.split(".")):
                for entry, name in self.product_lines.named(token) if token else ():
                    if name in seen:
                        continue
                    seen.add(name)
                    out.append(
                        _observed(
                            obs,
                            f"{MODEL_NAME}.{entry.id}",
                            {"model": name},
                            MODEL_NAME_WEIGHT,
                            tier_of(obs.kind),
                        )
                    )
        return out

    def _video_source(self, observations: list[Observation]) -> list[Evidence]:
        """The services-offered prior: a live RTSP video stream (an `sdp` describing live video) says "video
        source". Decided in `decide`: used only when nothing else typed the device, so software and tuners that
        serve video without being one (VLC, FFmpeg, SAT>IP …) are left to their signatures (`media_server`). A
        description of a broadcast (a loopback or announced multicast destination, a transport stream:
        `video_sources.broadcast_reason`) is what streaming software writes, and makes no video source."""
        rule = self.video_sources
        if not rule.enabled:
            return []
        live = next(
            (
                o
                for o in observations
                if o.kind == "sdp"
                and o.error is None
                and isinstance(o.value, str)
                and is_video_source_stream(o.value)
            ),
            None,
        )
        if live is None:
            return []
        return [
            _observed(
                live, VIDEO_SOURCE, {"device_type": rule.device_type}, rule.confidence, TIERS["inference"]
            )
        ]

    def _maker_urls(self, obs: Observation) -> list[Evidence]:
        """A label's maker named by its web address (UPnP manufacturerURL `http://www.belkin.com` → Belkin)."""
        paths = MAKER_URL_FIELDS.get(obs.kind)
        if not paths or not isinstance(obs.value, dict):
            return []
        out = []
        for path in paths:
            url = obs.value.get(path)
            vendor = self.vendors.resolve_url(url) if isinstance(url, str) else None
            if vendor is None or self.placeholders.is_placeholder("brand", vendor):
                continue
            out.append(
                _observed(
                    obs, f"engine.maker_url.{path}", {"brand": vendor}, MAKER_URL_WEIGHT, tier_of(obs.kind)
                )
            )
        return out

    def identify(self, observations: Iterable[Observation]) -> Identity:
        """The identity of the host that made these observations. What a recorder says about the cameras on its
        channels (`CHANNEL_KINDS`) describes other devices and is left out (see `identify_channel`)."""
        return self.decide(self.evidence(o for o in observations if o.kind not in CHANNEL_KINDS))

    def identify_channel(self, observation: Observation) -> Identity:
        """The identity of the camera a recorder reports on one channel (a `recorder_channel` observation),
        decided by the same signatures and rules as any host's (issue 14); a MAC it reports votes as a stated MAC."""
        found = [observation]
        mac = observation.value.get("mac") if isinstance(observation.value, dict) else None
        if isinstance(mac, str) and mac:
            found.append(Observation("mac", mac, host=observation.host, port=0, source=observation.source))
        return self.decide(self.evidence(found))

    # ------------------------------------------------------------------------------------------- decide
    def decide(self, evidence: list[Evidence]) -> Identity:
        fields: dict[str, dict[str, _Candidate]] = {}
        prior: Evidence | None = None
        named: list[Evidence] = []
        aside: dict[str, str] = {}
        if self._sets_aside:
            evidence, aside = self._set_aside(evidence)
        for ev in evidence:
            if ev.signature == VIDEO_SOURCE:
                if "device_type" in ev.asserts:
                    prior = ev  # not a vote: a fallback for the device type (`_type_from_services`)
                continue
            if ev.signature in self._name_vendors:
                # not a vote: a fallback for the model, once the maker is known (`_model_from_names`)
                named.append(ev)
                continue
            for key, value in ev.asserts.items():
                if key == "firmware":
                    parts = self.firmware.parse(value)
                    fold = parts.version.casefold()
                    cand = _candidate(fields, key, fold)
                    cand.add(parts.version, ev)
                    if parts.build or parts.build_date:
                        cand.extra.setdefault("parts", parts)
                    cand.extra.setdefault("scheme", parts.scheme)
                    continue
                if key in FOLLOWER_FIELDS:
                    continue
                fold = self._vendor_key(value) if key in VENDOR_FIELDS else value.casefold()
                cand = _candidate(fields, key, fold)
                cand.add(value, ev)
                if key == "os" and ev.asserts.get("os_version"):
                    versions = cand.extra.setdefault("versions", {})
                    version = ev.asserts["os_version"]
                    versions[version] = max(versions.get(version, 0.0), ev.weight)
        if len(fields.get("model", ())) > 1:
            self._merge_label_prefixed(fields["model"])
        ident = Identity(evidence=evidence)
        winners: dict[str, _Candidate] = {}
        for name in IDENTITY_FIELDS:
            if name not in fields:
                continue
            precedence = name in PRECEDENCE_FIELDS
            ranked = list(fields[name].values())
            if len(ranked) > 1:  # one value (the usual case) needs no ranking
                ranked.sort(key=lambda c: c.rank(precedence), reverse=True)
            if name == "os":
                ranked = _specific_first(ranked)
            best = ranked[0]
            value, score = best.display, best.score
            rivals = [c for c in ranked[1:] if not self._related(name, value, c.display)]
            if rivals:
                top = rivals[0]
                equal_footing = not precedence or top.strong_tier >= best.strong_tier
                score *= 1.0 - (0.5 if equal_footing else 0.25) * top.score
                ident.conflicts[name] = [c.display for c in rivals]
                ident.conflict_details[name] = [
                    {
                        "value": c.display,
                        "score": round(c.score, 3),
                        "tier": c.top_tier,
                        "signatures": sorted({s for _, _, s in c.statements.values()}),
                    }
                    for c in rivals
                ]
            setattr(ident, name, value)
            ident.field_confidence[name] = score
            winners[name] = best
        self._firmware_parts(ident, winners.get("firmware"))
        self._decide_os(ident, winners.get("os"))
        self._drop_model_as_brand(ident)
        if not _weakly_stated(winners.get("model"), self._maker_blind):
            # a model that only weak generic statements back (read by its position after a maker's name, or by a
            # key name in an answer) names no maker by its numbering: a wrong token must not make a maker, or a camera
            self._maker_from_model(ident)
        self._derive_manufacturer(ident, winners)
        self._mark_unlisted(ident)
        self._model_from_names(ident, named)
        maker = winners.get("manufacturer") or (None if ident.manufacturer is None else winners.get("brand"))
        if not _named_in_text_only(maker):
            # a maker read from free text or an identity object's key never types a device (maker_words.yaml,
            # identity_objects.yaml); nor does a label read so, through the maker it stands in for
            self._type_from_product_line(ident, bare=_bare_only(winners.get("model")))
            if "engine.video_only_maker" not in aside:
                self._infer_device_type(ident)
        self._type_from_services(ident, prior)
        for key in ("manufacturer", "brand", "device_type"):
            if key in ident.field_confidence:
                ident.confidence = ident.field_confidence[key]
                break
        self._attach_concerns(ident)
        self._attach_advisories(ident)
        return ident

    def _set_aside(self, evidence: list[Evidence]) -> tuple[list[Evidence], dict[str, str]]:
        """Weak type priors that a matching signature makes moot (`sets_aside`: the ONVIF "probably a camera" prior
        when the device's services say it shows or controls rather than sends video): their device-type statements
        move to `ignored`, with a note naming the signature that set them aside. Returns the evidence and, per prior
        set aside, the signature that did it."""
        aside: dict[str, str] = {}
        for ev in evidence:
            for target in self._sets_aside.get(ev.signature, ()):
                aside.setdefault(target, ev.signature)
        if not aside:
            return evidence, aside
        out: list[Evidence] = []
        for ev in evidence:
            by = aside.get(ev.signature)
            if by is not None and "device_type" in ev.asserts:
                asserts = {k: v for k, v in ev.asserts.items() if k != "device_type"}
                ignored = {**ev.ignored, "device_type": ev.asserts["device_type"]}
                ev = replace(ev, asserts=asserts, ignored=ignored, note=f"set aside by {by}")
            out.append(ev)
        return out, aside

    def _vendor_key(self, value: str) -> str:
        """How two statements of a maker or label are compared: a listed vendor by its canonical name, any other
        (as the evidence names it) by its loose fold (case, punctuation, legal forms, descriptive words and a leading
        place go), so two
        spellings of one unlisted company ("SHENZHEN ZOSI TECHNOLOGY CO.,LTD" from a MAC block, "ZOSI" from ONVIF)
        are one value, shown in its most strongly stated spelling, not two values in conflict."""
        if value in self.vendors:
            return value.casefold()
        # not resolved on purpose: a value that is no canonical name was kept apart by whoever stated it (the MAC
        # block of "Axis Corporation" is not Axis Communications), so it is compared with other unlisted values only
        return "\0" + (self.vendors.words.core(value) or value.casefold())

    def _merge_label_prefixed(self, candidates: dict[str, _Candidate]) -> None:
        """A model stated both bare and with its maker's documented label prefix (`XVR5108C-X` and Dahua's
        `DH-XVR5108C-X`, `label_prefixes` in product_lines.yaml) is one model: the statements join the bare form."""
        if self.product_lines is None:
            return
        for key in list(candidates):
            bare = self.product_lines.bare_model(candidates[key].display)
            target = candidates.get(bare.casefold()) if bare else None
            if target is None or target is candidates[key]:
                continue
            labelled = candidates.pop(key)
            for kind, statement in labelled.statements.items():
                old = target.statements.get(kind)
                if old is None or statement[:2] > old[:2]:
                    target.statements[kind] = statement

    def _firmware_parts(self, ident: Identity, winner: _Candidate | None) -> None:
        """Build and build date follow the winning firmware string, not a vote of their own. A build stated
        apart from the version as an ISO date (Dahua's getSoftwareVersion `build:2020-06-05`, XiongMai's
        discovery `BuildDate`) is the build date too, when the version string carries none."""
        if winner is not None:
            ident.firmware_scheme = winner.extra.get("scheme")
            parts = winner.extra.get("parts")
            if parts is not None:
                ident.firmware_date = parts.build_date
                if not ident.firmware_build:
                    ident.firmware_build = parts.build or parts.build_date
                    ident.field_confidence["firmware_build"] = ident.field_confidence["firmware"]
        if ident.firmware and not ident.firmware_date and ident.firmware_build:
            ident.firmware_date = iso_date(ident.firmware_build)

    def _decide_os(self, ident: Identity, winner: _Candidate | None) -> None:
        """The OS version is the one stated with the winning OS name (Android `13`, Linux `5.10`), never a
        version stated with another name. The OS is not used for anything else: not the maker, not the type."""
        versions = winner.extra.get("versions") if winner is not None else None
        if not versions:
            return
        ident.os_version = min(versions, key=lambda v: (-versions[v], v))
        ident.field_confidence["os_version"] = ident.field_confidence.get("os", 0.0)

    def _related(self, field_name: str, a: str, b: str) -> bool:
        """Two vendor values in one corporate family do not contradict each other; nor do an OS and a more
        specific name of it (`Linux` and `BusyBox Linux`)."""
        if field_name == "os":
            return _os_refines(a, b) or _os_refines(b, a)
        if field_name not in VENDOR_FIELDS:
            return False
        family_a = {a, *(v for v, _ in self.vendors.ancestors(a))}
        family_b = {b, *(v for v, _ in self.vendors.ancestors(b))}
        return bool(family_a & family_b)

    def _drop_model_as_brand(self, ident: Identity) -> None:
        """A free-text label that is no known vendor and merely repeats the model (an ONVIF `name/` scope set
        to the model, as Hanwha cameras do) is not a brand.

        Only the model itself, or a model code (a word with a digit) the model starts with, is dropped: a maker
        that names its models after itself (`EYEPLUS` for model `EYEPLUS_DEV`) keeps its brand."""
        brand, model = ident.brand, ident.model
        if brand and model and brand not in self.vendors and _repeats_model(brand, model):
            ident.brand = None
            ident.field_confidence.pop("brand", None)
            ident.conflicts.pop("brand", None)
            ident.conflict_details.pop("brand", None)

    def _maker_from_model(self, ident: Identity) -> None:
        """With no manufacturer evidence, a model-numbering scheme only one maker uses names it (an OEM unit
        usually keeps its maker's model number): `model_makers` in product_lines.yaml."""
        if ident.manufacturer or not ident.model or self.product_lines is None:
            return
        maker = self.product_lines.maker_of(ident.model)
        if maker is None:
            return
        if ident.brand and self._brand_claims_model(ident.brand, ident.model, maker.vendor):
            # the device's own label numbers this model in one of its lines (a Marantz AV7705 processor): another
            # maker's numbering that happens to fit (Arecont's AV + four digits) does not make it that maker's
            return
        conf = MODEL_MAKER_FACTOR * ident.field_confidence.get("model", 0.0)
        _infer(
            ident,
            "manufacturer",
            maker.vendor,
            f"model_maker.{maker.id}",
            confidence=conf,
            tier=TIERS["inference"],
        )

    def _brand_claims_model(self, brand: str, model: str, scheme_vendor: str) -> bool:
        """True when the stated label is a listed vendor unrelated to `scheme_vendor` (neither owns, makes nor
        is made by the other) and one of the label's own product lines numbers `model`."""
        if brand not in self.vendors or scheme_vendor not in self.vendors or self.product_lines is None:
            return False
        if self.vendors.kin(brand) & self.vendors.kin(scheme_vendor):
            return False
        owners = [v for v, _ in self.vendors.ancestors(brand)]
        line = self.product_lines.match([brand, *owners], model)
        return line is not None and line.vendor != scheme_vendor

    def _derive_manufacturer(self, ident: Identity, winners: dict[str, _Candidate]) -> None:
        """With no manufacturer evidence, the brand's own maker or its documented OEM stands in."""
        self._stated_over_unlisted_block(ident, winners)
        maker = self.vendors.vendors.get(ident.manufacturer or "")
        if maker is not None and maker.role == "chipset":
            # Reference firmware of a chip maker (HiSilicon) runs on many OEMs' devices: a platform, not the maker.
            ident.platform = maker.name
            ident.field_confidence["platform"] = ident.field_confidence.pop("manufacturer")
            rivals = ident.conflicts.pop("manufacturer", [])
            ident.conflict_details.pop("manufacturer", None)
            ident.manufacturer = rivals[0] if rivals else None
            if ident.manufacturer:
                ident.field_confidence["manufacturer"] = 0.5
            maker = self.vendors.vendors.get(ident.manufacturer or "")
        if maker is not None and maker.role == "brand":
            # Evidence pointed at a company that sells others' products (e.g. its OUI): it is the label.
            if not ident.brand:
                ident.brand = maker.name
                ident.field_confidence["brand"] = ident.field_confidence["manufacturer"]
            if ident.brand == maker.name:
                ident.manufacturer = None
                ident.field_confidence.pop("manufacturer", None)
        brand = ident.brand
        if not brand:
            return
        brand_conf = ident.field_confidence.get("brand", 0.0)
        vendor = self.vendors.vendors.get(brand)
        if vendor is None:
            # Open world: a maker the device states itself (device info, UPnP, discovery, an API) and that no
            # vendor file lists is still its maker, unless other evidence names the real one.
            stated = winners.get("brand")
            if not ident.manufacturer and stated is not None and stated.top_tier >= TIERS["discovery"]:
                ident.manufacturer = brand
                ident.field_confidence["manufacturer"] = brand_conf * 0.8
            return
        documented = [r for r in vendor.made_by if r.confidence == "documented"]
        weaker = [r for r in vendor.made_by if r.confidence != "documented"]
        for rel in weaker:
            if rel.vendor != ident.manufacturer:
                ident.possible_manufacturers.append(
                    {"vendor": rel.vendor, "confidence": rel.confidence, "source": rel.source}
                )
        if ident.manufacturer:
            return
        if documented:
            ident.manufacturer = documented[0].vendor
            ident.field_confidence["manufacturer"] = brand_conf * 0.8
        elif vendor.role in ("manufacturer", "owner"):
            ident.manufacturer = vendor.name
            ident.field_confidence["manufacturer"] = brand_conf * 0.9

    def _stated_over_unlisted_block(self, ident: Identity, winners: dict[str, _Candidate]) -> None:
        """A maker the device states about itself (its device information, UPnP description, SNMP or discovery
        answer: a brand at the discovery tier or above) is not overridden by a MAC block alone whose registrant
        vendors.yaml does not list. Such a block is, more often than not, the device's Wi-Fi module's or contract
        manufacturer's (docs/oui.md, "Chip and module makers"), and nothing ties it to the device; a listed
        vendor's block still names the real maker behind a label (a Hikvision block under another brand). The
        registrant is kept as a conflict, and the brand's maker stands in as when no maker evidence exists."""
        maker, stated = winners.get("manufacturer"), winners.get("brand")
        if (
            maker is None
            or stated is None
            or not ident.manufacturer
            or not ident.brand
            or ident.manufacturer in self.vendors
            or maker.top_tier > TIERS["oui"]
            or stated.top_tier < TIERS["discovery"]
            or self._related("manufacturer", ident.manufacturer, ident.brand)
        ):
            return
        ident.conflicts["manufacturer"] = [ident.manufacturer, *ident.conflicts.get("manufacturer", [])]
        ident.conflict_details["manufacturer"] = [
            {
                "value": ident.manufacturer,
                "score": round(maker.score, 3),
                "tier": maker.top_tier,
                "signatures": sorted({s for _, _, s in maker.statements.values()}),
            },
            *ident.conflict_details.get("manufacturer", []),
        ]
        ident.manufacturer = None
        ident.field_confidence.pop("manufacturer", None)

    def _mark_unlisted(self, ident: Identity) -> None:
        ident.unlisted = [
            f for f in VENDOR_FIELDS if getattr(ident, f) and getattr(ident, f) not in self.vendors
        ]

    def _family(self, ident: Identity) -> list[str]:
        """The device's vendors for product-line look-ups: maker, label, their owners, then the labels the maker
        documentedly makes (its documented subsidiaries and `made_by` brands: a Hikvision-made EZVIZ camera
        names its EZVIZ part number in Hikvision's SADP), each tried after every vendor before it."""
        names: list[str] = []
        for name in (ident.manufacturer, ident.brand):
            if name and name not in names:
                names.append(name)
        for name in list(names):
            for owner, _rel in self.vendors.ancestors(name):
                if owner not in names:
                    names.append(owner)
        if ident.manufacturer:
            for label in self.vendors.made_labels(ident.manufacturer):
                if label not in names:
                    names.append(label)
        return names

    def _type_from_product_line(self, ident: Identity, *, bare: bool = False) -> None:
        """The model's product line says what the device is (an Axis C-series is a speaker, a DCH a hub). A model
        that rests on a bare value alone (`bare`: `_bare_models`) types a device, but never a camera."""
        if self.product_lines is None or not ident.model:
            return
        family = self._family(ident)
        if not family:
            return
        line = self.product_lines.match(family, ident.model)
        if line is None or (bare and line.device_type in CAMERA_TYPES):
            return
        conf = max(
            ident.field_confidence.get("device_type", 0.0) if ident.device_type == line.device_type else 0.0,
            0.9 * ident.field_confidence.get("model", 0.0),
        )
        if ident.device_type and ident.device_type != line.device_type:
            ident.conflicts["device_type"] = [ident.device_type, *ident.conflicts.get("device_type", [])]
        _infer(
            ident,
            "device_type",
            line.device_type,
            f"product_line.{line.id}",
            confidence=conf,
            tier=TIERS["vendor_api"],
        )

    def _infer_device_type(self, ident: Identity) -> None:
        if ident.device_type or not ident.manufacturer:
            return
        if self.vendors.is_video_only(ident.manufacturer) and ident.field_confidence["manufacturer"] >= 0.5:
            _infer(
                ident,
                "device_type",
                "camera",
                "engine.video_only_maker",
                confidence=INFERRED_TYPE_CONFIDENCE,
                tier=TIERS["inference"],
            )

    def _model_from_names(self, ident: Identity, named: list[Evidence]) -> None:
        """A model no observation stated, spelled without spaces in a CN or host name (`EagleEyeProducer`), is the
        listed name of the device's maker; names of other makers, or when a model was stated, stay unused."""
        if not named:
            return
        used = None
        if not ident.model:
            family = self._family(ident)
            used = next((ev for ev in named if self._name_vendors[ev.signature] in family), None)
        if used is not None:
            ident.model = used.asserts["model"]
            ident.field_confidence["model"] = used.weight
        unused = [ev for ev in named if ev is not used]
        ident.evidence = [
            replace(ev, asserts={}, ignored=dict(ev.asserts)) if any(ev is u for u in unused) else ev
            for ev in ident.evidence
        ]

    def _type_from_services(self, ident: Identity, prior: Evidence | None) -> None:
        """A device nothing else typed that serves a live video stream is a video source, at low confidence; when
        other evidence typed it, the prior stays in the evidence as not used (`ignored`)."""
        if prior is None:
            return
        if ident.device_type:
            unused = replace(prior, asserts={}, ignored=dict(prior.asserts))
            ident.evidence = [unused if ev is prior else ev for ev in ident.evidence]
            return
        ident.device_type = prior.asserts["device_type"]
        ident.field_confidence["device_type"] = prior.weight

    def _attach_concerns(self, ident: Identity) -> None:
        """The concerns of the device's maker and label, and how each applies; worked out once per (maker, label)
        pair of this register and vendor list (`_concern_memo`), since an estate repeats its makers."""
        register, vendors = self._concern_memo_of
        if (
            register is not self.concerns or vendors is not self.vendors
        ):  # another register or vendor list set since
            self._concern_memo_of = (self.concerns, self.vendors)
            self._concern_memo.clear()
        key = (ident.manufacturer, ident.brand)
        known = self._concern_memo.get(key) if not ident.concern_links else None
        if known is not None:
            ident.concern_links.extend(known[0])
            ident.concerns = list(known[1])
            return
        fresh = not ident.concern_links
        seen: set[tuple[str, str]] = set()
        for vendor in (ident.manufacturer, ident.brand):
            for link in self.concerns.links(vendor, self.vendors):
                if (link.id, link.via) in seen:
                    continue
                seen.add((link.id, link.via))
                ident.concern_links.append(link)
        ident.concerns = sorted({c.id for c in ident.concern_links if c.confidence != "uncertain"})
        if fresh:
            self._concern_memo.remember(key, (tuple(ident.concern_links), tuple(ident.concerns)))

    def _attach_advisories(self, ident: Identity) -> None:
        """Firmware advisories (issue 13): a pure function of the identity and the advisory data."""
        advisories = self.knowledge.advisories
        if advisories.by_vendor:
            ident.advisories = match_identity(advisories, ident)


_ALNUM = re.compile(r"[^0-9a-z]+")


def _os_words(name: str) -> set[str]:
    return set(_ALNUM.sub(" ", name.casefold()).split())


def _os_refines(specific: str, general: str) -> bool:
    """`BusyBox Linux` and `Debian Linux` refine `Linux`: every word of the general name is in the specific one."""
    words = _os_words(general)
    return bool(words) and words < _os_words(specific)


def _specific_first(ranked: list[_Candidate]) -> list[_Candidate]:
    """Among OS names, the best-ranked name that refines the top one (`BusyBox Linux` from a DHCP client over
    `Linux` from a kernel banner) goes first: both are true, the specific one says more."""
    top = ranked[0]
    for cand in ranked[1:]:
        if _os_refines(cand.display, top.display):
            return [cand, *(c for c in ranked if c is not cand)]
    return ranked


def _observed(
    obs: Observation,
    signature: str,
    asserts: dict[str, Any],
    weight: float,
    tier: int,
    *,
    ignored: dict[str, Any] | None = None,
    note: str | None = None,
) -> Evidence:
    """Evidence that one observation (its kind, port and source) gave for these values."""
    return Evidence(
        kind=obs.kind,
        signature=signature,
        asserts=asserts,
        weight=weight,
        port=obs.port,
        source=obs.source,
        tier=tier,
        ignored=ignored or {},
        note=note,
    )


def _repeats_model(label: str, model: str) -> bool:
    """`XNV-6080R` repeats model `XNV-6080R` (and `XNV-6080R` of `XNV-6080R-1`); `EYEPLUS` of `EYEPLUS_DEV` does not."""
    a, b = _ALNUM.sub("", label.casefold()), _ALNUM.sub("", model.casefold())
    if not a:
        return False
    return a == b or (b.startswith(a) and any(ch.isdigit() for ch in a))


def _path_bodies(observations: list[Observation]) -> set[str]:
    """The bodies of the endpoint answers observed with their path (http_path): a scan reports each also as an
    http_body, and a generic key reader of both kinds would state the same fact twice."""
    return {
        body
        for obs in observations
        if obs.kind == "http_path" and obs.error is None and isinstance(obs.value, dict)
        for body in [obs.value.get("body")]
        if isinstance(body, str) and body
    }


def _placeholder_mac(obs: Observation) -> list[Evidence]:
    """A MAC that is a placeholder (`oui.placeholder_mac`: all zeros, broadcast, a counting default such as
    00:11:22:33:44:55, the zero block 00:00:00) names no maker; kept in the evidence as ignored, saying why."""
    if obs.kind != "mac" or obs.error is not None:
        return []
    why = oui.placeholder_mac(obs.value)
    if why is None:
        return []
    note = f"placeholder MAC ({why}): shared by every unit whose firmware sets no address of its own; names no maker"
    return [
        _observed(obs, PLACEHOLDER_MAC, {}, 0.0, tier_of(obs.kind), ignored={"mac": obs.value}, note=note)
    ]


#: A certificate repeats across an estate (one maker's default subject): its canonical form is worked out once.
_canonical_subject = lru_cache(maxsize=4096)(canonical_subject)


def _printed_subject(obs: Observation) -> Observation:
    """A certificate subject typed or imported in another printed form (OpenSSL's oneline `C = SE, O = …, CN = …`,
    its compat `/C=SE/O=…/CN=…`, `subject=`/`Subject:` labels, nmap's `commonName=…/…`) read as the scanner writes
    it (`camscan.parse.tls.canonical_subject`: RFC 4514, most specific first), so that every reader sees one form."""
    if obs.kind != "tls_subject" or not isinstance(obs.value, str):
        return obs
    value = _canonical_subject(obs.value)
    return obs if value == obs.value else replace(obs, value=value)


def _one_services_statement(observations: list[Observation]) -> list[Observation]:
    """A host's ONVIF service lists (its GetServices and GetCapabilities answers, on every port) are one statement
    of what it offers: merged into one `onvif_services` observation (`camscan.parse.onvif_services.merge_services`),
    so that "no Media service" means that no answer listed one."""
    found = [
        o for o in observations if o.kind == SERVICES_KIND and o.error is None and isinstance(o.value, dict)
    ]
    if len(found) < 2:
        return observations
    merged = replace(found[0], value=merge_services([o.value for o in found]))
    out = [o for o in observations if not any(o is f for f in found)]
    out.append(merged)
    return out


def _candidate(fields: dict[str, dict[str, _Candidate]], key: str, fold: str) -> _Candidate:
    """The candidate for one folded value of one field, made only when the value is new (not once per statement:
    `decide` runs for every host)."""
    values = fields.get(key)
    if values is None:
        values = fields[key] = {}
    cand = values.get(fold)
    if cand is None:
        cand = values[fold] = _Candidate()
    return cand


def _stated_makers(found: list[Evidence], *, free_text: bool = True) -> set[str]:
    """The makers and brands the evidence names, a MAC's OUI aside (a module maker's block): the makers a fallback
    reader's own maker must be related to. `free_text=False`: makers named in free text (`MAKER_WORDS`) aside too."""
    return {
        value
        for ev in found
        if ev.kind != "mac" and (free_text or not ev.signature.startswith(MAKER_WORDS + "."))
        for key, value in ev.asserts.items()
        if key in VENDOR_FIELDS
    }


_VENDOR_KEYS = frozenset(VENDOR_FIELDS)


def _maker_stated(found: list[Evidence]) -> bool:
    """Whether any evidence but a MAC's OUI names a maker or a brand: the fallback maker readers (free text, identity
    objects' keys, product families) read only when none does (a MAC block names a module maker the text outranks)."""
    return any(ev.kind != "mac" and not _VENDOR_KEYS.isdisjoint(ev.asserts) for ev in found)


def _named_in_text_only(winner: _Candidate | None) -> bool:
    """The winning maker rests on nothing but makers named in free text, or read by key in an identity object."""
    return winner is not None and all(
        sig.startswith(MAKER_WORDS + ".") or _identity_object_maker(sig)
        for _, _, sig in winner.statements.values()
    )


def _identity_object_maker(signature: str) -> bool:
    """A maker statement of the identity-object reader (`generic.identity_object.<kind>.manufacturer`, `.brand`)."""
    return signature.startswith(IDENTITY_OBJECT + ".") and signature.rsplit(".", 1)[-1] in MAKER_FIELDS


def _bare_only(winner: _Candidate | None) -> bool:
    """The winning model rests on nothing but bare values (`_bare_models`): a token that names its maker through
    its numbering, but is too little to make a camera."""
    return winner is not None and all(
        sig.startswith(BARE_MODEL + ".") for _, _, sig in winner.statements.values()
    )


def _weakly_stated(winner: _Candidate | None, generic: frozenset[str]) -> bool:
    """The winning value rests on weak statements of generic readers only (each below STRONG): a model read by
    position after a maker's name in free text (`_models_in_text`), or by a signature marked `names_maker: false`
    (a key name in an answer, a Cast or AirPlay TXT key, a UPnP modelNumber). A weak statement of a device's own
    answer read by a signature (an ONVIF `Model/` scope) still names its maker."""
    return winner is not None and all(
        weight < STRONG and (sig in generic or sig.startswith(MODEL_WORDS + "."))
        for weight, _, sig in winner.statements.values()
    )


def _infer(ident: Identity, name: str, value: str, signature: str, *, confidence: float, tier: int) -> None:
    """Set a field the engine inferred from knowledge (not from one observation), and say why in the evidence."""
    setattr(ident, name, value)
    ident.field_confidence[name] = confidence
    ident.evidence.append(
        Evidence(kind="inference", signature=signature, asserts={name: value}, weight=confidence, tier=tier)
    )


def get_engine(directory: Path | None = None, extra_concerns: tuple[Path, ...] = ()) -> Engine:
    """The process-wide engine for a data directory (data is loaded and compiled once)."""
    return _engine(load_knowledge(directory, extra_concerns))


@lru_cache(maxsize=8)
def _engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge)
