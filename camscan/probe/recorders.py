"""Recorders (NVRs, DVRs, consoles): what to say when the cameras behind one could not be listed (issue 14).

The channel lists themselves are ordinary tier-(c) vendor endpoints (`vendor_signatures/probes.yaml`, asked of
recorders only, with the credentials the user gave) and ONVIF calls (`camscan.probe.onvif`); their answers are
read by `camscan.parse.recorders`. When a recorder's cameras were not listed, `unlisted_note` records why as a
`recorder_summary` with `listed: false`, so the report can say so next to the channel count the recorder gave
without a login (SADP, DHDiscover). docs/recorders.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from camscan.credentials import Credential
from camscan.model import Identity, Observation
from camscan.parse.recorders import SESSION_LOGIN_PATHS, is_recorder_path

RECORDER_TYPES = frozenset({"nvr", "dvr"})
#: The recorder API camscan uses for a maker (canonical names from vendors.yaml).
API_BY_MAKER = {"Hikvision": "hikvision_isapi", "Dahua": "dahua_cgi", "Ubiquiti": "unifi_protect"}
NO_CREDENTIALS = (
    "no credentials were given for this recorder: the cameras on its channels could not be listed"
)
REFUSED = "the recorder refused the credentials given: the cameras on its channels could not be listed"
NOT_ANSWERED = (
    "the recorder did not answer any channel-list call camscan knows: its cameras could not be listed"
)


def recorder_api(identity: Identity) -> str | None:
    return API_BY_MAKER.get(identity.manufacturer or "") or API_BY_MAKER.get(identity.brand or "")


def unlisted_note(
    identity: Identity, credential: Credential | None, observations: Sequence[Observation], host: str
) -> Observation | None:
    """A `recorder_summary` saying why a recorder's cameras were not listed; None for a device that is no
    recorder or whose channels were listed."""
    if identity.device_type not in RECORDER_TYPES:
        return None
    listed = any(
        o.kind == "recorder_summary" and o.error is None and o.value.get("listed") for o in observations
    )
    if listed:
        return None
    if credential is None:
        note = NO_CREDENTIALS
    else:
        statuses = {
            o.value.get("status")
            for o in observations
            if o.kind == "http_path"
            and isinstance(o.value, dict)
            and (
                is_recorder_path(str(o.value.get("path") or ""))
                or str(o.value.get("path") or "") in SESSION_LOGIN_PATHS
            )
        }
        note = REFUSED if statuses and statuses <= {401, 403} else NOT_ANSWERED
    value: dict[str, object] = {"listed": False, "note": note}
    api = recorder_api(identity)
    if api:
        value["api"] = api
    return Observation("recorder_summary", value, host=host, source="scan")
