"""A broken data file is a clear error naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.knowledge import load_knowledge
from tests.conftest import FIXTURES, run_camscan


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", dest)
    return dest


def write_sig(data: Path, body: str) -> None:
    (data / "signatures" / "extra.yaml").write_text("signatures:\n" + body, encoding="utf-8")


GOOD = """  - id: x.http_server.y
    kind: http_server
    pattern: '^Y$'
    asserts: {manufacturer: Hikvision}
    weight: 0.5
    source: test
    examples: [{value: Y, expect: {manufacturer: Hikvision}}]
"""


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (("examples: [{value: Y, expect: {manufacturer: Hikvision}}]", ""), "needs at least one example"),
        (("kind: http_server", "kind: http_banner"), "is not an observation kind"),
        (("'^Y$'", "'^(Y$'"), "not a valid regular expression"),
        (
            ("{manufacturer: Hikvision}\n    weight", "{manufacturer: Hikvizion}\n    weight"),
            "not a canonical vendor",
        ),
        (("weight: 0.5", "weight: 1.5"), "'weight' must be a number"),
        (("source: test", "source: ''"), "needs a 'source'"),
        (("pattern: '^Y$'", "pattern: '^(?P<colour>Y)$'"), "not identity fields"),
        (
            ("asserts: {manufacturer: Hikvision}", "asserts: {vendor_name: Hikvision}"),
            "not an identity field",
        ),
        (("pattern: '^Y$'", "fields: {a: b}"), "'fields' is for object kinds"),
    ],
)
def test_bad_signature_names_file_and_entry(data_copy, mutation, message):
    old, new = mutation
    write_sig(data_copy, GOOD.replace(old, new))
    with pytest.raises(DataError) as info:
        load_knowledge(data_copy)
    text = str(info.value)
    assert "extra.yaml" in text
    assert message in text


def test_duplicate_signature_id(data_copy):
    write_sig(data_copy, GOOD.replace("x.http_server.y", "hikvision.http_server.app_webs"))
    with pytest.raises(
        DataError,
        match=r"http\.yaml: signature 'hikvision.http_server.app_webs': id already used in extra\.yaml",
    ):
        load_knowledge(data_copy)


def test_invalid_yaml_names_line(data_copy):
    (data_copy / "vendors.yaml").write_text("vendors:\n  - name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"vendors\.yaml: line \d+: not valid YAML"):
        load_knowledge(data_copy)


def test_vendor_alias_clash(data_copy):
    text = (data_copy / "vendors.yaml").read_text()
    (data_copy / "vendors.yaml").write_text(
        text.replace("aliases: [AXIS, Axis Communications]", "aliases: [AXIS, Hikvision]")
    )
    with pytest.raises(
        DataError, match="vendor 'Axis': name or alias 'Hikvision' is also used by vendor 'Hikvision'"
    ):
        load_knowledge(data_copy)


def test_unknown_parent(data_copy):
    text = (data_copy / "vendors.yaml").read_text()
    (data_copy / "vendors.yaml").write_text(
        text.replace("parent: {vendor: CETC,", "parent: {vendor: Nobody,")
    )
    with pytest.raises(DataError, match="vendor 'Hikvision': refers to unknown vendor 'Nobody'"):
        load_knowledge(data_copy)


def test_bad_oui(data_copy):
    text = (data_copy / "vendors.yaml").read_text()
    (data_copy / "vendors.yaml").write_text(text.replace("[C42F90,", "[C42F9,"))
    with pytest.raises(DataError, match="OUI prefix 'C42F9' must be 6, 7 or 9 hex digits"):
        load_knowledge(data_copy)


def test_concern_with_unknown_vendor(data_copy):
    text = (data_copy / "concerns.yaml").read_text()
    (data_copy / "concerns.yaml").write_text(
        text.replace("applies_to: [Hikvision, Dahua]", "applies_to: [Hikvision, Dahwa]")
    )
    with pytest.raises(DataError, match="concern 'ndaa-s889': names vendor 'Dahwa'"):
        load_knowledge(data_copy)


def test_failing_example_is_reported_by_signatures_test(data_copy):
    write_sig(data_copy, GOOD.replace("expect: {manufacturer: Hikvision}", "expect: {manufacturer: Dahua}"))
    result = run_camscan("signatures", "test", env={"CAMSCAN_DATA": str(data_copy)})
    assert result.returncode == 1
    assert (
        "extra.yaml: signature 'x.http_server.y': example 1 expected manufacturer 'Dahua', got 'Hikvision'"
        in result.stdout
    )


def test_shadowing_is_reported(data_copy):
    write_sig(
        data_copy,
        GOOD.replace("'^Y$'", "'App-webs'")
        .replace("{manufacturer: Hikvision}\n    weight", "{manufacturer: Dahua}\n    weight")
        .replace(
            "value: Y, expect: {manufacturer: Hikvision}", "value: App-webs, expect: {manufacturer: Dahua}"
        ),
    )
    result = run_camscan("signatures", "test", env={"CAMSCAN_DATA": str(data_copy)})
    assert result.returncode == 1
    assert "is also matched by 'hikvision.http_server.app_webs'" in result.stdout


def test_broken_data_on_the_cli_is_one_line_exit_2(data_copy):
    (data_copy / "concerns.yaml").write_text("concerns: 5\n")
    result = run_camscan(
        "identify", input='{"kind":"http_server","value":"x"}\n', env={"CAMSCAN_DATA": str(data_copy)}
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "concerns.yaml: expected a mapping with a 'concerns' list" in result.stderr
    assert "Traceback" not in result.stderr


def test_user_concerns_register_is_merged(tmp_path):
    extra = tmp_path / "policy.yaml"
    extra.write_text("""version: org-1
concerns:
  - id: org-policy-no-dahua
    title: Our policy
    applies_to: [Dahua]
    date: "2025-01-01"
    authority: Our board
    jurisdiction: UK
    category: organisation_policy
    summary: We replace Dahua cameras.
    sources: [{document: Board minute 12}]
""")
    result = run_camscan(
        "identify",
        "--concerns",
        str(extra),
        input='{"kind":"http_server","value":"DahuaHTTP"}\n',
        env={"CAMSCAN_DATA": str(FIXTURES / "data")},
    )
    assert result.returncode == 0, result.stderr
    assert '"concerns": ["ndaa-s889", "org-policy-no-dahua"]' in result.stdout
