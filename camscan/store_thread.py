"""One writer thread for a store, as datasette does: SQLite writes leave the event loop.

A `StoreThread` opens its own connection to the database (`Store.open(path)`, in the thread) and runs the jobs
it is given one after another, each in one transaction (`store.batch()`). A database that another process has
locked makes the thread wait (up to the busy timeout, `CAMSCAN_BUSY_TIMEOUT_MS`), never the event loop: probes go
on, and what they find waits in the queue or in memory. The queue is bounded (`MAX_PENDING` jobs): a producer that
outruns the disk waits for room (`put` blocks its thread, `aput` suspends its coroutine), so a large scan cannot
pile up unbounded work.

    thread = StoreThread(path).start()
    key = thread.call(lambda store: store.upsert_device(scan_id, record))   # wait for the result
    thread.put(lambda store: store.add_observations(scan_id, obs))          # fire and forget
    await thread.aput(job)                                                   # the same, from the event loop
    thread.close()                                                           # flush, then stop

Errors are never swallowed: the first error of a fire-and-forget job is raised by the next `put`, `call`, `flush`
or `close` (and by every one after it: the thread runs nothing more once a write has failed, so no later batch
is stored without an earlier one). `on_error` is told at once (the scan uses it to stop probing).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from camscan.errors import StoreError
from camscan.store import Store

T = TypeVar("T")

#: Jobs waiting for the thread at most; a producer beyond that waits (backpressure).
MAX_PENDING = 64
_STOP = object()


class StoreThread:
    """A thread that owns a connection to the database at `path` and runs write jobs in order."""

    def __init__(
        self,
        path: str | Path,
        *,
        max_pending: int = MAX_PENDING,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.path = str(path)
        self.on_error = on_error
        self._jobs: queue.Queue[Any] = queue.Queue(maxsize=max_pending)
        self._error: BaseException | None = None
        self._opened: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, name="camscan-store-writer", daemon=True)

    # ---------------------------------------------------------------------------------- lifecycle

    def start(self) -> StoreThread:
        """Start the thread and open its connection; a database that cannot be opened raises here."""
        self._thread.start()
        self._opened.result()
        return self

    def __enter__(self) -> StoreThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close(raise_error=exc[0] is None)

    def close(self, *, raise_error: bool = True) -> None:
        """Write everything queued, stop the thread and close its connection; then raise a pending error."""
        if self._thread.is_alive():
            self._jobs.put(_STOP)
            self._thread.join()
        if raise_error:
            self.check()

    async def aclose(self) -> None:
        """`close` from the event loop, without blocking it."""
        await asyncio.get_running_loop().run_in_executor(None, lambda: self.close(raise_error=False))
        self.check()

    # ---------------------------------------------------------------------------------- jobs

    def check(self) -> None:
        """Raise the error a fire-and-forget job met, if any (again on every call: it is not consumed)."""
        if self._error is not None:
            raise self._error

    def put(self, job: Callable[[Store], Any]) -> None:
        """Queue `job(store)`, to run in its own transaction; waits when MAX_PENDING jobs are queued."""
        self.check()
        self._alive()
        self._jobs.put((job, None))

    async def aput(self, job: Callable[[Store], Any]) -> None:
        """`put` from the event loop: waits for room without blocking the loop."""
        self.check()
        self._alive()
        await self._aput_item((job, None))
        self.check()

    def call(self, job: Callable[[Store], T]) -> T:
        """Run `job(store)` in its own transaction after everything queued before it, and return its result."""
        self.check()
        self._alive()
        done: Future[T] = Future()
        self._jobs.put((job, done))
        return done.result()

    async def acall(self, job: Callable[[Store], T]) -> T:
        """`call` from the event loop."""
        self.check()
        self._alive()
        done: Future[T] = Future()
        await self._aput_item((job, done))
        return await asyncio.wrap_future(done)

    async def _aput_item(self, item: tuple[Callable[[Store], Any], Future[Any] | None]) -> None:
        try:
            self._jobs.put_nowait(item)
        except queue.Full:
            await asyncio.get_running_loop().run_in_executor(None, self._jobs.put, item)

    def flush(self) -> None:
        """Wait until everything queued so far is written; raise the first error met."""
        self.call(lambda store: None)

    async def aflush(self) -> None:
        await self.acall(lambda store: None)

    @property
    def pending(self) -> int:
        return self._jobs.qsize()

    def _alive(self) -> None:
        if not self._thread.is_alive():
            raise StoreError(f"{self.path}: the store's writer thread is not running")

    # ---------------------------------------------------------------------------------- the thread

    def _run(self) -> None:
        try:
            store = Store.open(self.path, migrate=False)
        except BaseException as exc:
            self._opened.set_exception(exc)
            return
        self._opened.set_result(None)
        try:
            while True:
                item = self._jobs.get()
                if item is _STOP:
                    return
                job, done = item
                if self._error is not None:  # nothing after a failed write
                    if done is not None:
                        done.set_exception(self._error)
                    continue
                try:
                    with store.batch():
                        result = job(store)
                except BaseException as exc:
                    if done is not None:
                        done.set_exception(exc)
                    else:
                        self._fail(exc)
                    continue
                if done is not None:
                    done.set_result(result)
        finally:
            store.close()

    def _fail(self, exc: BaseException) -> None:
        self._error = exc
        if self.on_error is not None:
            with contextlib.suppress(
                Exception
            ):  # a broken callback must not hide the error: check() raises it
                self.on_error(exc)
