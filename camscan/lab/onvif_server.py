"""The ONVIF device service (SOAP over HTTP), driven by a profile's `onvif` section.

`handle_soap` is sans-io: the HTTP server hands it the POST body and sends back what it returns. Requests are
parsed with lxml with entity resolution, DTD loading and network access off; a request that declares entities
or a DTD is a fault (`camscan.parse.xmlsafe.refuse_declarations`, before lxml sees it). Operations outside the
profile's open set need a valid WS-Security UsernameToken, checked against the device's own clock (which may be
skewed), as real cameras do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree

from camscan.lab.auth import UsernameToken, verify_username_token
from camscan.lab.device import Device
from camscan.lab.spec import OnvifSpec
from camscan.lab.template import render
from camscan.parse.base import ParseError
from camscan.parse.xmlsafe import refuse_declarations

SOAP_NAMESPACES = {"http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/"}
ONVIF_ERROR_NS = "http://www.onvif.org/ver10/error"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


@dataclass(frozen=True, slots=True)
class SoapRequest:
    """What the device understood of a SOAP request."""

    operation: str
    token: UsernameToken | None


@dataclass(frozen=True, slots=True)
class SoapResult:
    status: int
    content_type: str
    body: bytes
    operation: str
    authenticated: bool
    token_present: bool = False


class SoapError(ValueError):
    """The request is not a SOAP envelope this device can read."""


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def parse_soap_request(body: bytes) -> SoapRequest:
    """Parse a SOAP request (sans-io): the operation name and any UsernameToken."""
    try:
        refuse_declarations(body)
    except ParseError as exc:
        raise SoapError(str(exc)) from None
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise SoapError(f"not well-formed: {exc}") from exc
    tag = root.tag  # a str once parsed (lxml's stubs allow what a program may have set it to)
    if (
        not isinstance(tag, str)
        or _local(tag) != "Envelope"
        or etree.QName(tag).namespace not in SOAP_NAMESPACES
    ):
        raise SoapError("not a SOAP envelope")
    envelope_body = _child(root, "Body")
    if envelope_body is None:
        raise SoapError("no SOAP Body")
    operation = next((_local(c.tag) for c in envelope_body if _local(c.tag)), "")
    token = None
    header = _child(root, "Header")
    security = _child(header, "Security") if header is not None else None
    username_token = _child(security, "UsernameToken") if security is not None else None
    if username_token is not None:

        def text(name: str) -> str:
            node = _child(username_token, name)
            return (node.text or "").strip() if node is not None else ""

        password = _child(username_token, "Password")
        token = UsernameToken(
            username=text("Username"),
            password=text("Password"),
            password_type=password.get("Type", "") if password is not None else "",
            nonce=text("Nonce"),
            created=text("Created"),
        )
    return SoapRequest(operation=operation, token=token)


def fault_body(prefix: str, code: str, subcode: str, reason: str) -> str:
    """A SOAP 1.2 Fault with an ONVIF error subcode (ter:NotAuthorized, ter:ActionNotSupported …)."""
    p = prefix
    return (
        f'<{p}:Fault xmlns:ter="{ONVIF_ERROR_NS}"><{p}:Code><{p}:Value>{p}:{code}</{p}:Value>'
        f"<{p}:Subcode><{p}:Value>ter:{subcode}</{p}:Value></{p}:Subcode></{p}:Code>"
        f'<{p}:Reason><{p}:Text xml:lang="en">{reason}</{p}:Text></{p}:Reason></{p}:Fault>'
    )


def device_now(device: Device) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=device.clock_offset_s)


def handle_soap(device: Device, spec: OnvifSpec, body: bytes, variables: dict[str, str]) -> SoapResult:
    """Answer one SOAP request as the profile's device would."""

    def envelope(inner: str) -> bytes:
        return render(spec.envelope, {**variables, "body": inner}).encode("utf-8")

    def fault(status: int, code: str, subcode: str, reason: str, operation: str) -> SoapResult:
        xml = envelope(fault_body(spec.env_prefix, code, subcode, reason))
        return SoapResult(status, spec.content_type, xml, operation, False, token_present)

    token_present = False

    try:
        request = parse_soap_request(body)
    except SoapError as exc:
        return fault(400, "Sender", "WellFormed", f"Invalid request: {exc}"[:200], "")
    operation = request.operation
    token_present = request.token is not None
    authenticated = False
    if request.token is not None and spec.auth == "wsse":
        problem = verify_username_token(
            request.token,
            device.credentials,
            device_now(device),
            spec.created_window_s,
            spec.accept_password_text,
        )
        authenticated = problem is None
    if spec.raw_document is not None:
        data = render(spec.raw_document, variables).encode("utf-8")
        return SoapResult(200, spec.content_type, data, operation, authenticated, token_present)
    template = spec.responses.get(operation)
    if template is None:
        return fault(500, "Receiver", "ActionNotSupported", "Optional Action Not Implemented", operation)
    needs_auth = spec.auth == "wsse" and operation not in spec.open_operations
    if needs_auth and not authenticated:
        return fault(spec.fault_status, "Sender", "NotAuthorized", "Sender not Authorized", operation)
    body_xml = envelope(render(template, variables))
    return SoapResult(200, spec.content_type, body_xml, operation, authenticated, token_present)
