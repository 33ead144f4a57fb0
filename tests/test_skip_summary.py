"""The one line every pytest run ends with (tests/conftest.py): how many tests were skipped and why."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, skip_summary


def skipped(reason: str) -> pytest.TestReport:
    return pytest.TestReport(
        nodeid="tests/x.py::t", location=("tests/x.py", 1, "t"), keywords={}, outcome="skipped",
        longrepr=("tests/x.py", 1, f"Skipped: {reason}"), when="setup",
    )  # fmt: skip


def test_reasons_are_counted_most_frequent_first() -> None:
    reports = [skipped("not root"), skipped("needs Debian's chromium package"), skipped("not root")]
    assert skip_summary(reports) == "skipped: 3 (not root: 2; needs Debian's chromium package: 1)"


def test_files_of_one_missing_folder_count_as_one_reason() -> None:
    reports = [
        skipped(f"{ROOT}/../shared/reference/devices/IoT_Sentinel/D-LinkCam is not available"),
        skipped(f"{ROOT}/../shared/reference/devices/nDPI/rtsp.pcap is not available"),
        skipped("../shared/reference/devices is not available"),
    ]
    assert skip_summary(reports) == "skipped: 3 (../shared/reference/… is not available: 3)"


def test_nothing_skipped_is_said_too() -> None:
    assert skip_summary([]) == "skipped: 0"
