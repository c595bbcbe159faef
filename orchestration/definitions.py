"""The Tallyhouse code location: ingest, quality checks and the dbt project."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dagster import AssetSelection, Definitions, define_asset_job
from dagster_dbt import DbtCliResource

from orchestration.defs.dbt import dbt_project, tallyhouse_dbt
from orchestration.defs.ingest import ingest_landing_zone
from orchestration.defs.quality import raw_feed_checks
from orchestration.settings import load_settings

MATERIALIZE_ALL_JOB = "materialize_all"


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_definitions() -> Definitions:
    dbt_project.prepare_if_dev()
    settings = load_settings()
    os.environ.update({k: v for k, v in settings.env().items() if k not in os.environ})
    return Definitions(
        assets=[ingest_landing_zone, tallyhouse_dbt],
        asset_checks=raw_feed_checks,
        jobs=[
            define_asset_job(
                MATERIALIZE_ALL_JOB,
                selection=AssetSelection.all(),
                description="Ingest the landing zone and build every mart, checks included.",
            )
        ],
        resources={"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())},
    )


defs = build_definitions()
