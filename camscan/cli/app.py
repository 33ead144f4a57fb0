"""The camscan command line (typer): parse options, call one `camscan.api` function, render the result.

Exit codes (CONTRACT): 0 ok, 1 a problem `check` was asked to report, 2 bad usage or input, 3 partial failure.
One module per command group: `inventory` (identify, devices, concerns, signatures, demo), `scan`, `pcap`,
`reports` (import-nmap, export, report, diff, check, merge, datasette-metadata), `risk` (risk, advisories); the
lab's own app is mounted as `camscan lab`. Shared options are in `options`, terminal rendering in `render`.
"""

from __future__ import annotations

import signal
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from camscan import __version__
from camscan.cli import inventory, pcap, reports, risk, scan
from camscan.console import err, out, safe
from camscan.errors import CamscanError

#: The order `camscan --help` lists the commands in: the main job first, then reading and reporting.
COMMAND_ORDER = (
    "scan",
    "pcap",
    "import-nmap",
    "identify",
    "devices",
    "concerns",
    "export",
    "report",
    "diff",
    "check",
    "risk",
    "advisories",
    "merge",
    "demo",
    "lab",
    "signatures",
    "datasette-metadata",
)


class _OrderedGroup(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:  # typer's own click.Context (it vendors click)
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


app = typer.Typer(
    cls=_OrderedGroup,
    name="camscan",
    help="Inventory and fingerprint your own CCTV estate: who really made each camera, on what firmware, "
    "and which carry a recorded concern.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _lab_app() -> typer.Typer:
    from camscan.lab.cli import app as lab_app

    return lab_app


app.add_typer(
    _lab_app(), name="lab", help="The emulated camera estate: serve it (up) or clean up after it (down)."
)
for _group in (inventory, reports, pcap, scan, risk):
    _group.register(app)


def _version_callback(value: bool) -> None:
    if not value:
        return
    from camscan.identify.knowledge import load_knowledge

    try:
        data = load_knowledge().version
    except CamscanError as exc:
        data = f"data not loadable: {exc}"
    out.print(f"camscan {__version__} (data: {safe(data)})")
    raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show versions and exit."),
    ] = False,
) -> None:
    """camscan: inventory and fingerprint your own CCTV estate."""


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Console entry point: every CamscanError becomes one line on stderr and its exit code.

    SIGTERM is treated like Ctrl-C, so a stopped scan or import is marked `interrupted` with what it gathered.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except CamscanError as exc:
        err.print(f"error: {safe(exc)}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
