"""Issue 11, no false cameras: a host that re-streams cameras (go2rtc, alone or inside Frigate and Home Assistant)
serves live RTSP video but is no camera; a camera's own stream description stays a camera."""

from __future__ import annotations

from camscan.model import Observation

GO2RTC_SDP = (
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=go2rtc/1.9.10\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
    "m=video 0 RTP/AVP 97\r\na=rtpmap:97 H265/90000\r\na=recvonly\r\na=control:trackID=1\r\n"
)  # invented from go2rtc's MarshalSDP form
CAMERA_SDP = (
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=Session streamed by camera\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
    "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=1\r\n"
)  # invented


def test_go2rtc_stream_is_a_media_server_not_a_camera(engine):
    ident = engine.identify([Observation("sdp", GO2RTC_SDP)])
    assert ident.device_type == "media_server"
    assert not ident.is_camera
    assert ident.firmware == "1.9.10"


def test_go2rtc_realm_is_a_media_server(engine):
    ident = engine.identify([Observation("rtsp_www_authenticate", 'Basic realm="go2rtc"')])
    assert ident.device_type == "media_server" and not ident.is_camera


def test_a_camera_stream_is_still_a_camera(engine):
    assert engine.identify([Observation("sdp", CAMERA_SDP)]).is_camera


def test_reolink_models_reported_by_getdevinfo_are_typed(engine):
    def typ(model: str) -> str | None:
        return engine.identify(
            [Observation("upnp_device", {"manufacturer": "Reolink", "modelName": model})]
        ).device_type

    assert typ("Reolink TrackMix PoE") == "camera"
    assert typ("RLN36") == "nvr"
    assert typ("RLN8-410") == "nvr"
