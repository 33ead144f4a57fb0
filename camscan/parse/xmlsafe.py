"""Safe XML for device replies and files: no DTDs, no entity expansion, no network, bounded size.

Devices are hostile: an entity bomb or an external entity in a discovery reply must cost nothing. Every XML
entry point (device replies, `camscan import-nmap` files, the lab's own servers) first calls
`refuse_declarations`, which reads the document's prolog itself, before any byte reaches lxml, and refuses a
document that declares entities or a DTD with one message (`DECLARATIONS_REFUSED`). The refusal therefore does
not depend on which lxml/libxml2 release is installed, nor on what that parser would have said first. A bare
`<!DOCTYPE name>` (nmap writes `<!DOCTYPE nmaprun>`) declares nothing and is accepted. The parsers themselves
are configured not to resolve entities, load DTDs or use the network, as a second line of defence.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator

from lxml import etree

from camscan.parse.base import ParseError, one_line

MAX_XML = 256 * 1024
#: The one message for a document refused because it declares entities or a DTD.
DECLARATIONS_REFUSED = "refusing XML that declares entities or a DTD"
#: How much of a file's start `refuse_declarations_in_file` reads: its whole prolog must fit.
MAX_PROLOG = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: The first four bytes of `<?xml` in encodings that have no byte-order mark (XML 1.0 appendix F).
_SNIFF = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp500"),
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]{0,39})["']""")
_BARE_DOCTYPE = re.compile(r"<!DOCTYPE\s+[^\s\[\]>'\"]+\s*>", re.I)
_ENTITY = re.compile(r"<!\s*ENTITY", re.I)
_SPACE = "\ufeff \t\r\n\x00"


def _encoding(data: bytes) -> str:
    """The encoding an XML parser reads `data` in: byte-order mark, then the first bytes, then the XML
    declaration, else UTF-8. ParseError when Python does not know the declared encoding (then nothing can be
    checked, so nothing is parsed)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    for start, name in _SNIFF:
        if data.startswith(start):
            return name
    declared = _DECLARED.match(data)
    if declared is None:
        return "utf-8"
    name = declared.group(1).decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ParseError(f"XML in an unknown encoding ({name})") from None


def _prolog_declares(text: str, complete: bool) -> bool:
    """Whether the prolog of `text` (XML declaration, comments, processing instructions, DOCTYPE) declares
    anything. Stops at the root element; with `complete` False, `text` is a file's start and the prolog must
    end inside it."""
    pos = 0
    while True:
        while pos < len(text) and text[pos] in _SPACE:
            pos += 1
        if pos >= len(text):
            break
        if text.startswith("<?", pos) or text.startswith("<!--", pos):
            closing = "?>" if text.startswith("<?", pos) else "-->"
            end = text.find(closing, pos + 2)
            if end < 0:
                break
            pos = end + len(closing)
            continue
        if text[pos : pos + 9].upper() == "<!DOCTYPE":
            bare = _BARE_DOCTYPE.match(text, pos)
            if bare is None:
                return True
            pos = bare.end()
            continue
        return False  # the root element, or something that is not XML (the parser then says so)
    if complete:
        return False
    raise ParseError(f"XML whose prolog is longer than {MAX_PROLOG} bytes is refused")


def refuse_declarations(data: bytes, *, complete: bool = True) -> None:
    """Raise ParseError(DECLARATIONS_REFUSED) when `data` declares entities or a DTD.

    `data` is a whole document, or (`complete=False`) the start of a file, whose whole prolog it must then hold.
    The prolog is read in the document's own encoding (so a UTF-16 or UTF-7 DOCTYPE is seen too); any
    `<!ENTITY` in the bytes, read either way, is refused as well, wherever it stands.
    """
    encoding = _encoding(data)
    try:
        text = data.decode(encoding, errors="replace")
    except (LookupError, UnicodeError, ValueError):  # a codec that is not a text encoding (rot13, idna, ...)
        raise ParseError(f"XML in an unknown encoding ({encoding})") from None
    if _prolog_declares(text, complete) or _ENTITY.search(text) or _ENTITY.search(data.decode("latin-1")):
        raise ParseError(DECLARATIONS_REFUSED)


def refuse_declarations_in_file(path: str | bytes | os.PathLike[str]) -> None:
    """`refuse_declarations` for a file that is then parsed as a stream: its first MAX_PROLOG bytes are read
    (OSError as raised by open/read)."""
    with open(path, "rb") as handle:
        head = handle.read(MAX_PROLOG + 1)
    refuse_declarations(head[:MAX_PROLOG], complete=len(head) <= MAX_PROLOG)


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
    """The root element of `data`; ParseError for anything that is not a small, well-formed document declaring
    neither entities nor a DTD."""
    if len(data) > limit:
        raise ParseError(f"XML document larger than {limit} bytes")
    data = data.strip(b"\x00 \t\r\n")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    refuse_declarations(data)
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
