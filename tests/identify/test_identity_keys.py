"""Identity keys in a device's own API answer (issue 11): signatures/identity_keys.yaml. Every value is invented."""

from __future__ import annotations

import time

import pytest

from camscan.identify.engine import get_engine
from camscan.model import Observation


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _answer(body: str, path: str = "/api/info") -> Observation:
    return Observation("http_path", {"path": path, "status": 200, "headers": {}, "body": body})


def test_keys_name_the_model_and_firmware(engine):
    ident = engine.identify(
        [_answer("<info><modelName>QX-9000</modelName><softwareVersion>1.2.3</softwareVersion></info>")]
    )
    assert (ident.model, ident.firmware) == ("QX-9000", "1.2.3")
    ident = engine.identify([_answer('{"deviceModel": "QX-7", "fw_version": "4.5.6"}')])
    assert (ident.model, ident.firmware) == ("QX-7", "4.5.6")


@pytest.mark.parametrize(
    "body",
    [
        "<list><item><model>QX-1</model></item><item><model>QX-2</model></item></list>",  # other devices' models
        '[{"model": "QX-1"}, {"model": "QX-2"}]',
        "<html><title>model</title><p>Pick a model</p></html>",  # the word, not a key
        '{"model": "model"}',  # a placeholder
    ],
)
def test_lists_words_and_placeholders_give_no_model(engine, body):
    assert engine.identify([_answer(body)]).model is None


def test_a_weak_model_names_no_maker_and_no_camera(engine):
    # a numbering only Hikvision uses, read by a key on an unknown endpoint: a model, not a maker or a camera
    ident = engine.identify([_answer("<x><model>DS-2CD2042WD-I</model></x>", path="/unknown")])
    assert ident.model == "DS-2CD2042WD-I"
    assert ident.manufacturer is None and not ident.is_camera


def test_a_makers_own_signature_outranks_a_key(engine):
    # a strong model (ONVIF device information) wins; the key's differing value is only a conflict
    ident = engine.identify(
        [
            Observation(
                "onvif_device_info", {"manufacturer": "Quux", "model": "QX-100", "firmware_version": "1.0"}
            ),
            _answer('{"model": "QX-999"}'),
        ]
    )
    assert ident.model == "QX-100"


@pytest.mark.parametrize(
    ("scope", "maker"),
    [
        # a device's own discovery answer (onvif.scopes.model_nonstandard, weight 0.4: a white-label scope) is no
        # generic key read: its model still names its maker through model_makers, as before the weak-model limit
        ("onvif://www.onvif.org/model/IPC-HFW2431S-S-S2", "Dahua"),  # invented
        ("onvif://www.onvif.org/model/DS-2CD2142FWD-I", "Hikvision"),  # invented
    ],
)
def test_a_weak_model_of_a_devices_own_answer_still_names_its_maker(engine, scope, maker):
    ident = engine.identify(
        [Observation("onvif_scopes", ["onvif://www.onvif.org/type/video_encoder", scope])]
    )
    assert ident.manufacturer == maker


def test_a_generic_weak_model_names_no_maker(engine):
    # the limit covers the generic readers (names_maker: false): a UPnP modelNumber, a Cast md=, a key in an answer
    upnp = Observation(
        "upnp_device", {"modelName": "Network Camera", "modelNumber": "DS-2CD2142FWD-I", "friendlyName": "x"}
    )
    cast = Observation("mdns", {"name": "x", "type": "_googlecast._tcp", "txt": ["md=DS-2CD2142FWD-I"]})
    txt = Observation("mdns", {"name": "x", "type": "_http._tcp", "txt": ["model=DS-2CD2142FWD-I"]})
    for obs in (upnp, cast, txt):
        ident = engine.identify([obs])
        assert ident.model == "DS-2CD2142FWD-I" and ident.manufacturer is None, obs.kind


def test_key_readers_scan_a_large_answer_in_linear_time(engine):
    # The key readers look at whole bodies (up to the list cap, 4 MiB). Written as a per-character tempered token they
    # took ~55 ms per MiB each (four of them: twice the cost of every other http_path signature together); as
    # possessive runs between '<' or '"' they scan at the regex engine's C speed. A bound far from both, in CPU time.
    body = (
        "<html><body>" + '<div class="x">lorem "ipsum" dolor</div>\n' * 25_000 + "</body></html>"
    )  # ~1 MiB, no key
    readers = [
        s
        for s in engine.signatures
        if s.file == "identity_keys.yaml" and s.kind in ("http_path", "http_body")
    ]
    # XML, JSON and key=value lines: model, firmware, serial and build date each, and a JSON product name; each
    # again for a body seen without its path
    assert len(readers) == 26
    start = time.process_time()
    for sig in readers:
        for pattern in [p for _name, p in sig.fields] or [sig.pattern]:
            assert pattern is not None and pattern.search(body) is None
    assert time.process_time() - start < 0.24  # measured (six readers): 0.27 s before, 0.03 s after


def test_line_key_readers_are_linear_on_a_long_run_of_trailing_blanks(engine):
    # A key=value line whose value is followed by a long run of blanks and then more text: the value's lazy
    # bound (up to 39 characters) used to re-scan the whole run for each length tried, ~5 s per 4 MiB answer and
    # reader (39 x the run). The value now cannot end in a blank unless it is quoted, so the run is scanned once.
    body = "model=QX-88" + " " * 4 * 1024 * 1024 + "x"
    readers = [s for s in engine.signatures if s.file == "identity_keys.yaml" and ".line_" in s.id]
    assert len(readers) == 8  # model, firmware, serial and build date, with and without the path
    start = time.process_time()
    for sig in readers:
        patterns = [p for _name, p in sig.fields] or [sig.pattern]
        for pattern in patterns:
            assert pattern is not None and pattern.search(body.replace("model=", "firmware_version=")) is None
            assert pattern.search(body) is None
    assert time.process_time() - start < 0.5  # measured: ~18 s before (four readers), well under 0.1 s after
    # what the lookbehind keeps: a quoted value may end in a blank, a bare one is read without its trailing blanks
    line = next(s for s in readers if s.id == "generic.http_body.line_model_key")
    assert line.pattern is not None
    assert line.pattern.search("model='QX '\n").group("model") == "QX "
    assert line.pattern.search("model=QX 88   \n").group("model") == "QX 88"
