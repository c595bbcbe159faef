"""The settings the definitions run with, as Dagster resources.

``build_definitions`` reads the settings once (``settings.load_settings``: flags exported by
``tallyhouse run``, else ``TALLYHOUSE_*`` variables, else defaults) and hands them to the
assets, checks, sensors and schedules as two resources: ``warehouse`` (the DuckDB file and
its limits, ``orchestration.warehouse.WarehouseResource``) and ``tallyhouse`` (the landing
zone, the grace hours, the dbt threads and the two switches). Only the as-of time differs
from run to run: ``TallyhouseSettings.for_run`` reads it from the run's tags.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from dagster import ConfigurableResource

from orchestration.settings import (
    DEFAULT_DBT_THREADS,
    DEFAULT_ENGINE,
    DEFAULT_GRACE_HOURS,
    DEFAULT_LOCK_WAIT_SECONDS,
    Settings,
    engine_setting,
    load_settings,
    run_as_of,
)
from orchestration.warehouse import WarehouseResource


class TallyhouseSettings(ConfigurableResource):
    """The landing zone, the grace hours, the dbt threads and the switches (full refresh,
    column lineage): the settings beside the warehouse's."""

    landing: str
    grace_hours: int = DEFAULT_GRACE_HOURS
    dbt_threads: int = DEFAULT_DBT_THREADS
    lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
    full_refresh: bool = False
    column_lineage: bool = True
    # the engine of the dbt models: "duckdb" (default) or "spark" (orchestration/spark)
    engine: str = DEFAULT_ENGINE
    spark_dir: str = ""  # empty: <warehouse stem>.spark/ beside the warehouse

    @classmethod
    def from_settings(cls, settings: Settings) -> TallyhouseSettings:
        return cls(
            landing=str(settings.landing),
            grace_hours=settings.grace_hours,
            dbt_threads=settings.dbt_threads,
            lock_wait_seconds=settings.lock_wait_seconds,
            full_refresh=settings.full_refresh,
            column_lineage=settings.column_lineage,
            engine=settings.engine,
            spark_dir=str(settings.spark_dir) if settings.spark_dir else "",
        )

    @property
    def landing_path(self) -> Path:
        return Path(self.landing)

    def at(self, as_of: datetime, warehouse: WarehouseResource) -> Settings:
        """These settings and the warehouse's, as of ``as_of``."""
        return Settings(
            landing=self.landing_path,
            warehouse=warehouse.file,
            as_of=as_of,
            grace_hours=self.grace_hours,
            memory_limit=warehouse.memory_limit,
            threads=warehouse.threads,
            dbt_threads=self.dbt_threads,
            publish_dir=Path(warehouse.publish_dir) if warehouse.publish_dir else None,
            lock_timeout=warehouse.lock_timeout,
            temp_directory=Path(warehouse.temp_directory) if warehouse.temp_directory else None,
            lock_wait_seconds=self.lock_wait_seconds,
            full_refresh=self.full_refresh,
            column_lineage=self.column_lineage,
            engine=engine_setting(self.engine, "the tallyhouse resource's engine"),
            spark_dir=Path(self.spark_dir) if self.spark_dir else None,
        )

    def for_run(self, context, warehouse: WarehouseResource) -> Settings:
        """The settings of the run ``context`` belongs to, as of its as-of time
        (``settings.run_as_of``: its tag, else ``TALLYHOUSE_AS_OF``, else its creation)."""
        run = context.run
        record = context.instance.get_run_record_by_id(run.run_id)
        created = record.create_timestamp if record is not None else None
        return self.at(run_as_of(run.tags, created), warehouse)


def settings_resources(settings: Settings | None = None) -> dict[str, ConfigurableResource]:
    """The ``warehouse`` and ``tallyhouse`` resources of ``settings`` (default: read now)."""
    settings = settings or load_settings()
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "tallyhouse": TallyhouseSettings.from_settings(settings),
    }
