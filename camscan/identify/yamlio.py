"""Reading YAML data files with errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from camscan.errors import DataError

#: libyaml's C loader when PyYAML was built with it (ten times faster at start-up), else the Python one.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, None, f"cannot read: {exc}") from None
    try:
        return yaml.load(text, Loader=SafeLoader)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(path, where, f"not valid YAML: {problem}") from None
