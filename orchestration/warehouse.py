"""The warehouse: every connection to the DuckDB file is opened here.

``connect`` opens it for writing with the configured limits (waiting, up to the lock timeout,
for another process that holds it); ``connect_read_only`` opens it for reading.
``WarehouseResource`` carries the same settings as a Dagster resource, so that assets,
checks and sensors receive the warehouse rather than open it themselves.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from dagster import ConfigurableResource

from orchestration.settings import (
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_THREADS,
    Settings,
)
from orchestration.warehouse_lock import retry_while_locked


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(
    warehouse: Path,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int = DEFAULT_THREADS,
    temp_directory: Path | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    publish_dir: Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the configured limits and the UTC session time zone.

    While another process holds the file, waits for it up to ``lock_timeout`` seconds
    (``warehouse_lock.retry_while_locked``)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = retry_while_locked(
        lambda: duckdb.connect(str(warehouse)), warehouse, lock_timeout, publish_dir
    )
    con.execute(f"set memory_limit = {_literal(memory_limit)}")
    con.execute(f"set threads = {int(threads)}")
    con.execute("set TimeZone = 'UTC'")
    if temp_directory is not None:
        con.execute(f"set temp_directory = {_literal(str(temp_directory))}")
    return con


def connect_read_only(
    warehouse: Path, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection (many readers may hold one at once; no writer meanwhile)."""
    config = {"memory_limit": memory_limit} if memory_limit else {}
    con = duckdb.connect(str(warehouse), read_only=True, config=config)
    con.execute("set TimeZone = 'UTC'")
    return con


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An in-memory session with the UTC session time zone, to attach database files to."""
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    return con


def attach(
    con: duckdb.DuckDBPyConnection,
    database: Path,
    alias: str,
    *,
    read_only: bool = False,
    lock_timeout: float | None = None,
    publish_dir: Path | None = None,
) -> None:
    """Attach ``database`` to ``con`` as ``alias``; with ``lock_timeout``, waiting while
    another process holds the file (``warehouse_lock.retry_while_locked``)."""
    sql = f"attach {_literal(str(database))} as {alias}" + (" (read_only)" if read_only else "")
    if lock_timeout is None:
        con.execute(sql)
    else:
        retry_while_locked(lambda: con.execute(sql), database, lock_timeout, publish_dir)


def wait_until_writable(
    warehouse: Path, timeout: float, publish_dir: Path | None = None
) -> None:
    """Return once this process can open ``warehouse`` for writing (it is closed again);
    ``WarehouseBusy`` once ``timeout`` seconds have passed."""
    if not warehouse.exists():
        return
    retry_while_locked(
        lambda: duckdb.connect(str(warehouse)), warehouse, timeout, publish_dir
    ).close()


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file and the limits every connection to it gets."""

    path: str
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    threads: int = DEFAULT_THREADS
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    temp_directory: str | None = None
    publish_dir: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            path=str(settings.warehouse),
            memory_limit=settings.memory_limit,
            threads=settings.threads,
            lock_timeout=settings.lock_timeout,
            temp_directory=str(settings.temp_directory) if settings.temp_directory else None,
            publish_dir=str(settings.publication_dir),
        )

    @property
    def file(self) -> Path:
        return Path(self.path)

    def connect(self) -> duckdb.DuckDBPyConnection:
        return connect(
            self.file,
            memory_limit=self.memory_limit,
            threads=self.threads,
            temp_directory=Path(self.temp_directory) if self.temp_directory else None,
            lock_timeout=self.lock_timeout,
            publish_dir=Path(self.publish_dir) if self.publish_dir else None,
        )

    def connect_read_only(self) -> duckdb.DuckDBPyConnection:
        return connect_read_only(self.file, self.memory_limit)
