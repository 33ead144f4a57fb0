"""A small Chrome DevTools Protocol client for testing reports in a real headless Chromium.

Starts `chromium --headless` on a fresh profile with remote debugging on 127.0.0.1 (port chosen by Chromium),
opens a page, and collects console messages, exceptions and CSP violations. Uses aiohttp's websocket client
(already installed as a dependency of onvif-zeep-async).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


@dataclass
class PageResult:
    console: list[dict[str, Any]] = field(default_factory=list)  # Runtime.consoleAPICalled / Log.entryAdded
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[str]:
        out = [json.dumps(e)[:500] for e in self.exceptions]
        out += [
            json.dumps(m)[:500]
            for m in self.console
            if m.get("level") in ("error", "warning") or m.get("type") in ("error", "warning", "assert")
        ]
        return out


class Browser:
    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="camscan-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stderr is not None
        self.ws_url = ""
        for line in self.proc.stderr:
            m = _LISTENING.search(line)
            if m:
                self.ws_url = m.group(1)
                break
        if not self.ws_url:
            self.close()
            raise RuntimeError("chromium did not start its DevTools endpoint")
        # keep reading its log so a chatty browser never blocks on a full pipe
        threading.Thread(target=self._drain, daemon=True).start()
        if not self.ws_url.startswith("ws://127.0.0.1:"):
            self.close()
            raise RuntimeError(f"unexpected DevTools address {self.ws_url}")

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for _line in self.proc.stderr:
            pass

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for _attempt in range(5):  # the browser's helper processes may still be writing as it exits
            shutil.rmtree(self.profile, ignore_errors=True)
            if not Path(self.profile).exists():
                break
            time.sleep(0.2)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(
        self,
        url: str,
        *,
        evaluate: dict[str, str] | None = None,
        screenshot: Path | None = None,
        width: int = 1280,
        height: int = 2000,
        timeout: float = 60,
    ) -> PageResult:
        """Load `url`, wait for it, run each `evaluate` expression (results in `.values`), maybe screenshot."""
        return asyncio.run(
            asyncio.wait_for(self._open(url, evaluate or {}, screenshot, width, height), timeout)
        )

    async def _open(
        self, url: str, evaluate: dict[str, str], screenshot: Path | None, width: int, height: int
    ) -> PageResult:
        result = PageResult()
        ids = itertools.count(1)
        async with aiohttp.ClientSession() as http, http.ws_connect(self.ws_url, max_msg_size=0) as ws:
            pending: dict[int, asyncio.Future[Any]] = {}
            loaded = asyncio.get_running_loop().create_future()

            async def reader() -> None:
                async for msg in ws:
                    data = json.loads(msg.data)
                    if "id" in data and data["id"] in pending:
                        pending.pop(data["id"]).set_result(data)
                        continue
                    method, params = data.get("method"), data.get("params", {})
                    if method == "Runtime.consoleAPICalled":
                        result.console.append(
                            {
                                "type": params.get("type"),
                                "args": [a.get("value") for a in params.get("args", [])],
                            }
                        )
                    elif method == "Log.entryAdded":
                        entry = params.get("entry", {})
                        result.console.append({"level": entry.get("level"), "text": entry.get("text")})
                    elif method == "Runtime.exceptionThrown":
                        result.exceptions.append(params.get("exceptionDetails", {}))
                    elif method == "Network.requestWillBeSent":
                        result.requests.append(params.get("request", {}).get("url", ""))
                    elif method == "Page.loadEventFired" and not loaded.done():
                        loaded.set_result(True)

            task = asyncio.create_task(reader())

            async def send(
                method: str, params: dict[str, Any] | None = None, session: str | None = None
            ) -> Any:
                mid = next(ids)
                fut = asyncio.get_running_loop().create_future()
                pending[mid] = fut
                msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
                if session:
                    msg["sessionId"] = session
                await ws.send_str(json.dumps(msg))
                reply = await fut
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

            target = await send("Target.createTarget", {"url": "about:blank"})
            attached = await send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
            sid = attached["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                await send(f"{domain}.enable", session=sid)
            await send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=sid,
            )
            await send("Page.navigate", {"url": url}, session=sid)
            await loaded
            await asyncio.sleep(0.3)  # let late console messages arrive
            for name, expression in evaluate.items():
                reply = await send(
                    "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=sid
                )
                if "exceptionDetails" in reply:
                    raise RuntimeError(f"evaluate {name}: {reply['exceptionDetails']}")
                result.values[name] = reply.get("result", {}).get("value")
            if screenshot is not None:
                shot = await send("Page.captureScreenshot", {"format": "png"}, session=sid)
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
            await send("Target.closeTarget", {"targetId": target["targetId"]})
            task.cancel()
        return result
