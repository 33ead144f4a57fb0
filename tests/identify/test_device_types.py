"""The one device-type vocabulary (vendor_signatures/device_types.yaml): loading, synonyms, and the checks every
data file and the real-device corpus go through."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from camscan.errors import DataError
from camscan.identify.corpus import Scorer, load_corpus
from camscan.identify.device_types import DeviceTypes, load_device_types
from camscan.identify.engine import get_engine
from camscan.identify.knowledge import DEFAULT_DATA_DIR, load_knowledge
from camscan.identify.nmap_probes import NmapRules
from camscan.identify.signatures import Signature, compile_signature
from camscan.identify.vendors import VendorRegistry
from camscan.model import CAMERA_TYPES

VOCAB = DEFAULT_DATA_DIR / "device_types.yaml"


@pytest.fixture(scope="module")
def vocab() -> DeviceTypes:
    return load_device_types(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(DEFAULT_DATA_DIR)


def test_every_word_has_a_meaning_and_the_camera_words_are_is_cameras(vocab):
    assert len(vocab) >= 100
    assert all(w.meaning for w in vocab)
    assert {w.word for w in vocab if w.video_surveillance} == set(CAMERA_TYPES)
    # no synonym turns another class into a video-surveillance one
    for w in vocab:
        if w.video_surveillance:
            assert not set(w.synonyms) & {"tv_recorder", "video_phone", "video_conferencing", "webcam"}


@pytest.mark.parametrize(
    ("said", "word"),
    [
        ("nas", "nas"),
        ("storage", "nas"),
        ("Storage", "nas"),
        ("VoIP Phone", "voip"),
        ("video_phone", "voip"),
        ("WLAN Repeater", "access_point"),
        ("dimmer", "light_switch"),
        ("kettle", "appliance"),
        ("iot", "unknown"),
        ("toaster", None),
        ("gateway", None),  # a router, a VoIP gateway or a smart-home hub: deliberately no synonym
        ("bridge", None),
        ("", None),
    ],
)
def test_synonyms_normalise_to_their_word(vocab, said, word):
    assert vocab.canonical(said) == word


def test_shipped_data_states_only_vocabulary_words(kb, vocab):
    """Every device type the engine can answer with is a word of the vocabulary (not a synonym, not `unknown`)."""
    said = {s.asserts["device_type"] for s in kb.signatures if "device_type" in s.asserts}
    said |= {line.device_type for line in kb.product_lines}
    said |= {r.device_type for r in kb.nmap_rules.types.values()}
    said |= {word for r in kb.nmap_rules.types.values() for _, word in r.refine}
    said |= {kb.video_sources.device_type}
    said = {w for w in said if not w.startswith("{")}
    assert said <= set(vocab.words)
    assert all(vocab.scored(w) for w in said)
    # the ones CONTRACT.md names are there
    assert {
        "camera",
        "nvr",
        "dvr",
        "encoder",
        "vms",
        "intercom",
        "access_control",
        "printer",
        "router",
        "nas",
    } <= said


def matched(sig: Signature, text: str, vendors: VendorRegistry) -> dict[str, str]:
    """The values `sig` reads from `text`, which it must match."""
    m = sig.match(text, vendors)
    assert m is not None, text
    return m.values


def _signature(device_type: str, **more: str) -> dict[str, Any]:
    return {
        "id": "t.sig",
        "kind": "http_server",
        "pattern": r"^Acme(?:/(?P<device_type>\w+))?$",
        "asserts": {"device_type": device_type, **more},
        "weight": 0.5,
        "source": "test (invented)",
        "examples": [{"value": "Acme", "expect": {"device_type": device_type}}],
    }


def test_a_signature_with_an_unknown_word_is_a_data_error_naming_file_and_entry(kb):
    with pytest.raises(DataError) as info:
        compile_signature(Path("http.yaml"), _signature("toaster"), kb.vendors, kb.device_types)
    text = str(info.value)
    assert "http.yaml" in text and "signature 't.sig'" in text
    assert "device_type 'toaster' is not a word of the device-type vocabulary" in text


def test_a_signature_may_not_assert_unknown(kb):
    with pytest.raises(DataError, match="for corpus truths only"):
        compile_signature(Path("http.yaml"), _signature("unknown"), kb.vendors, kb.device_types)


def test_a_signature_synonym_is_read_as_its_word_and_so_is_its_example(kb):
    sig = compile_signature(Path("recog.yaml"), _signature("storage"), kb.vendors, kb.device_types)
    assert sig.asserts["device_type"] == "nas"
    assert sig.examples[0]["expect"]["device_type"] == "nas"
    assert matched(sig, "Acme", kb.vendors)["device_type"] == "nas"


def test_a_type_a_device_states_through_a_named_group_is_read_through_the_vocabulary(kb):
    raw = _signature("{device_type}")
    raw["examples"] = [{"value": "Acme/NVR", "expect": {"device_type": "nvr"}}]
    sig = compile_signature(Path("http.yaml"), raw, kb.vendors, kb.device_types)
    assert matched(sig, "Acme/NVR", kb.vendors)["device_type"] == "nvr"
    assert matched(sig, "Acme/Storage", kb.vendors)["device_type"] == "nas"
    assert "device_type" not in matched(sig, "Acme/Toaster", kb.vendors)  # no word: no type
    # `unknown` and its synonyms are for corpus truths only: a device saying "IoT" states no type camscan reports
    assert "device_type" not in matched(sig, "Acme/IoT", kb.vendors)
    assert "device_type" not in matched(sig, "Acme/Unknown", kb.vendors)


def test_nmap_rules_are_checked(tmp_path):
    path = tmp_path / "nmap_device_types.yaml"
    path.write_text(
        "version: t\nsource: test\nos_not_makers: [linux]\ndevice_types:\n  bridge: {device_type: bridge}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DataError, match=r"nmap_device_types\.yaml: device type 'bridge': device_type 'bridge'"
    ):
        NmapRules.load(path)
    path.write_text(
        "version: t\nsource: test\nos_not_makers: [linux]\ndevice_types:\n  WAP: {device_type: wlan_repeater}\n",
        encoding="utf-8",
    )
    assert NmapRules.load(path).types["WAP"].device_type == "access_point"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("synonyms: [wlan_repeater]", "synonyms: [wlan_repeater, router]"),
            "synonym 'router' is a word of its own",
        ),
        (
            ("    synonyms: [dimmer]", "    synonyms: [dimmer, storage]"),
            "'storage' is already a synonym of 'nas'",
        ),
        (
            ("video_surveillance: true}", "video_surveillance: false}"),
            "must be exactly the types is_camera counts",
        ),
        (("  plug: {", "  Plug: {"), "one lowercase word"),
    ],
)
def test_a_broken_vocabulary_is_a_clear_error(tmp_path, change, message):
    text = VOCAB.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "device_types.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        DeviceTypes.load(path)


def test_a_data_directory_without_a_vocabulary_uses_the_shipped_one(tmp_path):
    assert load_device_types(tmp_path).path == VOCAB.resolve()


# ------------------------------------------------------------------------------------------------ the corpus

CASE = """source: {{repo: example/repo}}
cases:
  - id: t-case
    category: non_camera
    where: somewhere
    observations:
      - {{kind: http_server, value: nothing-known/1.0}}
    truth: {{device_type: {word}, is_camera: false}}
    verbatim: true
