"""`{{name}}` placeholders in profile text, and the variables a device offers them.

Profiles are data: a response body says `{{serial}}` or `{{utc_hour}}` and the servers fill it in for the device
and the moment. Only `{{name}}` with a known name is replaced; everything else (JavaScript braces, JSON) is left
alone, so bodies copied from real devices need no escaping.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

TOKEN = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

#: Variables every device has (built once per device by `camscan.lab.device`).
STATIC_VARS: frozenset[str] = frozenset(
    {
        "name",
        "profile",
        "index",
        "ip",
        "ip_hex_le",
        "netmask",
        "netmask_hex_le",
        "prefix_len",
        "gateway",
        "gateway_hex_le",
        "mac",
        "mac_upper",
        "mac_dash",
        "mac_dash_upper",
        "mac_hex",
        "mac_hex_upper",
        "mac_last2",
        "serial",
        "uuid",
        "username",
        "http_port",
        "https_port",
        "rtsp_port",
        "onvif_port",
        "onvif_xaddr",
        "canary_path",
        "outside_host",
        "outside_url",
        "boot_time",
    }
)

#: Variables computed per request (the device clock includes its configured offset).
DYNAMIC_VARS: frozenset[str] = frozenset(
    {
        "utc_year",
        "utc_month",
        "utc_day",
        "utc_hour",
        "utc_minute",
        "utc_second",
        "iso_time",
        "http_date",
        "nonce",
        "message_id",
        "relates_to",
        "probe_uuid",
        "app_seq",
        "request_path",
        "request_target",
        "connection",
        "realm",
        "cseq",
        "session_id",
        "random_uuid",
        "content_length",
        "json_id",
    }
)

KNOWN_VARS: frozenset[str] = STATIC_VARS | DYNAMIC_VARS


def names_in(text: str) -> set[str]:
    """The placeholder names used in `text`."""
    return {m.group(1) for m in TOKEN.finditer(text)}


def render(text: str, variables: Mapping[str, str]) -> str:
    """Replace each `{{name}}` whose name is in `variables`; leave unknown placeholders as they are."""
    if "{{" not in text:
        return text

    def repl(match: re.Match[str]) -> str:
        value = variables.get(match.group(1))
        return match.group(0) if value is None else value

    return TOKEN.sub(repl, text)


def unknown_names(texts: Iterable[str], extra: Iterable[str] = ()) -> set[str]:
    """Placeholder names in `texts` that are neither built in nor in `extra` (a profile's own `vars`)."""
    allowed = KNOWN_VARS | set(extra)
    found: set[str] = set()
    for text in texts:
        found |= names_in(text)
    return found - allowed


def clock_vars(offset_s: float, now: datetime | None = None) -> dict[str, str]:
    """The device clock as template variables: real UTC time plus the device's offset."""
    moment = (now or datetime.now(UTC)) + timedelta(seconds=offset_s)
    return {
        "utc_year": str(moment.year),
        "utc_month": str(moment.month),
        "utc_day": str(moment.day),
        "utc_hour": str(moment.hour),
        "utc_minute": str(moment.minute),
        "utc_second": str(moment.second),
        "iso_time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "http_date": format_datetime(moment, usegmt=True),
    }


def request_vars(offset_s: float, **extra: str) -> dict[str, str]:
    """Per-request variables: the clock, a fresh nonce and message id, and whatever the server adds."""
    values = clock_vars(offset_s)
    values["nonce"] = secrets.token_hex(16)
    values["message_id"] = f"urn:uuid:{uuid.uuid4()}"
    values["random_uuid"] = str(uuid.uuid4())
    values.update(extra)
    return values
