"""The Tallyhouse code location: ingest, quality checks, the dbt project and their automation."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from dagster import (
    AssetSelection,
    Definitions,
    LoggerDefinition,
    ScheduleDefinition,
    define_asset_job,
)

from orchestration.defs.automation import (
    CLOSE_PERIOD_JOB,
    MATERIALIZE_ALL_JOB,
    NIGHTLY_JOB,
    build_close_sensor,
    build_finalize_schedule,
    landing_zone_sensor,
    nightly_rating_schedule,
)
from orchestration.defs.dbt import TallyhouseDbtCliResource, dbt_project, tallyhouse_dbt
from orchestration.defs.freshness import freshness_checks
from orchestration.defs.ingest import ingest_landing_zone
from orchestration.defs.period_close import period_closes
from orchestration.defs.publication import publication_assets
from orchestration.defs.quality import raw_feed_checks
from orchestration.settings import load_settings, put_python_bin_on_path

FRESHNESS_JOB = "freshness_checks"
PUBLISH_JOB = "publish"
FRESHNESS_CRON = "30 * * * *"  # hourly, at half past
# Jobs that write the warehouse; deploy/dagster.production.yaml runs one of them at a time.
WRITER_TAGS = {"tallyhouse/warehouse": "write"}
__all__ = [
    "CLOSE_PERIOD_JOB", "MATERIALIZE_ALL_JOB", "FRESHNESS_JOB", "NIGHTLY_JOB", "PUBLISH_JOB",
    "build_definitions", "defs",
]


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_definitions(loggers: Mapping[str, LoggerDefinition] | None = None) -> Definitions:
    """The code location; ``loggers`` replace Dagster's console logger in every job
    (``tallyhouse run`` passes its progress view's)."""
    put_python_bin_on_path()  # a parse runs the venv's dbt, venv active or not
    if os.environ.get("DAGSTER_IS_DEV_CLI"):  # dagster dev: parse when the project changed
        from orchestration.cli import _prepare_dbt_manifest

        _prepare_dbt_manifest()
    settings = load_settings()
    # dbt's profile and the checks read these; the as-of time is not exported: each run
    # carries its own (settings.load_run_settings).
    exported = {k: v for k, v in settings.env().items() if k != "TALLYHOUSE_AS_OF"}
    os.environ.update({k: v for k, v in exported.items() if k not in os.environ})
    freshness = AssetSelection.checks(*freshness_checks)
    closes = AssetSelection.assets(period_closes)
    materialize_all = define_asset_job(
        MATERIALIZE_ALL_JOB,
        selection=AssetSelection.all() - freshness - closes,
        tags=WRITER_TAGS,
        description="Ingest a range of arrival days (partitions) and build every mart, checks "
        "included; then publish the marts and draw the dashboards.",
    )
    close_period = define_asset_job(
        CLOSE_PERIOD_JOB,
        selection=closes,
        tags=WRITER_TAGS,
        description="Freeze the bills of finalized months (partitions) in marts.period_closes.",
    )
    nightly = define_asset_job(
        NIGHTLY_JOB,
        selection=AssetSelection.assets(tallyhouse_dbt, *publication_assets) - freshness,
        tags=WRITER_TAGS,
        description="Rate usage and rebuild every mart (projections and over/under included) "
        "from the raw tables as of the run's as-of time, then publish them and draw the "
        "dashboards; ingest is left to the sensor.",
    )
    publish = define_asset_job(
        PUBLISH_JOB,
        selection=AssetSelection.assets(*publication_assets),
        tags=WRITER_TAGS,
        description="Publish the marts as they are now and draw the dashboards (tallyhouse run "
        "does it last, once the finalized months are closed).",
    )
    freshness_job = define_asset_job(
        FRESHNESS_JOB,
        selection=freshness,
        description="Judge the warehouse's freshness against the clock.",
    )
    return Definitions(
        assets=[ingest_landing_zone, tallyhouse_dbt, period_closes, *publication_assets],
        asset_checks=[*raw_feed_checks, *freshness_checks],
        jobs=[materialize_all, nightly, freshness_job, close_period, publish],
        schedules=[
            nightly_rating_schedule,
            build_finalize_schedule(settings.grace_hours),
            ScheduleDefinition(
                name="freshness_hourly",
                cron_schedule=FRESHNESS_CRON,
                job_name=FRESHNESS_JOB,
                execution_timezone="UTC",
                description="Evaluates the freshness checks every hour.",
            ),
        ],
        sensors=[landing_zone_sensor, build_close_sensor(close_period)],
        resources={
            "dbt": TallyhouseDbtCliResource(
                project_dir=dbt_project, dbt_executable=dbt_executable()
            )
        },
        loggers=dict(loggers) if loggers else None,
    )


defs = build_definitions()
