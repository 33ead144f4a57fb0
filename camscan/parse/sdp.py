"""Stream descriptions (SDP, RFC 8866): parsed once into a small typed structure that every reader uses.

An RTSP DESCRIBE answer (`sdp` observation, camscan/parse/rtsp.py) is read by several rules: the services-offered
prior (camscan/identify/video_sources.py: video media, `a=range`, `c=`, `a=control`, `a=rtpmap`), the makers and
models named in free text (maker_words.py: session-level `o=`, `s=`, `i=`, `a=tool`), the kinds named in a
device's answers (kind_words.py: `s=`, `i=`, `a=x-qt-text-nam`/`inf`) and the identity objects (identity_objects.py:
`a=fmtp` parameter lists such as `Mac=…; Model=…; FirmVer=…`). They all read this one structure, with one idea
of a line, of a session-level and a media-level line, and of a format-parameter list:

- A line ends at CRLF, LF or a lone CR (RFC 8866 §5: CRLF, "parsers SHOULD be tolerant and also accept records
  terminated with a single newline character"); other Unicode line separators stay inside a text field. A line
  is stripped of surrounding white space, and is `<type>=<value>` with a one-character, case-significant type
  (`A=range:` is a line of type `A`, no attribute); anything else (binary junk, a line with no `=` in second
  place) is skipped. `v=` and the order of the session lines are not
  required: real devices leave `v=` out, write `IN IPV4`, indent lines and cut bodies short.
- Session-level lines are those before the first `m=` (attributes before any media are session attributes);
  every `m=` line opens a media section that holds the lines after it, up to the next `m=`.
- An attribute `a=<name>[:<value>]` is split at its first `:`; its name is compared without case (devices write
  `a=Range:`). `a=fmtp:<format> <parameters>` (RFC 8866 §6.15) has its parameters split at `;` into ordered
  `key=value` pairs (keys and values stripped; a part without `=` is left out).

Bounds (docs/reliability.md): at most `MAX_CHARS` characters are read, at most `MAX_LINES` lines are kept and at
most `MAX_MEDIA` media sections opened (later lines are dropped); the work is one linear pass, no pattern is tried
twice on the same text, and nothing raises on any input. `description()` remembers the last parsed texts, so the
readers of one observation share one parse.

Library or hand-written: checked on 2026-12-07 against PyPI. `sdp-transform` 1.1.0 (2024, the Python port of the
JavaScript parser) keeps only lines matching `^[a-z]=` as written (an indented line is lost), keeps the last `s=`
rather than the first, turns values into numbers (`FirmVer=1.10` becomes the float 1.1, an origin user name `0`
the int 0), files QuickTime's `a=x-qt-text-nam` under "invalid", has no bounds, and tries its attribute patterns
one by one on every `a=` line: measured on the 10 `fuzz/seeds/sdp` descriptions made distinct (3,000 texts), 7,106
descriptions/s against this parser's 79,456 (11x slower). aiortc 1.16.0's `aiortc/sdp.py` is part of a WebRTC
stack (it requires PyAV, cryptography, pyOpenSSL, aioice, pylibsrtp) and asserts WebRTC's shape while parsing
(`assert m` on an `m=` line without formats, `int()` of `v=` and of every audio/video format, forbidden payload
types): a hostile or truncated camera answer would raise. So this module is hand-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

#: Characters of a description read (the RTSP reader keeps 16 KiB of a DESCRIBE body; imports may hold more).
MAX_CHARS = 256 * 1024
#: `<type>=<value>` lines kept (a camera's description has a few dozen).
MAX_LINES = 4096
#: Media sections opened (a camera offers a few: video, audio, metadata, back channel).
MAX_MEDIA = 64
#: How many parsed descriptions `description()` remembers: the readers of an observation run at different stages of
#: the engine, each over all of a host's observations, so the memo holds a host's descriptions (a few: one per
#: stream path) with room to spare; at most 64 x MAX_CHARS of hostile text is held.
MEMO = 64


class Line(NamedTuple):
    """One `<type>=<value>` line. For an attribute (`a=`): `name` (case folded) and `argument` (the text after the
    first `:`, or None for a property attribute such as `a=recvonly`)."""

    type: str
    value: str
    name: str = ""
    argument: str | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """A media section: its `m=<media> <port> <proto> <fmt> …` fields (media type case folded; empty when the line
    holds fewer fields) and the lines after it (its `c=`, `b=`, `a=` …), in order."""

    kind: str
    port: str
    protocol: str
    formats: tuple[str, ...]
    lines: tuple[Line, ...]

    def attributes(self, name: str) -> list[Line]:
        """The section's attributes of this name (case folded)."""
        return [line for line in self.lines if line.name == name]


