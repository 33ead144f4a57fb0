"""Device type from what an answer is, when it names no model and no type (docs/identify.md, "What a device
offers"): a Hikvision ISAPI event-trigger list whose picture events are bound to video input channel 1, and to no
other video input, is a one-input video device, typed camera at the video-source rule's low weight
(`hikvision.http_path.event_triggers_one_video_input`). What the list cannot tell is left untyped, and any
product line outranks it.

Real values: the dev split's pyHik cases (tests/fixtures/real/pyhik-issue-isapi.yaml, read from the corpus file
itself); a Hikvision time-and-attendance terminal's observed answer in a public repository's ISAPI notes
(code-index file id 56722262053), copied verbatim. Composed values are marked so.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from camscan.identify.engine import get_engine
from camscan.model import Observation

RULE = "hikvision.http_path.event_triggers_one_video_input"
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "pyhik-issue-isapi.yaml"

# A Hikvision time-and-attendance terminal (access control), verbatim: "/ISAPI/Event/triggers listed only vmd-1"
TERMINAL_TRIGGERS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<EventTriggerList version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">\n'
    "  <EventTrigger>\n    <id>vmd-1</id>\n    <eventType>VMD</eventType>\n    <EventTriggerNotificationList/>\n"
    "  </EventTrigger>\n</EventTriggerList>\n"
)
# composed from the fields of Hikvision's XML_EventTrigger: motion detection on two video inputs
TWO_INPUTS = (
    '<EventTriggerList version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
    "<EventTrigger><id>VMD-1</id><eventType>VMD</eventType><videoInputChannelID>1</videoInputChannelID></EventTrigger>"
    "<EventTrigger><id>VMD-2</id><eventType>VMD</eventType><videoInputChannelID>2</videoInputChannelID></EventTrigger>"
    "</EventTriggerList>"
)
# composed: a recorder's IP channel, bound only to a dynamic (IP) video input channel
IP_CHANNEL_ONLY = (
    '<EventTriggerList version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
    "<EventTrigger><id>VMD-1</id><eventType>VMD</eventType><dynVideoInputChannelID>1</dynVideoInputChannelID>"
    "</EventTrigger></EventTriggerList>"
)


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _corpus_answer(case_id: str) -> Observation:
    doc = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    assert doc["source"].get("split", "dev") == "dev"  # never a held-out case
    case = next(c for c in doc["cases"] if c["id"] == case_id)
    (obs,) = case["observations"]
    return Observation(obs["kind"], obs["value"], port=80)


def _triggers(body: str) -> Observation:
    return Observation(
        "http_path", {"path": "/ISAPI/Event/triggers", "status": 200, "headers": {}, "body": body}, port=80
    )


def _device_info(model: str) -> Observation:
    # composed: a deviceInfo answer naming only the model (its shape as hikvision.http_path.deviceinfo_* read it)
    body = f'<DeviceInfo version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><model>{model}</model></DeviceInfo>'
    return Observation(
        "http_path", {"path": "/ISAPI/System/deviceInfo", "status": 200, "headers": {}, "body": body}, port=80
    )


def test_a_camera_s_trigger_list_makes_a_weak_camera(engine):
    ident = engine.identify([_corpus_answer("pyhik-2-hikvision-ds-2cd2542fwd-is")])
    assert ident.manufacturer == "Hikvision"
    assert ident.device_type == "camera" and ident.is_camera
    assert ident.field_confidence["device_type"] == pytest.approx(0.3)  # the video-source rule's weight
    assert RULE in {ev.signature for ev in ident.evidence}


def test_a_list_cut_before_the_picture_event_s_channel_types_nothing(engine):
    # the answer ends at VMD-1's <eventType>: only the alarm input (IO) names video input 1, which is no picture event
    ident = engine.identify([_corpus_answer("pyhik-13-hikvision-ds-2cd2135fwd-is")])
    assert ident.manufacturer == "Hikvision"
    assert ident.device_type is None and not ident.is_camera


@pytest.mark.parametrize(
    "body", [TERMINAL_TRIGGERS, TWO_INPUTS, IP_CHANNEL_ONLY], ids=["terminal", "two-inputs", "ip-channel"]
)
def test_look_alikes_are_not_typed_camera(engine, body):
    ident = engine.identify([_triggers(body)])
    assert ident.device_type is None and not ident.is_camera
    assert RULE not in {ev.signature for ev in ident.evidence}


@pytest.mark.parametrize(("model", "kind"), [("DS-KD8003-IME1", "intercom"), ("DS-K1T341", "access_control")])
def test_a_product_line_outranks_it(engine, model, kind):
    """A door station or face terminal binding a picture event to video input 1 is its product line's kind."""
    ident = engine.identify([_corpus_answer("pyhik-2-hikvision-ds-2cd2542fwd-is"), _device_info(model)])
    assert ident.device_type == kind and not ident.is_camera


@pytest.mark.parametrize(
    "body",
    [
        "<EventTrigger>" * 18000,  # never closed
        "<eventType>VMD</eventType>" * 9000,
        ("<eventType>VMD</eventType>" + "<a>" * 20) * 3000,
        "<videoInputChannelID>" + " " * 250_000,
    ],
    ids=["unclosed", "event-types", "tags", "spaces"],
)
def test_a_hostile_answer_of_the_byte_cap_is_read_in_linear_time(engine, body):
    """A 256 KB answer (the scan's byte cap) built to make the rule's regex backtrack is read quickly; the first
    draft of the rule (a tempered `(?:(?!</EventTrigger>).)*?` scan from every trigger) took over a minute here."""
    sig = next(s for s in engine.signatures if s.id == RULE)
    body_regex = dict(sig.fields)["body"]
    started = time.perf_counter()
    assert body_regex.search(body) is None
    assert time.perf_counter() - started < 1.0
