"""HTTP and RTSP authorization with the user's credentials: Digest (RFC 7616, MD5 and SHA-256, qop=auth) and
Basic, sans-io.

`authorization(challenges, method, uri, credential)` answers a 401's challenges. Digest is preferred; Basic is
used only when the device offers nothing else. The password leaves this module only inside the header value
sent to the device the credential was given for; it is never logged, stored or put in an observation.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence
from urllib.request import parse_http_list

from camscan.credentials import Credential

_HASHES = {
    "MD5": hashlib.md5,
    "MD5-SESS": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-256-SESS": hashlib.sha256,
}


def parse_params(value: str) -> dict[str, str]:
    """`key=value` pairs of a challenge (quoted values may contain commas and escaped quotes): the standard
    library's HTTP list splitter (`urllib.request.parse_http_list`), keys lowercased, quotes removed."""
    params: dict[str, str] = {}
    for item in parse_http_list(value):
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            continue
        raw = raw.strip()
        params[key.strip().lower()] = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw
    return params


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def digest(
    challenge: dict[str, str], method: str, uri: str, credential: Credential, cnonce: str | None = None
) -> str:
    algorithm = challenge.get("algorithm", "MD5").upper()
    hasher = _HASHES.get(algorithm)
    if hasher is None:
        raise ValueError(f"unsupported digest algorithm {algorithm}")

    def h(text: str) -> str:
        return hasher(text.encode("utf-8")).hexdigest()

    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    cnonce = cnonce or os.urandom(8).hex()
    ha1 = h(f"{credential.username}:{realm}:{credential.password.reveal()}")
    if algorithm.endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    parts = [
        f"username={_quote(credential.username)}",
        f"realm={_quote(realm)}",
        f"nonce={_quote(nonce)}",
        f"uri={_quote(uri)}",
        f"algorithm={algorithm}",
    ]
    if "auth" in qops:
        nc = "00000001"
        response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        parts += [f"qop=auth, nc={nc}, cnonce={_quote(cnonce)}"]
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
    parts.append(f"response={_quote(response)}")
    if "opaque" in challenge:
        parts.append(f"opaque={_quote(challenge['opaque'])}")
    return "Digest " + ", ".join(parts)


def basic(credential: Credential) -> str:
    token = f"{credential.username}:{credential.password.reveal()}".encode()
    return "Basic " + base64.b64encode(token).decode("ascii")


def authorization(challenges: Sequence[str], method: str, uri: str, credential: Credential) -> str | None:
    """The Authorization header answering `challenges` (WWW-Authenticate values), or None if none is usable."""
    for value in challenges:
        scheme, _, rest = value.strip().partition(" ")
        if scheme.lower() == "digest":
            try:
                return digest(parse_params(rest), method, uri, credential)
            except ValueError:
                continue
    for value in challenges:
        if value.strip().lower().startswith("basic"):
            return basic(credential)
    return None
