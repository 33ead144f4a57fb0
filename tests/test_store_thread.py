"""The store's writer thread (camscan/store_thread.py): results, ordering, errors that surface, backpressure,
and a locked database that waits off the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from camscan.errors import StoreError
from camscan.store import Store
from camscan.store_thread import StoreThread


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.db"
    Store.open(path).close()  # created and migrated
    return path


def _scan(store: Store) -> int:
    return store.start_scan("test")


def test_call_returns_the_result_after_what_was_queued(db: Path) -> None:
    with StoreThread(db) as thread:
        for _ in range(3):
            thread.put(_scan)
        assert thread.call(_scan) == 4
    with Store.open(db) as store:
        assert sorted(r["id"] for r in store.scans()) == [1, 2, 3, 4]


def test_a_failed_put_surfaces_at_the_next_call_and_stays(db: Path) -> None:
    seen: list[BaseException] = []
    thread = StoreThread(db, on_error=seen.append).start()

    def broken(store: Store) -> None:
        store.db.execute("INSERT INTO no_such_table VALUES (1)")

    thread.put(broken)
    with pytest.raises(StoreError, match="no such table: no_such_table"):
        thread.flush()
    assert seen and isinstance(seen[0], StoreError)
    with pytest.raises(StoreError):
        thread.put(_scan)  # nothing is written after a failed write
    with pytest.raises(StoreError):
        thread.close()


def test_a_failed_call_is_raised_to_its_caller_only(db: Path) -> None:
    with StoreThread(db) as thread:
        with pytest.raises(ZeroDivisionError):
            thread.call(lambda store: 1 / 0)
        assert thread.call(_scan) == 1  # a call's error is the caller's; the thread goes on


def test_a_job_is_one_transaction(db: Path) -> None:
    def half_then_fail(store: Store) -> None:
        store.start_scan("partial")
        raise RuntimeError("midway")

    with StoreThread(db) as thread, pytest.raises(RuntimeError):
        thread.call(half_then_fail)
    with Store.open(db) as store:
        assert store.scans() == []  # rolled back


def test_put_waits_for_room(db: Path) -> None:
    release = threading.Event()
    thread = StoreThread(db, max_pending=2).start()
    thread.put(lambda store: release.wait(10))  # the thread is busy with this one
    thread.put(_scan)
    thread.put(_scan)  # the queue is now full
    third = threading.Thread(target=thread.put, args=(_scan,))
    third.start()
    third.join(0.3)
    assert third.is_alive(), "put returned although the queue was full"
    release.set()
    third.join(10)
    assert not third.is_alive()
    thread.close()
    with Store.open(db) as store:
        assert len(store.scans()) == 3


def test_a_locked_database_waits_in_the_thread_not_on_the_loop(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the write lock for 1 s: the loop keeps ticking and the write lands after."""
    monkeypatch.setattr("camscan.store.BUSY_TIMEOUT_MS", 5000)
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    unlock = threading.Timer(1.0, lambda: holder.execute("ROLLBACK"))

    async def main() -> tuple[int, int]:
        thread = StoreThread(db).start()
        unlock.start()
        ticks = 0
        write = asyncio.ensure_future(thread.acall(_scan))
        while not write.done():
            await asyncio.sleep(0.01)
            ticks += 1
        scan_id = await write
        await thread.aclose()
        return ticks, scan_id

    started = time.monotonic()
    ticks, scan_id = asyncio.run(main())
    unlock.join()
    holder.close()
    assert scan_id == 1
    assert time.monotonic() - started >= 0.9  # it did wait for the lock
    assert ticks >= 40  # ... and the loop ran all the while (100 ticks a second when free)


def test_a_lock_past_the_busy_timeout_is_a_store_error(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("camscan.store.BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        thread = StoreThread(db).start()
        thread.put(_scan)
        with pytest.raises(StoreError, match="locked by another process"):
            thread.flush()
        thread.close(raise_error=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_database_that_cannot_be_opened_fails_at_start(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        StoreThread(tmp_path / "junk.db").start()
