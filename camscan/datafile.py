"""The one YAML loader, and the one data-file loader: every data file is checked against its JSON Schema.

`read_yaml` reads any YAML camscan reads (data files, lab profiles, the credentials file): libyaml's safe C loader
when PyYAML has it (ten times faster at start-up), else the Python safe loader; a problem is one `YamlProblem`
(why, and the line) that each caller words for its own file.

`load_yaml` reads a camscan data file (vendor_signatures/ or a copy named by $CAMSCAN_DATA, or a user's concerns
register) and validates it against `vendor_signatures/schema/<name>.schema.json` (JSON Schema draft 2020-12):
`<name>` is the file's stem, or for a file inside a collection directory (`signatures/`) the directory's name, so
every signature file follows `signatures.schema.json`; a caller may name the schema (`--concerns policy.yaml`
follows `concerns`). A file with no schema of its name loads unchecked (tests/identify/test_schemas.py requires
one for every shipped data file). A problem is a `DataError` naming the file, the entry (`signature 'x.y'`), the
path inside it and what is wrong. The schemas always come from the installed camscan, whichever data directory
is read: they describe the format this camscan reads. Checks a schema cannot express (cross-references, regexes
that must compile, examples that must match) stay in the loaders of each file.

Parsed and validated documents are cached on disk (camscan/datacache.py). YAML timestamps are read as the
strings they are written as (`2024-05-01` stays a string), so a document is plain JSON data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from camscan import datacache
from camscan.errors import DataError

#: libyaml's C loader when PyYAML was built with it, else the Python one (both safe).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Directories whose files share one schema named after the directory.
COLLECTIONS = frozenset(["signatures"])
#: The package holding the shipped data and its `schema/` folder.
DATA_PACKAGE = "camscan.vendor_signatures"


class DataLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader with timestamps kept as written: data files hold JSON data only."""


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", DataLoader.construct_yaml_str)


class YamlProblem(Exception):
    """A YAML file that cannot be read: `reason` is missing, unreadable, not_utf8 or invalid."""

    def __init__(self, reason: str, detail: str, line: int | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.line = line
        super().__init__(detail)


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlProblem("missing", "file not found") from None
    except UnicodeDecodeError as exc:
        raise YamlProblem("not_utf8", str(exc)) from None
    except OSError as exc:
        raise YamlProblem("unreadable", str(exc.strerror or exc)) from None


def _parse(text: str, loader: type) -> Any:
    try:
        return yaml.load(text, Loader=loader)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem("invalid", problem, mark.line + 1 if mark is not None else None) from None


def read_yaml(path: Path) -> Any:
    """Any YAML file camscan reads; a problem is a YamlProblem."""
    return _parse(_read_text(path), SafeLoader)


# ------------------------------------------------------------------------------------------------ schemas


def schema_dir() -> Path:
    """The shipped `vendor_signatures/schema/` folder."""
    root = resources.files(DATA_PACKAGE) / "schema"
    return Path(str(root))


def schema_name(path: Path) -> str:
    """The schema a data file follows: its collection directory's name (`signatures`), else its stem."""
    path = Path(path)
    return path.parent.name if path.parent.name in COLLECTIONS else path.stem


def schema_path(name: str) -> Path:
    return schema_dir() / f"{name}.schema.json"


@lru_cache(maxsize=32)
def _validator(path: Path, digest: str) -> Any:
    import jsonschema

    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker(formats=["date"]))


def _schema(name: str | None) -> tuple[Path, str] | None:
    """The schema file and its digest, or None when there is no schema of that name."""
    if name is None:
        return None
    path = schema_path(name)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return path, digest


# ------------------------------------------------------------------------------------------------ loading


