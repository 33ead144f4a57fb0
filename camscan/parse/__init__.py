"""Sans-io protocol parsers shared by active probes and the pcap reader.

Every function here takes bytes a device sent (read from a socket by a probe, or reassembled from a capture by
`camscan.passive`) and returns plain data, or raises `ParseError`. Nothing touches a socket, a file or the clock.
Every parser bounds what it reads and what it keeps, so hostile or garbage input costs bounded time and memory
and never raises anything but `ParseError`.

The `*_observations` helpers turn parsed data into `Finding`s — `(kind, value)` pairs in the shapes of
CONTRACT.md's observation kinds — which a caller wraps into `camscan.model.Observation` with its host, port,
source and time. That is the only way identification data leaves these modules.
"""

from camscan.parse.base import Finding, ParseError

__all__ = ["Finding", "ParseError"]
