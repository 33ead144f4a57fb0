"""Application protocols on reassembled TCP streams: which direction carries what, and what it says.

The first bytes of a direction decide (`classify`): an HTTP or RTSP request or response, a TLS ServerHello,
an FTP, telnet or SSH server greeting. Everything else is ignored from then on at the cost of one dictionary
look-up per packet. Each sink frames its direction with the shared sans-io parsers (`camscan.parse`) and
reports findings to the host table, attributed to the server that sent them.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from camscan.parse import banners, content, http, rtsp, tls
from camscan.parse.base import Finding, ParseError
from camscan.parse.framing import MessageReader, RawMessage
from camscan.passive.hosts import HostTable
from camscan.passive.macs import onvif_network_mac
from camscan.passive.reassembly import HalfStream, StreamSink

#: Largest response body kept for parsing in passive mode (identifying bodies are small).
MAX_PASSIVE_BODY = 128 * 1024
MAX_MESSAGES = 64
MAX_TLS = 64 * 1024
MAX_BANNER = 4096
CLASSIFY_LIMIT = 2048
_METHOD_START = re.compile(
    rb"^[A-Z][A-Z_-]{0,15}(?: \S{0,2048}(?: (?:H|HT|HTT|HTTP|HTTP/|HTTP/1|HTTP/1\.|HTTP/1\.[01]|R|RT|RTS|RTSP|RTSP/|RTSP/1|RTSP/1\.|RTSP/1\.0)?)?)?\r?$"
)
_REQUEST_LINE = re.compile(rb"^[A-Z][A-Z_-]{1,15} \S{1,2048} (HTTP/1\.[01]|RTSP/1\.0)\r?$")
_SECRET_KEYS = re.compile(
    r"(?i)^(?:user(?:name)?|usr|login|pass(?:word|wd)?|pwd|auth\w*|token|key|sid|session\w*)$"
)


@dataclass(slots=True)
class FlowInfo:
    """One direction of a connection: who sends, to whom, and whether it is known to be the server."""

    src: str
    dst: str
    sport: int
    dport: int
    server: bool | None  # True: sent the SYN-ACK; False: sent the SYN; None: not seen


def redact_target(target: str) -> str:
    """A request target with credential-like query values masked (cameras take `?user=..&pwd=..`)."""
    path, sep, query = target.partition("?")
    if not sep or "=" not in query:
        return target
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(_SECRET_KEYS.match(k) for k, _ in pairs):
        return target
    return path + "?" + urlencode([(k, "***" if _SECRET_KEYS.match(k) else v) for k, v in pairs], safe="/:,")


@dataclass(slots=True)
class HttpConn:
    """The two directions of one HTTP connection: requests' targets paired, in order, with the responses."""

    server: str
    port: int
    table: HostTable
    requests: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_MESSAGES))
    waiting: deque[tuple[http.HttpResponse, float]] = field(default_factory=lambda: deque(maxlen=8))
    request_side_open: bool = True
    reader: MessageReader = field(
        default_factory=lambda: MessageReader(
            responses=True, max_body=MAX_PASSIVE_BODY, keep_body=http.textual_head
        )
    )

    def request(self, method: str, target: str) -> None:
        self.requests.append(redact_target(target))
        self.reader.methods.append(method)
        while self.waiting and self.requests:
            response, ts = self.waiting.popleft()
            self.report(self.requests.popleft(), response, ts)

    def response(self, response: http.HttpResponse, ts: float) -> None:
        if self.requests:
            self.report(self.requests.popleft(), response, ts)
        elif self.request_side_open and len(self.waiting) < (self.waiting.maxlen or 0):
            self.waiting.append((response, ts))  # the request may come later in the file
        else:
            self.report(None, response, ts)

    def flush(self) -> None:
        while self.waiting:
            response, ts = self.waiting.popleft()
            self.report(None, response, ts)

    def report(self, path: str | None, response: http.HttpResponse, ts: float) -> None:
        findings = http.http_observations(path, response)
        facts = content.content_observations(response)
        findings.extend(facts.findings)
        mac = onvif_network_mac(response)
        if mac:
            findings.append(("mac", mac))
        self.table.add(self.server, self.port, findings, ts)
        if facts.device_time is not None:
            self.table.clock(self.server, facts.device_time, ts)


