"""Firmware comparison per vendor scheme (camscan/risk/versions.py): never packaging.version."""

from __future__ import annotations

import pytest

from camscan.risk.versions import Firmware, compare, compare_version, parse, stamp_date


def parsed(scheme: str, text: str, build: str | None = None) -> Firmware:
    """parse(), which must succeed: the comparisons below are about firmware that parses."""
    fw = parse(scheme, text, build)
    assert fw is not None, (scheme, text, build)
    return fw


def cmp(scheme: str, a: str, b: str, basis: str = "version") -> int | None:
    fa, fb = parse(scheme, a), parse(scheme, b)
    assert fa is not None and fb is not None, (a, b)
    return compare(fa, fb, basis)


def test_hikvision_both_spellings_of_build():
    a = parse("hikvision", "V5.5.800build 210628")
    b = parse("hikvision", "V5.4.0 build 160530")
    assert a is not None and b is not None
    assert a.key == (5, 5, 800) and a.date == "2021-06-28"
    assert b.key == (5, 4, 0) and b.date == "2016-05-30"
    assert compare(a, b, "both") == 1


def test_hikvision_split_build_as_the_engine_stores_it():
    fw = parse("hikvision", "V5.6.2", build="build 190701")
    assert fw is not None and fw.key == (5, 6, 2) and fw.date == "2019-07-01"
    fw = parse("hikvision", "V5.6.2", build="190701", built="2019-07-01")
    assert fw is not None and fw.date == "2019-07-01"


def test_hikvision_same_version_other_build_is_ordered_by_date_only_with_both():
    assert cmp("hikvision", "V5.4.0 build 160601", "V5.4.0 build 160530", "both") == 1
    assert cmp("hikvision", "V5.4.0 build 160601", "V5.4.0 build 160530", "version") == 0
    # a version tie with no build date on one side cannot be ordered
    assert compare(parsed("hikvision", "V5.4.0"), parsed("hikvision", "V5.4.0 build 160530"), "both") is None


def test_hikvision_numeric_not_lexical():
    assert cmp("hikvision", "V5.4.10 build 170101", "V5.4.9 build 170101") == 1
    assert cmp("hikvision", "V5.5.800 build 210628", "V5.5.85 build 201120") == 1


def test_dahua_branches_and_build_numbers():
    a = parse("dahua", "V2.800.0000000.6.R.200314")
    b = parse("dahua", "2.800.0000000.13.R")
    c = parse("dahua", "V2.420.AC00.18.R.20200217")
    assert a is not None and b is not None and c is not None
    assert a.branch == ("2", "800", "0000000") and a.key == (6,) and a.date == "2020-03-14"
    assert c.branch == ("2", "420", "AC00") and c.date == "2020-02-17"
    assert compare_version(b, a) == 1  # build 13 after build 6 on one branch (not "13" < "6")
    assert compare_version(a, c) is None  # another branch: no order


def test_dahua_onvif_build_date_form():
    fw = parse("dahua", "2.800.0000000.13.R, Build Date 2021-06-16")
    assert fw is not None and fw.date == "2021-06-16" and fw.key == (13,)


def test_dotted_axis_versions_and_lts_tracks():
    assert cmp("dotted", "9.10.1", "8.20.1") == 1
    assert cmp("dotted", "6.50.2.2", "6.50.2.3") == -1
    assert cmp("dotted", "8.20.1", "8.20.1.0") == 0  # trailing zeros
    assert cmp("dotted", "10.12.182", "9.80.3.8") == 1  # not lexical


def test_dotted_letter_suffix_only_breaks_ties():
    assert cmp("dotted", "2.60B15", "2.60B15") == 0
    assert cmp("dotted", "2.60B14", "2.60B15") == -1
    assert cmp("dotted", "2.50", "2.60B15") == -1
    assert cmp("dotted", "2.60", "2.60B15") is None


def test_xiongmai_rest_is_opaque():
    a = parse("xiongmai", "V5.00.R02.00030747.10010.349f17")
    b = parse("xiongmai", "V5.00.R02.000807D8.10010.346624")
    c = parse("xiongmai", "V4.03.R11.00000117.10001.131900")
    assert a is not None and b is not None and c is not None
    assert a.key == (5, 0, 2)
    assert compare_version(a, b) is None  # same release, other build: unknown order
    assert compare_version(a, c) == 1
    assert compare_version(a, parsed("xiongmai", "V5.00.R02.00030747.10010.349F17")) == 0


def test_opaque_is_equality_only():
    a = parsed("opaque", "FullImg-1023-1007-1011-1009")
    assert compare_version(a, parsed("opaque", "fullimg-1023-1007-1011-1009")) == 0
    assert compare_version(a, parsed("opaque", "FullImg-1031-1011-1011-1010")) is None


@pytest.mark.parametrize(
    ("scheme", "text"),
    [
        ("hikvision", "2.800.0000000.13.R"),
        ("dahua", "V5.4.0 build 160530"),
        ("dotted", "LTS-9.80"),
        ("xiongmai", "9.10.1"),
    ],
)
def test_strings_of_another_scheme_do_not_parse(scheme, text):
    assert parse(scheme, text) is None


def test_build_date_basis_needs_dates():
    assert compare(parsed("dotted", "1.0"), parsed("dotted", "2.0"), "build_date") is None


def test_stamp_dates():
    assert stamp_date("210628") == "2021-06-28"
    assert stamp_date("build 20190312") == "2019-03-12"
    assert stamp_date("2021-06-16") == "2021-06-16"
    assert stamp_date("991399") is None
    assert stamp_date(None) is None


def test_opaque_puts_back_the_build_the_engine_split_off():
    """Reolink firmware `v3.0.0.136_20121102` (Talos, CVE-2021-40407) reaches the matcher as version `v3.0.0.136`
    and build `20121102` when a firmware scheme or signature splits it: still the version the advisory names."""
    named = parsed("opaque", "v3.0.0.136_20121102")
    assert compare_version(parsed("opaque", "v3.0.0.136", "20121102"), named) == 0
    assert compare_version(parsed("opaque", "v3.0.0.136", "20121103"), named) is None
    assert compare_version(parsed("opaque", "v3.0.0.136"), named) is None
