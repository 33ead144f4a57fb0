"""Safe XML for device replies: no DTDs, no entity expansion, no network, bounded size.

Devices are hostile: an entity bomb or an external entity in a discovery reply must cost nothing. Documents that
declare a DTD are refused outright; the parser never resolves entities or loads anything.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from camscan.parse.base import ParseError, one_line

MAX_XML = 256 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, limit: int = MAX_XML) -> etree._Element:
    """The root element of `data`; ParseError for anything that is not a small, DTD-free, well-formed document."""
    if len(data) > limit:
        raise ParseError(f"XML document larger than {limit} bytes")
    data = data.strip(b"\x00 \t\r\n")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lowered = data[:4096].lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered or b"<!entity" in data.lower():
        raise ParseError("XML with a document type declaration is refused")
    if not data.startswith(b"<"):
        raise ParseError("not XML")
    try:
        root = etree.fromstring(data, _parser())
    except (etree.LxmlError, ValueError, UnicodeError) as exc:
        raise ParseError(f"bad XML: {str(exc)[:80]}") from None
    if root is None:
        raise ParseError("empty XML document")
    return root


def local(tag: object) -> str:
    """The local name of an element tag ('' for comments and other non-elements)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def iter_local(root: etree._Element, name: str) -> Iterator[etree._Element]:
    """Every element (root included) whose local name is `name`, in document order."""
    for element in root.iter():
        if local(element.tag) == name:
            yield element


def first_text(root: etree._Element, name: str, limit: int = 512) -> str | None:
    """The stripped text of the first element named `name` (any namespace), or None."""
    for element in iter_local(root, name):
        value = one_line(element.text or "", limit)
        return value or None
    return None
