"""Readers of fields that devices fill with a bare model or with "<maker> <model>" (docs/identify.md, "Bare models
and makers that lead a vendor class").

Two field families that no signature reads:

* **A bare model as the whole value.** Devices that have nothing else to say put only their model in a field meant
  to describe them: the DHCP vendor class (option 60, RFC 2132 s9.13: "used by DHCP clients to optionally identify
  the vendor type and configuration of a DHCP client"; FingerBank and Recog list vendor classes that are a model
  alone, `TL-WR740N`, `WRT54G`, `PS4`) and the SNMP sysDescr (RFC 1213: "the full name and version identification of
  the system's hardware type"; small switches and routers answer their model alone). Such a value is read as the
  model only when it is one token of model shape and the numbering of exactly one maker (product_lines.yaml
  `model_makers`) claims it: a token no numbering claims says nothing (a host name, a client's name, an internal
  code), so a numbering that is not distinctive names nothing.
* **A company name first, then a product code** (`<Maker words> <model>`, or a name ending in a legal form), in a
  DHCP vendor class whose leading words name no listed maker: issue 11's closed world (a device that names a company
  vendors.yaml does not list still gets that maker). Product names, operating systems, client software and device
  classes that lead a vendor class (`LifeSize Room …`, `Linux …`, `Smart TV …`) are not company names and are stopped.

The words these readers stop are knowledge and live in data, each list once: the operating systems and DHCP clients
in maker_words.yaml `not_makers` (the groups marked `client_names`: `MakerWords.names_client`), the product words in
maker_words.yaml `product_words`, the words that name no one in `not_makers`, `generic` and company_words.yaml
`places` (`maker_words.stop_words`), the
device classes in device_types.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from camscan.identify.maker_words import MakerWords

#: Observation kinds whose whole value may be a bare model.
BARE_MODEL_KINDS: frozenset[str] = frozenset({"dhcp_vendor_class", "snmp_sysdescr"})
#: The weight of a bare model: below the engine's STRONG (0.5), so any signature or answer that states a model wins.
BARE_MODEL_WEIGHT = 0.4
#: One token of model shape: starts with a letter, holds a digit, letters/digits joined by `-_+./`; or the same with
#: one space before a short suffix word of the maker's numbering (`Archer C7`, `Deco M5`). A `+` joins or ends
#: pieces (`DS220+`) but is never inside one, so no text matches two ways (linear time on a run of `+`).
_MODEL_TOKEN = re.compile(
    r"[A-Za-z][A-Za-z0-9]*(?:[-_+./][A-Za-z0-9]+)*\+?(?: [A-Za-z]{1,3}\d[A-Za-z0-9]*\+?)?"
)
#: A value that is a version, a date, a MAC or an address, not a model.
_NOT_MODEL = re.compile(r"v?\d[\d.]*|[0-9a-f]{2}(?:[:-]?[0-9a-f]{2}){5}|\d+\.\d+\.\d+\.\d+", re.IGNORECASE)


def bare_model(kind: str, value: object, rules: MakerWords) -> str | None:
    """The value as a model-shaped token when the kind is one whose whole value may be a bare model, else None. A
    value an operating system or DHCP client leads (`rules.names_client`: "udhcp 1.36.1", "Linux5") is none.
    Whether a maker's numbering claims it is the caller's question (`ProductLines.maker_of`)."""
    if kind not in BARE_MODEL_KINDS or not isinstance(value, str):
        return None
    text = value.strip()
    if not 3 <= len(text) <= 32 or not any(c.isdigit() for c in text):
        return None
    if rules.names_client(text) or _NOT_MODEL.fullmatch(text) or not _MODEL_TOKEN.fullmatch(text):
        return None
    return text


#: The longest vendor class a DHCP option carries (RFC 2132 s2: an option's length is one octet); longer text is
#: no vendor class and is not read (the readers' regexes then see at most this much).
MAX_VENDOR_CLASS = 255
#: Kinds read for a company name that leads the value.
LEADING_COMPANY_KINDS: frozenset[str] = frozenset({"dhcp_vendor_class"})
#: A word of a company name: capitalised, letters only (an `&` or a hyphenated part allowed).
_NAME_WORD = r"[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)?"
#: The product code after the name: one token holding a digit or an underscore (`KWT_V1`, `XD1033`), upper-case led.
_CODE = r"[A-Z0-9][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*"
#: "<two to four name words> <product code>".
_NAME_THEN_CODE = re.compile(rf"(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}) (?P<model>{_CODE})")
#: "<one to five name words>" before a legal form ("Inc.", "Co., Ltd.") that ends the value.
_NAME_BEFORE_FORM = re.compile(rf"(?P<name>{_NAME_WORD}(?: (?:{_NAME_WORD}|&)){{0,4}})")


def leading_company(
    kind: str,
    value: object,
    rules: MakerWords,
    *,
    stop: frozenset[str],
    strip_forms: Callable[[str], str],
    names_nobody: Callable[[str], bool],
) -> tuple[str, str | None] | None:
    """(company name, product code or None) when the value leads with a company's name, else None.

    From `rules` (maker_words.yaml): an operating system or DHCP client that leads the value (`names_client`) and a
    product word anywhere in the name (`product_words`: "Galaxy Tab S9", "… Room …") make it no company's; so does
    a first word of `stop` (`maker_words.stop_words`: words that name no maker, generic words, places).
    `strip_forms(text)`: the text without its trailing legal forms (company_words.yaml `legal_suffixes`: "Inc.",
    "Co., Ltd."); `names_nobody(phrase)`: a device class (device_types.yaml words and synonyms, "Access Point") or a
    name that names no device maker (an OS, software, a chip or module maker: "Texas Instruments"), which no part of
    the name may be."""
    if kind not in LEADING_COMPANY_KINDS or not isinstance(value, str) or len(value) > MAX_VENDOR_CLASS:
        return None
    text = " ".join(value.split())
    if rules.names_client(text):
        return None
    bare = strip_forms(text).strip(" ,.;:-_/&")
    m = _NAME_THEN_CODE.fullmatch(text)
    if bare != text and (named := _NAME_BEFORE_FORM.fullmatch(bare)) is not None:
        name, model = named.group("name"), None
    elif m is not None and any(c.isdigit() or c == "_" for c in m.group("model")):
        name, model = m.group("name"), m.group("model")
    else:
        return None
    words = [w for w in name.replace("-", " ").split() if w != "&"]
    if words[0].casefold() in stop or any(w.casefold() in rules.product_words for w in words):
        return None
    phrases = (" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1))
    if any(names_nobody(p) for p in phrases):
        return None
    return name, model
