"""scapy (GPL-2.0-only) and python-nmap (GPL-3.0+) must never be loaded into the same process.

See docs/licensing.md: the nmap adapter runs as its own worker process.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import camscan

NMAP_WORKER = "camscan.discover.nmap_worker"


def all_modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(camscan.__path__, "camscan.") if m.name != "camscan.__main__"
    )


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_main_process_modules_never_import_python_nmap():
    modules = [m for m in all_modules() if m != NMAP_WORKER and not m.startswith("camscan.lab")]
    assert "camscan.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('nmap' in sys.modules)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_nmap_worker_never_imports_scapy():
    if NMAP_WORKER not in all_modules():
        import pytest

        pytest.skip("the nmap worker arrives with the active scanner")
    result = run_python(
        f"import importlib, sys; importlib.import_module({NMAP_WORKER!r}); print('scapy' in sys.modules)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
