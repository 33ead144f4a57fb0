"""The prefiltered first match of nmap's service-probe lines equals the straightforward one (issue 11, performance).

`ProbeDatabase.first` tries only the lines whose prefilter a response passes (a fixed text from the regex's parse
tree, found through an index of 4-character pieces) and compiles a line when a response first reaches it;
`ProbeDatabase.first_every_line` compiles every line of the probe and tries them in nmap's order. These tests
prove the two give the same Hit: over an invented file with the constructs a prefilter could get wrong, over
strings generated from the installed nmap's own regexes, and over every banner camscan has at hand (the lab's
profiles, the corpus, the signatures' examples, the example hosts) as every kind of response.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camscan.identify import nmap_probes
from camscan.identify.corpus import load_corpus
from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge
from camscan.model import Observation

ROOT = Path(__file__).resolve().parents[2]
LATIN1 = st.characters(max_codepoint=0xFF)

# INVENTED lines in nmap-service-probes format: each exercises a construct the prefilter must read right.
TRICKY = r"""# invented test file
Probe TCP NULL q||
match ftp m|^220 (?:Opt-ftpd )?Core ftpd\r\n| p/optional part/ cpe:/h:acme:core/
match ftp m=^220 Alt\r\n|Alt2-ftpd= p/top-level alternation/ d/webcam/
match ftp m|^220 (?i:Scoped) ftpd| p/scoped case/
match ftp m|(?i)^220 welcome TO Folded| p/inline case/
match ftp m|^220 SHOUT ftpd (\w+)|i p/flag case $1/
match ftp m|^220 (?:ab)+ repeated| p/repeated group/
match ftp m|^220 (\w+) \1 twice| p/back-reference/
match ftp m|(?<=\d+)x lookbehind| p/parsed but not compiled/
match ftp m|^220 x lookbehind| p/after the uncompilable line/
match ftp m|^2[0-9]{2} \S+ ready\.\r\n| p/no fixed text worth a piece/
match ftp m|^220 Caf\xe9 ftpd\r\n| p/latin-1 byte/
match ftp m|^220 (?m:^)Multi| p/scoped multiline/
match ftp m|^220 .* end\z| p/end anchor/
match ftp m|^220 Boa$| p/anywhere late/
softmatch ftp m|^220 |
Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|
match http m|^HTTP/1\.1 200 OK\r\nServer: Only-11\r\n| p/HTTP 1.1 only/
match http m|^HTTP/1\.0 302 Found\r\n| p/never a rebuilt status/
match http m=^HTTP/1\.0 302 Found\r\n|Server: Branchy= p/alternation after a status line/
match http m|^HTTP/1\.[01] \d\d\d .*\r\nServer: Two-Step/([\d.]+)\r\n|s p/two step/ v/$1/
match http m|\r\nwww-authenticate: basic realm="Kam"|i p/realm/ d/webcam/ cpe:/h:kam:kam/
match http m|<title>Kam [Vv]iewer</title>| p/title/
"""

TRICKY_RESPONSES = [
    ("ftp_banner", "220 Core ftpd\r\n"),
    ("ftp_banner", "220 Opt-ftpd Core ftpd\r\n"),
    ("ftp_banner", "220 Alt\r\n"),
    ("ftp_banner", "999 whatever Alt2-ftpd here\r\n"),
    ("ftp_banner", "220 scoped ftpd\r\n"),
    ("ftp_banner", "220 SCOPED ftpd\r\n"),
    ("ftp_banner", "220 Welcome to folded\r\n"),
    ("ftp_banner", "220 shout FTPD x1\r\n"),
    ("ftp_banner", "220 ababab repeated\r\n"),
    ("ftp_banner", "220 repeated\r\n"),
    ("ftp_banner", "220 moo moo twice\r\n"),
    ("ftp_banner", "220 x lookbehind\r\n"),
    ("ftp_banner", "2 x lookbehind 220 x lookbehind\r\n"),
    ("ftp_banner", "230 host ready.\r\n"),
    ("ftp_banner", "220 Caf\xe9 ftpd\r\n"),
    ("ftp_banner", "220 CAF\xc9 FTPD\r\n"),
    ("ftp_banner", "220 Multi\r\n"),
    ("ftp_banner", "220 a\nb end"),
    ("ftp_banner", "220 a\nb end\r\n"),
    ("ftp_banner", "220 Boa"),
]


@pytest.fixture
def tricky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> nmap_probes.ProbeDatabase:
    path = tmp_path / "nmap-service-probes"
    path.write_text(TRICKY, encoding="latin-1")
    monkeypatch.setenv(nmap_probes.ENV, str(path))
    monkeypatch.setenv("CAMSCAN_NO_CACHE", "1")
    db = nmap_probes.database()
    assert db is not None
    return db


def _tricky_responses() -> list[tuple[str, str]]:
    out = [(k, nmap_probes.latin1(r)) for k, r in TRICKY_RESPONSES]
    for server in ("Only-11", "Branchy", "Two-Step/1.2", "two-step/1.2", "Boa"):
        for headers in ({}, {"http_www_authenticate": 'Basic realm="Kam"'}, {"html_title": "Kam viewer"}):
            out.append(
                (
                    "http_server",
                    nmap_probes.latin1(nmap_probes.response("http_server", server, headers) or ""),
                )
            )
    return out


# ------------------------------------------------------------------------------------------------ needles


@pytest.mark.parametrize(
    ("pattern", "flags", "folded", "runs", "start"),
    [
        (
            r"^HTTP/1\.0 200 OK\r\nServer: Boa/([\d.]+)",
            "",
            False,
            ("HTTP/1.0 200 OK\r\nServer: Boa/",),
            "HTTP/1.0 200 OK\r\nServer: Boa/",
        ),
        (r"^220 (?:Opt )?Core", "", False, ("220 ", "Core"), "220 "),
        (r"^220 Alt|Alt2", "", False, (), None),  # a top-level alternation is no sequence
        (r"^220 (?i:Scoped) ftpd", "", False, ("220 ", " ftpd"), "220 "),
        (r"(?i)^220 Folded", "", True, ("220 Folded",), "220 Folded"),
        (r"^220 x", "i", True, ("220 x",), "220 x"),
        (r"^220 (?:ab)+ r", "", False, ("220 ", "ab", " r"), "220 "),
        (r"^(\w+) \1 t", "", False, (" ", " t"), ""),
        (r"(?m)^220 x", "", False, ("220 x",), None),  # ^ after any newline: not anchored
        (r"\A220 x", "", False, ("220 x",), "220 x"),
        (r"^2[0-9]{2} (x)", "", False, ("2", " x"), "2"),
        (r"^a(bc)d", "", False, ("abcd",), "abcd"),
        (r"(?<x", "", False, None, None),  # Python cannot read it: no prefilter, always tried
    ],
)
def test_needles_are_texts_every_match_contains(
    pattern: str, flags: str, folded: bool, runs: tuple[str, ...] | None, start: str | None
) -> None:
    need = nmap_probes.needles(pattern, flags)
    if runs is None:
        assert need is None
        return
    assert need is not None
    assert (need.folded, need.runs, need.start) == (folded, runs, start)


def test_latin1_characters_match_ignoring_case_only_their_lower_case() -> None:
    # A folded line's fixed text is looked for in the lower-cased response: that is sound only if `re`'s
    # IGNORECASE pairs no two Latin-1 characters whose lower-case forms differ (subjects are Latin-1 text).
    assert all(len(chr(a).lower()) == 1 for a in range(256))  # lower-casing keeps positions and lengths
    for a in range(256):
        rx = re.compile(re.escape(chr(a)), re.IGNORECASE)
        for b in range(256):
            if rx.fullmatch(chr(b)):
                assert chr(a).lower() == chr(b).lower(), (a, b)


@settings(
    max_examples=300, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
@given(st.data())
def test_every_string_a_regex_matches_contains_its_needles(data: st.DataObject) -> None:
    pattern, flags = data.draw(
        st.sampled_from(
            [
                (r"^220 (?:Opt )?Core", ""),
                (r"(?i)^220 Folded (\w+) x", ""),
                (r"^220 (?:ab)+ r", ""),
                (r"^a(bc)d", ""),
                (r"Server: (?i:Mixed)-(\d+)\r\n", ""),
                (r"^HTTP/1\.[01] \d+ .*\r\nServer: Boa", "s"),
                (r"x(?:yz){2,}w", "i"),
            ]
        )
    )
    need = nmap_probes.needles(pattern, flags)
    assert need is not None
    text = data.draw(st.from_regex(re.compile(pattern, nmap_probes._re_flags(flags)), alphabet=LATIN1))
    for run in need.runs:
        assert (run.lower() in text.lower()) if need.folded else (run in text)
    if need.start is not None:
        m = re.search(pattern, text, nmap_probes._re_flags(flags))
        assert m is not None and (m.group(0).lower() if need.folded else m.group(0)).startswith(
            need.start.lower() if need.folded else need.start
        )


# ------------------------------------------------------------------------------------------------ invented file


def test_invented_lines_give_the_first_match_every_line_gives(tricky: nmap_probes.ProbeDatabase) -> None:
    for kind, subject in _tricky_responses():
        assert tricky.first(kind, subject) == tricky.first_every_line(kind, subject), (kind, subject)


def test_invented_lines_first_match_wins_through_the_prefilter(tricky: nmap_probes.ProbeDatabase) -> None:
    def p(kind: str, text: str) -> str | None:
        hit = tricky.match(kind, text)
        return hit.info.get("p") if hit else None

    assert p("ftp_banner", "220 Opt-ftpd Core ftpd\r\n") == "optional part"
    assert (
        p("ftp_banner", "999 whatever Alt2-ftpd here\r\n") == "top-level alternation"
    )  # not pruned by `^220`
    assert p("ftp_banner", "220 SCOPED ftpd\r\n") == "scoped case"
    assert p("ftp_banner", "220 Welcome to folded\r\n") == "inline case"
    assert p("ftp_banner", "220 shout FTPD x1\r\n") == "flag case x1"
    assert p("ftp_banner", "220 x lookbehind\r\n") == "after the uncompilable line"
    assert p("ftp_banner", "220 CAF\xc9 FTPD\r\n") is None and p("ftp_banner", "220 Caf\xe9 ftpd\r\n") is None
    # (the response is UTF-8: é is two bytes, so nmap's \xe9 never matches it, with or without prefilter)
    assert p("http_server", nmap_probes.response("http_server", "Only-11") or "") == "HTTP 1.1 only"
    assert (
        p("http_server", nmap_probes.response("http_server", "Branchy") or "")
        == "alternation after a status line"
    )
    realm = nmap_probes.response("http_server", "x", {"http_www_authenticate": 'BASIC REALM="Kam"'}) or ""
    assert p("http_server", realm) == "realm"
    assert tricky.skipped() == 1  # the lookbehind Python's re reads but cannot compile
    assert tricky.used_lines() == 13 + 5  # 14 ftp lines less the lookbehind; 6 http less the 302 status line


@settings(
    max_examples=200, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
@given(st.data())
def test_invented_lines_agree_on_strings_their_own_regexes_generate(data: st.DataObject) -> None:
    lines, bad = nmap_probes.parse(TRICKY)
    db = nmap_probes.ProbeDatabase(Path("tricky"), "-", lines, bad, 0.0, nmap_probes.prefilters(lines))
    _agree_on_generated(db, data)


def _agree_on_generated(db: nmap_probes.ProbeDatabase, data: st.DataObject) -> None:
    """Draw a line camscan tries, a string its regex matches (prefixed with a status line when the kind's
    responses start with one and the string does not), and compare the two readings."""
    tried = [(kind, line) for kind in nmap_probes.KIND_PROBES for line in db._group(kind).lines]
    kind, line = data.draw(st.sampled_from(tried))
    try:
        regex = re.compile(nmap_probes.to_python(line.pattern), nmap_probes._re_flags(line.flags))
    except re.error:
        return
    subject = data.draw(st.from_regex(regex, alphabet=LATIN1))
    starts = nmap_probes.STARTS.get(kind)
    if starts and not subject.startswith(starts):
        subject = data.draw(st.sampled_from(starts)) + subject
    assert db.first(kind, subject) == db.first_every_line(kind, subject), (kind, line.number, subject)


# ------------------------------------------------------------------------------------------------ installed nmap

installed = pytest.mark.skipif(
    nmap_probes.locate() is None or nmap_probes.database() is None,
    reason="nmap is not installed (no nmap-service-probes): the nmap knowledge is off",
)


@pytest.fixture(scope="module")
def real() -> nmap_probes.ProbeDatabase:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(nmap_probes.ENV, raising=False)
        db = nmap_probes.database()
    assert db is not None
    return db


@installed
@settings(
    max_examples=400, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
@given(st.data())
def test_installed_nmap_lines_agree_on_strings_their_own_regexes_generate(
    real: nmap_probes.ProbeDatabase, data: st.DataObject
) -> None:
    _agree_on_generated(real, data)


def _strings(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        if 0 < len(value) <= 300:
            out.add(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _strings(v, out)


def _banner_hosts() -> list[list[Observation]]:
    """The corpus's cases and the example hosts, as the engine sees them."""
    hosts = [list(case.observations) for case in load_corpus(ROOT / "tests" / "fixtures" / "real")]
    for line in (ROOT / "camscan" / "data" / "example_hosts.jsonl").read_text().splitlines():
        if line.strip():
            hosts.append(
                [
                    Observation(o["kind"], o["value"], host="127.62.0.1", port=o.get("port"))
                    for o in json.loads(line)["observations"]
                ]
            )
    return hosts


