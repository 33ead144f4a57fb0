"""Signatures: load, validate and compile `vendor_signatures/signatures/*.yaml`, and match observations.

Format and rules: docs/data-format.md. A signature is compiled once; matching an observation returns the
identity values it supports (fixed `asserts` plus named groups), with vendor names already resolved through
the vendor registry.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from camscan.errors import DataError
from camscan.identify.device_types import DeviceTypes, load_device_types
from camscan.identify.tiers import TIERS, tier_of
from camscan.identify.vendors import VendorRegistry
from camscan.model import IDENTITY_FIELDS, OBSERVATION_KINDS
from camscan.text import single_line

VENDOR_FIELDS = ("brand", "manufacturer")
#: The engine's own type priors a signature may set aside (`sets_aside`): a live RTSP stream says "video source"
#: (video_sources.yaml), a video-only maker's device is a probable camera (vendors.yaml `video_only`).
ENGINE_PRIORS = ("engine.video_source", "engine.video_only_maker")
#: What an operating-system signature may give, and nothing else (docs/identify.md, "Operating system").
OS_FIELDS = ("os", "os_version")
_TEMPLATE = re.compile(r"^\{(\w+)\}$")
MAX_FIELD_LEN = 200
#: Per-signature memo of field texts → groups, for object values that differ only in a serial number.
MEMO_SIZE = 4096


def clean_value(value: str) -> str:
    """Strip control characters and surrounding space from a value a device reported; bound its length."""
    return single_line(value).strip()[:MAX_FIELD_LEN]


def value_text(value: Any) -> str:
    """A field of an observation object as text for matching."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def get_field(obj: dict[str, Any], path: str) -> Any:
    """`headers.Server` style look-up; keys are tried exactly, then case-insensitively."""
    if path in obj:
        return obj[path]
    current: Any = obj
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        if part in current:
            current = current[part]
            continue
        folded = part.casefold()
        for key, val in current.items():
            if isinstance(key, str) and key.casefold() == folded:
                current = val
                break
        else:
            return None
    return current


@dataclass(slots=True)
class Match:
    """What one signature says about one observation."""

    signature: Signature
    values: dict[str, str]
    unresolved: dict[str, str] = field(
        default_factory=dict
    )  # vendor fields whose name is not in vendors.yaml


@dataclass(slots=True, eq=False)
class Signature:
    id: str
    kind: str
    description: str
    weight: float
    source: str
    asserts: dict[str, str]
    file: str
    pattern: re.Pattern[str] | None = None
    fields: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    oui: bool = False
    tier: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)
    not_examples: list[Any] = field(default_factory=list)
    #: False for a generic reader (a key name, a TXT key any maker uses): a model only its weak statements back
    #: names no maker through model_makers (docs/identify.md, "A weakly stated model names no maker").
    names_maker: bool = True
    #: Weak type priors this signature's match makes moot (signature ids, or `ENGINE_PRIORS`): their device-type
    #: statements about the same host are kept in the evidence as not used (docs/data-format.md, `sets_aside`).
    sets_aside: tuple[str, ...] = ()
    #: The vocabulary a device type taken from a named group is read through.
    device_types: DeviceTypes | None = None
    _memo: dict[tuple[str, ...], Match | None] = field(default_factory=dict, repr=False)

    def groups(self, value: Any, registry: VendorRegistry) -> dict[str, str] | None:
        """Named groups (and the OUI vendor) when the signature matches `value`, else None."""
        if self.oui:  # the IEEE registry via camscan/identify/oui.py
            vendor = registry.lookup_mac(value) if isinstance(value, str) else None
            return {"vendor": vendor} if vendor else None
        if self.pattern is not None:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if not isinstance(item, str):
                    continue
                m = self.pattern.search(item)
                if m:
                    groups = {k: v for k, v in m.groupdict().items() if v}
                    if isinstance(value, list):  # scope URIs are percent-encoded
                        groups = {k: urllib.parse.unquote(v) for k, v in groups.items()}
                    return groups
            return None
        if not isinstance(value, dict):
            return None
        found: dict[str, str] = {}
        for path, regex in self.fields:
            raw = get_field(value, path)
            if raw is None:
                return None
            m = regex.search(value_text(raw))
            if not m:
                return None
            found.update({k: v for k, v in m.groupdict().items() if v})
        return found

    def match(
        self, value: Any, registry: VendorRegistry, texts: dict[str, str | None] | None = None
    ) -> Match | None:
        """The values this signature supports for `value`, or None. Treat the result as read-only. `texts`: the
        text of each field path of this same `value` read so far (None: absent), shared by the signatures tried on
        one value (`SignatureSet._match`: many read the same path), so each path is looked up once per value."""
        if not self.fields or not isinstance(value, dict):
            return self._match(value, registry)
        parts = []
        for path, _regex in self.fields:
            if texts is None or path not in texts:
                raw = get_field(value, path)
                text = None if raw is None else value_text(raw)
                if texts is not None:
                    texts[path] = text
            else:
                text = texts[path]
            if text is None:
                return None
            parts.append(text)
        key = tuple(parts)
        try:
            return self._memo[key]
        except KeyError:
            pass
        result = self._match(value, registry)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = result
        return result

    def _match(self, value: Any, registry: VendorRegistry) -> Match | None:
        groups = self.groups(value, registry)
        if groups is None:
            return None
        values: dict[str, str] = {k: v for k, v in groups.items() if k in IDENTITY_FIELDS}
        for key, template in self.asserts.items():
            t = _TEMPLATE.match(template)
            if t:
                if t.group(1) in groups:
                    values[key] = groups[t.group(1)]
            else:
                values[key] = template
        result = Match(self, {})
        for key, raw in values.items():
            text = clean_value(raw)
            if not text:
                continue
            if key in VENDOR_FIELDS and not self.oui:  # an OUI match names its maker already (oui.py)
                canonical = registry.resolve(text)
                if canonical is None:
                    result.unresolved[key] = text
                else:
                    text = canonical
            elif key == "device_type":
                # A type the device states through a named group: its vocabulary word, or nothing (a word the
                # vocabulary does not know, or `unknown` and its synonyms, is no type camscan can report).
                word = self.device_types.reportable(text) if self.device_types is not None else text.lower()
                if not word:
                    continue
                text = word
            result.values[key] = text
        return result


