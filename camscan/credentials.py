"""Credentials the user gave: from the environment or a YAML file, never from the command line.

`CAMSCAN_USERNAME` / `CAMSCAN_PASSWORD` apply to every target; `--credentials FILE` (a YAML list of
`{targets: CIDR or address (or a list), username, password}`) applies per range, the most specific range winning.
A password is held in a `Secret`, whose repr and str never show it; camscan never stores or logs it and never
tries a password it was not given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from camscan.datafile import YamlProblem, read_yaml
from camscan.errors import UsageError
from camscan.scope import AddressRange, parse_target


class Secret:
    """A password that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class Credential:
    username: str
    password: Secret
    origin: str  # "environment" or "file:line" — safe to show


@dataclass(slots=True)
class CredentialStore:
    default: Credential | None = None
    ranged: list[tuple[AddressRange, Credential]] = field(default_factory=list)

    def for_host(self, ip: str) -> Credential | None:
        """The most specific credential for `ip`, else the environment's, else None."""
        import ipaddress

        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return self.default
        matches = [(r.size, cred) for r, cred in self.ranged if addr in r]
        if matches:
            return min(matches, key=lambda m: m[0])[1]
        return self.default

    def __bool__(self) -> bool:
        return self.default is not None or bool(self.ranged)

    @property
    def secrets(self) -> list[str]:
        """Every password held, for tests and scrubbers that prove they appear nowhere."""
        creds = ([self.default] if self.default else []) + [c for _, c in self.ranged]
        return sorted({c.password.reveal() for c in creds})


def load_credentials(path: Path | None = None, environ: Mapping[str, str] | None = None) -> CredentialStore:
    env = os.environ if environ is None else environ
    store = CredentialStore()
    user, password = env.get("CAMSCAN_USERNAME"), env.get("CAMSCAN_PASSWORD")
    if user or password:
        if not (user and password):
            raise UsageError("set both CAMSCAN_USERNAME and CAMSCAN_PASSWORD, or neither")
        store.default = Credential(user, Secret(password), "environment")
    if path is None:
        return store
    try:
        data = read_yaml(Path(path))
    except YamlProblem as exc:
        if exc.reason == "not_utf8":
            raise UsageError(f"credentials file {path} is not UTF-8 text") from None
        if exc.reason == "invalid":
            where = f" (line {exc.line})" if exc.line else ""
            raise UsageError(f"credentials file {path} is not valid YAML{where}") from None
        reason = "No such file or directory" if exc.reason == "missing" else exc.detail
        raise UsageError(f"cannot read credentials file {path}: {reason}") from None
    if not isinstance(data, list):
        raise UsageError(f"credentials file {path}: expected a list of {{targets, username, password}}")
    for n, entry in enumerate(data, 1):
        where = f"credentials file {path}, entry {n}"
        if not isinstance(entry, dict) or not {"targets", "username", "password"} <= set(entry):
            raise UsageError(f"{where}: needs targets, username and password")
        for name in ("username", "password"):
            if isinstance(entry[name], bool) or not isinstance(entry[name], (str, int, float)):
                # a YAML null would otherwise become the password "None"; "" is an empty password
                raise UsageError(f'{where}: {name} must be text (write "" for an empty one)')
        targets = entry["targets"] if isinstance(entry["targets"], list) else [entry["targets"]]
        cred = Credential(str(entry["username"]), Secret(str(entry["password"])), f"{path}#{n}")
        for t in targets:
            try:
                store.ranged.append((parse_target(str(t)), cred))
            except UsageError as exc:
                raise UsageError(f"{where}: {exc}") from None
    return store
