"""requirements/lock.txt, what setup.sh and CI install: complete, hashed, consistent with pyproject.toml.

Refreshing it is described in docs/development.md (`bash requirements/refresh.sh`).
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

LOCK = ROOT / "requirements" / "lock.txt"
BUILD_IN = ROOT / "requirements" / "build.in"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@dataclass(slots=True)
class Pin:
    requirement: Requirement
    hashes: list[str] = field(default_factory=list)

    @property
    def version(self) -> Version:
        (spec,) = self.requirement.specifier
        return Version(spec.version)


def read_lock(text: str) -> dict[str, list[Pin]]:
    """Every pin in a pip requirements file of `name==version [; marker] \\` lines, each followed by its hashes."""
    pins: dict[str, list[Pin]] = {}
    current: Pin | None = None
    for line in text.splitlines():
        stripped = line.strip().removesuffix("\\").strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash="):
            assert current is not None, f"a hash before any requirement: {line!r}"
            current.hashes.append(stripped.removeprefix("--hash="))
            continue
        assert not line[0].isspace(), f"an option the lock should not hold: {line!r}"
        current = Pin(Requirement(stripped))
        pins.setdefault(canonicalize_name(current.requirement.name), []).append(current)
    return pins


PINS = read_lock(LOCK.read_text(encoding="utf-8"))


def declared() -> list[Requirement]:
    """Every requirement pyproject.toml declares for an installation setup.sh makes: dependencies, the dev
    extra and what building camscan needs."""
    project = PYPROJECT["project"]
    texts = [
        *project["dependencies"],
        *project["optional-dependencies"]["dev"],
        *PYPROJECT["build-system"]["requires"],
    ]
    return [Requirement(text) for text in texts]


def test_every_pin_is_exact_and_hashed() -> None:
    assert len(PINS) > 20
    for name, pins in PINS.items():
        for pin in pins:
            (spec,) = pin.requirement.specifier
            assert spec.operator == "==", f"{name}: {pin.requirement} is not an exact pin"
            assert pin.hashes and all(h.startswith("sha256:") for h in pin.hashes), (
                f"{name} has no sha256 hash"
            )


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_the_lock_covers_every_declared_dependency(requirement: Requirement) -> None:
    pins = PINS.get(canonicalize_name(requirement.name))
    assert pins, (
        f"{requirement.name} is declared in pyproject.toml but not in {LOCK.name}: bash requirements/refresh.sh"
    )
    for pin in pins:
        assert requirement.specifier.contains(pin.version, prereleases=True), (
            f"{LOCK.name} pins {pin.requirement}, outside pyproject.toml's {requirement}: bash requirements/refresh.sh"
        )


def test_build_in_is_pyprojects_build_requirements() -> None:
    listed = [line.strip() for line in BUILD_IN.read_text(encoding="utf-8").splitlines()]
    assert [line for line in listed if line and not line.startswith("#")] == PYPROJECT["build-system"][
        "requires"
    ]


def test_this_environment_was_installed_from_the_lock() -> None:
    """When setup.sh installed from the lock, every package the lock pins for this platform is at its pin."""
    stamp = Path(sys.prefix) / ".camscan-installed"
    if not stamp.is_file():
        pytest.skip("this environment was not made by setup.sh")
    mode = stamp.read_text(encoding="utf-8").split()[0]
    if mode != "locked":
        pytest.skip(f"this environment was installed {mode} (CAMSCAN_UNPINNED=1), not from the lock")
    wrong = []
    for name, pins in PINS.items():
        for pin in pins:
            if pin.requirement.marker is not None and not pin.requirement.marker.evaluate():
                continue
            try:
                installed = Version(version(name))
            except PackageNotFoundError:
                wrong.append(f"{name} is not installed")
                continue
            if installed != pin.version:
                wrong.append(f"{name} {installed} installed, {pin.version} locked")
    assert wrong == []
