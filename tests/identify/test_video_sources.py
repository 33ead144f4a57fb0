"""Issue 11, services offered: a host that serves a live RTSP video stream is a video source (low confidence,
overridden by any other type evidence). Software and devices that serve video without being video sources (VLC,
FFmpeg, the LIVE555 Media Server, SAT>IP tuners) are ordinary signatures that type the device `media_server`, so
the prior never re-types them: one matching mechanism (vendor_signatures/video_sources.yaml holds no patterns).

The stream descriptions below are real, copied from the public sources named beside each (line ends as the
device sends them, CRLF); none is in the real-device corpus.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from camscan.identify.engine import VIDEO_SOURCE, Engine
from camscan.identify.knowledge import load_knowledge
from camscan.identify.signatures import SignatureSet
from camscan.identify.video_sources import VideoSources, broadcast_reason, is_live_video
from camscan.model import Observation


def _without(signatures: SignatureSet, signature_id: str) -> SignatureSet:
    """The same signature set less one signature (to show what the rule alone does)."""
    return SignatureSet([s for s in signatures if s.id != signature_id], signatures.registry)


# AlexxIT/go2rtc pkg/rtsp/rtsp_test.go TestBugSDP1 (github.com/AlexxIT/WebRTC/issues/417: a camera's answer)
CAMERA_RTSPSERVER = (
    "v=0\r\no=- 91674849066 1 IN IP4 192.168.1.123\r\ns=RtspServer\r\ni=live\r\nt=0 0\r\na=control:*\r\n"
    "a=range:npt=0-\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\ns=RtspServer\r\ni=live\r\na=control:track0\r\n"
    "a=range:npt=0-\r\na=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 packetization-mode=1;profile-level-id=42001E;sprop-parameter-sets=Z0IAHvQCgC3I,aM48gA==\r\n"
    "a=control:track0\r\n"
)
# go2rtc TestBugSDP5: a camera answering with session name "Camera" (originator CV-RTSPHandler), first 10 lines
CAMERA_CV_HANDLER = (
    "v=0\r\no=CV-RTSPHandler 1123412 0 IN IP4 192.168.1.22\r\ns=Camera\r\nc=IN IP4 192.168.1.22\r\nt=0 0\r\n"
    "a=charset:Shift_JIS\r\na=range:npt=0-\r\na=control:*\r\na=etag:1234567890\r\nm=video 0 RTP/AVP 99\r\n"
)
# VLC 2.2.2's DESCRIBE answer in a public RTSP capture walkthrough (Content-Base rtsp://192.168.1.106:8554/s1),
# its session part and video medium
VLC_SDP = (
    "v=0\r\no=- 15867114619150279987 15867114619150279987 IN IP4 zebul-NV78\r\ns=Unnamed\r\ni=N/A\r\n"
    "c=IN IP4 0.0.0.0\r\nt=0 0\r\na=tool:vlc 2.2.2\r\na=recvonly\r\na=type:broadcast\r\na=charset:UTF-8\r\n"
    "a=control:rtsp://192.168.1.106:8554/s1\r\nm=video 0 RTP/AVP 96\r\nb=RR:0\r\na=rtpmap:96 H264/90000\r\n"
)
# FFmpeg's SDP in binbat/live777 issue #140
FFMPEG_SDP = (
    "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "a=tool:libavformat 61.1.100\r\nm=video 5004 RTP/AVP 96\r\nb=AS:256\r\na=rtpmap:96 VP8/90000\r\n"
)
# the SAT>IP specification's DESCRIBE example, quoted in catalinii/minisatip issue #94 (first stream)
SATIP_SDP = (
    "v=0\r\no=- 5678901234 7890123456 IN IP4 192.168.128.5\r\ns=SatIPServer:1 4\r\nt=0 0\r\n"
    "m=video 5004 RTP/AVP 33\r\nc=IN IP4 239.0.0.8/5\r\na=control:stream=0\r\n"
    "a=fmtp:33 ver=1.0;src=1;tuner=1,240,1,7,12402,v,dvbs,,,,27500,34;pids=0,16,56, 112,168,1709\r\na=inactive\r\n"
)
# a gst-rtsp-server answer (euhat.com "rtp" notes): the GStreamer server cameras embed (AXIS OS) is no marker
GSTREAMER_SDP = (
    "v=0\r\no=- 17618512456233465749 1 IN IP4 127.0.0.1\r\ns=Session streamed with GStreamer\r\ni=rtsp-server\r\n"
    "t=0 0\r\na=tool:GStreamer\r\na=type:broadcast\r\na=control:*\r\na=range:npt=0-\r\nm=video 0 RTP/AVP 96\r\n"
    "c=IN IP4 0.0.0.0\r\nb=AS:3000\r\na=rtpmap:96 H264/90000\r\na=framerate:30\r\n"
)
# LIVE555 Media Server serving a 78 s file (Microsoft Azure Live Video Analytics docs), first 9 lines + video
LIVE555_FILE_SDP = (
    "v=0\r\no=- 1599412849822466 1 IN IP4 172.18.0.3\r\n"
    "s=Matroska video+audio+(optional)subtitles, streamed by the LIVE555 Media Server\r\ni=media/t2.mkv\r\n"
    "t=0 0\r\na=tool:LIVE555 Streaming Media v2020.04.12\r\na=type:broadcast\r\na=control:*\r\n"
    "a=range:npt=0-78.357\r\nm=video 0 RTP/AVP 96\r\n"
)


def sdp(value: str, port: int = 554) -> Observation:
    return Observation("sdp", value, port=port)


@pytest.mark.parametrize("value", [CAMERA_RTSPSERVER, CAMERA_CV_HANDLER, GSTREAMER_SDP])
def test_a_live_video_stream_makes_a_video_source(engine, value):
    ident = engine.identify([sdp(value)])
    assert ident.device_type == "camera" and ident.is_camera
    # a session named "Camera" names its kind (kind_words.yaml, weight 0.4), which the prior then leaves to it
    named = value == CAMERA_CV_HANDLER
    want = engine.kind_words.weight if named else engine.video_sources.confidence
    assert ident.field_confidence["device_type"] == pytest.approx(want)
    assert ident.field_confidence["device_type"] < 0.5  # a prior or a weak statement, not a strong one
    prior = [ev for ev in ident.evidence if ev.signature == VIDEO_SOURCE]
    stated = {"device_type": "camera"}
    assert (
        len(prior) == 1
        and (prior[0].ignored if named else prior[0].asserts) == stated
        and prior[0].port == 554
    )


@pytest.mark.parametrize(
    ("observations", "signature"),
    [
        ([sdp(VLC_SDP), Observation("rtsp_server", "VLC/2.2.2")], "videolan.sdp.tool_vlc"),
        ([sdp(VLC_SDP), Observation("rtsp_server", "VLC/2.2.2")], "videolan.rtsp_server.vlc"),
        ([sdp(CAMERA_RTSPSERVER), Observation("rtsp_server", "VLC/2.2.2")], "videolan.rtsp_server.vlc"),
        ([sdp(FFMPEG_SDP)], "ffmpeg.sdp.tool_libavformat"),
        ([sdp(SATIP_SDP)], "satip.sdp.session_name"),
        (
            [sdp(CAMERA_RTSPSERVER), Observation("rtsp_server", "minisatip/1.0.2-3a6d9f3")],
            "minisatip.rtsp_server.server",
        ),
    ],
)
def test_media_software_and_tuners_are_not_video_sources(engine, observations, signature):
    """A signature types them `media_server`; the live-stream prior is then kept as evidence but not used."""
    ident = engine.identify(observations)
    assert not ident.is_camera and ident.device_type == "media_server"
    assert signature in {
        ev.signature for ev in ident.evidence if ev.asserts.get("device_type") == "media_server"
    }
    prior = [ev for ev in ident.evidence if ev.signature == VIDEO_SOURCE]
    if any(broadcast_reason(o.value) for o in observations if o.kind == "sdp"):
        assert prior == []  # FFmpeg's push to 127.0.0.1 and SAT>IP's MP2T are broadcasts: no prior at all
    else:
        assert len(prior) == 1 and prior[0].asserts == {} and prior[0].ignored == {"device_type": "camera"}
    assert not [
        ev for ev in ident.evidence if ev.signature.startswith(f"{VIDEO_SOURCE}.")
    ]  # no second mechanism


def test_a_live555_media_server_file_is_no_camera(engine):
    ident = engine.identify([sdp(LIVE555_FILE_SDP)])
    assert ident.device_type == "media_server" and not ident.is_camera
    assert "live555.sdp.media_server" in {ev.signature for ev in ident.evidence}


def test_other_type_evidence_overrides_the_prior(engine):
    # a media server's own RTSP banner (value INVENTED in the form of Recog's 'Wowza Streaming Engine')
    ident = engine.identify(
        [
            sdp(CAMERA_RTSPSERVER),
            Observation("rtsp_server", "Wowza Streaming Engine 4.8.5 build20200616153358"),
        ]
    )
    assert ident.device_type == "media_server" and not ident.is_camera
    unused = [ev for ev in ident.evidence if ev.signature == VIDEO_SOURCE]
    assert len(unused) == 1 and unused[0].asserts == {} and unused[0].ignored == {"device_type": "camera"}


def test_a_product_line_overrides_the_prior(engine):
    ident = engine.identify(
        [sdp(CAMERA_RTSPSERVER), Observation("upnp_device", {"manufacturer": "AXIS", "modelName": "C1004-E"})]
    )
    assert ident.device_type == "speaker" and not ident.is_camera


def test_a_stored_presentation_or_audio_alone_is_no_video_source(engine):
    assert not is_live_video(LIVE555_FILE_SDP)
    audio = "v=0\r\no=- 1311738121 1 IN IP4 192.168.1.1\r\nc=IN IP4 239.0.0.1/32\r\ns=AES67 Audio Stream\r\nt=0 0\r\nm=audio 5004 RTP/AVP 96\r\na=rtpmap:96 L24/48000/2\r\n"
    for value in (LIVE555_FILE_SDP, audio):
        ident = engine.identify([sdp(value)])
        assert not ident.is_camera
        assert not [ev for ev in ident.evidence if ev.signature == VIDEO_SOURCE]
    # without the LIVE555 Media Server signature the bounded file range alone still keeps it from being a camera
    bare = Engine(
        replace(
            load_knowledge(), signatures=_without(load_knowledge().signatures, "live555.sdp.media_server")
        )
    )
    assert not bare.identify([sdp(LIVE555_FILE_SDP)]).is_camera


@pytest.mark.parametrize(
    ("ranges", "live"),
    [
        ("", True),
        ("a=range:npt=now-\r\n", True),
        ("a=range:npt=0-\r\n", True),
        ("a=range:npt=0.000000-\r\n", True),
        ("a=range:npt=0-300.066\r\n", False),
        ("a=range:clock=19961108T142300Z-19961108T143520Z\r\n", False),
        ("a=range:npt=now-\r\na=range:npt=0-12.5\r\n", False),
    ],
)
def test_live_means_an_open_ended_range(ranges, live):
    assert is_live_video(f"v=0\r\ns=x\r\nt=0 0\r\n{ranges}m=video 0 RTP/AVP 96\r\n") is live


def test_the_rule_is_data_and_its_examples_behave(engine):
    rule = engine.video_sources
    assert rule.enabled and rule.device_type == "camera" and rule.problems() == []
    assert rule.examples and rule.not_examples


def test_cameras_embedding_gstreamer_or_the_live555_library_stay_video_sources(engine):
    """No signature types the GStreamer RTSP server or the LIVE555 streaming library: cameras embed them (AXIS OS
    answers "GStreamer RTSP server"), so their live streams still make a camera."""
    gst = engine.identify([sdp(GSTREAMER_SDP), Observation("rtsp_server", "GStreamer RTSP server")])
    assert gst.device_type == "camera" and gst.is_camera
    for value in ("GStreamer RTSP server", "LIVE555 Streaming Media v2014.02.04"):
        matches = engine.signatures.match_all("rtsp_server", value)
        assert not [m for m in matches if m.values.get("device_type") == "media_server"], value
    lib = engine.identify(
        [sdp(CAMERA_RTSPSERVER), Observation("rtsp_server", "LIVE555 Streaming Media v2014.02.04")]
    )
    assert lib.is_camera


def test_without_the_data_file_there_is_no_prior():
    bare = Engine(replace(load_knowledge(), video_sources=VideoSources.empty()))
    assert not bare.identify([sdp(CAMERA_RTSPSERVER)]).is_camera
