"""Run settings, read once from flags or ``TALLYHOUSE_*`` environment variables.

The same variables drive ``tallyhouse run`` and ``dagster dev``, so the UI and the command
line always materialize the same warehouse from the same landing zone.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from orchestration.digest import files_digest

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_GRACE_HOURS = 48
DEFAULT_LOCK_WAIT_SECONDS = 60.0  # how long a run waits for another run on its warehouse
DEFAULT_LOCK_TIMEOUT = 60.0  # seconds a run waits for a process that holds the warehouse
PUBLISH_DIR_NAME = "published"  # the default publish_dir, beside the warehouse file
DEFAULT_LOCAL_DIR = REPO_ROOT / ".tallyhouse"
AS_OF_TAG = "tallyhouse/as_of"  # the Dagster run tag that carries a run's as-of time
DEFAULT_MEMORY_LIMIT = "4GB"
DEFAULT_THREADS = 2
DEFAULT_DBT_THREADS = 1
# DuckDB's memory_limit: a number and a unit (1000- or 1024-based), or a share of the RAM
MEMORY_LIMIT_PATTERN = re.compile(r"\d+(\.\d+)?\s*(kb|mb|gb|tb|kib|mib|gib|tib|%)", re.I)
SWITCHES = ("TALLYHOUSE_FULL_REFRESH", "TALLYHOUSE_COLUMN_LINEAGE")  # "0" or "1"
# The engines that build the dbt models: DuckDB (the default, in the warehouse file) or
# Apache Spark (dbt-spark; orchestration/spark). Ingest and the publication are DuckDB's.
ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"


class SettingsError(ValueError):
    """A setting with a value a person must change; the message is one line that names it."""


def put_python_bin_on_path() -> None:
    """dbt is installed beside this Python (the project's venv): child processes find it.

    ``dagster dev`` started from a shell without the venv on ``PATH`` (``make ui``) loads the
    code location with the venv's Python, whose ``dbt`` would otherwise not be found when
    dagster-dbt parses the project.
    """
    python_bin = str(Path(sys.executable).parent)
    if python_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = python_bin + os.pathsep + os.environ.get("PATH", "")


@functools.cache
def macros_digest() -> str:
    """A digest of the dbt project's macros, passed to dbt as ``TALLYHOUSE_MACROS_DIGEST``.

    dbt's graph exposes a checksum for every model and seed but none for macros; the
    incremental models key their rows on both (macro ``code_digest``), so that a changed
    macro recomputes their rows.
    """
    return files_digest((DBT_PROJECT_DIR / "macros").rglob("*.sql"), DBT_PROJECT_DIR, 16)


def dbt_run_parameters(as_of_iso: str, grace_hours: int) -> dict[str, str]:
    """The environment that gives ``dbt build`` its run parameters (macro ``run_parameter``)."""
    return {
        "TALLYHOUSE_AS_OF": as_of_iso,
        "TALLYHOUSE_GRACE_HOURS": str(grace_hours),
        "TALLYHOUSE_MACROS_DIGEST": macros_digest(),
    }


def parse_as_of(text: str | None) -> datetime:
    """Parse an ISO-8601 as-of time; no offset means UTC; empty means now."""
    if not text:
        return datetime.now(UTC).replace(microsecond=0)
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(
            f"as-of time {text!r} is not ISO-8601 (for example 2026-02-03T06:00:00Z)"
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class Settings:
    """Where the landing zone, warehouse and publication are, the as-of time, how long a run
    waits for a process holding the warehouse, and the DuckDB limits."""

    landing: Path
    warehouse: Path
    as_of: datetime
    grace_hours: int = DEFAULT_GRACE_HOURS
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    threads: int = DEFAULT_THREADS
    dbt_threads: int = DEFAULT_DBT_THREADS
    publish_dir: Path | None = None  # None: ``published/`` beside the warehouse
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    temp_directory: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)
    lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
    full_refresh: bool = False  # TALLYHOUSE_FULL_REFRESH=1: rebuild the incremental models
    column_lineage: bool = True  # TALLYHOUSE_COLUMN_LINEAGE=0: no column schema and lineage
    engine: str = DEFAULT_ENGINE  # TALLYHOUSE_ENGINE / --engine: duckdb or spark
    spark_dir: Path | None = None  # None: ``<warehouse stem>.spark/`` beside the warehouse

    @property
    def publication_dir(self) -> Path:
        """Where BI tools read: ``publish_dir``, else ``published/`` beside the warehouse."""
        if self.publish_dir is not None:
            return self.publish_dir
        return self.warehouse.parent / PUBLISH_DIR_NAME

    @property
    def spark_home(self) -> Path:
        """The Spark engine's folder: ``raw/`` (the raw layer as Parquet), ``warehouse/``
        (Spark's tables) and its metastore; ``spark_dir``, else beside the warehouse."""
        if self.spark_dir is not None:
            return self.spark_dir
        return self.warehouse.parent / f"{self.warehouse.stem}.spark"

    @property
    def raw_parquet(self) -> Path:
        return self.spark_home / "raw"

    @property
    def as_of_iso(self) -> str:
        return self.as_of.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def dbt_env(self) -> dict[str, str]:
        """The run parameters of ``dbt build`` (macro ``run_parameter``): environment
        variables, not ``--vars``, so that a new as-of time keeps dbt's partial parse."""
        return dbt_run_parameters(self.as_of_iso, self.grace_hours)

    def env(self) -> dict[str, str]:
        """The environment variables that reproduce these settings in a child process."""
        env = {
            **self.dbt_env(),
            "TALLYHOUSE_LANDING": str(self.landing),
            "TALLYHOUSE_WAREHOUSE": str(self.warehouse),
            "TALLYHOUSE_MEMORY_LIMIT": self.memory_limit,
            "TALLYHOUSE_THREADS": str(self.threads),
            "TALLYHOUSE_DBT_THREADS": str(self.dbt_threads),
            "TALLYHOUSE_LOCK_TIMEOUT": f"{self.lock_timeout:g}",
        }
        if self.publish_dir is not None:  # else it follows the warehouse, wherever that is
            env["TALLYHOUSE_PUBLISH_DIR"] = str(self.publish_dir)
        if self.temp_directory is not None:
            env["TALLYHOUSE_TEMP_DIRECTORY"] = str(self.temp_directory)
        if self.full_refresh:
            env["TALLYHOUSE_FULL_REFRESH"] = "1"
        if not self.column_lineage:
            env["TALLYHOUSE_COLUMN_LINEAGE"] = "0"
        env["TALLYHOUSE_ENGINE"] = self.engine
        if self.engine == "spark" or self.spark_dir is not None:
            env["TALLYHOUSE_SPARK_DIR"] = str(self.spark_home)
            env["TALLYHOUSE_RAW_PARQUET"] = str(self.raw_parquet)
        return env


def whole_number(name: str, text: object, default: int, minimum: int) -> int:
    """``text`` as an integer of at least ``minimum`` (``default`` when empty); a
    ``SettingsError`` naming ``name`` otherwise."""
    if text is None or str(text).strip() == "":
        return default
    try:
        value = int(str(text).strip())
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise SettingsError(
            f"{name} must be a whole number of at least {minimum}, got {str(text)!r}"
        )
    return value


def memory_limit_setting(text: str | None) -> str:
    """``TALLYHOUSE_MEMORY_LIMIT`` as DuckDB reads it (``4GB``, ``500MiB``, ``80%``)."""
    if text is None or text.strip() == "":
        return DEFAULT_MEMORY_LIMIT
    if not MEMORY_LIMIT_PATTERN.fullmatch(text.strip()):
        raise SettingsError(
            f"TALLYHOUSE_MEMORY_LIMIT must be a size such as 4GB, 500MiB or 80%, got {text!r}"
        )
    return text.strip()


def check_switches(env: Mapping[str, str]) -> None:
    """The on/off variables take ``0`` or ``1`` (empty: their default)."""
    for name in SWITCHES:
        value = env.get(name, "")
        if value.strip() not in ("", "0", "1"):
            raise SettingsError(f"{name} must be 0 or 1, got {value!r}")


def engine_setting(text: str | None, source: str = "TALLYHOUSE_ENGINE") -> str:
    """The engine named by ``--engine`` or ``TALLYHOUSE_ENGINE`` (empty: DuckDB)."""
    if text is None or text.strip() == "":
        return DEFAULT_ENGINE
    name = text.strip().lower()
    if name not in ENGINES:
        raise SettingsError(f"{source} must be one of {', '.join(ENGINES)}, got {text!r}")
    return name


def load_settings(
    landing: str | Path | None = None,
    warehouse: str | Path | None = None,
    as_of: str | None = None,
    grace_hours: int | None = None,
    lock_wait_seconds: float | None = None,
    publish_dir: str | Path | None = None,
    lock_timeout: float | str | None = None,
    engine: str | None = None,
) -> Settings:
    """Settings from explicit values, else ``TALLYHOUSE_*`` variables, else defaults.

    A value that cannot work raises ``SettingsError``, whose message names the flag or the
    variable to change.
    """
    env = os.environ
    landing_path = Path(landing or env.get("TALLYHOUSE_LANDING") or DEFAULT_LOCAL_DIR / "landing")
    warehouse_path = Path(
        warehouse or env.get("TALLYHOUSE_WAREHOUSE") or DEFAULT_LOCAL_DIR / "warehouse.duckdb"
    )
    if grace_hours is not None:
        grace = whole_number("--grace-hours", grace_hours, DEFAULT_GRACE_HOURS, 0)
    else:
        grace = whole_number(
            "TALLYHOUSE_GRACE_HOURS", env.get("TALLYHOUSE_GRACE_HOURS"), DEFAULT_GRACE_HOURS, 0
        )
    as_of_source = "--as-of" if as_of is not None else "TALLYHOUSE_AS_OF"
    try:
        as_of_time = parse_as_of(as_of if as_of is not None else env.get("TALLYHOUSE_AS_OF"))
    except ValueError as exc:
        raise SettingsError(f"{as_of_source}: {exc}") from None
    check_switches(env)
    temp = env.get("TALLYHOUSE_TEMP_DIRECTORY")
    wait_text = (
        lock_wait_seconds
        if lock_wait_seconds is not None
        else env.get("TALLYHOUSE_LOCK_WAIT_SECONDS")
    )
    wait_source = "--lock-wait" if lock_wait_seconds is not None else "TALLYHOUSE_LOCK_WAIT_SECONDS"
    try:
        wait = float(wait_text) if wait_text not in (None, "") else DEFAULT_LOCK_WAIT_SECONDS
    except ValueError:
        raise SettingsError(
            f"{wait_source} must be a number of seconds, got {wait_text!r}"
        ) from None
    publish = publish_dir or env.get("TALLYHOUSE_PUBLISH_DIR")
    return Settings(
        landing=landing_path.resolve(),
        warehouse=warehouse_path.resolve(),
        as_of=as_of_time,
        grace_hours=grace,
        memory_limit=memory_limit_setting(env.get("TALLYHOUSE_MEMORY_LIMIT")),
        threads=whole_number(
            "TALLYHOUSE_THREADS", env.get("TALLYHOUSE_THREADS"), DEFAULT_THREADS, 1
        ),
        dbt_threads=whole_number(
            "TALLYHOUSE_DBT_THREADS", env.get("TALLYHOUSE_DBT_THREADS"), DEFAULT_DBT_THREADS, 1
        ),
        temp_directory=Path(temp).resolve() if temp else None,
        lock_wait_seconds=max(wait, 0.0),
        publish_dir=Path(publish).resolve() if publish else None,
        lock_timeout=parse_lock_timeout(
            lock_timeout if lock_timeout is not None else env.get("TALLYHOUSE_LOCK_TIMEOUT")
        ),
        full_refresh=env.get("TALLYHOUSE_FULL_REFRESH", "").strip() == "1",
        column_lineage=env.get("TALLYHOUSE_COLUMN_LINEAGE", "").strip() != "0",
        engine=engine_setting(
            engine if engine is not None else env.get("TALLYHOUSE_ENGINE"),
            "--engine" if engine is not None else "TALLYHOUSE_ENGINE",
        ),
        spark_dir=Path(env["TALLYHOUSE_SPARK_DIR"]).resolve()
        if env.get("TALLYHOUSE_SPARK_DIR") else None,
    )


def parse_lock_timeout(value: float | str | None) -> float:
    """Seconds (>= 0) a run waits for a process holding the warehouse; empty: the default."""
    if value is None or value == "":
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(
            f"TALLYHOUSE_LOCK_TIMEOUT (--lock-timeout) must be a number of seconds, got {value!r}"
        ) from None
    if not seconds >= 0:
        raise SettingsError(
            f"TALLYHOUSE_LOCK_TIMEOUT (--lock-timeout) must be >= 0 seconds, got {value!r}"
        )
    return seconds


def _run_as_of_text(tags: Mapping[str, str], created: datetime | None) -> str | None:
    as_of = tags.get(AS_OF_TAG) or os.environ.get("TALLYHOUSE_AS_OF")
    if not as_of and created is not None:
        as_of = created.astimezone(UTC).replace(microsecond=0).isoformat()
    return as_of or None


def run_as_of(tags: Mapping[str, str], created: datetime | None = None) -> datetime:
    """The as-of time of one Dagster run, fixed for all its steps.

    The run's ``tallyhouse/as_of`` tag wins (set by ``tallyhouse run``, the sensor and the
    schedules); else ``TALLYHOUSE_AS_OF``; else the time the run was created, so that a run
    launched by hand from the UI ingests and rates as of one instant.
    """
    text = _run_as_of_text(tags, created)
    try:
        return parse_as_of(text)
    except ValueError as exc:
        raise SettingsError(f"{AS_OF_TAG}: {exc}") from None


def load_run_settings(tags: Mapping[str, str], created: datetime | None = None) -> Settings:
    """Settings of one Dagster run, as of ``run_as_of``."""
    return load_settings(as_of=_run_as_of_text(tags, created))
