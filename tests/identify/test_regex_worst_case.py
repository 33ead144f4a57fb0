"""Worst-case time of the regexes camscan searches a device's answers with, on adversarial input.

Each pattern is searched in strings built from its own fixed text (read from Python's parse tree of the regex:
camscan.identify.regex_audit): the text repeated, followed by a long run of blanks, of letters and digits, of `-A1`
pieces, as `key=value` lines, one per line, and plain runs of blanks, newlines and digits. A pattern that backtracks
catastrophically on its own pieces shows it here.

Two tiers, so that CI can afford it: EVERY regex (`regex_audit.all_patterns`: every signature's pattern and field
patterns, the readers in code that search whole answers, the parsers' module-level patterns) at 32 KiB, where one
that is slow is measured again at 128 KiB and must grow at most linearly; and the readers of whole answers and the
patterns rewritten for linear time (CHECKED) at the scan's byte cap (256 KiB). The sweep with its numbers is
bench/bench_regex_worst_case.py (docs/benchmarks.md, "Regex worst cases"). The rules with a dedicated hostile test
(the ISAPI event-trigger rule: tests/identify/test_structural_type.py; the key readers at 4 MiB:
tests/identify/test_identity_keys.py) are covered here as well. Add a signature's id prefix to CHECKED when a new
regex reads whole answers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from camscan.identify.engine import get_engine
from camscan.identify.regex_audit import all_patterns, hostile_texts, literals, worst

SIZE = 256 * 1024
#: Signature id prefixes checked: the readers of whole answers added in the 2026-12-06 session.
CHECKED = (
    "vivotek.http_body.getparam_", "vivotek.http_path.getparam_", "vivotek.http_body.vvtk_firmware",
    "vivotek.http_path.vvtk_firmware", "huawei.snmp_sysdescr.vrp_model", "generic.http_path.line_",
    "generic.http_body.line_", "hikvision.http_path.event_triggers_one_video_input", "onvif.services.",
    # 2026-12-06, second part: the serial and build-date key readers, Axis build dates, the scope readers, and
    # the Hikvision namespace rule that "<a " repeated made quadratic (257 s at the cap before its fix)
    "generic.http_path.xml_", "generic.http_path.json_", "axis.http_path.param_build_date",
    "axis.http_path.basicdeviceinfo_build_date", "generic.scopes.", "hikvision.http_path.isapi_namespace",
    # older line readers whose `(?m)^\s*` let a run of newlines make them quadratic (review2: 3.3-5.3 s at 32 KiB,
    # some 200-340 s at the cap) and whose lazy value before `\s*$` made a run of blanks quadratic
    "avtech.http_path.capability", "dahua.http_path.system_info_model", "dahua.http_path.system_info_serial",
    "dahua.http_path.system_info_hardware", "dahua.http_path.system_info_ipc", "dahua.http_path.device_type",
    "dahua.http_path.software_version", "dahua.http_path.serial_no", "dahua.http_path.vendor",
    "onvif.device_info.firmware",
    # found by review2, fixed by the lead: a lazy host name before a run of blanks or &nbsp; (Synology's title, 99+ s
    # at the cap) and a lazy model before trailing blanks (Dahua's updateSerial line, 99+ s at the cap)
    "synology.html_title.diskstation", "dahua.http_path.system_info_update_serial",
    # 2026-12-06 night (review3): the first sweep of EVERY regex (bench/bench_regex_worst_case.py) found these
    # super-linear on their own pieces (0.1-20+ s at 32 KiB, quadratic or worse); rewritten for linear time with
    # the same matches on real answers (bench_transfer: 0 fields changed; the signatures' examples hold)
    "hanwha.http_path.sunapi_deviceinfo_text_firmware", "axis.http_path.param_firmware", "shelly.html_title.device",
    "axis.http_body.live_view", "axis.html_title.model_camera", "avigilon.tls_subject.camera",
    "qnap.tls_subject.default_cert", "bosch.tls_subject.myboschcam", "tvt.http_path.query_dev_info",
    "hikvision.http_path.isapi_deviceinfo_serial_plain", "hikvision.http_path.isapi_deviceinfo_model_plain",
    "dlink.http_path.hnap_settings", "acti.http_body.web_configurator", "hikvision.sdp.streaming_channels_path",
    "avigilon.sdp.default_primary_path", "xiongmai.sdp.user_password_channel_path",
    "recog.aruba_networks.snmp_sysdescr.aruba_os_", "recog.sonicwall.snmp_sysdescr.sonicwall",
    "recog.hpe.html_title.hpe_officeconnect_switch", "recog.mikrotik.snmp_sysdescr.miktorik_routeros",
    "recog.avaya.snmp_sysdescr.avaya_", "recog.siemens.snmp_sysdescr.siemens_hipath_wireless_access_point",
    "recog.polycom.telnet_banner.polycom_video_conferencing_vsx_family", "recog.cisco.telnet_banner.cisco_catalyst_1900",
    "recog.eltex.telnet_banner.eltex_smg_model_voip_gateway_banner_with_model_n",
    "recog.nortel.snmp_sysdescr.nortel_", "recog.adtran.snmp_sysdescr.adtran_totalaccess_date_variant",
    "recog.draytek.snmp_sysdescr.draytek_vigor_router_firmware", "recog.apc.snmp_sysdescr.apc_embedded_powernet",
    "recog.fujitsu.html_title.fujitsu_irmc_bmc", "recog.nortel.telnet_banner.nortel_passport",
    "recog.xyplex.snmp_sysdescr.xyplex_terminal_server", "recog.tasman_networks.telnet_banner.tasman_networks_login",
    "recog.buffalo.telnet_banner.system_is_a_buffalo_melco_embedded_print_server",
    # 2026-12-07 (fwmodel5): Axis parameter lists in every form (dotted with or without root., [Group] sections)
    "axis.http_path.paramlist_", "axis.http_body.paramlist_", "dahua.http_path.rpc2_camera_submodule",
    "dahua.http_body.rpc2_camera_submodule",
    "fortinet.snmp_sysdescr.fortigate_designation", "beward.snmp_sysdescr.model_rev",
    "yihack.http_path.status_home_version", "yihack.http_body.status_home_version",
)  # fmt: skip
#: Measured worst on this machine: 79 ms (onvif.services.receiver_without_consumer on a 256 KiB services text).
BOUND_S = 1.0


def _literals(pattern: re.Pattern[str]) -> list[str]:
    return literals(pattern)


def _hostile(pattern: re.Pattern[str], size: int = SIZE) -> Iterator[tuple[str, str]]:
    return hostile_texts(pattern, size)


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for sig in get_engine().signatures:
        if sig.id.startswith(CHECKED):
            found += [(f"{sig.id}:{name}", p) for name, p in sig.fields]
            found += [(sig.id, sig.pattern)] if sig.pattern is not None else []
    return found


def test_every_checked_prefix_names_signatures() -> None:
    ids = [name for name, _ in _patterns()]
    assert all(any(i.startswith(prefix) for i in ids) for prefix in CHECKED)


@pytest.mark.parametrize(("name", "pattern"), _patterns(), ids=[name for name, _ in _patterns()])
def test_regex_is_fast_on_its_own_pieces_at_the_byte_cap(name: str, pattern: re.Pattern[str]) -> None:
    for what, text in _hostile(pattern):
        started = time.process_time()
        pattern.search(text)
        elapsed = time.process_time() - started
        assert elapsed < BOUND_S, f"{name} took {elapsed:.2f} s on {what} ({len(text)} characters)"


# ------------------------------------------------------------------------------------------- every regex
#: The size every regex is tried at, and the size a slow one is measured again at (four times longer).
SMALL, LARGER = 32 * 1024, 128 * 1024
#: A regex whose worst time at SMALL is under this is not measured again (noise dominates below it; a quadratic
#: regex that takes 1 s at the 256 KiB cap takes about 16 ms at 32 KiB).
SLOW_AT_SMALL_S = 0.002
#: At LARGER a linear regex takes about 4 times its time at SMALL, a quadratic one 16 times.
GROWTH = 8.0


def _worst(name: str, pattern: re.Pattern[str], size: int) -> tuple[float, str]:
    return worst(name, pattern, size, clock=time.process_time)


def test_every_regex_is_linear_on_its_own_pieces() -> None:
    """Every regex (1,850 or so) at 32 KiB; one that takes over 2 ms there is measured at 128 KiB and must grow
    linearly (a quadratic one grows 16-fold) and stay under the bound. The first sweep of every regex found 38
    signatures over 0.1 s at 32 KiB that no earlier test covered (Recog's cisco_catalyst_1900 among them)."""
    slow: list[str] = []
    for name, pattern in all_patterns(get_engine()):
        small, _ = _worst(name, pattern, SMALL)
        if small < SLOW_AT_SMALL_S:
            continue
        larger, what = _worst(name, pattern, LARGER)
        if larger > BOUND_S or larger > GROWTH * small + 0.01:
            slow.append(
                f"{name}: {small * 1000:.1f} ms at 32 KiB, {larger * 1000:.1f} ms at 128 KiB on {what}"
            )
    assert not slow, "super-linear on their own pieces:\n" + "\n".join(slow)


# ------------------------------------------------------------------------------------------- readers in code
def _reader_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The regexes of the readers that live in code, not in signatures and searched through whole texts: kind words
    (every field format) and dotted legal forms. (The written build dates, firmware._NUMERIC_DATE and _MONTH_DATE,
    are only fullmatched on one value: test_written_dates_are_fast; trailing legal forms: test_legal_forms_…)"""
    from camscan.identify import kind_words, vendors

    named = {
        f"kind_words.{name}": getattr(kind_words, name)
        for name in ("_XML_ELEMENT", "_JSON_PAIR", "_LINE_PAIR", "_REALM", "_RDN", "_SCOPES", "_UPNP_PRODUCT", "_URN", "_TOKEN")
    }  # fmt: skip
    named["vendors._DOTTED"] = vendors._DOTTED
    return sorted(named.items())


@pytest.mark.parametrize(
    ("name", "pattern"), _reader_patterns(), ids=[name for name, _ in _reader_patterns()]
)
def test_a_reader_regex_is_linear_at_the_byte_cap(name: str, pattern: re.Pattern[str]) -> None:
    """Every match is taken (the readers use finditer and sub), so a pattern that rescans the rest of the text from
    each start shows here too: kind_words' XML element reader took 425 s on "<a>" and 64 KiB of blanks, its
    key=value reader 45 s on 64 KiB of newlines, before their fix."""
    for what, text in _hostile(pattern):
        started = time.process_time()
        for _ in pattern.finditer(text):
            pass
        elapsed = time.process_time() - started
        assert elapsed < BOUND_S, f"{name} took {elapsed:.2f} s on {what} ({len(text)} characters)"


def _firmware_texts() -> Iterator[tuple[str, str, str]]:
    """(scheme, what, text): each scheme's examples followed by its own pieces, at the longest value a signature
    keeps (camscan.identify.signatures.MAX_FIELD_LEN), ending in a character no scheme takes."""
    from camscan.identify.signatures import MAX_FIELD_LEN

    for scheme in get_engine().knowledge.firmware.schemes:
        pieces = [*_literals(scheme.pattern), ".", " ", "_", "0"]
        for ex in scheme.examples:
            for piece in pieces:
                text = (str(ex["value"]) + piece * MAX_FIELD_LEN)[: MAX_FIELD_LEN - 1] + "!"
                yield scheme.id, f"{ex['value']!r} then {piece!r}", text


def test_every_firmware_scheme_is_fast_on_its_own_pieces() -> None:
    """A firmware string is whatever a device reports (up to MAX_FIELD_LEN characters) and every scheme is tried on
    every firmware: the XiongMai scheme's `(?:\\.+(?:[0-9A-F]*|…))*` took exponential time on a run of dots (1.2 s
    for 24 dots, four times longer for every two more) before it was made possessive."""
    schemes = {s.id: s.pattern for s in get_engine().knowledge.firmware.schemes}
    for scheme, what, text in _firmware_texts():
        started = time.process_time()
        schemes[scheme].fullmatch(text)
        elapsed = time.process_time() - started
        assert elapsed < BOUND_S, f"firmware scheme {scheme} took {elapsed:.2f} s on {what}"


def test_written_dates_are_fast() -> None:
    from camscan.identify import firmware

    for pattern in (firmware._NUMERIC_DATE, firmware._MONTH_DATE):
        for what, text in _hostile(pattern):
            started = time.process_time()
            firmware.written_date(text)
            elapsed = time.process_time() - started
            assert elapsed < BOUND_S, f"written_date took {elapsed:.2f} s on {what} ({len(text)} characters)"


@pytest.mark.parametrize(
    "name", ["Co. " * 16384 + "x", "Co. " * 16384, "S.A. " * 13107, " " * 65536, "Acme" + ", Ltd." * 10922]
)
def test_legal_forms_are_stripped_in_linear_time(name: str) -> None:
    """A maker's name of nothing but legal forms (a device's answer: any length before the signatures' cut) took
    exponential time in CompanyWords.display before one form at a time was stripped: 0.3 s for 16 "Co. ", four
    times longer for every two more (the 0.x regex `(?:[\\s,.;&]*(?<!\\w)(?:forms)\\.?)+\\s*$`)."""
    from camscan.identify.vendors import shipped_company_words

    started = time.process_time()
    shipped_company_words().display(name)
    elapsed = time.process_time() - started
    assert elapsed < BOUND_S, f"display took {elapsed:.2f} s on {name[:20]!r}… ({len(name)} characters)"


@pytest.mark.parametrize(
    "body",
    [
        "<title" * 87381,
        "<title>" * 37449,
        "<TITLE x=1>" + " " * SIZE,
        "<title>" + "</title " * 32768,
        "</title" * 37449,
    ],
)
def test_the_page_title_is_read_in_linear_time(body: str) -> None:
    """camscan.parse.http.html_title reads every HTML body a scan gets: its regex `<title[^>]*>(.*?)</title\\s*>`
    rescanned the rest of the body from every "<title" with no `>` after it (0.33 s on 32 KiB, quadratic); it now
    finds the first opening tag, its `>` and the closing tag once each (the same title: 200,000 random tag soups)."""
    from camscan.parse.http import html_title

    started = time.process_time()
    html_title(body)
    elapsed = time.process_time() - started
    assert elapsed < BOUND_S, f"html_title took {elapsed:.2f} s on {body[:12]!r}… ({len(body)} characters)"


# ------------------------------------------------------------------------------------------- nmap's lines
def test_nmap_lines_are_fast_on_a_hostile_banner_at_the_byte_cap() -> None:
    """nmap's service-probe lines (PCRE with nmap's match limits, run here by Python's `re`, which has none) read a
    device's `Server:` value or greeting inside the response camscan rebuilds, cut to nmap_probes.MAX_PART. Uncut,
    the Tridium Niagara line took 4 s on a 32 KiB value built from its own pieces (quadratic: minutes at the cap);
    every line, given hostile texts of the byte cap, must stay under the bound."""
    from camscan.identify import nmap_probes
    from camscan.identify.regex_audit import nmap_patterns

    database = nmap_probes.database()
    if database is None:
        pytest.skip("nmap's nmap-service-probes is not installed")
    patterns = nmap_patterns(database)
    assert len(patterns) > 1000, "the installed nmap's probes camscan tries"
    slow = []
    for name, pattern in patterns:
        took, what = _worst(name, pattern, SIZE)
        if took > BOUND_S:
            slow.append(f"{name}: {took:.2f} s on {what}")
    assert not slow, "\n".join(slow)


def test_rebuilt_response_cuts_each_piece_of_the_answer() -> None:
    from camscan.identify import nmap_probes

    hostile = "Niagara-Platform: " + "x" * SIZE
    for kind in nmap_probes.KIND_PROBES:
        rebuilt = nmap_probes.response(
            kind, hostile, {"html_title": hostile, "http_www_authenticate": hostile}
        )
        assert rebuilt is not None
        assert len(rebuilt) < 4 * nmap_probes.MAX_PART, kind
    uncut = nmap_probes.response("http_server", hostile, max_part=None) or ""
    assert len(uncut) > SIZE
    assert nmap_probes.response("http_server", "  Boa/0.94  ") == nmap_probes.response(
        "http_server", "Boa/0.94"
    )
