"""`camscan identify`: JSON lines of observations in, one identity per line out (CONTRACT)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from camscan.identify.engine import Engine
from camscan.model import Observation, ObservationError

MAX_LINE = 4 * 1024 * 1024
#: Most levels of JSON arrays and objects in one input line (a host line's own wrapping included). An observation
#: holds a few; a line nested hundreds deep would end the command with a RecursionError (in the JSON reader, or in
#: the engine reading the value), so it is refused as one bad line.
MAX_DEPTH = 64


@dataclass(slots=True)
class LineResult:
    line: int
    output: dict[str, Any] | None
    error: str | None = None


def parse_line(text: str) -> list[Observation]:
    """One input line: an observation `{"kind", "value"}` or a host `{"observations": [...]}`."""
    if len(text) > MAX_LINE:
        raise ObservationError(f"line longer than {MAX_LINE} bytes")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ObservationError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise ObservationError(f"JSON nested more than {MAX_DEPTH} levels deep") from None
    if _deeper_than(data, MAX_DEPTH):
        raise ObservationError(f"JSON nested more than {MAX_DEPTH} levels deep")
    if isinstance(data, dict) and "observations" in data:
        items = data["observations"]
        if not isinstance(items, list):
            raise ObservationError("'observations' must be a list")
        return [Observation.from_dict(item, host=data.get("host")) for item in items]
    return [Observation.from_dict(data)]


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether `data` holds arrays or objects nested more than `limit` levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def identify_lines(lines: Iterable[str], engine: Engine) -> Iterator[LineResult]:
    for n, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        try:
            observations = parse_line(text)
        except ObservationError as exc:
            yield LineResult(n, None, str(exc))
            continue
        yield LineResult(n, engine.identify(observations).to_dict())