"""


def _corpus(tmp_path: Path, word: str) -> Path:
    directory = tmp_path / "corpus"
    directory.mkdir(exist_ok=True)
    (directory / "t.yaml").write_text(CASE.format(word=word), encoding="utf-8")
    return directory


def test_a_corpus_truth_must_be_a_vocabulary_word(tmp_path):
    with pytest.raises(DataError, match=r"t\.yaml: case 't-case': truth device_type 'toaster' is not a word"):
        load_corpus(_corpus(tmp_path, "toaster"))


def test_a_corpus_truth_in_a_synonym_asks_for_the_word_and_an_audit_line(tmp_path):
    with pytest.raises(DataError, match=r"'storage' is a synonym of 'nas'.*audit line"):
        load_corpus(_corpus(tmp_path, "storage"))


def test_an_unknown_truth_is_not_scored_for_device_type(tmp_path):
    (case,) = load_corpus(_corpus(tmp_path, "unknown"))
    right = Scorer(get_engine()).right(case, get_engine().identify(case.observations))
    assert "device_type" not in right and right["is_camera"] is True
    (case,) = load_corpus(_corpus(tmp_path, "nas"))
    assert Scorer(get_engine()).right(case, get_engine().identify(case.observations))["device_type"] is False


def test_every_shipped_corpus_truth_is_a_word(vocab):
    from tests.conftest import ROOT

    cases = load_corpus(ROOT / "tests" / "fixtures" / "real")
    words = {c.truth["device_type"] for c in cases}
    assert words <= set(vocab.words)


def test_video_sources_and_probes_are_checked(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    path = data / "video_sources.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  device_type: camera\n", "  device_type: cam\n", 1),
        encoding="utf-8",
    )
    from camscan.identify.video_sources import VideoSources

    with pytest.raises(DataError, match=r"video_sources\.yaml: live_stream: device_type 'cam'"):
        VideoSources.load(path)
    from camscan.datafile import load_yaml
    from camscan.probe.endpoints import parse_endpoints

    doc = load_yaml(DEFAULT_DATA_DIR / "probes.yaml", "probes")
    with_type = next(e for e in doc["endpoints"] if e["when"].get("device_type"))
    bad = {**doc, "endpoints": [{**with_type, "when": {**with_type["when"], "device_type": ["recorder"]}}]}
    with pytest.raises(DataError, match="when device_type 'recorder' is not a word"):
        parse_endpoints(data / "probes.yaml", bad)


def test_the_corpus_command_reads_truths_with_the_data_directorys_vocabulary(tmp_path):
    """`camscan signatures test --corpus-dir` with $CAMSCAN_DATA: the truths are checked against the vocabulary the
    engine answers in (that data directory's), not the shipped one — one vocabulary per run."""
    from tests.conftest import run_camscan

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    with (data / "device_types.yaml").open("a", encoding="utf-8") as f:
        f.write('  toaster: {meaning: "an invented class, for this test"}\n')
    done = run_camscan(
        "signatures",
        "test",
        "--corpus-dir",
        str(_corpus(tmp_path, "toaster")),
        "--json",
        env={"CAMSCAN_DATA": str(data), "CAMSCAN_NMAP_SERVICE_PROBES": "off"},
    )
    assert "not a word of the device-type vocabulary" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
