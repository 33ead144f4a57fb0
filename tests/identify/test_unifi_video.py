"""UniFi Video (issue 11): Ubiquiti's recording software for its IP cameras is a network video recorder (nvr), not
video management software (vms): Ubiquiti's UniFi Video User Guide calls an install "the NVR", and camscan's type
rule files a recorder for IP cameras as nvr. Values below are INVENTED in the shapes the signatures cite.
"""

from __future__ import annotations

import pytest

from camscan.model import Observation


@pytest.mark.parametrize(
    "observation",
    [
        Observation("tls_subject", "CN=UniFi-Video Controller,OU=Video,O=Ubiquiti Networks,C=US", port=7443),
        Observation("tls_subject", "CN=unifivideo-app,O=Ubiquiti Networks Inc.", port=7443),
        Observation("html_title", "UniFi Video", port=7080),
    ],
)
def test_a_unifi_video_install_is_a_recorder(engine, observation):
    ident = engine.identify([observation])
    assert ident.device_type == "nvr" and ident.is_camera
    assert "Ubiquiti" in (ident.manufacturer, ident.brand)
