"""camscan installed from a wheel (not an editable install) works: the data files ship inside the distribution.

The wheel is built from this checkout (pip, with build isolation: setuptools comes from the configured index or
its local mirror) and installed with `--no-deps` into a fresh virtualenv whose only view of the dependencies is
this test environment's site-packages (a .pth line, so the editable install of the checkout is not on the path).
The installed console script then runs from an empty directory with no CAMSCAN_DATA: `identify` and
`demo --recorded` must find their data through importlib.resources.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(args: list[str], *, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CAMSCAN_DATA", "PYTHONPATH", "CAMSCAN_DB")}
    return subprocess.run(
        args, cwd=cwd, input=input, capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with camscan installed from a freshly built wheel; returns its bin directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp / "dist"), str(ROOT)],
        cwd=tmp,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("camscan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "camscan/vendor_signatures/vendors.yaml" in names
    assert "camscan/vendor_signatures/signatures/http.yaml" in names
    assert "camscan/vendor_signatures/schema/signatures.schema.json" in names
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    done = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        cwd=tmp,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp)
    Path(site.stdout.strip(), "camscan-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir / "bin"


def test_wheel_install_identifies(installed: Path, tmp_path: Path) -> None:
    located = _run(
        [str(installed / "python"), "-c", "import camscan.identify.knowledge as k; print(k.data_dir())"],
        cwd=tmp_path,
    )
    assert located.returncode == 0, located.stderr
    assert Path(located.stdout.strip()).is_relative_to(installed.parent), located.stdout  # not the checkout
    result = _run(
        [str(installed / "camscan"), "identify"],
        cwd=tmp_path,
        input='{"kind": "http_server", "value": "App-webs/"}\n',
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["manufacturer"] == "Hikvision"


def test_wheel_install_runs_the_recorded_demo(installed: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = _run([str(installed / "camscan"), "demo", "--recorded", "--json", "--db", str(db)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["mode"] == "recorded"
    assert doc["hosts"] > 5
    assert any(d["manufacturer"] == "Hikvision" for d in doc["devices"])
    assert db.exists()
