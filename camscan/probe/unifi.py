"""UniFi Protect on a UniFi OS console (UNVR, Cloud Key Gen2+, Dream Machine): the cameras it adopted, read-only,
with the credentials the user gave for the console (issue 14; docs/recorders.md).

UniFi OS offers no Digest or Basic login: `POST /api/auth/login` with JSON `{username, password}` over HTTPS
answers with a session cookie (`TOKEN`, or `UOS_TOKEN` on newer UniFi OS) and an `X-CSRF-Token` header. Protect's
read API is then `GET /proxy/protect/api/cameras` with that cookie. That login is the only POST camscan sends to the
console and it changes nothing there; no other call is made. The session is dropped afterwards (never reused, kept
or logged out with a second POST); the password leaves this module only in the login body, sent to the console
the credential was given for, over TLS; the cookie and token are never put in an observation.
"""

from __future__ import annotations

import json
from dataclasses import replace

from camscan.credentials import Credential
from camscan.model import Observation
from camscan.parse.recorders import SESSION_LOGIN_PATHS
from camscan.probe.findings import failure
from camscan.probe.http import fetch, response_observations
from camscan.probe.limits import Limits
from camscan.probe.net import ProbeError

LOGIN_PATH = next(iter(SESSION_LOGIN_PATHS))
CAMERAS_PATH = "/proxy/protect/api/cameras"
SESSION_COOKIES = ("TOKEN", "UOS_TOKEN")
SOURCE = "https"


def session_cookie(set_cookies: list[str]) -> str | None:
    """`NAME=value` of the UniFi OS session cookie among a response's Set-Cookie values, or None."""
    for value in set_cookies:
        name, sep, secret = value.split(";", 1)[0].partition("=")
        if sep and name.strip() in SESSION_COOKIES and secret.strip():
            return f"{name.strip()}={secret.strip()}"
    return None


def _login_observation(host: str, port: int, status: int) -> Observation:
    """What is kept of the login: its status only (never the cookie, the token or the user it describes)."""
    value = {"path": LOGIN_PATH, "status": status, "headers": {}, "body": ""}
    return Observation("http_path", value, host=host, port=port, source=SOURCE)


async def probe_unifi_protect(
    host: str, port: int, limits: Limits, credential: Credential
) -> list[Observation]:
    """Log in to the console and read the cameras Protect adopted (`recorder_channel` observations through
    `camscan.parse.recorders`). A refused login is recorded by its status, so the report can say so."""
    body = json.dumps({"username": credential.username, "password": credential.password.reveal()}).encode()
    try:
        login = await fetch(
            host,
            port,
            LOGIN_PATH,
            limits,
            tls=True,
            method="POST",
            headers=(("Content-Type", "application/json"),),
            body=body,
        )
    except ProbeError as exc:
        return [failure("http_path", host, port, SOURCE, str(exc), value={"path": LOGIN_PATH})]
    status = login.response.status
    found = [_login_observation(host, port, status)]
    cookie = session_cookie(login.response.head.get_all("Set-Cookie")) if status == 200 else None
    if cookie is None:
        if status == 200:
            found.append(
                failure("http_path", host, port, SOURCE, "login answered without a session cookie",
                        value={"path": LOGIN_PATH})
            )  # fmt: skip
        return found
    headers = [("Cookie", cookie)]
    csrf = login.response.header("X-CSRF-Token")
    if csrf:
        headers.append(("X-CSRF-Token", csrf))
    try:
        cameras = await fetch(
            host,
            port,
            CAMERAS_PATH,
            limits,
            tls=True,
            headers=headers,
            max_bytes=limits.settings.max_list_bytes,
        )
    except ProbeError as exc:
        found.append(failure("http_path", host, port, SOURCE, str(exc), value={"path": CAMERAS_PATH}))
        return found
    # the certificate was read by tier (a) already
    return found + response_observations(replace(cameras, certificate=None), host, port, True)
