"""The one YAML loader: data files, lab profiles and the credentials file all read YAML through `read_yaml`.

`read_yaml` uses libyaml's safe C loader when PyYAML has it (ten times faster at start-up), else the Python
safe loader, and raises one `YamlProblem` (why, and the line) that each caller words for its own file;
`load_yaml` is the wording for camscan's data files (`DataError`, naming the file and the line).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from camscan.errors import DataError

#: libyaml's C loader when PyYAML was built with it, else the Python one (both safe).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(Exception):
    """A YAML file that cannot be read: `reason` is missing, unreadable, not_utf8 or invalid."""

    def __init__(self, reason: str, detail: str, line: int | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.line = line
        super().__init__(detail)


def read_yaml(path: Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlProblem("missing", "file not found") from None
    except UnicodeDecodeError as exc:
        raise YamlProblem("not_utf8", str(exc)) from None
    except OSError as exc:
        raise YamlProblem("unreadable", str(exc.strerror or exc)) from None
    try:
        return yaml.load(text, Loader=SafeLoader)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem("invalid", problem, mark.line + 1 if mark is not None else None) from None


def load_yaml(path: Path) -> Any:
    """A camscan data file; a problem is a DataError naming the file and the line."""
    try:
        return read_yaml(path)
    except YamlProblem as exc:
        if exc.reason == "missing":
            raise DataError(path, None, "file not found") from None
        if exc.reason == "invalid":
            raise DataError(path, f"line {exc.line}" if exc.line else None, f"not valid YAML: {exc.detail}") from None
        raise DataError(path, None, f"cannot read: {exc.detail}") from None
