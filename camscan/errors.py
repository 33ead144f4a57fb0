"""The small error tree, and the exit codes (CONTRACT). Each boundary (CLI, probe, reader) translates these once."""

from __future__ import annotations

#: Exit codes (CONTRACT): ok, `check` found what it was asked to report, bad usage or input, partial failure,
#: interrupted (Ctrl-C / SIGTERM; what was gathered is stored).
EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class CamscanError(Exception):
    """Base class for errors camscan reports to a person."""

    exit_code = EXIT_USAGE


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
