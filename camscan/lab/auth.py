"""Credential checks the emulated devices make (sans-io): HTTP/RTSP Basic and Digest, WS-Security.

The devices check what a real device checks: the Digest response for the realm they announced, and for ONVIF
the UsernameToken digest `base64(sha1(nonce + created + password))` with `Created` close to the device's own
(possibly skewed) clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

_HASHES = {
    "MD5": hashlib.md5,
    "MD5-SESS": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-256-SESS": hashlib.sha256,
}


def parse_auth_params(value: str) -> dict[str, str]:
    """The `key=value` parameters of a Digest header (quoted values may contain commas)."""
    params: dict[str, str] = {}
    i, n = 0, len(value)
    while i < n:
        while i < n and value[i] in " ,\t":
            i += 1
        eq = value.find("=", i)
        if eq < 0:
            break
        key = value[i:eq].strip().lower()
        i = eq + 1
        if i < n and value[i] == '"':
            i += 1
            out: list[str] = []
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                out.append(value[i])
                i += 1
            i += 1
            params[key] = "".join(out)
        else:
            end = value.find(",", i)
            end = n if end < 0 else end
            params[key] = value[i:end].strip()
            i = end
    return params


def check_basic(header: str, username: str, password: str) -> bool:
    scheme, _, blob = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(blob.strip(), validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return False
    user, _, pwd = decoded.partition(":")
    return hmac.compare_digest(user, username) and hmac.compare_digest(pwd, password)


def check_digest(header: str, method: str, username: str, password: str, realm: str) -> bool:
    """Verify an RFC 7616 Digest response (MD5 or SHA-256, with or without qop=auth)."""
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "digest":
        return False
    p = parse_auth_params(rest)
    algorithm = p.get("algorithm", "MD5").upper()
    hasher = _HASHES.get(algorithm)
    if hasher is None or p.get("username") != username or p.get("realm") != realm:
        return False
    required = ("nonce", "uri", "response")
    if any(k not in p for k in required):
        return False

    def h(text: str) -> str:
        return hasher(text.encode("utf-8")).hexdigest()

    ha1 = h(f"{username}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        ha1 = h(f"{ha1}:{p['nonce']}:{p.get('cnonce', '')}")
    ha2 = h(f"{method}:{p['uri']}")
    qop = p.get("qop")
    if qop:
        expected = h(f"{ha1}:{p['nonce']}:{p.get('nc', '')}:{p.get('cnonce', '')}:{qop}:{ha2}")
    else:
        expected = h(f"{ha1}:{p['nonce']}:{ha2}")
    return hmac.compare_digest(expected, p["response"].lower())


def check_authorization(
    header: str | None, schemes: tuple[str, ...], method: str, credentials: tuple[str, str] | None, realm: str
) -> bool:
    """True when `header` carries valid credentials in one of the accepted schemes."""
    if not header or credentials is None:
        return False
    username, password = credentials
    scheme = header.split(" ", 1)[0].lower()
    if scheme == "basic" and "basic" in schemes:
        return check_basic(header, username, password)
    if scheme == "digest" and "digest" in schemes:
        return check_digest(header, method, username, password, realm)
    return False


# ------------------------------------------------------------------------------------------ WS-Security


@dataclass(frozen=True, slots=True)
class UsernameToken:
    """The fields of a WS-Security UsernameToken."""

    username: str
    password: str
    password_type: str = ""
    nonce: str = ""
    created: str = ""

    @property
    def is_digest(self) -> bool:
        return self.password_type.endswith("#PasswordDigest")


def wsse_digest(nonce: bytes, created: str, password: str) -> str:
    """`base64(sha1(nonce + created + password))`, the WS-Security PasswordDigest."""
    return base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()


def parse_created(created: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(created.strip().replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def verify_username_token(
    token: UsernameToken,
    credentials: tuple[str, str] | None,
    device_now: datetime,
    window_s: float,
    accept_password_text: bool = True,
) -> str | None:
    """None when the token is valid for this device at `device_now`, else the reason it is not."""
    if credentials is None:
        return "device has no users"
    username, password = credentials
    if not hmac.compare_digest(token.username, username):
        return "unknown user"
    if token.is_digest:
        try:
            nonce = base64.b64decode(token.nonce, validate=True)
        except (binascii.Error, ValueError):
            return "bad nonce"
        created = parse_created(token.created)
        if created is None:
            return "bad Created"
        if abs((created - device_now).total_seconds()) > window_s:
            return "Created outside the device's time window (clock skew)"
        if not hmac.compare_digest(wsse_digest(nonce, token.created, password), token.password):
            return "wrong password digest"
        return None
    if accept_password_text and hmac.compare_digest(token.password, password):
        return None
    return "wrong password"
