"""One parser per firmware scheme (issue 11, item 7): the same firmware reached through two sources is one value."""

from __future__ import annotations

import json

from camscan.model import Observation

# Reolink GetDevInfo as documented by ReolinkCameraAPI/reolinkapipy (get_information docstring), other model and
# firmware (the RLC-410W firmware named by the Talos report of CVE-2021-40407); trimmed to the fields used.
DEVINFO = [
    {
        "cmd": "GetDevInfo",
        "code": 0,
        "value": {"DevInfo": {"firmVer": "v3.0.0.136_20121102", "model": "RLC-410W", "type": "IPC"}},
    }
]


def test_reolink_firmware_splits_the_same_whichever_source(engine):
    api = Observation(
        "http_path",
        {
            "path": "/cgi-bin/api.cgi?cmd=GetDevInfo",
            "status": 200,
            "headers": {},
            "body": json.dumps(DEVINFO),
        },
    )
    onvif = Observation(
        "onvif_device_info",
        {"manufacturer": "Reolink", "model": "RLC-410W", "firmware_version": "v3.0.0.136_20121102"},
    )
    for observations in ([api], [onvif], [api, onvif]):
        ident = engine.identify(observations)
        assert (ident.firmware, ident.firmware_build, ident.firmware_date) == (
            "v3.0.0.136",
            "20121102",
            "2020-12-11",
        )
        assert "firmware" not in ident.conflicts
