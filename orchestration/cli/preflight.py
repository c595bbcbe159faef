"""Checks made before a run touches anything, each failing with one line that says what to fix.

A run needs a landing zone to read, a folder it can write the warehouse (and DuckDB's spill
files) into, and a warehouse no other process holds open: DuckDB lets one process write a
file, and names the holder's process id when it refuses.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import re
import shutil
import tempfile
from pathlib import Path

from orchestration.settings import Settings, SettingsError

LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")


def check_landing(landing: Path) -> None:
    if not landing.exists():
        raise SettingsError(
            f"landing zone {landing} does not exist: set --landing or TALLYHOUSE_LANDING to "
            f"the folder of landed files, or write one with tallyhouse generate --out {landing}"
        )
    if not landing.is_dir():
        raise SettingsError(
            f"landing zone {landing} is a file, not a folder: set --landing or "
            "TALLYHOUSE_LANDING to the folder of landed files"
        )


def _writable_folder(folder: Path, what: str, setting: str) -> None:
    """``folder`` exists (created when missing) and a file can be created in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tallyhouse-probe-"):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            reason = "not writable"
        raise SettingsError(
            f"cannot write the {what} in {folder} ({reason.lower()}): set {setting} "
            "to a file in a folder you can write"
        ) from None


def check_warehouse(warehouse: Path, probe_lock: bool = True) -> None:
    if warehouse.is_dir():
        raise SettingsError(
            f"warehouse {warehouse} is a folder: set --warehouse or TALLYHOUSE_WAREHOUSE to a "
            "file such as warehouse.duckdb"
        )
    _writable_folder(warehouse.parent, "warehouse", "--warehouse or TALLYHOUSE_WAREHOUSE")
    if warehouse.exists() and not os.access(warehouse, os.W_OK):
        raise SettingsError(
            f"warehouse {warehouse} is read-only: make it writable or set --warehouse or "
            "TALLYHOUSE_WAREHOUSE to another file"
        )
    if probe_lock:
        check_not_locked(warehouse)


def check_not_locked(warehouse: Path) -> None:
    """Open the warehouse for writing once: DuckDB refuses while another process holds it."""
    import duckdb

    from orchestration.warehouse import connect
    from orchestration.warehouse_lock import WarehouseBusy

    if not warehouse.exists():
        return
    try:
        connect(warehouse, lock_timeout=0).close()
    except WarehouseBusy as busy:
        raise SettingsError(str(busy)) from None
    except duckdb.Error as exc:
        raise SettingsError(describe_duckdb_error(exc, warehouse)) from None


def describe_duckdb_error(exc: BaseException, warehouse: Path) -> str:
    """One line for a DuckDB error about the warehouse file: the lock's holder when it is a
    lock, else DuckDB's own first line."""
    message = str(exc)
    holder = LOCK_HOLDER.search(message)
    if "Could not set lock" in message or holder:
        who = f"process {holder['pid']} ({holder['program']})" if holder else "another process"
        return (
            f"warehouse {warehouse} is in use by {who}: wait for it to finish or stop it, "
            "then run again"
        )
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    return f"warehouse {warehouse}: {first}"


def check_temp_directory(temp_directory: Path | None) -> None:
    if temp_directory is None:
        return
    if temp_directory.exists() and not temp_directory.is_dir():
        raise SettingsError(
            f"TALLYHOUSE_TEMP_DIRECTORY {temp_directory} is a file: set it to a folder"
        )
    _writable_folder(temp_directory, "spill files", "TALLYHOUSE_TEMP_DIRECTORY")


def check_engine(engine: str) -> None:
    """The Spark engine needs dbt-spark with pyspark (``pip install -e '.[spark]'``) and a
    Java runtime (17 or newer) on ``PATH`` or in ``JAVA_HOME``."""
    if engine != "spark":
        return
    missing = [package for package, module in (("pyspark", "pyspark"),
                                               ("dbt-spark", "dbt.adapters.spark"))
               if not _has_module(module)]
    if missing:
        raise SettingsError(
            f"--engine spark needs {' and '.join(missing)}: install them with "
            "`.venv/bin/pip install -e '.[spark]'` (or choose --engine duckdb)"
        )
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        raise SettingsError(
            "--engine spark needs a Java runtime (17 or newer): install one (Debian: apt-get "
            "install openjdk-17-jre-headless) or set JAVA_HOME (or choose --engine duckdb)"
        )


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def check_run(settings: Settings, probe_lock: bool = True) -> None:
    """Everything ``tallyhouse run`` needs before it starts Dagster (``probe_lock``: also
    that no other process holds the warehouse open)."""
    check_landing(settings.landing)
    check_warehouse(settings.warehouse, probe_lock)
    check_temp_directory(settings.temp_directory)
    check_engine(settings.engine)
