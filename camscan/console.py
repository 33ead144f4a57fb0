"""One shared stderr Console for progress, logs and messages; stdout is kept for machine output."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.markup import escape

from camscan.text import visible


def _width(stream: object) -> int | None:
    """Rich assumes 80 columns when output is not a terminal; tables in logs and pipes get room to breathe."""
    if getattr(stream, "isatty", lambda: False)():
        return None
    return int(os.environ.get("COLUMNS", "160"))


err = Console(stderr=True, highlight=False, soft_wrap=True, width=_width(sys.stderr))
out = Console(highlight=False, soft_wrap=True, width=_width(sys.stdout))


def safe(text: object) -> str:
    """Anything a device said, made safe for a terminal: control characters removed, rich markup escaped."""
    if text is None:
        return ""
    return escape(visible(str(text), keep="\t\n"))


def progress_enabled(json_mode: bool, quiet: bool) -> bool:
    return not (json_mode or quiet) and err.is_terminal and sys.stderr.isatty()
