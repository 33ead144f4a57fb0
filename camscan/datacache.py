"""The one cache for loaded data: parsed and schema-checked data files, kept on disk between runs.

An entry is the document as JSON, named by the sha256 of the file's bytes, camscan's version, the cache format
and the schema's digest, so an edited file, a new camscan or a changed schema is a miss, never a stale hit. Only
documents that pass their schema are stored; the checks in code (cross-references, regexes, examples) run on
every load. The cache lives in `$CAMSCAN_CACHE_DIR` (default `$XDG_CACHE_HOME/camscan`, else `~/.cache/camscan`);
`CAMSCAN_NO_CACHE=1` turns it off. A cache that cannot be read or written (read-only home, a corrupt or
truncated entry, a full disk) is ignored: the file is loaded as if there were no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final

from camscan import __version__

#: Bumped when the loader changes what it produces from the same bytes (e.g. how YAML timestamps are read).
FORMAT: Final = "1"
#: Entries kept; the oldest go first (each edit of a data file leaves one behind).
MAX_ENTRIES: Final = 200


class _Miss:
    def __repr__(self) -> str:
        return "MISS"


MISS: Final = _Miss()


def enabled() -> bool:
    return os.environ.get("CAMSCAN_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """Where entries live: $CAMSCAN_CACHE_DIR, else $XDG_CACHE_HOME/camscan, else ~/.cache/camscan."""
    env = os.environ.get("CAMSCAN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "camscan"


def key(content: bytes, schema_digest: str) -> str:
    h = hashlib.sha256(content)
    h.update(f"\0camscan {__version__}\0cache {FORMAT}\0schema {schema_digest}".encode())
    return h.hexdigest()


def _entry(k: str) -> Path:
    return cache_dir() / "data" / f"{k}.json"


def get(k: str) -> Any:
    """The cached document, or MISS (also when the cache is off, unreadable or the entry corrupt)."""
    if not enabled():
        return MISS
    try:
        with open(_entry(k), "rb") as f:
            entry = json.loads(f.read())
    except (OSError, ValueError, RecursionError):
        return MISS
    if not isinstance(entry, dict) or entry.get("key") != k or "doc" not in entry:
        return MISS  # not an entry this cache wrote under this name
    return entry["doc"]


def put(k: str, doc: Any) -> None:
    """Store `doc` (atomically: a reader sees the whole entry or none); failures are ignored."""
    if not enabled():
        return
    try:
        text = json.dumps({"key": k, "doc": doc}, ensure_ascii=False, separators=(",", ":"))
        if json.loads(text)["doc"] != doc:
            return  # not plain JSON data (integer keys, sets): loading again is the faithful path
        target = _entry(k)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(target.parent)
    except (OSError, TypeError, ValueError, RecursionError):
        return


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries (old versions of edited files go)."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-MAX_ENTRIES]:
        old.unlink(missing_ok=True)


def clear() -> int:
    """Remove every entry; returns how many were removed."""
    removed = 0
    folder = cache_dir() / "data"
    try:
        entries = list(folder.glob("*.json"))
    except OSError:
        return 0
    for entry in entries:
        try:
            entry.unlink()
            removed += 1
        except OSError:
            pass
    return removed
