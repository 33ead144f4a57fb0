"""The one refusal of XML that declares entities or a DTD, made before any byte reaches lxml.

The refusal must not depend on the installed lxml/libxml2: lxml 6 (libxml2 2.14) stops on an entity reference
with its own message before a check after parsing could run, older releases expand nothing and parse on. So the
check reads the prolog itself; these tests call it with lxml's parsers made to fail, to show lxml is not asked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from camscan.parse.base import ParseError
from camscan.parse.xmlsafe import (
    DECLARATIONS_REFUSED,
    MAX_PROLOG,
    parse_xml,
    refuse_declarations,
    refuse_declarations_in_file,
)

INTERNAL = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "AAAA"><!ENTITY b "&a;&a;&a;&a;">]>\n<x>&b;</x>'
EXTERNAL = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>\n<x a="&e;">&e;</x>'
)
PARAMETER = b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><x/>'
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>'
PUBLIC_DTD = b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://127.0.0.1:9/x.dtd"><html/>'
DECLARING = {
    "internal-entities": INTERNAL,
    "external-entity": EXTERNAL,
    "parameter-entity": PARAMETER,
    "external-dtd": EXTERNAL_DTD,
    "public-dtd": PUBLIC_DTD,
    "empty-internal-subset": b"<!DOCTYPE x []><x/>",
    "lower-case": b'<!doctype x [<!entity a "b">]><x/>',
    "after-comments-and-pis": b'<?xml version="1.0"?><!-- c --><?pi x?>\n<!DOCTYPE x [<!ENTITY a "b">]><x/>',
    "entity-in-the-body": b"<x><!ENTITY a 'b'></x>",
    "utf-16-with-bom": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode(
        "utf-16"
    ),
    "utf-16-without-bom": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode("utf-16-le"),
    # UTF-7 spells "<!DOCTYPE x [<!ENTITY" without a single "<!" byte; libxml2 decodes it and reads the DTD.
    "utf-7": b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x +AFs-+ADw-!ENTITY a +ACI-b+ACI-+AD4-+AF0-+AD4-<x/>',
}
HARMLESS = {
    "plain": b"<x><y>1</y></x>",
    "declaration-comment-pi": b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- <!DOCTYPE in a comment -->\n<?a b?><x/>',
    # nmap writes exactly this: a DOCTYPE naming the root and declaring nothing
    "bare-doctype": b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<?xml-stylesheet href="x"?>\n<nmaprun/>',
    "escaped-in-text": b"<x>&lt;!ENTITY a 'b'&gt;</x>",
    "latin-1": b'<?xml version="1.0" encoding="ISO-8859-1"?><x>caf\xe9</x>',
}


@pytest.fixture
def no_lxml(monkeypatch: pytest.MonkeyPatch) -> None:
    """lxml's parsers fail the test if called: the refusal must come before them."""

    def called(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("lxml was asked to parse a document that should have been refused before")

    for name in ("fromstring", "XML", "iterparse", "parse"):
        monkeypatch.setattr(etree, name, called)


@pytest.mark.parametrize("data", DECLARING.values(), ids=DECLARING.keys())
def test_declaring_documents_are_refused_with_one_message(data: bytes, no_lxml: None) -> None:
    with pytest.raises(ParseError) as refused:
        refuse_declarations(data)
    assert str(refused.value) == DECLARATIONS_REFUSED
    with pytest.raises(ParseError) as parsed:
        parse_xml(data)
    assert str(parsed.value) == DECLARATIONS_REFUSED


@pytest.mark.parametrize("data", HARMLESS.values(), ids=HARMLESS.keys())
def test_documents_declaring_nothing_pass(data: bytes) -> None:
    refuse_declarations(data)
    assert parse_xml(data) is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0" encoding="x-no-such-codec"?><x/>',
            "XML in an unknown encoding (x-no-such-codec)",
        ),
        (b'<?xml version="1.0" encoding="rot13"?><x/>', "XML in an unknown encoding (rot-13)"),
    ],
)
def test_an_encoding_that_cannot_be_checked_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        refuse_declarations(data)


def test_lxml_alone_would_not_refuse_utf7() -> None:
    """Why the check decodes the prolog: this lxml parses the UTF-7 document and sees its DTD."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        root = etree.fromstring(DECLARING["utf-7"], parser)
    except etree.XMLSyntaxError:
        pytest.skip("this libxml2 build cannot read UTF-7 at all")
    assert root.getroottree().docinfo.internalDTD is not None


def test_files_are_checked_from_their_start(tmp_path: Path, no_lxml: None) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(EXTERNAL + b"<!-- padding -->" * 10_000)
    with pytest.raises(ParseError, match=DECLARATIONS_REFUSED):
        refuse_declarations_in_file(bomb)
    fine = tmp_path / "fine.xml"
    fine.write_bytes(HARMLESS["bare-doctype"][:-10] + b"<nmaprun>" + b"<host/>" * 20_000 + b"</nmaprun>")
    refuse_declarations_in_file(fine)


def test_a_file_whose_prolog_does_not_fit_is_refused(tmp_path: Path, no_lxml: None) -> None:
    """Padding the prolog past what is read must not smuggle a DTD past the check."""
    padded = tmp_path / "padded.xml"
    padded.write_bytes(b"<!--" + b"x" * MAX_PROLOG + b"-->" + INTERNAL)
    with pytest.raises(ParseError, match="prolog is longer than"):
        refuse_declarations_in_file(padded)