class HttpRequestSink:
    """The client's direction: request lines (method and target) only; bodies are skipped, not kept."""

    def __init__(self, conn: HttpConn) -> None:
        self.conn = conn
        self.reader = MessageReader(responses=False, max_body=0)

    def buffered(self) -> int:
        return self.reader.buffered

    def data(self, chunk: bytes, ts: float) -> bool:
        for message in self.reader.feed(chunk):
            parts = message.head.start.split(" ")
            if len(parts) == 3 and parts[2].startswith("HTTP/"):
                self.conn.request(parts[0], parts[1])
        return self.reader.error is None and self.reader.messages < MAX_MESSAGES

    def end(self, ts: float) -> None:
        self.conn.request_side_open = False
        self.conn.flush()


class HttpResponseSink:
    """The server's direction: every response, reported with the request target it answered."""

    def __init__(self, conn: HttpConn) -> None:
        self.conn = conn

    def buffered(self) -> int:
        return self.conn.reader.buffered

    def data(self, chunk: bytes, ts: float) -> bool:
        reader = self.conn.reader
        messages = reader.feed(chunk)
        if reader.body_full:  # a large body: report what was kept and stop following this direction
            messages += reader.close()
            self._report(messages, ts)
            return False
        self._report(messages, ts)
        return reader.error is None and reader.messages < MAX_MESSAGES

    def _report(self, messages: list[RawMessage], ts: float) -> None:
        for message in messages:
            try:
                response = http.response_from_message(message, max_body=MAX_PASSIVE_BODY)
            except ParseError:
                continue
            self.conn.response(response, ts)

    def end(self, ts: float) -> None:
        self._report(self.conn.reader.close(), ts)
        self.conn.flush()


class RtspResponseSink:
    """An RTSP server's replies until media starts flowing over the connection."""

    def __init__(self, table: HostTable, server: str, port: int) -> None:
        self.table, self.server, self.port = table, server, port
        self.reader = rtsp.rtsp_reader()

    def buffered(self) -> int:
        return self.reader.buffered

    def data(self, chunk: bytes, ts: float) -> bool:
        self._report(self.reader.feed(chunk), ts)
        return (
            self.reader.error is None
            and not self.reader.in_interleaved
            and self.reader.messages < MAX_MESSAGES
        )

    def _report(self, messages: list[RawMessage], ts: float) -> None:
        for message in messages:
            try:
                findings = rtsp.rtsp_observations(rtsp.rtsp_response_from_message(message))
            except ParseError:
                continue
            self.table.add(self.server, self.port, findings, ts)

    def end(self, ts: float) -> None:
        self._report(self.reader.close(), ts)


class TlsServerSink:
    """A TLS server's first flight, until its certificate (TLS 1.2 and earlier) has been read."""

    def __init__(self, table: HostTable, server: str, port: int) -> None:
        self.table, self.server, self.port = table, server, port
        self.buf = bytearray()
        self.reported = False

    def buffered(self) -> int:
        return len(self.buf)

    def data(self, chunk: bytes, ts: float) -> bool:
        self.buf += chunk[: MAX_TLS - len(self.buf)]
        try:
            flight = tls.parse_server_flight(bytes(self.buf))
        except ParseError:
            return False
        if flight.certificates:
            self._report(flight.certificates, ts)
        return not flight.done and len(self.buf) < MAX_TLS

    def _report(self, certificates: tuple[bytes, ...], ts: float) -> None:
        if self.reported:
            return
        self.reported = True
        try:
            findings = tls.tls_observations(certificates)
        except ParseError:
            return
        self.table.add(self.server, self.port, findings, ts)

    def end(self, ts: float) -> None:
        self.buf = bytearray()


class BannerSink:
    """A server greeting (FTP, SSH, telnet): the server's first bytes, until the client speaks."""

    def __init__(self, table: HostTable, server: str, port: int, kind: str) -> None:
        self.table, self.server, self.port, self.kind = table, server, port, kind
        self.buf = bytearray()
        self.done = False

    def buffered(self) -> int:
        return len(self.buf)

    def data(self, chunk: bytes, ts: float) -> bool:
        self.buf += chunk[: MAX_BANNER - len(self.buf)]
        if self._complete():
            self.finish(ts)
        return not self.done

    def _complete(self) -> bool:
        if len(self.buf) >= MAX_BANNER:
            return True
        if self.kind == "ssh_banner":
            return b"\n" in self.buf
        if self.kind == "ftp_banner":  # the last line of the greeting: "220 ..." (not "220-...")
            return re.search(rb"(?m)^\d{3} [^\n]*\n", bytes(self.buf)) is not None
        return False

    def finish(self, ts: float) -> None:
        if self.done:
            return
        self.done = True
        parse = {
            "ssh_banner": banners.ssh_banner,
            "ftp_banner": banners.ftp_banner,
            "telnet_banner": banners.telnet_banner,
        }[self.kind]
        try:
            findings: list[Finding] = [(self.kind, parse(bytes(self.buf)))]
        except ParseError:
            findings = []
        self.buf = bytearray()
        self.table.add(self.server, self.port, findings, ts)

    def end(self, ts: float) -> None:
        self.finish(ts)


