"""Identity objects: the one object of a device's answer that describes the device itself.

Device APIs answer their identity as one object of short keys — a JSON object `{"model": …, "mac": …, "ver": …}`,
an XML element `<device><sn>…</sn><software>…</software></device>`, a `key=value` list (a CGI answer, an SDP
`a=fmtp` parameter list `Mac=…; Model=…; FirmVer=…`). The short keys (`ver`, `fw`, `sw`, `version`, `software`,
`sn`) are ambiguous anywhere else: an API's, a protocol's, a schema's or an application's version, a JSON-RPC
`version`, an update offer. So they are read only **inside an identity object**: an object that also holds a key
of another identity class (a model, a MAC, a serial, a device name or type), that is no member of a list (a list
holds several things: channels, clients, child devices), that sits under no key naming something else than the
installed device (`update`, `app`, `api` …), and that is the only such object of the answer with a value for the
field. The key families, the value shapes and the examples are data (vendor_signatures/identity_objects.yaml).

The engine uses what this reads as a weak fallback (banner tier): only for a field that no signature, answer or
other rule states; it never names a maker, and never a type (docs/identify.md, "Identity objects").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camscan.errors import DataError
from camscan.parse import sdp

#: The observation kinds the reader knows how to read, and the fields it can give.
READABLE_KINDS = ("http_path", "http_body", "sdp")
READABLE_FIELDS = ("firmware", "model", "serial", "manufacturer", "brand", "product", "type_id")
#: The fields that name who made or labels the device: the engine reads them as makers (a key naming the maker, the
#: brand, or a product name that starts with a listed maker's name), not as the identity fields of the same name.
MAKER_FIELDS = ("manufacturer", "brand", "product")
#: The field that holds a maker protocol's device-type identifier (`SMART.IPCAMERA`): read only when the value is one
#: the file's `type_identifiers` list, which says what it means (a type, the protocol's maker, its label).
TYPE_ID = "type_id"
#: Bodies larger than this are not parsed (an identity answer is small; a 4 MiB page is not one).
MAX_BODY = 256 * 1024
#: How a member object's values are named in its parent (`NESTED` + member key + value key): they may give a field's
#: value (`"firmware": {"version": "1.2.3"}` is the parent's `firmwareversion`), never the context that makes the
#: parent a device's identity (`"device": {"model": …}` beside an app's `version` says nothing of that version).
NESTED = "^"
#: Characters dropped when comparing key names: `fw_ver`, `fw-ver`, `FwVer` and `fw.ver` are one key.
_KEY_FOLD = re.compile(r"[\s_.\-]")
#: One `key=value` line of a parameter-list answer (the value bare or quoted, a trailing `;` allowed).
_LINE = re.compile(r"""^[ \t]*([A-Za-z][\w.-]{0,47})[ \t]*=[ \t]*(['"]?)([^'"\r\n]*?)\2[ \t]*;?[ \t]*\r?$""")
#: One `Key Words: value` line of a plain-text status answer ("Firmware Version: 1.2.3", "MAC Address: …").
_COLON_LINE = re.compile(r"^[ \t]*([A-Za-z][\w .-]{0,47}?)[ \t]*:[ \t]*(\S[^\r\n]{0,200}?)[ \t]*\r?$")
#: A JSON member key that is an identifier (a MAC, a number, a hex id or UUID): an object keyed so is a map of
#: several things (clients, devices, channels by id), each member a list's member, never the answering device.
_ID_KEY = re.compile(
    r"(?:[0-9a-f]{2}[:-]?){5}[0-9a-f]{2}|\d+|[0-9a-f]{8,}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.I
)
#: A section header of a multi-section dump (`[ch1]`): such a body describes several things.
_SECTION = re.compile(r"(?m)^[ \t]*\[[^\]\r\n]+\][ \t]*\r?$")


def fold_key(key: str) -> str:
    """A key as compared: case, namespace prefix and separators aside (`tns:Fw_Ver` → `fwver`)."""
    return _KEY_FOLD.sub("", key.rsplit(":", 1)[-1].casefold())


@dataclass(frozen=True, slots=True)
class Reading:
    """One field read from one identity object: the value, the key it was read under, and the key of another
    identity class beside it that makes the object a device's identity."""

    field: str
    value: str
    key: str
    beside: str


@dataclass(frozen=True, slots=True)
class FieldRule:
    name: str
    keys: tuple[str, ...]  # folded, in order of preference
    value: re.Pattern[str]
    #: The context class this field's own keys belong to (a model is no context for reading a model).
    own_class: str | None = None
    #: Keys under which an object is never read for this field (folded), besides the file's `not_under`: a part's,
    #: an accessory's or a child device's object names its own maker, not the answering device's.
    not_under: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TypeIdentifier:
    """What a maker protocol's device-type identifier says: the device's type, the protocol's maker, its label."""

    value: str
    device_type: str | None
    manufacturer: str
    brand: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class IdentityObjects:
    """The identity-object reader: context keys by class, the fields read, where objects never count."""

    context: dict[str, str] = field(default_factory=dict)  # folded key → class
    fields: tuple[FieldRule, ...] = ()
    not_under: frozenset[str] = frozenset()
    not_attributes: frozenset[str] = frozenset()
    kinds: tuple[str, ...] = ()
    weight: float = 0.0
    #: The weight of a maker read by key, and of a listed device-type identifier (0: not read).
    maker_weight: float = 0.0
    type_id_weight: float = 0.0
    source: str = ""
    examples: tuple[dict[str, Any], ...] = ()
    not_examples: tuple[dict[str, Any], ...] = ()
    version: str = "unknown"
    #: A maker protocol's device-type identifiers, by their folded value (`type_identifiers`).
    type_ids: dict[str, TypeIdentifier] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> IdentityObjects:
        return cls()

    @property
    def not_device(self) -> frozenset[str]:
        """The folded keys under which an answer describes something else than the device itself: the file's
        `not_under` (an update, an app, a part) and every field's (a child device, an accessory, a paired device, a
        component). The one notion of "not the device itself", which the kind words read too (kind_words.py)."""
        out = set(self.not_under)
        for rule in self.fields:
            out |= rule.not_under
        return frozenset(out)

    @property
    def enabled(self) -> bool:
        return bool(self.fields) and self.weight > 0

    # ----------------------------------------------------------------------------------------------- reading
    def read(self, kind: str, value: Any) -> list[Reading]:
        """What the identity objects of one observation say: at most one reading per field."""
        if not self.enabled or kind not in self.kinds:
            return []
        objects = list(_objects(kind, value, self.not_under, self.not_attributes))
        out: list[Reading] = []
        for rule in self.fields:
            found: dict[str, Reading] = {}
            for under, obj in objects:
                if rule.not_under and any(_names(k, rule.not_under) for k in under):
                    continue
                got = self._read_field(rule, obj)
                if got is not None and (rule.name != TYPE_ID or got.value.casefold() in self.type_ids):
                    found.setdefault(got.value.casefold(), got)
            if len(found) == 1:  # two objects that disagree: whose identity is it? none is read
                out.append(next(iter(found.values())))
        return out

    def _read_field(self, rule: FieldRule, obj: dict[str, str]) -> Reading | None:
        beside = next(
            (k for k in obj if (cls := self.context.get(k)) is not None and cls != rule.own_class), None
        )
        if beside is None:
            return None
        for key in rule.keys:
            raw = obj.get(key)
            if (
                raw is None
            ):  # a member object's value named so ("firmware": {"version": …}) gives a value, no context
                raw = obj.get(NESTED + key)
            if raw is None:
                continue
            text = raw.strip()
            if rule.value.fullmatch(text):
                return Reading(rule.name, text, key, beside)
            return None  # the preferred key holds no such value: do not fall back to a vaguer one
        return None

    def type_identifier(self, value: str) -> TypeIdentifier | None:
        """What a device-type identifier read in an identity object means, or None when the file does not list it."""
        return self.type_ids.get(value.strip().casefold())

    def example_count(self) -> int:
        return len(self.examples) + len(self.not_examples)

    def problems(self) -> list[tuple[str, str]]:
        """Examples that do not read as they say, not-examples that read anything (`camscan signatures test`)."""
        out: list[tuple[str, str]] = []
        for n, ex in enumerate(self.examples, 1):
            got = {r.field: r.value for r in self.read(ex["kind"], ex["value"])}
            want = {k: str(v) for k, v in ex["expect"].items()}
            if got != want:
                out.append((f"example {n}", f"reads {got}, expected {want}"))
        for n, ex in enumerate(self.not_examples, 1):
            got = {r.field: r.value for r in self.read(ex["kind"], ex["value"])}
            if got:
                out.append((f"not_example {n}", f"reads {got} but must read nothing"))
        return out

    # ----------------------------------------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path) -> IdentityObjects:
        from camscan.datafile import load_yaml

        if not path.exists():
            return cls.empty()
        doc = load_yaml(path, "identity_objects")  # vendor_signatures/schema/identity_objects.schema.json
        context: dict[str, str] = {}
        for cls_name, keys in doc["context"].items():
            for key in keys:
                folded = fold_key(str(key))
                if folded in context:
                    raise DataError(
                        path, f"context {cls_name!r}", f"key {key!r} is also listed under {context[folded]!r}"
                    )
                context[folded] = cls_name
        bad_kinds = [k for k in doc["kinds"] if k not in READABLE_KINDS]
        if bad_kinds:
            raise DataError(path, "kinds", f"{bad_kinds} are not kinds the reader reads {READABLE_KINDS}")
        rules: list[FieldRule] = []
        for name, raw in doc["fields"].items():
            entry = f"field {name!r}"
            if name not in READABLE_FIELDS:
                raise DataError(path, entry, f"not a field the reader gives {READABLE_FIELDS}")
            try:
                pattern = re.compile(raw["value"])
            except re.error as exc:
                raise DataError(path, entry, f"'value' is not a valid regular expression: {exc}") from None
            own = raw.get("own_class")
            if own is not None and own not in doc["context"]:
                raise DataError(path, entry, f"'own_class' {own!r} is no context class")
            rules.append(
                FieldRule(
                    name,
                    tuple(fold_key(str(k)) for k in raw["keys"]),
                    pattern,
                    own,
                    frozenset(fold_key(str(k)) for k in raw.get("not_under") or ()),
                )
            )
        type_ids: dict[str, TypeIdentifier] = {}
        for n, raw in enumerate(doc.get("type_identifiers") or (), 1):
            for value in raw["ids"]:
                folded = str(value).strip().casefold()
                if folded in type_ids:
                    raise DataError(path, f"type_identifiers entry {n}", f"{value!r} is listed twice")
                type_ids[folded] = TypeIdentifier(
                    str(value),
                    raw.get("device_type"),
                    str(raw["manufacturer"]),
                    raw.get("brand"),
                    str(raw["source"]),
                )
        return cls(
            type_ids=type_ids,
            context=context,
            fields=tuple(rules),
            not_under=frozenset(fold_key(str(k)) for k in doc.get("not_under") or ()),
            not_attributes=frozenset(fold_key(str(k)) for k in doc.get("not_attributes") or ()),
            kinds=tuple(doc["kinds"]),
            weight=float(doc["weight"]),
            maker_weight=float(doc.get("maker_weight") or 0.0),
            type_id_weight=float(doc.get("type_id_weight") or 0.0),
            source=str(doc["source"]),
            examples=tuple(doc.get("examples") or ()),
            not_examples=tuple(doc.get("not_examples") or ()),
            version=str(doc.get("version", "unknown")),
        )


# --------------------------------------------------------------------------------------------------- objects
Under = tuple[str, ...]


def _objects(
    kind: str, value: Any, not_under: frozenset[str], not_attributes: frozenset[str]
) -> Iterator[tuple[Under, dict[str, str]]]:
    """The candidate objects of one observation, each with the folded keys it sits under (outermost first) and as
    {folded key: text value}, keys that repeat left out."""
    if kind == "sdp":
        if isinstance(
            value, str
        ):  # each format-parameters line (RFC 8866 §6.15 `a=fmtp:<format> <k>=<v>; …`)
            for fmtp in sdp.description(value).fmtp():
                yield (), _pairs(fmtp.parameters)
        return
    body = value.get("body") if isinstance(value, dict) else value
    if not isinstance(body, str) or not body.strip() or len(body) > MAX_BODY:
        return
    text = body.strip()
    if text[0] in "{[":
        yield from _json_objects(text, not_under)
    elif text[0] == "<":
        yield from _xml_objects(text, not_under, not_attributes)
    else:
        yield from (((), obj) for obj in _line_object(text))


def _pairs(items: Iterable[Sequence[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    repeated: set[str] = set()
    for item in items:
        key, val = item[0], item[1]
        folded = fold_key(key.strip())
        if not folded:
            continue
        if folded in out:
            repeated.add(folded)
        out[folded] = val.strip()
    for key in repeated:  # a key said twice describes two things: neither is read
        del out[key]
    return out


# ------------------------------------------------------------------------------------------- one parse per body
#: The bodies parsed during one identification (`one_parse_per_body`): text -> its JSON document or XML root (`_FAILED`
#: when it does not parse). The identity-object reader and `values_of_others` (the kind words) read the same
#: answers at different stages of the engine, each over all of a host's observations.
_PARSED: ContextVar[dict[str, Any] | None] = ContextVar("camscan_parsed_bodies", default=None)
_FAILED = object()


class one_parse_per_body:
    """Within this block (one host's identification), a JSON or XML body is parsed once and shared by its readers;
    the parses are dropped at its end, so what is held is one host's answers. (A class, not a generator: it wraps
    every identification, and costs about a microsecond.)"""

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token = _PARSED.set({})

    def __exit__(self, *exc: object) -> None:
        _PARSED.reset(self._token)


def _parse_once(text: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)`, or what it gave earlier in this identification (`one_parse_per_body`). One text is JSON or XML
    by its first character, never both, so the text alone is the key."""
    memo = _PARSED.get()
    if memo is None:
        return parse(text)
    if text not in memo:
        memo[text] = parse(text)
    return memo[text]


def _json_document(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _FAILED


def _xml_root(text: str) -> Any:
    from camscan.parse.base import ParseError
    from camscan.parse.xmlsafe import parse_xml

    try:
        return parse_xml(text.encode("utf-8"), limit=MAX_BODY)
    except ParseError:
        return _FAILED


def _parse_json(text: str) -> Any:
    """The JSON document of a stripped body starting with `{` or `[`, or `_FAILED`."""
    return _parse_once(text, _json_document)


def _parse_xml(text: str) -> Any:
    """The root element of a stripped body starting with `<`, or `_FAILED`."""
    return _parse_once(text, _xml_root)


def _json_objects(text: str, not_under: frozenset[str]) -> Iterator[tuple[Under, dict[str, str]]]:
    doc = _parse_json(text)
    if doc is _FAILED:
        return

    def walk(node: Any, path: Under, depth: int) -> Iterator[tuple[Under, dict[str, str]]]:
        if depth > 16 or not isinstance(node, dict):
            return  # a list's members are never the device's identity: they are not walked
        if path and _names(path[-1], not_under):
            return
        obj = {fold_key(k): v for k, v in node.items() if isinstance(k, str) and isinstance(v, str)}
        # a member object's values, named after it: "firmware": {"version": …}
        for key, child in node.items():
            if isinstance(key, str) and isinstance(child, dict) and not _names(fold_key(key), not_under):
                for sub, val in child.items():
                    if isinstance(sub, str) and isinstance(val, str):
                        obj.setdefault(NESTED + fold_key(key) + fold_key(sub), val)
        yield path, obj
        for key, child in node.items():
            if isinstance(key, str) and isinstance(child, dict) and not _ID_KEY.fullmatch(key.strip()):
                yield from walk(child, (*path, fold_key(key)), depth + 1)

    yield from walk(doc, (), 0)


def _xml_objects(
    text: str, not_under: frozenset[str], not_attributes: frozenset[str]
) -> Iterator[tuple[Under, dict[str, str]]]:
    from camscan.parse.xmlsafe import local

    root = _parse_xml(text)
    if root is _FAILED:
        return

    def walk(elem: Any, path: Under, depth: int) -> Iterator[tuple[Under, dict[str, str]]]:
        if depth > 16 or _names(fold_key(local(elem.tag)), not_under):
            return
        children = [c for c in elem if isinstance(c.tag, str)]
        counts: dict[str, int] = {}
        for c in children:
            counts[local(c.tag)] = counts.get(local(c.tag), 0) + 1
        # an element's identity: its attributes (never a format's `version`) and its children that hold text only
        attributes = [
            (local(k), str(v)) for k, v in elem.attrib.items() if fold_key(local(k)) not in not_attributes
        ]
        leaves = [(local(c.tag), (c.text or "")) for c in children if len(c) == 0]
        # a member element's text-only children, named after it: <firmware><version>…</version></firmware>
        nested = [
            (NESTED + fold_key(local(c.tag)) + fold_key(local(g.tag)), (g.text or ""))
            for c in children
            if len(c) and counts[local(c.tag)] == 1 and not _names(fold_key(local(c.tag)), not_under)
            for g in c
            if isinstance(g.tag, str) and len(g) == 0
        ]
        if attributes or leaves:
            yield path, _pairs([*attributes, *leaves, *nested])
        for c in children:
            # an element repeated among its siblings is a list's member; one with children or attributes is an object
            if counts[local(c.tag)] == 1 and (len(c) or c.attrib):
                yield from walk(c, (*path, fold_key(local(c.tag))), depth + 1)

    yield from walk(root, (fold_key(local(root.tag)),), 0)  # an element's path ends with its own name


def _line_object(text: str) -> Iterator[dict[str, str]]:
    """A parameter-list or plain-text status answer, one `key=value` or `Key Words: value` a line, as one object; a
    multi-section dump is none."""
    if _SECTION.search(text):
        return
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if m := _LINE.match(line):
            pairs.append((m[1], m[3]))
        elif c := _COLON_LINE.match(line):
            pairs.append((c[1], c[2]))
    if len(pairs) >= 2:
        yield _pairs(pairs)


def names_other(key: str, not_device: frozenset[str]) -> bool:
    """Whether a key names something else than the device itself (`IdentityObjects.not_device`): the key, or the
    key a list of them is named after (`child_device_list`, `channelList`, `sensors_list`)."""
    return _names(fold_key(key), not_device)


def _names(folded: str, keys: frozenset[str]) -> bool:
    """A folded key is one of `keys`, or a list named after one (`childdevicelist`, `channellist`)."""
    return folded in keys or (folded.endswith("list") and folded[:-4] in keys)


def values_of_others(body: str, not_device: frozenset[str]) -> set[tuple[str, str]]:
    """(key case-folded, value stripped) of every text value of a JSON or XML answer that sits under a key naming
    something else than the device itself (`names_other`): a hub's child list, a paired camera, an NVR's channels, a
    lens. Empty for any other body, or one too large or that does not parse."""
    text = body.strip()
    if not not_device or not text or len(text) > MAX_BODY:
        return set()
    out: set[tuple[str, str]] = set()
    if text[0] in "{[":
        doc = _parse_json(text)  # the identity-object reader's parse, within one identification
        if doc is _FAILED:
            return out

        def walk(node: Any, hidden: bool, depth: int) -> None:
            if depth > 32:
                return
            if isinstance(node, dict):
                for key, child in node.items():
                    inner = hidden or (isinstance(key, str) and names_other(key, not_device))
                    if inner and isinstance(key, str) and isinstance(child, str):
                        out.add((key.casefold(), child.strip()))
                    walk(child, inner, depth + 1)
            elif isinstance(node, list):
                for child in node:
                    walk(child, hidden, depth + 1)

        walk(doc, False, 0)
    elif text[0] == "<":
        from camscan.parse.xmlsafe import local

        root = _parse_xml(text)
        if root is _FAILED:
            return out
        for elem in root.iter():
            if isinstance(elem.tag, str) and names_other(local(elem.tag), not_device):
                for inner in elem.iter():
                    if isinstance(inner.tag, str) and inner is not elem and len(inner) == 0 and inner.text:
                        out.add((local(inner.tag).casefold(), inner.text.strip()))
    return out
