"""Fingerprint one live host, unauthenticated first (DESIGN.md §3):

(a) banners and discovery: GET / on every web port (redirects only on the device and in scope), the favicon,
    the TLS certificate, RTSP OPTIONS/DESCRIBE, a unicast WS-Discovery Probe and SSDP M-SEARCH;
(b) ONVIF PRE_AUTH calls (with the clock skew), and the vendor endpoints of `vendor_signatures/probes.yaml`
    that the partial identity of (a) points to;
(c) with the credentials the user gave for this host: ONVIF GetDeviceInformation/GetNetworkInterfaces and the
    vendor device-information APIs, again chosen by the partial identity; on a UniFi OS console that runs
    Protect, a session login and the list of adopted cameras (`camscan.probe.unifi`).

Every probe's observations reach the writer as soon as the probe ends. The whole host is bounded by the host
deadline: whatever was learned by then is kept, and the deadline itself is recorded as an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from camscan.credentials import Credential, CredentialStore
from camscan.identify.engine import Engine
from camscan.model import Identity, Observation
from camscan.probe import http, rtsp, ssdp, unifi, vendor_udp, wsd
from camscan.probe.endpoints import Endpoint, select
from camscan.probe.findings import failure
from camscan.probe.limits import Limits
from camscan.probe.onvif import probe_onvif
from camscan.probe.recorders import RECORDER_TYPES, recorder_api, unlisted_note
from camscan.probe.udp import DatagramHub
from camscan.scan.state import HostState

#: Ports that are never HTTP (RTSP, vendor binary protocols, remote shells and desktops, printing).
NOT_WEB = frozenset(
    {21, 22, 23, 135, 139, 445, 554, 3389, 8291, 8554, 9100, 10554, 12901, 34567, 37777, 37778}
)
RTSP_PORTS = frozenset({554, 8554, 10554})
#: Where an ONVIF device service usually listens, most likely first (when WS-Discovery gave no XAddrs).
ONVIF_PORTS = (80, 8899, 2020, 8000, 8080, 5000, 7001, 888, 443, 8443)
ONVIF_CANDIDATES = 3
WSD_GRACE_S = 0.2

Emit = Callable[[HostState, list[Observation]], None]


@dataclass(slots=True)
class Context:
    limits: Limits
    engine: Engine
    endpoints: tuple[Endpoint, ...]
    credentials: CredentialStore
    hub: DatagramHub
    in_scope: Callable[[str], bool]
    emit: Emit

    def credential(self, ip: str) -> Credential | None:
        return self.credentials.for_host(ip) if self.credentials else None

    @property
    def udp_timeout(self) -> float:
        return min(2.0, self.limits.settings.timeout_s)


def web_ports(state: HostState) -> list[int]:
    return [p for p in state.open_ports if p not in NOT_WEB]


async def _emit_from(ctx: Context, state: HostState, probe: Awaitable[list[Observation]]) -> None:
    ctx.emit(state, await probe)


async def _wsd(ctx: Context, state: HostState) -> None:
    reply = await ctx.hub.request(state.ip, wsd.PORT, wsd.probe_message(), timeout=ctx.udp_timeout)
    if reply is None:
        return
    found, xaddrs = wsd.read_reply(reply, state.ip)
    state.xaddrs += [x for x in xaddrs if x not in state.xaddrs]
    if any(o.error is None for o in found) or xaddrs:
        state.found_by("wsd")
    ctx.emit(state, found)


async def _ssdp(ctx: Context, state: HostState) -> None:
    reply = await ctx.hub.request(state.ip, ssdp.PORT, ssdp.msearch(state.ip), timeout=ctx.udp_timeout)
    if reply is None:
        return
    found, location = ssdp.read_reply(reply, state.ip)
    state.found_by("ssdp")
    if location:
        found += await ssdp.fetch_description(location, state.ip, ctx.limits, ctx.in_scope)
    ctx.emit(state, found)


async def tier_a(ctx: Context, state: HostState, credential: Credential | None) -> None:
    """The TCP part of tier (a); WS-Discovery and SSDP run beside it (`fingerprint`)."""
    ip, limits = state.ip, ctx.limits
    jobs: list[Awaitable[None]] = []
    web = web_ports(state)
    for port in web:
        tls = port in http.TLS_PORTS
        jobs.append(_emit_from(ctx, state, http.probe_root(ip, port, limits, ctx.in_scope, tls=tls)))
    if web:
        jobs.append(
            _emit_from(ctx, state, http.probe_favicon(ip, web[0], limits, tls=web[0] in http.TLS_PORTS))
        )
    for port in state.open_ports:
        if port in RTSP_PORTS:
            jobs.append(_emit_from(ctx, state, rtsp.probe_rtsp(ip, port, limits, credential)))
    await asyncio.gather(*jobs)


def onvif_candidates(state: HostState) -> list[tuple[int, bool]]:
    """(port, tls) to try for the ONVIF device service: the XAddrs the device announced, else likely ports."""
    out: list[tuple[int, bool]] = [
        (port, tls) for port, tls, _path in wsd.device_service(state.xaddrs, state.ip)
    ]
    if not out:
        web = set(web_ports(state))
        out = [(p, p in http.TLS_PORTS) for p in ONVIF_PORTS if p in web][:ONVIF_CANDIDATES]
    return list(dict.fromkeys(out))  # each once, in order


async def tier_onvif(ctx: Context, state: HostState, credential: Credential | None) -> None:
    for port, tls in onvif_candidates(state):
        result = await probe_onvif(state.ip, port, ctx.limits, credential, tls=tls)
        if result.clock_skew_s is not None:
            state.clock_skew_s = result.clock_skew_s
        ctx.emit(state, result.observations)
        if result.answered:
            return


async def run_endpoint(
    ctx: Context, state: HostState, endpoint: Endpoint, credential: Credential | None
) -> None:
    ip = state.ip
    if endpoint.protocol == "udp":
        assert endpoint.payload is not None
        payload = vendor_udp.PAYLOADS[endpoint.payload]()
        reply = await ctx.hub.request(ip, endpoint.ports[0], payload, timeout=ctx.udp_timeout)
        if reply is not None:
            ctx.emit(state, vendor_udp.read_reply(endpoint.payload, reply, ip))
        return
    web = web_ports(state)
    ports = [p for p in endpoint.ports if p in web] or web[:1]
    if not ports:
        return
    port = ports[0]
    found = await http.probe_endpoint(
        ip,
        port,
        endpoint.path,
        ctx.limits,
        credential if endpoint.needs_credentials else None,
        tls=port in http.TLS_PORTS,
        method=endpoint.method,
        body=endpoint.body.encode() if endpoint.body else b"",
    )
    ctx.emit(state, found)


async def tier_endpoints(
    ctx: Context, state: HostState, credential: Credential | None, background: list[asyncio.Task[None]]
) -> None:
    """Vendor endpoints chosen by what is known so far; a second round for what the first one revealed.

    UDP endpoints (a reply may never come) go to `background`; HTTP ones are awaited."""
    done: set[str] = set()
    for _round in range(2):
        identity = ctx.engine.identify(state.observations)
        chosen = select(ctx.endpoints, "b", identity, state.open_ports, done=done)
        if credential is not None:
            chosen += select(ctx.endpoints, "c", identity, state.open_ports, done=done, credentials=True)
        if not chosen:
            return
        done.update(e.id for e in chosen)
        for e in chosen:
            if e.protocol == "udp":
                background.append(asyncio.create_task(run_endpoint(ctx, state, e, credential)))
        await asyncio.gather(
            *(run_endpoint(ctx, state, e, credential) for e in chosen if e.protocol != "udp")
        )


async def tier_unifi(
    ctx: Context, state: HostState, credential: Credential | None, identity: Identity
) -> bool:
    """With the console's credentials: the cameras UniFi Protect adopted (a session login, then one read).
    `identity` is the host's identity so far; True when something was learned (the identity is then stale)."""
    if credential is None:
        return False
    if recorder_api(identity) != "unifi_protect" or identity.device_type not in RECORDER_TYPES:
        return False
    ports = [p for p in web_ports(state) if p in http.TLS_PORTS]
    if not ports:
        return False
    port = 443 if 443 in ports else ports[0]
    ctx.emit(state, await unifi.probe_unifi_protect(state.ip, port, ctx.limits, credential))
    return True