class TelnetClientSink:
    """The client's direction of a telnet session: the banner ends when the user starts typing."""

    def __init__(self, server_sink: BannerSink) -> None:
        self.server_sink = server_sink

    def buffered(self) -> int:
        return 0

    def data(self, chunk: bytes, ts: float) -> bool:
        if banners.strip_telnet(chunk).strip(b"\x00"):
            self.server_sink.finish(ts)
            return False
        return not self.server_sink.done

    def end(self, ts: float) -> None:
        self.server_sink.finish(ts)


class Ignore:
    """A direction found to carry nothing of interest."""

    def buffered(self) -> int:
        return 0

    def data(self, chunk: bytes, ts: float) -> bool:
        return False

    def end(self, ts: float) -> None:
        return None


IGNORE = Ignore()


class Classifier:
    """The first sink of every direction: reads its first bytes in order (as many as it takes to see a request
    line, at most CLASSIFY_LIMIT), then hands them and the rest over to the right sink.

    `registry` pairs the two directions of a connection (keyed by the canonical connection key).
    """

    __slots__ = ("ckey", "flow", "head", "registry", "stream", "table")

    def __init__(self, table: HostTable, flow: FlowInfo, ckey: bytes, registry: dict[bytes, object]) -> None:
        self.table = table
        self.flow = flow
        self.ckey = ckey
        self.registry = registry
        self.head = b""
        self.stream: HalfStream | None = None  # the HalfStream this classifier feeds (set by the decoder)

    def buffered(self) -> int:
        return len(self.head)

    def data(self, chunk: bytes, ts: float) -> bool:
        self.head += chunk
        sink = self.choose(self.head)
        if sink is None:
            if len(self.head) < CLASSIFY_LIMIT:
                return True  # not enough bytes to tell yet
            sink = IGNORE
        if sink is IGNORE:
            self.head = b""
            return False
        assert self.stream is not None, "the decoder sets the stream before feeding it"
        self.stream.sink = sink
        head, self.head = self.head, b""
        return sink.data(head, ts)

    def end(self, ts: float) -> None:
        self.head = b""
        self.registry.pop(self.ckey, None)

    def choose(self, first: bytes) -> StreamSink | None:
        """The sink for a direction that starts with `first`; None while more bytes are needed to tell."""
        flow, table = self.flow, self.table
        is_server = flow.server is True or (flow.server is None and flow.sport < flow.dport)
        if len(first) < 8 and (b"HTTP/1.0"[: len(first)] == first or b"RTSP/1.0"[: len(first)] == first):
            return None
        if first.startswith((b"HTTP/1.", b"HTTP/0.9")):
            return HttpResponseSink(self._http_conn(flow.src, flow.sport))
        if first.startswith(b"RTSP/1."):
            return RtspResponseSink(table, flow.src, flow.sport)
        if first[:1] == b"\x16" and len(first) < 6:
            return None
        if tls.looks_like_server_hello(first):
            return TlsServerSink(table, flow.src, flow.sport)
        line, newline, _rest = first.partition(b"\n")
        if not newline and _METHOD_START.match(line):
            return None  # perhaps a request line still arriving
        m = _REQUEST_LINE.match(line)
        if m:
            if m.group(1).startswith(b"HTTP"):
                return HttpRequestSink(self._http_conn(flow.dst, flow.dport))
            return IGNORE  # RTSP requests say nothing about the camera
        if first.startswith(b"SSH-") and (is_server or flow.sport == 22):
            return BannerSink(table, flow.src, flow.sport, "ssh_banner")
        if flow.sport == 21 and first[:3].isdigit():
            return BannerSink(table, flow.src, flow.sport, "ftp_banner")
        if flow.sport == 23 and flow.server is not False:
            sink = BannerSink(table, flow.src, flow.sport, "telnet_banner")
            self.registry[self.ckey] = sink
            return sink
        if flow.dport == 23:
            server_sink = self.registry.pop(self.ckey, None)
            if isinstance(server_sink, BannerSink):
                return TelnetClientSink(server_sink)
        return IGNORE

    def _http_conn(self, server: str, port: int) -> HttpConn:
        """The connection shared with the other direction: made by the first side classified, taken (and
        forgotten by the registry) by the second."""
        conn = self.registry.pop(self.ckey, None)
        if isinstance(conn, HttpConn) and conn.server == server and conn.port == port:
            return conn
        conn = HttpConn(server, port, self.table)
        self.registry[self.ckey] = conn
        return conn
