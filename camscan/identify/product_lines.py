"""Product lines: which of a maker's model names are cameras, recorders, intercoms, plugs, speakers, ….

Loaded from `vendor_signatures/product_lines.yaml` (format: docs/data-format.md). Most camera makers also sell
things that are not cameras (Axis speakers and door controllers, D-Link plugs and routers, Hikvision alarm
panels), so a device's type comes from its product line (the model name), not from its maker's name alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camscan.errors import DataError
from camscan.identify.device_types import DeviceTypes, load_device_types
from camscan.identify.vendors import VendorRegistry
from camscan.memo import BoundedMemo

_SEPARATORS = " _-:/"
#: A token shorter than this (letters and digits) never names a model: too many words would collide.
MIN_NAME_TOKEN = 6


@dataclass(frozen=True, slots=True)
class ProductLine:
    id: str
    vendor: str
    pattern: re.Pattern[str]
    device_type: str
    source: str
    description: str | None


@dataclass(slots=True)
class _Entry:
    """A loaded line with the examples it tests itself with."""

    line: ProductLine
    examples: list[str] = field(default_factory=list)
    not_examples: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ModelMaker:
    """A model-numbering scheme only one maker uses (Hikvision `DS-2CD…`, Dahua `DH-IPC-…`): the model names the
    maker even when the label on the box is another brand."""

    id: str
    vendor: str
    pattern: re.Pattern[str]
    source: str
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    #: Prefixes the maker puts before a model on labels (Dahua `DH-`): `DH-XVR5108C-X` is model `XVR5108C-X`.
    label_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ModelNames:
    """Model names a maker writes with spaces (`RealPresence Group 500`): a host-name or certificate CN token equal
    to one with spaces and punctuation removed (`RealPresenceGroup500.example.com`) names that model."""

    id: str
    vendor: str
    names: tuple[str, ...]
    source: str
    #: Tokens as a device writes them, each with the listed name it must yield.
    examples: tuple[tuple[str, str], ...] = ()
    not_examples: tuple[str, ...] = ()


def squash(text: str) -> str:
    """A model name without case, spaces or punctuation (`EagleEye Producer` → `eagleeyeproducer`)."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


#: How many (vendors, model) look-ups `ProductLines.match` remembers before it starts again.
MEMO_SIZE = 4096


