"""Identity keys in a device's own API answer (issue 11): signatures/identity_keys.yaml. Every value is invented."""

from __future__ import annotations

import pytest

from camscan.identify.engine import get_engine
from camscan.model import Observation


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _answer(body: str, path: str = "/api/info") -> Observation:
    return Observation("http_path", {"path": path, "status": 200, "headers": {}, "body": body})


def test_keys_name_the_model_and_firmware(engine):
    ident = engine.identify([_answer('<info><modelName>QX-9000</modelName><softwareVersion>1.2.3</softwareVersion></info>')])
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
    ident = engine.identify([
        Observation("onvif_device_info", {"manufacturer": "Quux", "model": "QX-100", "firmware_version": "1.0"}),
        _answer('{"model": "QX-999"}'),
    ])
    assert ident.model == "QX-100"
