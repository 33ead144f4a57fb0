"""The scan's progress bar on stderr (the one shared Console, `camscan.console.err`): addresses swept by nmap,
and hosts found, fingerprinted and identified. Off when stderr is not a terminal, and with --json or --quiet."""

from __future__ import annotations

from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from camscan.console import err
from camscan.scan.store_writer import Counters


class ScanProgress:
    def __init__(self, counters: Counters, enabled: bool) -> None:
        self.counters = counters
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: int | None = None

    def start(self) -> None:
        if not self.enabled:
            return
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("scanning"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} addresses"),
            TextColumn(
                "• found {task.fields[found]} • fingerprinted {task.fields[fingerprinted]} "
                "• identified {task.fields[identified]}"
            ),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(
            "scan", total=self.counters.addresses, found=0, fingerprinted=0, identified=0
        )

    def update(self) -> None:
        if self._progress is None or self._task is None:
            return
        c = self.counters
        self._progress.update(
            self._task,  # type: ignore[arg-type]
            completed=c.addresses_scanned,
            found=c.found,
            fingerprinted=c.fingerprinted,
            identified=c.identified,
        )

    def stop(self) -> None:
        if self._progress is not None:
            self.update()
            self._progress.stop()
            self._progress = None
