"""The small error tree. Each boundary (CLI, probe, reader) translates these once."""

from __future__ import annotations


class CamscanError(Exception):
    """Base class for errors camscan reports to a person."""

    exit_code = 2


class UsageError(CamscanError):
    """Bad usage or input: a clear one-line message, exit code 2."""


class DataError(CamscanError):
    """A data file (vendors, concerns, signatures) is broken; the message names file and entry."""

    def __init__(self, path: object, entry: str | None, message: str) -> None:
        self.path = str(path)
        self.entry = entry
        self.detail = message
        where = f"{self.path}: {entry}: " if entry else f"{self.path}: "
        super().__init__(where + message)


class StoreError(CamscanError):
    """The database cannot be opened or written (locked, foreign, read-only, disk full)."""


class ScopeError(UsageError):
    """A target outside what camscan may scan without an explicit flag."""
