"""What an ONVIF device offers, as evidence of its kind (docs/identify.md, "What a device offers").

The ONVIF device-information answer alone types a device camera at a weak 0.35 (`generic.onvif_device_info.
video_device`); a service list that says the device shows, records or controls rather than sends video sets that
prior aside. Answers of decoders, door controllers and recorders are invented (no real public one was found); the
camera answers are real (the Dahua GetCapabilities in tests/fixtures/onvif, the lab's Axis GetServices).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge
from camscan.identify.signatures import SignatureSet
from camscan.model import Observation
from camscan.parse.onvif import onvif_observations, parse_onvif_response

PRIOR = "generic.onvif_device_info.video_device"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "onvif"
INFO = Observation("onvif_device_info", {"manufacturer": "Acme", "model": "X-100"}, port=80)  # invented


def services(*names: str, answer: str = "GetServices", **counts: int) -> Observation:
    return Observation("onvif_services", {"answer": answer, "services": sorted(names), **counts}, port=80)


def _type(engine: Engine, *observations: Observation) -> tuple[str | None, bool]:
    ident = engine.identify([INFO, *observations])
    return ident.device_type, ident.is_camera


def test_device_information_alone_is_still_a_probable_camera(engine: Engine) -> None:
    ident = engine.identify([INFO])
    assert (ident.device_type, ident.field_confidence["device_type"]) == ("camera", 0.35)


def test_a_real_camera_stays_a_camera(engine: Engine) -> None:
    body = (FIXTURES / "go2rtc_GetCapabilities_Dahua_default.xml").read_bytes()
    found = [Observation(k, v, port=80) for k, v in onvif_observations(parse_onvif_response(body))]
    assert _type(engine, *found) == ("camera", True)
    # the lab's Axis camera GetServices (device and media) and a camera recording to its card (invented)
    assert _type(engine, services("device", "media")) == ("camera", True)
    assert _type(engine, services("device", "media", "recording", "replay", "search")) == ("camera", True)


def test_a_display_device_is_a_decoder_not_a_camera(engine: Engine) -> None:
    ident = engine.identify([INFO, services("device", "deviceio", "display", "events", "receiver")])
    assert (ident.device_type, ident.is_camera, ident.field_confidence["device_type"]) == (
        "decoder",
        False,
        0.6,
    )
    assert "device_type" not in ident.conflicts  # the prior is set aside, not outvoted
    prior = next(ev for ev in ident.evidence if ev.signature == PRIOR)
    assert prior.asserts == {} and prior.ignored == {"device_type": "camera"}
    assert prior.note == "set aside by onvif.services.display_device"


def test_a_display_device_listing_media_with_no_video_source(engine: Engine) -> None:
    found = services(
        "device", "deviceio", "display", "media", "receiver", answer="GetCapabilities", video_sources=0
    )
    assert _type(engine, found) == ("decoder", False)
    # with a video source, or no count stated, nothing says it is no camera
    assert _type(engine, services("device", "display", "media", "receiver", video_sources=1)) == (
        "camera",
        True,
    )
    assert _type(engine, services("device", "display", "media", "receiver")) == ("camera", True)


def test_an_access_control_unit(engine: Engine) -> None:
    assert _type(engine, services("accesscontrol", "device", "doorcontrol", "events")) == (
        "access_control",
        False,
    )
    assert _type(engine, services("device", "doorcontrol")) == ("access_control", False)
    # a door station with video (Media beside Door Control) is left as before: nothing here tells its kind
    assert _type(engine, services("device", "doorcontrol", "media")) == ("camera", True)


def test_a_recorder_is_a_weak_candidate(engine: Engine) -> None:
    ident = engine.identify([INFO, services("device", "media", "receiver", "recording", "replay", "search")])
    assert (ident.device_type, ident.is_camera) == ("nvr", True)
    assert ident.conflicts["device_type"] == ["camera"]  # weak: the prior is outvoted, not set aside
    assert ident.field_confidence["device_type"] < 0.4


def test_a_receiver_with_no_consumer_is_no_camera_and_no_type(engine: Engine) -> None:
    assert _type(engine, services("device", "events", "receiver")) == (None, False)


def test_answers_of_one_host_are_one_statement(engine: Engine) -> None:
    """ "No Media" means no answer listed Media: GetCapabilities naming Media keeps a GetServices list without it
    from typing a decoder."""
    with_media = services("device", "media", answer="GetCapabilities")
    assert _type(engine, services("device", "display", "receiver"), with_media) == ("camera", True)
    ident = engine.identify(
        [INFO, services("device", "display", "receiver"), services("display", answer="GetCapabilities")]
    )
    assert ident.device_type == "decoder"
    assert (
        sum(
            ev.kind == "onvif_services" and ev.asserts.get("device_type") == "decoder"
            for ev in ident.evidence
        )
        >= 1
    )


def test_stronger_type_evidence_still_wins(engine: Engine) -> None:
    # a product line outranks every type signature: a Hikvision DS-2CD camera model with a decoder's services
    info = Observation("onvif_device_info", {"manufacturer": "HIKVISION", "model": "DS-2CD2385G1-I"}, port=80)
    ident = engine.identify([info, services("device", "display", "receiver")])  # invented combination
    assert ident.device_type == "camera"


def test_the_video_only_maker_prior_is_set_aside_by_a_receiver_without_consumer() -> None:
    kb = load_knowledge()
    maker = next(v.name for v in kb.vendors.vendors.values() if kb.vendors.is_video_only(v.name))
    sigs = SignatureSet([s for s in kb.signatures if s.id != PRIOR], kb.signatures.registry)
    engine = Engine(replace(kb, signatures=sigs))
    info = Observation("onvif_device_info", {"manufacturer": maker, "model": "X-100"}, port=80)
    assert engine.identify([info]).device_type == "camera"  # engine.video_only_maker
    ident = engine.identify([info, services("device", "receiver")])
    assert ident.device_type is None


def test_sets_aside_names_known_priors(tmp_path: Path) -> None:
    kb = load_knowledge()
    (tmp_path / "x.yaml").write_text(
        "signatures:\n"
        "  - id: test.services.x\n"
        "    kind: onvif_services\n"
        "    fields: {services: '\\bdisplay\\b'}\n"
        "    asserts: {device_type: decoder}\n"
        "    weight: 0.6\n"
        "    sets_aside: [no.such.signature]\n"
        "    source: invented\n"
        "    examples: [{value: {services: [display]}, expect: {device_type: decoder}}]\n"
    )
    with pytest.raises(DataError, match=r"sets_aside 'no\.such\.signature'"):
        SignatureSet.load(tmp_path, kb.vendors, kb.device_types)


def test_odd_values_given_to_identify_are_merged_without_failing(engine: Engine) -> None:
    # `camscan identify` input is any JSON: a number where the list of services belongs used to raise TypeError
    odd = Observation("onvif_services", {"answer": "GetServices", "services": 5, "namespaces": 3}, port=80)
    assert _type(engine, odd, services("device", "display", "receiver")) == ("decoder", False)
