"""Waiting for the working warehouse when another process holds it.

DuckDB lets one process write a database file, or any number read it, never both: a BI tool
or a DuckDB CLI that opens the warehouse itself (rather than the published copy) makes the
pipeline's next connection fail at once with "Could not set lock on file". A run waits for
such a reader with backoff, up to the lock timeout (setting ``lock_timeout``), then fails
with one line that names the process holding the file and says where BI tools belong.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

_FIRST_WAIT = 0.1
_LONGEST_WAIT = 5.0
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")


class WarehouseBusy(RuntimeError):
    """The warehouse stayed locked by another process for the whole lock timeout."""

    def __init__(self, message: str, pid: int | None) -> None:
        super().__init__(message)
        self.pid = pid


def is_lock_conflict(error: BaseException) -> bool:
    text = str(error)
    return "Could not set lock on file" in text or "Conflicting lock" in text


def lock_holder(error: BaseException) -> tuple[str | None, int | None]:
    """The program and PID DuckDB names in a lock conflict, when it names them."""
    match = _HOLDER.search(str(error))
    if match is None:
        return None, None
    return match.group("program"), int(match.group("pid"))


def busy_message(
    warehouse: Path, error: BaseException, waited: float, publish_dir: Path | None
) -> str:
    """One line: who holds the warehouse, how long the run waited, where readers belong."""
    program, pid = lock_holder(error)
    holder = f"process {pid} ({program})" if pid is not None else "another process"
    published = f" ({publish_dir / 'marts.duckdb'})" if publish_dir is not None else ""
    return (
        f"the warehouse {warehouse} is locked by {holder}; waited {waited:.0f}s "
        f"(TALLYHOUSE_LOCK_TIMEOUT). Close it there, and point BI tools and the DuckDB CLI "
        f"at the published marts.duckdb{published}, never at the warehouse."
    )


def retry_while_locked(
    attempt: Callable[[], duckdb.DuckDBPyConnection],
    warehouse: Path,
    timeout: float,
    publish_dir: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> duckdb.DuckDBPyConnection:
    """``attempt()`` again after 0.1 s, 0.2 s, 0.4 s ... (at most 5 s apart) while the file is
    locked by another process; ``WarehouseBusy`` once ``timeout`` seconds have passed."""
    started = clock()
    wait = _FIRST_WAIT
    while True:
        try:
            return attempt()
        except duckdb.Error as error:
            if not is_lock_conflict(error):
                raise
            waited = clock() - started
            if waited >= timeout:
                raise WarehouseBusy(
                    busy_message(warehouse, error, waited, publish_dir), lock_holder(error)[1]
                ) from None
            sleep(min(wait, max(timeout - waited, 0.0)))
            wait = min(wait * 2, _LONGEST_WAIT)


def wait_for_warehouse(
    warehouse: Path, timeout: float, publish_dir: Path | None = None
) -> None:
    """Return once this process can open ``warehouse`` for writing
    (``warehouse.wait_until_writable``)."""
    from orchestration.warehouse import wait_until_writable

    wait_until_writable(warehouse, timeout, publish_dir)