#: How many leading characters of a value pick the anchored signatures worth trying (`_anchor`).
ANCHOR_LEN = 3
_LITERAL = re.compile(r"(?:[A-Za-z0-9 _/:=;,.'\"<>@#%&!-]|\\[.\\/ ()\[\]?*+|{}-])")


def _anchor(pattern: str) -> str | None:
    """The first characters every match must start with, for a pattern anchored by `^` and a literal run with no
    alternation at its top level (None when there is no such run). Used only to skip patterns that cannot match."""
    if not pattern.startswith("^") or _top_level_alternation(pattern):
        return None
    chars: list[str] = []
    i = 1
    while i < len(pattern):
        m = _LITERAL.match(pattern, i)
        if not m:
            break
        token = m.group(0)
        nxt = pattern[m.end() : m.end() + 1]
        if nxt and nxt in "?*{":
            break  # an optional last character is not required
        chars.append(token[-1] if token.startswith("\\") else token)
        i = m.end()
    text = "".join(chars)
    return text[:ANCHOR_LEN].casefold() if len(text) >= ANCHOR_LEN else None


def _top_level_alternation(pattern: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


class SignatureSet:
    """All signatures, grouped by observation kind, with a memo of recent matches.

    Most signatures of banner kinds are anchored patterns that start with a fixed string (`^Hikvision-Webs`); they
    are indexed by their first characters, so a value is only tried against the anchored patterns it can match
    and the unanchored ones (measured: docs/benchmarks.md).
    """

    def __init__(self, signatures: list[Signature], registry: VendorRegistry) -> None:
        self.signatures = signatures
        self.registry = registry
        self.by_kind: dict[str, list[Signature]] = {}
        for sig in signatures:
            self.by_kind.setdefault(sig.kind, []).append(sig)
        self._order = {id(sig): n for n, sig in enumerate(signatures)}
        self._anchored: dict[str, dict[str, list[Signature]]] = {}
        self._loose: dict[str, list[Signature]] = {}
        for kind, sigs in self.by_kind.items():
            for sig in sigs:
                key = _anchor(sig.pattern.pattern) if sig.pattern is not None else None
                if key is None:
                    self._loose.setdefault(kind, []).append(sig)
                else:
                    self._anchored.setdefault(kind, {}).setdefault(key, []).append(sig)
        self._cached = lru_cache(maxsize=65536)(self._match_key)

    def __len__(self) -> int:
        return len(self.signatures)

    def __iter__(self) -> Iterator[Signature]:
        return iter(self.signatures)

    def match_all(self, kind: str, value: Any) -> list[Match]:
        """Every signature of `kind` that matches `value` (memoised: banners repeat across an estate)."""
        if isinstance(value, str):
            return self._cached(kind, value, None)
        try:
            key = json.dumps(value, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError):
            return self._match(kind, value)
        return self._cached(kind, None, key)

    def _match_key(self, kind: str, text: str | None, encoded: str | None) -> list[Match]:
        return self._match(kind, text if encoded is None else json.loads(encoded))

    def _candidates(self, kind: str, value: Any) -> list[Signature]:
        anchored = self._anchored.get(kind)
        if not anchored:
            return self.by_kind.get(kind, [])
        texts = value if isinstance(value, list) else [value]
        picked = list(self._loose.get(kind, ()))
        for text in texts:
            if isinstance(text, str):
                picked.extend(anchored.get(text[:ANCHOR_LEN].casefold(), ()))
        if len(texts) > 1:
            picked = list({id(s): s for s in picked}.values())
        return sorted(picked, key=lambda s: self._order[id(s)])

    def _match(self, kind: str, value: Any) -> list[Match]:
        out = []
        texts: dict[str, str | None] | None = {} if isinstance(value, dict) else None
        for sig in self._candidates(kind, value):
            m = sig.match(value, self.registry, texts)
            if m is not None:
                out.append(m)
        return out

    @classmethod
    def load(
        cls, directory: Path, registry: VendorRegistry, device_types: DeviceTypes | None = None
    ) -> SignatureSet:
        """Every signature file of `directory`; device types are read through the vocabulary (`device_types`, else
        the data directory's device_types.yaml)."""
        from camscan.datafile import load_yaml

        vocabulary = device_types if device_types is not None else load_device_types(Path(directory).parent)
        files = sorted(Path(directory).glob("*.yaml"))
        if not files:
            raise DataError(directory, None, "no signature files (*.yaml) found")
        signatures: list[Signature] = []
        ids: dict[str, str] = {}
        for path in files:
            doc = load_yaml(path, "signatures")  # vendor_signatures/schema/signatures.schema.json
            if doc is None:
                continue
            for raw in doc["signatures"]:
                sig = compile_signature(path, raw, registry, vocabulary)
                if sig.id in ids:
                    raise DataError(path, f"signature {sig.id!r}", f"id already used in {ids[sig.id]}")
                ids[sig.id] = path.name
                signatures.append(sig)
        for sig in signatures:
            for target in sig.sets_aside:
                if target not in ids and target not in ENGINE_PRIORS:
                    raise DataError(
                        directory / sig.file,
                        f"signature {sig.id!r}",
                        f"sets_aside {target!r}, which is neither a signature id nor one of {', '.join(ENGINE_PRIORS)}",
                    )
                if target == sig.id:
                    raise DataError(directory / sig.file, f"signature {sig.id!r}", "sets itself aside")
        return cls(signatures, registry)


def compile_signature(
    path: Path, raw: dict[str, Any], registry: VendorRegistry, device_types: DeviceTypes | None = None
) -> Signature:
    """Compile one schema-checked signature entry: what the schema cannot check (regexes compile, kinds and modes
    agree, named groups and templates, canonical vendor names, device types of the vocabulary, read as its words)
    is checked here; errors name file and entry."""
    sid = raw["id"]
    entry = f"signature {sid!r}"
    vocabulary = device_types if device_types is not None else load_device_types(None)

    def fail(msg: str) -> DataError:
        return DataError(path, entry, msg)

    kind = raw["kind"]
    if kind not in OBSERVATION_KINDS:
        raise fail(
            f"kind {kind!r} is not an observation kind (one of {', '.join(sorted(OBSERVATION_KINDS))})"
        )
    value_type = OBSERVATION_KINDS[kind]
    tier_name = raw.get("tier")
    if tier_name is not None and tier_name not in TIERS:
        raise fail(f"tier {tier_name!r} is not one of {', '.join(TIERS)}")
    for n, ex in enumerate(raw["examples"], 1):
        odd = sorted(set(ex.get("expect") or {}) - set(IDENTITY_FIELDS))
        if odd:
            raise fail(
                f"example {n} expects {', '.join(map(repr, odd))}, which is not an identity field {IDENTITY_FIELDS}"
            )
    asserts = {str(k): str(v) for k, v in (raw.get("asserts") or {}).items()}
    flags = 0 if raw.get("case_sensitive") else re.IGNORECASE

    def compile_re(text: Any, what: str) -> re.Pattern[str]:
        try:
            return re.compile(str(text), flags)
        except re.error as exc:
            raise fail(f"{what} is not a valid regular expression: {exc}") from None

    sig = Signature(
        id=sid,
        kind=kind,
        description=str(raw.get("description", "")),
        weight=float(raw["weight"]),
        source=str(raw["source"]),
        asserts=asserts,
        file=path.name,
        tier=tier_of(kind, tier_name),
        examples=[_examples_in_words(path, entry, ex, vocabulary) for ex in raw["examples"]],
        not_examples=list(raw.get("not_examples") or []),
        names_maker=bool(raw.get("names_maker", True)),
        sets_aside=tuple(str(t) for t in raw.get("sets_aside") or ()),
    )
    sig.device_types = vocabulary
    groups: set[str] = set()
    if raw.get("oui"):
        sig.oui = True
        groups = {"vendor"}
    elif "pattern" in raw:
        if value_type == "object":
            raise fail(f"kind {kind!r} has object values: use 'fields', not 'pattern'")
        sig.pattern = compile_re(raw["pattern"], "'pattern'")
        groups = set(sig.pattern.groupindex)
    else:
        if value_type != "object":
            raise fail(f"'fields' is for object kinds, as a mapping of field to regex (kind {kind!r})")
        for fpath, regex in raw["fields"].items():
            compiled = compile_re(regex, f"field {fpath!r}")
            sig.fields.append((str(fpath), compiled))
            groups |= set(compiled.groupindex)
    bad_groups = groups - set(IDENTITY_FIELDS) - {"vendor"}
    if bad_groups:
        raise fail(f"named groups {sorted(bad_groups)} are not identity fields {IDENTITY_FIELDS}")
    for key, value in asserts.items():
        if key not in IDENTITY_FIELDS:
            raise fail(f"asserts {key!r}, which is not an identity field {IDENTITY_FIELDS}")
        t = _TEMPLATE.match(value)
        if t:
            if t.group(1) not in groups:
                raise fail(f"asserts {key}: {value!r} but there is no such named group")
        elif key in VENDOR_FIELDS and value not in registry:
            raise fail(f"asserts {key} {value!r}, which is not a canonical vendor name in vendors.yaml")
        elif key == "device_type":
            asserts[key] = vocabulary.check(path, entry, value)
        if key == "device_type" and kind == "mac":
            raise fail(
                "a MAC address never says what kind of device it is: kind 'mac' cannot assert device_type"
            )
    if not asserts and not groups - {"vendor"} and not sig.sets_aside:
        raise fail("asserts nothing, extracts nothing and sets nothing aside")
    if sig.sets_aside and (set(asserts) | (groups - {"vendor"})) - {"device_type"}:
        raise fail(
            "a signature that sets type priors aside says what the device is, nothing else (device_type only)"
        )
    gives = set(asserts) | (groups - {"vendor"})
    if gives & set(OS_FIELDS):
        if not gives <= set(OS_FIELDS):
            raise fail(
                f"an operating-system signature gives only {' and '.join(OS_FIELDS)}, not "
                f"{', '.join(sorted(gives - set(OS_FIELDS)))}: what a device runs never says who made it or what it is"
            )
        if "os" not in gives:
            raise fail("gives os_version without os: a version is the version of a named OS")
        if sig.oui:
            raise fail("a MAC's registrant never says what operating system a device runs")
    return sig


def _examples_in_words(
    path: Path, entry: str, example: dict[str, Any], vocabulary: DeviceTypes
) -> dict[str, Any]:
    """An example whose expected device type is read as its vocabulary word (a synonym expects the word)."""
    expect = example.get("expect") or {}
    want = expect.get("device_type")
    if not isinstance(want, str):
        return example
    word = vocabulary.check(path, f"{entry} example", want)
    return example if word == want else {**example, "expect": {**expect, "device_type": word}}