class ProductLines:
    """The product lines of every maker, in file order."""

    def __init__(
        self,
        entries: list[_Entry],
        vendors: VendorRegistry,
        path: Path | None = None,
        model_makers: list[ModelMaker] | None = None,
        model_names: list[ModelNames] | None = None,
    ) -> None:
        self.model_makers = model_makers or []
        self.model_names = model_names or []
        self._names: dict[str, list[tuple[ModelNames, str]]] = {}
        for entry in self.model_names:
            for name in entry.names:
                self._names.setdefault(squash(name), []).append((entry, name))
        self._entries = entries
        self._vendors = vendors
        self.path = path
        self._by_vendor: dict[str, list[ProductLine]] = {}
        for e in entries:
            self._by_vendor.setdefault(e.line.vendor, []).append(e.line)
        self._prefixes: dict[str, re.Pattern[str]] = {}
        #: (vendors, model) → its line: one estate's models repeat, and a maker's lines are tried in file order.
        self._memo: BoundedMemo[tuple[tuple[str, ...], str], ProductLine | None] = BoundedMemo(MEMO_SIZE)

    @classmethod
    def empty(cls, vendors: VendorRegistry) -> ProductLines:
        return cls([], vendors)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[ProductLine]:
        return (e.line for e in self._entries)

    # ------------------------------------------------------------------------------------ loading

    @classmethod
    def load(
        cls, path: Path, vendors: VendorRegistry, device_types: DeviceTypes | None = None
    ) -> ProductLines:
        """Load and validate; a broken entry is a DataError naming the file and the entry. Device types are words
        of the vocabulary (`device_types`, else the data directory's device_types.yaml)."""
        from camscan.datafile import load_yaml

        doc = load_yaml(path, "product_lines")  # vendor_signatures/schema/product_lines.schema.json
        allowed = device_types if device_types is not None else load_device_types(Path(path).parent)
        entries: list[_Entry] = []
        seen: set[str] = set()
        for raw in doc["product_lines"]:
            entries.append(_parse_entry(path, raw, vendors, seen=seen, allowed=allowed))
        makers = [_parse_model_maker(path, raw, vendors, seen) for raw in doc.get("model_makers") or []]
        names = [_parse_model_names(path, raw, vendors, seen) for raw in doc.get("model_names") or []]
        return cls(entries, vendors, path, makers, names)

    def named(self, token: str) -> list[tuple[ModelNames, str]]:
        """The listed model names that `token` spells without spaces or punctuation (`RealPresenceGroup500`)."""
        key = squash(token)
        return list(self._names.get(key, ())) if len(key) >= MIN_NAME_TOKEN else []

    def maker_of(self, model: str) -> ModelMaker | None:
        """The one maker whose model-numbering scheme `model` follows (None when none, or more than one, does)."""
        text = (model or "").strip()
        hits = [m for m in self.model_makers if m.pattern.match(text)]
        return hits[0] if hits and len({m.vendor for m in hits}) == 1 else None

    def bare_model(self, model: str) -> str | None:
        """The model without a documented label prefix (`DH-XVR5108C-X` → `XVR5108C-X`), or None."""
        text = (model or "").strip()
        folded = text.casefold()
        for m in self.model_makers:
            for prefix in m.label_prefixes:
                rest = text[len(prefix) :].strip()
                if folded.startswith(prefix.casefold()) and rest and m.pattern.match(text):
                    return rest
        return None

    # ------------------------------------------------------------------------------------ matching

    def match(self, vendors: Sequence[str], model: str) -> ProductLine | None:
        """The product line of `model`, trying the makers in `vendors` in order of preference.

        For each vendor (canonical names: the device's manufacturer, brand and their ancestors, most preferred
        first), its lines are tried in file order; the first whose pattern matches the model (`re.match`,
        case-insensitive) wins. The model is tried as given and with a leading maker word (`AXIS M1065-LW`,
        `HIKVISION DS-2CD2043G0-I`) stripped, so a model code that starts with the maker's name (`WYZE_CAKP2JFUS`)
        still matches.
        """
        key = (tuple(vendors), model)
        try:
            return self._memo[key]
        except KeyError:
            return self._memo.remember(key, self._match(key[0], model))

    def _match(self, vendors: Sequence[str], model: str) -> ProductLine | None:
        text = (model or "").strip()
        if not text:
            return None
        tried: set[str] = set()
        for vendor in vendors:
            if vendor in tried:
                continue
            tried.add(vendor)
            lines = self._by_vendor.get(vendor)
            if not lines:
                continue
            candidates = self._candidates(vendor, text)
            for line in lines:
                if any(line.pattern.match(c) for c in candidates):
                    return line
        return None

    def _candidates(self, vendor: str, model: str) -> tuple[str, ...]:
        stripped = self._strip_vendor_word(vendor, model)
        return (model,) if stripped == model else (model, stripped)

    def _strip_vendor_word(self, vendor: str, model: str) -> str:
        prefix = self._prefixes.get(vendor)
        if prefix is None:
            v = self._vendors.vendors.get(vendor)
            names = {vendor, *(v.aliases if v else ())}
            words = sorted((re.escape(n) for n in names if n), key=len, reverse=True)
            prefix = re.compile(rf"^(?:{'|'.join(words)})[{re.escape(_SEPARATORS)}]+", re.IGNORECASE)
            self._prefixes[vendor] = prefix
        stripped = prefix.sub("", model, count=1).strip()
        return stripped or model

    # ------------------------------------------------------------------------------------ self-test

    def problems(self) -> list[tuple[str, str]]:
        """(line id, problem) for every example that does not get its own line and every matching not_example."""
        out: list[tuple[str, str]] = []
        for e in self._entries:
            line = e.line
            chain = [line.vendor]
            for n, example in enumerate(e.examples, 1):
                got = self.match(chain, example)
                if got is None:
                    out.append((line.id, f"example {n} {example!r} matches no line of {line.vendor}"))
                elif got.id != line.id:
                    # of another type: the example is mistyped; of the same type: the line is a second entry for
                    # models an earlier line already takes (never reached for them), or the example is that line's
                    why = (
                        f"type {got.device_type!r}, not {line.device_type!r}"
                        if got.device_type != line.device_type
                        else "the same type: a second entry for the same models, or the example is that line's"
                    )
                    out.append(
                        (line.id, f"example {n} {example!r} is taken by the earlier line {got.id!r} ({why})")
                    )
                elif not any(line.pattern.match(c) for c in self._candidates(line.vendor, example)):
                    out.append((line.id, f"example {n} {example!r} does not match this line's pattern"))
            for n, example in enumerate(e.not_examples, 1):
                got = self.match(chain, example)
                if got is not None and got.id == line.id:
                    out.append((line.id, f"not_example {n} {example!r} gets this line but must not"))
        return out

    def _maker_problems(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for m in self.model_makers:
            for n, example in enumerate(m.examples, 1):
                got = self.maker_of(example)
                if got is None or got.vendor != m.vendor:
                    out.append(
                        (m.id, f"model maker example {n} {example!r} names {got.vendor if got else None!r}")
                    )
            for n, example in enumerate(m.not_examples, 1):
                if m.pattern.match(example):
                    out.append((m.id, f"model maker not_example {n} {example!r} matches but must not"))
        return out

    def _name_problems(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for m in self.model_names:
            for n, (token, want) in enumerate(m.examples, 1):
                got = [name for entry, name in self.named(token) if entry is m]
                if got != [want]:
                    out.append((m.id, f"model name example {n} {token!r} yields {got!r}, not {want!r}"))
            for n, token in enumerate(m.not_examples, 1):
                if any(entry is m for entry, _ in self.named(token)):
                    out.append((m.id, f"model name not_example {n} {token!r} yields a model but must not"))
        return out

    def all_problems(self) -> list[tuple[str, str]]:
        """(id, problem) of the product lines, the model makers and the model names (`camscan signatures test`)."""
        return [*self.problems(), *self._maker_problems(), *self._name_problems()]

    def selftest(self) -> list[str]:
        where = str(self.path) if self.path else "product_lines"
        return [f"{where}: product line {ident!r}: {message}" for ident, message in self.all_problems()]

    def example_count(self) -> int:
        return (
            sum(len(e.examples) + len(e.not_examples) for e in self._entries)
            + sum(len(m.examples) + len(m.not_examples) for m in self.model_makers)
            + sum(len(m.examples) + len(m.not_examples) for m in self.model_names)
        )


def _checked_vendor(
    path: Path, entry: str, raw: dict[str, Any], vendors: VendorRegistry, seen: set[str]
) -> str:
    """An entry's id not seen before in its list (recorded) and its vendor a canonical vendors.yaml name."""
    if raw["id"] in seen:
        raise DataError(path, entry, "duplicate id")
    seen.add(raw["id"])
    vendor: str = raw["vendor"]
    if vendor not in vendors:
        raise DataError(path, entry, f"vendor {vendor!r} is not a canonical vendor name from vendors.yaml")
    return vendor


def _parse_entry(
    path: Path, raw: dict[str, Any], vendors: VendorRegistry, *, seen: set[str], allowed: DeviceTypes
) -> _Entry:
    """One schema-checked product line: unique id, canonical vendor, known type and a compiling pattern."""
    ident = raw["id"]
    entry = f"product line {ident!r}"
    vendor = _checked_vendor(path, entry, raw, vendors, seen)
    device_type = allowed.check(path, entry, raw["device_type"])
    pattern = _compile(path, entry, raw["pattern"])
    description = raw.get("description")
    line = ProductLine(
        id=ident,
        vendor=vendor,
        pattern=pattern,
        device_type=device_type,
        source=raw["source"].strip(),
        description=str(description) if description else None,
    )
    return _Entry(line, _strings(raw, "examples"), _strings(raw, "not_examples"))


def _parse_model_maker(
    path: Path, raw: dict[str, Any], vendors: VendorRegistry, seen: set[str]
) -> ModelMaker:
    """One schema-checked model maker: unique id, canonical vendor, a compiling pattern."""
    entry = f"model maker {raw['id']!r}"
    _checked_vendor(path, entry, raw, vendors, seen)
    pattern = _compile(path, entry, raw["pattern"])
    return ModelMaker(
        raw["id"],
        raw["vendor"],
        pattern,
        str(raw["source"]),
        tuple(_strings(raw, "examples")),
        tuple(_strings(raw, "not_examples")),
        tuple(_strings(raw, "label_prefixes")),
    )


def _parse_model_names(
    path: Path, raw: dict[str, Any], vendors: VendorRegistry, seen: set[str]
) -> ModelNames:
    """One schema-checked list of a maker's model names: unique id, canonical vendor, names long enough to match."""
    entry = f"model names {raw['id']!r}"
    _checked_vendor(path, entry, raw, vendors, seen)
    names = tuple(_strings(raw, "names"))
    short = [n for n in names if len(squash(n)) < MIN_NAME_TOKEN]
    if short:
        raise DataError(path, entry, f"names {short} are shorter than {MIN_NAME_TOKEN} letters and digits")
    examples = tuple((str(ex["token"]), str(ex["model"])) for ex in raw.get("examples") or [])
    return ModelNames(
        raw["id"], raw["vendor"], names, str(raw["source"]), examples, tuple(_strings(raw, "not_examples"))
    )


def _compile(path: Path, entry: str, text: str) -> re.Pattern[str]:
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise DataError(path, entry, f"pattern is not a valid regular expression: {exc}") from None


def _strings(raw: dict[str, Any], key: str) -> list[str]:
    return [str(v) for v in raw.get(key) or []]
