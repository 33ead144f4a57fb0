"""Targets, exclusions and the safety guard."""

from __future__ import annotations

import pytest

from camscan.errors import ScopeError, UsageError
from camscan.scope import Scope, parse_target


@pytest.mark.parametrize(
    ("text", "first", "last", "size"),
    [
        ("10.1.2.3", "10.1.2.3", "10.1.2.3", 1),
        ("10.1.2.0/24", "10.1.2.1", "10.1.2.254", 254),
        ("10.1.2.0/31", "10.1.2.0", "10.1.2.1", 2),
        ("10.1.2.5-40", "10.1.2.5", "10.1.2.40", 36),
        ("10.1.2.250-10.1.3.4", "10.1.2.250", "10.1.3.4", 11),
        ("fd00::1", "fd00::1", "fd00::1", 1),
    ],
)
def test_target_forms(text, first, last, size):
    r = parse_target(text)
    assert (str(r.first), str(r.last), r.size) == (first, last, size)


@pytest.mark.parametrize("text", ["camera.local", "10.1.2.300", "10.1.2.40-5", "10.0.0.0/33", ""])
def test_bad_targets_are_usage_errors(text):
    with pytest.raises(UsageError):
        parse_target(text)


def test_public_refused_without_flag():
    with pytest.raises(ScopeError, match="--allow-public"):
        Scope.build(["8.8.8.8"])
    with pytest.raises(ScopeError, match="public"):
        Scope.build(["192.168.255.250-192.169.0.5"])
    assert Scope.build(["8.8.8.8"], allow_public=True).size == 1


@pytest.mark.parametrize("text", ["224.0.0.1", "0.0.0.0", "255.255.255.255", "240.0.0.1"])
def test_never_scanned_even_with_flag(text):
    with pytest.raises(ScopeError):
        Scope.build([text], allow_public=True)


def test_too_large_is_refused():
    with pytest.raises(ScopeError, match="more than the limit"):
        Scope.build(["10.0.0.0/8"])


def test_exclusions_and_files(tmp_path):
    targets = tmp_path / "targets.txt"
    targets.write_text("# cameras\n127.20.0.0/29  # lab\n127.20.0.10,127.20.0.11\n")
    excl = tmp_path / "excl.txt"
    excl.write_text("127.20.0.3\n")
    scope = Scope.build([f"@{targets}", "127.20.0.10"], exclude=[f"@{excl}", "127.20.0.4-5"])
    assert [str(a) for a in scope.addresses()] == [
        "127.20.0.1",
        "127.20.0.2",
        "127.20.0.6",
        "127.20.0.10",
        "127.20.0.11",
    ]
    assert "127.20.0.2" in scope and "127.20.0.3" not in scope and "10.0.0.1" not in scope
    assert [len(b) for b in scope.blocks(2)] == [2, 2, 1]


def test_bad_file_line_names_file_and_line(tmp_path):
    targets = tmp_path / "t.txt"
    targets.write_text("10.0.0.1\nnot-an-address\n")
    with pytest.raises(UsageError, match=r"t\.txt:2: target 'not-an-address'"):
        Scope.build([f"@{targets}"])
    with pytest.raises(UsageError, match="cannot read target file"):
        Scope.build([f"@{tmp_path / 'missing.txt'}"])