@dataclass(frozen=True, slots=True)
class Fmtp:
    """An `a=fmtp:<format> <parameters>` line: the format and its `key=value` parameters, in order."""

    format: str
    parameters: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Description:
    """A parsed stream description: the session-level lines (before the first `m=`) and the media sections."""

    session: tuple[Line, ...]
    media: tuple[Media, ...]
    every: tuple[Line, ...] = ()  #: every line but the `m=` lines, in the order written

    def lines(self) -> tuple[Line, ...]:
        """Every line (the `m=` lines aside), session first, in the order written."""
        return self.every

    def attributes(self, name: str) -> list[Line]:
        """Every attribute of this name (case folded), session-level and media-level, in order."""
        return [line for line in self.every if line.name == name]

    @property
    def origin(self) -> tuple[str, ...]:
        """The fields of the first session-level `o=` line (`<username> <sess-id> <sess-version> <nettype>
        <addrtype> <unicast-address>`), or () when there is none."""
        return next((tuple(line.value.split()) for line in self.session if line.type == "o"), ())

    def fmtp(self) -> list[Fmtp]:
        """Every `a=fmtp` line with a format, session-level and media-level, in order."""
        out = []
        for line in self.attributes("fmtp"):
            parts = (line.argument or "").split(None, 1)
            if not parts:
                continue
            params = parts[1] if len(parts) == 2 else ""
            pairs = tuple(
                (key.strip(), value.strip())
                for key, _, value in (p.partition("=") for p in params.split(";") if "=" in p)
            )
            out.append(Fmtp(parts[0], pairs))
        return out


def parse(text: str) -> Description:
    """The description a text holds (never raises; see the module's bounds). A text with no `<type>=<value>` line
    is an empty description. One pass over the lines (this is the hot path of every `sdp` reader: no per-line
    pattern, no helper call)."""
    session: list[Line] = []
    media: list[Media] = []
    current: list[Line] = session
    header: list[str] | None = None
    every: list[Line] = []
    kept = 0
    new = tuple.__new__
    cut = text[:MAX_CHARS] if isinstance(text, str) else ""
    for raw in cut.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if len(line) < 2 or line[1] != "=":
            continue
        if kept >= MAX_LINES:
            break
        kept += 1
        kind = line[0]
        if kind == "a":
            value = line[2:]
            name, colon, argument = value.partition(":")
            every.append(new(Line, ("a", value, name.strip().casefold(), argument if colon else None)))
            current.append(every[-1])
        elif kind == "m":
            if len(media) + (header is not None) >= MAX_MEDIA:
                break
            if header is not None:
                media.append(_media(header, current))
            header, current = line[2:].split(), []
        else:
            every.append(new(Line, (kind, line[2:], "", None)))
            current.append(every[-1])
    if header is not None:
        media.append(_media(header, current))
    return Description(tuple(session), tuple(media), tuple(every))


def _media(header: list[str], lines: list[Line]) -> Media:
    fields = header + [""] * (3 - len(header)) if len(header) < 3 else header
    return Media(fields[0].casefold(), fields[1], fields[2], tuple(header[3:]), tuple(lines))


@lru_cache(maxsize=MEMO)
def _remembered(text: str) -> Description:
    return parse(text)


def description(sdp: str | Description) -> Description:
    """The parsed form of a description (a text is parsed once and remembered; a parsed one is returned as is)."""
    if isinstance(sdp, Description):
        return sdp
    return _remembered(sdp if isinstance(sdp, str) else "")
