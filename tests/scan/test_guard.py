"""The scope guard and bad input: one line on stderr, exit 2, nothing scanned, no database made."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import scan


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["8.8.8.8"], "public addresses"),
        (["10.0.0.1-11.0.0.1"], "public addresses"),
        (["224.0.0.1"], "multicast"),
        (["not-an-address"], "is not an address"),
        (["127.0.0.1", "--ports", "0"], "--ports"),
        (["127.0.0.1", "--ports", "http"], "--ports"),
        (["127.0.0.1", "--timeout", "0"], "--timeout"),
        (["127.0.0.1", "--credentials", "/nonexistent/creds.yaml"], "credentials file"),
        (["@/nonexistent/targets.txt"], "cannot read target file"),
    ],
)
def test_bad_input_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    db = tmp_path / "inventory.db"
    result, summary = scan(*args, "--db", str(db))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == "" and summary == {}
    assert not db.exists()


def test_missing_nmap_says_how_to_install_it(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result, _ = scan("127.98.0.1", "--db", str(tmp_path / "i.db"), env={"PATH": str(empty)})
    assert result.returncode == 2
    assert "nmap is not installed" in result.stderr and "apt-get install nmap" in result.stderr
    assert "Traceback" not in result.stderr


def test_target_file_and_exclusions(loopback_lab_ok: None, tmp_path: Path) -> None:
    targets = tmp_path / "targets.txt"
    targets.write_text("# nothing listens here\n127.98.0.1-3\n127.98.0.10\n")
    result, summary = scan(f"@{targets}", "--exclude", "127.98.0.2", "--db", str(tmp_path / "i.db"))
    assert result.returncode == 0, result.stderr
    assert summary["addresses"] == 4 and summary["addresses_scanned"] == 3
    assert summary["hosts_found"] == 0 and summary["devices"] == []


def test_help_is_the_docstring() -> None:
    from tests.conftest import run_camscan

    result = run_camscan("scan", "--help")
    assert result.returncode == 0
    for option in ("--ports", "--exclude", "--site", "--credentials", "--rate", "--timeout", "--allow-public",
                   "--interface", "--db", "--json", "--quiet"):  # fmt: skip
        assert option in result.stdout
    assert "Discover and fingerprint" in result.stdout