def load_yaml(path: Path, schema: str | None = None) -> Any:
    """A camscan data file, parsed and checked against its schema (`schema`, default `schema_name(path)`).

    A problem is a DataError naming the file, the entry and what is wrong.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, None, "file not found") from None
    except OSError as exc:
        raise DataError(path, None, f"cannot read: {exc.strerror or exc}") from None
    found = _schema(schema or schema_name(path))
    key = datacache.key(raw, found[1] if found else "none")
    hit = datacache.get(key)
    if hit is not datacache.MISS:
        return hit
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path, None, f"cannot read: {exc}") from None
    try:
        doc = _parse(text, DataLoader)
    except YamlProblem as exc:
        raise DataError(
            path, f"line {exc.line}" if exc.line else None, f"not valid YAML: {exc.detail}"
        ) from None
    if found is not None:
        validate(path, doc, _validator(*found))
    datacache.put(key, doc)
    return doc


def check(path: Path, doc: Any, schema: str) -> None:
    """Check an in-memory document against the named schema (a DataError naming `path` when it does not pass)."""
    found = _schema(schema)
    if found is None:
        raise ValueError(f"no schema named {schema!r} in {schema_dir()}")
    validate(path, doc, _validator(*found))


def validate(path: Path, doc: Any, validator: Any) -> None:
    """Raise a DataError for the first problem the schema finds, in file order."""
    errors = list(validator.iter_errors(doc))
    if not errors:
        return
    from jsonschema.exceptions import best_match

    errors.sort(key=lambda e: _order(e.absolute_path))
    first = errors[0]
    entry_len = _entry_depth(first.absolute_path)
    same = [e for e in errors if list(e.absolute_path)[:entry_len] == list(first.absolute_path)[:entry_len]]
    # Within the first broken entry, the most specific problem: the deepest, and not a combinator's summary.
    deepest = max(len(e.absolute_path) for e in same)
    candidates = [e for e in same if len(e.absolute_path) == deepest]
    error = best_match(candidates) or first
    raise problem(path, doc, error)


def _order(where: Sequence[Any]) -> list[tuple[int, Any]]:
    return [(0, p) if isinstance(p, int) else (1, str(p)) for p in where]


def _entry_depth(where: Sequence[Any]) -> int:
    """How many leading path elements name the entry (`signatures`, 3), or 1 for a top-level key."""
    return 2 if len(where) >= 2 and isinstance(where[1], int) else min(len(where), 1)


def _singular(key: str) -> str:
    word = key.replace("_", " ")
    return word[:-1] if word.endswith("s") else word


def _entry(doc: Any, where: list[Any]) -> tuple[str | None, list[Any]]:
    """(entry name, path inside the entry): `signature 'x.y'`, or `signature #4` when it has no id."""
    if len(where) >= 2 and isinstance(where[0], str) and isinstance(where[1], int):
        try:
            item = doc[where[0]][where[1]]
        except (KeyError, IndexError, TypeError):
            item = None
        ident = None
        if isinstance(item, dict):
            ident = next((item[k] for k in ("id", "name") if isinstance(item.get(k), str) and item[k]), None)
        label = f"{_singular(where[0])} {ident!r}" if ident else f"{_singular(where[0])} #{where[1] + 1}"
        return label, where[2:]
    return None, where


def _format_path(where: list[Any]) -> str:
    out = ""
    for p in where:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _custom(schema: Any, validator: str) -> str | None:
    if not isinstance(schema, dict):
        return None
    msg = schema.get("x-message")
    if isinstance(msg, dict):
        msg = msg.get(validator, msg.get("*"))
    return msg if isinstance(msg, str) else None


def _fill(message: str, error: Any) -> str:
    enum = error.schema.get("enum") if isinstance(error.schema, dict) else None
    where = list(error.absolute_path)
    return (
        message.replace("{value}", _short(error.instance))
        .replace("{enum}", ", ".join(str(v) for v in enum) if enum else "")
        .replace("{key}", repr(str(where[-1])) if where else "")
    )


def _message(error: Any) -> tuple[str, bool]:
    """(what is wrong, whether it came from the schema's own wording)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(schema.get("properties") or ())
        extra = sorted(str(k) for k in error.instance if k not in known)
        return f"unknown field(s): {', '.join(extra)}", True
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        if len(missing) == 1:
            prop = (schema.get("properties") or {}).get(missing[0])
            own = _custom(prop, "required")
            if own and "{" not in own:
                return own, True
        own = _custom(schema, "required")
        if own:
            return _fill(own, error), True
        return "missing " + ", ".join(repr(k) for k in missing), True
    validator = str(error.validator)
    if validator == "dependentRequired" and isinstance(error.instance, dict):
        trigger = next(
            (
                k
                for k, needs in error.validator_value.items()
                if k in error.instance and set(needs) - set(error.instance)
            ),
            "",
        )
        validator = f"dependentRequired:{trigger}"
    own = _custom(schema, validator)
    if own:
        return _fill(own, error), True
    return error.message if len(error.message) <= 200 else error.message[:197] + "...", False


def problem(path: Path, doc: Any, error: Any) -> DataError:
    """A schema error as a DataError: file, entry, path inside the entry, what is wrong."""
    where = list(error.absolute_path)
    entry, inner = _entry(doc, where)
    message, own = _message(error)
    if inner:
        last = str(inner[-1])
        if not own or last not in message or len(inner) > 1:
            message = f"{_format_path(inner)}: {message}"
    return DataError(path, entry, message)


def load_json_schema(name: str) -> dict[str, Any]:
    """A shipped schema as a mapping (for tools and tests)."""
    data: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return data