@installed
def test_installed_nmap_agrees_on_the_responses_the_engine_builds(
    real: nmap_probes.ProbeDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(nmap_probes.ENV, raising=False)
    seen: set[tuple[str, str]] = set()
    original = nmap_probes.ProbeDatabase.match

    def record(self: nmap_probes.ProbeDatabase, kind: str, response: str) -> nmap_probes.Hit | None:
        seen.add((kind, response))
        return original(self, kind, response)

    monkeypatch.setattr(nmap_probes.ProbeDatabase, "match", record)
    engine = Engine(load_knowledge())
    for observations in _banner_hosts():
        engine.identify(observations)
    assert len(seen) > 100
    hits = 0
    for kind, response in sorted(seen):
        subject = nmap_probes.latin1(response)
        got = real.first(kind, subject)
        assert got == real.first_every_line(kind, subject), (kind, response)
        hits += got is not None
    assert hits > 10  # the comparison is not only of misses


@installed
def test_installed_nmap_agrees_on_every_banner_as_every_kind(real: nmap_probes.ProbeDatabase) -> None:
    values: set[str] = set()
    for path in sorted((ROOT / "camscan" / "lab" / "profiles").glob("*.yaml")):
        _strings(yaml.safe_load(path.read_text(encoding="utf-8")), values)
    for observations in _banner_hosts():
        _strings([o.value for o in observations], values)
    # Examples of the banner kinds only (those the probes read or join): the other kinds' examples (MACs, XML,
    # DHCP options) added 11,700 subjects and not one first-matching line (measured 2026-12-06: the same 101
    # (kind, first line) pairs with and without them; the test took 12.9 s with them, 7.6 s without).
    banner_kinds = {*nmap_probes.KIND_PROBES, *nmap_probes.HEADER_KINDS}
    for sig in load_knowledge().signatures.signatures:
        if sig.kind in banner_kinds:
            _strings([ex.get("value") for ex in sig.examples], values)
    assert len(values) > 1000
    mismatches = []
    for value in sorted(values):
        responses = [(kind, nmap_probes.response(kind, value)) for kind in nmap_probes.KIND_PROBES]
        responses.append(
            (
                "http_server",
                nmap_probes.response(
                    "http_server", value, {"http_www_authenticate": value, "html_title": value}
                ),
            )
        )
        responses.append(
            ("rtsp_server", nmap_probes.response("rtsp_server", value, {"rtsp_www_authenticate": value}))
        )
        for kind, response in responses:
            if response is None:
                continue
            subject = nmap_probes.latin1(response)
            if real.first(kind, subject) != real.first_every_line(kind, subject):
                mismatches.append((kind, response))
    assert mismatches == []


# ------------------------------------------------------------------------------------------------ the cache


def test_cached_prefilters_follow_the_code_they_come_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache entry holds prefilters computed from KIND_PROBES, STARTS and GRAM: a change to any of them is a
    miss, not a hit with prefilters that no longer agree with the code (a stale entry skipped lines it must try)."""
    path = tmp_path / "nmap-service-probes"
    path.write_text(TRICKY, encoding="latin-1")
    monkeypatch.setenv("CAMSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CAMSCAN_NO_CACHE", raising=False)
    nmap_probes._load.cache_clear()
    try:
        before = nmap_probes._load(path)
        assert before is not None and nmap_probes._load(path) is before
        nmap_probes._load.cache_clear()
        # Another status line a rebuilt HTTP response can start with: the 302 line (pruned before) is tried now.
        starts = (*nmap_probes.STARTS["http_server"], "HTTP/1.0 302 Found\r\n")
        monkeypatch.setitem(nmap_probes.STARTS, "http_server", starts)
        after = nmap_probes._load(path)
        assert after is not None
        assert after.prefilters == nmap_probes.prefilters(after.lines) != before.prefilters
    finally:
        nmap_probes._load.cache_clear()
