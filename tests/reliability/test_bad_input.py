"""Bad input everywhere: one clear line on stderr (no traceback), exit 2, nothing lost.

Malformed target lists, broken --credentials and --concerns files, a --db that is a directory, a pipe, someone
else's SQLite file, not a database at all or unreadable, and files given to `pcap` or `import-nmap` that are not
what they should be. Where a good inventory is given with --db it must be byte-identical afterwards; where the
--db itself is the bad input it must be left exactly as it was, with nothing created beside it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .support import CAMSCAN, ROOT, clean_env, write_capture

SETPRIV = shutil.which("setpriv")


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    args: tuple[str, ...]  # {good} is the stored inventory, {dir} the folder of bad files
    message: str
    stdin: str = ""
    bad_db: str | None = None  # the --db under test (a name in {dir}); else the good inventory is passed


#: Bad files, written by `bad_files`.
TARGETS = [
    Case(
        "targets-garbage-line",
        ("scan", "@{dir}/garbage.txt", "--db", "{good}"),
        "garbage.txt:2: target 'hello'",
    ),
    Case("targets-empty-file", ("scan", "@{dir}/empty.txt", "--db", "{good}"), "lists no targets"),
    Case("targets-directory", ("scan", "@{dir}/folder", "--db", "{good}"), "cannot read target file"),
    Case("targets-binary", ("scan", "@{dir}/binary.bin", "--db", "{good}"), "is not UTF-8 text"),
    Case("targets-nul-bytes", ("scan", "@{dir}/nul.txt", "--db", "{good}"), "nul.txt:1: target"),
    Case("targets-missing", ("scan", "@{dir}/nothing.txt", "--db", "{good}"), "cannot read target file"),
]
CREDENTIALS = [
    Case("credentials-broken-yaml", ("scan", "127.86.9.1", "--credentials", "{dir}/broken.yaml", "--db", "{good}"),
         "is not valid YAML (line"),
    Case("credentials-binary", ("scan", "127.86.9.1", "--credentials", "{dir}/binary.bin", "--db", "{good}"),
         "is not UTF-8 text"),
    Case("credentials-directory", ("scan", "127.86.9.1", "--credentials", "{dir}/folder", "--db", "{good}"),
         "cannot read credentials file"),
    Case("credentials-empty", ("scan", "127.86.9.1", "--credentials", "{dir}/empty.txt", "--db", "{good}"),
         "expected a list"),
    Case("credentials-not-a-list", ("scan", "127.86.9.1", "--credentials", "{dir}/mapping.yaml", "--db", "{good}"),
         "expected a list"),
    Case("credentials-missing-password", ("scan", "127.86.9.1", "--credentials", "{dir}/nopass.yaml", "--db",
         "{good}"), "needs targets, username and password"),
    Case("credentials-null-password", ("scan", "127.86.9.1", "--credentials", "{dir}/nullpass.yaml", "--db",
         "{good}"), "password must be text"),
    Case("credentials-bad-range", ("scan", "127.86.9.1", "--credentials", "{dir}/badrange.yaml", "--db", "{good}"),
         "entry 1: target 'lobby'"),
    Case("credentials-python-tag", ("scan", "127.86.9.1", "--credentials", "{dir}/pytag.yaml", "--db", "{good}"),
         "is not valid YAML"),
]  # fmt: skip
CONCERNS = [
    Case("concerns-broken-yaml-pcap", ("pcap", "{dir}/capture.pcap", "--concerns", "{dir}/broken.yaml", "--db",
         "{good}"), "not valid YAML"),
    Case("concerns-binary-pcap", ("pcap", "{dir}/capture.pcap", "--concerns", "{dir}/binary.bin", "--db", "{good}"),
         "cannot read"),
    Case("concerns-wrong-shape-pcap", ("pcap", "{dir}/capture.pcap", "--concerns", "{dir}/mapping.yaml", "--db",
         "{good}"), "expected a mapping with a 'concerns' list"),
    Case("concerns-broken-yaml-import-nmap", ("import-nmap", "{dir}/scan.xml", "--concerns", "{dir}/broken.yaml",
         "--db", "{good}"), "not valid YAML"),
    Case("concerns-broken-yaml-identify", ("identify", "--concerns", "{dir}/broken.yaml"), "not valid YAML",
         stdin='{"kind": "http_server", "value": "App-webs/"}\n'),
    Case("concerns-directory-concerns", ("concerns", "--concerns", "{dir}/folder"), "cannot read"),
]  # fmt: skip
NOT_CAPTURES = [
    Case(f"pcap-{name}", ("pcap", f"{{dir}}/{name}", "--db", "{good}"), message)
    for name, message in (
        ("text.db", "not a pcap or pcapng capture (it starts with text"),
        ("binary.bin", "not a pcap or pcapng capture (it starts with bytes"),
        ("empty.txt", "not a pcap or pcapng capture (the file is empty)"),
        ("folder", "is a directory, not a capture file"),
    )
] + [
    Case(f"import-nmap-{name}", ("import-nmap", f"{{dir}}/{name}", "--db", "{good}"), "not an nmap XML file")
    for name in ("binary.bin", "text.db")
]
#: Every command that takes --db, with arguments that would otherwise work.
DB_COMMANDS = {
    "scan": ("scan", "127.86.9.1", "--json"),
    "pcap": ("pcap", "{dir}/capture.pcap", "--json"),
    "devices": ("devices", "--json"),
    "report": ("report", "-o", "{dir}/report.html"),
    "export": ("export", "questionnaire", "--format", "json"),
}
DB_KINDS = {
    "folder": "is a directory, not a database file",
    "fifo": "not a regular file",
    "foreign.db": "a SQLite database but not a camscan inventory (tables: measurements)",
    "text.db": "not a SQLite database",
    "unreadable.db": "cannot read the database file (permission denied)",
}
BAD_DBS = [
    Case(f"db-{kind.split('.')[0]}-{command}", (*args, "--db", f"{{dir}}/{kind}"), message, bad_db=kind)
    for kind, message in DB_KINDS.items()
    for command, args in DB_COMMANDS.items()
]
CASES = TARGETS + CREDENTIALS + CONCERNS + NOT_CAPTURES + BAD_DBS


#: Root reads every file whatever its mode (CAP_DAC_OVERRIDE). The unreadable-database cases therefore run camscan
#: as root with every capability dropped: still uid 0, so the virtualenv's interpreter and the clone stay
#: reachable wherever the clone lives (even under a 0700 directory only root may enter, where an unprivileged
#: user such as nobody could not even start the interpreter), but a file without read permission is unreadable.
DROP_CAPABILITIES = (
    [SETPRIV, "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all"] if SETPRIV else []
)


def unreadable_prefix(unreadable: Path) -> list[str]:
    """The command prefix under which `unreadable` cannot be read; skips (with why) when none can be had."""
    if os.geteuid() != 0:
        return []
    if SETPRIV is None:
        pytest.skip(
            "running as root without setpriv (util-linux): a file without read permission is still readable"
        )
    probe = subprocess.run(
        [*DROP_CAPABILITIES, "test", "-r", str(unreadable)], capture_output=True, check=False
    )
    if probe.returncode != 1:
        reason = probe.stderr.decode(errors="replace").strip() or "the file stayed readable"
        pytest.skip(f"running as root and cannot drop capabilities here ({reason})")
    return DROP_CAPABILITIES


@pytest.fixture
def bad_files(stored_db: Path) -> Iterator[Path]:
    """A folder of bad input (world-writable, so that an unprivileged user running the suite could use it too)."""
    folder = Path(tempfile.mkdtemp(prefix="camscan-bad-input-"))
    folder.chmod(0o777)
    try:
        (folder / "garbage.txt").write_text("127.86.9.1\nhello world\n\x01\x02 more garbage\n")
        (folder / "empty.txt").write_text("")
        (folder / "folder").mkdir()
        (folder / "binary.bin").write_bytes(bytes(range(256)) * 8)
        (folder / "nul.txt").write_bytes(b"127.86\x009.1\n")
        (folder / "broken.yaml").write_text("- targets: [127.86.9.1\n  username: admin\n password: x\n")
        (folder / "mapping.yaml").write_text("targets: 127.86.9.1\nusername: admin\n")
        (folder / "nopass.yaml").write_text("- {targets: 127.86.9.1, username: admin}\n")
        (folder / "nullpass.yaml").write_text("- {targets: 127.86.9.1, username: admin, password: }\n")
        (folder / "badrange.yaml").write_text("- {targets: lobby, username: admin, password: x}\n")
        (folder / "pytag.yaml").write_text('!!python/object/apply:os.system ["touch /tmp/camscan-pwned"]\n')
        (folder / "text.db").write_text("id,ip\n1,10.0.0.1\n")
        write_capture(folder / "capture.pcap", hosts=2)
        (folder / "scan.xml").write_text('<?xml version="1.0"?><nmaprun></nmaprun>\n')
        os.mkfifo(folder / "fifo")
        with sqlite3.connect(folder / "foreign.db") as conn:
            conn.execute("CREATE TABLE measurements (t REAL, v REAL)")
            conn.execute("INSERT INTO measurements VALUES (1.0, 2.0)")
        conn.close()
        shutil.copyfile(stored_db, folder / "unreadable.db")
        (folder / "unreadable.db").chmod(0)
        for path in folder.iterdir():
            if path.is_file() and path.name != "unreadable.db":
                path.chmod(0o644)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def snapshot(path: Path) -> tuple[str, bytes]:
    """What a path is and holds, so a test can tell it was left exactly as it was."""
    mode = path.lstat().st_mode
    if stat.S_ISDIR(mode):
        return "dir", "\n".join(sorted(p.name for p in path.iterdir())).encode()
    if stat.S_ISFIFO(mode):
        return "fifo", b""
    if os.geteuid() == 0 or os.access(path, os.R_OK):
        return "file", path.read_bytes()
    return "file", str(path.stat().st_size).encode()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_exit_2_and_nothing_lost(case: Case, bad_files: Path, stored_db: Path) -> None:
    prefix = unreadable_prefix(bad_files / case.bad_db) if case.bad_db == "unreadable.db" else []
    args = [a.format(dir=bad_files, good=stored_db) for a in case.args]
    neighbours = sorted(p.name for p in bad_files.iterdir())
    watched = bad_files / case.bad_db if case.bad_db else stored_db
    before = snapshot(watched)
    result = subprocess.run(
        [*prefix, str(CAMSCAN), *args],
        input=case.stdin,
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=bad_files if prefix else ROOT,
        timeout=60,
        check=False,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and case.message in lines[0], lines[0]
    assert result.stdout == ""
    # nothing lost: the inventory (or the bad --db itself) exactly as it was, nothing created beside it
    assert snapshot(watched) == before
    if case.bad_db:
        assert sorted(p.name for p in bad_files.iterdir()) == neighbours
    else:
        assert sorted(p.name for p in stored_db.parent.glob(stored_db.name + "*")) == [stored_db.name]
    assert not Path("/tmp/camscan-pwned").exists()
