"""Other TCP ports: vendor SDK ports that send a banner, stay silent, answer with fixed bytes, or speak DVRIP."""

from __future__ import annotations

import asyncio
import json

from camscan.lab import hostile
from camscan.lab.conn import IDLE_TIMEOUT_S, MAX_REQUESTS_PER_CONNECTION, peer_of
from camscan.lab.device import Device
from camscan.lab.records import RequestLog, RequestRecord
from camscan.lab.spec import DvripSpec, TcpSpec
from camscan.lab.template import render, request_vars
from camscan.lab.wire import (
    DVRIP_HEADER,
    DVRIP_LOGIN,
    DVRIP_LOGIN_REPLY,
    build_dvrip,
    parse_dvrip_header,
    sofia_hash,
)

MAX_DVRIP_PAYLOAD = 64 * 1024
SESSION = 1


def dvrip_login_ok(request: dict[str, object], credentials: tuple[str, str] | None) -> bool:
    """XiongMai clients send the Sofia hash of the password (some send it in clear); both are accepted."""
    if credentials is None:
        return False
    username, password = credentials
    sent = str(request.get("PassWord", ""))
    return str(request.get("UserName", "")) == username and sent in {sofia_hash(password), password}


class TcpService:
    """One device's service on a vendor TCP port."""

    def __init__(self, device: Device, spec: TcpSpec, log: RequestLog) -> None:
        self.device = device
        self.spec = spec
        self.log = log

    def _record(self, method: str, action: str, peer: str, credentials: bool = False) -> None:
        self.log.add(
            RequestRecord(
                device=self.device.name,
                ip=self.device.ip,
                protocol="dvrip" if self.spec.mode == "dvrip" else "tcp",
                port=self.spec.port,
                method=method,
                action=action,
                credentials=credentials,
                peer=peer,
            )
        )

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        spec = self.spec
        peer = peer_of(writer)
        if spec.behavior is not None:
            self._record("CONNECT", spec.behavior.type, peer)
            await hostile.run(
                spec.behavior, reader, writer, spec.reply or spec.banner, self.device.vars, status_line=b""
            )
            return
        if spec.mode == "dvrip" and spec.dvrip is not None:
            await self._dvrip(spec.dvrip, reader, writer, peer)
            return
        self._record("CONNECT", spec.mode, peer)
        if spec.banner:
            writer.write(spec.banner)
            await writer.drain()
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            data = await asyncio.wait_for(reader.read(4096), IDLE_TIMEOUT_S)
            if not data:
                return
            if spec.mode == "reply" and spec.reply:
                writer.write(spec.reply)
                await writer.drain()

    async def _dvrip(
        self, spec: DvripSpec, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str
    ) -> None:
        logged_in = False
        sequence = 0
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            head = await asyncio.wait_for(reader.readexactly(DVRIP_HEADER.size), IDLE_TIMEOUT_S)
            header = parse_dvrip_header(head)
            if header is None or header[3] > MAX_DVRIP_PAYLOAD:
                self._record("INVALID", "", peer)
                return
            _, _, message_id, length = header
            payload = await asyncio.wait_for(reader.readexactly(length), IDLE_TIMEOUT_S) if length else b""
            try:
                request = json.loads(payload.rstrip(b"\x00\n ").decode("utf-8")) if payload else {}
            except (UnicodeDecodeError, ValueError):
                request = {}
            if not isinstance(request, dict):
                request = {}
            self._record("MESSAGE", str(message_id), peer, credentials=message_id == DVRIP_LOGIN)
            variables = {**self.device.vars, **request_vars(self.device.clock_offset_s)}
            sequence += 1
            if message_id == DVRIP_LOGIN:
                logged_in = dvrip_login_ok(request, self.device.credentials)
                body = spec.login_reply if logged_in else spec.login_failed_reply
                writer.write(
                    build_dvrip(DVRIP_LOGIN_REPLY, render(body, variables).encode(), SESSION, sequence)
                )
                await writer.drain()
                if not logged_in:
                    return
                continue
            if not logged_in:
                return  # XiongMai firmware drops unauthenticated commands
            name = str(request.get("Name", ""))
            reply = spec.replies.get(f"{message_id}:{name}") or spec.replies.get(str(message_id))
            if reply is None:
                error = json.dumps({"Name": name, "Ret": 103, "SessionID": f"0x{SESSION:08X}"})
                writer.write(build_dvrip(message_id + 1, error.encode(), SESSION, sequence))
            else:
                reply_id, body = reply
                writer.write(build_dvrip(reply_id, render(body, variables).encode(), SESSION, sequence))
            await writer.drain()
