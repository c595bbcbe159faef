"""One run at a time per warehouse: an exclusive lock on a file beside the warehouse.

``<warehouse>.lock`` holds the running process's id and start time while it holds an
``fcntl`` lock on it; the kernel drops the lock when the process ends, however it ends, so a
crashed run never leaves the warehouse locked. A second run waits up to the setting
``lock_wait_seconds``, then gives up with one line naming the running one.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse's lock."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    pid, _, started = text.partition(" ")
    if not pid:
        return "another process"
    return f"tallyhouse run PID {pid}" + (f", started {started}" if started else "")


@contextmanager
def run_lock(warehouse: Path, wait_seconds: float, poll_seconds: float = 0.2) -> Iterator[None]:
    """Hold the warehouse's run lock for the block; WarehouseBusy after ``wait_seconds``."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(wait_seconds, 0)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"warehouse {warehouse.name} is in use by {_holder(path)} "
                        f"(lock {path.name}); waited {wait_seconds:g}s, try again when it ends"
                    ) from None
                time.sleep(poll_seconds)
        started = datetime.now(UTC).replace(microsecond=0).isoformat()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {started}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
