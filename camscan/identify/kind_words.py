"""Kinds named in a device's own answers: "Network Camera", "NVR", "Video Encoder", "Door Station", 摄像机 …

tests/fixtures/real/README.md counts a device as saying what it is when a word that names its kind stands in any of
its own answers (banner, title, host name, realm, description, scope, certificate). `kind_words.yaml` lists those
words per device type (in the languages devices use), the fields of every observation kind where they count, and
the look-alike words (`not`) that make a text state no video-surveillance kind: a hub, a NAS or VMS package, a
webcam app, a photo camera, a TV recorder says "camera" or "DVR" about something it is not.

This module is the one reader: it takes each listed field of an observation as its format says (a realm out of a
WWW-Authenticate value, the session name of an SDP, the CN of a certificate subject, a key of an API answer that
occurs once), finds the kind words in it, and gives one kind per observation. The engine (docs/identify.md, "Kinds
named in the device's own answers") uses it as a fallback: only when no signature, product line or answer typed
the device.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from camscan.identify.identity_objects import values_of_others
from camscan.model import CAMERA_TYPES
from camscan.parse import sdp
from camscan.text import split_camel

#: A word: a run of letters or a run of digits (any script); everything else separates words.
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
#: Scripts written without spaces between words: a phrase holding one of their letters is matched as a substring.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_REALM = re.compile(r'\brealm\s*=\s*(?:"([^"]*)"|([^\s,]+))', re.IGNORECASE)
_RDN = re.compile(r"(?:^|[,/])\s*(CN|OU|O)\s*=\s*((?:[^,/\\]|\\.)+)", re.IGNORECASE)
#: The session-level SDP lines read (RFC 8866 §5.3-5.4 `s=`, `i=`) and QuickTime's name and information attributes.
_SDP_TYPES = ("s", "i")
_SDP_ATTRIBUTES = ("x-qt-text-nam", "x-qt-text-inf")
#: The scopes whose value names or describes the device (ONVIF Core Specification 7.3.2.2).
_SCOPES = re.compile(r"^onvif://www\.onvif\.org/(?:name|hardware)/(.+)$", re.IGNORECASE)
#: UPnP SERVER "OS/version UPnP/x product/version": the product is what follows the UPnP token.
_UPNP_PRODUCT = re.compile(r"\bUPnP/[\d.]+\s+(.*)$", re.IGNORECASE)
#: A UPnP device type URN's type name (urn:domain:device:<type>:<version>).
_URN = re.compile(r"^urn:[^:]+:device:([^:]+):\d+$", re.IGNORECASE)
#: Texts up to this length are remembered by `KindWords.kind_of` (4,096 of them at most).
MEMO_TEXT = 512
#: Shortest word a suffix reads as a compound ("homecam" yes, "scam" no).
MIN_COMPOUND = 5
#: The field name of an object answer's Server header (`Hit.field` ends so).
SERVER_HEADER = "Server header"
#: The mode of a `product_keys` value: read as text, for the non-video kinds only.
_PRODUCT = "product"
READS = ("text", "realm", "tls_subject", "sdp_session", "onvif_scopes", "upnp_product", "keys", "body_keys")
MODES = ("text", "whole")


def normalise(text: str) -> str:
    """NFKC, camel case split, case folded."""
    return split_camel(unicodedata.normalize("NFKC", text)).casefold()


def tokens(text: str) -> list[str]:
    """The words of a text as the reader compares them ("IPCamera-2" → ip, camera, 2)."""
    return _TOKEN.findall(normalise(text))


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]
    text: str  #: the phrase as written (folded), for unspaced scripts and notes

    @classmethod
    def of(cls, phrase: str) -> _Phrase:
        folded = normalise(phrase)
        return cls(tuple(_TOKEN.findall(folded)), " ".join(folded.split()))

    @property
    def unspaced(self) -> bool:
        return bool(_UNSPACED.search(self.text))


@dataclass(frozen=True, slots=True)
class Hit:
    """What one text says: the kind, the words that say it, and the field they stand in."""

    kind: str
    words: str
    field: str

    @property
    def note(self) -> str:
        return f"the device's {self.field} names its kind: {self.words!r}"


@dataclass(frozen=True, slots=True)
class FieldRule:
    kind: str
    read: str
    mode: str = "text"
    weight: float | None = None
    keys: dict[str, str] = field(default_factory=dict)  #: object key → mode ("text", "whole", "urn")


class _Matcher:
    """Phrases found in a word list: whole words in sequence, a suffix compound, or a substring for CJK."""

    def __init__(self, phrases: list[str], suffixes: tuple[str, ...] = ()) -> None:
        parsed = [_Phrase.of(p) for p in phrases if p.strip()]
        self.spaced: dict[str, list[_Phrase]] = {}
        for p in parsed:
            if not p.unspaced and p.words:
                self.spaced.setdefault(p.words[0], []).append(p)
        for group in self.spaced.values():
            group.sort(key=lambda p: -len(p.words))
        self.unspaced = [p for p in parsed if p.unspaced]
        self.suffixes = tuple(normalise(s) for s in suffixes)

    def find(self, words: list[str], folded: str) -> list[tuple[int, int, str]]:
        """(start, end, phrase) of every phrase found; spans index `words` (-1, -1 for a substring match)."""
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(words):
            w = words[i]
            for p in self.spaced.get(w, ()):
                if tuple(words[i : i + len(p.words)]) == p.words:
                    out.append((i, i + len(p.words), p.text))
                    i += len(p.words)
                    break
            else:
                if len(w) >= MIN_COMPOUND and any(w.endswith(s) and w != s for s in self.suffixes):
                    out.append((i, i + 1, w))
                i += 1
        out.extend((-1, -1, p.text) for p in self.unspaced if p.text in folded)
        return out


@dataclass(frozen=True, slots=True, eq=False)
class KindWords:
    """What kind_words.yaml says: the words of each kind, the look-alikes, the fields read, the weight."""

    weight: float = 0.0
    order: tuple[str, ...] = ()
    fields: dict[str, FieldRule] = field(default_factory=dict)
    body_keys: frozenset[str] = frozenset()
    filler: frozenset[str] = frozenset()
    examples: tuple[dict[str, Any], ...] = ()
    not_examples: tuple[dict[str, Any], ...] = ()
    version: str = "unknown"
    digest: str = ""
    _kinds: dict[str, _Matcher] = field(default_factory=dict)
    #: Ambiguous words of a kind (`weak`: "IPC", "cam", "TVR", "video server") → how they may be joined to a name:
    #: "any" (a host name "garage-cam"), "designation" (a product designation with a digit: "IPC-HDW1431T1").
    #: `head`: the word also names the kind as the last word of a name ("Wyze Cam v3", "Garage Cam").
    _weak: dict[str, dict[str, tuple[str, bool]]] = field(default_factory=dict)
    #: Words a weak word may stand beside and still name the kind ("IPC Login", "220 Video Server ready").
    weak_context: frozenset[str] = frozenset()
    _not: _Matcher | None = None
    #: Look-alikes that hide every kind (`hides: all`: "Wireless Access Controller" is no access-control unit).
    _not_any: _Matcher | None = None
    #: Look-alikes of one non-video kind (`hides: [printer]`: a "3D printer" is no printer, a "TV box" no TV).
    _not_kinds: dict[str, _Matcher] = field(default_factory=dict)
    #: API-answer keys that hold a product's marketing name ("productName": "Key Light"): read for the non-video
    #: kinds only, so they type a light, printer or console but never make a camera (product_keys in the file).
    product_keys: frozenset[str] = frozenset()
    #: Kind words that are one maker's product-family names ("playstation", "xbox 360", "laserjet") → the maker.
    makers: dict[str, str] = field(default_factory=dict)
    #: Keys under which an API answer describes something else than the device (a child device, an accessory, a
    #: part, an update): identity_objects.yaml's one notion of it (`IdentityObjects.not_device`), set by the loader.
    not_device: frozenset[str] = frozenset()

    @property
    def enabled(self) -> bool:
        return self.weight > 0 and bool(self.fields) and bool(self._kinds)

    @classmethod
    def empty(cls) -> KindWords:
        return cls()

    @classmethod
    def load(cls, path: Path, device_types: Any = None) -> KindWords:
        from camscan.datafile import load_yaml
        from camscan.errors import DataError

        doc = load_yaml(path, "kind_words")  # vendor_signatures/schema/kind_words.schema.json
        kinds: dict[str, _Matcher] = {}
        weak: dict[str, dict[str, tuple[str, bool]]] = {}
        makers: dict[str, str] = {}
        for name, entry in doc["kinds"].items():
            if device_types is not None:
                device_types.check(path, f"kinds {name!r}", name)
            listed = {_Phrase.of(w).text for w in entry["words"]}
            for maker, words in (entry.get("makers") or {}).items():
                for w in words:
                    text = _Phrase.of(w).text
                    if text not in listed or text in makers:
                        raise DataError(
                            path,
                            f"kinds {name!r} makers",
                            f"{w!r} is not one of the kind's words, or listed twice",
                        )
                    makers[text] = str(maker)
            for group in entry.get("weak") or ():
                for w in group["words"]:
                    text = _Phrase.of(w).text
                    if text not in listed:
                        raise DataError(path, f"kinds {name!r} weak", f"{w!r} is not one of the kind's words")
                    weak.setdefault(name, {})[text] = (group["joined"], bool(group.get("head", False)))
            kinds[name] = _Matcher(list(entry["words"]), tuple(entry.get("suffixes") or ()))
        order = tuple(doc["order"])
        if set(order) != set(kinds):
            raise DataError(path, "order", "must list every kind of `kinds` exactly once")
        not_words = [
            w for group in doc["not"] if group.get("hides", "video") == "video" for w in group["words"]
        ]
        not_any = [w for group in doc["not"] if group.get("hides") == "all" for w in group["words"]]
        not_kinds: dict[str, list[str]] = {}
        for group in doc["not"]:
            if isinstance(group.get("hides"), list):
                for hidden in group["hides"]:
                    if hidden not in kinds:
                        raise DataError(
                            path, f"not {group['group']!r} hides", f"{hidden!r} is not one of `kinds`"
                        )
                    not_kinds.setdefault(hidden, []).extend(group["words"])
        fields: dict[str, FieldRule] = {}
        for raw in doc["fields"]:
            if raw["kind"] in fields:
                raise DataError(path, f"fields {raw['kind']!r}", "listed twice")
            fields[raw["kind"]] = FieldRule(
                raw["kind"],
                raw["read"],
                raw.get("mode", "text"),
                float(raw["weight"]) if raw.get("weight") is not None else None,
                dict(raw.get("keys") or {}),
            )
        return cls(
            float(doc["weight"]),
            order,
            fields,
            frozenset(k.casefold() for k in doc.get("body_keys") or ()),
            frozenset(t for w in doc.get("filler") or () for t in tokens(str(w))),
            tuple(doc.get("examples") or ()),
            tuple(doc.get("not_examples") or ()),
            str(doc.get("version", "unknown")),
            hashlib.sha256(Path(path).read_bytes()).hexdigest(),
            kinds,
            weak,
            frozenset(t for w in doc.get("weak_context") or () for t in tokens(str(w))),
            _Matcher(not_words),
            _Matcher(not_any),
            {kind: _Matcher(words) for kind, words in not_kinds.items()},
            frozenset(k.casefold() for k in doc.get("product_keys") or ()),
            makers,
        )

    def example_values(self) -> list[tuple[str, Any]]:
        """(kind, value) of every example and not-example, for the corpus rule (no corpus value is an example)."""
        return [(str(ex["kind"]), ex["value"]) for ex in (*self.examples, *self.not_examples)]

    def example_count(self) -> int:
        return len(self.examples) + len(self.not_examples)

    # ------------------------------------------------------------------------------------------- reading
    def texts(self, kind: str, value: Any) -> Iterator[tuple[str, str, str]]:
        """(field name, text, mode) of every field of an observation where kind words count."""
        rule = self.fields.get(kind)
        if rule is None:
            return
        read, mode = rule.read, rule.mode
        if read == "keys":
            if isinstance(value, dict):
                yield from _object_texts(kind, value, rule.keys)
            return
        if read == "onvif_scopes":
            for scope in value if isinstance(value, list) else ():
                m = _SCOPES.match(scope) if isinstance(scope, str) else None
                if m:
                    yield f"{kind} scope", urllib.parse.unquote(m.group(1)), mode
            return
        if read == "body_keys":
            body = value.get("body") if isinstance(value, dict) else value
            if isinstance(body, str):
                others = values_of_others(body, self.not_device)
                yield from (
                    (f"{kind} {key}", text, mode) for key, text in _body_values(body, self.body_keys, others)
                )
                yield from (
                    (f"{kind} {key}", text, _PRODUCT)
                    for key, text in _body_values(body, self.product_keys, others)
                )
            server = _server_header(value.get("headers")) if isinstance(value, dict) else None
            if server:
                yield f"{kind} {SERVER_HEADER}", server, mode
            return
        if not isinstance(value, str) or not value.strip():
            return
        if read == "text":
            yield kind, value, mode
        elif read == "realm":
            for m in _REALM.finditer(value):
                yield f"{kind} realm", m.group(1) if m.group(1) is not None else m.group(2), mode
        elif read == "upnp_product":
            m = _UPNP_PRODUCT.search(value)
            if m:
                yield f"{kind} product", m.group(1), mode
        elif read == "tls_subject":
            subject = value.split("\nissuer:", 1)[0]
            for m in _RDN.finditer(subject):
                name = m.group(1).upper()
                yield f"certificate {name}", m.group(2).strip(), "text" if name == "CN" else "whole"
        elif read == "sdp_session":
            for line in sdp.description(value).session:  # media sections describe streams, not the device
                if line.type in _SDP_TYPES:
                    text: str | None = line.value
                elif line.name in _SDP_ATTRIBUTES:
                    text = line.argument
                else:
                    continue
                if text is not None and text.strip() and text.strip() != "-":
                    yield f"{kind} session", text, mode

    def kind_of(self, text: str, mode: str = "text") -> tuple[str, str] | None:
        """(kind, words) a text names, or None (`_kind_of`); short texts are remembered, since banners, titles and
        answer fields repeat across an estate (a long one is read each time: the memo stays small)."""
        if len(text) <= MEMO_TEXT:
            return self._kind_of_memo(text, mode)
        return self._kind_of(text, mode)

    @lru_cache(maxsize=4096)  # noqa: B019 - one reader per process
    def _kind_of_memo(self, text: str, mode: str) -> tuple[str, str] | None:
        return self._kind_of(text, mode)

    def _kind_of(self, text: str, mode: str = "text") -> tuple[str, str] | None:
        """(kind, words) a text names, or None: the first kind of `order` found; a look-alike word (`not`) in the
        text hides the video-surveillance kinds. `whole`: only a text of nothing but kind words, filler and numbers.
        The text is read twice, as written and with camel case split ("IPDome" is "IP Dome", "TiVo" stays "tivo")."""
        readings = []
        for folded in {normalise(text), unicodedata.normalize("NFKC", text).casefold()}:
            words = _TOKEN.findall(folded)
            if words:
                readings.append((words, folded))
        found: dict[str, tuple[str, list[tuple[int, int, str]], list[str]]] = {}
        for words, folded in readings:
            for kind, matcher in self._kinds.items():
                spans = matcher.find(words, folded)
                weak = self._weak.get(kind)
                if spans and weak:
                    spans = [
                        s
                        for s in spans
                        if s[2] not in weak or self._weak_names(s, weak[s[2]], words, folded, text)
                    ]
                if spans and kind not in found:
                    found[kind] = (spans[0][2], spans, words)
        if not found:
            return None
        if self._not_any is not None and any(self._not_any.find(words, folded) for words, folded in readings):
            return None
        hides = self._not is not None and any(k in CAMERA_TYPES for k in found)
        if hides and any(self._not.find(words, folded) for words, folded in readings):  # type: ignore[union-attr]
            found = {k: v for k, v in found.items() if k not in CAMERA_TYPES}
        for hidden, matcher in self._not_kinds.items():
            if hidden in found and any(matcher.find(words, folded) for words, folded in readings):
                del found[hidden]
        for kind in self.order:
            if kind not in found:
                continue
            phrase, spans, words = found[kind]
            if mode == "whole" and not self._only_kind_words(words, spans, found):
                continue
            return kind, phrase
        return None

    def _weak_names(
        self, span: tuple[int, int, str], how: tuple[str, bool], words: list[str], folded: str, text: str
    ) -> bool:
        """Whether an ambiguous word ("IPC": also inter-process communication; "cam": a name, computer-aided
        manufacturing, a TV's conditional-access module; "TVR": a car maker; "video server": streaming software)
        names its kind here: joined to a longer name as `joined` allows ("garage-cam", "IPC-HDW1431T1"), as the last
        word of a name when `head` ("Wyze Cam v3": the head of an English noun phrase is its last word; "Cam Newton"
        and "CAM Module" are not cams), or beside nothing but other kind words, filler, numbers and `weak_context`
        ("IPC", "IP CAM 2", "TVR Login")."""
        joined, head = how
        a, b, _text = span
        if a < 0:
            return True
        # the run of words written without a blank around the span (one host name, designation or camel-case name:
        # "garage-cam", "IPC-HDW1431T1", "CamView"), counted in the reading's own words
        split = folded == normalise(text)
        starts, pos = [], 0
        for c in unicodedata.normalize("NFKC", text).split():
            n = len(_TOKEN.findall(normalise(c) if split else c.casefold()))
            starts.append((pos, pos + n, c))
            pos += n
        joined_words: set[int] = set()
        for lo, hi, _c in starts:
            if lo < b and a < hi:
                joined_words.update(range(lo, hi))
        others = joined_words - set(range(a, b))
        if others and (
            joined == "any" or (joined == "designation" and any(words[i].isdigit() for i in others))
        ):
            return True

        def trailing(i: int) -> bool:
            w = words[i]
            return w in self.filler or w in self.weak_context or w.isdigit() or w == "v"

        if head and a > 0 and all(trailing(i) for i in range(b, len(words))):
            return True
        found_any: set[int] = set()
        for matcher in self._kinds.values():
            for x, y, t in matcher.find(words, folded):
                if x >= 0 and not any(t in weak for weak in self._weak.values()):
                    found_any.update(range(x, y))
        return all(
            a <= i < b or i in found_any or w in self.filler or w in self.weak_context or w.isdigit()
            for i, w in enumerate(words)
        )

    def _only_kind_words(
        self, words: list[str], spans: list[tuple[int, int, str]], found: dict[str, Any]
    ) -> bool:
        covered = {
            i for _p, s, w in found.values() if w is words for a, b, _t in s for i in range(a, b) if a >= 0
        }
        if any(a < 0 for a, _b, _t in spans):
            return False  # an unspaced phrase inside a longer text: not provably the whole field
        return all(i in covered or w in self.filler or w.isdigit() for i, w in enumerate(words))

    def read(self, kind: str, value: Any) -> list[Hit]:
        """What an observation's fields say about its kind, field by field."""
        out: list[Hit] = []
        for name, text, mode in self.texts(kind, value):
            product = mode == _PRODUCT
            if product:
                mode = "text"
            if mode == "urn":
                m = _URN.match(text.strip())
                if not m:
                    continue
                text, mode = m.group(1), "whole"
            got = self.kind_of(text, mode)
            if got is not None and not (product and got[0] in CAMERA_TYPES):
                out.append(Hit(got[0], got[1], name))
        return out

    def field_weight(self, kind: str) -> float:
        rule = self.fields.get(kind)
        return rule.weight if rule is not None and rule.weight is not None else self.weight


def _object_texts(kind: str, value: dict[str, Any], keys: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    for key, mode in keys.items():
        raw = value.get(key)
        items = raw if isinstance(raw, list) else [raw]
        for item in items:
            if isinstance(item, str) and item.strip():
                yield f"{kind} {key}", item, mode
            elif isinstance(item, dict):
                for v in item.values():
                    if isinstance(v, str) and v.strip():
                        yield f"{kind} {key}", v, mode


# Each quantifier below either cannot overlap its neighbour or is possessive, so an answer built to make them
# backtrack ("<a>" and 64 KiB of blanks, a run of newlines, "<a " repeated) is read in linear time
# (tests/identify/test_regex_worst_case.py). A value is stripped after the match, not by the pattern.
_XML_ELEMENT = re.compile(r"<(?:[\w-]+:)?([\w.-]++)(?:\s[^<>]*+)?>\s*+([^<]{1,120}+)</(?:[\w-]+:)?\1\s*>")
_JSON_PAIR = re.compile(r'"([\w.-]+)"\s*:\s*"([^"]{1,120})"')
_LINE_PAIR = re.compile(r"^[ \t]*+([\w.-]++)[ \t]*+=[ \t]*+'?\"?([^'\"\r\n]{1,120})", re.MULTILINE)


def server_text(value: Any) -> str | None:
    """The Server header of an object answer (http_path), stripped and case-folded, or None."""
    server = _server_header(value.get("headers")) if isinstance(value, dict) else None
    return server.strip().casefold() if server else None


def _server_header(headers: Any) -> str | None:
    """The `Server` header of an answer's headers (any case), read as an http_server banner is (RFC 9110 §10.2.4:
    the product that answered): an endpoint's answer carries the same banner as the port's."""
    if not isinstance(headers, dict):
        return None
    for name, text in headers.items():
        if isinstance(name, str) and name.casefold() == "server" and isinstance(text, str) and text.strip():
            return text
    return None


def _body_values(
    body: str, keys: frozenset[str], others: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()
) -> list[tuple[str, str]]:
    """(key, value) of the listed keys that occur exactly once in an API answer (XML element, JSON string, or
    key=value line): a repeated key describes a list of other devices (channels, clients). A value under a key
    naming something else than the device (`others`: a child device, an accessory, a part) is never read."""
    seen: dict[str, list[str]] = {}
    for pattern in (_XML_ELEMENT, _JSON_PAIR, _LINE_PAIR):
        for m in pattern.finditer(body[:65536]):
            key = m.group(1).casefold()
            value = m.group(2).strip()
            if key in keys and value and (key, value) not in others:
                seen.setdefault(key, []).append(value)
    counts: dict[str, int] = {}
    for key in seen:
        counts[key] = len(
            re.findall(r"(?<![\w.-])" + re.escape(key) + r"(?![\w.-])", body[:65536], re.IGNORECASE)
        )
    out = []
    for key, values in seen.items():
        if len(values) == 1 and counts[key] <= 2:  # an XML element's name stands twice: <key>…</key>
            out.append((key, values[0]))
    return out
