"""ONVIF probe through onvif-zeep-async (`onvif.ONVIFCamera`), with camscan's limits and parsers.

Unauthenticated first: the PRE_AUTH calls GetSystemDateAndTime, GetCapabilities, GetServices and GetHostname,
then GetScopes, GetDeviceInformation and GetNetworkInterfaces, which many real cameras answer without a login
(most auditors are given no camera passwords, so this is the common case). A refusal is recorded as a finding
("needs credentials"). The camera's clock gives the clock skew (camera − local). With credentials the user gave
for this host, the library signs the WS-Security token with that offset (its `dt_diff`, as
`ONVIFCamera(adjust_time=True)` does) and asks again only what was refused or not answered.

How it is bounded and kept consistent with passive mode:
- WSDLs are parsed once per process: onvif-zeep-async keeps every parsed WSDL in its module-level
  `_DOCUMENT_CACHE`, and each `ONVIFService` builds its zeep clients from that cached `Document`
  (`camscan.probe.onvif.wsdl_documents_parsed()` reports how many; tests/scan check it stays at one per WSDL).
- The library reads whole bodies with no limit, so each service's transport is replaced by `CappedTransport`,
  which reads at most the scan's byte cap, applies the scan's connect/read/total timeouts to every request and
  keeps the raw bytes of each answer.
- Those raw bytes — not zeep's objects — become observations, through the same sans-io parser the pcap reader
  uses (`camscan.parse.onvif`), so a live scan and a recording of it agree. zeep builds and signs each request;
  its parsing of the answer is skipped (`raw_only`: the transport stops once the bytes are kept), which saves
  much of the CPU an ONVIF device costs. Where the library itself needs an answer (`update_xaddrs`), the transport
  first passes it through `camscan.parse.xmlsafe.refuse_declarations` (the check every XML entry point makes),
  then zeep parses it, with DTDs and entities refused as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from camscan.credentials import Credential
from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.onvif import OnvifResponse, is_soap, onvif_observations, parse_onvif_response
from camscan.parse.xmlsafe import first_text, parse_xml, refuse_declarations
from camscan.probe.findings import failure, observations
from camscan.probe.limits import Limits

for _name in ("onvif", "zeep", "zeep.client", "zeep.transports", "zeep.wsdl", "zeep.xsd"):
    logging.getLogger(_name).setLevel(logging.ERROR)

from onvif import ONVIFCamera  # noqa: E402  (its import configures logging; quieted above and below)
from onvif import client as onvif_client  # noqa: E402
from onvif.client import AsyncTransportProtocolErrorHandler  # noqa: E402

logging.getLogger("onvif").setLevel(logging.ERROR)

SOURCE = "onvif"
DEVICE_SERVICE = "/onvif/device_service"
_MAC_CHARS = set("0123456789abcdef:-")


def wsdl_documents_parsed() -> int:
    """How many WSDL documents this process has parsed (onvif-zeep-async's process-wide cache)."""
    return len(onvif_client._DOCUMENT_CACHE)


async def warm_up() -> None:
    """Parse the device-management WSDL now, once, before many hosts need it at the same moment (the
    library's cache is filled on first use; concurrent first uses would each parse it). No network I/O."""
    camera = ONVIFCamera("127.0.0.1", 1, None, None, no_cache=True)
    try:
        await camera.create_devicemgmt_service()
    finally:
        await camera.close()


class ResponseTooLarge(aiohttp.ClientPayloadError):
    pass


class Captured(Exception):  # not an error: the answer was kept, zeep need not parse it
    """Raised by `CappedTransport` in raw-only mode once an answer is recorded."""


@dataclass(slots=True)
class Exchange:
    """One SOAP POST and what came back (raw bytes, at most the byte cap)."""

    sent: float
    received: float  # when the answer's head arrived
    status: int
    body: bytes
    operation: str | None = None  # the call camscan made (None for the library's own requests)
    signed: bool = False  # sent with the user's credentials


class CappedTransport(AsyncTransportProtocolErrorHandler):
    """The library's transport, reading at most `max_bytes` and keeping each raw answer in `exchanges`."""

    limits: Limits
    exchanges: list[Exchange]
    #: The caller reads the raw answer (camscan.parse.onvif), not zeep's objects: stop before zeep parses it.
    raw_only: bool = False
    #: The operation being called and whether it is signed (set by `_call`, kept with each exchange).
    operation: str | None = None
    signed: bool = False

    async def _post_internal(
        self, address: str, message: str | bytes, headers: dict[str, str]
    ) -> tuple[aiohttp.ClientResponse, bytes]:
        settings = self.limits.settings
        headers = headers or {}
        headers.setdefault("Content-Type", 'application/soap+xml; charset="utf-8"')
        data = message.encode("utf-8") if isinstance(message, str) else message
        timeout = aiohttp.ClientTimeout(
            total=settings.probe_deadline,
            sock_connect=settings.connect_timeout,
            sock_read=settings.read_timeout,
        )
        sent = time.time()
        response = await self.session.post(
            address,
            data=data,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,  # never off the device
        )
        answered = time.time()  # the head has arrived: the device read its clock just before
        try:
            body = bytearray()
            while len(body) <= settings.max_bytes:
                chunk = await response.content.read(settings.max_bytes + 1 - len(body))
                if not chunk:
                    break
                body += chunk
            if len(body) > settings.max_bytes:
                raise ResponseTooLarge(f"SOAP answer larger than {settings.max_bytes} bytes (cut)")
        finally:
            response.release()
        self.exchanges.append(
            Exchange(sent, answered, response.status, bytes(body), self.operation, self.signed)
        )
        if self.raw_only:
            raise Captured
        refuse_declarations(
            bytes(body)
        )  # zeep parses this answer: the one refusal first, before lxml sees it
        return response, bytes(body)


class ScanCamera(ONVIFCamera):
    """`ONVIFCamera` whose services use `CappedTransport` (shared by all of this camera's services)."""

    def __init__(self, host: str, port: int, limits: Limits, credential: Credential | None) -> None:
        super().__init__(
            host,
            port,
            credential.username if credential else None,
            credential.password.reveal() if credential else None,
            no_cache=True,  # no SQLite cache file in the user's home: WSDLs are local and parsed once anyway
            adjust_time=credential is not None,
        )
        self.limits = limits
        self.exchanges: list[Exchange] = []
        self._transports: list[CappedTransport] = []

    @property
    def raw_only(self) -> bool:
        return any(t.raw_only for t in self._transports)

    @raw_only.setter
    def raw_only(self, value: bool) -> None:
        for transport in self._transports:
            transport.raw_only = value

    def calling(self, operation: str | None, signed: bool) -> None:
        """Label the exchanges that follow with the operation and whether it carries the user's credentials."""
        for transport in self._transports:
            transport.operation = operation
            transport.signed = signed

    def answered(self, operation: str) -> bool:
        """Did some exchange of `operation` come back as a SOAP answer that is not a fault?"""
        for exchange in self.exchanges:
            if exchange.operation != operation or not is_soap(exchange.body):
                continue
            with contextlib.suppress(ParseError):
                if parse_onvif_response(exchange.body).operation != "Fault":
                    return True
        return False

    async def create_onvif_service(
        self, name: str, port_type: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        service = await super().create_onvif_service(name, port_type, *args, **kwargs)
        if not isinstance(service.transport, CappedTransport):
            transport = CappedTransport(session=service._session, verify_ssl=False, cache=None)
            transport.limits = self.limits
            transport.exchanges = self.exchanges
            self._transports.append(transport)
            service.transport = transport
            for client in (service.zeep_client, service.zeep_client_authless):
                if client is not None:
                    client.transport = transport
        return service


@dataclass(slots=True)
class OnvifResult:
    observations: list[Observation] = field(default_factory=list)
    clock_skew_s: float | None = None
    answered: bool = False  # the port speaks ONVIF SOAP


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, TimeoutError):
        return "timeout"
    return text[:160]


def network_mac(data: bytes) -> str | None:
    """The HwAddress of a GetNetworkInterfaces answer, as aa:bb:cc:dd:ee:ff (None when absent or odd)."""
    try:
        raw = first_text(parse_xml(data), "HwAddress")
    except ParseError:
        return None
    if not raw:
        return None
    mac = raw.strip().lower().replace("-", ":")
    parts = mac.split(":")
    if len(parts) != 6 or not set(mac) <= _MAC_CHARS or not all(len(p) == 2 for p in parts):
        return None
    return mac


async def _call(
    camera: ScanCamera,
    host: str,
    coro: Any,
    *,
    raw: bool = True,
    operation: str | None = None,
    signed: bool = False,
) -> None:
    """One SOAP call within the scan's limits. `raw`: camscan reads the answer's bytes itself (the usual case)."""
    settings = camera.limits.settings
    camera.raw_only = raw
    camera.calling(operation, signed)
    try:
        async with camera.limits.slot(host), asyncio.timeout(settings.probe_deadline + 0.5):
            await coro
    except Captured:
        pass
    finally:
        camera.raw_only = False
        camera.calling(None, False)
        if inspect.iscoroutine(coro):
            coro.close()  # never awaited when cancelled while waiting for a slot: no "never awaited" warning


#: Identity calls asked without a login first; with credentials, asked again only when refused.
IDENTITY_CALLS = ("GetScopes", "GetDeviceInformation", "GetNetworkInterfaces")


def _refusal(exchange: Exchange, camera: ScanCamera, fault: str | None) -> str | None:
    """A finding for an identity call the device refused without credentials (None when it is no such refusal,
    or when the same call answered later with credentials)."""
    if exchange.signed or exchange.operation not in IDENTITY_CALLS:
        return None
    if any(e.signed and e.operation == exchange.operation for e in camera.exchanges) and camera.answered(
        exchange.operation
    ):
        return None
    return f"{exchange.operation} needs credentials (refused without: {fault or f'HTTP {exchange.status}'})"


def _interpret(result: OnvifResult, camera: ScanCamera, host: str, port: int) -> None:
    """Every answer the device gave, through the shared parser; skew from its clock."""
    for exchange in camera.exchanges:
        if exchange.status in (401, 403) and not is_soap(exchange.body):
            refused = _refusal(exchange, camera, None)
            if refused:
                result.observations.append(failure("onvif_device_info", host, port, SOURCE, refused))
            continue
        if not is_soap(exchange.body):
            continue
        try:
            parsed: OnvifResponse = parse_onvif_response(exchange.body)
        except ParseError as exc:
            result.observations.append(
                failure("onvif_device_info", host, port, SOURCE, f"unreadable SOAP: {exc}")
            )
            continue
        result.answered = True
        result.observations += observations(onvif_observations(parsed), host, port, SOURCE)
        if parsed.operation == "GetSystemDateAndTimeResponse" and parsed.utc_time is not None:
            # The camera's clock is read to the whole second (truncated): half a second is its expected fraction.
            result.clock_skew_s = round(parsed.utc_time + 0.5 - exchange.received, 3)
        elif parsed.operation == "GetNetworkInterfacesResponse":
            mac = network_mac(exchange.body)
            if mac:
                result.observations.append(Observation("mac", mac, host=host, port=port, source=SOURCE))
        elif parsed.operation == "Fault" and parsed.fault:
            refused = _refusal(exchange, camera, parsed.fault)
            if exchange.operation in IDENTITY_CALLS and not exchange.signed and refused is None:
                continue  # refused without a login, answered with one: not a failure
            result.observations.append(
                failure("onvif_device_info", host, port, SOURCE, refused or f"SOAP fault: {parsed.fault}")
            )


def _first_skew(camera: ScanCamera) -> float | None:
    probe = OnvifResult()
    _interpret(probe, camera, "", 0)
    return probe.clock_skew_s


async def _authenticated_calls(camera: ScanCamera, host: str) -> None:
    """Tier (c): sign with the camera's clock offset (WS-Security digests are refused outside a few minutes of the
    camera's own time), then the calls that need a login.

    The offset is the one measured from the unauthenticated GetSystemDateAndTime already made — the same reading
    the library's `adjust_time` makes — handed to the library's `dt_diff`, which signs every token with it. Only
    when that reading failed does the library measure it itself (`update_xaddrs`, adjust_time=True)."""
    skew = _first_skew(camera)
    if skew is not None:
        camera.dt_diff = dt.timedelta(seconds=skew)
        stale = camera.services.pop(("devicemgmt", None), None)
        if stale is not None:
            await stale.close()
    else:
        with contextlib.suppress(Exception):
            await _call(camera, host, camera.update_xaddrs(), raw=False)
    devicemgmt = await camera.create_devicemgmt_service()
    for (
        name
    ) in IDENTITY_CALLS:  # each coroutine made when it is awaited: a cancelled scan leaves none un-awaited
        if camera.answered(name):
            continue  # answered without a login: credentials add nothing
        try:
            await _call(camera, host, getattr(devicemgmt, name)(), operation=name, signed=True)
        except Exception:
            continue


#: ONVIF services a recorder's channels are read from (issue 14, docs/recorders.md).
RECORDING_NS = "http://www.onvif.org/ver10/recording/wsdl"
MEDIA_NS = "http://www.onvif.org/ver10/media/wsdl"
RECORDER_CALLS = (("recording", RECORDING_NS, "GetRecordings"), ("media", MEDIA_NS, "GetVideoSources"))


def _service_xaddrs(camera: ScanCamera, host: str) -> dict[str, str]:
    """The service addresses the device's GetServices answer gave, on this device only (never elsewhere)."""
    out: dict[str, str] = {}
    for exchange in camera.exchanges:
        if exchange.operation != "GetServices" or not is_soap(exchange.body):
            continue
        try:
            root = parse_xml(exchange.body)
        except ParseError:
            continue
        for service in root.iter():
            if not isinstance(service.tag, str) or not service.tag.endswith("}Service"):
                continue
            namespace, xaddr = first_text(service, "Namespace"), first_text(service, "XAddr")
            if namespace and xaddr and urlsplit(xaddr).hostname == host:
                out[namespace] = xaddr
    return out


async def _recorder_calls(camera: ScanCamera, host: str) -> None:
    """With credentials, on a device that offers the ONVIF Recording service (a Profile G recorder): what it
    records (GetRecordings) and its video sources (GetVideoSources). Both are reads."""
    xaddrs = _service_xaddrs(camera, host)
    if RECORDING_NS not in xaddrs:
        return
    camera.xaddrs.update(xaddrs)
    for name, namespace, operation in RECORDER_CALLS:
        if namespace not in xaddrs:
            continue
        try:
            service = await camera.create_onvif_service(name)
            await _call(camera, host, getattr(service, operation)(), operation=operation, signed=True)
        except Exception:
            continue


async def probe_onvif(
    host: str, port: int, limits: Limits, credential: Credential | None = None, *, tls: bool = False
) -> OnvifResult:
    """The ONVIF device service at `host:port`; `answered` is False when nothing there speaks ONVIF."""
    result = OnvifResult()
    camera = ScanCamera(f"https://{host}" if tls else host, port, limits, credential)
    try:
        devicemgmt = await camera.create_devicemgmt_service()
        try:
            await _call(camera, host, devicemgmt.authless_GetSystemDateAndTime())
        except Exception as exc:  # any transport or SOAP failure: is this ONVIF at all?
            if not camera.exchanges:
                result.observations.append(failure("onvif_device_info", host, port, SOURCE, _short(exc)))
                return result
        if not any(is_soap(e.body) for e in camera.exchanges):
            return result  # a web server, but not an ONVIF device service
        pre_auth: list[tuple[str, Callable[[], Any]]] = [
            ("GetCapabilities", lambda: devicemgmt.authless_GetCapabilities({"Category": "All"})),
            ("GetServices", lambda: devicemgmt.authless_GetServices({"IncludeCapability": False})),
            ("GetHostname", devicemgmt.authless_GetHostname),
            *((name, getattr(devicemgmt, f"authless_{name}")) for name in IDENTITY_CALLS),
        ]
        for name, call in pre_auth:  # each coroutine made when it is awaited (see _authenticated_calls)
            try:
                await _call(camera, host, call(), operation=name)
            except Exception:
                continue  # faults and failures are read from the raw exchanges
        if credential is not None:
            await _authenticated_calls(camera, host)
            await _recorder_calls(camera, host)
        _interpret(result, camera, host, port)
    except Exception as exc:  # the library's own failures (bad XAddr, closed session …) are data too
        result.observations.append(failure("onvif_device_info", host, port, SOURCE, _short(exc)))
    finally:
        # Shielded: when the scan is cancelled mid-probe the session still closes (no "Unclosed client session").
        closing = asyncio.ensure_future(camera.close())
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(closing), 2.0)
    return result
