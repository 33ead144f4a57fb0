"""The one stream-description (SDP, RFC 8866) parser: structure, tolerance, bounds, and that every reader of an
`sdp` observation reads through it with the same idea of a line (camscan/parse/sdp.py)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camscan.identify import video_sources
from camscan.identify.identity_objects import _objects
from camscan.identify.kind_words import KindWords
from camscan.identify.maker_words import MakerWords
from camscan.parse import sdp
from tests.conftest import ROOT

SIGNATURES = ROOT / "vendor_signatures"

#: RFC 8866 §5's example description (the seminar announcement), as the RFC prints it.
RFC_EXAMPLE = (
    "v=0\r\n"
    "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\n"
    "s=Call to John Smith\r\n"
    "i=SDP Offer #1\r\n"
    "u=http://www.jdoe.example.com/home.html\r\n"
    "e=Jane Doe <jane@jdoe.example.com>\r\n"
    "p=+1 617 555-6011\r\n"
    "c=IN IP4 198.51.100.1\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0\r\n"
    "m=audio 49180 RTP/AVP 0\r\n"
    "m=video 51372 RTP/AVP 99\r\n"
    "c=IN IP6 2001:db8::2\r\n"
    "a=rtpmap:99 h263-1998/90000\r\n"
)
#: A camera's answer as embedded RTSP servers write it (invented: session attributes, a video and a metadata track,
#: a device-data `a=fmtp` list as some cameras send it).
CAMERA = (
    "v=0\r\n"
    "o=- 1700000000 1 IN IP4 cam-0a1b2c.local\r\n"
    "s=Example Network Camera\r\n"
    "i=Channel 1\r\n"
    "t=0 0\r\n"
    "a=tool:Example RTSP Server\r\n"
    "a=Range:npt=now-\r\n"
    "a=control:*\r\n"
    "m=video 0 RTP/AVP 96\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 packetization-mode=1; profile-level-id=42001F; Model = EX-100 ;FirmVer=1.10;flag\r\n"
    "a=control:track1\r\n"
    "m=application 0 RTP/AVP 107\r\n"
    "a=rtpmap:107 vnd.onvif.metadata/90000\r\n"
)


def test_the_rfc_example() -> None:
    d = sdp.parse(RFC_EXAMPLE)
    assert [line.type for line in d.session] == ["v", "o", "s", "i", "u", "e", "p", "c", "t"]
    assert d.origin == ("jdoe", "3724394400", "3724394405", "IN", "IP4", "198.51.100.1")
    assert [(m.kind, m.port, m.protocol, m.formats) for m in d.media] == [
        ("audio", "49170", "RTP/AVP", ("0",)),
        ("audio", "49180", "RTP/AVP", ("0",)),
        ("video", "51372", "RTP/AVP", ("99",)),
    ]
    assert [line.value for line in d.media[2].lines] == ["IN IP6 2001:db8::2", "rtpmap:99 h263-1998/90000"]
    assert d.media[2].attributes("rtpmap")[0].argument == "99 h263-1998/90000"
    assert len(d.lines()) == 9 + 2


def test_session_and_media_attributes_and_fmtp() -> None:
    d = sdp.parse(CAMERA)
    assert [line.name for line in d.session if line.type == "a"] == ["tool", "range", "control"]
    assert [line.argument for line in d.attributes("control")] == ["*", "track1"]  # session first, in order
    assert [m.kind for m in d.media] == ["video", "application"]
    (fmtp,) = d.fmtp()
    assert fmtp.format == "96"
    assert fmtp.parameters == (
        ("packetization-mode", "1"),
        ("profile-level-id", "42001F"),
        ("Model", "EX-100"),
        ("FirmVer", "1.10"),  # a text, never a number
    )  # a part without `=` ("flag") is left out


def test_attributes_before_any_media_are_session_level() -> None:
    d = sdp.parse("a=control:*\na=fmtp:96 Mac=00-00-5E-00-53-01\nm=video 0 RTP/AVP 96\na=control:t1\n")
    assert [line.argument for line in d.session] == ["*", "96 Mac=00-00-5E-00-53-01"]
    assert [line.argument for line in d.media[0].lines] == ["t1"]
    assert d.fmtp()[0].parameters == (("Mac", "00-00-5E-00-53-01"),)


def test_property_attributes_and_fmtp_without_parameters() -> None:
    d = sdp.parse("a=recvonly\na=fmtp:96\na=fmtp:\n")
    assert d.session[0].name == "recvonly" and d.session[0].argument is None
    assert [(f.format, f.parameters) for f in d.fmtp()] == [("96", ())]


@pytest.mark.parametrize(
    "variant",
    [
        CAMERA.replace("\r\n", "\n"),  # LF only (RFC 8866 §5: parsers SHOULD accept it)
        CAMERA.replace("\r\n", "\r"),  # a lone CR
        "".join("  " + line + " \t\r\n" for line in CAMERA.split("\r\n") if line),  # indented, stray spaces
        "\r\n\r\n" + CAMERA.replace("\r\n", "\r\n\r\n"),  # blank lines
    ],
    ids=["lf", "cr", "indented", "blank-lines"],
)
def test_line_ends_and_stray_spaces_give_the_same_description(variant: str) -> None:
    assert sdp.parse(variant) == sdp.parse(CAMERA)


def test_missing_v_and_uncommon_address_types_are_read() -> None:
    d = sdp.parse("o=- 1 1 IN IPV4 cam.example\ns=Camera\nm=video 0 RTP/AVP 96\nc=IN IPV4 0.0.0.0\n")
    assert d.origin[4:] == ("IPV4", "cam.example")
    assert d.media[0].kind == "video"
    assert video_sources.is_live_video(d)


def test_other_line_separators_stay_inside_a_text_field() -> None:
    """Only CR and LF end a line: U+2028, U+0085 and form feeds are characters of a session name."""
    d = sdp.parse("v=0\ns=Cam\u2028era\x85 One\x0cTwo\nm=video 0 RTP/AVP 96\n")
    assert [line.value for line in d.session if line.type == "s"] == ["Cam\u2028era\x85 One\x0cTwo"]


def test_a_line_type_is_one_case_significant_character() -> None:
    """RFC 8866 §5: `<type>` is exactly one case-significant character; `A=range` is no attribute, `ab=` no line."""
    d = sdp.parse("A=range:npt=0-10\nab=1\n=x\nm=video 0 RTP/AVP 96\n")
    assert [line.type for line in d.session] == ["A"]  # a line of its own type, not an attribute
    assert d.attributes("range") == []
    assert video_sources.is_live_video(d)


@pytest.mark.parametrize("cut", range(0, len(CAMERA) + 1, 7))
def test_truncated_bodies(cut: int) -> None:
    d = sdp.parse(CAMERA[:cut])
    assert len(d.media) <= 2
    assert all(line.type for line in d.lines())


def test_huge_bodies_are_bounded() -> None:
    many_lines = "a=x-junk:" + "y" * 10 + "\n"
    started = time.process_time()
    d = sdp.parse("v=0\n" + many_lines * 100_000)  # 2 MiB: cut at MAX_CHARS, then at MAX_LINES
    assert len(d.session) == sdp.MAX_LINES
    d = sdp.parse("m=video 0 RTP/AVP 96\n" * 20_000)
    assert len(d.media) == sdp.MAX_MEDIA
    d = sdp.parse("s=" + "x" * (4 * sdp.MAX_CHARS))  # one endless line
    assert len(d.session[0].value) == sdp.MAX_CHARS - 2
    d = sdp.parse("a=fmtp:96 " + "k=v;" * 60_000)
    assert len(d.fmtp()[0].parameters) < sdp.MAX_CHARS // 4
    assert time.process_time() - started < 2.0


def test_binary_junk_is_no_description() -> None:
    junk = bytes(range(256)).decode("latin-1") * 64
    d = sdp.parse(junk)
    assert d.media == () and d.fmtp() == []
    assert sdp.parse("") == sdp.Description((), ())


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list("vosicmat=:; -\r\n\t0123456789/\x00\x85\u2028é")), max_size=400))
def test_never_raises(text: str) -> None:
    d = sdp.parse(text)
    d.fmtp(), d.origin
    video_sources.is_video_source_stream(d)
    # and stays within its bounds, whatever the text
    assert len(d.media) <= sdp.MAX_MEDIA and len(d.lines()) <= sdp.MAX_LINES
    assert all("\n" not in line.value and "\r" not in line.value for line in d.lines())


def test_a_text_is_parsed_once() -> None:
    text = CAMERA + "a=x-unique:test_a_text_is_parsed_once\r\n"
    assert sdp.description(text) is sdp.description(text)
    parsed = sdp.parse(text)
    assert sdp.description(parsed) is parsed


# ------------------------------------------------------------------------------ every reader, one idea of a line
def _readers() -> tuple[KindWords, MakerWords]:
    return (
        KindWords.load(SIGNATURES / "kind_words.yaml"),
        MakerWords.load(SIGNATURES / "maker_words.yaml"),
    )


@pytest.mark.parametrize(
    "variant",
    [
        CAMERA.replace("\r\n", "\n"),
        CAMERA.replace("\r\n", "\r"),
        "".join("  " + line + " \r\n" for line in CAMERA.split("\r\n") if line),
    ],
    ids=["lf", "cr", "indented"],
)
def test_every_reader_reads_a_variant_as_the_original(variant: str) -> None:
    """Before the one parser, the video-source rule and the identity objects read lines with a multi-line regex
    (no lone CR, no indent) while the maker and kind words split lines and stripped them: one answer, two readings."""
    kinds, makers = _readers()

    def read(value: str) -> tuple[object, ...]:
        return (
            video_sources.is_live_video(value),
            video_sources.broadcast_reason(value),
            makers.texts("sdp", value),
            makers.model_texts("sdp", value),
            makers.host_names("sdp", value),
            list(kinds.texts("sdp", value)),
            list(_objects("sdp", value, frozenset(), frozenset())),
        )

    original = read(CAMERA)
    assert original[0] is True and original[1] is None
    objects = original[6]
    assert isinstance(objects, list)
    assert (
        (),
        {"packetizationmode": "1", "profilelevelid": "42001F", "model": "EX-100", "firmver": "1.10"},
    ) in objects
    assert read(variant) == original


def test_the_origin_user_name_is_its_first_field_only() -> None:
    """`o= 2890842807 IN IP4 …` has no user name (a field is missing): its session id is not read as one."""
    _, makers = _readers()
    assert makers._sdp_texts("o= 2890842807 IN IP4 192.0.2.1\n", frozenset({"o"})) == []
    assert makers._sdp_texts("o=admin 2890842807 1 IN IP4 192.0.2.1\n", frozenset({"o"})) == ["admin"]


def test_the_engine_parses_each_description_once(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Six readers at different stages of the engine read a host's descriptions; each text is parsed once."""
    from camscan.model import Observation

    parsed: list[str] = []

    def counting(text: str) -> sdp.Description:
        parsed.append(text)
        return sdp.Description((), ())

    sdp._remembered.cache_clear()
    monkeypatch.setattr(sdp, "parse", counting)
    texts = [CAMERA.replace("Channel 1", f"Channel {n}") for n in range(8)]
    engine.identify(
        [Observation("sdp", t) for t in texts] + [Observation("rtsp_server", "Example RTSP Server")]
    )
    sdp._remembered.cache_clear()
    assert sorted(parsed) == sorted(texts)
