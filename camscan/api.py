"""camscan's Python API: every command of the command line is one function here (docs/api.md).

Each function takes plain values (paths, strings, numbers), opens and closes the inventory itself, and returns a
result. Results of commands that can partly fail carry their `exit_code` (CONTRACT: 0 ok, 1 `check` found what
it was asked to report, 3 partial failure, 130 interrupted) and a `to_dict()` that is the command's `--json`
document. Bad usage or input raises `camscan.errors.UsageError` (exit code 2) before anything is stored; a
database that cannot be used raises `StoreError`. Both derive from `CamscanError`, which carries `exit_code`.

    >>> import camscan.api as camscan
    >>> camscan.identify([{"kind": "http_server", "value": "App-webs/"}]).manufacturer
    'Hikvision'

The command line (`camscan.cli`) parses options, calls one function here and renders the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from camscan.errors import EXIT_FOUND, EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, UsageError

if TYPE_CHECKING:  # imported lazily at run time: `import camscan.api` and `camscan --help` stay fast
    from camscan.demo import DemoResult
    from camscan.identify.engine import Engine
    from camscan.identify.stream import LineResult
    from camscan.importers.nmap_xml import ImportResult
    from camscan.merge import MergeResult
    from camscan.model import Identity
    from camscan.passive.pcap_import import PcapResult
    from camscan.report.check import Finding
    from camscan.report.diff import ScanDiff
    from camscan.report.queries import Estate
    from camscan.report.summary import ScanSummary
    from camscan.risk.kev import KevUpdate
    from camscan.risk.report import RiskResult
    from camscan.scan.runner import ScanResult
    from camscan.store import Store

#: The inventory a command uses when none is named.
DEFAULT_DB = Path("inventory.db")

PathLike = str | Path
Note = Callable[[str], None]

__all__ = [
    "DEFAULT_DB",
    "EXIT_FOUND",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "advisories_update",
    "check",
    "concerns",
    "demo",
    "devices",
    "diff",
    "engine",
    "estate",
    "export",
    "identify",
    "identify_lines",
    "import_nmap",
    "import_pcaps",
    "merge",
    "open_inventory",
    "report",
    "risk",
    "scan",
    "scan_summary",
]


# -- the engine and the store ------------------------------------------------------------------------


def engine(concerns: Iterable[PathLike] = ()) -> Engine:
    """The identification engine over the shipped data, with extra concerns registers merged by id (cached)."""
    from camscan.identify.engine import get_engine

    return get_engine(extra_concerns=tuple(Path(p) for p in concerns))


def open_inventory(db: PathLike, *, create: bool = False) -> Store:
    """Open an inventory (use it as a context manager). Without `create`, a missing file is a UsageError: a
    command that only reads must not leave an empty database behind."""
    from camscan.store import Store

    path = Path(db)
    if not create and not path.exists():
        raise UsageError(f"{path}: no such inventory; run a scan or an import first, or pass --db")
    return Store.open(path)


# -- sources: scan, pcap, nmap -----------------------------------------------------------------------


def scan(
    targets: Sequence[str],
    *,
    db: PathLike = DEFAULT_DB,
    exclude: Sequence[str] = (),
    ports: str | None = None,
    site: str | None = None,
    credentials: PathLike | None = None,
    rate: float | None = None,
    timeout: float | None = None,
    allow_public: bool = False,
    interfaces: Sequence[str] = (),
    note: Note | None = None,
    progress: bool = False,
) -> ScanResult:
    """Discover and fingerprint `targets` (addresses, CIDR blocks, ranges, @files) into the inventory `db`.

    `ports` is the `--ports` text (e.g. "80,443,8000-8010"; default: the camera ports). Returns a `ScanResult`
    (`exit_code` 3 when some hosts failed, 130 when interrupted); bad input raises UsageError first.
    """
    from camscan.probe.limits import DEFAULT_RATE, DEFAULT_TIMEOUT_S
    from camscan.scan.options import ScanOptions, parse_ports
    from camscan.scan.runner import run_scan

    options = ScanOptions(
        targets=list(targets),
        exclude=list(exclude),
        ports=parse_ports(ports),
        site=site,
        credentials_file=Path(credentials) if credentials is not None else None,
        rate=rate if rate is not None else DEFAULT_RATE,
        rate_given=rate is not None,
        timeout_s=timeout if timeout is not None else DEFAULT_TIMEOUT_S,
        allow_public=allow_public,
        interfaces=list(interfaces),
        db=Path(db),
    )
    return run_scan(options, note=note, progress=progress)


def import_pcaps(
    paths: Sequence[PathLike],
    *,
    db: PathLike = DEFAULT_DB,
    site: str | None = None,
    allow_public: bool = False,
    concerns: Iterable[PathLike] = (),
    progress: Callable[[int, int, str], None] | None = None,
) -> PcapResult:
    """Identify the devices in recorded traffic (pcap/pcapng, plain or .gz), stored as one scan of kind `pcap`.

    Raises `camscan.passive.pcap_import.NoCaptures` (a UsageError) when no file is a capture; otherwise the result's
    `problems` lists what could not be read and `exit_code` is 3 when anything could not.
    """
    from camscan.passive.pcap_import import import_pcaps as run_import

    identify_with = engine(concerns)
    with open_inventory(db, create=True) as store:
        return run_import(
            store,
            identify_with,
            [Path(p) for p in paths],
            site=site,
            allow_public=allow_public,
            progress=progress,
        )


@dataclass(slots=True)
class NmapImport:
    """The result of `import_nmap`: one entry per file, in the order given."""

    files: list[dict[str, Any]] = field(default_factory=list)
    results: list[ImportResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_PARTIAL if self.problems else EXIT_OK

    def to_dict(self) -> list[dict[str, Any]]:
        """The `import-nmap --json` document (a list, one object per file)."""
        return self.files


def import_nmap(
    paths: Sequence[PathLike],
    *,
    db: PathLike = DEFAULT_DB,
    site: str | None = None,
    concerns: Iterable[PathLike] = (),
    on_file: Callable[[dict[str, Any]], None] | None = None,
) -> NmapImport:
    """Load nmap XML files (-oX) as observations, one scan of kind `nmap` per file.

    A single file that is not nmap XML raises UsageError; with several, such a file is listed (status
    "not imported") and the others are imported. A file damaged part-way keeps the hosts before the damage.
    `exit_code` is 3 when any file was not (wholly) imported. `on_file` is called with each file's entry
    as soon as that file is done.
    """
    from camscan.importers.nmap_xml import import_nmap as run_import

    identify_with = engine(concerns)
    files = [Path(p) for p in paths]
    outcome = NmapImport()
    with open_inventory(db, create=True) as store:
        for path in files:
            try:
                result = run_import(store, identify_with, path, site=site)
            except UsageError as exc:
                if len(files) == 1:
                    raise
                outcome.problems.append(str(exc))
                entry = {"file": str(path), "status": "not imported", "error": str(exc)}
            else:
                outcome.results.append(result)
                entry = result.to_dict()
                if result.error:
                    outcome.problems.append(result.error)
            outcome.files.append(entry)
            if on_file is not None:
                on_file(entry)
    return outcome


# -- identification ----------------------------------------------------------------------------------


def identify(observations: Iterable[Mapping[str, Any]], *, concerns: Iterable[PathLike] = ()) -> Identity:
    """Identify one host from its observations (`{"kind": K, "value": V}` mappings, CONTRACT kinds).

    >>> identity = identify([{"kind": "http_server", "value": "App-webs/"}])
    >>> identity.manufacturer, identity.device_type, identity.is_camera
    ('Hikvision', 'camera', True)
    """
    from camscan.model import Observation

    items = [Observation.from_dict(dict(o)) for o in observations]
    return engine(concerns).identify(items)


def identify_lines(lines: Iterable[str], *, concerns: Iterable[PathLike] = ()) -> Iterable[LineResult]:
    """`camscan identify`: JSON lines in (an observation or a host per line), one `LineResult` per line out,
    lazily (a stream). A line that cannot be read gives a result with `error` set."""
    from camscan.identify.stream import identify_lines as run

    return run(lines, engine(concerns))


# -- reading the inventory ---------------------------------------------------------------------------


def devices(
    db: PathLike = DEFAULT_DB, *, concern: bool = False, vendor: str | None = None
) -> list[dict[str, Any]]:
    """The current inventory, one CONTRACT `devices --json` element per device.

    `concern`: only devices with a recorded concern; `vendor`: only devices made or sold by this vendor (any
    alias `vendors.yaml` knows).
    """
    with open_inventory(db) as store:
        if vendor:
            vendor = engine().vendors.resolve(vendor) or vendor
        return store.devices(concern_only=concern, vendor=vendor)


def estate(db: PathLike = DEFAULT_DB, *, site: str | None = None, scan: int | None = None) -> Estate:
    """What the reports describe: the devices in scope (current, or as scan `scan` saw them) and what they cite."""
    from camscan.report.queries import load_estate

    with open_inventory(db) as store:
        return load_estate(store, site=site, scan_id=scan)


def risk(
    db: PathLike = DEFAULT_DB,
    *,
    kev_only: bool = False,
    site: str | None = None,
    include_not_affected: bool = False,
) -> RiskResult:
    """Firmware risk: one row per device x advisory (affected, no fix, possibly affected; KEV first) with the
    reason and what to do (docs/risk.md). `kev_only`: only advisories in CISA's KEV catalog. Stored matches are
    refreshed first when the advisory data changed since they were made (a new camscan, `advisories update`)."""
    from camscan.report.queries import load_estate
    from camscan.risk.report import risk_rows

    advisories = engine().knowledge.advisories
    with open_inventory(db) as store:
        store.refresh_advisories(advisories)
        seen = load_estate(store, site=site)
    return risk_rows(
        seen.devices, kev_only=kev_only, include_not_affected=include_not_affected, label=advisories.label
    )


def advisories_update(kev: PathLike, *, output: PathLike | None = None, dry_run: bool = False) -> KevUpdate:
    """`camscan advisories update --kev FILE`: refresh the KEV fields of advisories.yaml from a copy of CISA's
    KEV catalog (JSON or CSV) you downloaded yourself; nothing is fetched. Only the `kev` fields of known entries
    change, plus the catalog record (version, date, count, sha256). The result lists what changed and the KEV
    entries from camera makers with no curated range. `output`: write the updated file there instead of the data
    directory's advisories.yaml (e.g. when camscan is installed read-only); `dry_run`: write nothing."""
    import os
    import tempfile

    from camscan.risk.advisories import AdvisorySet
    from camscan.risk.kev import plan, read_catalog, rewrite

    knowledge = engine().knowledge
    advisories = knowledge.advisories
    if advisories.path is None:
        raise UsageError("the data directory has no advisories.yaml to update")
    catalog = read_catalog(Path(kev))
    update = plan(catalog, advisories, knowledge.vendors)
    target = Path(output) if output is not None else advisories.path
    update.target = target
    if dry_run:
        return update
    text = rewrite(advisories.path.read_text(encoding="utf-8"), update)
    with writing(target):
        fd, tmp = tempfile.mkstemp(prefix=".advisories-", suffix=".yaml", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            AdvisorySet.load(Path(tmp), knowledge.vendors)  # the edited file must still load
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    update.written = True
    return update


def scan_summary(db: PathLike, scan_id: int) -> ScanSummary:
    """What one scan found, in a few lines: devices, cameras, by maker, of concern, unidentified, changes since
    the previous scan of its site, errors (`camscan scan` prints this at its end)."""
    from camscan.report.summary import summarise_scan

    with open_inventory(db) as store:
        return summarise_scan(store, scan_id)


def concerns(
    vendor: str | None = None, *, extra: Iterable[PathLike] = (), since: str | None = None
) -> dict[str, Any]:
    """The concerns register (or what applies to `vendor`), the `camscan concerns --json` document; with
    `since` (YYYY-MM-DD), only the entries added or changed on or after that date."""
    from camscan.concerns import parse_since
    from camscan.concerns_view import concerns_report

    since_date = parse_since(since) if since is not None else None
    return concerns_report(engine(extra).knowledge, vendor, since_date)


# -- reports -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Written:
    """A report or export: where it went (None: returned as `text`), and what it covered."""

    output: Path | None
    format: str
    devices: int
    scope: str
    text: str | None = None
    exit_code: int = EXIT_OK


def export(
    fmt: str | None = None,
    *,
    db: PathLike = DEFAULT_DB,
    output: PathLike | None = None,
    site: str | None = None,
    scan: int | None = None,
    table: str | None = None,
) -> Written:
    """The commissioner's questionnaire as csv, xlsx, json or md (`fmt`, default from `output`'s suffix).

    Without `output` the text is returned in `Written.text` (xlsx needs an output file).
    """
    from camscan.report import questionnaire

    out_path = Path(output) if output is not None else None
    if fmt is None and out_path is not None and out_path.suffix.lstrip(".").lower() in questionnaire.FORMATS:
        fmt = out_path.suffix.lstrip(".").lower()
    if fmt is None:
        raise UsageError("choose --format csv, xlsx, json or md")
    fmt = fmt.lower()
    if fmt not in questionnaire.FORMATS:
        raise UsageError(f"--format {fmt!r}: choose csv, xlsx, json or md")
    if table is not None and table not in questionnaire.TABLE_NAMES:
        raise UsageError(f"--table {table!r}: choose one of {', '.join(questionnaire.TABLE_NAMES)}")
    if fmt == "xlsx" and out_path is None:
        raise UsageError("xlsx is a binary format: give -o FILE.xlsx")
    seen = estate(db, site=site, scan=scan)
    if out_path is None:
        text = questionnaire.render(seen, fmt, None, table) or ""
        return Written(None, fmt, len(seen.devices), seen.scope_text, text)
    with writing(out_path):
        rendered = questionnaire.render(seen, fmt, out_path, table)
        if rendered is not None:
            out_path.write_text(rendered, encoding="utf-8", newline="")
    return Written(out_path, fmt, len(seen.devices), seen.scope_text)


def report(
    output: PathLike, *, db: PathLike = DEFAULT_DB, site: str | None = None, scan: int | None = None
) -> Written:
    """The self-contained HTML report, written to `output`."""
    from camscan.report import html
    from camscan.report.diff import previous_changes
    from camscan.report.queries import load_estate

    out_path = Path(output)
    with open_inventory(db) as store:
        seen = load_estate(store, site=site, scan_id=scan)
        changes = previous_changes(store, site, scan)
    with writing(out_path):
        out_path.write_text(html.render(seen, changes), encoding="utf-8")
    return Written(out_path, "html", len(seen.devices), seen.scope_text)


def diff(
    scan_a: int | None = None,
    scan_b: int | None = None,
    *,
    db: PathLike = DEFAULT_DB,
    site: str | None = None,
) -> ScanDiff:
    """Changes between two scans (default: the last two complete scans of one site)."""
    from camscan.report.diff import scan_diff

    with open_inventory(db) as store:
        return scan_diff(store, scan_a, scan_b, site=site)


@dataclass(slots=True)
class CheckResult:
    """`check`: the devices that fail the rules; `exit_code` 1 when there are any."""

    fail_on: list[str]
    devices: int
    findings: list[Finding]
    analog_cameras: int = 0  # analogue cameras behind recorders, maker unknown: never `unknown` (issue 14)

    @property
    def failed(self) -> bool:
        return bool(self.findings)

    @property
    def exit_code(self) -> int:
        return EXIT_FOUND if self.findings else EXIT_OK

    @property
    def notes(self) -> list[str]:
        """Summary lines besides the findings (what the gate counted apart)."""
        from camscan.report.check import analog_note

        note = analog_note(self.analog_cameras)
        return [note] if note else []

    def to_dict(self) -> dict[str, Any]:
        return {
            "fail_on": self.fail_on,
            "devices": self.devices,
            "failed": self.failed,
            "findings": [f.to_dict() for f in self.findings],
            "analog_cameras": self.analog_cameras,
        }


def check(
    fail_on: Iterable[str] = ("concern",), *, db: PathLike = DEFAULT_DB, site: str | None = None
) -> CheckResult:
    """A CI gate: the devices of concern (`concern`), unidentified cameras (`unknown`), devices with a known-exploited
    advisory they may carry (`kev`: KEV-listed, affected, no fix or possibly affected) and devices affected by
    any advisory (`affected`: affected or no fix).

    An analogue camera behind a recorder whose maker the recorder does not say is not an unidentified camera
    (coax carries no identity): it is counted in `analog_cameras` instead."""
    from camscan.report.check import analog_cameras, parse_fail_on
    from camscan.report.check import check as run_check

    rules = parse_fail_on(list(fail_on))
    seen = estate(db, site=site)
    return CheckResult(rules, len(seen.devices), run_check(seen, rules), len(analog_cameras(seen)))


def merge(sources: Sequence[PathLike], output: PathLike, *, force: bool = False) -> MergeResult:
    """Combine per-site inventories into a new one (sources only read; devices deduplicated by MAC/serial)."""
    from camscan.merge import merge_stores

    return merge_stores([Path(s) for s in sources], Path(output), force=force)


def demo(db: PathLike = DEFAULT_DB, *, recorded: bool = False, progress: bool = False) -> DemoResult:
    """Scan the built-in lab (needs root), or with `recorded` (or without root) identify recorded example
    hosts through the same pipeline."""
    from camscan.demo import can_run_lab, run_examples, run_lab

    if recorded or not can_run_lab():
        return run_examples(Path(db), engine())
    return run_lab(Path(db), progress=progress)


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An output file that cannot be written is bad input: one line, exit 2."""
    try:
        yield
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None
