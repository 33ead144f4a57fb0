"""The nmap adapter's worker process: python-nmap, and nothing GPL-2.0-only, in its own process.

camscan's main process imports scapy (GPL-2.0-only); python-nmap is GPL-3.0-or-later. The two are never loaded
into one process (docs/licensing.md): the main process starts `python -m camscan.discover.nmap_worker` and talks
to it over a pipe, one JSON object per line each way.

Request:  {"id": 1, "hosts": ["10.0.0.1", ...], "ports": "80,554", "arguments": "-n -T4 --open", "timeout": 120}
Response: {"id": 1, "hosts": [{"ip", "state", "mac", "mac_vendor", "ports": [{"port", "proto", "state", "name",
          "product", "version", "extrainfo"}]}], "elapsed": s, "error": null | "..."}
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import nmap  # python-nmap; see the module docstring for why it lives here only


def scan_block(request: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    scanner = nmap.PortScanner()
    try:
        scanner.scan(
            hosts=" ".join(request["hosts"]),
            ports=request.get("ports") or None,
            arguments=request.get("arguments", "-n"),
            timeout=request.get("timeout", 0),
        )
    except nmap.PortScannerTimeout:
        return {
            "id": request.get("id"),
            "hosts": [],
            "error": "nmap timed out",
            "elapsed": time.monotonic() - started,
        }
    except nmap.PortScannerError as exc:
        return {
            "id": request.get("id"),
            "hosts": [],
            "error": str(exc).strip(),
            "elapsed": time.monotonic() - started,
        }
    hosts = []
    for ip in scanner.all_hosts():
        host = scanner[ip]
        addresses = host.get("addresses", {})
        mac = addresses.get("mac")
        ports = []
        for proto in ("tcp", "udp"):
            for port, info in sorted(host.get(proto, {}).items()):
                ports.append(
                    {
                        "port": int(port),
                        "proto": proto,
                        "state": info.get("state"),
                        "name": info.get("name") or None,
                        "product": info.get("product") or None,
                        "version": info.get("version") or None,
                        "extrainfo": info.get("extrainfo") or None,
                    }
                )
        hosts.append(
            {
                "ip": ip,
                "state": host.state(),
                "mac": mac.lower() if mac else None,
                "mac_vendor": host.get("vendor", {}).get(mac) if mac else None,
                "ports": ports,
            }
        )
    return {"id": request.get("id"), "hosts": hosts, "error": None, "elapsed": time.monotonic() - started}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            response = scan_block(request)
        except Exception as exc:  # the worker answers every request; the parent decides what to do
            response = {"id": None, "hosts": [], "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