async def fingerprint(ctx: Context, state: HostState) -> list[asyncio.Task[None]]:
    """Probe one host. Returns the datagram probes still waiting for a reply (at most the UDP timeout more):
    the host is stored as soon as this returns, and stored again if one of them brings something new."""
    credential = ctx.credential(state.ip)
    deadline = ctx.limits.settings.host_deadline
    wsd_task = asyncio.create_task(_wsd(ctx, state))
    background = [wsd_task, asyncio.create_task(_ssdp(ctx, state))]
    try:
        async with asyncio.timeout(deadline):
            await tier_a(ctx, state, credential)
            # XAddrs say where the ONVIF service is; a camera answers at once, so wait only a moment for them.
            await asyncio.wait({wsd_task}, timeout=WSD_GRACE_S)
            await tier_onvif(ctx, state, credential)
            await tier_endpoints(ctx, state, credential, background)
            identity = ctx.engine.identify(
                state.observations
            )  # once: the UniFi tier and the note both use it
            if await tier_unifi(ctx, state, credential, identity):
                identity = ctx.engine.identify(state.observations)
            # a recorder whose cameras could not be listed says why (issue 14)
            note = unlisted_note(identity, credential, state.observations, state.ip)
            if note is not None:
                ctx.emit(state, [note])
    except TimeoutError:
        ctx.emit(
            state,
            [
                failure(
                    "http_path", state.ip, None, "scan", f"host deadline of {deadline:g} s reached", value={}
                )
            ],
        )
        for task in background:
            task.cancel()
    return [task for task in background if not task.done()]
